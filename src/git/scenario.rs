//! The merge scenario: the base(s), both parents and the result, from one of three sources — a merge
//! commit (`audit`), an in-memory merge (`check <branch>`), or the index while a merge is being
//! committed (`check` during a merge, and the hooks).

use std::path::Path;

use git2::{Index, MergeOptions, Oid, Repository};

use crate::error::{Error, Result};

/// Where the result tree came from; printed as the `merge` of each finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultSource {
    Commit(Oid),
    Index,
    Simulated,
}

impl std::fmt::Display for ResultSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResultSource::Commit(oid) => write!(f, "{oid}"),
            ResultSource::Index => f.write_str("index"),
            ResultSource::Simulated => f.write_str("simulated"),
        }
    }
}

/// The four trees of a merge and what is known of its branches.
#[derive(Clone, Debug)]
pub struct MergeScenario {
    pub result: ResultSource,
    pub ours: Oid,
    pub theirs: Oid,
    /// Merge-base commits; empty for unrelated histories.
    pub bases: Vec<Oid>,
    /// The tree of each base (the empty tree for unrelated histories), first = git's best base.
    pub base_trees: Vec<Oid>,
    pub ours_tree: Oid,
    pub theirs_tree: Oid,
    /// The result without the paths that are still conflicted.
    pub result_tree: Oid,
    /// Paths left conflicted by the merge (dry run or index): not analysed as a result.
    pub conflicts: Vec<String>,
    pub ours_branch: Option<String>,
    pub theirs_branch: Option<String>,
}

impl MergeScenario {
    pub fn base_tree(&self) -> Oid {
        self.base_trees[0]
    }
}

/// The merge bases of two commits. No base in a complete history means unrelated histories (the
/// empty tree is the base, as for git); no base in a shallow clone is an error, never a pass.
fn merge_bases(repo: &Repository, ours: Oid, theirs: Oid) -> Result<(Vec<Oid>, Vec<Oid>)> {
    match repo.merge_bases(ours, theirs) {
        Ok(bases) => {
            let bases: Vec<Oid> = bases.iter().copied().collect();
            let mut trees = Vec::with_capacity(bases.len());
            for base in &bases {
                trees.push(repo.find_commit(*base)?.tree_id());
            }
            Ok((bases, trees))
        }
        Err(err) if err.code() == git2::ErrorCode::NotFound => {
            if repo.is_shallow() {
                return Err(Error::ShallowHistory {
                    ours: super::short_id(ours),
                    theirs: super::short_id(theirs),
                });
            }
            Ok((Vec::new(), vec![super::empty_tree(repo)?]))
        }
        Err(err) => Err(err.into()),
    }
}

/// Whether `commit` is where a shallow clone's history was cut (listed in `.git/shallow`): its
/// parents exist but were not fetched, so it may well be a merge.
fn is_shallow_boundary(repo: &Repository, commit: Oid) -> bool {
    if !repo.is_shallow() {
        return false;
    }
    let id = commit.to_string();
    std::fs::read_to_string(repo.commondir().join("shallow"))
        .is_ok_and(|list| list.lines().any(|line| line.trim() == id))
}

/// Branch names a merge commit's message gives (`Merge branch 'main' into feature`,
/// `Merge remote-tracking branch 'origin/main'`, `Merge pull request #7 from user/topic`).
pub fn branches_from_message(message: &str) -> (Option<String>, Option<String>) {
    let first = message.lines().next().unwrap_or_default().trim();
    let quoted = |rest: &str| -> Option<(String, String)> {
        let rest = rest.strip_prefix('\'')?;
        let end = rest.find('\'')?;
        Some((rest[..end].to_string(), rest[end + 1..].to_string()))
    };
    // A branch name has no spaces and cannot end with a dot (git check-ref-format): what follows
    // it on the line is the author's words ("into topic. Fixes #4386").
    let into = |tail: &str| {
        tail.split_once(" into ").and_then(|(_, ours)| {
            let name = ours
                .split_whitespace()
                .next()?
                .trim_end_matches(['.', ',', ':']);
            (!name.is_empty()).then(|| name.to_string())
        })
    };
    for prefix in [
        "Merge branch ",
        "Merge remote-tracking branch ",
        "Merge tag ",
    ] {
        if let Some(rest) = first.strip_prefix(prefix) {
            if let Some((theirs, tail)) = quoted(rest) {
                return (into(&tail), Some(theirs));
            }
        }
    }
    if let Some(rest) = first.strip_prefix("Merge pull request #") {
        if let Some((_, from)) = rest.split_once(" from ") {
            let branch = from.split_whitespace().next().unwrap_or_default();
            let branch = branch.split_once('/').map_or(branch, |(_, name)| name);
            return (None, Some(branch.to_string()));
        }
    }
    (None, None)
}

/// The scenario of an existing two-parent merge commit. `Ok(None)` for an octopus merge, which
/// is not analysed (the caller says so).
pub fn from_merge_commit(repo: &Repository, rev: &str) -> Result<Option<MergeScenario>> {
    let commit = super::resolve_commit(repo, rev)?;
    match commit.parent_count() {
        2 => {}
        0 | 1 => {
            if is_shallow_boundary(repo, commit.id()) {
                return Err(Error::ShallowCommit {
                    rev: rev.to_string(),
                    sha: commit.id().to_string(),
                });
            }
            return Err(Error::NotAMerge {
                rev: rev.to_string(),
                sha: commit.id().to_string(),
                parents: commit.parent_count(),
            });
        }
        _ => return Ok(None),
    }
    let ours = commit.parent(0)?;
    let theirs = commit.parent(1)?;
    let (bases, base_trees) = merge_bases(repo, ours.id(), theirs.id())?;
    let (ours_branch, theirs_branch) = branches_from_message(commit.message().unwrap_or_default());
    Ok(Some(MergeScenario {
        result: ResultSource::Commit(commit.id()),
        ours: ours.id(),
        theirs: theirs.id(),
        bases,
        base_trees,
        ours_tree: ours.tree_id(),
        theirs_tree: theirs.tree_id(),
        result_tree: commit.tree_id(),
        conflicts: Vec::new(),
        ours_branch,
        theirs_branch,
    }))
}

/// Writes the stage-0 entries of `index` as a tree (to the in-memory store) and lists the paths
/// that are still conflicted.
fn resolved_tree(repo: &Repository, index: &Index) -> Result<(Oid, Vec<String>)> {
    let mut resolved = Index::new()?;
    let mut conflicts = Vec::new();
    for entry in index.iter() {
        let stage = (entry.flags >> 12) & 0x3;
        if stage == 0 {
            resolved.add(&entry)?;
        } else {
            let path = String::from_utf8_lossy(&entry.path).into_owned();
            if conflicts.last() != Some(&path) {
                conflicts.push(path);
            }
        }
    }
    conflicts.sort();
    conflicts.dedup();
    Ok((resolved.write_tree_to(repo)?, conflicts))
}

/// As [`resolved_tree`], for an index this run owns (the in-memory merge's): the conflicted entries
/// are dropped from it in place and the rest written as is, instead of copying every entry into a
/// new index (a tenth of a check on a 50,000-file tree).
fn resolved_tree_of_merge(repo: &Repository, mut index: Index) -> Result<(Oid, Vec<String>)> {
    let mut conflicted: Vec<Vec<u8>> = Vec::new();
    if index.has_conflicts() {
        for conflict in index.conflicts()? {
            let conflict = conflict?;
            for entry in [conflict.ancestor, conflict.our, conflict.their]
                .into_iter()
                .flatten()
            {
                conflicted.push(entry.path);
            }
        }
        conflicted.sort();
        conflicted.dedup();
        for path in &conflicted {
            match path_of_bytes(path) {
                Some(path) => index.conflict_remove(path)?,
                // A path this platform cannot name: copy the resolved entries instead.
                None => return resolved_tree(repo, &index),
            }
        }
    }
    let mut conflicts: Vec<String> = conflicted
        .iter()
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect();
    conflicts.sort();
    conflicts.dedup();
    Ok((index.write_tree_to(repo)?, conflicts))
}

#[cfg(unix)]
fn path_of_bytes(bytes: &[u8]) -> Option<&std::path::Path> {
    use std::os::unix::ffi::OsStrExt;
    Some(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_of_bytes(bytes: &[u8]) -> Option<&std::path::Path> {
    std::str::from_utf8(bytes).ok().map(std::path::Path::new)
}

/// A dry-run merge of `theirs_rev` into `into_rev`, in memory: the work tree, index and refs are
/// not touched. Two commits without common history are refused, as `git merge` refuses them,
/// unless `allow_unrelated` (git's `--allow-unrelated-histories`).
pub fn simulate(
    repo: &Repository,
    theirs_rev: &str,
    into_rev: &str,
    allow_unrelated: bool,
) -> Result<MergeScenario> {
    let ours = if into_rev == "HEAD" {
        match repo.head() {
            Ok(head) => head.peel_to_commit()?,
            Err(err) if err.code() == git2::ErrorCode::UnbornBranch => {
                return Err(Error::UnbornHead)
            }
            Err(_) => super::resolve_commit(repo, into_rev)?,
        }
    } else {
        super::resolve_commit(repo, into_rev)?
    };
    let theirs = super::resolve_commit(repo, theirs_rev)?;
    let (bases, base_trees) = merge_bases(repo, ours.id(), theirs.id())?;
    if bases.is_empty() && !allow_unrelated {
        return Err(Error::UnrelatedHistories {
            theirs: theirs_rev.to_string(),
            ours: into_rev.to_string(),
        });
    }
    let mut options = MergeOptions::new();
    options.find_renames(true);
    // libgit2 looks up the merge driver of each conflicting file in .gitattributes, from the work
    // tree and then the index, and loads the whole index for it (a twentieth of a check on a
    // 50,000-file tree). A dry run does not merge into the index: this handle gets an empty
    // in-memory one, and attributes come from the work tree, as for `git merge`.
    if !repo.is_bare() {
        let mut empty = git2::Index::new()?;
        repo.set_index(&mut empty)?;
    }
    super::promisor::fetch_for_merge(repo, base_trees[0], ours.tree_id(), theirs.tree_id())?;
    let index = repo.merge_commits(&ours, &theirs, Some(&options))?;
    let (result_tree, conflicts) = resolved_tree_of_merge(repo, index)?;
    let ours_branch = if into_rev == "HEAD" {
        super::head_branch(repo)
    } else {
        short_branch_name(repo, into_rev)
    };
    Ok(MergeScenario {
        result: ResultSource::Simulated,
        ours: ours.id(),
        theirs: theirs.id(),
        bases,
        base_trees,
        ours_tree: ours.tree_id(),
        theirs_tree: theirs.tree_id(),
        result_tree,
        conflicts,
        ours_branch,
        theirs_branch: short_branch_name(repo, theirs_rev),
    })
}

/// The branch a revision names, if it names one (`main`, `origin/main`).
fn short_branch_name(repo: &Repository, rev: &str) -> Option<String> {
    let reference = repo.resolve_reference_from_short_name(rev).ok()?;
    if reference.is_branch() || reference.is_remote() {
        reference.shorthand().ok().map(str::to_string)
    } else {
        None
    }
}

/// The merge being committed: HEAD is ours, `MERGE_HEAD` theirs, the index the result.
/// `Ok(None)` when no merge is in progress.
pub fn from_index(repo: &Repository) -> Result<Option<MergeScenario>> {
    let merge_head_path = repo.path().join("MERGE_HEAD");
    let Ok(merge_heads) = std::fs::read_to_string(&merge_head_path) else {
        return Ok(None);
    };
    let heads: Vec<&str> = merge_heads.split_whitespace().collect();
    let Some(theirs_sha) = heads.first() else {
        return Ok(None);
    };
    let theirs = super::resolve_commit(repo, theirs_sha)?;
    let ours = repo.head()?.peel_to_commit()?;
    let index = match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) => Index::open(Path::new(&path))?,
        None => repo.index()?,
    };
    let mut scenario = from_index_with(repo, &index, ours.id(), theirs.id())?;
    scenario.ours_branch = super::head_branch(repo);
    let message = std::fs::read_to_string(repo.path().join("MERGE_MSG")).unwrap_or_default();
    scenario.theirs_branch = branches_from_message(&message)
        .1
        .or_else(|| super::branch_at(repo, theirs.id(), None));
    Ok(Some(scenario))
}

/// The scenario whose result is `index` merged from `ours` and `theirs`.
pub fn from_index_with(
    repo: &Repository,
    index: &Index,
    ours: Oid,
    theirs: Oid,
) -> Result<MergeScenario> {
    let (bases, base_trees) = merge_bases(repo, ours, theirs)?;
    let (result_tree, conflicts) = resolved_tree(repo, index)?;
    Ok(MergeScenario {
        result: ResultSource::Index,
        ours,
        theirs,
        bases,
        base_trees,
        ours_tree: repo.find_commit(ours)?.tree_id(),
        theirs_tree: repo.find_commit(theirs)?.tree_id(),
        result_tree,
        conflicts,
        ours_branch: None,
        theirs_branch: None,
    })
}

#[cfg(test)]
mod tests {
    use super::branches_from_message;

    #[test]
    fn the_branch_merged_into_ends_where_the_authors_words_begin() {
        assert_eq!(
            branches_from_message(
                "Merge branch 'bug5566' into csnover-bug5566. Fixes #4386, #5566."
            ),
            (
                Some("csnover-bug5566".to_string()),
                Some("bug5566".to_string())
            )
        );
    }

    #[test]
    fn merge_messages_name_their_branches() {
        assert_eq!(
            branches_from_message("Merge branch 'main' into feature\n\n# Conflicts:"),
            (Some("feature".into()), Some("main".into()))
        );
        assert_eq!(
            branches_from_message("Merge branch 'topic'"),
            (None, Some("topic".into()))
        );
        assert_eq!(
            branches_from_message("Merge remote-tracking branch 'origin/main' into dev"),
            (Some("dev".into()), Some("origin/main".into()))
        );
        assert_eq!(
            branches_from_message("Merge pull request #12 from alice/legacy-cleanup"),
            (None, Some("legacy-cleanup".into()))
        );
        assert_eq!(branches_from_message("Fix the build"), (None, None));
    }
}
