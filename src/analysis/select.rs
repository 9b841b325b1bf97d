//! The files worth reading in a merge, by what a rule can find in them: for a side's removals, the
//! files that side changed whose result differs from its version (CG001–CG003 within a file); for
//! a side's new lines, the files it added to or changed (CG003 across files); for lines the merge
//! wrote, the files whose result differs from both parents (CG004). Generated and vendored files
//! are left out with a note (precision rule 2).

use std::collections::BTreeSet;

use git2::{Repository, Tree};

use crate::error::Result;
use crate::finding::{BySide, Note, Side};
use crate::git::{self, changes, scenario::MergeScenario};
use crate::lang::{self, Language};
use crate::merge::{
    Addition, ChangedFile, GeneratedFiles, ResolvedFile, SelectedFiles, SideChanges,
};

/// The files of each kind, with a note for each generated or vendored file left out.
pub fn files(
    repo: &Repository,
    scenario: &MergeScenario,
    result_tree: &Tree<'_>,
    changes: &BySide<SideChanges>,
    mass_deletion: &BySide<bool>,
    generated: &GeneratedFiles,
    notes: &mut Vec<Note>,
) -> Result<SelectedFiles> {
    let mut skipped: BTreeSet<(String, String)> = BTreeSet::new();
    let mut readable = |path: &str| -> Option<&'static Language> {
        let language = lang::for_path(path)?;
        if let Some(reason) = generated.reason(path) {
            skipped.insert((path.to_string(), reason));
            return None;
        }
        Some(language)
    };
    let changed = changed_files(
        repo,
        scenario,
        result_tree,
        changes,
        mass_deletion,
        &mut readable,
    )?;
    let additions = additions(result_tree, changes, &mut readable);
    for (path, reason) in skipped {
        notes.push(Note {
            path: Some(path),
            message: format!("skipped ({reason})"),
        });
    }
    let resolved = resolved_files(repo, scenario, generated)?;
    Ok(SelectedFiles {
        changed,
        additions,
        resolved,
    })
}

/// Files a side changed whose result differs from that side's version.
fn changed_files(
    repo: &Repository,
    scenario: &MergeScenario,
    result_tree: &Tree<'_>,
    changes: &BySide<SideChanges>,
    mass_deletion: &BySide<bool>,
    readable: &mut dyn FnMut(&str) -> Option<&'static Language>,
) -> Result<Vec<ChangedFile>> {
    let other_base_trees = scenario.base_trees[1..]
        .iter()
        .map(|oid| repo.find_tree(*oid))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let remover_trees = BySide::new(
        repo.find_tree(scenario.ours_tree).ok(),
        repo.find_tree(scenario.theirs_tree).ok(),
    );
    let mut files = Vec::new();
    for remover in Side::BOTH {
        if *mass_deletion.get(remover) {
            continue;
        }
        let keeper = changes.get(remover.other());
        for change in &changes.get(remover).changes {
            let Some((base_path, base_oid)) = change.old.clone() else {
                continue;
            };
            let removed_side = change.new.clone();
            let kept_side = keeper.version_of(&base_path, base_oid);
            let result_path = [&removed_side, &kept_side]
                .into_iter()
                .flatten()
                .map(|(path, _)| path)
                .find(|path| **path != base_path)
                .unwrap_or(&base_path)
                .clone();
            let Some(result_oid) = git::blob_at(result_tree, &result_path) else {
                continue;
            };
            if removed_side.as_ref().map(|(_, oid)| *oid) == Some(result_oid) {
                continue;
            }
            // The removing side has the result's very file at the result's path (it copied the
            // file there while the other side renamed it): a resolution equal to that side's
            // file brings back nothing that side removed, whatever rename detection paired.
            if remover_trees
                .get(remover)
                .as_ref()
                .and_then(|tree| git::blob_at(tree, &result_path))
                == Some(result_oid)
            {
                continue;
            }
            let Some(language) = readable(&result_path) else {
                continue;
            };
            let mut sides = BySide::new(None, None);
            *sides.get_mut(remover) = removed_side;
            *sides.get_mut(remover.other()) = kept_side;
            let other_bases = other_base_trees
                .iter()
                .map(|tree| git::blob_at(tree, &base_path))
                .collect();
            files.push(ChangedFile {
                remover,
                language,
                other_bases,
                base: (base_path, base_oid),
                sides,
                result: (result_path, result_oid),
            });
        }
    }
    Ok(files)
}

/// Files a side added to or changed, with their version in the result.
fn additions(
    result_tree: &Tree<'_>,
    changes: &BySide<SideChanges>,
    readable: &mut dyn FnMut(&str) -> Option<&'static Language>,
) -> Vec<Addition> {
    let mut additions = Vec::new();
    for adder in Side::BOTH {
        let other = changes.get(adder.other());
        for change in &changes.get(adder).changes {
            let Some((side_path, side_oid)) = change.new.clone() else {
                continue;
            };
            let result_path = match &change.old {
                Some((base_path, base_oid)) if *base_path == side_path => other
                    .version_of(base_path, *base_oid)
                    .map_or(side_path.clone(), |(path, _)| path),
                _ => side_path.clone(),
            };
            let Some(result_oid) = git::blob_at(result_tree, &result_path) else {
                continue;
            };
            let base = change.old.as_ref().map(|(_, oid)| *oid);
            if base == Some(result_oid) {
                continue;
            }
            let Some(language) = readable(&result_path) else {
                continue;
            };
            additions.push(Addition {
                adder,
                language,
                base,
                side: side_oid,
                result: (result_path, result_oid),
            });
        }
    }
    additions
}

/// Files whose result differs from both parents, in any language.
fn resolved_files(
    repo: &Repository,
    scenario: &MergeScenario,
    generated: &GeneratedFiles,
) -> Result<Vec<ResolvedFile>> {
    // Files whose result differs from ours, then from theirs by lookup: one diff, not two.
    let from_ours = changes::between(repo, scenario.ours_tree, scenario.result_tree)?;
    let ours_tree = repo.find_tree(scenario.ours_tree)?;
    let theirs_tree = repo.find_tree(scenario.theirs_tree)?;
    let mut files = Vec::new();
    for (path, result) in from_ours.into_iter().filter_map(|change| change.new) {
        let theirs = git::blob_at(&theirs_tree, &path);
        if theirs == Some(result) || generated.generated(&path).is_some() {
            continue;
        }
        let ours = git::blob_at(&ours_tree, &path);
        files.push(ResolvedFile {
            path,
            result,
            sides: BySide::new(ours, theirs),
        });
    }
    Ok(files)
}
