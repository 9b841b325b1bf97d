//! The pipeline: from a [`MergeScenario`] to the report of one merge, as named steps, each in its
//! own file, in the order the data flows:
//!
//! 1. [`provenance::branch_names`]: what each side is called in messages;
//! 2. [`mass_deletion`]: a side that deleted half the base's files is not guarded name by name;
//! 3. [`select`]: the files where a rule can fire (a side changed them and the result differs from
//!    that side; a side added lines to them; the result differs from both parents);
//! 4. [`load`]: their blobs, each read once;
//! 5. [`parse`]: each blob parsed once per run, a file's versions incrementally from its base;
//! 6. [`detect`]: every registered rule over the merge;
//! 7. [`dedup`]: one finding per rule, file and name, and rule precedence;
//! 8. [`suppress`]: what the repository asks not to report, each with a note;
//! 9. [`provenance::add_removing_commits`]: the commit that removed each name;
//! 10. [`coverage`]: every changed code file counted as analysed or not, with the reason;
//! 11. [`at_risk`]: for a dry run's conflicted paths, the names a resolution must not bring back.
//!
//! With `CONFLICTGUARD_TIMINGS` set, the time of each step goes to standard error ([`timings`]).

pub mod at_risk;
pub mod coverage;
pub mod dedup;
pub mod detect;
pub mod four_texts;
pub mod load;
pub mod mass_deletion;
pub mod parse;
pub mod provenance;
pub mod select;
pub mod suppress;
pub mod timings;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use git2::{Oid, Repository};

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::finding::{BySide, MergeReport, Note};
use crate::git::changes;
use crate::git::pull_request::PullRequest;
use crate::git::scenario::MergeScenario;
use crate::merge::{BranchNames, GeneratedFiles, MergeContext, MergeParts, SideChanges};
use crate::syntax::ParseCache;
pub use four_texts::{findings_in_four_texts, result_needs_parse};

/// Where a report's branch names come from.
#[derive(Clone, Copy)]
enum Naming {
    /// The scenario's own (a merge message, `MERGE_HEAD`'s branch, the pull request), and
    /// `ours` / `theirs` for a side it does not name.
    Given,
    /// Also the repository's: the branch at a side's tip, the mainline for a side on its history.
    Found,
}

/// The analysis of merges in one repository, sharing parses across merges.
pub struct Analyzer<'r> {
    repo: &'r Repository,
    run: Arc<RunState>,
}

/// What the whole run shares, across threads: the settings, the parse cache, and what is learnt
/// once about the repository. A repository handle is not shared (libgit2's are per thread): the
/// per-file work gets blobs read before it starts, and each worker of a parallel audit opens its
/// own handle (see [`Analyzer::with_run`]).
pub struct RunState {
    pub settings: Settings,
    parses: ParseCache,
    /// The mainline and its first-parent history, for wording; found on first use, its history
    /// walked only as far as the merges ask.
    mainline: OnceLock<Option<provenance::Mainline>>,
    /// The branches by the commit at their tip, for wording; read on first use.
    branch_tips: OnceLock<HashMap<Oid, Vec<String>>>,
}

impl<'r> Analyzer<'r> {
    pub fn new(repo: &'r Repository, settings: Settings) -> Analyzer<'r> {
        Analyzer {
            repo,
            run: Arc::new(RunState {
                parses: ParseCache::new(settings.parse_time_limit)
                    .with_readers(settings.file.settings.reader_names()),
                settings,
                mainline: OnceLock::new(),
                branch_tips: OnceLock::new(),
            }),
        }
    }

    /// What this analyzer shares with others of the same run.
    pub fn run_state(&self) -> Arc<RunState> {
        Arc::clone(&self.run)
    }

    /// An analyzer of the same repository through another handle (another thread's), sharing
    /// the parses, settings and what was learnt about the repository.
    pub fn with_run(repo: &'r Repository, run: Arc<RunState>) -> Analyzer<'r> {
        Analyzer { repo, run }
    }

    /// How many blobs were parsed so far in this run.
    pub fn parses(&self) -> usize {
        self.run.parses.parses()
    }

    pub fn settings(&self) -> &Settings {
        &self.run.settings
    }

    pub fn repo(&self) -> &'r Repository {
        self.repo
    }

    /// The report of one merge: every rule's findings, with notes. `pull_request` is given for
    /// the final merge of `conflictguard ci`, which CG005 reads.
    pub fn merge_report(
        &self,
        scenario: &MergeScenario,
        pull_request: Option<&PullRequest>,
    ) -> Result<MergeReport> {
        // The names of the branches only word what a report says. Finding them where the
        // scenario does not give them (the branches at each tip, the mainline's history back to
        // the merge) was most of the cost of a small merge in a repository of many refs or a
        // long history; so a merge is analysed with the names it gives, and analysed again with
        // the names found only when its findings or notes have something to say (the parses are
        // cached). The names at risk of a conflicted merge only carry a branch: they are given
        // the found ones. Once a run has listed the branches (an audit of many merges), finding
        // the names costs little more, and a second analysis more than it saves.
        if scenario.ours_branch.is_some() && scenario.theirs_branch.is_some() {
            return self.report_named(scenario, pull_request, Naming::Given);
        }
        if self.run.branch_tips.get().is_some() {
            return self.report_named(scenario, pull_request, Naming::Found);
        }
        let mut report = self.report_named(scenario, pull_request, Naming::Given)?;
        if !report.findings.is_empty() || !report.notes.is_empty() {
            return self.report_named(scenario, pull_request, Naming::Found);
        }
        if !report.at_risk.is_empty() {
            let names = self.found_names(scenario);
            for name in &mut report.at_risk {
                let side = name.removed_by.side;
                name.removed_by.branch = names.branch(side).map(str::to_string);
            }
        }
        Ok(report)
    }

    /// The names of a merge's sides: the scenario's, else the branch at a side's tip, else the
    /// mainline for a side on its history.
    fn found_names(&self, scenario: &MergeScenario) -> BranchNames {
        let repo = self.repo;
        let mainline = self.run.mainline.get_or_init(|| {
            provenance::Mainline::find(repo, self.run.settings.mainline.as_deref())
        });
        let tips = || {
            self.run
                .branch_tips
                .get_or_init(|| crate::git::branch_tips(repo))
        };
        provenance::branch_names(repo, tips, scenario, mainline.as_ref())
    }

    /// The report of one merge, with its sides named as `naming` says.
    fn report_named(
        &self,
        scenario: &MergeScenario,
        pull_request: Option<&PullRequest>,
        naming: Naming,
    ) -> Result<MergeReport> {
        let repo = self.repo;
        let settings = &self.run.settings;
        let mut timings = timings::Timings::start();
        self.run.parses.trim();
        let result_tree = repo
            .find_tree(scenario.result_tree)
            .map_err(|e| Error::from(e).during("reading the merge result's tree"))?;
        let generated = GeneratedFiles::new(repo, &result_tree).with_settings_paths(
            &settings.file.settings.include,
            &settings.file.settings.exclude,
        );
        let mut notes: Vec<Note> = Vec::new();

        let side_changes = |tree| {
            changes::between(repo, scenario.base_tree(), tree)
                .map(SideChanges::new)
                .map_err(|e| e.during("listing the files each side changed"))
        };
        let changes = BySide::new(
            side_changes(scenario.ours_tree)?,
            side_changes(scenario.theirs_tree)?,
        );
        timings.step("changes");
        let names = match naming {
            Naming::Given => BranchNames(BySide::new(
                scenario.ours_branch.clone(),
                scenario.theirs_branch.clone(),
            )),
            Naming::Found => self.found_names(scenario),
        };
        timings.step("names");
        let mass_deletion = mass_deletion::find(repo, scenario, &changes, &names, &mut notes)
            .map_err(|e| e.during("counting the base's files"))?;
        let files = select::files(
            repo,
            scenario,
            &result_tree,
            &changes,
            &mass_deletion,
            &generated,
            &mut notes,
        )
        .map_err(|e| e.during("selecting the files to read"))?;
        timings.step("select");
        let blobs = load::blobs(repo, &files, &changes, settings.max_file_size)
            .map_err(|e| e.during("reading the files' contents"))?;
        timings.step("load");
        parse::warm(&self.run.parses, &files, &blobs);
        timings.step("parse");

        let context = MergeContext::new(MergeParts {
            scenario,
            names,
            changes,
            mass_deletion,
            files,
            blobs,
            generated,
            max_file_size: settings.max_file_size,
            pull_request,
            parses: &self.run.parses,
        });
        let detected = detect::run_rules(repo, &context, &mut timings)
            .map_err(|e| e.during("running the rules"))?;
        timings.step("rules");
        notes.extend(detected.notes);
        let mut findings = dedup::one_per_name(detected.findings, scenario);
        suppress::apply(repo, &result_tree, settings, &mut findings, &mut notes);
        provenance::add_removing_commits(repo, &context, &mut findings)
            .map_err(|e| e.during("finding the commits that removed the names"))?;
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        crate::git::promisor::check_no_failed_fetch(repo)?;

        timings.step("report");
        let coverage = coverage::of_merge(
            &result_tree,
            &context.changes,
            &context.generated,
            &context.blobs,
            &self.run.parses,
        );
        timings.step("coverage");
        let at_risk = at_risk::names(repo, &context, &self.run.parses)
            .map_err(|e| e.during("listing the names at risk in conflicted files"))?;
        timings.step("at risk");
        timings.write(&context.merge, self.run.parses.parses());
        notes.sort();
        notes.dedup();
        let files = context
            .files
            .changed
            .iter()
            .map(|file| file.result.0.as_str())
            .chain(context.files.additions.iter().map(|a| a.result.0.as_str()))
            .collect::<HashSet<_>>()
            .len();
        Ok(MergeReport {
            result: context.merge.clone(),
            ours: scenario.ours.to_string(),
            theirs: scenario.theirs.to_string(),
            bases: scenario.bases.iter().map(Oid::to_string).collect(),
            conflicts: scenario.conflicts.clone(),
            at_risk,
            findings,
            notes,
            files,
            analysed_files: coverage.analysed,
            not_analysed: coverage.not_analysed,
            ours_branch: scenario.ours_branch.clone(),
            theirs_branch: scenario.theirs_branch.clone(),
        })
    }

    /// A merge of more than two parents: reported, not analysed.
    pub fn octopus_report(&self, merge: Oid) -> Result<MergeReport> {
        let commit = self.repo.find_commit(merge)?;
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
            analysed_files: 0,
            not_analysed: Vec::new(),
            ours_branch: None,
            theirs_branch: None,
        })
    }
}
