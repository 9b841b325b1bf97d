//! Four byte strings in, findings out: the per-file analysis (`analyse_texts`) on whatever the
//! fuzzer makes, checking that it never panics, hangs or grows without bound, that it is
//! deterministic, that swapping the parents swaps the sides and nothing else, and that every finding
//! points at its identifier in the result.
//!
//! Input: one selector byte, then base, ours, theirs and result separated by 0xFF (a byte no UTF-8
//! text holds). Selector bit 0 picks Python over JavaScript; bits 1 and 2 delete ours or theirs.

#![no_main]

use conflictguard::analysis::analyse_texts;
use conflictguard::finding::{Finding, Side};
use libfuzzer_sys::fuzz_target;

type Key = (&'static str, String, u32, u32, Option<Side>);

fn keys(findings: &[Finding]) -> Vec<Key> {
    let mut keys: Vec<Key> = findings
        .iter()
        .map(|f| {
            (
                f.rule,
                f.identifier.clone(),
                f.line,
                f.column,
                f.removed_by.as_ref().map(|r| r.side),
            )
        })
        .collect();
    keys.sort();
    keys
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(4, |&byte| byte == 0xFF);
    let base = parts.next().unwrap_or_default();
    let ours = parts.next().unwrap_or_default();
    let theirs = parts.next().unwrap_or_default();
    let result = parts.next().unwrap_or_default();
    let path = if selector & 1 == 0 { "f.js" } else { "f.py" };
    let ours = (selector & 2 == 0).then_some(ours);
    let theirs = (selector & 4 == 0).then_some(theirs);

    let findings = analyse_texts(path, base, ours, theirs, result);
    let again = analyse_texts(path, base, ours, theirs, result);
    assert_eq!(keys(&findings), keys(&again), "not deterministic");

    let swapped = analyse_texts(path, base, theirs, ours, result);
    let mut expected: Vec<Key> = keys(&findings)
        .into_iter()
        .map(|(rule, name, line, column, side)| (rule, name, line, column, side.map(Side::other)))
        .collect();
    expected.sort();
    assert_eq!(
        keys(&swapped),
        expected,
        "swapping the parents changed more than the sides"
    );

    let lines: Vec<&[u8]> = result.split(|&byte| byte == b'\n').collect();
    for finding in &findings {
        let line = finding.line as usize;
        assert!(line >= 1 && line <= lines.len(), "line {line} out of range");
        let text = String::from_utf8_lossy(lines[line - 1]);
        assert!(
            text.contains(finding.identifier.as_str()),
            "{} `{}` is not on line {line}: {text:?}",
            finding.rule,
            finding.identifier
        );
    }
});
