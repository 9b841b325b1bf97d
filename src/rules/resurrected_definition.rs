//! CG001 resurrected-definition, and the detection it shares with CG002: in a file that one side
//! changed and whose result differs from that side's version, the names that side removed from the
//! file and the result has again — except on lines the other side wrote as new code (precision
//! rule 3) and occurrences of another kind than the name had at the base (precision rule 4).

use std::collections::HashSet;

use super::Rule;
use crate::analysis::{FileMerge, Labels};
use crate::finding::{Origin, Severity, Side};
use crate::symbols::{NameKind, Occurrence, ParsedFile, Role};

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
    fold_into_resurrected_scopes(file, removed_by, labels, detections)
}

/// A function, class or method that comes back brings its parameters, locals and attributes with
/// it: report the scope once, naming the definitions it brings back, rather than every name inside
/// it. When the other side modified any of those folded lines, the scope was modified, not kept.
fn fold_into_resurrected_scopes<'a>(
    file: &FileMerge<'a>,
    removed_by: Side,
    labels: &Labels,
    detections: Vec<Detection<'a>>,
) -> Vec<Detection<'a>> {
    let scopes: HashSet<&str> = detections
        .iter()
        .filter(|d| is_scope(d))
        .map(|d| d.occurrence.name.as_str())
        .collect();
    if scopes.is_empty() {
        return detections;
    }
    let scope_of = |detection: &Detection<'_>| -> Option<String> {
        let scope = detection.occurrence.scope.as_deref()?;
        scope
            .split('.')
            .find(|part| scopes.contains(part))
            .map(str::to_string)
    };
    let mut folded: Vec<(String, &Detection<'a>)> = Vec::new();
    let mut kept = Vec::new();
    let mut inner_detections = Vec::new();
    for detection in detections {
        if scope_of(&detection).is_some() {
            inner_detections.push(detection);
        } else {
            kept.push(detection);
        }
    }
    for detection in &inner_detections {
        if let Some(scope) = scope_of(detection) {
            folded.push((scope, detection));
        }
    }
    for detection in kept.iter_mut().filter(|d| is_scope(d)) {
        let name = detection.occurrence.name.clone();
        let inside: Vec<&Detection<'a>> = folded
            .iter()
            .filter(|(scope, _)| *scope == name)
            .map(|(_, inner)| *inner)
            .collect();
        let modified = file.result.parsed.is_some_and(|result| {
            result.occurrences.iter().any(|o| {
                o.scope
                    .as_deref()
                    .is_some_and(|scope| scope.split('.').any(|part| part == name))
                    && matches!(
                        file.origin(o.line as usize, removed_by.other()),
                        Origin::OursModified | Origin::TheirsModified
                    )
            })
        });
        if modified
            && matches!(
                detection.origin,
                Origin::OursUnchanged | Origin::TheirsUnchanged
            )
        {
            let remover = labels.side(removed_by);
            let keeper = labels.side(removed_by.other());
            if let Some((head, _)) = detection.message.rsplit_once(": ") {
                detection.message = format!(
                    "{head}: deleted on {remover}, modified on {keeper}: a human must decide"
                );
            }
        }
        let mut names: Vec<&str> = inside
            .iter()
            .filter(|inner| inner.rule.code == RULE.code)
            .map(|inner| inner.occurrence.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        if !names.is_empty() {
            let list = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            detection
                .message
                .push_str(&format!(" (with {list} inside it)"));
        }
    }
    kept
}

fn is_scope(detection: &Detection<'_>) -> bool {
    matches!(
        detection.occurrence.role,
        Role::Function | Role::Class | Role::Method
    )
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
    // What the file defines at its top level names it best; imports and attributes do not.
    let top_level: Vec<&Occurrence> = result
        .occurrences
        .iter()
        .filter(|o| {
            matches!(o.role, Role::Function | Role::Class | Role::Variable) && o.scope.is_none()
        })
        .collect();
    let definitions: Vec<&Occurrence> = if top_level.is_empty() {
        result
            .occurrences
            .iter()
            .filter(|o| o.role.is_definition() && o.role != Role::Parameter)
            .collect()
    } else {
        top_level
    };
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
