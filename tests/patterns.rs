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
        let Reader::Query { grammar, query } = &profile.reader else {
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
