//! Where a finding comes from: which branch each side is, and the commit on the removing side that
//! took the name out of the file. Computed after the rules ran, only for what they found.

use std::collections::{HashMap, HashSet};

use git2::{Oid, Repository};

use crate::error::Result;
use crate::finding::{BySide, CommitInfo, Finding, Side};
use crate::git::removed_by::{commit_info, removing_commit};
use crate::git::scenario::MergeScenario;
use crate::lang;
use crate::merge::{BranchNames, MergeContext};
use crate::syntax::contains_word;

/// The branches of a merge: from the scenario (a merge message, the branch the user named), else
/// the branch whose tip is that side's commit, else the mainline for the side it contains.
pub fn branch_names(
    tips: &HashMap<Oid, Vec<String>>,
    scenario: &MergeScenario,
    mainline: Option<&(String, HashSet<Oid>)>,
) -> BranchNames {
    let preferred = mainline.map(|(name, _)| name.as_str());
    let mut labels = BySide {
        ours: scenario
            .ours_branch
            .clone()
            .or_else(|| crate::git::branch_at_tip(tips, scenario.ours, preferred)),
        theirs: scenario
            .theirs_branch
            .clone()
            .or_else(|| crate::git::branch_at_tip(tips, scenario.theirs, preferred)),
    };
    if let Some((name, chain)) = mainline {
        let named = [labels.ours.as_deref(), labels.theirs.as_deref()];
        if !named.contains(&Some(name.as_str())) {
            if labels.ours.is_none() && chain.contains(&scenario.ours) {
                labels.ours = Some(name.clone());
            } else if labels.theirs.is_none() && chain.contains(&scenario.theirs) {
                labels.theirs = Some(name.clone());
            }
        }
    }
    BranchNames(labels)
}

/// How far back the mainline's first-parent history is followed.
const MAINLINE_DEPTH: usize = 100_000;

/// The mainline and the commits on its first-parent history: a side whose commit is one of them
/// is the mainline. Computed once per run.
pub fn mainline(repo: &Repository, configured: Option<&str>) -> Option<(String, HashSet<Oid>)> {
    let name = configured
        .map(str::to_string)
        .or_else(|| crate::git::detect_mainline(repo))?;
    let mut commit = crate::git::resolve_commit(repo, &name).ok()?;
    let mut chain = HashSet::new();
    for _ in 0..MAINLINE_DEPTH {
        chain.insert(commit.id());
        match commit.parent(0) {
            Ok(parent) => commit = parent,
            Err(_) => break,
        }
    }
    Some((name, chain))
}

/// Fills `removed_by` (branch and commit) of each finding that has a removing side.
pub fn add_removing_commits(
    repo: &Repository,
    merge: &MergeContext<'_>,
    findings: &mut [Finding],
) -> Result<()> {
    let scenario = merge.scenario;
    let mut found: HashMap<(Side, String, String), Option<CommitInfo>> = HashMap::new();
    for finding in findings.iter_mut() {
        let Some(removed_by) = finding.removed_by.as_mut() else {
            continue;
        };
        removed_by.branch = merge.names.branch(removed_by.side).map(str::to_string);
        let Some(path) = finding.removed_from.clone() else {
            continue;
        };
        let name = finding.identifier.clone();
        let key = (removed_by.side, path.clone(), name.clone());
        if let Some(commit) = found.get(&key) {
            removed_by.commit = commit.clone();
            continue;
        }
        let tip = merge.tip(removed_by.side);
        let language = lang::for_path(&path);
        let present = |blob: Option<git2::Oid>| -> bool {
            let (Some(oid), Some(language)) = (blob, language) else {
                return false;
            };
            let Ok(text) = crate::git::read_blob(repo, oid) else {
                return false;
            };
            contains_word(&text, &name) && merge.parse(oid, language, &text).contains(&name)
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
