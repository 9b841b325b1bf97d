//! `conflictguard install` and `uninstall`: wire the hooks into the repository and take them out.

use super::{write_stdout, ExitStatus};
use crate::cli::Invocation;
use crate::error::Result;
use crate::{git, hooks};

pub fn install(
    invocation: &Invocation,
    force: bool,
    with: Option<hooks::Manager>,
    server: bool,
) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let said = if server {
        hooks::server::install(&repo, force)?
    } else {
        hooks::install(&repo, force, with)?
    };
    write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
    Ok(ExitStatus::Clean)
}

pub fn uninstall(invocation: &Invocation, server: bool) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let said = if server {
        hooks::server::uninstall(&repo)?
    } else {
        hooks::uninstall(&repo)?
    };
    write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
    Ok(ExitStatus::Clean)
}
