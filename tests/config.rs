//! `.conflictguard.toml` and inline suppressions, in real merges: they silence exactly what they
//! name, say so in a note, and a mistake in the file is exit 2 with its line.

mod common;

use common::{json, TestRepo};

const BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst OLD_TOKEN = 'abc';\nconst TIMEOUT = 30;\n";
const MAIN: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n";
const FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst OLD_TOKEN = 'abc';\nconst TIMEOUT = 60;\n";

/// main removes LEGACY_URL and OLD_TOKEN; the merge into feature keeps `result` as config.js,
/// with `settings` as .conflictguard.toml (committed on both sides from the start).
fn merged(result: &str, settings: Option<&str>) -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write("src/config.js", BASE);
    if let Some(settings) = settings {
        repo.write(".conflictguard.toml", settings);
    }
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/config.js", FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/config.js", MAIN);
    repo.commit_all("Remove LEGACY_URL and OLD_TOKEN");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.write("src/config.js", result);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    repo
}

fn identifiers(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|f| f["identifier"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn notes(report: &serde_json::Value) -> String {
    report["merges"][0]["notes"].to_string()
}

#[test]
fn without_a_file_both_names_are_reported() {
    let repo = merged(FEATURE, None);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(identifiers(&report), ["LEGACY_URL", "OLD_TOKEN"]);
}

#[test]
fn the_allow_list_silences_exactly_the_named_identifier() {
    let settings = "[[allow]]\nname = \"LEGACY_URL\"\nreason = \"the migration still reads it\"\nexpires = \"2999-01-01\"\n";
    let repo = merged(FEATURE, Some(settings));
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    let report = json(&output);
    assert_eq!(identifiers(&report), ["OLD_TOKEN"]);
    assert!(
        notes(&report).contains("the migration still reads it"),
        "{}",
        notes(&report)
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_expired_entry_stops_allowing_and_says_so() {
    let settings =
        "[[allow]]\nname = \"LEGACY_URL\"\nreason = \"until the cut-over\"\nexpires = 2020-01-01\n";
    let repo = merged(FEATURE, Some(settings));
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(identifiers(&report), ["LEGACY_URL", "OLD_TOKEN"]);
    assert!(
        notes(&report).contains("expired on 2020-01-01"),
        "{}",
        notes(&report)
    );
}

#[test]
fn an_inline_comment_allows_only_the_name_it_lists() {
    let result = FEATURE.replace(
        "const LEGACY_URL",
        "// conflictguard: allow LEGACY_URL (read by the migration)\nconst LEGACY_URL",
    );
    let repo = merged(&result, None);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(identifiers(&report), ["OLD_TOKEN"]);
    assert!(notes(&report).contains("inline"), "{}", notes(&report));
}

#[test]
fn rule_severity_fail_on_and_ignored_paths_come_from_the_file() {
    let repo = merged(FEATURE, Some("[rules]\nCG001 = \"warning\"\n"));
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["summary"]["warnings"], 2);
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings do not fail by default"
    );
    let strict = repo.conflictguard(&["audit", "HEAD", "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1), "the command line wins");

    let repo = merged(
        FEATURE,
        Some("fail-on = \"warning\"\n\n[rules]\nCG001 = \"warning\"\n"),
    );
    assert_eq!(
        repo.conflictguard(&["audit", "HEAD"]).status.code(),
        Some(1)
    );

    let repo = merged(FEATURE, Some("ignore = [\"src/**\"]\n"));
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert!(identifiers(&report).is_empty());
    assert!(
        notes(&report).contains("ignores src/**"),
        "{}",
        notes(&report)
    );

    let repo = merged(FEATURE, Some("[languages]\njavascript = false\n"));
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert!(identifiers(&report).is_empty());
}

#[test]
fn a_mistake_in_the_file_is_exit_2_with_its_line() {
    let repo = merged(
        FEATURE,
        Some("mainline = \"main\"\n\n[rules]\nCG001 = \"loud\"\n"),
    );
    let output = repo.conflictguard(&["audit", "HEAD"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(".conflictguard.toml:4"), "{stderr}");
    assert!(stderr.contains("help"), "{stderr}");
}

#[test]
fn a_file_over_the_parse_time_limit_is_skipped_with_a_note_and_the_limit_is_a_setting() {
    // The kept side plus 8,000 lines of code (under the size limit): parsing it takes far longer
    // than a millisecond.
    let mut result = FEATURE.to_string();
    for i in 0..8_000 {
        result.push_str(&format!(
            "function f{i}(a, b) {{ return a * {i} + b(a); }}\n"
        ));
    }
    let repo = merged(&result, Some("parse-time-limit = 1\n"));
    let limited = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert!(identifiers(&limited).is_empty(), "{limited}");
    assert!(
        notes(&limited).contains("parse time limit"),
        "{}",
        notes(&limited)
    );
    // The command line wins over the file.
    let generous = json(&repo.conflictguard(&[
        "audit",
        "HEAD",
        "--format",
        "json",
        "--parse-time-limit",
        "60000",
    ]));
    assert_eq!(
        identifiers(&generous),
        vec!["LEGACY_URL".to_string(), "OLD_TOKEN".to_string()]
    );
    assert!(!notes(&generous).contains("parse time limit"));
}

#[test]
fn a_base_over_the_parse_time_limit_still_says_the_file_was_not_analysed() {
    // main removes LEGACY_URL from a file too long to parse in a millisecond, and the merge's
    // result does not name it: what main removed is unknown, so the result is parsed, and its
    // note says the file was skipped, rather than the file passing unread.
    let mut base = String::from("const LEGACY_URL = 'https://legacy.example.com';\n");
    for i in 0..8_000 {
        base.push_str(&format!(
            "function f{i}(a, b) {{ return a * {i} + b(a); }}\n"
        ));
    }
    let repo = TestRepo::new("main");
    repo.write("src/big.js", &base);
    repo.write(".conflictguard.toml", "parse-time-limit = 1\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "src/big.js",
        &format!("{base}function g() {{ return 1; }}\n"),
    );
    repo.commit_all("Add g");
    repo.git(&["checkout", "-q", "main"]);
    let main = base.replacen("const LEGACY_URL = 'https://legacy.example.com';\n", "", 1);
    repo.write("src/big.js", &main);
    repo.commit_all("Remove LEGACY_URL");
    repo.git_output(&["merge", "-q", "--no-edit", "feature"]);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert!(identifiers(&report).is_empty(), "{report}");
    assert!(
        notes(&report).contains("parse time limit"),
        "{}",
        notes(&report)
    );
}
