//! The checks of a push, run against the deadline: one per merge commit the push adds to a
//! protected branch, and one for what the push adds as a whole (CG005). Workers take them in the
//! order given (newest merges first), each with its own repository handle; when the deadline
//! passes, the checks that finished are reported and the rest are named as not checked.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use git2::{Oid, Repository};

use crate::analysis::{Analyzer, RunState};
use crate::error::Result;
use crate::finding::MergeReport;
use crate::git::pull_request::PullRequest;
use crate::git::scenario::{self, MergeScenario, ResultSource};
use crate::git::{self, changes};

/// How many of the branch's recent first-parent commits CG005 reads, as `ci` does by default.
pub const LOOKBACK: usize = 200;

/// What one check reads.
#[derive(Clone)]
pub enum Subject {
    /// A merge commit the push adds.
    Merge(Oid),
    /// What the push adds to the branch as a whole, against what the branch removed recently.
    Push,
}

/// One check: a subject on a branch, with the settings of that branch's current tip.
#[derive(Clone)]
pub struct Check {
    /// The branch's index among the branches checked.
    pub branch: usize,
    pub subject: Subject,
    /// The branch's tip now, and after the push.
    pub old: Oid,
    pub new: Oid,
    pub branch_name: String,
    pub run: Arc<RunState>,
}

/// What a check found.
pub enum Outcome {
    Report(Box<MergeReport>),
    /// A merge of more than two parents, which is not analysed.
    Octopus,
    /// The check could not run: why.
    Failed(String),
}

/// The outcome of each check that finished before `deadline`, by index; `None` for the others.
pub fn run(location: &Path, checks: Vec<Check>, deadline: Instant) -> Vec<Option<Outcome>> {
    let count = checks.len();
    let mut outcomes: Vec<Option<Outcome>> = (0..count).map(|_| None).collect();
    if count == 0 || Instant::now() >= deadline {
        return outcomes;
    }
    let checks = Arc::new(checks);
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (send, receive) = mpsc::channel();
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(count);
    for _ in 0..workers {
        let (checks, next, stop, send) = (
            Arc::clone(&checks),
            Arc::clone(&next),
            Arc::clone(&stop),
            send.clone(),
        );
        let location = location.to_path_buf();
        // Not joined: at the deadline the hook answers git and the process ends, whatever a
        // worker is still reading (it writes nothing anywhere).
        std::thread::spawn(move || work(&location, &checks, &next, &stop, &send));
    }
    drop(send);
    let mut finished = 0;
    while finished < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match receive.recv_timeout(left) {
            Ok((index, outcome)) => {
                outcomes[index] = Some(outcome);
                finished += 1;
            }
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::Relaxed);
    outcomes
}

fn work(
    location: &Path,
    checks: &[Check],
    next: &AtomicUsize,
    stop: &AtomicBool,
    send: &mpsc::Sender<(usize, Outcome)>,
) {
    let mut repo: Option<Repository> = None;
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        if index >= checks.len() || stop.load(Ordering::Relaxed) {
            return;
        }
        let check = &checks[index];
        // A panic is answered like any failure (by `on-error`), never by a crash of the hook.
        let outcome = match catch_unwind(AssertUnwindSafe(|| {
            let repo = match &repo {
                Some(repo) => repo,
                None => repo.insert(git::reopen(location)?),
            };
            one(repo, check)
        })) {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(err)) => Outcome::Failed(err.to_string()),
            Err(_) => Outcome::Failed(
                "conflictguard stopped on an internal error (a panic, described above)".to_string(),
            ),
        };
        if send.send((index, outcome)).is_err() {
            return;
        }
    }
}

fn one(repo: &Repository, check: &Check) -> Result<Outcome> {
    let analyzer = Analyzer::with_run(repo, Arc::clone(&check.run));
    match check.subject {
        Subject::Merge(merge) => match scenario::from_merge_commit(repo, &merge.to_string())? {
            Some(scenario) => Ok(Outcome::Report(Box::new(
                analyzer.merge_report(&scenario, None)?,
            ))),
            None => Ok(Outcome::Octopus),
        },
        Subject::Push => {
            let (scenario, head) = push_scenario(repo, check)?;
            let pull_request = PullRequest {
                base: check.old,
                head,
                base_name: check.branch_name.clone(),
                lookback: LOOKBACK,
            };
            Ok(Outcome::Report(Box::new(
                analyzer.merge_report(&scenario, Some(&pull_request))?,
            )))
        }
    }
}

/// The push as a merge, and the commit that stands for the pushed tip in CG005: the branch's tip
/// now is ours, the pushed tip theirs and the result, over their merge base.
///
/// A forced push is that merge as it is: one that drops what the branch removed since the fork is
/// a resurrection like any other. A fast-forward (the merge base is the old tip) gives CG001–CG004
/// nothing to find (ours changed nothing, the result is theirs): only CG005 can, and only in files
/// that the push changes and that one of the branch's last [`LOOKBACK`] commits changed or deleted
/// (a name must have been removed from that very file). Theirs is then the old tip with just those
/// files as pushed, a tree and commit written to the in-memory store: a push of 1,000 commits
/// changes about a thousand files, and parsing each of them twice cost seconds for nothing.
fn push_scenario(repo: &Repository, check: &Check) -> Result<(MergeScenario, Oid)> {
    let (old, new) = (repo.find_commit(check.old)?, repo.find_commit(check.new)?);
    let bases: Vec<Oid> = match repo.merge_bases(check.old, check.new) {
        Ok(bases) => bases.iter().copied().collect(),
        Err(err) if err.code() == git2::ErrorCode::NotFound => Vec::new(),
        Err(err) => return Err(err.into()),
    };
    let base_trees = if bases.is_empty() {
        vec![git::empty_tree(repo)?]
    } else {
        bases
            .iter()
            .map(|base| Ok(repo.find_commit(*base)?.tree_id()))
            .collect::<Result<Vec<_>>>()?
    };
    let (theirs, theirs_tree) = if bases == [check.old] {
        let tree = where_cg005_can_fire(repo, &old, &new)?;
        let signature = git2::Signature::new(
            "conflictguard",
            "conflictguard@localhost",
            &git2::Time::new(0, 0),
        )?;
        let commit = repo.commit(
            None,
            &signature,
            &signature,
            "what the push adds, in the files the branch changed recently",
            &repo.find_tree(tree)?,
            &[&old],
        )?;
        (commit, tree)
    } else {
        (check.new, new.tree_id())
    };
    let scenario = MergeScenario {
        result: ResultSource::Commit(check.new),
        ours: check.old,
        theirs,
        bases,
        base_trees,
        ours_tree: old.tree_id(),
        theirs_tree,
        result_tree: theirs_tree,
        conflicts: Vec::new(),
        ours_branch: Some(check.branch_name.clone()),
        theirs_branch: None,
    };
    Ok((scenario, theirs))
}

/// The old tip's tree with the pushed version of each file that the push changes (and keeps) and
/// that one of the branch's last [`LOOKBACK`] first-parent commits changed or deleted.
fn where_cg005_can_fire(
    repo: &Repository,
    old: &git2::Commit<'_>,
    new: &git2::Commit<'_>,
) -> Result<Oid> {
    let mut recently_changed = HashSet::new();
    let mut commit = old.clone();
    for _ in 0..LOOKBACK {
        let Ok(parent) = commit.parent(0) else {
            break;
        };
        for change in changes::between(repo, parent.tree_id(), commit.tree_id())? {
            recently_changed.extend(change.old.map(|(path, _)| path));
        }
        commit = parent;
    }
    let new_tree = new.tree()?;
    let mut update = git2::build::TreeUpdateBuilder::new();
    for change in changes::between(repo, old.tree_id(), new.tree_id())? {
        let Some((path, blob)) = change.new else {
            continue;
        };
        if !recently_changed.contains(&path) {
            continue;
        }
        let mode = match new_tree.get_path(Path::new(&path))?.filemode() {
            0o100755 => git2::FileMode::BlobExecutable,
            _ => git2::FileMode::Blob,
        };
        update.upsert(path.as_str(), blob, mode);
    }
    Ok(update.create_updated(repo, &old.tree()?)?)
}
