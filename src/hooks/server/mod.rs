//! The server's guard: `conflictguard hook pre-receive`. Git runs the hook once per push, after the
//! pushed objects arrived and before any ref moves, with one `<old> <new> <ref>` line per ref on
//! standard input; a hook that exits non-zero refuses the whole push. For each branch the
//! configuration protects, every merge commit the push adds is audited, newest first, and what the
//! push adds is compared with what the branch removed in its recent history (CG005: a rebased
//! branch has no merge to read), all within a deadline.
//!
//! Nothing comes from the push but what is checked: the settings are those of each branch's
//! current tip, the deadline comes from the command line or the server's git configuration, and
//! the pushed objects are read, never written, from git's quarantine (see
//! [`crate::git::environment_object_dirs`]).
//!
//! The steps, one file each: [`input`] reads git's lines; [`policy`] says which refs are protected
//! and what the forge tells about the push; [`checks`] runs the checks against the deadline;
//! [`message`] writes what the pusher reads on `remote:` lines; [`install`] puts the hook script
//! into a repository.

mod checks;
mod input;
mod install;
mod message;
mod policy;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use git2::{Oid, Repository};

use crate::analysis::{dedup, Analyzer};
use crate::config::file::{OnTimeout, ServerSettings};
use crate::config::{FailOn, FileConfig, OnError, Overrides, Settings, SettingsSource, FILE_NAME};
use crate::error::Result;
use crate::finding::{Finding, MergeReport, Severity};
use crate::git;

pub use install::{install, uninstall, SCRIPT};
pub use policy::{parse_duration, InvalidDuration, PushEnvironment, DEFAULT_DEADLINE};

/// What the hook answers git: refuse the push or not, and the text for the pusher (standard
/// error, which git shows as `remote:` lines).
pub struct Verdict {
    pub refused: bool,
    pub text: String,
}

/// Something the hook could not check, and why: answered by `on-error`.
struct Problem {
    /// `line 3 of the input`, `main`.
    subject: String,
    why: String,
    on_error: OnError,
}

/// A protected branch the push updates, and what its checks found.
struct Branch {
    name: String,
    old: Oid,
    new: Oid,
    settings: Settings,
    /// Why the branch's own `.conflictguard.toml` was not used (invalid): the defaults were.
    settings_note: Option<String>,
    /// The merges the push adds, newest first.
    merges: Vec<Oid>,
    commits: usize,
    /// The push leaves the branch with a `.conflictguard.toml` that cannot be read: why.
    invalid_pushed_settings: Option<String>,
    /// Filled in by the checks.
    found: Found,
}

/// What the checks of one branch found.
#[derive(Default)]
struct Found {
    /// The reports of the merges checked, oldest first.
    merge_reports: Vec<MergeReport>,
    /// The report of what the push adds (CG005), when it was checked.
    push_report: Option<MergeReport>,
    octopus: Vec<Oid>,
    /// The merges not checked before the deadline, newest first.
    unchecked_merges: Vec<Oid>,
    push_unchecked: bool,
    /// Checks that could not run: the merge (or `None`: the push) and why.
    failures: Vec<(Option<Oid>, String)>,
    /// Every finding, with what it does to the push.
    judged: Vec<Judged>,
    /// Code in a language without a grammar went unread while `unanalysed = "warn"` fails.
    unanalysed_fails: bool,
    analysed_files: usize,
    not_analysed: Option<String>,
}

/// A finding and what it does to the push.
struct Judged {
    finding: Finding,
    weight: Weight,
    /// Found in what the push adds as a whole (CG005), not in one of its merges.
    from_push: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Weight {
    /// At or above `fail-on`: refuses the push.
    Fails,
    /// Below `fail-on`: reported, the push goes through.
    Passes,
    /// Let through by a push option.
    Bypassed,
}

impl Branch {
    fn fail_on(&self) -> FailOn {
        self.settings.fail_on
    }

    fn on_error(&self) -> OnError {
        self.settings.file.on_error.unwrap_or(OnError::Block)
    }

    fn on_timeout(&self) -> OnTimeout {
        self.settings
            .file
            .server
            .on_timeout
            .unwrap_or(OnTimeout::Allow)
    }

    fn timed_out(&self) -> bool {
        !self.found.unchecked_merges.is_empty() || self.found.push_unchecked
    }

    fn refused(&self) -> bool {
        self.found.judged.iter().any(|j| j.weight == Weight::Fails)
            || self.found.unanalysed_fails
            || self.invalid_pushed_settings.is_some()
            || (!self.found.failures.is_empty() && self.on_error() == OnError::Block)
            || (self.timed_out() && self.on_timeout() == OnTimeout::Block)
    }
}

/// Checks a push: `input` is the hook's standard input, `repo` the receiving repository (with the
/// quarantine readable), `deadline` the `--deadline` flag, `started` when the hook started.
pub fn check_push(
    repo: &Repository,
    input: &[u8],
    environment: &PushEnvironment,
    overrides: &Overrides,
    deadline: Option<Duration>,
    started: Instant,
) -> Result<Verdict> {
    let mut notes: Vec<String> = Vec::new();
    // The server's policy (which branches are protected, what an unreadable line gets) is the
    // default branch's, as it is now.
    let default_branch = policy::default_branch(repo);
    let default_tip = repo
        .find_reference("HEAD")
        .and_then(|head| head.resolve())
        .ok()
        .and_then(|head| head.target());
    let server = match default_tip {
        Some(tip) => {
            let (settings, note) = settings_at(repo, overrides, tip);
            notes.extend(note);
            settings
        }
        None => Settings::new(overrides, FileConfig::default(), String::new()),
    };
    let server_protect = protect_list(&server.file.server, default_branch.as_deref());
    let server_on_error = server.file.on_error.unwrap_or(OnError::Block);
    let deadline = match deadline {
        Some(deadline) => deadline,
        None => configured_deadline(repo, &mut notes),
    };

    let mut problems = Vec::new();
    let mut branches: Vec<Branch> = Vec::new();
    for line in input::parse(input) {
        let update = match line {
            input::InputLine::Update(update) => update,
            input::InputLine::Malformed {
                line,
                text,
                problem,
            } => {
                problems.push(Problem {
                    subject: format!("line {line} of git's input"),
                    why: format!("{:?}: {problem}", message::clean(&text)),
                    on_error: server_on_error,
                });
                continue;
            }
        };
        let Some(name) = update.branch().map(str::to_string) else {
            continue; // A tag, a note, another namespace: not a branch.
        };
        let protected_by_server = server_protect
            .iter()
            .any(|p| policy::protects(p, &update.refname));
        let (old, new) = match (update.old, update.new) {
            (Some(old), Some(new)) => (old, new),
            (None, Some(_)) => {
                if protected_by_server {
                    notes.push(format!(
                        "{name} is new here: there is no history to compare the push with; not checked"
                    ));
                }
                continue;
            }
            // A deletion moves no commit onto the branch.
            _ => continue,
        };
        if repo.find_commit(old).is_err() {
            problems.push(Problem {
                subject: name.clone(),
                why: format!(
                    "its current tip {old} cannot be read from the repository, so neither its settings nor its history can"
                ),
                on_error: server_on_error,
            });
            continue;
        }
        let (settings, settings_note) = settings_at(repo, overrides, old);
        let own_protect = settings.file.server.protect.as_deref().unwrap_or_default();
        let protected = protected_by_server
            || own_protect
                .iter()
                .any(|p| policy::protects(p, &update.refname));
        if !protected {
            continue;
        }
        let on_error = settings.file.on_error.unwrap_or(OnError::Block);
        match repo.find_object(new, None).map(|object| object.kind()) {
            Ok(Some(git2::ObjectType::Commit)) => {}
            Ok(_) => {
                problems.push(Problem {
                    subject: name.clone(),
                    why: format!("the pushed tip {new} is not a commit"),
                    on_error,
                });
                continue;
            }
            Err(_) => {
                problems.push(Problem {
                    subject: name.clone(),
                    why: format!(
                        "the pushed commit {new} is in neither the repository's objects nor git's quarantine{}",
                        quarantine_text()
                    ),
                    on_error,
                });
                continue;
            }
        }
        let (merges, commits) = match merges_added(repo, old, new) {
            Ok(found) => found,
            Err(err) => {
                problems.push(Problem {
                    subject: name.clone(),
                    why: format!(
                        "the pushed history {}..{} cannot be read: {err}{}",
                        git::short_id(old),
                        git::short_id(new),
                        quarantine_text()
                    ),
                    on_error,
                });
                continue;
            }
        };
        branches.push(Branch {
            invalid_pushed_settings: invalid_pushed_settings(repo, old, new),
            name,
            old,
            new,
            settings,
            settings_note,
            merges,
            commits,
            found: Found::default(),
        });
    }

    let checks = checks_of(repo, &branches);
    let outcomes = checks::run(repo.path(), checks.clone(), started + deadline);
    gather(&mut branches, &checks, outcomes);
    let allowed = environment.allowed_names();
    let mut used_names = BTreeSet::new();
    for branch in &mut branches {
        judge(branch, &allowed, &mut used_names);
    }
    let refused = branches.iter().any(Branch::refused)
        || problems.iter().any(|p| p.on_error == OnError::Block);
    let text = message::write(&message::Push {
        repo,
        environment,
        branches: &branches,
        problems: &problems,
        notes: &notes,
        unused_names: allowed.difference(&used_names).cloned().collect(),
        push_options_enabled: policy::push_options_enabled(repo, environment),
        deadline,
        elapsed: started.elapsed(),
        refused,
    });
    Ok(Verdict { refused, text })
}

/// The settings of a branch's tip; when its `.conflictguard.toml` cannot be read, the defaults, and
/// why. A broken file on a branch must not lock the branch: the push that fixes it would be refused.
fn settings_at(repo: &Repository, overrides: &Overrides, tip: Oid) -> (Settings, Option<String>) {
    match Settings::load(repo, overrides, SettingsSource::Revision(tip)) {
        Ok(settings) => (settings, None),
        Err(err) => (
            Settings::new(overrides, FileConfig::default(), String::new()),
            Some(format!("{err}: checked with the default settings")),
        ),
    }
}

/// The branches `[server] protect` names; unset, the default branch.
fn protect_list(server: &ServerSettings, default_branch: Option<&str>) -> Vec<String> {
    match &server.protect {
        Some(list) => list.clone(),
        None => default_branch.map(str::to_string).into_iter().collect(),
    }
}

/// `conflictguard.deadline` from the server's git configuration, else the default.
fn configured_deadline(repo: &Repository, notes: &mut Vec<String>) -> Duration {
    let Ok(text) = repo
        .config()
        .and_then(|config| config.get_string(policy::DEADLINE_KEY))
    else {
        return DEFAULT_DEADLINE;
    };
    parse_duration(&text).unwrap_or_else(|err| {
        notes.push(format!(
            "{}: {err}; the default, {} s, applies",
            policy::DEADLINE_KEY,
            DEFAULT_DEADLINE.as_secs()
        ));
        DEFAULT_DEADLINE
    })
}

fn quarantine_text() -> String {
    match std::env::var("GIT_QUARANTINE_PATH") {
        Ok(path) if !path.is_empty() => format!(" (GIT_QUARANTINE_PATH={path})"),
        _ => String::new(),
    }
}

/// The merge commits of `old..new`, newest first, and how many commits that range has.
fn merges_added(repo: &Repository, old: Oid, new: Oid) -> Result<(Vec<Oid>, usize)> {
    let mut walk = repo.revwalk()?;
    walk.push(new)?;
    walk.hide(old)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    let mut merges = Vec::new();
    let mut commits = 0;
    for oid in walk {
        let oid = oid?;
        commits += 1;
        if repo.find_commit(oid)?.parent_count() >= 2 {
            merges.push(oid);
        }
    }
    Ok((merges, commits))
}

/// When the push changes the branch's `.conflictguard.toml` into one that cannot be read: why. Such
/// a file would leave the branch checked with the defaults from the next push on.
fn invalid_pushed_settings(repo: &Repository, old: Oid, new: Oid) -> Option<String> {
    let blob = |commit: Oid| {
        let tree = repo.find_commit(commit).ok()?.tree().ok()?;
        git::blob_at(&tree, FILE_NAME)
    };
    let pushed = blob(new)?;
    if blob(old) == Some(pushed) {
        return None;
    }
    let text = git::read_blob(repo, pushed).ok()?;
    let location = format!("{}:{FILE_NAME}", git::short_id(new));
    FileConfig::parse(&String::from_utf8_lossy(&text), &location)
        .err()
        .map(|err| err.to_string())
}

/// The checks of every branch, in the order they run: each branch's merges newest first, then what
/// its push adds.
fn checks_of(repo: &Repository, branches: &[Branch]) -> Vec<checks::Check> {
    let mut all = Vec::new();
    for (index, branch) in branches.iter().enumerate() {
        let run = Analyzer::new(repo, branch.settings.clone()).run_state();
        let check = |subject| checks::Check {
            branch: index,
            subject,
            old: branch.old,
            new: branch.new,
            branch_name: branch.name.clone(),
            run: Arc::clone(&run),
        };
        all.extend(
            branch
                .merges
                .iter()
                .map(|merge| check(checks::Subject::Merge(*merge))),
        );
        all.push(check(checks::Subject::Push));
    }
    all
}

/// Sorts each check's outcome (or its absence at the deadline) into its branch.
fn gather(
    branches: &mut [Branch],
    checks: &[checks::Check],
    outcomes: Vec<Option<checks::Outcome>>,
) {
    let mut merge_reports: Vec<Vec<MergeReport>> = branches.iter().map(|_| Vec::new()).collect();
    let mut push_reports: Vec<Option<MergeReport>> = branches.iter().map(|_| None).collect();
    for (check, outcome) in checks.iter().zip(outcomes) {
        let found = &mut branches[check.branch].found;
        let merge = match check.subject {
            checks::Subject::Merge(merge) => Some(merge),
            checks::Subject::Push => None,
        };
        match (outcome, merge) {
            (None, Some(merge)) => found.unchecked_merges.push(merge),
            (None, None) => found.push_unchecked = true,
            (Some(checks::Outcome::Report(report)), Some(_)) => {
                merge_reports[check.branch].push(*report)
            }
            (Some(checks::Outcome::Report(report)), None) => {
                push_reports[check.branch] = Some(*report)
            }
            (Some(checks::Outcome::Octopus), Some(merge)) => found.octopus.push(merge),
            (Some(checks::Outcome::Octopus), None) => {}
            (Some(checks::Outcome::Failed(why)), merge) => found.failures.push((merge, why)),
        }
    }
    for ((branch, mut merges), mut push) in branches.iter_mut().zip(merge_reports).zip(push_reports)
    {
        // Checked newest first; read oldest first.
        merges.reverse();
        if let Some(push) = &mut push {
            // A name a merge of the push brought back is reported once, at that merge.
            dedup::against_earlier_merges(push, &merges);
        }
        branch.found.merge_reports = merges;
        branch.found.push_report = push;
    }
}

/// Splits a branch's findings into failing, passing and let through by a push option, and sums up
/// what was read.
fn judge(branch: &mut Branch, allowed: &BTreeSet<String>, used: &mut BTreeSet<String>) {
    let fail_on = branch.fail_on();
    let found = &mut branch.found;
    let mut merges = std::mem::take(&mut found.merge_reports);
    let pushed = found.push_report.take();
    let from_merges = merges.len();
    merges.extend(pushed);
    let report = crate::report::Report {
        merges,
        parses: 0,
        unanalysed_warns: branch.settings.unanalysed_warns,
    };
    for (index, merge) in report.merges.iter().enumerate() {
        for finding in &merge.findings {
            let weight = if allowed.contains(&finding.identifier) {
                used.insert(finding.identifier.clone());
                Weight::Bypassed
            } else if fail_on.fails(finding.severity) {
                Weight::Fails
            } else {
                Weight::Passes
            };
            found.judged.push(Judged {
                finding: finding.clone(),
                weight,
                from_push: index >= from_merges,
            });
        }
    }
    found.unanalysed_fails = report.unanalysed_warning() && fail_on.fails(Severity::Warning);
    let coverage = report.coverage();
    found.analysed_files = coverage.analysed;
    found.not_analysed = coverage.sentence();
    let mut merges = report.merges;
    if merges.len() > from_merges {
        found.push_report = merges.pop();
    }
    found.merge_reports = merges;
}
