//! `conflictguard install` and `uninstall`: wire the hooks into the repository and take them out.

use super::{write_stdout, ExitStatus};
use crate::cli::Invocation;
use crate::error::Result;
use crate::{git, hooks};

pub fn install(
    invocation: &Invocation,
    force: bool,
    with: Option<hooks::Manager>,
) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let said = hooks::install(&repo, force, with)?;
    write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
    Ok(ExitStatus::Clean)
}

pub fn uninstall(invocation: &Invocation) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let said = hooks::uninstall(&repo)?;
    write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
    Ok(ExitStatus::Clean)
}
