//! Where a finding comes from: which branch each side is, and the commit on the removing side that
//! took the name out of the file. Computed after the rules ran, only for what they found.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use git2::{Oid, Repository};

use crate::error::Result;
use crate::finding::{BySide, CommitInfo, Finding, Side};
use crate::git::removed_by::{commit_info, removing_commit};
use crate::git::scenario::MergeScenario;
use crate::lang;
use crate::merge::{BranchNames, MergeContext};
use crate::syntax::contains_word;

/// The branches of a merge: from the scenario (a merge message, the branch the user named), else
/// the branch whose tip is that side's commit, else the mainline for the side it contains. The
/// branches are listed (`tips`, on first call) and the mainline's history walked only when a side
/// is still unnamed.
pub fn branch_names<'t>(
    repo: &Repository,
    tips: impl Fn() -> &'t HashMap<Oid, Vec<String>>,
    scenario: &MergeScenario,
    mainline: Option<&Mainline>,
) -> BranchNames {
    let preferred = mainline.map(|mainline| mainline.name.as_str());
    let mut labels = BySide {
        ours: scenario
            .ours_branch
            .clone()
            .or_else(|| crate::git::branch_at_tip(tips(), scenario.ours, preferred)),
        theirs: scenario
            .theirs_branch
            .clone()
            .or_else(|| crate::git::branch_at_tip(tips(), scenario.theirs, preferred)),
    };
    if let Some(mainline) = mainline {
        let name = &mainline.name;
        let named = [labels.ours.as_deref(), labels.theirs.as_deref()];
        if !named.contains(&Some(name.as_str())) {
            if labels.ours.is_none() && mainline.contains(repo, scenario.ours) {
                labels.ours = Some(name.clone());
            } else if labels.theirs.is_none() && mainline.contains(repo, scenario.theirs) {
                labels.theirs = Some(name.clone());
            }
        }
    }
    BranchNames(labels)
}

/// How far back the mainline's first-parent history is followed.
const MAINLINE_DEPTH: usize = 100_000;

/// How much older than the commit asked about a mainline commit may be before the walk gives up
/// on finding it further back: committer times along a first-parent history can go backwards (a
/// skewed clock, a merge of a branch made on another machine), by far less than this.
const CLOCK_SLACK_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The mainline and its first-parent history, walked from the tip only as far back as a question
/// needs: a hook or a one-merge audit asks about a recent commit, and a repository's whole history
/// (tens of thousands of commits to read) is not its cost. The walk is shared by the merges of a
/// run and resumes where it stopped.
pub struct Mainline {
    pub name: String,
    walk: Mutex<MainlineWalk>,
}

struct MainlineWalk {
    seen: HashSet<Oid>,
    /// The next commit to read, `None` once the history (or [`MAINLINE_DEPTH`]) is exhausted.
    next: Option<Oid>,
    steps: usize,
}

impl Mainline {
    /// The configured mainline, else the detected one; `None` when neither resolves.
    pub fn find(repo: &Repository, configured: Option<&str>) -> Option<Mainline> {
        let name = configured
            .map(str::to_string)
            .or_else(|| crate::git::detect_mainline(repo))?;
        let tip = crate::git::resolve_commit(repo, &name).ok()?.id();
        Some(Mainline {
            name,
            walk: Mutex::new(MainlineWalk {
                seen: HashSet::new(),
                next: Some(tip),
                steps: 0,
            }),
        })
    }

    /// Whether `commit` is on the mainline's first-parent history. The walk stops at the first
    /// commit older than `commit` by more than [`CLOCK_SLACK_SECONDS`]: `commit` cannot come
    /// after it on the history.
    pub fn contains(&self, repo: &Repository, commit: Oid) -> bool {
        let mut walk = self.walk.lock().unwrap_or_else(|e| e.into_inner());
        if walk.seen.contains(&commit) {
            return true;
        }
        let Ok(time) = repo.find_commit(commit).map(|c| c.time().seconds()) else {
            return false;
        };
        while let Some(oid) = walk.next {
            if walk.steps >= MAINLINE_DEPTH {
                walk.next = None;
                break;
            }
            let Ok(current) = repo.find_commit(oid) else {
                walk.next = None;
                break;
            };
            if current.time().seconds() < time.saturating_sub(CLOCK_SLACK_SECONDS) {
                return false;
            }
            walk.seen.insert(oid);
            walk.steps += 1;
            walk.next = current.parent_id(0).ok();
            if oid == commit {
                return true;
            }
        }
        false
    }
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
