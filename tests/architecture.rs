//! The shape of the crate: its top-level modules must form no cycle, so that layers point one way
//! (commands → analysis → rules → merge → git, syntax → lang → finding). A lower module that
//! reaches up (`finding` naming a git type, `lang` naming the parser) fails here with the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src is readable");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/merge/file.rs` → `merge`), or `None` for
/// the crate root and the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The top-level modules that `text` names through `crate::`, in paths and in `use crate::{…}`.
fn modules_named(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c};`: the first word of each top-level item of the group.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        named.insert(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

#[test]
fn top_level_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let targets = edges.entry(module.clone()).or_default();
        for named in modules_named(&text) {
            if named != module {
                targets.insert(named);
            }
        }
    }
    let modules: BTreeSet<String> = edges.keys().cloned().collect();
    for targets in edges.values_mut() {
        targets.retain(|target| modules.contains(target));
    }
    assert!(edges.len() >= 10, "the scan found the modules: {edges:?}");

    // Depth-first search with colours; a grey node reached again closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&str, Colour> =
        edges.keys().map(|m| (m.as_str(), Colour::White)).collect();
    for start in edges.keys() {
        if colour[start.as_str()] != Colour::White {
            continue;
        }
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(
            start.as_str(),
            edges[start].iter().map(String::as_str).collect(),
        )];
        colour.insert(start, Colour::Grey);
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(next) => match colour[next] {
                    Colour::White => {
                        colour.insert(next, Colour::Grey);
                        stack.push((next, edges[next].iter().map(String::as_str).collect()));
                    }
                    Colour::Grey => {
                        let path: Vec<&str> = stack.iter().map(|(n, _)| *n).collect();
                        let from = path.iter().position(|n| *n == next).unwrap_or(0);
                        panic!(
                            "the top-level modules form a cycle: {} → {next}",
                            path[from..].join(" → ")
                        );
                    }
                    Colour::Black => {}
                },
                None => {
                    colour.insert(node, Colour::Black);
                    stack.pop();
                }
            }
        }
    }
}

#[test]
fn the_scan_sees_grouped_and_plain_paths() {
    let named = modules_named(
        "use crate::{error::Result, finding::{Finding, Side}};\nlet x = crate::git::blob_at(t, p);",
    );
    let expected: BTreeSet<String> = ["error", "finding", "git"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(named, expected);
}
