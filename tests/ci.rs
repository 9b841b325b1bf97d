//! `conflictguard ci` on pull requests played out in real repositories.

mod common;

use common::{json, TestRepo};

const CONFIG_BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_MAIN: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n";
const CONFIG_RESOLVED: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n";

/// main removes LEGACY_URL; feature changed the next line before that.
fn branches() -> (TestRepo, String) {
    let repo = TestRepo::new("main");
    repo.write("src/config.js", CONFIG_BASE);
    repo.write("src/app.js", "const { API } = require('./config');\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/config.js", CONFIG_FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/config.js", CONFIG_MAIN);
    let removing = repo.commit_all("Remove the unused LEGACY_URL");
    repo.git(&["checkout", "-q", "feature"]);
    (repo, removing)
}

/// Merges main into feature with `resolution` as config.js, then adds a commit on top.
fn merge_main_into_feature(repo: &TestRepo, resolution: &str) -> String {
    repo.git_output(&["merge", "-q", "main"]);
    repo.write("src/config.js", resolution);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let merge = repo.git(&["rev-parse", "HEAD"]);
    repo.write(
        "src/app.js",
        "const { API } = require('./config');\nconsole.log(API);\n",
    );
    repo.commit_all("Log the API");
    merge
}

#[test]
fn the_incident_as_a_pull_request_fails_and_names_the_merge_commit() {
    let (repo, removing) = branches();
    let merge = merge_main_into_feature(&repo, CONFIG_FEATURE);
    let output = repo.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let finding = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["merge"] == merge.as_str()))
        .unwrap_or_else(|| panic!("no finding in the merge commit: {report}"));
    assert_eq!(finding["identifier"], "LEGACY_URL");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["removed_by"]["commit"], removing.as_str());
    assert_eq!(
        report["merges"].as_array().map(Vec::len),
        Some(2),
        "one merge, then the final"
    );
    assert_eq!(report["merges"][1]["result"], "simulated");
}

#[test]
fn a_healthy_pull_request_with_a_correct_merge_of_main_passes() {
    let (repo, _) = branches();
    merge_main_into_feature(&repo, CONFIG_RESOLVED);
    let output = repo.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(json(&output)["summary"]["findings"], 0);
}

#[test]
fn a_rebased_branch_that_keeps_the_stale_line_gets_cg005() {
    let (repo, removing) = branches();
    // The branch rebased onto main, its conflict resolved by keeping its own lines.
    repo.git(&["checkout", "-q", "-b", "rebased", "main"]);
    repo.write("src/config.js", CONFIG_FEATURE);
    repo.commit_all("Longer timeout");
    let output = repo.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    let report = json(&output);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["rule"], "CG005");
    assert_eq!(findings[0]["severity"], "warning");
    assert_eq!(findings[0]["identifier"], "LEGACY_URL");
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["removed_by"]["commit"], removing.as_str());
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning does not fail by default"
    );
    let strict = repo.conflictguard(&["ci", "--base", "main", "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1));
}

/// The base of `a_rebased_branch_that_keeps_the_stale_line_gets_cg005`, with `config` committed as
/// main's `.conflictguard.toml`, and the rebased branch's config.js as `rebased`.
fn rebased_with(config: &str, rebased: &str) -> TestRepo {
    let (repo, _) = branches();
    repo.git(&["checkout", "-q", "main"]);
    repo.write(".conflictguard.toml", config);
    repo.commit_all("Settings");
    repo.git(&["checkout", "-q", "-b", "rebased", "main"]);
    repo.write("src/config.js", rebased);
    repo.commit_all("Longer timeout");
    repo
}

/// Regression: `ci` used to add CG005 after suppression had run, so the base's configuration
/// could not turn it off and an inline allow (which its own help suggests) was ignored.
#[test]
fn cg005_honours_the_rule_setting_and_an_inline_allow() {
    let off = rebased_with("[rules]\nCG005 = \"off\"\n", CONFIG_FEATURE);
    let output = off.conflictguard(&[
        "ci",
        "--base",
        "main",
        "--fail-on",
        "warning",
        "--format",
        "json",
    ]);
    let report = json(&output);
    assert_eq!(report["summary"]["findings"], 0, "{report}");
    assert_eq!(output.status.code(), Some(0), "{report}");
    let notes = report["merges"][0]["notes"].to_string();
    assert!(
        notes.contains("CG005 is off"),
        "a suppression leaves a note: {notes}"
    );

    let allowed = CONFIG_FEATURE.replace(
        "const LEGACY_URL",
        "// conflictguard: allow LEGACY_URL (the migration job still reads it)\nconst LEGACY_URL",
    );
    let inline = rebased_with("fail-on = \"warning\"\n", &allowed);
    let output = inline.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["summary"]["findings"], 0, "{report}");
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(
        report["merges"][0]["notes"]
            .to_string()
            .contains("allowed by an inline"),
        "{report}"
    );

    // The same branch without either still gets the warning, and fails under fail-on = warning.
    let plain = rebased_with("fail-on = \"warning\"\n", CONFIG_FEATURE);
    let output = plain.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    assert_eq!(json(&output)["findings"][0]["rule"], "CG005");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_shallow_clone_is_exit_2_with_the_fix_never_a_pass() {
    let (repo, _) = branches();
    merge_main_into_feature(&repo, CONFIG_FEATURE);
    let clone = TestRepo::new("unused");
    let url = format!("file://{}", repo.path().display());
    let target = clone.path().join("shallow");
    clone.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        "--no-single-branch",
        &url,
        target.to_str().expect("utf-8"),
    ]);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    common::clean_env(&mut command, clone.path());
    let output = command
        .args(["ci", "--base", "origin/main", "--head", "origin/feature"])
        .current_dir(&target)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn githubs_pull_request_checkout_needs_no_revisions() {
    let (repo, _) = branches();
    merge_main_into_feature(&repo, CONFIG_FEATURE);
    // GitHub checks out a merge of the branch into the base: parent 1 the base, parent 2 the head.
    repo.git(&["checkout", "-q", "--detach", "main"]);
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "--no-edit",
        "--no-verify",
        "feature",
    ]);
    assert_eq!(
        repo.git(&["rev-parse", "HEAD^2"]),
        repo.git(&["rev-parse", "feature"])
    );
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    common::clean_env(&mut command, repo.path());
    let output = command
        .args(["ci", "--format", "json"])
        .current_dir(repo.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_BASE_REF", "main")
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert!(
        report["summary"]["findings"].as_u64().unwrap_or(0) >= 1,
        "{report}"
    );
    let without = repo.conflictguard(&["ci"]);
    assert_eq!(
        without.status.code(),
        Some(2),
        "outside GitHub, --base is needed"
    );
}

#[test]
fn a_pull_request_cannot_silence_the_check_on_itself() {
    let (repo, _) = branches();
    repo.write(
        ".conflictguard.toml",
        "[[allow]]\nname = \"LEGACY_URL\"\nreason = \"trust me\"\n",
    );
    repo.commit_all("Allow it");
    merge_main_into_feature(&repo, CONFIG_FEATURE);
    let report = json(&repo.conflictguard(&["ci", "--base", "main", "--format", "json"]));
    assert!(
        report["summary"]["findings"].as_u64().unwrap_or(0) >= 1,
        "{report}"
    );
    let audit = json(&repo.conflictguard(&["audit", "HEAD~1", "--format", "json"]));
    assert_eq!(
        audit["summary"]["findings"], 0,
        "locally the work tree's file applies"
    );
}

#[test]
fn sarif_github_and_gitlab_outputs_carry_every_finding() {
    let (repo, _) = branches();
    merge_main_into_feature(&repo, CONFIG_FEATURE);
    let sarif = json(&repo.conflictguard(&["ci", "--base", "main", "--format", "sarif"]));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "conflictguard");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 8, "every rule, CG001 to CG008");
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].is_string() && r["shortDescription"]["text"].is_string()));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "CG001");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap_or(99) as usize]["id"],
        "CG001"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/config.js");
    assert_eq!(location["region"]["startLine"], 2);
    assert!(result["partialFingerprints"]["conflictguard/v1"].is_string());

    let gitlab = json(&repo.conflictguard(&["ci", "--base", "main", "--format", "gitlab"]));
    assert_eq!(gitlab[0]["location"]["path"], "src/config.js");
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 2);
    assert_eq!(gitlab[0]["severity"], "major");
    assert_eq!(
        gitlab[0]["fingerprint"],
        result["partialFingerprints"]["conflictguard/v1"]
    );

    let summary = repo.path().join("summary.md");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    common::clean_env(&mut command, repo.path());
    let github = command
        .args(["ci", "--base", "main", "--format", "github"])
        .current_dir(repo.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(
        text.starts_with("::error file=src/config.js,line=2,"),
        "{text}"
    );
    assert!(
        text.contains("title=CG001 resurrected-definition%3A LEGACY_URL::"),
        "{text}"
    );
    let written = std::fs::read_to_string(&summary).expect("a step summary");
    assert!(
        written.contains("| CG001 | `LEGACY_URL` | src/config.js:2 |"),
        "{written}"
    );
}

#[test]
fn hostile_paths_are_escaped_in_annotations_and_sarif() {
    let repo = TestRepo::new("main");
    let path = "src/50%,a:b.js";
    repo.write(path, "const X = 1;\nconst Y = 2;\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(path, "const X = 1;\nconst Y = 3;\n");
    repo.commit_all("Y");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(path, "const Y = 2;\n");
    repo.commit_all("Remove X");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.write(path, "const X = 1;\nconst Y = 3;\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let github = repo.conflictguard(&["audit", "HEAD", "--format", "github"]);
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(text.contains("file=src/50%25%2Ca%3Ab.js,"), "{text}");
    let sarif = json(&repo.conflictguard(&["audit", "HEAD", "--format", "sarif"]));
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "src/50%25%2Ca%3Ab.js"
    );
}

/// The SARIF 2.1.0 schema, from the npm package that Microsoft's SARIF tooling publishes it in,
/// fetched once into Cargo's scratch folder.
fn sarif_schema() -> serde_json::Value {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-schema");
    let schema = folder.join("package/lib/schemas/sarif-2.1.0-rtm.5.json");
    if !schema.exists() {
        std::fs::create_dir_all(&folder).expect("scratch folder");
        let pack = std::process::Command::new("npm")
            .args(["pack", "-q", "@microsoft/jest-sarif@1.0.0-beta.0"])
            .current_dir(&folder)
            .output()
            .expect("npm runs (the SARIF schema comes from the npm registry)");
        assert!(
            pack.status.success(),
            "npm pack failed: {}",
            String::from_utf8_lossy(&pack.stderr)
        );
        let unpack = std::process::Command::new("tar")
            .args([
                "xzf",
                "microsoft-jest-sarif-1.0.0-beta.0.tgz",
                "package/lib/schemas/sarif-2.1.0-rtm.5.json",
            ])
            .current_dir(&folder)
            .status()
            .expect("tar runs");
        assert!(unpack.success());
    }
    serde_json::from_slice(&std::fs::read(schema).expect("the schema")).expect("schema JSON")
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let (repo, _) = branches();
    merge_main_into_feature(&repo, CONFIG_FEATURE);
    let sarif = json(&repo.conflictguard(&["ci", "--base", "main", "--format", "sarif"]));
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    // The published schema's pattern for `language` properties has a stray `]` that its own
    // meta-schema rejects as a regex; it is corrected here (conflictguard emits no `language`).
    let mut schema = sarif_schema();
    let broken = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let mut fixed = 0;
    let mut pending = vec![&mut schema];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if key == "pattern" && inner == broken {
                        *inner = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                        fixed += 1;
                    } else {
                        pending.push(inner);
                    }
                }
            }
            serde_json::Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
    assert!(fixed > 0, "the schema changed: revisit this correction");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // A document that breaks the schema is caught: the validator is really checking.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}
