//! Runs every case under `fixtures/`: builds a real repository from its `base/`, `ours/`,
//! `theirs/` and `result/` trees with a real `git merge`, audits the merge commit, and compares the
//! findings with `expected.json`. Adding a case needs no code.

mod common;

use std::path::Path;

use common::{audit_case, compare, read_json};

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
