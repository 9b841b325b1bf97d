//! `conflictguard check [<branch>]`: a dry-run merge of a branch (in memory; nothing in the
//! repository changes), or, without a branch while a merge is in progress, the index.

use super::{print_report, ExitStatus};
use crate::analysis::Analyzer;
use crate::cli::Invocation;
use crate::config::{Settings, SettingsSource};
use crate::error::{Error, Result};
use crate::finding::Note;
use crate::git;
use crate::git::scenario::MergeScenario;
use crate::report::Report;

pub fn run(
    invocation: &Invocation,
    branch: Option<&str>,
    into: &str,
    allow_unrelated_histories: bool,
) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let settings = Settings::load(&repo, &invocation.overrides, SettingsSource::Repository)?;
    let fail_on = settings.fail_on;
    let unanalysed_warns = settings.unanalysed_warns;
    let analyzer = Analyzer::new(&repo, settings);
    let scenario = match branch {
        Some(branch) => git::scenario::simulate(&repo, branch, into, allow_unrelated_histories)?,
        None => git::scenario::from_index(&repo)?.ok_or(Error::NothingToCheck)?,
    };
    let mut merge = analyzer.merge_report(&scenario, None)?;
    if branch.is_some() {
        merge.notes.extend(fast_forward_note(&repo, &scenario));
    }
    let report = Report {
        merges: vec![merge],
        parses: analyzer.parses(),
        unanalysed_warns,
    };
    print_report(invocation, &report)?;
    Ok(ExitStatus::of(&report, fail_on))
}

/// When the dry run's merge is no merge at all: the branch is already merged, or `git merge` would
/// fast-forward (move the branch without a merge commit, so that no merge hook runs).
fn fast_forward_note(repo: &git2::Repository, scenario: &MergeScenario) -> Option<Note> {
    let (ours, theirs) = (scenario.ours, scenario.theirs);
    let message = if ours == theirs || repo.graph_descendant_of(ours, theirs).unwrap_or(false) {
        "already up to date: the branch is merged already; `git merge` would do nothing"
    } else if repo.graph_descendant_of(theirs, ours).unwrap_or(false) {
        "a fast-forward: `git merge` would move the branch to the other without a merge commit, so no merge hook runs and nothing can be brought back (`git merge --no-ff` makes a merge commit that the hooks check)"
    } else {
        return None;
    };
    Some(Note {
        path: None,
        message: message.to_string(),
    })
}
