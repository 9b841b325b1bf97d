//! The commit that removed a name: on the removing side's first-parent history since the merge
//! base, the newest commit whose first parent had the name in the file and which no longer has it
//! (what `git log --first-parent -S<name> -- <path>` would point at). Computed only for findings.

use std::collections::HashSet;

use crate::error::Result;
use crate::finding::CommitInfo;
use git2::{Oid, Repository};

/// How far back a side's history is searched before giving up.
const MAX_COMMITS: usize = 10_000;

pub fn commit_info(repo: &Repository, oid: Oid) -> Result<CommitInfo> {
    let commit = repo.find_commit(oid)?;
    let author = commit.author();
    Ok(CommitInfo {
        commit: oid.to_string(),
        short: super::short_id(oid),
        summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        date: super::iso_date(author.when().seconds()),
    })
}

/// Finds the commit on `tip`'s first-parent chain (since `bases`) where `present` turns from true
/// (in the first parent's version of `path`) to false. `present` is given the blob of `path` in a
/// commit, or `None` where the file does not exist there.
pub fn removing_commit(
    repo: &Repository,
    tip: Oid,
    bases: &[Oid],
    path: &str,
    mut present: impl FnMut(Option<Oid>) -> bool,
) -> Result<Option<Oid>> {
    let mut since_base = HashSet::new();
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    for base in bases {
        walk.hide(*base)?;
    }
    for oid in walk.take(MAX_COMMITS) {
        since_base.insert(oid?);
    }

    let mut current = repo.find_commit(tip)?;
    let mut current_blob = super::blob_at(&current.tree()?, path);
    while since_base.contains(&current.id()) {
        let Ok(parent) = current.parent(0) else {
            return Ok(None);
        };
        let parent_blob = super::blob_at(&parent.tree()?, path);
        if parent_blob != current_blob && !present(current_blob) && present(parent_blob) {
            return Ok(Some(current.id()));
        }
        current = parent;
        current_blob = parent_blob;
    }
    Ok(None)
}
