//! conflictguard reads a merge — base, both parents, result — and reports every identifier that one
//! side deliberately removed and the merge brings back.
//!
//! The pipeline, in the order the data flows:
//! 1. [`config`]: what to run, validated from the command line ([`cli`]).
//! 2. [`git`]: the merge scenario — a merge commit, an in-memory merge, or the index of a merge in
//!    progress — and the files each side changed.
//! 3. [`analysis`]: the files worth reading, each blob read and parsed once ([`lang`],
//!    [`symbols`]), the rules ([`rules`]) run per file in parallel, and provenance.
//! 4. [`report`]: one reporter per output format, all fed the same [`finding::Finding`].

pub mod analysis;
pub mod ci;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod finding;
pub mod git;
pub mod hooks;
pub mod lang;
pub mod progress;
pub mod report;
pub mod rules;
pub mod symbols;

use std::io::Write;

use analysis::{Analyzer, Options};
use config::{Command, Config, FileConfig, Settings};
use error::{Error, Result};
use finding::{MergeReport, Note};
use report::Report;

/// How a run ended, as the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// Findings at or above `--fail-on`, or a dry run that hit conflicts.
    Findings,
    /// conflictguard could not do its job.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Runs one command and writes its report to standard output.
pub fn run(config: &Config) -> Result<ExitStatus> {
    match &config.command {
        Command::Explain { code } => {
            let rule =
                rules::find(code).ok_or_else(|| Error::UnknownRule { code: code.clone() })?;
            let text = format!(
                "{} {} ({})\n{}\n\n{}",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.summary,
                rule.explanation
            );
            write_stdout(text.as_bytes())?;
            Ok(ExitStatus::Clean)
        }
        Command::Demo => demo::run(config),
        Command::Hook(hook) => run_hook(config, *hook),
        Command::Install { force, with } => {
            let repo = git::open(config.repository.as_deref())?;
            let said = hooks::install(&repo, *force, *with)?;
            write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
            Ok(ExitStatus::Clean)
        }
        Command::Uninstall => {
            let repo = git::open(config.repository.as_deref())?;
            let said = hooks::uninstall(&repo)?;
            write_stdout(format!("{}\n", said.join("\n")).as_bytes())?;
            Ok(ExitStatus::Clean)
        }
        Command::Check { .. } | Command::Audit { .. } | Command::Ci { .. } => {
            let (report, settings) = analyse(config)?;
            let mut out = Vec::new();
            report::write(&report, config, &mut out)
                .map_err(|e| Error::io("writing the report", e))?;
            write_stdout(&out)?;
            Ok(report.status(settings.fail_on))
        }
    }
}

/// Writes to standard output; a closed pipe (`conflictguard … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("writing to standard output", err))
        }
        _ => Ok(()),
    }
}

/// A hook: checks the merge being committed and prints to standard error, which git shows; a
/// refusal ends with what to do next.
fn run_hook(config: &Config, hook: hooks::Hook) -> Result<ExitStatus> {
    lang::preload();
    let repo = git::open(config.repository.as_deref())?;
    let scenario = match hooks::scenario(&repo, hook)? {
        hooks::HookScenario::Merge(scenario) => scenario,
        hooks::HookScenario::NotAMerge => return Ok(ExitStatus::Clean),
        hooks::HookScenario::Skipped(why) => {
            eprintln!("conflictguard: {why}");
            return Ok(ExitStatus::Clean);
        }
    };
    let settings = settings(&repo, config)?;
    let analyzer = Analyzer::new(&repo, options(&settings));
    let report = Report {
        merges: vec![analyzer.analyse(&scenario)?],
        parses: analyzer.parses(),
    };
    let status = report.status(settings.fail_on);
    let mut out = Vec::new();
    let human = Config {
        format: config::Format::Human,
        ..config.clone()
    };
    report::write(&report, &human, &mut out).map_err(|e| Error::io("writing the report", e))?;
    if status != ExitStatus::Clean {
        out.extend_from_slice(hooks::guidance(hook).as_bytes());
    }
    // Standard error is git's channel for hook output; a closed one is no reason to fail.
    let _ = std::io::stderr().lock().write_all(&out);
    Ok(status)
}

/// The run's settings: the command line over the repository's `.conflictguard.toml` (in the work
/// tree, or in HEAD's tree for a bare repository) over the defaults.
fn settings(repo: &git2::Repository, config: &Config) -> Result<Settings> {
    settings_from(repo, config, None)
}

/// The settings, with `.conflictguard.toml` read from `commit`'s tree when given: in CI the file
/// comes from the base, so a pull request cannot silence the check on itself.
fn settings_from(
    repo: &git2::Repository,
    config: &Config,
    commit: Option<git2::Oid>,
) -> Result<Settings> {
    if let Some(commit) = commit {
        let text = repo
            .find_commit(commit)
            .and_then(|commit| commit.tree())
            .ok()
            .and_then(|tree| git::blob_at(&tree, config::FILE_NAME))
            .and_then(|oid| git::read_blob(repo, oid).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        let path = format!("{}:{}", git::short_id(commit), config::FILE_NAME);
        let file = match text {
            Some(text) => FileConfig::parse(&text, &path)?,
            None => FileConfig::default(),
        };
        return Ok(Settings::new(config, file));
    }
    let (text, path) = match repo.workdir() {
        Some(workdir) => {
            let path = workdir.join(config::FILE_NAME);
            match std::fs::read_to_string(&path) {
                Ok(text) => (Some(text), path.display().to_string()),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    (None, path.display().to_string())
                }
                Err(err) => return Err(Error::io(format!("reading {}", path.display()), err)),
            }
        }
        None => {
            let text = repo
                .head()
                .and_then(|head| head.peel_to_tree())
                .ok()
                .and_then(|tree| git::blob_at(&tree, config::FILE_NAME))
                .and_then(|oid| git::read_blob(repo, oid).ok())
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            (text, format!("HEAD:{}", config::FILE_NAME))
        }
    };
    let file = match text {
        Some(text) => FileConfig::parse(&text, &path)?,
        None => FileConfig::default(),
    };
    Ok(Settings::new(config, file))
}

fn options(settings: &Settings) -> Options {
    Options {
        max_file_size: settings.max_file_size,
        parse_time_limit: settings.parse_time_limit,
        mainline: settings.mainline.clone(),
        file: settings.file.clone(),
        today: git::iso_date(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64),
        )[..10]
            .to_string(),
    }
}

/// Runs `check` or `audit` and returns what they found, without printing, with the settings.
pub fn analyse(config: &Config) -> Result<(Report, Settings)> {
    lang::preload();
    let repo = git::open(config.repository.as_deref())?;
    if let Command::Ci {
        base,
        head,
        lookback,
    } = &config.command
    {
        let pr = ci::pull_request(&repo, base.as_deref(), head.as_deref())?;
        let settings = settings_from(&repo, config, Some(pr.base))?;
        let analyzer = Analyzer::new(&repo, options(&settings));
        let merges = ci::run(&analyzer, &pr, *lookback)?;
        let report = Report {
            merges,
            parses: analyzer.parses(),
        };
        return Ok((report, settings));
    }
    let settings = settings(&repo, config)?;
    let analyzer = Analyzer::new(&repo, options(&settings));
    let mut merges = Vec::new();
    match &config.command {
        Command::Check {
            branch,
            into,
            allow_unrelated_histories,
        } => {
            let scenario = match branch {
                Some(branch) => {
                    git::scenario::simulate(&repo, branch, into, *allow_unrelated_histories)?
                }
                None => git::scenario::from_index(&repo)?.ok_or(Error::NothingToCheck)?,
            };
            merges.push(analyzer.analyse(&scenario)?);
        }
        Command::Audit { target } => {
            let targets = merges_to_audit(&repo, target)?;
            let progress = std::sync::Mutex::new(progress::Progress::stderr(targets.len()));
            let audit_one = |analyzer: &Analyzer<'_>, merge: git2::Oid| -> Result<MergeReport> {
                // One commit is named as the user named it, in messages about it.
                let rev = if target.contains("..") {
                    merge.to_string()
                } else {
                    target.clone()
                };
                let report = match git::scenario::from_merge_commit(analyzer.repo(), &rev)? {
                    Some(scenario) => analyzer.analyse(&scenario)?,
                    None => octopus(analyzer.repo(), merge)?,
                };
                if let Ok(mut progress) = progress.lock() {
                    progress.advance();
                }
                Ok(report)
            };
            let threads = rayon::current_num_threads();
            if threads > 1 && targets.len() >= 4 * threads {
                // Merges are independent: a long audit takes them in chunks on every worker, each
                // chunk with its own repository handle and all sharing the parse cache. Handing
                // the small parallel steps of each merge across threads cost more than they saved.
                use rayon::prelude::*;
                let shared = analyzer.shared();
                let location = repo.path().to_path_buf();
                let chunks: Vec<Result<Vec<MergeReport>>> = targets
                    .par_chunks(targets.len().div_ceil(threads * 8))
                    .map(|chunk| {
                        let repo = git::reopen(&location)?;
                        let analyzer = Analyzer::with_shared(&repo, std::sync::Arc::clone(&shared));
                        chunk
                            .iter()
                            .map(|merge| audit_one(&analyzer, *merge))
                            .collect()
                    })
                    .collect();
                for chunk in chunks {
                    merges.extend(chunk?);
                }
            } else {
                for merge in targets {
                    merges.push(audit_one(&analyzer, merge)?);
                }
            }
            if let Ok(progress) = progress.into_inner() {
                progress.finish();
            }
        }
        Command::Explain { .. }
        | Command::Ci { .. }
        | Command::Demo
        | Command::Hook(_)
        | Command::Install { .. }
        | Command::Uninstall => {}
    }
    let report = Report {
        merges,
        parses: analyzer.parses(),
    };
    Ok((report, settings))
}

/// The merge commits an `audit` target names: one commit, or the merges of `A..B`, oldest first.
fn merges_to_audit(repo: &git2::Repository, target: &str) -> Result<Vec<git2::Oid>> {
    let Some((from, to)) = target.split_once("..") else {
        return Ok(vec![git::resolve_commit(repo, target)?.id()]);
    };
    let to = if to.is_empty() { "HEAD" } else { to };
    let from = git::resolve_commit(repo, if from.is_empty() { "HEAD" } else { from })?;
    let to = git::resolve_commit(repo, to)?;
    let mut walk = repo.revwalk()?;
    walk.push(to.id())?;
    walk.hide(from.id())?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut merges = Vec::new();
    for oid in walk {
        let oid = oid?;
        if repo.find_commit(oid)?.parent_count() >= 2 {
            merges.push(oid);
        }
    }
    Ok(merges)
}

/// A merge of more than two parents: reported, not analysed.
pub(crate) fn octopus(repo: &git2::Repository, merge: git2::Oid) -> Result<MergeReport> {
    let commit = repo.find_commit(merge)?;
    Ok(MergeReport {
        result: merge.to_string(),
        ours: commit.parent_id(0)?.to_string(),
        theirs: commit.parent_id(1)?.to_string(),
        bases: Vec::new(),
        conflicts: Vec::new(),
        at_risk: Vec::new(),
        findings: Vec::new(),
        notes: vec![Note {
            path: None,
            message: format!(
                "octopus merge of {} parents: not analysed (conflictguard reads two-parent merges)",
                commit.parent_count()
            ),
        }],
        files: 0,
        ours_branch: None,
        theirs_branch: None,
    })
}
