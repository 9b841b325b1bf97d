//! Repository access. Everything conflictguard learns from git goes through here: opening the
//! repository read-only, resolving revisions, the merge scenario, the paths each side changed, and
//! the commit that removed a name.
//!
//! conflictguard never writes to a repository it reads. The in-memory merge of `check` and the trees
//! it builds from an index are written to an in-memory object store (libgit2's mempack backend, in
//! front of a read-only view of the repository's objects), so nothing reaches `.git/objects`. The
//! one exception is git's own: in a partial clone, the blobs the clone left out are fetched by git
//! into a promisor pack, as any git command that needs them would (see `promisor`).

pub mod changes;
pub mod promisor;
pub mod pull_request;
pub mod readonly_odb;
pub mod removed_by;
pub mod scenario;

use std::path::{Path, PathBuf};

use git2::{Commit, ObjectType, Oid, Repository, Tree};

use crate::error::{Error, Result};

/// Opens the repository at or above `path` (or the one git's environment names, as in a hook),
/// with writes diverted to memory.
pub fn open(path: Option<&Path>) -> Result<Repository> {
    // Objects are read by id from a repository git keeps; re-hashing every blob on read (libgit2's
    // default) cost a tenth of a `check` in profiles and guards against nothing `git fsck` misses.
    git2::opts::strict_hash_verification(false);
    // The trees conflictguard writes (to memory) list blobs read from this repository; checking
    // that each exists again cost a twentieth of a `check`.
    git2::opts::strict_object_creation(false);
    // Keep trees in libgit2's object cache whatever their size (the default skips trees over
    // 4 KiB, so every diff of a large root tree inflated it again: a fifth of an audit).
    // SAFETY: a process-wide setting, changed before any object is read, with a valid kind.
    unsafe {
        let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 1 << 20);
        let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Commit, 1 << 16);
    }
    let repo = match path {
        Some(path) => Repository::discover(path).map_err(|source| Error::NotARepository {
            path: path.to_path_buf(),
            source,
        })?,
        None => Repository::open_from_env().map_err(|source| Error::NotARepository {
            path: std::env::current_dir().unwrap_or_default(),
            source,
        })?,
    };
    divert_writes_to_memory(&repo)?;
    Ok(repo)
}

/// Opens another handle on the repository `repo` is (for another thread: libgit2 handles are not
/// shared between threads), read-only like the first.
pub fn reopen(path: &Path) -> Result<Repository> {
    let repo = Repository::open(path).map_err(|source| Error::NotARepository {
        path: path.to_path_buf(),
        source,
    })?;
    divert_writes_to_memory(&repo)?;
    Ok(repo)
}

/// Puts an in-memory object store in front of a read-only view of the repository's, so every object
/// libgit2 writes during a run (merged blobs, trees) stays in memory and no file of the repository
/// is touched, not even the modification time of an existing object (see `readonly_odb`). The view
/// includes the object folders git's environment names (see [`environment_object_dirs`]).
pub fn divert_writes_to_memory(repo: &Repository) -> Result<()> {
    readonly_odb::install(repo, &environment_object_dirs())?;
    Ok(())
}

/// The object folders git's environment adds to a repository's own, as git reads them for any
/// repository: `GIT_OBJECT_DIRECTORY` and the list in `GIT_ALTERNATE_OBJECT_DIRECTORIES`. While a
/// pre-receive hook runs, the pushed objects are only there (git's quarantine, `GIT_QUARANTINE_PATH`).
/// libgit2 reads these variables only when it opens a repository from the environment, and only
/// for the object database it opens itself, which [`divert_writes_to_memory`] replaces.
pub fn environment_object_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("GIT_OBJECT_DIRECTORY")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    if let Some(list) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(std::env::split_paths(&list).filter(|dir| !dir.as_os_str().is_empty()));
    }
    dirs
}

/// Resolves a revision to a commit.
pub fn resolve_commit<'r>(repo: &'r Repository, rev: &str) -> Result<Commit<'r>> {
    let object = repo
        .revparse_single(rev)
        .map_err(|source| Error::UnknownRevision {
            rev: rev.to_string(),
            source,
        })?;
    object.peel_to_commit().map_err(|_| Error::NotACommit {
        rev: rev.to_string(),
    })
}

/// The id of the empty tree, written to the in-memory store.
pub fn empty_tree(repo: &Repository) -> Result<Oid> {
    Ok(repo.treebuilder(None)?.write()?)
}

/// The blob at `path` in `tree`, when it is a regular file (not a symlink or a submodule).
pub fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    let regular = matches!(entry.filemode(), 0o100644 | 0o100755);
    (entry.kind() == Some(ObjectType::Blob) && regular).then(|| entry.id())
}

/// The bytes of a blob.
pub fn read_blob(repo: &Repository, oid: Oid) -> Result<Vec<u8>> {
    Ok(repo.find_blob(oid)?.content().to_vec())
}

/// The short form of a commit id, as `git log --oneline` prints it by default.
pub fn short_id(oid: Oid) -> String {
    let mut text = oid.to_string();
    text.truncate(7);
    text
}

/// The local branch whose tip is `commit`, preferring `preferred` when several are.
pub fn branch_at(repo: &Repository, commit: Oid, preferred: Option<&str>) -> Option<String> {
    branch_at_tip(&branch_tips(repo), commit, preferred)
}

/// Every branch (local and remote-tracking), by the commit at its tip: read once for an audit,
/// which names the sides of every merge (listing the refs per merge was a fifth of an audit).
pub fn branch_tips(repo: &Repository) -> std::collections::HashMap<Oid, Vec<String>> {
    let mut tips: std::collections::HashMap<Oid, Vec<String>> = std::collections::HashMap::new();
    let Ok(branches) = repo.branches(None) else {
        return tips;
    };
    for (branch, _) in branches.flatten() {
        let Some(target) = branch.get().peel_to_commit().ok().map(|c| c.id()) else {
            continue;
        };
        if let Ok(Some(name)) = branch.name() {
            tips.entry(target).or_default().push(name.to_string());
        }
    }
    tips
}

/// The branch of `tips` at `commit`, preferring `preferred` when several are, else the first by
/// name.
pub fn branch_at_tip(
    tips: &std::collections::HashMap<Oid, Vec<String>>,
    commit: Oid,
    preferred: Option<&str>,
) -> Option<String> {
    let mut names = tips.get(&commit)?.clone();
    if let Some(preferred) = preferred {
        if names.iter().any(|name| name == preferred) {
            return Some(preferred.to_string());
        }
    }
    names.sort();
    names.into_iter().next()
}

/// The branch HEAD is on, if any.
pub fn head_branch(repo: &Repository) -> Option<String> {
    let head = repo.head().ok()?;
    if head.is_branch() {
        head.shorthand().ok().map(str::to_string)
    } else {
        None
    }
}

/// The mainline: the remote's default branch (`origin/HEAD`), else `main`, else `master`.
pub fn detect_mainline(repo: &Repository) -> Option<String> {
    if let Ok(reference) = repo.find_reference("refs/remotes/origin/HEAD") {
        if let Ok(Some(target)) = reference.symbolic_target() {
            if let Some(name) = target.strip_prefix("refs/remotes/origin/") {
                return Some(name.to_string());
            }
        }
    }
    ["main", "master"]
        .into_iter()
        .find(|name| repo.find_branch(name, git2::BranchType::Local).is_ok())
        .map(str::to_string)
}

/// An ISO 8601 UTC timestamp (`2026-11-20T10:00:00Z`) for seconds since the epoch.
pub fn iso_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn iso_dates_match_known_instants() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(1_795_687_200), "2026-11-26T10:00:00Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_date(-1), "1969-12-31T23:59:59Z");
    }
}
