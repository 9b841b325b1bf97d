//! Runs every case under `fixtures/`: builds a real repository from its `base/`, `ours/`,
//! `theirs/` and `result/` trees with a real `git merge`, audits the merge commit, and compares the
//! findings with `expected.json`. Adding a case needs no code.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{audit_case, finding_key, read_json, text, FindingKey};
use serde_json::Value;

/// What is wrong with one case's report, if anything.
fn compare(expected: &Value, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let empty = Vec::new();
    let wanted = expected["findings"].as_array().unwrap_or(&empty);
    let got = report["findings"].as_array().unwrap_or(&empty);
    let wanted_keys: BTreeSet<FindingKey> = wanted.iter().map(finding_key).collect();
    let got_keys: BTreeSet<FindingKey> = got.iter().map(finding_key).collect();
    for missing in wanted_keys.difference(&got_keys) {
        problems.push(format!("missing {missing:?}"));
    }
    for extra in got_keys.difference(&wanted_keys) {
        let message = got
            .iter()
            .find(|f| finding_key(f) == *extra)
            .map(|f| text(f, "message", "").to_string())
            .unwrap_or_default();
        problems.push(format!("unexpected {extra:?}: {message}"));
    }
    for want in wanted {
        let Some(found) = got.iter().find(|f| finding_key(f) == finding_key(want)) else {
            continue;
        };
        if let Some(side) = want.get("side").and_then(Value::as_str) {
            let actual = found["removed_by"]["side"].as_str().unwrap_or("none");
            if actual != side {
                problems.push(format!(
                    "{:?}: side {actual}, expected {side}",
                    finding_key(want)
                ));
            }
        }
        if let Some(origin) = want.get("origin").and_then(Value::as_str) {
            let actual = found["origin"].as_str().unwrap_or("none");
            if actual != origin {
                problems.push(format!(
                    "{:?}: origin {actual}, expected {origin}",
                    finding_key(want)
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
        let expected = read_json(&case.join("expected.json"));
        let report = audit_case(case, &expected);
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
