//! A pull request as `conflictguard ci` reads it: its base and head, named by flags or by GitHub's
//! pull-request checkout, and the merge commits inside it.

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::git;

/// The base and head of a pull request.
pub struct PullRequest {
    pub base: Oid,
    pub head: Oid,
    /// How the base was named, for messages (`main`, `origin/main`).
    pub base_name: String,
    /// How many of the base's recent first-parent commits CG005 looks back over.
    pub lookback: usize,
}

/// Resolves `--base`/`--head`; without `--base`, GitHub's pull-request checkout (HEAD is the merge
/// commit GitHub made: first parent the base tip, second the branch) names both.
pub fn pull_request(
    repo: &Repository,
    base: Option<&str>,
    head: Option<&str>,
    lookback: usize,
) -> Result<PullRequest> {
    if let Some(base) = base {
        let head = git::resolve_commit(repo, head.unwrap_or("HEAD"))?.id();
        return Ok(PullRequest {
            base: git::resolve_commit(repo, base)?.id(),
            head,
            base_name: base.to_string(),
            lookback,
        });
    }
    let on_github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let merge = repo.head().ok().and_then(|head| head.peel_to_commit().ok());
    match merge {
        Some(commit) if on_github && head.is_none() && commit.parent_count() == 2 => {
            let base_name = std::env::var("GITHUB_BASE_REF")
                .ok()
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "base".to_string());
            Ok(PullRequest {
                base: commit.parent_id(0)?,
                head: commit.parent_id(1)?,
                base_name,
                lookback,
            })
        }
        _ => Err(Error::MissingBase),
    }
}

/// The merge commits of `base..head`, oldest first; a shallow clone that cannot list them is an
/// error, never an empty list.
pub fn merges_in(repo: &Repository, pr: &PullRequest) -> Result<Vec<Oid>> {
    let incomplete = || Error::IncompleteHistory {
        base: git::short_id(pr.base),
        head: git::short_id(pr.head),
    };
    let mut walk = repo.revwalk()?;
    walk.push(pr.head)?;
    walk.hide(pr.base)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut merges = Vec::new();
    for oid in walk {
        let oid = oid.map_err(|err| {
            if repo.is_shallow() {
                incomplete()
            } else {
                err.into()
            }
        })?;
        let commit = repo.find_commit(oid)?;
        if commit.parent_count() >= 2 {
            merges.push(oid);
        }
    }
    if repo.is_shallow() && repo.merge_base(pr.base, pr.head).is_err() {
        return Err(incomplete());
    }
    Ok(merges)
}
