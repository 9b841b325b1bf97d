//! CG004 conflict-marker: a line of the result that starts a conflict marker and stands in neither
//! parent, so the merge wrote it. Read in every file whose result differs from both parents,
//! whatever its language: no parse is needed.

use std::collections::HashSet;

use super::{Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::{line_starts, Finding, Inside, Origin, Place, Region, Severity};
use crate::merge::align::split_lines;
use crate::merge::{unreadable_note, Checked, MergeContext, Unreadable};

pub const RULE: RuleMeta = RuleMeta {
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
    // What it reports is a marker line, not a name: no allow-list entry or comment names it.
    allowable: false,
    // Each committed conflict block is a thing to fix of its own, whatever its marker.
    one_per_name: false,
    yields_to: &[],
};

pub struct ConflictMarker;

impl Rule for ConflictMarker {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, _repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        let mut checked = Checked::default();
        for file in &merge.files.resolved {
            let Some(result) = merge.blobs.get(file.result) else {
                if let Some(Unreadable::TooLarge(_)) = merge.blobs.unreadable(file.result) {
                    checked.notes.push(unreadable_note(
                        &file.path,
                        merge.blobs.unreadable(file.result),
                        merge.max_file_size,
                    ));
                }
                continue;
            };
            let side_text = |oid: &Option<git2::Oid>| {
                oid.and_then(|oid| merge.blobs.get(oid)).unwrap_or_default()
            };
            checked.findings.extend(findings_in(
                &file.path,
                result,
                side_text(&file.sides.ours),
                side_text(&file.sides.theirs),
                &merge.merge,
            ));
        }
        Ok(checked)
    }
}

/// The findings in `result`, the result's version of `path`: one per committed conflict block
/// (from `<<<<<<<` to `>>>>>>>`, its other markers inside it), and one per marker line outside a
/// block; only marker lines neither parent has count.
pub fn findings_in(
    path: &str,
    result: &[u8],
    ours: &[u8],
    theirs: &[u8],
    merge: &str,
) -> Vec<Finding> {
    let line_starts = line_starts(result);
    let markers = new_markers(result, ours, theirs);
    let mut findings = Vec::new();
    let mut index = 0;
    while let Some(&(line, marker)) = markers.get(index) {
        // A block: an opening marker and the markers up to the closing one.
        let mut end = index;
        if marker == "<<<<<<<" {
            while let Some(&(_, next)) = markers.get(end + 1) {
                if next == "<<<<<<<" {
                    break;
                }
                end += 1;
                if next == ">>>>>>>" {
                    break;
                }
            }
        }
        let block = &markers[index..=end];
        let start = line_starts.get(line).copied().unwrap_or(0);
        let last_line = block.last().map_or(line, |(l, _)| *l);
        let message = if block.len() > 1 {
            format!(
                "a conflict block (lines {}–{}) was committed in {path}",
                line + 1,
                last_line + 1
            )
        } else {
            format!("a conflict marker `{marker}` was committed in {path}")
        };
        let mut finding = Finding::new(
            RULE.id(),
            marker,
            Place {
                path,
                text: result,
                start,
                end: start + marker.len(),
            },
            merge,
            message,
        );
        finding.origin = Some(Origin::Resolution);
        finding.help = Some("finish resolving the conflict and remove the marker lines".into());
        if block.len() > 1 {
            finding.region = Some(Region {
                start_line: line as u32 + 1,
                end_line: last_line as u32 + 1,
            });
            finding.inside = block[1..]
                .iter()
                .map(|(l, m)| Inside {
                    identifier: (*m).to_string(),
                    line: *l as u32 + 1,
                })
                .collect();
        }
        findings.push(finding);
        index = end + 1;
    }
    findings
}

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
