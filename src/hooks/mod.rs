//! The git hooks: what `conflictguard hook <name>` checks, and `install` / `uninstall`, which wire
//! the scripts of `hooks/` into a repository without switching off the hooks it already has.
//!
//! Git runs `pre-merge-commit` only for a merge that completed on its own; then `MERGE_HEAD` does
//! not exist yet, the index holds the merged result, and the incoming revision is named only in
//! `GIT_REFLOG_ACTION` (`merge side`, `merge <sha>`, `pull . side`). A merge with conflicts is
//! finished by `git commit`, which runs `pre-commit` with `MERGE_HEAD` present. Neither hook
//! changes anything, so a refused merge stays in progress with the user's resolution intact.
//!
//! Where the scripts go depends on who runs the repository's hooks. Without a hook manager they go
//! into git's hooks folder ([`git_hooks`]). A hook manager (husky, lefthook, the pre-commit
//! framework) owns that folder and rewrites it, so `install` refuses there and `install --with
//! <manager>` adds conflictguard through the manager's own configuration instead ([`managers`]).

mod git_hooks;
pub mod managers;
pub mod server;

use std::path::Path;

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::git::scenario::{self, MergeScenario};

pub use git_hooks::hooks_dir;
pub use managers::Manager;

/// The hooks conflictguard provides, with their scripts: `install` writes them into git's hooks
/// folder, `install --with <manager>` into the repository for the manager to run.
pub const SCRIPTS: [(&str, &str); 2] = [
    (
        "pre-merge-commit",
        include_str!("../../hooks/pre-merge-commit"),
    ),
    ("pre-commit", include_str!("../../hooks/pre-commit")),
];

/// Every script of ours says so on its second line.
const SIGNATURE: &str = "installed by `conflictguard install`";

/// Whether a hook script is one of ours, wherever it was put or moved.
fn is_ours(text: &str) -> bool {
    text.contains(SIGNATURE)
}

/// Wires the hooks into the repository: through `with`, a hook manager's configuration; without
/// it, git's hooks folder, unless a hook manager runs this repository's hooks (then it refuses and
/// says what `--with` would write). Returns what was done, one line each.
pub fn install(repo: &Repository, force: bool, with: Option<Manager>) -> Result<Vec<String>> {
    if let Some(manager) = with {
        return managers::install(repo, manager);
    }
    // `--force` may replace the hooks of a manager conflictguard cannot configure, as it replaces
    // any foreign hook; the ones `--with` supports have a way that keeps their hooks running.
    let refused = managers::detect(repo)
        .into_iter()
        .find(|found| !(force && found.manager.is_none()));
    if let Some(found) = refused {
        return Err(Error::HookManager {
            manager: found.manager_name().to_string(),
            evidence: found.evidence.clone(),
            advice: managers::advice(repo, &found),
        });
    }
    git_hooks::install(repo, force)
}

/// Removes everything `install` added, wherever it put it: the scripts in git's hooks folder
/// (also when a hook manager renamed them), and what `install --with` added to a manager.
pub fn uninstall(repo: &Repository) -> Result<Vec<String>> {
    let mut said = git_hooks::uninstall(repo)?;
    said.extend(managers::uninstall(repo)?);
    if said.is_empty() {
        said.push("nothing of conflictguard's was installed here".to_string());
    }
    Ok(said)
}

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
pub fn guidance<'f>(
    hook: Hook,
    findings: impl IntoIterator<Item = &'f crate::finding::Finding>,
) -> String {
    let finish = match hook {
        Hook::PreMergeCommit => "The merge is still in progress: fix the files, `git add` them, then run `git commit`.",
        Hook::PreCommit => "Your resolution is untouched: fix the files, `git add` them, then run `git commit` again.",
    };
    let mut text = format!("conflictguard refused this merge commit. {finish}\n");
    // For each file, the command that takes the removing side's version of it whole. After
    // `git add`, `git checkout --theirs` does nothing (the index holds one version); naming the
    // commit does. The other side's changes to that file are then lost, so the words say so.
    let mut files: Vec<(&str, crate::finding::Side)> = findings
        .into_iter()
        .filter_map(|f| Some((f.path.as_str(), f.removed_by.as_ref()?.side)))
        .collect();
    files.sort();
    files.dedup();
    for (path, side) in files {
        let (rev, who) = match side {
            crate::finding::Side::Ours => ("HEAD", "your branch's"),
            crate::finding::Side::Theirs => ("MERGE_HEAD", "the merged branch's"),
        };
        text.push_str(&format!(
            "  To take {who} version of {path} whole (dropping the other side's edits to it): git checkout {rev} -- {path}\n"
        ));
    }
    for line in [
        "To redo a conflicted file's resolution from the conflict markers: git checkout -m <file>",
        "To keep a name on purpose, put `conflictguard: allow <name>` in a comment on its line or the line above.",
        "To commit without the check: git commit --no-verify",
    ] {
        text.push_str(&format!("  {line}\n"));
    }
    text
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
