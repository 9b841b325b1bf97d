//! `conflictguard install --server` and `uninstall --server`: the pre-receive script of `hooks/`
//! in a repository that receives pushes. Where git's hooks folder has a `pre-receive.d/` folder
//! (Gitea and Forgejo run every script in it), the script goes there as `conflictguard`; else it
//! is `hooks/pre-receive`, and a pre-receive hook already there keeps running first, on the same
//! input, as `pre-receive.local` (in `pre-receive.d/`, a foreign `conflictguard` becomes
//! `conflictguard.local`, which the forge keeps running).

use std::path::Path;

use git2::Repository;

use super::super::git_hooks::write_script;
use super::super::hooks_dir;
use crate::error::{Error, Result};

/// The hook script, as `install --server` writes it.
pub const SCRIPT: &str = include_str!("../../../hooks/pre-receive");

/// The script says so on its second line, wherever it was put.
const SIGNATURE: &str = "installed by `conflictguard install --server`";

/// Where a forge's dispatching pre-receive hook runs every script (Gitea, Forgejo).
const DISPATCH_FOLDER: &str = "pre-receive.d";

const HOOK: &str = "pre-receive";

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(SIGNATURE))
}

/// Where `install` keeps the hook it found at `path`: beside it, with `.local` added.
fn local_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".local");
    path.with_file_name(name)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| Error::io(format!("moving {} to {}", from.display(), to.display()), e))
}

/// Installs the pre-receive hook; says what it did, one line each. Running it again changes
/// nothing; `force` replaces a foreign hook instead of chaining it (a copy is kept).
pub fn install(repo: &Repository, force: bool) -> Result<Vec<String>> {
    let dir = hooks_dir(repo);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut said = Vec::new();
    let dispatch = dir.join(DISPATCH_FOLDER);
    let path = if dispatch.is_dir() {
        dispatch.join("conflictguard")
    } else {
        dir.join(HOOK)
    };
    let local = local_of(&path);
    match std::fs::read_to_string(&path) {
        Err(_) if !path.exists() => {
            write_script(&path, SCRIPT, true)?;
            said.push(format!("installed {}", path.display()));
        }
        Ok(existing) if existing.contains(SIGNATURE) => {
            if existing == SCRIPT {
                said.push(format!("already installed: {}", path.display()));
            } else {
                write_script(&path, SCRIPT, true)?;
                said.push(format!("updated {}", path.display()));
            }
        }
        _ if force => {
            let mut backup = path.file_name().unwrap_or_default().to_os_string();
            backup.push(".conflictguard-backup");
            let backup = path.with_file_name(backup);
            rename(&path, &backup)?;
            write_script(&path, SCRIPT, true)?;
            said.push(format!(
                "replaced {} (the old hook is kept as {}, and no longer runs)",
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
            write_script(&path, SCRIPT, true)?;
            said.push(format!(
                "installed {} (the existing hook moved to {} and still runs first, on the same input)",
                path.display(),
                local.display()
            ));
        }
    }
    if !repo.is_bare() {
        said.push(
            "note: this repository has a work tree; the hook runs when someone pushes into it"
                .to_string(),
        );
    }
    said.push(
        "the hook runs `conflictguard hook pre-receive`: conflictguard must be on the PATH of the account that receives pushes"
            .to_string(),
    );
    Ok(said)
}

/// Removes the pre-receive hook, and puts back the hook `install --server` moved aside.
pub fn uninstall(repo: &Repository) -> Result<Vec<String>> {
    let dir = hooks_dir(repo);
    let mut said = Vec::new();
    for path in [
        dir.join(DISPATCH_FOLDER).join("conflictguard"),
        dir.join(HOOK),
    ] {
        if is_ours(&path) {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
            said.push(format!("removed {}", path.display()));
        }
    }
    for hook in [
        dir.join(DISPATCH_FOLDER).join("conflictguard"),
        dir.join(HOOK),
    ] {
        let local = local_of(&hook);
        if local.exists() && !hook.exists() {
            rename(&local, &hook)?;
            said.push(format!(
                "restored {} from {}",
                hook.display(),
                local.display()
            ));
        }
    }
    if said.is_empty() {
        said.push("no pre-receive hook of conflictguard's was installed here".to_string());
    }
    Ok(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_carries_its_signature_and_calls_the_hook() {
        assert!(SCRIPT.starts_with("#!/bin/sh\n"));
        assert!(SCRIPT
            .lines()
            .nth(1)
            .is_some_and(|line| line.contains(SIGNATURE)));
        assert!(SCRIPT.contains("conflictguard hook pre-receive"));
        // The client hooks' uninstall must not mistake it for one of theirs.
        assert!(!super::super::super::is_ours(SCRIPT));
    }
}
