//! CG004 conflict-marker: a line of the result that starts a conflict marker and stands in neither
//! parent, so the merge wrote it.

use std::collections::HashSet;

use super::Rule;
use crate::analysis::align::split_lines;
use crate::finding::Severity;

pub const RULE: Rule = Rule {
    code: "CG004",
    name: "conflict-marker",
    severity: Severity::Error,
    summary: "a conflict marker was committed",
    explanation: "\
## What it does
Reports each line of a merged file that starts a conflict marker (`<<<<<<< `, `=======`,
`>>>>>>> `, `||||||| `) and is not a line of either parent.

## Why is this bad?
A marker left in a file breaks the file, or worse, is valid syntax in some formats and changes what
the file means. Lines that both parents already had (a marker-like line in documentation or a test)
are not reported.

## Example
```
<<<<<<< HEAD
const timeout = 30;
=======
const timeout = 60;
>>>>>>> main
```
",
};

/// The marker a line starts, if any.
pub fn marker(line: &[u8]) -> Option<&'static str> {
    if line == b"=======" || line.starts_with(b"======= ") {
        return Some("=======");
    }
    [
        ("<<<<<<< ", "<<<<<<<"),
        (">>>>>>> ", ">>>>>>>"),
        ("||||||| ", "|||||||"),
    ]
    .into_iter()
    .find(|(prefix, _)| line.starts_with(prefix.as_bytes()))
    .map(|(_, marker)| marker)
}

/// The 0-based lines of `result` that are markers found in neither parent, with the marker.
pub fn new_markers(result: &[u8], ours: &[u8], theirs: &[u8]) -> Vec<(usize, &'static str)> {
    let lines = split_lines(result);
    if !lines.iter().any(|line| marker(line).is_some()) {
        return Vec::new();
    }
    let known: HashSet<&[u8]> = split_lines(ours)
        .into_iter()
        .chain(split_lines(theirs))
        .collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !known.contains(*line))
        .filter_map(|(index, line)| marker(line).map(|m| (index, m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_only_markers_new_to_both_parents() {
        let result = b"a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> main\n";
        let found = new_markers(result, b"a\nb\n", b"a\nc\n");
        assert_eq!(found, vec![(1, "<<<<<<<"), (3, "======="), (5, ">>>>>>>")]);
        let known = new_markers(b"x\n=======\n", b"x\n=======\n", b"x\n");
        assert!(known.is_empty());
        assert!(marker(b"<<<<<<<<").is_none());
        assert!(marker(b"========").is_none());
    }
}
