//! `conflictguard hook <name>`: what the installed git hooks call. Checks the merge being
//! committed and prints to standard error, which git shows; a refusal ends with what to do next.

use std::io::Write;

use super::ExitStatus;
use crate::analysis::Analyzer;
use crate::cli::Invocation;
use crate::config::{Format, Settings, SettingsSource};
use crate::error::{Error, Result};
use crate::git;
use crate::hooks::{self, Hook, HookScenario};
use crate::report::Report;

pub fn run(invocation: &Invocation, hook: Hook) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let scenario = match hooks::scenario(&repo, hook)? {
        HookScenario::Merge(scenario) => scenario,
        HookScenario::NotAMerge => return Ok(ExitStatus::Clean),
        HookScenario::Skipped(why) => {
            eprintln!("conflictguard: {why}");
            return Ok(ExitStatus::Clean);
        }
    };
    let settings = Settings::load(&repo, &invocation.overrides, SettingsSource::Repository)?;
    let fail_on = settings.fail_on;
    let unanalysed_warns = settings.unanalysed_warns;
    let analyzer = Analyzer::new(&repo, settings);
    let report = Report {
        merges: vec![analyzer.merge_report(&scenario, None)?],
        parses: analyzer.parses(),
        unanalysed_warns,
    };
    let status = ExitStatus::of(&report, fail_on);
    let mut out = Vec::new();
    crate::report::write(&report, Format::Human, invocation.color, &mut out)
        .map_err(|e| Error::io("writing the report", e))?;
    if status != ExitStatus::Clean {
        let findings: Vec<_> = report.findings().cloned().collect();
        out.extend_from_slice(hooks::guidance(hook, &findings).as_bytes());
    }
    // Standard error is git's channel for hook output; a closed one is no reason to fail.
    let _ = std::io::stderr().lock().write_all(&out);
    Ok(status)
}
