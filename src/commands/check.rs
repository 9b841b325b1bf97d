//! `conflictguard check [<branch>]`: a dry-run merge of a branch (in memory; nothing in the
//! repository changes), or, without a branch while a merge is in progress, the index.

use super::{print_report, ExitStatus};
use crate::analysis::Analyzer;
use crate::cli::Invocation;
use crate::config::{Settings, SettingsSource};
use crate::error::{Error, Result};
use crate::report::Report;
use crate::{git, lang};

pub fn run(
    invocation: &Invocation,
    branch: Option<&str>,
    into: &str,
    allow_unrelated_histories: bool,
) -> Result<ExitStatus> {
    lang::preload();
    let repo = git::open(invocation.repository.as_deref())?;
    let settings = Settings::load(&repo, &invocation.overrides, SettingsSource::Repository)?;
    let fail_on = settings.fail_on;
    let unanalysed_warns = settings.unanalysed_warns;
    let analyzer = Analyzer::new(&repo, settings);
    let scenario = match branch {
        Some(branch) => git::scenario::simulate(&repo, branch, into, allow_unrelated_histories)?,
        None => git::scenario::from_index(&repo)?.ok_or(Error::NothingToCheck)?,
    };
    let report = Report {
        merges: vec![analyzer.merge_report(&scenario, None)?],
        parses: analyzer.parses(),
        unanalysed_warns,
    };
    print_report(invocation, &report)?;
    Ok(ExitStatus::of(&report, fail_on))
}
