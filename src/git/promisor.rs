//! Partial clones: objects a clone left out are fetched through git, as git itself does.
//!
//! A clone made with a filter (`git clone --filter=blob:none`, actions/checkout's
//! `filter: blob:none`) has every commit and tree but only the blobs of what was checked out; the
//! remote it came from is its *promisor*, and git fetches a missing blob from it the moment a
//! command needs one. libgit2 cannot: it reports the blob missing. So conflictguard asks git, with
//! the very command git's own lazy fetch runs (`promisor-remote.c`): `git fetch <remote>` of the
//! missing ids, without negotiation, tags, `FETCH_HEAD` or submodules. Blobs a step knows it will
//! read are asked for in one batch (see [`fetch_missing`]: a merge's files, rename candidates, the
//! files an in-memory merge merges); any other object a step reads is fetched on its own by the
//! read-only object database (see `readonly_odb`), as `git show` would.
//!
//! This writes to the repository, and it is the only thing that does: git stores what it fetched
//! as a new promisor pack in `.git/objects/pack`, exactly as `git show` or `git diff` would in the
//! same clone. No ref, no config and no other file changes. A clone without promisor remotes is
//! never fetched into: a missing object there stays an error.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

use git2::{Oid, Repository};

use super::changes;
use crate::error::{Error, Result};

/// The remotes a partial clone promises its missing objects from, in the order git asks them.
#[derive(Clone, Debug)]
pub struct Promisor {
    git_dir: PathBuf,
    objects: PathBuf,
    remotes: Vec<String>,
}

/// Why missing objects could not be fetched: what git answered, or why git was not asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchFailure {
    /// The promisor remote (the first, when there are several: usually the only one, `origin`).
    pub remote: String,
    pub detail: String,
}

impl std::fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "git could not fetch it from the promisor remote `{}`: {}",
            self.remote, self.detail
        )
    }
}

/// One fetch at a time in the process: the workers of a parallel audit share the repository, and
/// a second worker missing the same blob finds it fetched once it gets its turn.
static FETCHING: Mutex<()> = Mutex::new(());

/// The first failed fetch of each repository (by objects folder). A remote that could not be
/// reached is not asked again for every later blob: the run stops at the next step that reads.
static FAILED: Mutex<Vec<(PathBuf, FetchFailure)>> = Mutex::new(Vec::new());

impl Promisor {
    /// The promisor remotes of `repo`, or `None` when it is not a partial clone: the remotes
    /// marked `remote.<name>.promisor = true`, in the order of the configuration, then the one
    /// `extensions.partialClone` names (git's order).
    pub fn of(repo: &Repository) -> Option<Promisor> {
        let config = repo.config().ok()?.snapshot().ok()?;
        let mut remotes: Vec<String> = Vec::new();
        if let Ok(mut entries) = config.entries(Some(r"^remote\..*\.promisor$")) {
            while let Some(Ok(entry)) = entries.next() {
                let name = entry.name().unwrap_or_default();
                let remote = name
                    .strip_prefix("remote.")
                    .and_then(|rest| rest.strip_suffix(".promisor"));
                let promised = entry
                    .value()
                    .ok()
                    .and_then(|value| git2::Config::parse_bool(value).ok())
                    .unwrap_or(false);
                if let (Some(remote), true) = (remote, promised) {
                    remotes.retain(|known| known != remote);
                    remotes.push(remote.to_string());
                }
            }
        }
        if let Ok(remote) = config.get_string("extensions.partialclone") {
            remotes.retain(|known| *known != remote);
            remotes.push(remote);
        }
        (!remotes.is_empty()).then(|| Promisor {
            git_dir: repo.path().to_path_buf(),
            objects: repo.commondir().join("objects"),
            remotes,
        })
    }

    /// Fetches `ids` through git. `still_missing` (called again after each fetch) gives the ids
    /// the object database does not have yet; it refreshes its view of the packs first.
    pub fn fetch(
        &self,
        ids: &[Oid],
        still_missing: &mut dyn FnMut(&[Oid]) -> Vec<Oid>,
    ) -> std::result::Result<(), FetchFailure> {
        let _turn = FETCHING.lock().unwrap_or_else(PoisonError::into_inner);
        let mut missing = still_missing(ids);
        if missing.is_empty() {
            return Ok(());
        }
        if let Some(failure) = self.failed_before() {
            return Err(failure);
        }
        let mut detail = String::new();
        for remote in &self.remotes {
            match self.run_git_fetch(remote, &missing) {
                Ok(()) => missing = still_missing(&missing),
                Err(why) => detail = why,
            }
            if missing.is_empty() {
                return Ok(());
            }
        }
        if detail.is_empty() {
            detail = format!(
                "the remote did not send {} of them ({})",
                missing.len(),
                missing[0]
            );
        }
        let failure = FetchFailure {
            remote: self.remotes.first().cloned().unwrap_or_default(),
            detail,
        };
        FAILED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((self.objects.clone(), failure.clone()));
        Err(failure)
    }

    fn failed_before(&self) -> Option<FetchFailure> {
        FAILED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(objects, _)| *objects == self.objects)
            .map(|(_, failure)| failure.clone())
    }

    /// `git fetch <remote>` of `ids`, as git's lazy fetch runs it; the error is git's last words.
    fn run_git_fetch(&self, remote: &str, ids: &[Oid]) -> std::result::Result<(), String> {
        if lazy_fetch_disabled() {
            return Err("lazy fetching is disabled (GIT_NO_LAZY_FETCH is set)".to_string());
        }
        let mut child = Command::new("git")
            .arg("--git-dir")
            .arg(&self.git_dir)
            // Git's own lazy fetch: no negotiation (the ids are all that is wanted).
            .args(["-c", "fetch.negotiationAlgorithm=noop"])
            // No repacking or maintenance of the user's repository on our account.
            .args(["-c", "gc.auto=0", "-c", "maintenance.auto=false"])
            .args(["fetch", remote, "--no-tags", "--no-write-fetch-head"])
            .args(["--recurse-submodules=no", "--filter=blob:none", "--stdin"])
            // A remote that wants a password fails at once instead of waiting for one.
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => "`git` is not on PATH".to_string(),
                _ => format!("`git` could not be started: {err}"),
            })?;
        let ids: String = ids.iter().map(|id| format!("{id}\n")).collect();
        // Written from another thread: git reads every id before it prints anything, but a full
        // pipe must never leave both sides waiting.
        let output = std::thread::scope(|scope| {
            let stdin = child.stdin.take();
            let writer = scope.spawn(move || {
                if let Some(mut stdin) = stdin {
                    let _ = stdin.write_all(ids.as_bytes());
                }
            });
            let output = child.wait_with_output();
            let _ = writer.join();
            output
        })
        .map_err(|err| format!("`git fetch` did not finish: {err}"))?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said: Vec<&str> = stderr
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        // git's first error names the cause ("fatal: '…' does not appear to be a git
        // repository"); what follows is advice about the remote.
        let cause = said
            .iter()
            .find(|line| line.starts_with("fatal:") || line.starts_with("error:"))
            .or(said.last());
        Err(match cause {
            Some(line) => (*line).to_string(),
            None => format!("`git fetch` failed ({})", output.status),
        })
    }
}

/// Whether git's lazy fetch is turned off in this environment (git sets `GIT_NO_LAZY_FETCH` for
/// processes that must not fetch, such as an upload-pack serving this repository).
fn lazy_fetch_disabled() -> bool {
    std::env::var("GIT_NO_LAZY_FETCH").is_ok_and(|value| {
        matches!(
            value.to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// An error when a fetch from `repo`'s promisor remote failed earlier in this run. Steps that read
/// what they can (history walks, `.gitattributes`) pass over an object they could not get; this
/// check, at the end of a merge's analysis, turns that into a stop with the fix rather than a
/// report with quietly fewer findings.
pub fn check_no_failed_fetch(repo: &Repository) -> Result<()> {
    // Only a promisor repository records a failure, by its objects folder: looked up directly,
    // without reading the configuration (a config snapshot per merge was a tenth of a range audit).
    let objects = repo.commondir().join("objects");
    let failure = FAILED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(failed, _)| *failed == objects)
        .map(|(_, failure)| failure.clone());
    match failure {
        Some(failure) => Err(Error::PartialCloneFetch {
            count: 1,
            remote: failure.remote,
            detail: failure.detail,
        }),
        None => Ok(()),
    }
}

/// Makes every object of `ids` present before it is read: in a partial clone, the ones the clone
/// left out are fetched in one `git fetch`. Outside a partial clone nothing happens (reading a
/// missing object reports it, as before); in a full clone this costs one lookup per id.
pub fn fetch_missing(repo: &Repository, ids: &[Oid]) -> Result<()> {
    let odb = repo.odb()?;
    let missing: Vec<Oid> = ids.iter().copied().filter(|id| !odb.exists(*id)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let Some(promisor) = Promisor::of(repo) else {
        return Ok(());
    };
    let mut still_missing = |ids: &[Oid]| {
        let _ = odb.refresh();
        ids.iter().copied().filter(|id| !odb.exists(*id)).collect()
    };
    promisor
        .fetch(&missing, &mut still_missing)
        .map_err(|failure| Error::PartialCloneFetch {
            count: missing.len(),
            remote: failure.remote,
            detail: failure.detail,
        })
}

/// In a partial clone, fetches in one batch the blobs an in-memory merge of the trees `ours` and
/// `theirs` from `base` will read line by line: the three versions of each file both sides
/// changed. (Listing each side's changes fetches its rename candidates, see [`changes::between`].)
/// Outside a partial clone this does nothing.
pub fn fetch_for_merge(repo: &Repository, base: Oid, ours: Oid, theirs: Oid) -> Result<()> {
    if Promisor::of(repo).is_none() {
        return Ok(());
    }
    let ours = changes::between(repo, base, ours)?;
    let theirs = changes::between(repo, base, theirs)?;
    let theirs: HashMap<&str, Oid> = theirs
        .iter()
        .filter_map(|change| Some((change.old.as_ref()?, change.new.as_ref()?)))
        .map(|((path, _), (_, oid))| (path.as_str(), *oid))
        .collect();
    let mut wanted = Vec::new();
    for change in &ours {
        let (Some((path, base_oid)), Some((_, ours_oid))) = (&change.old, &change.new) else {
            continue;
        };
        if let Some(theirs_oid) = theirs.get(path.as_str()) {
            if theirs_oid != ours_oid {
                wanted.extend([*base_oid, *ours_oid, *theirs_oid]);
            }
        }
    }
    fetch_missing(repo, &wanted)
}
