//! The blobs of the selected files, each read once per merge: every version a rule will look at,
//! and every version of the files each side changed (CG003 reads what a side took out of them).

use git2::{Oid, Repository};

use crate::error::Result;
use crate::finding::{BySide, Side};
use crate::lang;
use crate::merge::{LoadedBlobs, SelectedFiles, SideChanges};

pub fn blobs(
    repo: &Repository,
    files: &SelectedFiles,
    changes: &BySide<SideChanges>,
    max_file_size: u64,
) -> Result<LoadedBlobs> {
    let mut blobs = LoadedBlobs::default();
    let mut load = |oid: Oid| blobs.load(repo, oid, max_file_size);
    for file in &files.changed {
        let versions = [
            Some(&file.base),
            file.sides.ours.as_ref(),
            file.sides.theirs.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(std::iter::once(&file.result));
        for (_, oid) in versions {
            load(*oid)?;
        }
        for oid in file.other_bases.iter().flatten() {
            load(*oid)?;
        }
    }
    for addition in &files.additions {
        for oid in [addition.base, Some(addition.side), Some(addition.result.1)]
            .into_iter()
            .flatten()
        {
            load(oid)?;
        }
    }
    for side in Side::BOTH {
        for change in &changes.get(side).changes {
            for (path, oid) in [&change.old, &change.new].into_iter().flatten() {
                if lang::for_path(path).is_some() {
                    load(*oid)?;
                }
            }
        }
    }
    for file in &files.resolved {
        for oid in [Some(file.result), file.sides.ours, file.sides.theirs]
            .into_iter()
            .flatten()
        {
            load(oid)?;
        }
    }
    Ok(blobs)
}
