//! The commands end to end: real repositories, real merges, the real binary.

mod common;

use common::{json, snapshot, TestRepo};

const CONFIG_BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n\nmodule.exports = { API, LEGACY_URL, TIMEOUT };\n";
const CONFIG_MAIN: &str =
    "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n\nmodule.exports = { API, TIMEOUT };\n";
const CONFIG_FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n\nmodule.exports = { API, LEGACY_URL, TIMEOUT };\n";

/// `main` removes LEGACY_URL; `feature` changes the next line, so merging conflicts.
fn incident() -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write("src/config.js", CONFIG_BASE);
    repo.write(
        "src/app.js",
        "const { API } = require('./config');\nconsole.log(API);\n",
    );
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/config.js", CONFIG_FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/config.js", CONFIG_MAIN);
    repo.commit_all("Remove the unused LEGACY_URL");
    repo.git(&["checkout", "-q", "feature"]);
    repo
}

/// How many blobs the run parsed, as its report's summary counts them.
fn parsed_blobs(report: &serde_json::Value) -> u64 {
    report["summary"]["parsed_blobs"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

/// The incident merged with the stale side kept: main into feature, feature's config.js kept.
fn stale_merge() -> TestRepo {
    let repo = incident();
    repo.git_output(&["merge", "-q", "main"]);
    repo.git(&["checkout", "--ours", "--", "src/config.js"]);
    repo.git(&["add", "src/config.js"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    repo
}

#[test]
fn demo_shows_the_finding_with_the_removing_commit_and_exits_1() {
    let home = tempfile::tempdir().expect("temp");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    common::clean_env(&mut command, home.path());
    let output = command.arg("demo").output().expect("demo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("CG001"), "{stdout}");
    assert!(stdout.contains("LEGACY_QUOTE_URL"), "{stdout}");
    assert!(
        stdout.contains("Remove the unused legacy quote endpoint"),
        "{stdout}"
    );
    assert!(
        stdout.contains("do not bring back `LEGACY_QUOTE_URL`"),
        "{stdout}"
    );
}

#[test]
fn dry_run_with_conflicts_lists_them_and_what_is_at_risk_and_changes_nothing() {
    let repo = incident();
    let before = snapshot(repo.path());
    let output = repo.conflictguard(&["check", "main", "--format", "json"]);
    let after = snapshot(repo.path());
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["merges"][0]["result"], "simulated");
    assert_eq!(report["merges"][0]["conflicts"][0], "src/config.js");
    let at_risk = &report["merges"][0]["at_risk"][0];
    assert_eq!(at_risk["identifier"], "LEGACY_URL");
    assert_eq!(at_risk["removed_by"]["branch"], "main");
    assert!(before == after, "check changed files under the repository");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn audit_names_identifier_line_side_and_removing_commit() {
    let repo = stale_merge();
    let removing = repo.git(&["rev-parse", "main"]);

    let before = snapshot(repo.path());
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert!(before == snapshot(repo.path()), "audit changed files");
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(report["summary"]["errors"], 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "CG001");
    assert_eq!(finding["name"], "resurrected-definition");
    assert_eq!(finding["identifier"], "LEGACY_URL");
    assert_eq!(finding["path"], "src/config.js");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["column"], 7);
    assert_eq!(finding["end_column"], 17);
    assert_eq!(finding["origin"], "ours-unchanged");
    assert_eq!(finding["removed_by"]["side"], "theirs");
    assert_eq!(finding["removed_by"]["branch"], "main");
    assert_eq!(finding["removed_by"]["commit"], removing.as_str());
    assert_eq!(
        finding["removed_by"]["summary"],
        "Remove the unused LEGACY_URL"
    );
    assert_eq!(finding["removed_by"]["author"], "Test Author");
    assert!(finding["removed_by"]["date"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z') && d.len() == 20));
    assert_eq!(
        finding["merge"], report["merges"][0]["result"],
        "a finding names its merge"
    );

    let never = repo.conflictguard(&["audit", "HEAD", "--fail-on", "never"]);
    assert_eq!(never.status.code(), Some(0));
    let human = String::from_utf8_lossy(&never.stdout).to_string();
    assert!(human.contains("src/config.js:2:7"), "{human}");
    assert!(human.contains("Remove the unused LEGACY_URL"), "{human}");
}

#[test]
fn a_correct_resolution_passes() {
    let repo = incident();
    repo.git_output(&["merge", "-q", "main"]);
    repo.write(
        "src/config.js",
        "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n\nmodule.exports = { API, TIMEOUT };\n",
    );
    repo.git(&["add", "src/config.js"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(json(&output)["summary"]["findings"], 0);
}

#[test]
fn check_without_branch_reads_the_index_of_the_merge_in_progress() {
    let repo = incident();
    repo.git_output(&["merge", "-q", "main"]);
    let unresolved = repo.conflictguard(&["check", "--format", "json"]);
    assert_eq!(unresolved.status.code(), Some(1));
    assert_eq!(
        json(&unresolved)["merges"][0]["conflicts"][0],
        "src/config.js"
    );

    repo.git(&["checkout", "--ours", "--", "src/config.js"]);
    repo.git(&["add", "src/config.js"]);
    let wrong = repo.conflictguard(&["check", "--format", "json"]);
    assert_eq!(wrong.status.code(), Some(1));
    let report = json(&wrong);
    assert_eq!(report["merges"][0]["result"], "index");
    assert_eq!(report["findings"][0]["identifier"], "LEGACY_URL");

    repo.write("src/config.js", CONFIG_MAIN);
    repo.git(&["add", "src/config.js"]);
    let fixed = repo.conflictguard(&["check", "--format", "json"]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(repo.path().join(".git/MERGE_HEAD").exists());
}

#[test]
fn a_clean_dry_run_exits_0() {
    let repo = TestRepo::new("main");
    repo.write("a.py", "def f():\n    return 1\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("b.py", "from a import f\n\nprint(f())\n");
    repo.commit_all("Use f");
    repo.git(&["checkout", "-q", "main"]);
    let output = repo.conflictguard(&["check", "topic"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_new_use_of_a_name_removed_everywhere_is_caught_before_the_merge() {
    let repo = TestRepo::new("main");
    repo.write(
        "app.py",
        "def call_legacy():\n    return 1\n\n\ndef current():\n    return 2\n",
    );
    repo.write("views.py", "from app import current\n\nprint(current())\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "reports.py",
        "from app import call_legacy\n\n\ndef report():\n    return call_legacy()\n",
    );
    repo.commit_all("Add reports");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("app.py", "def current():\n    return 2\n");
    repo.commit_all("Remove call_legacy");
    let output = repo.conflictguard(&["check", "feature", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "CG003");
    assert_eq!(finding["identifier"], "call_legacy");
    assert_eq!(finding["path"], "reports.py");
    assert_eq!(finding["line"], 1);
    assert_eq!(finding["removed_by"]["side"], "ours");
    assert_eq!(finding["removed_by"]["summary"], "Remove call_legacy");
}

#[test]
fn criss_cross_merges_use_every_base() {
    // Two branches merge each other, so the final merge has two merge bases.
    let repo = TestRepo::new("main");
    repo.write("m.js", "export const OLD = 1;\nexport const KEEP = 2;\n");
    repo.write("n.js", "export const A = 1;\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("n.js", "export const A = 1;\nexport const B = 2;\n");
    repo.commit_all("Side work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("o.js", "export const C = 3;\n");
    repo.commit_all("Main work");
    let main_tip = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    repo.git(&["checkout", "-q", "side"]);
    repo.git(&["merge", "-q", "--no-edit", &main_tip]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("m.js", "export const KEEP = 2;\n");
    repo.commit_all("Remove OLD");
    repo.git(&["checkout", "-q", "side"]);
    repo.write("m.js", "export const OLD = 1;\nexport const KEEP = 3;\n");
    repo.commit_all("Change KEEP");
    let bases = repo.git(&["merge-base", "--all", "main", "side"]);
    assert_eq!(bases.lines().count(), 2, "not a criss-cross: {bases}");
    repo.git_output(&["merge", "-q", "main"]);
    repo.git(&["checkout", "--ours", "--", "m.js"]);
    repo.git(&["add", "m.js"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    let report = json(&output);
    assert_eq!(
        report["merges"][0]["bases"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(report["findings"][0]["identifier"], "OLD", "{report}");
    assert_eq!(report["findings"][0]["removed_by"]["summary"], "Remove OLD");
}

#[test]
fn unrelated_histories_merge_against_the_empty_tree() {
    let repo = TestRepo::new("main");
    repo.write("a.js", "const x = 1;\n");
    repo.commit_all("Main");
    repo.git(&["checkout", "-q", "--orphan", "site"]);
    repo.git(&["rm", "-rq", "--cached", "."]);
    repo.remove("a.js");
    repo.write("index.js", "const y = 2;\n");
    repo.commit_all("Site");
    repo.git(&["checkout", "-q", "main"]);
    // Before the merge: refused as git refuses it, unless allowed as git allows it.
    let refused = repo.conflictguard(&["check", "site"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no common history") && stderr.contains("--allow-unrelated-histories"),
        "{stderr}"
    );
    let allowed = repo.conflictguard(&[
        "check",
        "site",
        "--allow-unrelated-histories",
        "--format",
        "json",
    ]);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert_eq!(json(&allowed)["merges"][0]["bases"], serde_json::json!([]));
    repo.git(&[
        "merge",
        "-q",
        "--no-edit",
        "--allow-unrelated-histories",
        "site",
    ]);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json(&output)["merges"][0]["bases"], serde_json::json!([]));
}

#[test]
fn bad_input_gets_exit_2_and_a_hint() {
    let outside = tempfile::tempdir().expect("temp");
    let repo = incident();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "-C",
                outside.path().to_str().expect("utf-8"),
                "audit",
                "HEAD",
            ],
            "not a git repository",
        ),
        (vec!["audit", "no-such-branch"], "unknown revision"),
        (vec!["audit", "HEAD"], "is not a merge commit"),
        (vec!["check", "no-such-branch"], "unknown revision"),
        (vec!["check"], "no merge is in progress"),
        (vec!["explain", "CG999"], "no rule has the code"),
    ];
    for (args, message) in cases {
        let output = repo.conflictguard(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stderr.contains("help"), "{args:?} gives no hint: {stderr}");
    }
    let empty = TestRepo::new("main");
    let output = empty.conflictguard(&["check", "topic"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn explain_prints_each_rule() {
    let repo = TestRepo::new("main");
    for code in ["CG001", "CG002", "cg003", "conflict-marker"] {
        let output = repo.conflictguard(&["explain", code]);
        assert_eq!(output.status.code(), Some(0));
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("## Why is this bad?"), "{text}");
    }
}

#[test]
fn audit_of_a_range_reads_every_merge_oldest_first() {
    let repo = stale_merge();
    repo.git(&["checkout", "-q", "main"]);
    repo.write(
        "src/app.js",
        "const { API } = require('./config');\nconsole.log(API, 1);\n",
    );
    repo.commit_all("Log more");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-edit", "main"]);
    let first = repo.git(&["rev-list", "--max-parents=0", "HEAD"]);
    let output = repo.conflictguard(&["audit", &format!("{first}..HEAD"), "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["summary"]["merges"], 2);
    assert_eq!(
        report["merges"][0]["findings"][0]["identifier"],
        "LEGACY_URL"
    );
    assert_eq!(
        report["merges"][1]["findings"].as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn a_resurrected_function_is_one_finding_not_one_per_local_name() {
    let repo = TestRepo::new("main");
    let base = "function keep() {\n  return 1;\n}\n\nfunction legacyTotal(order, rate) {\n  const subtotal = order.items.length;\n  return subtotal * rate;\n}\n\nmodule.exports = { keep, legacyTotal };\n";
    repo.write("pricing.js", base);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "pricing.js",
        &base.replace("subtotal * rate", "subtotal * rate * 1.2"),
    );
    repo.commit_all("Adjust legacy total");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(
        "pricing.js",
        "function keep() {\n  return 1;\n}\n\nmodule.exports = { keep };\n",
    );
    repo.commit_all("Remove legacyTotal");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.git(&["checkout", "--ours", "--", "pricing.js"]);
    repo.git(&["add", "pricing.js"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["identifier"], "legacyTotal");
    assert_eq!(findings[0]["line"], 5);
    assert_eq!(findings[0]["origin"], "ours-unchanged");
    let message = findings[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("a human must decide"), "{message}");
    assert!(message.contains("`subtotal`"), "{message}");
}

#[test]
fn only_files_where_a_rule_can_fire_are_parsed() {
    // Forty files nobody touches, and one file each side changed: the run parses the changed
    // file's versions only (base, two parents, result), each blob once.
    let repo = TestRepo::new("main");
    for index in 0..40 {
        repo.write(
            &format!("src/module{index}.js"),
            &format!("export const VALUE_{index} = {index};\n"),
        );
    }
    repo.write("src/config.js", CONFIG_BASE);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/config.js", CONFIG_FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/config.js", CONFIG_MAIN);
    repo.commit_all("Remove the unused LEGACY_URL");
    repo.git(&["checkout", "-q", "feature"]);
    let report = json(&repo.conflictguard(&["check", "main", "--format", "json"]));
    let parsed = parsed_blobs(&report);
    assert!(
        (1..=4).contains(&parsed),
        "parsed {parsed} blobs for a merge that changes one file: {report}"
    );
}

#[test]
fn a_merge_whose_message_names_no_branch_is_reported_with_the_branches_found() {
    // The merge message says nothing of the sides: the report is made with the given names
    // first, and made again with the branch found at the removing side's tip because it has a
    // finding to word.
    let repo = incident();
    repo.git_output(&["merge", "-q", "main"]);
    repo.git(&["checkout", "--ours", "--", "src/config.js"]);
    repo.git(&["add", "src/config.js"]);
    repo.git(&["commit", "-q", "-m", "Sync", "--no-verify"]);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["removed_by"]["branch"], "main", "{report}");
    let message = findings[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("on main"), "{message}");
}

#[test]
fn the_names_at_risk_of_a_dry_run_by_commit_name_the_branch_found() {
    // A dry run of merging a commit given by its id, not a branch: it conflicts, nothing is
    // reported yet, and the names at risk carry the branch found at that commit.
    let repo = incident();
    let main = repo.git(&["rev-parse", "main"]);
    let report = json(&repo.conflictguard(&["check", main.trim(), "--format", "json"]));
    assert_eq!(report["summary"]["findings"], 0, "{report}");
    let at_risk = report["merges"][0]["at_risk"].as_array().expect("at_risk");
    let legacy = at_risk
        .iter()
        .find(|name| name["identifier"] == "LEGACY_URL")
        .unwrap_or_else(|| panic!("LEGACY_URL is at risk: {report}"));
    assert_eq!(legacy["removed_by"]["branch"], "main", "{report}");
}

#[test]
fn timings_go_to_standard_error_only_when_asked_for() {
    let repo = stale_merge();
    let quiet = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert!(
        !String::from_utf8_lossy(&quiet.stderr).contains("timings"),
        "{quiet:?}"
    );
    let mut command = repo.command(
        env!("CARGO_BIN_EXE_conflictguard"),
        &["audit", "HEAD", "--format", "json"],
    );
    let timed = command
        .env("CONFLICTGUARD_TIMINGS", "1")
        .output()
        .expect("conflictguard runs");
    let stderr = String::from_utf8_lossy(&timed.stderr);
    let line = stderr
        .lines()
        .find(|line| line.starts_with("conflictguard timings "))
        .unwrap_or_else(|| panic!("no timings line: {stderr}"));
    for step in ["changes", "select", "load", "parse", "rules", "at risk"] {
        assert!(line.contains(&format!("{step} ")), "{step}: {line}");
    }
    // The report is the same either way.
    assert_eq!(timed.stdout, quiet.stdout);
}

#[test]
fn a_settings_path_is_looked_for_whole_in_code_files() {
    // main drops a workflow step's `if:` key and edits twenty Python files; feature adds an `if`
    // statement. The removed path `jobs.test.steps[].if` is still present in main only where
    // its text is: a Python file holding the word `if` is not parsed to find out.
    let repo = TestRepo::new("main");
    let workflow = "jobs:\n  test:\n    steps:\n      - run: make test\n        if: always()\n";
    repo.write(".github/workflows/ci.yml", workflow);
    let module = |index: usize, extra: &str| {
        format!("def check_{index}(value):\n    if value > {index}:\n        return value\n    return 0\n{extra}")
    };
    for index in 0..20 {
        repo.write(&format!("pkg/m{index}.py"), &module(index, ""));
    }
    repo.write("app.py", "def run(x):\n    return x\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "app.py",
        "def run(x):\n    if x:\n        return x\n    return None\n",
    );
    repo.commit_all("Guard run");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(
        ".github/workflows/ci.yml",
        "jobs:\n  test:\n    steps:\n      - run: make test\n",
    );
    for index in 0..20 {
        repo.write(
            &format!("pkg/m{index}.py"),
            &module(index, "\n\ndef extra():\n    return 1\n"),
        );
    }
    repo.commit_all("Always run the tests; add extra()");
    repo.git(&["checkout", "-q", "feature"]);
    let report = json(&repo.conflictguard(&["check", "main", "--format", "json"]));
    assert_eq!(report["summary"]["findings"], 0, "{report}");
    let parsed = parsed_blobs(&report);
    assert!(
        parsed <= 4,
        "parsed {parsed} blobs: the Python files holding `if` were read for a setting path: {report}"
    );
}

/// Ten modules whose docstrings main rewrites (the word `library` leaves them), main deleting
/// `helper_3` from pkg/m3.py where `drop_helper` says; feature writes `app` as app.py. The dry run
/// of merging main into feature.
fn docstring_merge(app: &str, drop_helper: bool) -> serde_json::Value {
    let repo = TestRepo::new("main");
    let module = |index: usize, doc: &str, helper: bool| {
        let helper = if helper {
            format!("\n\ndef helper_{index}():\n    return {index}\n")
        } else {
            String::new()
        };
        format!("def run_{index}(value):\n    \"\"\"{doc}\"\"\"\n    return value\n{helper}")
    };
    for index in 0..10 {
        repo.write(
            &format!("pkg/m{index}.py"),
            &module(index, "Calls the library.", true),
        );
    }
    repo.write("pkg/__init__.py", "");
    repo.write("app.py", "def main():\n    return 1\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("app.py", app);
    repo.commit_all("Feature work on app.py");
    repo.git(&["checkout", "-q", "main"]);
    for index in 0..10 {
        let keep = !(drop_helper && index == 3);
        repo.write(
            &format!("pkg/m{index}.py"),
            &module(index, "Runs it.", keep),
        );
    }
    repo.commit_all("Shorter docstrings");
    repo.git(&["checkout", "-q", "feature"]);
    json(&repo.conflictguard(&["check", "main", "--format", "json"]))
}

#[test]
fn words_of_comments_do_not_send_cg003_to_parse_the_removers_files() {
    // feature adds a comment holding `library`. No name on feature's added lines is a word main
    // removed, so none of main's ten files is parsed.
    let report = docstring_merge(
        "def main():\n    # The library does the rest.\n    return 1\n",
        false,
    );
    assert_eq!(report["summary"]["findings"], 0, "{report}");
    let parsed = parsed_blobs(&report);
    assert!(
        parsed <= 2,
        "parsed {parsed} blobs for a word of a comment: {report}"
    );
}

#[test]
fn a_use_on_an_added_line_of_a_name_the_remover_took_out_is_still_found() {
    // The loud twin of the test above: feature's added lines import and call `helper_3`, which
    // main deleted from pkg/m3.py while rewriting the docstrings.
    let report = docstring_merge(
        "from pkg.m3 import helper_3\n\n\ndef main():\n    # The library does the rest.\n    return helper_3()\n",
        true,
    );
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "CG003" && f["identifier"] == "helper_3"),
        "{report}"
    );
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_note() {
    let repo = stale_merge();
    let limited =
        json(&repo.conflictguard(&["audit", "HEAD", "--format", "json", "--max-file-size", "64"]));
    assert_eq!(limited["summary"]["findings"], 0, "{limited}");
    let notes = limited["merges"][0]["notes"].to_string();
    assert!(
        notes.contains("size limit") && notes.contains("src/config.js"),
        "{notes}"
    );
    let unlimited = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(unlimited["summary"]["findings"], 1);
}

#[test]
fn a_long_audit_shows_progress_on_a_terminal_only() {
    let repo = TestRepo::new("main");
    repo.write("a.js", "const A = 0;\n");
    let root = repo.commit_all("Base");
    for n in 0..25 {
        repo.git(&["checkout", "-q", "-b", &format!("topic{n}")]);
        repo.write(&format!("t{n}.js"), &format!("const T{n} = {n};\n"));
        repo.commit_all(&format!("Topic {n}"));
        repo.git(&["checkout", "-q", "main"]);
        repo.git(&["merge", "-q", "--no-ff", "--no-edit", &format!("topic{n}")]);
    }
    let range = format!("{}..HEAD", root.trim());
    let piped = repo.conflictguard(&["audit", &range, "--format", "json"]);
    assert_eq!(json(&piped)["merges"].as_array().map(Vec::len), Some(25));
    assert!(
        piped.stderr.is_empty(),
        "no progress without a terminal: {}",
        String::from_utf8_lossy(&piped.stderr)
    );
    // `script` runs the audit with a pseudo-terminal as standard error and copies what it shows.
    let shell = format!(
        "'{}' audit {range} --format json >/dev/null",
        env!("CARGO_BIN_EXE_conflictguard")
    );
    let shown = repo
        .command("script", &["-qec", &shell, "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    let screen = String::from_utf8_lossy(&shown.stdout);
    assert!(
        screen.contains("\rconflictguard: audit 25/25 merges"),
        "{screen:?}"
    );
    assert!(
        screen.trim_end_matches(['\r', '\n']).ends_with(' '),
        "the line is erased at the end: {screen:?}"
    );
}

#[test]
fn a_parallel_audit_reports_exactly_what_a_sequential_one_does() {
    // Twelve merges, each resolving a conflict by keeping the topic's stale file: a finding each.
    let repo = TestRepo::new("main");
    for n in 0..12 {
        repo.write(
            &format!("f{n}.js"),
            &format!("const KEEP_{n} = 1;\nconst OLD_{n} = 2;\n"),
        );
    }
    let root = repo.commit_all("Base");
    for n in 0..12 {
        repo.git(&["checkout", "-q", "-b", &format!("topic{n}")]);
        repo.write(
            &format!("f{n}.js"),
            &format!("const KEEP_{n} = 3;\nconst OLD_{n} = 2;\n"),
        );
        repo.commit_all(&format!("Topic {n}"));
        repo.git(&["checkout", "-q", "main"]);
        repo.write(&format!("f{n}.js"), &format!("const KEEP_{n} = 1;\n"));
        repo.commit_all(&format!("Remove OLD_{n}"));
        repo.git_output(&["merge", "-q", "--no-edit", &format!("topic{n}")]);
        repo.git(&["checkout", "--theirs", "--", &format!("f{n}.js")]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    }
    let range = format!("{}..HEAD", root.trim());
    let run = |threads: &str| {
        repo.command(
            env!("CARGO_BIN_EXE_conflictguard"),
            &["audit", &range, "--format", "json"],
        )
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("conflictguard runs")
    };
    let sequential = run("1");
    let parallel = run("4");
    let report = json(&sequential);
    let names: Vec<&str> = report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|f| f["identifier"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<String> = (0..12).map(|n| format!("OLD_{n}")).collect();
    assert_eq!(names, expected, "oldest merge first");
    assert_eq!(
        String::from_utf8_lossy(&sequential.stdout),
        String::from_utf8_lossy(&parallel.stdout)
    );
    assert_eq!(sequential.status.code(), parallel.status.code());
}

#[test]
fn explain_alone_lists_every_rule() {
    let repo = TestRepo::new("main");
    let output = repo.conflictguard(&["explain"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    for code in ["CG001", "CG002", "CG003", "CG004", "CG005"] {
        assert!(text.contains(code), "{text}");
    }
    assert!(text.contains("re-added-after-removal"), "{text}");
}

/// `A...B` means what git means: the merges reachable from either side but not from both.
#[test]
fn audit_takes_a_symmetric_range_as_git_does() {
    let repo = stale_merge();
    let stale = repo.git(&["rev-parse", "HEAD"]);
    // A merge on main that the feature branch does not have.
    repo.git(&["checkout", "-q", "-b", "side", "main~1"]);
    repo.write("src/side.js", "const SIDE = 1;\n");
    repo.commit_all("Side");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    let main_merge = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["checkout", "-q", "feature"]);
    let output = repo.conflictguard(&["audit", "main...feature", "--format", "json"]);
    let report = json(&output);
    let results: Vec<&str> = report["merges"]
        .as_array()
        .expect("merges")
        .iter()
        .filter_map(|m| m["result"].as_str())
        .collect();
    assert_eq!(results.len(), 2, "{report}");
    assert!(results.contains(&stale.as_str()), "{results:?}");
    assert!(results.contains(&main_merge.as_str()), "{results:?}");
    assert_eq!(output.status.code(), Some(1), "the stale merge is reported");
}

#[test]
fn a_dry_run_that_would_fast_forward_says_so() {
    let repo = TestRepo::new("main");
    repo.write("src/a.js", "const A = 1;\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/a.js", "const A = 2;\n");
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    let output = repo.conflictguard(&["check", "feature"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("a fast-forward"), "{text}");
    let merged = repo.conflictguard(&["check", "main", "--into", "feature"]);
    assert!(String::from_utf8_lossy(&merged.stdout).contains("already up to date"));
}

/// Every documented JSON field is present even when empty or unknown, so consumers need no
/// defaults.
#[test]
fn json_carries_every_documented_field() {
    let repo = stale_merge();
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    let merge = &report["merges"][0];
    for field in [
        "result",
        "ours",
        "theirs",
        "bases",
        "conflicts",
        "at_risk",
        "findings",
        "notes",
        "not_analysed",
    ] {
        assert!(merge.get(field).is_some(), "merge lacks {field}: {merge}");
    }
    let finding = &report["findings"][0];
    for field in [
        "rule",
        "name",
        "severity",
        "identifier",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "merge",
        "removed_by",
        "origin",
        "message",
        "scope",
    ] {
        assert!(
            finding.get(field).is_some(),
            "finding lacks {field}: {finding}"
        );
    }
    for field in ["side", "branch", "commit", "summary", "author", "date"] {
        assert!(
            finding["removed_by"].get(field).is_some(),
            "removed_by lacks {field}"
        );
    }
    let dry = json(&incident().conflictguard(&["check", "main", "--format", "json"]));
    let at_risk = &dry["merges"][0]["at_risk"][0]["removed_by"];
    assert!(at_risk["commit"].is_null(), "{at_risk}");
    for field in [
        "merges",
        "files",
        "findings",
        "errors",
        "warnings",
        "analysed_files",
        "unanalysed",
    ] {
        assert!(
            report["summary"].get(field).is_some(),
            "summary lacks {field}"
        );
    }
}

/// A method the file only calls (`res.text()`) is not a name the dry run warns about.
#[test]
fn library_members_are_not_at_risk() {
    let repo = TestRepo::new("main");
    let base =
        "const LEGACY = 1;\nasync function load(res) {\n  return res.text();\n}\nconst T = 30;\n";
    repo.write("src/a.js", base);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/a.js", &base.replace("T = 30", "T = 60"));
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/a.js", "const T = 30;\n");
    repo.commit_all("Main drops LEGACY and load");
    repo.git(&["checkout", "-q", "feature"]);
    let report = json(&repo.conflictguard(&["check", "main", "--format", "json"]));
    let names: Vec<&str> = report["merges"][0]["at_risk"]
        .as_array()
        .expect("at_risk")
        .iter()
        .filter_map(|r| r["identifier"].as_str())
        .collect();
    assert!(names.contains(&"LEGACY"), "{names:?}");
    assert!(names.contains(&"load"), "{names:?}");
    assert!(!names.contains(&"text"), "{names:?}");
}

#[test]
fn demo_keep_leaves_the_repository() {
    let home = tempfile::tempdir().expect("temp");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    common::clean_env(&mut command, home.path());
    let output = command
        .args(["demo", "--keep"])
        .output()
        .expect("demo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let kept = stdout
        .lines()
        .find_map(|line| line.strip_prefix("The repository is kept in "))
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("no kept path in {stdout}"));
    let path = std::path::Path::new(kept);
    assert!(path.join(".git").is_dir(), "{kept}");
    std::fs::remove_dir_all(path).expect("clean up the kept demo");
}

/// A Python module both sides change: main deletes `legacy_total`, feature edits `run`. The
/// merge commits `result` (with `run` as feature wrote it) and is audited.
fn legacy_total_merge(result: &str) -> serde_json::Value {
    let repo = TestRepo::new("main");
    let module = |run: &str, legacy: bool| {
        let legacy = if legacy {
            "\n\ndef legacy_total(items):\n    return sum(items)\n"
        } else {
            ""
        };
        format!("def run(items):\n    return {run}\n{legacy}\n\ndef size(items):\n    return len(items)\n")
    };
    repo.write("calc.py", &module("items", true));
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("calc.py", &module("list(items)", true));
    repo.commit_all("Copy the items");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("calc.py", &module("items", false));
    repo.commit_all("Remove the unused legacy_total");
    repo.git_output(&["merge", "-q", "--no-commit", "feature"]);
    repo.write("calc.py", result);
    repo.git(&["add", "calc.py"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]))
}

#[test]
fn a_result_that_cannot_hold_a_removed_name_is_not_parsed() {
    // The result names `legacy_totals`, a longer identifier, never `legacy_total` itself: no
    // parse can find the removed name in it, so the base and the two parents are parsed and the
    // result is not.
    let report = legacy_total_merge(
        "def run(items):\n    return list(items)\n\n\ndef size(items):\n    legacy_totals = len(items)\n    return legacy_totals\n",
    );
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    assert_eq!(parsed_blobs(&report), 3, "{report}");
}

#[test]
fn a_result_that_holds_a_removed_name_is_parsed_and_reported() {
    // The loud twin: the resolution keeps feature's `legacy_total` beside its own `size` change.
    let report = legacy_total_merge(
        "def run(items):\n    return list(items)\n\n\ndef legacy_total(items):\n    return sum(items)\n\n\ndef size(items):\n    legacy_totals = len(items)\n    return legacy_totals\n",
    );
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["rule"], "CG001");
    assert_eq!(findings[0]["identifier"], "legacy_total");
    assert_eq!(parsed_blobs(&report), 4, "{report}");
}
