//! Four byte strings in, findings out: the per-file analysis (`findings_in_four_texts`) on whatever the
//! fuzzer makes, checking that it never panics, hangs or grows without bound, that it is
//! deterministic, that swapping the parents swaps the sides and nothing else, that every finding
//! points at its identifier in the result, and that parsing a version incrementally from the base's
//! syntax tree finds exactly what a fresh parse finds, and that conflictguard's own matcher of the
//! occurrence queries finds exactly the matches tree-sitter's query cursor finds in each version.
//!
//! Input: one selector byte, then base, ours, theirs and result separated by 0xFF (a byte no UTF-8
//! text holds). Selector bit 0 picks Python over JavaScript; bits 1 and 2 delete ours or theirs;
//! with bit 7 set, bits 3 to 6 pick one of the other file kinds instead ([`OTHER_KINDS`]: TypeScript,
//! TSX and the settings formats). Inputs from before bit 7 had a meaning never set it.

#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use conflictguard::analysis::findings_in_four_texts;
use conflictguard::finding::{Finding, Side};
use conflictguard::lang::{pattern::Differential, Reader};
use conflictguard::syntax::{self, Earlier, ParsedFile};
use libfuzzer_sys::fuzz_target;

type Key = (&'static str, String, u32, u32, Option<Side>);

/// The paths bit 7 of the selector picks from, by bits 3 to 6.
const OTHER_KINDS: &[&str] = &[
    "f.ts",
    "f.tsx",
    "f.json",
    "f.yaml",
    "f.toml",
    ".env",
    "requirements.txt",
    "package.json",
    "pyproject.toml",
    "docker-compose.yml",
];

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

/// Each code language's queries, compiled by tree-sitter and read by conflictguard (once: a
/// tree-sitter compilation takes tens of milliseconds).
fn differentials(language: &'static conflictguard::lang::Language) -> &'static [Differential] {
    static ALL: OnceLock<Mutex<HashMap<&'static str, &'static [Differential]>>> = OnceLock::new();
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    all.entry(language.name()).or_insert_with(|| {
        let Reader::Query { grammar, query, .. } = &language.profile.reader else {
            return &[];
        };
        let grammar = grammar();
        let compiled: Vec<Differential> = [Some(*query), language.profile.reader_query]
            .into_iter()
            .flatten()
            .map(|query| Differential::new(&grammar, query).expect("the query compiles"))
            .collect();
        Vec::leak(compiled)
    })
}

/// Parses `text` (after a byte-order mark) and asserts that both readings of every query of the
/// language match the same.
fn same_matches(language: &'static conflictguard::lang::Language, text: &[u8]) {
    let Some(grammar) = language.grammar() else {
        return;
    };
    let differentials = differentials(language);
    if differentials.is_empty() {
        return;
    }
    let source = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(grammar).is_err() {
        return;
    }
    let Some(tree) = parser.parse(source, None) else {
        return;
    };
    for differential in differentials {
        let (missed, extra) = differential.disagreements(&tree, source);
        assert!(
            missed.is_empty() && extra.is_empty(),
            "the pattern matcher differs from tree-sitter: tree-sitter only {missed:?}, conflictguard only {extra:?}"
        );
    }
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
    let path = if selector & 0x80 != 0 {
        OTHER_KINDS[usize::from((selector >> 3) & 0x0F) % OTHER_KINDS.len()]
    } else if selector & 1 == 0 {
        "f.js"
    } else {
        "f.py"
    };
    let ours = (selector & 2 == 0).then_some(ours);
    let theirs = (selector & 4 == 0).then_some(theirs);

    if let Some(language) = conflictguard::lang::for_path(path) {
        let summary = |parsed: &ParsedFile| {
            let mut all: Vec<String> = parsed
                .occurrences
                .iter()
                .map(|o| format!("{o:?}"))
                .collect();
            all.push(format!("{} {}", parsed.has_syntax_error, parsed.failed));
            all
        };
        for version in [Some(base), ours, theirs, Some(result)]
            .into_iter()
            .flatten()
        {
            same_matches(language, version);
        }
        let limit = syntax::PARSE_TIME_LIMIT;
        if let (base_parsed, Some(tree)) = syntax::parse_from(language, base, None, limit) {
            for version in [ours, theirs, Some(result)].into_iter().flatten() {
                // With the base's occurrences: a Python, JavaScript or TypeScript version is spliced
                // where it can be.
                let earlier = Earlier {
                    text: base,
                    tree: Some(&tree),
                    parsed: Some(&base_parsed),
                };
                let (incremental, _) = syntax::parse_from(language, version, Some(earlier), limit);
                let fresh = syntax::parse(language, version);
                assert_eq!(
                    summary(&incremental),
                    summary(&fresh),
                    "incremental parse differs"
                );
            }
        }
    }

    let findings = findings_in_four_texts(path, base, ours, theirs, result);
    let again = findings_in_four_texts(path, base, ours, theirs, result);
    assert_eq!(keys(&findings), keys(&again), "not deterministic");

    let swapped = findings_in_four_texts(path, base, theirs, ours, result);
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
