//! The detection CG001, CG002 and CG003 share within one file: in a file that one side changed
//! and whose result differs from that side's version, the names that side removed from the file
//! and the result has again — except on lines the other side wrote as new code (precision rule 3,
//! where a use that nothing in the file binds any more is CG003's) and occurrences of another kind
//! than the name had at the base (precision rule 4). Values and types are apart: a side that
//! removed `interface Quote` and kept `const Quote` removed the type only, and the result's uses of
//! the value are not its business. It runs once per merge; each of the three rules takes its own
//! findings from it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use git2::Oid;
use rayon::prelude::*;

use super::{
    resurrected_definition, resurrected_dependency, resurrected_reference, resurrected_setting,
    use_of_removed_identifier, RuleMeta,
};
use crate::finding::{BySide, Finding, Inside, Origin, Place, Region, RemovedBy, Side};
use crate::lang::{self, NameKind, Role, Space};
use crate::merge::{
    parse_problem_note, unreadable_note, BranchNames, ChangedFile, Checked, FileMerge, FileVersion,
    LoadedBlobs, MergeContext,
};
use crate::syntax::{may_hold_token, Occurrence, ParsedFile};

/// The shared detection over every changed file of a merge, in parallel. A file both sides
/// changed is listed once per removing side; its versions are aligned once for both.
pub(super) fn in_merge<'m>(merge: &'m MergeContext<'_>) -> &'m Checked {
    merge.in_file(|merge| {
        let mut groups: Vec<Vec<&ChangedFile>> = Vec::new();
        let mut group_of: HashMap<FileKey<'_>, usize> = HashMap::new();
        for file in &merge.files.changed {
            let key = (
                &file.base,
                file.sides.ours.as_ref(),
                file.sides.theirs.as_ref(),
                &file.result,
                &file.other_bases,
                file.language.name(),
            );
            let index = *group_of.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[index].push(file);
        }
        let per_file: Vec<Checked> = groups
            .par_iter()
            .map(|files| in_changed_file(merge, files))
            .collect();
        let mut all = Checked::default();
        for checked in per_file {
            all.extend(checked);
        }
        all
    })
}

/// What makes two [`ChangedFile`]s the same file of the merge (one per removing side).
type FileKey<'f> = (
    &'f (String, Oid),
    Option<&'f (String, Oid)>,
    Option<&'f (String, Oid)>,
    &'f (String, Oid),
    &'f Vec<Option<Oid>>,
    &'static str,
);

/// The findings of `rule` in the shared detection, with its notes.
pub(super) fn of_rule(merge: &MergeContext<'_>, rule: &RuleMeta) -> Checked {
    in_merge(merge).of_rule(rule.code)
}

/// A parent's version of a file, where it exists and was read.
fn version<'a>(
    side: &'a Option<(String, Oid)>,
    parsed: &'a Option<Arc<ParsedFile>>,
    blobs: &'a LoadedBlobs,
) -> Option<FileVersion<'a>> {
    let (path, oid) = side.as_ref()?;
    Some(FileVersion {
        path,
        text: blobs.get(*oid)?,
        parsed: Some(parsed.as_ref()?),
    })
}

/// CG001/CG002 (and dangling CG003) in one changed file, for each side in `files` that removed
/// something from it (`files` are the same file, one per removing side).
fn in_changed_file(merge: &MergeContext<'_>, files: &[&ChangedFile]) -> Checked {
    let mut checked = Checked::default();
    let Some(file) = files.first() else {
        return checked;
    };
    let blobs = &merge.blobs;
    let (result_path, result_oid) = &file.result;
    let Some(result_text) = blobs.get(*result_oid) else {
        checked.notes.push(unreadable_note(
            result_path,
            blobs.unreadable(*result_oid),
            merge.max_file_size,
        ));
        return checked;
    };
    let Some(base_text) = blobs.get(file.base.1) else {
        return checked;
    };
    let parse = |oid: Oid, text: &[u8]| merge.parse(oid, file.language, text);
    let base_parsed = parse(file.base.1, base_text);
    let parsed_sides: BySide<Option<Arc<ParsedFile>>> = file.sides.as_ref().map(|_, side| {
        let (_, oid) = side.as_ref()?;
        Some(parse(*oid, blobs.get(*oid)?))
    });
    let parsed = |oid: Oid| {
        let text = blobs.get(oid)?;
        Some(parse(oid, text))
    };
    if !result_worth_parsing(files.iter().copied(), &parsed, result_text) {
        return checked;
    }
    let result_parsed = parse(*result_oid, result_text);
    checked
        .notes
        .extend(parse_problem_note(result_path, &result_parsed));
    let versions =
        BySide::from_fn(|side| version(file.sides.get(side), parsed_sides.get(side), blobs));
    let file_merge = FileMerge::new(
        FileVersion {
            path: &file.base.0,
            text: base_text,
            parsed: Some(&base_parsed),
        },
        versions,
        FileVersion {
            path: result_path,
            text: result_text,
            parsed: Some(&result_parsed),
        },
    );
    let other_bases: Vec<Option<Arc<ParsedFile>>> = file
        .other_bases
        .iter()
        .map(|oid| oid.and_then(|oid| blobs.get(oid).map(|text| parse(oid, text))))
        .collect();
    let in_every_base = |name: &str| {
        other_bases
            .iter()
            .all(|base| base.as_ref().is_some_and(|b| b.contains(name)))
    };
    for file in files {
        // A side whose version could not be read (binary, too large) is not a deletion.
        if file.sides.get(file.remover).is_some() && parsed_sides.get(file.remover).is_none() {
            continue;
        }
        let removed_from = file_merge
            .side(file.remover)
            .map_or(file.base.0.clone(), |v| v.path.to_string());
        checked.findings.extend(
            detect(&file_merge, file.remover, &merge.names)
                .into_iter()
                .filter(|detection| in_every_base(&detection.occurrence.name))
                .map(|detection| {
                    let mut finding = detection.into_finding(
                        file.remover,
                        Place {
                            path: result_path,
                            text: result_text,
                            start: 0,
                            end: 0,
                        },
                        &merge.merge,
                    );
                    finding.removed_from = Some(removed_from.clone());
                    finding
                }),
        );
    }
    checked
}

/// The findings in one file given as four texts, without a repository: what a merge runs for a
/// file one side changed, for the fuzz target and tests.
pub fn in_four_versions(
    path: &str,
    file: &FileMerge<'_>,
    removers: impl Iterator<Item = Side>,
) -> Vec<Finding> {
    let names = BranchNames::default();
    let mut findings = Vec::new();
    for remover in removers {
        findings.extend(detect(file, remover, &names).into_iter().map(|detection| {
            detection.into_finding(
                remover,
                Place {
                    path,
                    text: file.result.text,
                    start: 0,
                    end: 0,
                },
                "",
            )
        }));
    }
    findings
}

/// One resurrection found in a file, before provenance is added.
struct Detection<'a> {
    rule: &'static RuleMeta,
    occurrence: &'a Occurrence,
    origin: Origin,
    /// What happened to the name.
    headline: String,
    /// Where the line came from, in words; empty when the headline says it all.
    how: String,
    help: Option<String>,
    /// The stale region the finding stands for (0-based result lines), where it is more than the
    /// occurrence's own line.
    region: Option<(u32, u32)>,
    /// The names folded into this finding, with their 0-based lines.
    inside: Vec<(String, u32)>,
}

impl Detection<'_> {
    /// The finding in the result's `text` (the span of `place` is the occurrence's), with the
    /// side that removed the name.
    fn into_finding(self, remover: Side, place: Place<'_>, merge: &str) -> Finding {
        let place = Place {
            start: self.occurrence.start,
            end: self.occurrence.end,
            ..place
        };
        let message = if self.how.is_empty() {
            self.headline
        } else {
            format!("{}: {}", self.headline, self.how)
        };
        let mut finding = Finding::new(
            self.rule.id(),
            self.occurrence.identifier(),
            place,
            merge,
            message,
        );
        finding.scope = self.occurrence.scope.clone();
        finding.key_path = self.occurrence.key_path.as_deref().map(str::to_string);
        finding.origin = Some(self.origin);
        finding.removed_by = Some(RemovedBy {
            side: remover,
            branch: None,
            commit: None,
        });
        finding.help = self.help;
        finding.region = self.region.map(|(start, end)| Region {
            start_line: start + 1,
            end_line: end + 1,
        });
        finding.inside = self
            .inside
            .into_iter()
            .map(|(identifier, line)| Inside {
                identifier,
                line: line + 1,
            })
            .collect();
        finding
    }
}

/// The kinds (plain, member, type) a name has among a file's occurrences. A class, enum or
/// namespace names a type too: a type reference to it is of a kind the file had.
fn kinds_of(parsed: &ParsedFile, name: &str) -> HashSet<NameKind> {
    let mut kinds: HashSet<NameKind> = parsed.occurrences_of(name).map(|o| o.role.kind()).collect();
    if in_space(parsed, name, Space::Type) {
        kinds.insert(NameKind::Type);
    }
    kinds
}

/// Whether a file has the name in `space` (a value, a type).
fn in_space(parsed: &ParsedFile, name: &str, space: Space) -> bool {
    parsed.occurrences_of(name).any(|o| o.role.in_space(space))
}

/// Whether a file defines the name in `space`.
fn defines_in(parsed: &ParsedFile, name: &str, space: Space) -> bool {
    parsed
        .occurrences_of(name)
        .any(|o| o.role.is_definition() && o.role.in_space(space))
}

/// The spaces (values, types) a name is removed from: those the base had it in and the side no
/// longer has. A language without types has one space, where this is "the side no longer has the
/// name".
fn removed_spaces(base: &ParsedFile, side: &ParsedFile, name: &str) -> Vec<Space> {
    Space::ALL
        .into_iter()
        .filter(|space| in_space(base, name, *space) && !in_space(side, name, *space))
        .collect()
}

/// Whether a file still defines the name in that scope, in whatever form (`function add` become
/// `var add = function`): then nothing was removed there.
fn defines_in_scope(parsed: &ParsedFile, name: &str, scope: Option<&str>) -> bool {
    parsed
        .occurrences_of(name)
        .any(|o| o.role.is_definition() && !o.role.is_import() && o.scope.as_deref() == scope)
}

/// Every name [`detect`] can report for a side that changed the file from `base` to `side`: the
/// names the side removed from a space, and the functions, classes and methods it removed from
/// their scope. Each finding is an occurrence of one of them in the result.
fn may_come_back<'p>(base: &'p ParsedFile, side: &'p ParsedFile) -> impl Iterator<Item = &'p str> {
    let removed = base
        .names()
        .filter(|name| !removed_spaces(base, side, name).is_empty());
    let unscoped = base
        .occurrences
        .iter()
        .filter(|o| o.role.opens_scope())
        .filter(|o| !defines_in_scope(side, &o.name, o.scope.as_deref()))
        .map(|o| o.name.as_str());
    removed.chain(unscoped)
}

/// Whether the per-file detection must parse a changed file's result, whose text is `result`, for
/// `files` (the same file, one per removing side; `parsed` gives the parse of a blob it can read).
/// A result whose text holds none of the names a side can be found to bring back has no
/// occurrence of them where its language names things as written: it is not parsed at all. One
/// that holds a conflict marker is, for the note that the committed markers break it; so is one
/// whose base or side version could not be parsed in time. The parse
/// step asks this while it holds the base's syntax tree, so that a result it does parse is parsed
/// incrementally; the rule asks again and finds the parse made.
pub fn result_worth_parsing<'f>(
    mut files: impl Iterator<Item = &'f ChangedFile>,
    parsed: &dyn Fn(Oid) -> Option<Arc<ParsedFile>>,
    result: &[u8],
) -> bool {
    let holds_marker = || {
        crate::merge::align::split_lines(result)
            .iter()
            .any(|line| super::conflict_marker::marker(line).is_some())
    };
    files.any(|file| {
        if !file.result_can_wait() {
            return true;
        }
        let Some(base) = parsed(file.base.1) else {
            return false;
        };
        // An unreadable side version is not a deletion (see `in_changed_file`).
        let Some(side) = file
            .sides
            .get(file.remover)
            .as_ref()
            .and_then(|(_, oid)| parsed(*oid))
        else {
            return false;
        };
        // A version whose parse gave up names nothing: what the side removed is unknown, and
        // the result is parsed so that its note and the coverage say the file was not analysed.
        base.failed || side.failed || result_may_bring_back(&base, &side, result)
    }) || holds_marker()
}

/// Whether a result's text may hold a name that a side which changed the file from `base` to
/// `side` removed, so that the result must be parsed for that side. False only where no parse
/// of the result can find one: every finding is an occurrence of a name of [`may_come_back`],
/// and a language whose names are written as they are has a token for each occurrence (see
/// [`may_hold_token`]). The property suite checks this against the full detection.
pub fn result_may_bring_back(base: &ParsedFile, side: &ParsedFile, result: &[u8]) -> bool {
    may_come_back(base, side).any(|name| may_hold_token(result, name))
}

/// Finds the resurrections in one file that side `removed_by` changed.
fn detect<'a>(file: &FileMerge<'a>, removed_by: Side, names: &BranchNames) -> Vec<Detection<'a>> {
    let Some(base) = file.base.parsed else {
        return Vec::new();
    };
    let Some(result) = file.result.parsed else {
        return Vec::new();
    };
    let remover = names.side(removed_by);
    let keeper = names.side(removed_by.other());

    let Some(side_version) = file.side(removed_by) else {
        return resurrected_file(file, removed_by, names);
    };
    let Some(side_parsed) = side_version.parsed else {
        return Vec::new();
    };

    let mut removed: Vec<(&str, Vec<Space>)> = base
        .names()
        .filter(|name| result.contains(name))
        .map(|name| (name, removed_spaces(base, side_parsed, name)))
        .filter(|(_, spaces)| !spaces.is_empty())
        .collect();
    removed.sort_unstable_by_key(|(name, _)| *name);
    // Nothing in a declaration file (`.d.ts`) is a use: a declaration written afresh there is
    // not a dangling one.
    let declarations_only = lang::only_declares(file.result.path);

    let mut detections = Vec::new();
    for (name, spaces) in &removed {
        let name = *name;
        let base_kinds = kinds_of(base, name);
        let mut stale = Vec::new();
        let mut fresh = Vec::new();
        // A name the base defined here and the result imports is the definition moved
        // elsewhere and imported back (the removing side often left a re-export behind), not
        // the removed definition itself.
        let base_imported = base.occurrences_of(name).any(|o| o.role.is_import());
        for occurrence in result.occurrences_of(name) {
            let kind = occurrence.role.kind();
            if !base_kinds.contains(&kind) || !spaces.contains(&kind.space()) {
                continue;
            }
            if occurrence.role.is_import() && !base_imported {
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
            let how = origin_in_words(origin, remover, keeper);
            let mut others: Vec<u32> = stale
                .iter()
                .filter(|o| o.start != first.start)
                .map(|o| o.line + 1)
                .collect();
            others.dedup();
            let more = match others.as_slice() {
                [] => String::new(),
                [line] => format!(" (also on line {line})"),
                lines => {
                    let shown: Vec<String> = lines.iter().take(5).map(u32::to_string).collect();
                    let rest = lines.len().saturating_sub(5);
                    if rest > 0 {
                        format!(" (also on lines {} and {rest} more)", shown.join(", "))
                    } else {
                        format!(" (also on lines {})", shown.join(", "))
                    }
                }
            };
            let help = (first.role == Role::Dependency
                && matches!(origin, Origin::OursModified | Origin::TheirsModified))
            .then(|| {
                format!(
                    "{keeper} changed `{name}` while {remover} removed it: remove it again (and update the lock file), or keep it on purpose"
                )
            });
            detections.push(Detection {
                rule: rule_for(first.role),
                occurrence: first,
                origin,
                headline: format!(
                    "`{name}`{} was removed from {} on {remover}, and the merge {what} it again{more}",
                    where_in_file(first),
                    file.base.path
                ),
                how,
                help,
                region: None,
                inside: Vec::new(),
            });
        } else if let Some(first) = fresh.first().filter(|_| !declarations_only) {
            let space = first.role.kind().space();
            let dangling = !defines_in(result, name, space) && defines_in(base, name, space);
            if dangling {
                detections.push(Detection {
                    rule: &use_of_removed_identifier::RULE,
                    occurrence: first,
                    origin: file.origin(first.line as usize, removed_by.other()),
                    headline: format!(
                        "{keeper} adds a use of `{name}` in {}, which {remover} removed from this file",
                        file.result.path
                    ),
                    how: "nothing here defines or imports it any more".to_string(),
                    help: None,
                    region: None,
                    inside: Vec::new(),
                });
            }
        }
    }
    // A function, class or method the side removed from its scope while the name lives on
    // elsewhere in the file (another class's method of the same name): the name never left the
    // file, but the scoped definition did, and the merge brings it back.
    let mut seen: HashSet<(Option<&str>, &str)> = HashSet::new();
    for definition in base.occurrences.iter().filter(|o| o.role.opens_scope()) {
        let name = definition.name.as_str();
        let scope = definition.scope.as_deref();
        if removed.iter().any(|(removed, _)| *removed == name) || !seen.insert((scope, name)) {
            continue;
        }
        let same = |o: &&Occurrence| o.role == definition.role && o.scope.as_deref() == scope;
        if defines_in_scope(side_parsed, name, scope) {
            continue;
        }
        let Some(back) = result.occurrences_of(name).find(same) else {
            continue;
        };
        if file.is_new_code(removed_by.other(), back.line as usize, name) {
            continue;
        }
        let origin = file.origin(back.line as usize, removed_by.other());
        let qualified = match scope {
            Some(scope) => format!("{scope}.{name}"),
            None => name.to_string(),
        };
        detections.push(Detection {
            rule: &resurrected_definition::RULE,
            occurrence: back,
            origin,
            headline: format!(
                "`{qualified}` was removed from {} on {remover}, and the merge defines it again",
                file.base.path
            ),
            how: origin_in_words(origin, remover, keeper),
            help: None,
            region: None,
            inside: Vec::new(),
        });
    }
    let folded = fold_into_resurrected_scopes(file, removed_by, names, detections);
    group_into_regions(file, removed_by, base, folded)
}

/// A function, class or method that comes back brings its parameters, locals and attributes with
/// it: report the scope once, naming the definitions it brings back, rather than every name inside
/// it. When the other side modified any of those folded lines, the scope was modified, not kept.
fn fold_into_resurrected_scopes<'a>(
    file: &FileMerge<'a>,
    removed_by: Side,
    names: &BranchNames,
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
            // The scope's first line is the stale side's, but lines inside it changed.
            let modified = Origin::from_side(removed_by.other(), true);
            detection.how = origin_in_words(
                modified,
                names.side(removed_by),
                names.side(removed_by.other()),
            );
        }
        detection.inside = inside
            .iter()
            .map(|inner| (inner.occurrence.name.clone(), inner.occurrence.line))
            .collect();
        detection
            .inside
            .sort_by_key(|(name, line)| (*line, name.clone()));
        let mut names: Vec<&str> = inside
            .iter()
            .filter(|inner| inner.rule.code == resurrected_definition::RULE.code)
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
                .headline
                .push_str(&format!(" (with {list} inside it)"));
        }
        detection
            .headline
            .push_str(&dangling_words(file, inside.iter().copied()));
    }
    kept
}

/// A run of lines that one side deleted or rewrote and the merge brought back in the old form is
/// one thing to fix: the resurrections on it become one finding, headed by the name that matters
/// most (a definition, then a name this file defined at the base) — never by a builtin, a library
/// member or a keyword-argument label when a better head is there — with the others `inside`.
fn group_into_regions<'a>(
    file: &FileMerge<'a>,
    removed_by: Side,
    base: &ParsedFile,
    detections: Vec<Detection<'a>>,
) -> Vec<Detection<'a>> {
    if file.side(removed_by).is_none() || detections.len() < 2 {
        return detections;
    }
    let result_lines = file.result.text.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let stale = |line: u32| !file.is_unchanged_from(removed_by, line as usize);
    let region_of = |line: u32| -> Option<(u32, u32)> {
        if !stale(line) {
            return None;
        }
        let mut start = line;
        while start > 0 && stale(start - 1) {
            start -= 1;
        }
        let mut end = line;
        while end + 1 < result_lines && stale(end + 1) {
            end += 1;
        }
        Some((start, end))
    };
    let groupable = |d: &Detection<'_>| {
        [
            resurrected_definition::RULE.code,
            resurrected_reference::RULE.code,
            resurrected_setting::RULE.code,
            resurrected_dependency::RULE.code,
        ]
        .contains(&d.rule.code)
    };
    let mut groups: Vec<((u32, u32), Vec<Detection<'a>>)> = Vec::new();
    let mut alone = Vec::new();
    for detection in detections {
        match region_of(detection.occurrence.line).filter(|_| groupable(&detection)) {
            Some(region) => match groups.iter_mut().find(|(r, _)| *r == region) {
                Some((_, members)) => members.push(detection),
                None => groups.push((region, vec![detection])),
            },
            None => alone.push(detection),
        }
    }
    for (region, members) in groups {
        if members.len() == 1 {
            alone.extend(members);
            continue;
        }
        // Each definition another file could use (a function, class, method, or a top-level
        // variable, export or import) stays a finding of its own, so that allowing one never
        // hides another; locals and references join the nearest such definition before them.
        // A setting heads its region unless a setting that holds it came back too.
        let settings: Vec<String> = members
            .iter()
            .filter(|d| d.occurrence.role == Role::Setting)
            .map(|d| d.occurrence.name.clone())
            .collect();
        let (mut heads, mut rest): (Vec<Detection<'a>>, Vec<Detection<'a>>) =
            members.into_iter().partition(|d| match d.occurrence.role {
                Role::Setting => !settings
                    .iter()
                    .any(|outer| within_setting(&d.occurrence.name, outer)),
                _ => is_region_head(d),
            });
        if heads.is_empty() {
            rest.sort_by_key(|d| (head_rank(d, base), d.occurrence.line, d.occurrence.start));
            heads.push(rest.remove(0));
        }
        heads.sort_by_key(|d| (d.occurrence.line, d.occurrence.start));
        let starts: Vec<u32> = heads.iter().map(|h| h.occurrence.line).collect();
        let mut joined: Vec<Vec<Detection<'a>>> = heads.iter().map(|_| Vec::new()).collect();
        for detection in rest {
            let at = starts
                .iter()
                .rposition(|start| *start <= detection.occurrence.line)
                .unwrap_or(0);
            joined[at].push(detection);
        }
        for (index, (mut head, others)) in heads.into_iter().zip(joined).enumerate() {
            if others.is_empty() {
                alone.push(head);
                continue;
            }
            let start = if index == 0 { region.0 } else { starts[index] };
            let end = starts
                .get(index + 1)
                .map_or(region.1, |next| next.saturating_sub(1));
            let dangling = dangling_words(file, others.iter());
            let mut inside: Vec<(String, u32)> = std::mem::take(&mut head.inside);
            for member in others {
                inside.push((member.occurrence.name.clone(), member.occurrence.line));
                inside.extend(member.inside);
            }
            inside.sort_by_key(|(name, line)| (*line, name.clone()));
            inside.dedup();
            let mut shown: Vec<String> = Vec::new();
            for (name, _) in &inside {
                let name = format!("`{name}`");
                if !shown.contains(&name) {
                    shown.push(name);
                }
            }
            let listed = shown.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
            let more = if shown.len() > 6 {
                format!(" and {} more", shown.len() - 6)
            } else {
                String::new()
            };
            head.headline.push_str(&format!(
                "; lines {}–{} come back with it ({listed}{more}){dangling}",
                start + 1,
                end + 1
            ));
            head.region = Some((start, end));
            head.inside = inside;
            alone.push(head);
        }
    }
    alone.sort_by_key(|d| d.occurrence.start);
    alone
}

/// The names among `detections` that the file used at the base and no longer defines or imports,
/// as words for a headline: the block that came back will fail on them when it runs.
fn dangling_words<'a, 'd: 'a>(
    file: &FileMerge<'_>,
    detections: impl Iterator<Item = &'a Detection<'d>>,
) -> String {
    let (Some(base), Some(result)) = (file.base.parsed, file.result.parsed) else {
        return String::new();
    };
    let mut names: Vec<&str> = detections
        .filter(|d| d.rule.code == resurrected_reference::RULE.code)
        .map(|d| d.occurrence.name.as_str())
        .filter(|name| base.defines(name) && !result.defines(name))
        .collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => String::new(),
        [one] => {
            format!("; it uses `{one}`, which nothing in this file defines or imports any more")
        }
        many => format!(
            "; it uses {}, which nothing in this file defines or imports any more",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether a detection is a definition another file could use, which stays a finding of its own
/// in a region: a function, class or method, or a variable, export or import at the top level.
fn is_region_head(detection: &Detection<'_>) -> bool {
    let occurrence = detection.occurrence;
    match occurrence.role {
        role if role.opens_scope() => true,
        Role::Variable | Role::Export | Role::TypeExport => occurrence.scope.is_none(),
        role if role.is_import() => occurrence.scope.is_none(),
        // Each variable and package stands alone: allowing one never hides another.
        Role::EnvVariable | Role::Dependency => true,
        _ => false,
    }
}

/// How well a detection heads a region: definitions first, then names this file defined at the
/// base, then the rest (builtins, library members, keyword-argument labels).
fn head_rank(detection: &Detection<'_>, base: &ParsedFile) -> u8 {
    let occurrence = detection.occurrence;
    match occurrence.role {
        role if role.opens_scope() => 0,
        Role::Variable | Role::Export | Role::TypeExport | Role::Attribute => 1,
        role if role.is_import() => 2,
        _ if occurrence.role.kind() == NameKind::Plain && base.defines(&occurrence.name) => 3,
        role if role == Role::Key || role.is_local() => 5,
        _ if occurrence.role.kind() == NameKind::Member => 6,
        _ => 4,
    }
}

/// Where a result line came from, as a sentence: whose version it is and whether that side changed
/// it since the merge base.
fn origin_in_words(origin: Origin, remover: &str, keeper: &str) -> String {
    match origin {
        Origin::OursUnchanged | Origin::TheirsUnchanged => format!(
            "this line is {keeper}'s version, unchanged since the merge base: the resolution kept the stale side"
        ),
        Origin::OursModified | Origin::TheirsModified => format!(
            "{remover} deleted it while {keeper} wrote or changed this line: a human must decide which side is right"
        ),
        Origin::Resolution => "this line was written while resolving the conflict".to_string(),
    }
}

/// The rule that reports a name of `role` brought back: settings and dependencies have rules of
/// their own (CG006, CG007), code's definitions CG001 and its uses CG002.
fn rule_for(role: Role) -> &'static RuleMeta {
    match role {
        Role::Dependency => &resurrected_dependency::RULE,
        Role::Setting | Role::EnvVariable => &resurrected_setting::RULE,
        role if role.is_definition() => &resurrected_definition::RULE,
        _ => &resurrected_reference::RULE,
    }
}

/// Where a variable or package is in its settings file, when its key path says more than its
/// name (` (at services.web.environment.API_KEY)`); empty otherwise.
fn where_in_file(occurrence: &Occurrence) -> String {
    match occurrence.key_path.as_deref() {
        Some(path) if path != occurrence.name => format!(" (at {path})"),
        _ => String::new(),
    }
}

/// Whether the setting path `name` lies inside the setting `outer` (`billing.url` in `billing`,
/// `env[name=X]` in `env`).
fn within_setting(name: &str, outer: &str) -> bool {
    name.len() > outer.len()
        && name.starts_with(outer)
        && matches!(name.as_bytes()[outer.len()], b'.' | b'[')
}

fn is_scope(detection: &Detection<'_>) -> bool {
    detection.occurrence.role.opens_scope()
}

/// A file the removing side deleted and the result keeps: one finding for the file.
fn resurrected_file<'a>(
    file: &FileMerge<'a>,
    removed_by: Side,
    branches: &BranchNames,
) -> Vec<Detection<'a>> {
    let Some(result) = file.result.parsed else {
        return Vec::new();
    };
    // What the file defines at its top level names it best; imports and attributes do not.
    let top_level: Vec<&Occurrence> = result
        .occurrences
        .iter()
        .filter(|o| o.role.is_declaration() && o.scope.is_none())
        .collect();
    let definitions: Vec<&Occurrence> = if top_level.is_empty() {
        result
            .occurrences
            .iter()
            .filter(|o| o.role.is_definition() && !o.role.is_local())
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
    let remover = branches.side(removed_by);
    let headline = if list.is_empty() {
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
        rule: rule_for(first.role),
        occurrence: first,
        origin: file.origin(first.line as usize, removed_by.other()),
        headline,
        how: String::new(),
        region: None,
        inside: Vec::new(),
        help: Some(
            "delete the file again, or restore it deliberately in a commit of its own".into(),
        ),
    }]
}
