//! `conflictguard audit <merge-commit | A..B>`: existing merge commits, one or every merge of a
//! range, oldest first; a long audit takes merges in parallel.

use std::sync::{Arc, Mutex};

use git2::Oid;
use rayon::prelude::*;

use super::{print_report, ExitStatus};
use crate::analysis::Analyzer;
use crate::cli::Invocation;
use crate::config::{Settings, SettingsSource};
use crate::error::Result;
use crate::finding::MergeReport;
use crate::git;
use crate::progress::Progress;
use crate::report::Report;

pub fn run(invocation: &Invocation, target: &str) -> Result<ExitStatus> {
    let repo = git::open(invocation.repository.as_deref())?;
    let settings = Settings::load(&repo, &invocation.overrides, SettingsSource::Repository)?;
    let fail_on = settings.fail_on;
    let unanalysed_warns = settings.unanalysed_warns;
    let analyzer = Analyzer::new(&repo, settings);
    let targets = merges_to_audit(&repo, target)?;
    let progress = Mutex::new(Progress::stderr(targets.len()));
    let audit_one = |analyzer: &Analyzer<'_>, merge: Oid| -> Result<MergeReport> {
        // One commit is named as the user named it, in messages about it.
        let rev = if target.contains("..") {
            merge.to_string()
        } else {
            target.to_string()
        };
        let report = match git::scenario::from_merge_commit(analyzer.repo(), &rev)? {
            Some(scenario) => analyzer.merge_report(&scenario, None)?,
            None => analyzer.octopus_report(merge)?,
        };
        if let Ok(mut progress) = progress.lock() {
            progress.advance();
        }
        Ok(report)
    };
    let mut merges = Vec::new();
    let threads = rayon::current_num_threads();
    if threads > 1 && targets.len() >= 4 * threads {
        // Merges are independent: a long audit takes them in chunks on every worker, each chunk
        // with its own repository handle and all sharing the parse cache. Handing the small
        // parallel steps of each merge across threads cost more than they saved.
        let run = analyzer.run_state();
        let location = repo.path().to_path_buf();
        let chunks: Vec<Result<Vec<MergeReport>>> = targets
            .par_chunks(targets.len().div_ceil(threads * 8))
            .map(|chunk| {
                let repo = git::reopen(&location)?;
                let analyzer = Analyzer::with_run(&repo, Arc::clone(&run));
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
    let report = Report {
        merges,
        parses: analyzer.parses(),
        unanalysed_warns,
    };
    print_report(invocation, &report)?;
    Ok(ExitStatus::of(&report, fail_on))
}

/// The merge commits an `audit` target names, oldest first: one commit; the merges of `A..B`
/// (reachable from B, not from A); or, as git reads `A...B`, the merges reachable from either
/// side but not from both (since their merge base).
fn merges_to_audit(repo: &git2::Repository, target: &str) -> Result<Vec<Oid>> {
    let or_head = |rev: &str| if rev.is_empty() { "HEAD" } else { rev }.to_string();
    let mut walk = repo.revwalk()?;
    if let Some((left, right)) = target.split_once("...") {
        let left = git::resolve_commit(repo, &or_head(left))?.id();
        let right = git::resolve_commit(repo, &or_head(right))?.id();
        walk.push(left)?;
        walk.push(right)?;
        match repo.merge_bases(left, right) {
            Ok(bases) => {
                for base in bases.iter() {
                    walk.hide(*base)?;
                }
            }
            // Unrelated histories: everything reachable from either side.
            Err(err) if err.code() == git2::ErrorCode::NotFound => {}
            Err(err) => return Err(err.into()),
        }
    } else if let Some((from, to)) = target.split_once("..") {
        let from = git::resolve_commit(repo, &or_head(from))?;
        let to = git::resolve_commit(repo, &or_head(to))?;
        walk.push(to.id())?;
        walk.hide(from.id())?;
    } else {
        return Ok(vec![git::resolve_commit(repo, target)?.id()]);
    }
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
