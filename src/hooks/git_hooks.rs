//! The scripts in git's own hooks folder, for a repository that no hook manager runs: `install`
//! writes them there, keeping a hook the user already has running first, and `uninstall` takes
//! them out again, also from where a hook manager installed later moved them (lefthook renames a
//! hook it replaces to `<name>.old`, the pre-commit framework to `<name>.legacy`).

use std::path::{Path, PathBuf};

use git2::Repository;

use super::{is_ours, SCRIPTS};
use crate::error::{Error, Result};

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

/// Where a hook of ours can be after another tool moved it: its own name, lefthook's `.old`, the
/// pre-commit framework's `.legacy` (which that framework still runs).
const SLOTS: [&str; 3] = ["", ".old", ".legacy"];

/// Where `install` keeps a hook it found: `.local` (chained, runs first) or, with `--force`,
/// `.conflictguard-backup`.
const KEPT: [&str; 2] = [".local", ".conflictguard-backup"];

pub(super) fn write_script(path: &Path, text: &str, executable: bool) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(format!("making {} executable", path.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
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
                write_script(&path, script, true)?;
                said.push(format!("installed {}", path.display()));
            }
            Ok(existing) if is_ours(&existing) => {
                if existing == script {
                    said.push(format!("already installed: {}", path.display()));
                } else {
                    write_script(&path, script, true)?;
                    said.push(format!("updated {}", path.display()));
                }
            }
            _ if force => {
                let backup = dir.join(format!("{name}.conflictguard-backup"));
                rename(&path, &backup)?;
                write_script(&path, script, true)?;
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
                write_script(&path, script, true)?;
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

/// Removes our hooks from every slot they can be in, and puts the hook `install` kept aside back
/// into the slot ours left: the hook's own name, or the name the tool that moved ours gave it, so
/// that the tool runs (lefthook restores `.old` on its uninstall; pre-commit runs `.legacy`).
pub fn uninstall(repo: &Repository) -> Result<Vec<String>> {
    let dir = hooks_dir(repo);
    let mut said = Vec::new();
    for (name, _) in SCRIPTS {
        let mut freed = Vec::new();
        for slot in SLOTS {
            let path = dir.join(format!("{name}{slot}"));
            if std::fs::read_to_string(&path).is_ok_and(|text| is_ours(&text)) {
                std::fs::remove_file(&path)
                    .map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
                said.push(format!("removed {}", path.display()));
                freed.push(path);
            }
        }
        for kept in KEPT {
            let kept = dir.join(format!("{name}{kept}"));
            if !kept.exists() {
                continue;
            }
            let own_name = dir.join(name);
            let slot = freed
                .iter()
                .find(|slot| !slot.exists())
                .cloned()
                .or_else(|| (!own_name.exists()).then_some(own_name));
            match slot {
                Some(slot) => {
                    rename(&kept, &slot)?;
                    said.push(format!(
                        "restored your hook {} as {}",
                        kept.display(),
                        slot.display()
                    ));
                }
                None => said.push(format!(
                    "kept {}: {} is not conflictguard's now, so nothing runs it; move it back by hand if you want it",
                    kept.display(),
                    dir.join(name).display()
                )),
            }
        }
    }
    Ok(said)
}
