//! conflictguard matches the occurrence queries itself (src/lang/pattern.rs); this test holds it
//! to tree-sitter's own query cursor: every match of every query of every language, over every
//! file of the fixtures and every query example, found by one is found by the other. A folder
//! named by `CONFLICTGUARD_PATTERN_CORPUS` is walked as well (a checkout of a real project), for
//! a wider check by hand.

use std::path::{Path, PathBuf};

use conflictguard::lang::{self, pattern, Reader};

fn files_under(root: &Path, found: &mut Vec<PathBuf>) {
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with(".git") && !path.ends_with("node_modules") {
                    pending.push(path);
                }
            } else {
                found.push(path);
            }
        }
    }
}

#[test]
fn every_query_matches_what_tree_sitter_matches() {
    let mut files = Vec::new();
    files_under(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
        &mut files,
    );
    if let Some(corpus) = std::env::var_os("CONFLICTGUARD_PATTERN_CORPUS") {
        files_under(Path::new(&corpus), &mut files);
    }
    files.sort();
    let mut compared = 0usize;
    let mut failures = Vec::new();
    for profile in lang::PROFILES {
        let Reader::Query { grammar, query, .. } = &profile.reader else {
            continue;
        };
        let grammar = grammar();
        let queries: Vec<pattern::Differential> = [Some(*query), profile.reader_query]
            .into_iter()
            .flatten()
            .map(|query| {
                pattern::Differential::new(&grammar, query)
                    .unwrap_or_else(|err| panic!("{}: {err}", profile.name))
            })
            .collect();
        let mut texts: Vec<(String, Vec<u8>)> = profile
            .examples
            .iter()
            .map(|example| {
                (
                    format!("example {}", example.path),
                    example.source.as_bytes().to_vec(),
                )
            })
            .collect();
        for path in &files {
            let name = path.to_string_lossy();
            if lang::profile_for_path(&name).is_some_and(|p| p.name == profile.name) {
                if let Ok(text) = std::fs::read(path) {
                    texts.push((name.into_owned(), text));
                }
            }
        }
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&grammar).expect("the grammar loads");
        for (name, text) in &texts {
            let Some(tree) = parser.parse(text, None) else {
                continue;
            };
            for query in &queries {
                let (missed, extra) = query.disagreements(&tree, text);
                compared += 1;
                if !missed.is_empty() || !extra.is_empty() {
                    failures.push(format!(
                        "{} ({}): tree-sitter only {:?}; conflictguard only {:?}",
                        name,
                        profile.name,
                        missed.iter().take(3).collect::<Vec<_>>(),
                        extra.iter().take(3).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(compared > 500, "only {compared} files compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} disagree:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{compared} file-and-query pairs match tree-sitter's matches exactly");
}

/// Inputs made to reach the corners of tree-sitter's semantics the fixtures do not: error
/// recovery under a wildcard (`module_name: (_)` over an ERROR node), MISSING nodes, a comment
/// before an anchored child, anonymous nodes between anchored ones, deep nesting.
#[test]
fn the_corners_of_the_semantics_match_tree_sitter() {
    let cases: &[(&str, &str)] = &[
        (
            "a.py",
            "from ((( import x\nfrom . import (y\nimport a.b as\n",
        ),
        (
            "a.py",
            "os.getenv(# c\n 'X')\nos.environ.get('Y'\nos.environ['Z'\n",
        ),
        (
            "a.py",
            "class A:\n    def f(self:\n        pass\n    @d\n    def g(self): pass\n",
        ),
        (
            "a.py",
            &format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300)),
        ),
        (
            "a.js",
            "const { A } = require(/* c */ 'm');\nconst b = require('n'\nprocess.env.\n",
        ),
        (
            "a.js",
            "import { a as } from 'x';\nexport { b as c } from\nclass { m( }\n",
        ),
        (
            "a.js",
            &format!("f({}0{});\n", "[".repeat(300), "]".repeat(300)),
        ),
        (
            "a.ts",
            "import type { T } from 'x';\ninterface I { m(: string }\nenum E { A = , B }\n",
        ),
        (
            "a.ts",
            "function f(public x, readonly y?: , override z) {}\nconst { X } = import.meta.env\n",
        ),
        (
            "a.tsx",
            "const a = <A b={c} />;\nexport type { D } from './d'\nmodule 'm' {\n",
        ),
    ];
    for (path, source) in cases {
        let profile = lang::profile_for_path(path).expect("a code language");
        let Reader::Query { grammar, query, .. } = &profile.reader else {
            panic!("{path} is read by a query");
        };
        let grammar = grammar();
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&grammar).expect("the grammar loads");
        let tree = parser.parse(source, None).expect("a tree");
        for query in [Some(*query), profile.reader_query].into_iter().flatten() {
            let differential = pattern::Differential::new(&grammar, query).expect("both read it");
            let (missed, extra) = differential.disagreements(&tree, source.as_bytes());
            assert!(
                missed.is_empty() && extra.is_empty(),
                "{path} {source:?}: tree-sitter only {missed:?}; conflictguard only {extra:?}"
            );
        }
    }
}

/// What the matcher does not support is refused when a query is read, never matched otherwise.
#[test]
fn unsupported_query_syntax_is_refused() {
    let grammar: tree_sitter::Language = tree_sitter_javascript::LANGUAGE.into();
    for (query, why) in [
        ("(identifier)* @a", "quantifiers"),
        ("(call_expression !arguments) @a", "negated fields"),
        ("(arguments (identifier) @a .)", "trailing anchor"),
        ("(no_such_kind) @a", "unknown node kind"),
        (
            "(call_expression nosuchfield: (identifier) @a)",
            "unknown field",
        ),
        ("(expression) @a", "supertype"),
        ("((identifier) @a (#set! x y))", "unsupported predicate"),
        (
            "((identifier) @a (identifier) @b)",
            "group of several patterns",
        ),
        ("(MISSING identifier) @a", "MISSING"),
        ("(identifier", "unclosed"),
    ] {
        assert!(
            pattern::Patterns::new(&grammar, query).is_err(),
            "{why}: {query} was accepted"
        );
    }
    assert!(pattern::Patterns::new(&grammar, "((identifier) @a (#eq? @a \"x\"))").is_ok());
}
