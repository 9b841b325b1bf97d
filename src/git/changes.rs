//! The files a side changed relative to the merge base, with renames followed. Only regular files
//! count: symlinks, submodules and type changes are not source that a rule can read.

use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Oid, Repository};

use crate::error::Result;

/// One file that differs between two trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The path and blob before (at the base); `None` for an added file.
    pub old: Option<(String, Oid)>,
    /// The path and blob after (on the side); `None` for a deleted file.
    pub new: Option<(String, Oid)>,
}

impl Change {
    pub fn is_deletion(&self) -> bool {
        self.old.is_some() && self.new.is_none()
    }
}

fn is_regular(mode: FileMode) -> bool {
    matches!(mode, FileMode::Blob | FileMode::BlobExecutable)
}

fn path_of(file: &git2::DiffFile<'_>) -> Option<String> {
    file.path_bytes()
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
}

/// The changes from tree `from` to tree `to`, renames detected as `git diff -M` does.
pub fn between(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<Change>> {
    if from == to {
        return Ok(Vec::new());
    }
    let from = repo.find_tree(from)?;
    let to = repo.find_tree(to)?;
    let mut options = DiffOptions::new();
    options.skip_binary_check(true);
    let mut diff = repo.diff_tree_to_tree(Some(&from), Some(&to), Some(&mut options))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;

    let mut changes = Vec::new();
    for delta in diff.deltas() {
        let old_file = delta.old_file();
        let new_file = delta.new_file();
        let old = (is_regular(old_file.mode()))
            .then(|| path_of(&old_file).map(|path| (path, old_file.id())))
            .flatten();
        let new = (is_regular(new_file.mode()))
            .then(|| path_of(&new_file).map(|path| (path, new_file.id())))
            .flatten();
        let change = match delta.status() {
            Delta::Added => Change { old: None, new },
            Delta::Deleted => Change { old, new: None },
            Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange => {
                Change { old, new }
            }
            _ => continue,
        };
        if change.old.is_some() || change.new.is_some() {
            changes.push(change);
        }
    }
    Ok(changes)
}
