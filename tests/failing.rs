//! Known-wrong cases, kept apart from `fixtures/` as Mergiraf keeps `tests/failing`: each case
//! under `fixtures-failing/` has the layout of a fixture, an `expected.json` holding the findings
//! we want (its `description` says what is wrong today and why) and a `current.json` holding the
//! findings conflictguard gives today (by rule, path, line and identifier).
//!
//! The test pins today's behaviour, so that any change to it is seen: a case whose report now
//! satisfies `expected.json` has been fixed and moves to `fixtures/` (without `current.json`); a
//! case whose report changed in another way needs its `current.json` updated, and a look at
//! whether the change was meant.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{audit_case, compare, finding_key, read_json, FindingKey};
use serde_json::Value;

fn keys(findings: &Value) -> BTreeSet<FindingKey> {
    findings
        .as_array()
        .map(|findings| findings.iter().map(finding_key).collect())
        .unwrap_or_default()
}

#[test]
fn known_wrong_cases_still_give_their_current_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures-failing");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures-failing/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case in fixtures-failing/");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let expected = read_json(&case.join("expected.json"));
        let current = read_json(&case.join("current.json"));
        assert_ne!(
            keys(&expected["findings"]),
            keys(&current["findings"]),
            "{name}: current.json gives what expected.json wants, so the case is not a wrong one"
        );
        let report = audit_case(case, &expected);
        let got = keys(&report["findings"]);
        if compare(&expected, &report).is_empty() {
            failures.push(format!(
                "{name}: now gives what expected.json wants: move fixtures-failing/{name} to \
                 fixtures/ and delete its current.json"
            ));
        } else if got != keys(&current["findings"]) {
            failures.push(format!(
                "{name}: the findings changed; if that was meant, write them to current.json:\n  \
                 got {got:?}\n  current.json {:?}",
                keys(&current["findings"])
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} known-wrong cases changed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
