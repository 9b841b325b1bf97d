//! Runs every case under `fixtures/`: builds a real repository from its `base/`, `ours/`,
//! `theirs/` and `result/` trees with a real `git merge`, audits the merge commit, and compares the
//! findings with `expected.json`. Adding a case needs no code.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{json, TestRepo};
use serde_json::Value;

fn text<'a>(value: &'a Value, key: &str, default: &'a str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or(default)
}

/// Builds the case's merge and returns the audit's JSON report.
fn run_case(case: &Path, expected: &Value) -> Value {
    let ours = text(expected, "ours_branch", "feature");
    let theirs = text(expected, "theirs_branch", "main");
    let repo = TestRepo::new(ours);
    repo.replace_work_tree(&case.join("base"));
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", theirs]);
    repo.replace_work_tree(&case.join("theirs"));
    repo.commit_all(text(expected, "theirs_message", "Their change"));
    repo.git(&["checkout", "-q", ours]);
    repo.replace_work_tree(&case.join("ours"));
    repo.commit_all(text(expected, "ours_message", "Our change"));
    // A conflicted merge exits 1: the resolution below is the case's result tree.
    repo.git_output(&["merge", "--no-ff", "--no-commit", "-q", theirs]);
    assert!(
        repo.path().join(".git/MERGE_HEAD").exists(),
        "{}: git merge did not leave a merge in progress",
        case.display()
    );
    repo.replace_work_tree(&case.join("result"));
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        &format!("Merge branch '{theirs}' into {ours}"),
    ]);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    let code = output.status.code();
    let report = json(&output);
    let has_findings = report["findings"]
        .as_array()
        .is_some_and(|findings| !findings.is_empty());
    assert_eq!(
        code,
        Some(if has_findings { 1 } else { 0 }),
        "{}: exit code does not match the findings",
        case.display()
    );
    report
}

type Key = (String, String, u64, String);

fn key(finding: &Value) -> Key {
    (
        text(finding, "rule", "").to_string(),
        text(finding, "path", "").to_string(),
        finding["line"].as_u64().unwrap_or(0),
        text(finding, "identifier", "").to_string(),
    )
}

/// What is wrong with one case's report, if anything.
fn compare(expected: &Value, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let empty = Vec::new();
    let wanted = expected["findings"].as_array().unwrap_or(&empty);
    let got = report["findings"].as_array().unwrap_or(&empty);
    let wanted_keys: BTreeSet<Key> = wanted.iter().map(key).collect();
    let got_keys: BTreeSet<Key> = got.iter().map(key).collect();
    for missing in wanted_keys.difference(&got_keys) {
        problems.push(format!("missing {missing:?}"));
    }
    for extra in got_keys.difference(&wanted_keys) {
        let message = got
            .iter()
            .find(|f| key(f) == *extra)
            .map(|f| text(f, "message", "").to_string())
            .unwrap_or_default();
        problems.push(format!("unexpected {extra:?}: {message}"));
    }
    for want in wanted {
        let Some(found) = got.iter().find(|f| key(f) == key(want)) else {
            continue;
        };
        if let Some(side) = want.get("side").and_then(Value::as_str) {
            let actual = found["removed_by"]["side"].as_str().unwrap_or("none");
            if actual != side {
                problems.push(format!("{:?}: side {actual}, expected {side}", key(want)));
            }
        }
        if let Some(origin) = want.get("origin").and_then(Value::as_str) {
            let actual = found["origin"].as_str().unwrap_or("none");
            if actual != origin {
                problems.push(format!(
                    "{:?}: origin {actual}, expected {origin}",
                    key(want)
                ));
            }
        }
    }
    let notes: Vec<String> = report["merges"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .flat_map(|merge| merge["notes"].as_array().cloned().unwrap_or_default())
        .map(|note| format!("{} {}", text(&note, "path", ""), text(&note, "message", "")))
        .collect();
    for wanted_note in expected["notes"].as_array().unwrap_or(&empty) {
        let wanted_note = wanted_note.as_str().unwrap_or_default();
        if !notes.iter().any(|note| note.contains(wanted_note)) {
            problems.push(format!(
                "no note contains {wanted_note:?}; notes: {notes:?}"
            ));
        }
    }
    problems
}

#[test]
fn every_fixture_matches_its_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("expected.json").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "only {} fixtures", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected: Value = serde_json::from_slice(
            &std::fs::read(case.join("expected.json")).expect("read expected.json"),
        )
        .unwrap_or_else(|err| panic!("{}: expected.json: {err}", case.display()));
        let report = run_case(case, &expected);
        for problem in compare(&expected, &report) {
            failures.push(format!(
                "{}: {problem}",
                case.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
