//! Where a finding comes from: which branch each side is, and the commit on the removing side that
//! took the name out of the file. Computed after the rules ran, only for what they found.

use std::collections::HashMap;

use git2::Repository;

use super::{Analyzer, Labels};
use crate::error::Result;
use crate::finding::{Finding, Side};
use crate::git::removed_by::{commit_info, removing_commit, CommitInfo};
use crate::git::scenario::MergeScenario;
use crate::lang;
use crate::symbols::contains_word;

/// The branches of a merge: from the scenario (a merge message, the branch the user named), else
/// the branch whose tip is that side's commit, else the mainline for the side it contains.
pub fn labels(repo: &Repository, scenario: &MergeScenario, mainline: Option<&str>) -> Labels {
    let mut labels = Labels {
        ours: scenario
            .ours_branch
            .clone()
            .or_else(|| crate::git::branch_at(repo, scenario.ours, mainline)),
        theirs: scenario
            .theirs_branch
            .clone()
            .or_else(|| crate::git::branch_at(repo, scenario.theirs, mainline)),
    };
    let mainline = mainline
        .map(str::to_string)
        .or_else(|| crate::git::detect_mainline(repo));
    if let Some(mainline) = mainline {
        let named = [labels.ours.as_deref(), labels.theirs.as_deref()];
        if !named.contains(&Some(mainline.as_str())) {
            if let Ok(tip) = crate::git::resolve_commit(repo, &mainline) {
                let contains = |commit| {
                    commit == tip.id()
                        || repo.graph_descendant_of(tip.id(), commit).unwrap_or(false)
                };
                if labels.ours.is_none() && contains(scenario.ours) {
                    labels.ours = Some(mainline);
                } else if labels.theirs.is_none() && contains(scenario.theirs) {
                    labels.theirs = Some(mainline);
                }
            }
        }
    }
    labels
}

/// Fills `removed_by` (branch and commit) of each finding that has a removing side.
pub fn add_removing_commits(
    analyzer: &Analyzer<'_>,
    scenario: &MergeScenario,
    labels: &Labels,
    findings: &mut [Finding],
) -> Result<()> {
    let repo = analyzer.repo();
    let mut found: HashMap<(Side, String, String), Option<CommitInfo>> = HashMap::new();
    for finding in findings.iter_mut() {
        let Some(removed_by) = finding.removed_by.as_mut() else {
            continue;
        };
        removed_by.branch = labels.branch(removed_by.side).map(str::to_string);
        let Some(path) = finding.removed_from.clone() else {
            continue;
        };
        let name = finding.identifier.clone();
        let key = (removed_by.side, path.clone(), name.clone());
        if let Some(commit) = found.get(&key) {
            removed_by.commit = commit.clone();
            continue;
        }
        let tip = match removed_by.side {
            Side::Ours => scenario.ours,
            Side::Theirs => scenario.theirs,
        };
        let language = lang::for_path(&path);
        let present = |blob: Option<git2::Oid>| -> bool {
            let (Some(oid), Some(language)) = (blob, language) else {
                return false;
            };
            let Ok(text) = crate::git::read_blob(repo, oid) else {
                return false;
            };
            contains_word(&text, &name) && analyzer.parse(oid, language, &text).contains(&name)
        };
        let commit = match removing_commit(repo, tip, &scenario.bases, &path, present)? {
            Some(oid) => Some(commit_info(repo, oid)?),
            None => None,
        };
        removed_by.commit = commit.clone();
        found.insert(key, commit);
    }
    Ok(())
}
