//! Precision rule 1: a side that deleted at least half of the base's files is a restructure or an
//! unrelated tree, not a set of deliberate removals to guard one by one. One note for the merge
//! instead of a finding per name.

use git2::{Oid, Repository};

use crate::error::Result;
use crate::finding::{BySide, Note, Side};
use crate::git::scenario::MergeScenario;
use crate::merge::{BranchNames, SideChanges};

/// Which sides deleted half of the base's files, with a note for each.
pub fn find(
    repo: &Repository,
    scenario: &MergeScenario,
    changes: &BySide<SideChanges>,
    names: &BranchNames,
    notes: &mut Vec<Note>,
) -> Result<BySide<bool>> {
    let mut mass_deletion = BySide::new(false, false);
    for side in Side::BOTH {
        let deleted = changes
            .get(side)
            .changes
            .iter()
            .filter(|change| change.is_deletion())
            .count();
        if deleted == 0 {
            continue;
        }
        let total = count_files(repo, scenario.base_tree())?;
        if total >= 6 && deleted * 2 >= total {
            *mass_deletion.get_mut(side) = true;
            notes.push(Note {
                path: None,
                message: format!(
                    "mass deletion: {} deleted {deleted} of the base's {total} files; its removals are not reported one by one",
                    names.side(side)
                ),
            });
        }
    }
    Ok(mass_deletion)
}

/// How many files a tree holds.
fn count_files(repo: &Repository, tree: Oid) -> Result<usize> {
    let tree = repo.find_tree(tree)?;
    let mut count = 0;
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            count += 1;
        }
        git2::TreeWalkResult::Ok
    })?;
    Ok(count)
}
