//! `conflictguard ci`: the status check of a pull request. Every merge commit inside the branch is
//! audited (a resolution that undid the base's deletion hides there, where the final merge cannot
//! see it), then the final merge of the head into the base is simulated and analysed as the pull
//! request's own merge, which is where CG005 compares the pull request's additions with what the
//! base removed recently (a rebased or squashed branch carries no merge to read). The settings
//! come from the base, so that a pull request cannot silence the check on itself.

use super::{print_report, ExitStatus};
use crate::analysis::{dedup, Analyzer};
use crate::cli::Invocation;
use crate::config::{Settings, SettingsSource};
use crate::error::Result;
use crate::git::{self, pull_request, scenario};
use crate::report::Report;

pub fn run(
    invocation: &Invocation,
    base: Option<&str>,
    head: Option<&str>,
    lookback: usize,
) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let pr = pull_request::pull_request(&repo, base, head, lookback)?;
    let settings = Settings::load(
        &repo,
        &invocation.overrides,
        SettingsSource::Revision(pr.base),
    )?;
    let fail_on = settings.fail_on;
    let unanalysed_warns = settings.unanalysed_warns;
    let analyzer = Analyzer::new(&repo, settings);
    let mut merges = Vec::new();
    for merge in pull_request::merges_in(&repo, &pr)? {
        match scenario::from_merge_commit(&repo, &merge.to_string())? {
            Some(scenario) => merges.push(analyzer.merge_report(&scenario, None)?),
            None => merges.push(analyzer.octopus_report(merge)?),
        }
    }
    let mut final_merge =
        scenario::simulate(&repo, &pr.head.to_string(), &pr.base.to_string(), true)?;
    final_merge.ours_branch = Some(pr.base_name.clone());
    let mut last = analyzer.merge_report(&final_merge, Some(&pr))?;
    dedup::against_earlier_merges(&mut last, &merges);
    merges.push(last);
    let report = Report {
        merges,
        parses: analyzer.parses(),
        unanalysed_warns,
    };
    print_report(invocation, &report)?;
    Ok(ExitStatus::of(&report, fail_on))
}
