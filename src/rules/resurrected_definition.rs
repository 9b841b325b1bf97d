//! CG001 resurrected-definition, and the detection it shares with CG002: in a file that one side
//! changed and whose result differs from that side's version, the names that side removed from the
//! file and the result has again — except on lines the other side wrote as new code (precision
//! rule 3) and occurrences of another kind than the name had at the base (precision rule 4).

use std::collections::HashSet;

use super::Rule;
use crate::analysis::{FileMerge, Labels};
use crate::finding::{Origin, Severity, Side};
use crate::symbols::{NameKind, Occurrence, ParsedFile};

pub const RULE: Rule = Rule {
    code: "CG001",
    name: "resurrected-definition",
    severity: Severity::Error,
    summary: "a definition that one side removed from a file is back in the merge result",
    explanation: "\
## What it does
Reports a name (function, class, variable, constant, import, export, object key, attribute) that one
side of a merge removed from a file — present at the merge base, absent on that side — and that the
merge result defines in that file again. A file that one side deleted and the result keeps is one
finding for the file.

Detection is symmetric: a deletion by either parent counts, so merging `main` into a feature branch
is checked exactly like merging the branch into `main`.

Not reported: an occurrence on a line the other side wrote as new code (a hunk that removed no line
naming it), and an occurrence of another kind than the name had at the base (a removed
`express.bodyParser` property is not a new local `bodyParser` variable).

## Why is this bad?
The deletion was deliberate: nothing used the name any more, or what it pointed at is gone. A
conflict resolved by keeping the stale side brings it back silently: the result equals one parent,
so `git show --cc` prints nothing, linters see a defined name, and tests that mock the service pass.

## Example
`main` removes `LEGACY_QUOTE_URL` from `src/config.js`. The feature branch edited the next line, so
merging `main` into it conflicts; the conflict is resolved by keeping the feature's side. The
constant — pointing at a service that no longer exists — is live again.
",
};

/// One resurrection found in a file, before provenance is added.
pub struct Detection<'a> {
    pub rule: &'static Rule,
    pub occurrence: &'a Occurrence,
    pub origin: Origin,
    pub message: String,
    pub help: Option<String>,
}

/// The kinds (plain, member) a name has among a file's occurrences.
fn kinds_of(parsed: &ParsedFile, name: &str) -> HashSet<NameKind> {
    parsed.occurrences_of(name).map(|o| o.role.kind()).collect()
}

/// Finds the resurrections in one file that side `removed_by` changed.
pub fn detect<'a>(file: &FileMerge<'a>, removed_by: Side, labels: &Labels) -> Vec<Detection<'a>> {
    let Some(base) = file.base.parsed else {
        return Vec::new();
    };
    let Some(result) = file.result.parsed else {
        return Vec::new();
    };
    let remover = labels.side(removed_by);
    let keeper = labels.side(removed_by.other());

    let Some(side_version) = file.side(removed_by) else {
        return resurrected_file(file, removed_by, labels);
    };
    let Some(side_parsed) = side_version.parsed else {
        return Vec::new();
    };

    let mut removed: Vec<&str> = base
        .names()
        .filter(|name| !side_parsed.contains(name) && result.contains(name))
        .collect();
    removed.sort_unstable();

    let mut detections = Vec::new();
    for name in removed {
        let base_kinds = kinds_of(base, name);
        let mut stale = Vec::new();
        let mut fresh = Vec::new();
        for occurrence in result.occurrences_of(name) {
            if !base_kinds.contains(&occurrence.role.kind()) {
                continue;
            }
            if file.is_new_code(removed_by.other(), occurrence.line as usize, name) {
                fresh.push(occurrence);
            } else {
                stale.push(occurrence);
            }
        }
        if let Some(first) = stale
            .iter()
            .find(|o| o.role.is_definition())
            .or(stale.first())
        {
            let defines = first.role.is_definition();
            let origin = file.origin(first.line as usize, removed_by.other());
            let what = if defines { "defines" } else { "uses" };
            let how = match origin {
                Origin::OursUnchanged | Origin::TheirsUnchanged => {
                    format!("{keeper}'s unchanged line was kept (stale side kept)")
                }
                Origin::OursModified | Origin::TheirsModified => {
                    format!("deleted on {remover}, modified on {keeper}: a human must decide")
                }
                Origin::Resolution => "the line was written in the resolution".to_string(),
            };
            let more = stale.len() - 1;
            let more = match more {
                0 => String::new(),
                1 => " (and 1 more occurrence)".to_string(),
                n => format!(" (and {n} more occurrences)"),
            };
            detections.push(Detection {
                rule: if defines {
                    &RULE
                } else {
                    &super::resurrected_reference::RULE
                },
                occurrence: first,
                origin,
                message: format!(
                    "`{name}` was removed from {} on {remover}, and the merge {what} it again{more}: {how}",
                    file.base.path
                ),
                help: None,
            });
        } else if let Some(first) = fresh.first() {
            let dangling = !result.defines(name) && base.defines(name);
            if dangling {
                detections.push(Detection {
                    rule: &super::use_of_removed_identifier::RULE,
                    occurrence: first,
                    origin: file.origin(first.line as usize, removed_by.other()),
                    message: format!(
                        "{keeper} adds a use of `{name}` in {}, which {remover} removed from this file: nothing here defines or imports it any more",
                        file.result.path
                    ),
                    help: None,
                });
            }
        }
    }
    detections
}

/// A file the removing side deleted and the result keeps: one finding for the file.
fn resurrected_file<'a>(
    file: &FileMerge<'a>,
    removed_by: Side,
    labels: &Labels,
) -> Vec<Detection<'a>> {
    let Some(result) = file.result.parsed else {
        return Vec::new();
    };
    let definitions: Vec<&Occurrence> = result
        .occurrences
        .iter()
        .filter(|o| o.role.is_definition() && o.role != crate::symbols::Role::Parameter)
        .collect();
    let Some(first) = definitions.first().copied().or(result.occurrences.first()) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = definitions.iter().map(|o| o.name.as_str()).collect();
    let mut seen = HashSet::new();
    names.retain(|name| seen.insert(*name));
    let listed = names.len().min(8);
    let mut list = names[..listed]
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > listed {
        list.push_str(&format!(" and {} more", names.len() - listed));
    }
    let remover = labels.side(removed_by);
    let message = if list.is_empty() {
        format!(
            "{} was deleted on {remover}, and the merge keeps the file",
            file.base.path
        )
    } else {
        format!(
            "{} was deleted on {remover}, and the merge keeps the file, defining {list} again",
            file.base.path
        )
    };
    vec![Detection {
        rule: if first.role.is_definition() {
            &RULE
        } else {
            &super::resurrected_reference::RULE
        },
        occurrence: first,
        origin: file.origin(first.line as usize, removed_by.other()),
        message,
        help: Some(
            "delete the file again, or restore it deliberately in a commit of its own".into(),
        ),
    }]
}
