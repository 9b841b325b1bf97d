//! husky (9.x): `husky` sets `core.hooksPath` to `.husky/_`, whose generated shims run the user's
//! `.husky/<hook>` with `sh -e`, finding it by the shim's own file name. conflictguard adds one
//! line to `.husky/pre-commit` and `.husky/pre-merge-commit` that runs its script from
//! `.conflictguard/hooks/`. The line goes first, after a shebang: a user's script may end in
//! `exec …` or `exit`, and a line after that would never run. It runs in a child shell, so its
//! passing does not end the user's script; its failure does (`sh -e`), which refuses the commit.

use std::path::{Path, PathBuf};

use git2::Repository;

use super::{Plan, Removal, SCRIPTS_DIR};
use crate::error::{Error, Result};
use crate::hooks::SCRIPTS;

/// The folder husky keeps the user's hooks in: the parent of a `core.hooksPath` that ends in
/// `.husky/_`, else `.husky` at the top of the work tree.
fn husky_dir(repo: &Repository, workdir: &Path) -> PathBuf {
    let configured = repo
        .config()
        .and_then(|config| config.get_string("core.hooksPath"))
        .unwrap_or_default();
    let configured = configured.trim_end_matches('/');
    match configured.strip_suffix("/_") {
        Some(dir) if dir == ".husky" || dir.ends_with("/.husky") => workdir.join(dir),
        _ => workdir.join(".husky"),
    }
}

/// Why this repository looks like husky's.
pub fn detect(repo: &Repository) -> Option<String> {
    let configured = repo
        .config()
        .and_then(|config| config.get_string("core.hooksPath"))
        .unwrap_or_default();
    let configured = configured.trim_end_matches('/');
    if configured == ".husky" || configured.ends_with("/.husky") || configured.ends_with(".husky/_")
    {
        return Some(format!("core.hooksPath is {configured}"));
    }
    let dir = repo.workdir()?.join(".husky");
    dir.is_dir().then(|| ".husky/ exists".to_string())
}

/// The line that runs our script for `hook`.
fn line(hook: &str) -> String {
    format!("sh {SCRIPTS_DIR}/{hook}")
}

fn relative(path: &Path, workdir: &Path) -> PathBuf {
    path.strip_prefix(workdir).unwrap_or(path).to_path_buf()
}

pub fn plan(repo: &Repository, workdir: &Path) -> Result<Plan> {
    let dir = husky_dir(repo, workdir);
    if !dir.is_dir() {
        return Err(Error::ManagerConfig {
            manager: "husky".to_string(),
            problem: format!("{} does not exist", relative(&dir, workdir).display()),
            advice: "set husky up first: `npx husky init` creates .husky/ (and would overwrite \
                     .husky/pre-commit if it came after); then run `conflictguard install --with husky`"
                .to_string(),
        });
    }
    let mut plan = Plan::default();
    for (hook, _) in SCRIPTS {
        plan.script(workdir, Path::new(SCRIPTS_DIR).join(hook), hook)?;
    }
    for (hook, _) in SCRIPTS {
        let path = relative(&dir.join(hook), workdir);
        let old = std::fs::read_to_string(workdir.join(&path)).ok();
        let ours = line(hook);
        let new = match &old {
            Some(text) if text.lines().any(|l| l.trim() == ours) => text.clone(),
            Some(text) => {
                let mut lines: Vec<&str> = text.lines().collect();
                let at = usize::from(lines.first().is_some_and(|l| l.starts_with("#!")));
                lines.insert(at, &ours);
                lines.join("\n") + "\n"
            }
            None => format!("{ours}\n"),
        };
        plan.config(
            &path.display().to_string(),
            old.as_deref(),
            new,
            vec![("first".to_string(), ours)],
            "conflictguard's line",
        );
    }
    plan.next.push(
        "Commit these files: husky runs them in every clone. A clone without conflictguard \
         passes other commits at once; in a merge, on-error in .conflictguard.toml decides."
            .to_string(),
    );
    Ok(plan)
}

/// Our line out of each husky hook; a hook left with nothing else goes.
pub fn removal(repo: &Repository, workdir: &Path) -> Vec<Removal> {
    let dir = husky_dir(repo, workdir);
    let mut removals = Vec::new();
    for (hook, _) in SCRIPTS {
        let path = relative(&dir.join(hook), workdir);
        let Ok(text) = std::fs::read_to_string(workdir.join(&path)) else {
            continue;
        };
        let ours = line(hook);
        if !text.lines().any(|l| l.trim() == ours) {
            continue;
        }
        let kept: Vec<&str> = text.lines().filter(|l| l.trim() != ours).collect();
        if kept
            .iter()
            .all(|l| l.trim().is_empty() || l.starts_with("#!"))
        {
            removals.push(Removal::Delete {
                path,
                why: "it held only conflictguard's line",
            });
        } else {
            removals.push(Removal::Rewrite {
                path,
                text: kept.join("\n") + "\n",
                removed: vec![("the line".to_string(), ours)],
            });
        }
    }
    removals
}
