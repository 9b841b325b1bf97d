//! `conflictguard hook <name>`: what the installed git hooks call. Checks the merge being
//! committed, or on a server the push being received, and prints to standard error, which git
//! shows; a refusal ends with what to do next.

use std::io::{Read, Write};

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
        out.extend_from_slice(hooks::guidance(hook, report.findings()).as_bytes());
    }
    // Standard error is git's channel for hook output; a closed one is no reason to fail.
    let _ = std::io::stderr().lock().write_all(&out);
    Ok(status)
}

/// `conflictguard hook pre-receive`: git's `<old> <new> <ref>` lines on standard input; refuses the
/// push (exit 1) when a protected branch would get back a name it removed.
pub fn pre_receive(
    invocation: &Invocation,
    deadline: Option<std::time::Duration>,
) -> Result<ExitStatus> {
    // The deadline counts from here: git's own time limit (a forge's) counts the whole hook.
    let started = std::time::Instant::now();
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| Error::io("reading the pushed refs from standard input", e))?;
    let repo = git::open(invocation.repository.as_deref())?;
    let verdict = hooks::server::check_push(
        &repo,
        &input,
        &hooks::server::PushEnvironment::from_process(),
        &invocation.overrides,
        deadline,
        started,
    )?;
    let _ = std::io::stderr().lock().write_all(verdict.text.as_bytes());
    Ok(if verdict.refused {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
