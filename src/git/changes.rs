//! The files a side changed relative to the merge base, with renames followed. Only regular files
//! count: symlinks, submodules and type changes are not source that a rule can read.

use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Oid, Repository};

use crate::error::{Error, Result};

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
///
/// Subtrees whose ids are equal are skipped without being read (libgit2's diff walks every entry
/// of both trees, which was most of an audit's time on a large tree); only when files were both
/// added and deleted, so that renames are possible, does libgit2's rename detection run.
pub fn between(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<Change>> {
    if from == to {
        return Ok(Vec::new());
    }
    let changes = walk(repo, from, to)?;
    let added = changes.iter().any(|change| change.old.is_none());
    let deleted = changes.iter().any(|change| change.new.is_none());
    if added && deleted {
        super::promisor::fetch_missing(repo, &rename_candidates(&changes))?;
        return match with_renames(repo, from, to) {
            // Rename detection reads every added and deleted file, whatever its kind; a blob
            // missing from the object store (a snapshot without its largest files, an archive in
            // build/) must not end the run when no rule reads it. Without renames a renamed file
            // is a deletion and an addition, which the rules read as such; a blob a rule does
            // need is still reported missing when it is read.
            Err(Error::MissingObject(_)) => Ok(changes),
            other => other,
        };
    }
    Ok(changes)
}

/// The blobs rename detection reads: every added file, compared with the deleted ones up to
/// libgit2's rename limit (`diff.renameLimit`, 1,000 by default), in path order. Fetched in one
/// batch in a partial clone, where libgit2 would have git fetch them one at a time.
fn rename_candidates(changes: &[Change]) -> Vec<Oid> {
    const RENAME_LIMIT: usize = 1000;
    let added = changes
        .iter()
        .filter(|change| change.old.is_none())
        .filter_map(|change| change.new.as_ref());
    let deleted = changes
        .iter()
        .filter(|change| change.new.is_none())
        .filter_map(|change| change.old.as_ref())
        .take(RENAME_LIMIT + 1);
    added.chain(deleted).map(|(_, oid)| *oid).collect()
}

/// An entry of a tree: id, and whether it is a folder or a regular file (others are ignored).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    Folder(Oid),
    File(Oid),
    Other,
}

fn entries(repo: &Repository, tree: Option<Oid>) -> Result<Vec<(Vec<u8>, Entry)>> {
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    let tree = repo.find_tree(tree)?;
    Ok(tree
        .iter()
        .map(|entry| {
            let kind = match entry.filemode() {
                0o040000 => Entry::Folder(entry.id()),
                0o100644 | 0o100755 => Entry::File(entry.id()),
                _ => Entry::Other,
            };
            (entry.name_bytes().to_vec(), kind)
        })
        .collect())
}

/// Compares two trees folder by folder with an explicit stack, descending only into folders
/// whose ids differ.
fn walk(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut pending: Vec<(String, Option<Oid>, Option<Oid>)> =
        vec![(String::new(), Some(from), Some(to))];
    while let Some((prefix, old, new)) = pending.pop() {
        let old_entries = entries(repo, old)?;
        let new_entries = entries(repo, new)?;
        let mut names: Vec<&Vec<u8>> = old_entries
            .iter()
            .chain(new_entries.iter())
            .map(|(name, _)| name)
            .collect();
        names.sort();
        names.dedup();
        let old_map: std::collections::HashMap<&[u8], Entry> = old_entries
            .iter()
            .map(|(n, e)| (n.as_slice(), *e))
            .collect();
        let new_map: std::collections::HashMap<&[u8], Entry> = new_entries
            .iter()
            .map(|(n, e)| (n.as_slice(), *e))
            .collect();
        for name in names {
            let lookup = |map: &std::collections::HashMap<&[u8], Entry>| {
                map.get(name.as_slice()).copied().unwrap_or(Entry::Other)
            };
            let (before, after) = (lookup(&old_map), lookup(&new_map));
            if before == after {
                continue;
            }
            let path = format!("{prefix}{}", String::from_utf8_lossy(name));
            let folder = |entry: Entry| match entry {
                Entry::Folder(oid) => Some(oid),
                _ => None,
            };
            let file = |entry: Entry| match entry {
                Entry::File(oid) => Some((path.clone(), oid)),
                _ => None,
            };
            if folder(before).is_some() || folder(after).is_some() {
                pending.push((format!("{path}/"), folder(before), folder(after)));
            }
            let (old_file, new_file) = (file(before), file(after));
            if old_file.is_some() || new_file.is_some() {
                changes.push(Change {
                    old: old_file,
                    new: new_file,
                });
            }
        }
    }
    changes.sort_by(|a, b| {
        let key = |c: &Change| c.new.as_ref().or(c.old.as_ref()).map(|(p, _)| p.clone());
        key(a).cmp(&key(b))
    });
    Ok(changes)
}

/// libgit2's diff with rename detection.
fn with_renames(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<Change>> {
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
