//! One file per command, each thin over the library: resolve what the command names, load the
//! settings, run the analysis, hand the report to a reporter, and say how the run ended.

mod audit;
mod check;
mod ci;
mod completions;
mod demo;
mod explain;
mod hook;
mod install;

use std::io::Write;

use crate::cli::{Command, Invocation};
use crate::config::FailOn;
use crate::error::{Error, Result};
use crate::report::Report;

/// How a run ended, as the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// Findings at or above `--fail-on`, or a dry run that hit conflicts.
    Findings,
    /// conflictguard could not do its job.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }

    /// The status of a report: findings at or above `fail_on`, or conflicts in a dry run, fail.
    pub fn of(report: &Report, fail_on: FailOn) -> ExitStatus {
        let failing = report.findings().any(|f| fail_on.fails(f.severity))
            || (report.unanalysed_warning() && fail_on.fails(crate::finding::Severity::Warning));
        if failing || (report.has_conflicts() && fail_on != FailOn::Never) {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

/// Runs one command.
pub fn run(invocation: &Invocation) -> Result<ExitStatus> {
    match &invocation.command {
        Command::Check {
            branch,
            into,
            allow_unrelated_histories,
        } => check::run(
            invocation,
            branch.as_deref(),
            into,
            *allow_unrelated_histories,
        ),
        Command::Audit { target } => audit::run(invocation, target),
        Command::Ci {
            base,
            head,
            lookback,
        } => ci::run(invocation, base.as_deref(), head.as_deref(), *lookback),
        Command::Explain { code } => explain::run(code.as_deref()),
        Command::Demo { keep } => demo::run(invocation, *keep),
        Command::Hook(hook) => hook::run(invocation, *hook),
        Command::PreReceive { deadline } => hook::pre_receive(invocation, *deadline),
        Command::Install {
            force,
            with,
            server,
        } => install::install(invocation, *force, *with, *server),
        Command::Uninstall { server } => install::uninstall(invocation, *server),
        Command::Completions { shell } => completions::run(*shell),
    }
}

/// Prints a report in the invocation's format on standard output.
fn print_report(invocation: &Invocation, report: &Report) -> Result<()> {
    let mut out = Vec::new();
    crate::report::write(report, invocation.format, invocation.color, &mut out)
        .map_err(|e| Error::io("writing the report", e))?;
    write_stdout(&out)
}

/// Writes to standard output; a closed pipe (`conflictguard … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("writing to standard output", err))
        }
        _ => Ok(()),
    }
}
