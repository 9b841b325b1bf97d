//! The git hooks: what `conflictguard hook <name>` checks, and `install` / `uninstall`, which wire
//! the scripts of `hooks/` into a repository without clobbering the hooks it already has.
//!
//! Git runs `pre-merge-commit` only for a merge that completed on its own; then `MERGE_HEAD` does
//! not exist yet, the index holds the merged result, and the incoming revision is named only in
//! `GIT_REFLOG_ACTION` (`merge side`, `merge <sha>`, `pull . side`). A merge with conflicts is
//! finished by `git commit`, which runs `pre-commit` with `MERGE_HEAD` present. Neither hook
//! changes anything, so a refused merge stays in progress with the user's resolution intact.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::git::scenario::{self, MergeScenario};

/// The hooks conflictguard provides, with the scripts `install` writes.
pub const SCRIPTS: [(&str, &str); 2] = [
    (
        "pre-merge-commit",
        include_str!("../hooks/pre-merge-commit"),
    ),
    ("pre-commit", include_str!("../hooks/pre-commit")),
];

/// Every script of ours says so on its second line.
const SIGNATURE: &str = "installed by `conflictguard install`";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    PreMergeCommit,
    PreCommit,
}

impl Hook {
    pub fn name(self) -> &'static str {
        match self {
            Hook::PreMergeCommit => "pre-merge-commit",
            Hook::PreCommit => "pre-commit",
        }
    }
}

/// What a hook has to check.
pub enum HookScenario {
    Merge(Box<MergeScenario>),
    /// Not a merge (an ordinary commit): nothing to check.
    NotAMerge,
    /// A merge conflictguard does not analyse, and why.
    Skipped(String),
}

/// The merge a hook is running for.
pub fn scenario(repo: &Repository, hook: Hook) -> Result<HookScenario> {
    if let Some(scenario) = scenario::from_index(repo)? {
        return Ok(HookScenario::Merge(Box::new(scenario)));
    }
    if hook == Hook::PreCommit {
        return Ok(HookScenario::NotAMerge);
    }
    let action = std::env::var("GIT_REFLOG_ACTION").unwrap_or_default();
    let incoming = incoming_commits(repo, &action);
    let theirs = match incoming.as_slice() {
        [one] => *one,
        [] => {
            return Ok(HookScenario::Skipped(format!(
                "could not tell which commit is being merged (GIT_REFLOG_ACTION={action:?}); \
                 if this merge is committed after resolving conflicts, the pre-commit hook checks it"
            )))
        }
        several => {
            return Ok(HookScenario::Skipped(format!(
                "an octopus merge of {} commits is not analysed (conflictguard reads two-parent merges)",
                several.len() + 1
            )))
        }
    };
    let ours = repo.head()?.peel_to_commit()?.id();
    let index = match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) => git2::Index::open(Path::new(&path))?,
        None => repo.index()?,
    };
    let mut scenario = scenario::from_index_with(repo, &index, ours, theirs)?;
    scenario.ours_branch = crate::git::head_branch(repo);
    scenario.theirs_branch =
        merged_branch_name(repo, &action).or_else(|| crate::git::branch_at(repo, theirs, None));
    Ok(HookScenario::Merge(Box::new(scenario)))
}

/// Options of `git merge` that take a value in the next word.
const MERGE_OPTIONS_WITH_VALUE: &[&str] = &[
    "-m",
    "-F",
    "-s",
    "-X",
    "--message",
    "--file",
    "--strategy",
    "--strategy-option",
    "--into-name",
    "--cleanup",
];

/// The revisions a reflog action names: `merge <rev>…` (options skipped) or, for a pull, the
/// commits `FETCH_HEAD` marks for merging.
fn incoming_commits(repo: &Repository, action: &str) -> Vec<Oid> {
    let mut words = action.split_whitespace();
    match words.next() {
        Some("merge") => {
            let mut commits = Vec::new();
            let mut skip_next = false;
            for word in words {
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if word.starts_with('-') {
                    skip_next = MERGE_OPTIONS_WITH_VALUE.contains(&word);
                    continue;
                }
                if let Ok(commit) = crate::git::resolve_commit(repo, word) {
                    commits.push(commit.id());
                }
            }
            commits
        }
        Some("pull") => std::fs::read_to_string(repo.path().join("FETCH_HEAD"))
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.contains("not-for-merge"))
            .filter_map(|line| line.split_whitespace().next())
            .filter_map(|sha| Oid::from_str(sha).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// The branch a `merge <branch>` action names, for messages.
fn merged_branch_name(repo: &Repository, action: &str) -> Option<String> {
    let mut words = action.split_whitespace();
    (words.next() == Some("merge")).then_some(())?;
    words
        .filter(|word| !word.starts_with('-'))
        .find(|word| repo.find_branch(word, git2::BranchType::Local).is_ok())
        .map(str::to_string)
}

/// What a blocked commit should do next, printed after the findings.
pub fn guidance(hook: Hook) -> String {
    let finish = match hook {
        Hook::PreMergeCommit => "The merge is still in progress: fix the files, `git add` them, then run `git commit`.",
        Hook::PreCommit => "Your resolution is untouched: fix the files, `git add` them, then run `git commit` again.",
    };
    format!(
        "conflictguard refused this merge commit. {finish}\n\
         To keep a name on purpose, put `conflictguard: allow <name>` in a comment on its line or the line above.\n\
         To commit without the check: git commit --no-verify\n"
    )
}

/// Where git looks for this repository's hooks: `core.hooksPath` (relative to the work tree), or
/// the common git directory's `hooks/`, which linked worktrees share.
pub fn hooks_dir(repo: &Repository) -> PathBuf {
    if let Ok(path) = repo
        .config()
        .and_then(|config| config.get_path("core.hooksPath"))
    {
        if path.is_absolute() {
            return path;
        }
        return repo
            .workdir()
            .unwrap_or_else(|| repo.commondir())
            .join(path);
    }
    repo.commondir().join("hooks")
}

fn is_ours(text: &str) -> bool {
    text.contains(SIGNATURE)
}

fn write_script(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(format!("making {} executable", path.display()), e))?;
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| Error::io(format!("moving {} to {}", from.display(), to.display()), e))
}

/// Installs both hooks. An existing hook of someone else's is kept and chained: it moves to
/// `<name>.local`, which our script runs first. `force` replaces it instead, keeping a copy as
/// `<name>.conflictguard-backup`. Running it again changes nothing.
pub fn install(repo: &Repository, force: bool) -> Result<Vec<String>> {
    let dir = hooks_dir(repo);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut said = Vec::new();
    for (name, script) in SCRIPTS {
        let path = dir.join(name);
        let local = dir.join(format!("{name}.local"));
        match std::fs::read_to_string(&path) {
            Err(_) if !path.exists() => {
                write_script(&path, script)?;
                said.push(format!("installed {}", path.display()));
            }
            Ok(existing) if is_ours(&existing) => {
                if existing == script {
                    said.push(format!("already installed: {}", path.display()));
                } else {
                    write_script(&path, script)?;
                    said.push(format!("updated {}", path.display()));
                }
            }
            _ if force => {
                let backup = dir.join(format!("{name}.conflictguard-backup"));
                rename(&path, &backup)?;
                write_script(&path, script)?;
                said.push(format!(
                    "replaced {} (the old hook is kept as {})",
                    path.display(),
                    backup.display()
                ));
            }
            _ if local.exists() => {
                return Err(Error::HookInUse {
                    hook: path.display().to_string(),
                    local: local.display().to_string(),
                })
            }
            _ => {
                rename(&path, &local)?;
                write_script(&path, script)?;
                said.push(format!(
                    "installed {} (your existing hook moved to {} and still runs first)",
                    path.display(),
                    local.display()
                ));
            }
        }
    }
    Ok(said)
}

/// Removes our hooks and puts back what `install` moved aside.
pub fn uninstall(repo: &Repository) -> Result<Vec<String>> {
    let dir = hooks_dir(repo);
    let mut said = Vec::new();
    for (name, _) in SCRIPTS {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(existing) if is_ours(&existing) => {
                std::fs::remove_file(&path)
                    .map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
                said.push(format!("removed {}", path.display()));
            }
            Ok(_) => {
                said.push(format!(
                    "left {} alone: it is not conflictguard's",
                    path.display()
                ));
                continue;
            }
            Err(_) => {}
        }
        for kept in [
            format!("{name}.local"),
            format!("{name}.conflictguard-backup"),
        ] {
            let kept = dir.join(kept);
            if kept.exists() && !path.exists() {
                rename(&kept, &path)?;
                said.push(format!("restored {}", path.display()));
            }
        }
    }
    Ok(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scripts_carry_the_signature_and_a_shebang() {
        for (name, script) in SCRIPTS {
            assert!(script.starts_with("#!/bin/sh\n"), "{name}");
            assert!(is_ours(script), "{name}");
            assert!(
                script.contains(&format!("conflictguard hook {name}")),
                "{name}"
            );
        }
    }
}
