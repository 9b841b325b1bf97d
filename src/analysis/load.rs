//! The blobs of the selected files, each read once per merge: every version a rule will look at,
//! and every version of the files each side changed (CG003 reads what a side took out of them).
//!
//! Only what a rule reads is read. A file whose result differs from both parents (CG004) is read
//! in any language, but its parents only matter when the result is text: for a binary or
//! too-large result (an image both sides changed) they are not read at all, so a clone that lacks
//! them, or a partial clone that would have to fetch them, is not asked for them.
//!
//! In a partial clone, the blobs the clone left out are fetched in one batch per phase before
//! they are read (see [`crate::git::promisor`]).

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
    let mut wanted: Vec<Oid> = Vec::new();
    for file in &files.changed {
        let versions = [
            Some(&file.base),
            file.sides.ours.as_ref(),
            file.sides.theirs.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(std::iter::once(&file.result));
        wanted.extend(versions.map(|(_, oid)| *oid));
        wanted.extend(file.other_bases.iter().flatten());
    }
    for addition in &files.additions {
        wanted.extend(
            [addition.base, Some(addition.side), Some(addition.result.1)]
                .into_iter()
                .flatten(),
        );
    }
    for side in Side::BOTH {
        for change in &changes.get(side).changes {
            for (path, oid) in [&change.old, &change.new].into_iter().flatten() {
                if lang::for_path(path).is_some() {
                    wanted.push(*oid);
                }
            }
        }
    }
    wanted.extend(files.resolved.iter().map(|file| file.result));
    let mut blobs = LoadedBlobs::default();
    blobs.load_all(repo, wanted, max_file_size)?;

    // CG004 compares a result's lines with its parents' only when the result is text.
    let parents_of_text_results = files
        .resolved
        .iter()
        .filter(|file| blobs.get(file.result).is_some())
        .flat_map(|file| [file.sides.ours, file.sides.theirs])
        .flatten()
        .collect::<Vec<_>>();
    blobs.load_all(repo, parents_of_text_results, max_file_size)?;
    Ok(blobs)
}
