//! The merge model: from a [`MergeScenario`] to the findings of one merge. This module decides
//! which files are worth reading (rules 1–2: files a side changed whose result differs from that
//! side's version; rule 3: files the other side added to or changed), reads and parses each blob
//! once, runs the per-file rules in parallel, and adds provenance to what they find.

pub mod align;
pub mod cache;
pub mod dangling;
pub mod provenance;
pub mod skip;
pub mod suppress;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use git2::{Oid, Repository};
use rayon::prelude::*;

use crate::error::Result;
use crate::finding::{AtRisk, Finding, MergeReport, Note, Origin, RemovedBy, Side, Snippet};
use crate::git::changes::{self, Change};
use crate::git::scenario::MergeScenario;
use crate::lang::{self, Language};
use crate::rules::{self, conflict_marker};
use crate::symbols::ParsedFile;
use align::{split_lines, Alignment};
use cache::{ParseCache, Texts, Unreadable};
use skip::Skipper;

/// What the analysis may read.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files larger than this are skipped with a note.
    pub max_file_size: u64,
    /// A file whose parse takes longer is skipped with a note.
    pub parse_time_limit: std::time::Duration,
    /// The mainline branch, for wording only.
    pub mainline: Option<String>,
    /// `.conflictguard.toml`: rule severities, languages, ignored paths, the allow-list.
    pub file: crate::config::FileConfig,
    /// Today as `YYYY-MM-DD`, for allow-list expiry.
    pub today: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: crate::config::MAX_FILE_SIZE,
            parse_time_limit: crate::symbols::PARSE_TIME_LIMIT,
            mainline: None,
            file: crate::config::FileConfig::default(),
            today: String::new(),
        }
    }
}

/// The branch of each side, where known.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

impl Labels {
    /// What a side is called in messages: its branch where known, else `ours` / `theirs`.
    pub fn side(&self, side: Side) -> &str {
        self.branch(side).unwrap_or(side.as_str())
    }

    pub fn branch(&self, side: Side) -> Option<&str> {
        match side {
            Side::Ours => self.ours.as_deref(),
            Side::Theirs => self.theirs.as_deref(),
        }
    }
}

/// One version of a file: its path, bytes and occurrences.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub path: &'a str,
    pub text: &'a [u8],
    pub parsed: Option<&'a ParsedFile>,
}

/// How one parent's version relates to the base and to the result.
struct SideAlignment {
    from_base: Alignment,
    to_result: Alignment,
}

/// One file across the merge: base, both parents (absent where deleted) and result.
pub struct FileMerge<'a> {
    pub base: Version<'a>,
    pub ours: Option<Version<'a>>,
    pub theirs: Option<Version<'a>>,
    pub result: Version<'a>,
    base_lines: Vec<&'a [u8]>,
    ours_alignment: Option<SideAlignment>,
    theirs_alignment: Option<SideAlignment>,
}

impl<'a> FileMerge<'a> {
    pub fn new(
        base: Version<'a>,
        ours: Option<Version<'a>>,
        theirs: Option<Version<'a>>,
        result: Version<'a>,
    ) -> FileMerge<'a> {
        let base_lines = split_lines(base.text);
        let result_lines = split_lines(result.text);
        let align = |side: &Option<Version<'a>>| {
            side.map(|version| {
                let lines = split_lines(version.text);
                SideAlignment {
                    from_base: Alignment::new(&base_lines, &lines),
                    to_result: Alignment::new(&lines, &result_lines),
                }
            })
        };
        let ours_alignment = align(&ours);
        let theirs_alignment = align(&theirs);
        FileMerge {
            base,
            ours,
            theirs,
            result,
            base_lines,
            ours_alignment,
            theirs_alignment,
        }
    }

    pub fn side(&self, side: Side) -> Option<&Version<'a>> {
        match side {
            Side::Ours => self.ours.as_ref(),
            Side::Theirs => self.theirs.as_ref(),
        }
    }

    fn alignment(&self, side: Side) -> Option<&SideAlignment> {
        match side {
            Side::Ours => self.ours_alignment.as_ref(),
            Side::Theirs => self.theirs_alignment.as_ref(),
        }
    }

    /// Precision rule 3: the result's line `line` comes from a line `side` added as new code — in a
    /// hunk of its diff from the base that removed no line naming `name`.
    pub fn is_new_code(&self, side: Side, line: usize, name: &str) -> bool {
        let Some(alignment) = self.alignment(side) else {
            return false;
        };
        let Some(side_line) = alignment.to_result.unchanged_from(line) else {
            return false;
        };
        let Some(replaced) = alignment.from_base.replaced_lines(side_line) else {
            return false;
        };
        !self.base_lines
            [replaced.start.min(self.base_lines.len())..replaced.end.min(self.base_lines.len())]
            .iter()
            .any(|base_line| crate::symbols::contains_word(base_line, name))
    }

    /// Where the result's line `line` came from, looking at `prefer` first.
    pub fn origin(&self, line: usize, prefer: Side) -> Origin {
        for side in [prefer, prefer.other()] {
            if let Some(alignment) = self.alignment(side) {
                if let Some(side_line) = alignment.to_result.unchanged_from(line) {
                    return Origin::from_side(side, alignment.from_base.is_added(side_line));
                }
            }
        }
        Origin::Resolution
    }
}

/// A file one side changed, whose result differs from that side's version.
struct ResurrectionJob {
    remover: Side,
    language: &'static Language,
    base: (String, Oid),
    /// With several merge bases (criss-cross): the file in the others. A name counts as removed
    /// only when every base has it.
    other_bases: Vec<Option<Oid>>,
    ours: Option<(String, Oid)>,
    theirs: Option<(String, Oid)>,
    result: (String, Oid),
}

/// The analysis of merges in one repository, sharing parses across merges.
pub struct Analyzer<'r> {
    repo: &'r Repository,
    shared: Arc<Shared>,
}

/// What the whole run shares, across threads: the options, the parse cache, and what is learnt
/// once about the repository. A repository handle is not shared (libgit2's are per thread): the
/// per-file work gets blobs read before it starts, and each worker of a parallel audit opens its
/// own handle (see [`Analyzer::sibling`]).
pub struct Shared {
    pub options: Options,
    cache: ParseCache,
    /// The mainline and its first-parent history, for wording; found on first use.
    mainline: std::sync::OnceLock<Option<(String, HashSet<Oid>)>>,
    /// The branches by the commit at their tip, for wording; read on first use.
    branch_tips: std::sync::OnceLock<HashMap<Oid, Vec<String>>>,
}

impl Shared {
    pub(crate) fn parse(
        &self,
        oid: Oid,
        language: &'static Language,
        text: &[u8],
    ) -> Arc<ParsedFile> {
        self.cache.get(oid, language, text)
    }
}

/// A side's changes from the base, with the version of every base path on that side.
pub(crate) struct SideChanges {
    pub changes: Vec<Change>,
    by_base_path: HashMap<String, usize>,
}

impl SideChanges {
    fn new(changes: Vec<Change>) -> SideChanges {
        let by_base_path = changes
            .iter()
            .enumerate()
            .filter_map(|(index, change)| Some((change.old.as_ref()?.0.clone(), index)))
            .collect();
        SideChanges {
            changes,
            by_base_path,
        }
    }

    /// This side's version of the base file `path` (blob `base`): changed, renamed, deleted or
    /// unchanged.
    pub fn version_of(&self, path: &str, base: Oid) -> Option<(String, Oid)> {
        match self.by_base_path.get(path) {
            Some(&index) => self.changes[index].new.clone(),
            None => Some((path.to_string(), base)),
        }
    }
}

impl<'r> Analyzer<'r> {
    pub fn new(repo: &'r Repository, options: Options) -> Analyzer<'r> {
        Analyzer {
            repo,
            shared: Arc::new(Shared {
                cache: ParseCache::new(options.parse_time_limit),
                options,
                mainline: std::sync::OnceLock::new(),
                branch_tips: std::sync::OnceLock::new(),
            }),
        }
    }

    /// What this analyzer shares with others of the same run.
    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// An analyzer of the same repository through another handle (another thread's), sharing
    /// the parses, options and what was learnt about the repository.
    pub fn with_shared(repo: &'r Repository, shared: Arc<Shared>) -> Analyzer<'r> {
        Analyzer { repo, shared }
    }

    /// How many blobs were parsed so far in this run.
    pub fn parses(&self) -> usize {
        self.shared.cache.parses()
    }

    pub fn options(&self) -> &Options {
        &self.shared.options
    }

    pub fn repo(&self) -> &'r Repository {
        self.repo
    }

    pub(crate) fn parse(
        &self,
        oid: Oid,
        language: &'static Language,
        text: &[u8],
    ) -> Arc<ParsedFile> {
        self.shared.parse(oid, language, text)
    }

    /// All findings of one merge.
    pub fn analyse(&self, scenario: &MergeScenario) -> Result<MergeReport> {
        let repo = self.repo;
        let mainline = self
            .shared
            .mainline
            .get_or_init(|| provenance::mainline(repo, self.shared.options.mainline.as_deref()));
        let tips = self
            .shared
            .branch_tips
            .get_or_init(|| crate::git::branch_tips(repo));
        let labels = provenance::labels(tips, scenario, mainline.as_ref());
        let result_tree = repo.find_tree(scenario.result_tree)?;
        let skipper = Skipper::new(repo, &result_tree);
        let mut notes: Vec<Note> = Vec::new();

        let sides = [
            SideChanges::new(changes::between(
                repo,
                scenario.base_tree(),
                scenario.ours_tree,
            )?),
            SideChanges::new(changes::between(
                repo,
                scenario.base_tree(),
                scenario.theirs_tree,
            )?),
        ];
        let side_index = |side: Side| match side {
            Side::Ours => 0,
            Side::Theirs => 1,
        };

        // Precision rule 1: a side that deleted half of the base's files is a restructure or an
        // unrelated tree, not a set of deliberate removals to guard one by one.
        let mut mass_deletion = [false, false];
        for side in [Side::Ours, Side::Theirs] {
            let deleted = sides[side_index(side)]
                .changes
                .iter()
                .filter(|change| change.is_deletion())
                .count();
            if deleted == 0 {
                continue;
            }
            let total = count_files(repo, scenario.base_tree())?;
            if total >= 6 && deleted * 2 >= total {
                mass_deletion[side_index(side)] = true;
                notes.push(Note {
                    path: None,
                    message: format!(
                        "mass deletion: {} deleted {deleted} of the base's {total} files; its removals are not reported one by one",
                        labels.side(side)
                    ),
                });
            }
        }

        let mut skipped: BTreeSet<(String, String)> = BTreeSet::new();
        let mut readable = |path: &str| -> Option<&'static Language> {
            let language = lang::for_path(path)?;
            if let Some(reason) = skipper.reason(path) {
                skipped.insert((path.to_string(), reason));
                return None;
            }
            Some(language)
        };

        // Rules 1–2: files a side changed whose result differs from that side's version.
        let other_base_trees = scenario.base_trees[1..]
            .iter()
            .map(|oid| repo.find_tree(*oid))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut jobs = Vec::new();
        for remover in [Side::Ours, Side::Theirs] {
            if mass_deletion[side_index(remover)] {
                continue;
            }
            let keeper = &sides[side_index(remover.other())];
            for change in &sides[side_index(remover)].changes {
                let Some((base_path, base_oid)) = change.old.clone() else {
                    continue;
                };
                let removed_side = change.new.clone();
                let kept_side = keeper.version_of(&base_path, base_oid);
                let result_path = [&removed_side, &kept_side]
                    .into_iter()
                    .flatten()
                    .map(|(path, _)| path)
                    .find(|path| **path != base_path)
                    .unwrap_or(&base_path)
                    .clone();
                let Some(result_oid) = crate::git::blob_at(&result_tree, &result_path) else {
                    continue;
                };
                if removed_side.as_ref().map(|(_, oid)| *oid) == Some(result_oid) {
                    continue;
                }
                let Some(language) = readable(&result_path) else {
                    continue;
                };
                let (ours, theirs) = match remover {
                    Side::Ours => (removed_side, kept_side),
                    Side::Theirs => (kept_side, removed_side),
                };
                let other_bases = other_base_trees
                    .iter()
                    .map(|tree| crate::git::blob_at(tree, &base_path))
                    .collect();
                jobs.push(ResurrectionJob {
                    remover,
                    language,
                    other_bases,
                    base: (base_path, base_oid),
                    ours,
                    theirs,
                    result: (result_path, result_oid),
                });
            }
        }

        let mut texts = Texts::default();
        for job in &jobs {
            for (_, oid) in [
                Some(&job.base),
                job.ours.as_ref(),
                job.theirs.as_ref(),
                Some(&job.result),
            ]
            .into_iter()
            .flatten()
            {
                texts.load(repo, *oid, self.shared.options.max_file_size)?;
            }
            for oid in job.other_bases.iter().flatten() {
                texts.load(repo, *oid, self.shared.options.max_file_size)?;
            }
        }
        let additions = dangling::plan(
            self,
            scenario,
            &sides,
            &result_tree,
            &mut readable,
            &mut texts,
        )?;
        for (path, reason) in skipped {
            notes.push(Note {
                path: Some(path),
                message: format!("skipped ({reason})"),
            });
        }

        let files: Vec<(Oid, &'static Language, Vec<Oid>)> = jobs
            .iter()
            .map(|job| {
                let versions = [
                    job.ours.as_ref().map(|v| v.1),
                    job.theirs.as_ref().map(|v| v.1),
                    Some(job.result.1),
                ]
                .into_iter()
                .chain(job.other_bases.iter().copied())
                .flatten()
                .collect();
                (job.base.1, job.language, versions)
            })
            .collect();
        self.shared.cache.warm_files(&files, &texts);

        let merge = scenario.result.to_string();
        let shared = &self.shared;
        let per_file: Vec<(Vec<Finding>, Vec<Note>)> = jobs
            .par_iter()
            .map(|job| Self::resurrections(shared, job, &texts, &labels, &merge))
            .collect();
        let mut findings = Vec::new();
        for (found, file_notes) in per_file {
            findings.extend(found);
            notes.extend(file_notes);
        }

        let (found, dangling_notes) = dangling::detect(
            self,
            scenario,
            &sides,
            &additions,
            &texts,
            &labels,
            &merge,
            &mass_deletion,
        )?;
        findings.extend(found);
        notes.extend(dangling_notes);

        findings.extend(self.conflict_markers(scenario, &skipper, &merge, &mut notes)?);

        // One finding per rule, name and file; a resurrection (CG001/CG002) is the better account of
        // a name than a dangling use (CG003) in the same file.
        // When both sides removed a name that the result brings back, either could be named; the
        // one whose tip has the smaller id is, so that swapping the parents swaps the sides only.
        let tip = |finding: &Finding| match finding.removed_by.as_ref().map(|r| r.side) {
            Some(Side::Ours) => Some(scenario.ours),
            Some(Side::Theirs) => Some(scenario.theirs),
            None => None,
        };
        findings.sort_by(|a, b| {
            (&a.path, &a.identifier, a.rule, a.line, tip(a)).cmp(&(
                &b.path,
                &b.identifier,
                b.rule,
                b.line,
                tip(b),
            ))
        });
        findings.dedup_by(|later, earlier| {
            later.path == earlier.path
                && later.identifier == earlier.identifier
                && (later.rule == earlier.rule
                    || (later.rule == rules::use_of_removed_identifier::RULE.code
                        && earlier.rule != rules::conflict_marker::RULE.code))
        });
        suppress::apply(
            repo,
            &result_tree,
            &self.shared.options,
            &mut findings,
            &mut notes,
        );
        provenance::add_removing_commits(self, scenario, &labels, &mut findings)?;
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

        let at_risk = self.at_risk(scenario, &labels)?;
        notes.sort();
        notes.dedup();
        let files = jobs
            .iter()
            .map(|job| job.result.0.as_str())
            .chain(additions.iter().map(|a| a.result_path()))
            .collect::<HashSet<_>>()
            .len();
        Ok(MergeReport {
            result: merge,
            ours: scenario.ours.to_string(),
            theirs: scenario.theirs.to_string(),
            bases: scenario.bases.iter().map(Oid::to_string).collect(),
            conflicts: scenario.conflicts.clone(),
            at_risk,
            findings,
            notes,
            files,
            ours_branch: scenario.ours_branch.clone(),
            theirs_branch: scenario.theirs_branch.clone(),
        })
    }

    /// CG001/CG002 (and dangling CG003) in one file.
    fn resurrections(
        shared: &Shared,
        job: &ResurrectionJob,
        texts: &Texts,
        labels: &Labels,
        merge: &str,
    ) -> (Vec<Finding>, Vec<Note>) {
        let mut notes = Vec::new();
        let (result_path, result_oid) = &job.result;
        let Some(result_text) = texts.get(*result_oid) else {
            notes.push(unreadable_note(
                result_path,
                texts.unreadable(*result_oid),
                shared.options.max_file_size,
            ));
            return (Vec::new(), notes);
        };
        let Some(base_text) = texts.get(job.base.1) else {
            return (Vec::new(), notes);
        };
        let parse = |oid: Oid, text: &[u8]| shared.parse(oid, job.language, text);
        let base_parsed = parse(job.base.1, base_text);
        let result_parsed = parse(*result_oid, result_text);
        note_parse_problems(result_path, &result_parsed, &mut notes);
        let side_parsed = |side: &Option<(String, Oid)>| -> Option<(Oid, Arc<ParsedFile>)> {
            let (_, oid) = side.as_ref()?;
            let text = texts.get(*oid)?;
            Some((*oid, parse(*oid, text)))
        };
        let ours = side_parsed(&job.ours);
        let theirs = side_parsed(&job.theirs);
        let file = FileMerge::new(
            Version {
                path: &job.base.0,
                text: base_text,
                parsed: Some(&base_parsed),
            },
            version(&job.ours, &ours, texts),
            version(&job.theirs, &theirs, texts),
            Version {
                path: result_path,
                text: result_text,
                parsed: Some(&result_parsed),
            },
        );
        // A side whose version could not be read (binary, too large) is not a deletion.
        let side_unreadable = match job.remover {
            Side::Ours => job.ours.is_some() && ours.is_none(),
            Side::Theirs => job.theirs.is_some() && theirs.is_none(),
        };
        if side_unreadable {
            return (Vec::new(), notes);
        }
        let removed_from = file
            .side(job.remover)
            .map_or(job.base.0.clone(), |v| v.path.to_string());
        let other_bases: Vec<Option<Arc<ParsedFile>>> = job
            .other_bases
            .iter()
            .map(|oid| oid.and_then(|oid| texts.get(oid).map(|text| parse(oid, text))))
            .collect();
        let in_every_base = |name: &str| {
            other_bases
                .iter()
                .all(|base| base.as_ref().is_some_and(|b| b.contains(name)))
        };
        let findings = rules::resurrected_definition::detect(&file, job.remover, labels)
            .into_iter()
            .filter(|detection| in_every_base(&detection.occurrence.name))
            .map(|detection| {
                let mut finding =
                    detection_finding(detection, job.remover, result_path, result_text, merge);
                finding.removed_from = Some(removed_from.clone());
                finding
            })
            .collect();
        (findings, notes)
    }

    /// CG004 in every file whose result differs from both parents.
    fn conflict_markers(
        &self,
        scenario: &MergeScenario,
        skipper: &Skipper,
        merge: &str,
        notes: &mut Vec<Note>,
    ) -> Result<Vec<Finding>> {
        let repo = self.repo;
        // Files whose result differs from ours, then from theirs by lookup: one diff, not two.
        let from_ours = changes::between(repo, scenario.ours_tree, scenario.result_tree)?;
        let ours_tree = repo.find_tree(scenario.ours_tree)?;
        let theirs_tree = repo.find_tree(scenario.theirs_tree)?;
        let mut texts = Texts::default();
        let mut findings = Vec::new();
        for (path, result_oid) in from_ours.into_iter().filter_map(|change| change.new) {
            let theirs_oid = crate::git::blob_at(&theirs_tree, &path);
            if theirs_oid == Some(result_oid) || skipper.reason(&path).is_some() {
                continue;
            }
            let ours_oid = crate::git::blob_at(&ours_tree, &path);
            for oid in [Some(result_oid), ours_oid, theirs_oid]
                .into_iter()
                .flatten()
            {
                texts.load(repo, oid, self.shared.options.max_file_size)?;
            }
            let Some(result_text) = texts.get(result_oid) else {
                if let Some(Unreadable::TooLarge(_)) = texts.unreadable(result_oid) {
                    notes.push(unreadable_note(
                        &path,
                        texts.unreadable(result_oid),
                        self.shared.options.max_file_size,
                    ));
                }
                continue;
            };
            let side_text =
                |oid: Option<Oid>| oid.and_then(|oid| texts.get(oid)).unwrap_or_default();
            findings.extend(marker_findings(
                &path,
                result_text,
                side_text(ours_oid),
                side_text(theirs_oid),
                merge,
            ));
        }
        Ok(findings)
    }

    /// For each path a dry run left conflicted: the names one side removed there that the other
    /// side still has, which resolving by keeping that side would bring back.
    fn at_risk(&self, scenario: &MergeScenario, labels: &Labels) -> Result<Vec<AtRisk>> {
        let repo = self.repo;
        if scenario.conflicts.is_empty() {
            return Ok(Vec::new());
        }
        let base_tree = repo.find_tree(scenario.base_tree())?;
        let ours_tree = repo.find_tree(scenario.ours_tree)?;
        let theirs_tree = repo.find_tree(scenario.theirs_tree)?;
        let mut texts = Texts::default();
        let mut paths = Vec::new();
        let mut files = Vec::new();
        for path in &scenario.conflicts {
            let Some(language) = lang::for_path(path) else {
                continue;
            };
            let Some(base) = crate::git::blob_at(&base_tree, path) else {
                continue;
            };
            let versions = [
                (Side::Ours, crate::git::blob_at(&ours_tree, path)),
                (Side::Theirs, crate::git::blob_at(&theirs_tree, path)),
            ];
            for oid in std::iter::once(base).chain(versions.iter().filter_map(|v| v.1)) {
                texts.load(repo, oid, self.shared.options.max_file_size)?;
            }
            files.push((
                base,
                language,
                versions.iter().filter_map(|v| v.1).collect(),
            ));
            paths.push((path, language, base, versions));
        }
        self.shared.cache.warm_files(&files, &texts);
        let mut at_risk = Vec::new();
        for (path, language, base, versions) in paths {
            let parsed = |oid: Option<Oid>| {
                oid.and_then(|oid| texts.get(oid).map(|text| self.parse(oid, language, text)))
            };
            let Some(base_parsed) = parsed(Some(base)) else {
                continue;
            };
            for (remover, removed_oid) in versions {
                let keeper_oid = versions
                    .iter()
                    .find(|(side, _)| *side != remover)
                    .and_then(|(_, oid)| *oid);
                let Some(kept) = parsed(keeper_oid) else {
                    continue;
                };
                let removed = parsed(removed_oid);
                let mut names: Vec<&str> = base_parsed
                    .names()
                    .filter(|name| kept.contains(name))
                    .filter(|name| match &removed {
                        Some(removed) => !removed.contains(name),
                        // A deleted file: what it defined, not its parameters.
                        None => base_parsed.occurrences_of(name).any(|o| {
                            o.role.is_definition() && o.role != crate::symbols::Role::Parameter
                        }),
                    })
                    .collect();
                names.sort_unstable();
                for name in names {
                    at_risk.push(AtRisk {
                        path: path.clone(),
                        identifier: name.to_string(),
                        removed_by: RemovedBy {
                            side: remover,
                            branch: labels.branch(remover).map(str::to_string),
                            commit: None,
                        },
                    });
                }
            }
        }
        Ok(at_risk)
    }
}

/// The per-file rules on four versions of one file, without a repository: CG001/CG002 (and their
/// in-file CG003) for each parent whose version differs from the base and from the result, then
/// CG004. `path` picks the language; `None` for a parent is a deletion. This is what a merge runs
/// for every file both sides touched, and the entry point of the fuzz target.
pub fn analyse_texts(
    path: &str,
    base: &[u8],
    ours: Option<&[u8]>,
    theirs: Option<&[u8]>,
    result: &[u8],
) -> Vec<Finding> {
    let Some(language) = lang::for_path(path) else {
        return Vec::new();
    };
    let parse = |text: &[u8]| crate::symbols::parse(language, text);
    let (base_parsed, result_parsed) = (parse(base), parse(result));
    let (ours_parsed, theirs_parsed) = (ours.map(parse), theirs.map(parse));
    fn side_version<'a>(
        path: &'a str,
        text: Option<&'a [u8]>,
        parsed: &'a Option<ParsedFile>,
    ) -> Option<Version<'a>> {
        Some(Version {
            path,
            text: text?,
            parsed: parsed.as_ref(),
        })
    }
    let file = FileMerge::new(
        Version {
            path,
            text: base,
            parsed: Some(&base_parsed),
        },
        side_version(path, ours, &ours_parsed),
        side_version(path, theirs, &theirs_parsed),
        Version {
            path,
            text: result,
            parsed: Some(&result_parsed),
        },
    );
    let labels = Labels::default();
    let mut findings = Vec::new();
    for (remover, side) in [(Side::Ours, ours), (Side::Theirs, theirs)] {
        if side == Some(base) || side == Some(result) {
            continue;
        }
        findings.extend(
            rules::resurrected_definition::detect(&file, remover, &labels)
                .into_iter()
                .map(|detection| detection_finding(detection, remover, path, result, "")),
        );
    }
    findings.extend(marker_findings(
        path,
        result,
        ours.unwrap_or_default(),
        theirs.unwrap_or_default(),
        "",
    ));
    findings
}

/// The finding of a CG001/CG002 (or in-file CG003) detection in `text`, the result's version of
/// `path`, with the side that removed the name.
fn detection_finding(
    detection: rules::resurrected_definition::Detection<'_>,
    remover: Side,
    path: &str,
    text: &[u8],
    merge: &str,
) -> Finding {
    let mut finding = make_finding(
        detection.rule,
        &detection.occurrence.name,
        path,
        text,
        detection.occurrence.start,
        detection.occurrence.end,
        merge,
        detection.message,
    );
    finding.scope = detection.occurrence.scope.clone();
    finding.origin = Some(detection.origin);
    finding.removed_by = Some(RemovedBy {
        side: remover,
        branch: None,
        commit: None,
    });
    finding.help = detection.help;
    finding
}

/// CG004 in `result`, the result's version of `path`: marker lines neither parent has.
fn marker_findings(
    path: &str,
    result: &[u8],
    ours: &[u8],
    theirs: &[u8],
    merge: &str,
) -> Vec<Finding> {
    let line_starts = line_starts(result);
    conflict_marker::new_markers(result, ours, theirs)
        .into_iter()
        .map(|(line, marker)| {
            let start = line_starts.get(line).copied().unwrap_or(0);
            let mut finding = make_finding(
                &conflict_marker::RULE,
                marker,
                path,
                result,
                start,
                start + marker.len(),
                merge,
                format!("a conflict marker `{marker}` was committed in {path}"),
            );
            finding.origin = Some(Origin::Resolution);
            finding.help = Some("finish resolving the conflict and remove the marker lines".into());
            finding
        })
        .collect()
}

/// A parent's version of a file, where it exists and was read.
fn version<'a>(
    side: &'a Option<(String, Oid)>,
    parsed: &'a Option<(Oid, Arc<ParsedFile>)>,
    texts: &'a Texts,
) -> Option<Version<'a>> {
    let (path, oid) = side.as_ref()?;
    let (_, parsed) = parsed.as_ref()?;
    Some(Version {
        path,
        text: texts.get(*oid)?,
        parsed: Some(parsed),
    })
}

/// The byte offset of each line's start.
pub(crate) fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// A finding at bytes `start..end` of `text` (the result's version of `path`), columns counted in
/// characters from 1.
#[allow(clippy::too_many_arguments)]
pub fn make_finding(
    rule: &'static rules::Rule,
    identifier: &str,
    path: &str,
    text: &[u8],
    start: usize,
    end: usize,
    merge: &str,
    message: String,
) -> Finding {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let line_start = text[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = text[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| start + i);
    let line = text[..start].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let chars = |bytes: &[u8]| String::from_utf8_lossy(bytes).chars().count() as u32;
    let mut column_from = line_start;
    if line == 1 && text.starts_with(b"\xEF\xBB\xBF") {
        column_from = 3.min(start);
    }
    let column = chars(&text[column_from..start]) + 1;
    let end_column = column + chars(&text[start..end]);
    let line_bytes = &text[line_start..line_end];
    let line_bytes = line_bytes.strip_suffix(b"\r").unwrap_or(line_bytes);
    let before = String::from_utf8_lossy(&text[line_start..start]).len();
    let snippet_text = String::from_utf8_lossy(line_bytes).into_owned();
    Finding {
        rule: rule.code,
        name: rule.name,
        severity: rule.severity,
        identifier: identifier.to_string(),
        path: path.to_string(),
        line,
        column,
        end_line: line,
        end_column,
        merge: merge.to_string(),
        removed_by: None,
        origin: None,
        message,
        scope: None,
        snippet: Snippet {
            offset: before.min(snippet_text.len()),
            len: String::from_utf8_lossy(&text[start..end]).len(),
            text: snippet_text,
        },
        removed_from: None,
        help: None,
    }
}

pub(crate) fn unreadable_note(path: &str, why: Option<&Unreadable>, max: u64) -> Note {
    let message = match why {
        Some(Unreadable::TooLarge(size)) => {
            format!("skipped: {size} bytes is over the {max}-byte file size limit")
        }
        Some(Unreadable::Binary) => "skipped: binary content".to_string(),
        None => "skipped: could not be read".to_string(),
    };
    Note {
        path: Some(path.to_string()),
        message,
    }
}

pub(crate) fn note_parse_problems(path: &str, parsed: &ParsedFile, notes: &mut Vec<Note>) {
    if parsed.failed {
        notes.push(Note {
            path: Some(path.to_string()),
            message: "skipped: parsing took longer than the parse time limit (parse-time-limit)"
                .into(),
        });
    } else if parsed.has_syntax_error {
        notes.push(Note {
            path: Some(path.to_string()),
            message: "syntax error: the file does not fully parse; analysed as far as it parses"
                .into(),
        });
    }
}

/// How many files a tree holds.
fn count_files(repo: &Repository, tree: Oid) -> Result<usize> {
    let tree = repo.find_tree(tree)?;
    let mut count = 0;
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            count += 1;
        }
        git2::TreeWalkResult::Ok
    })?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_texts_give_the_incident_and_a_committed_marker() {
        let base = b"const A = 1;\nconst LEGACY = 2;\nconst B = 3;\n";
        let ours = b"const A = 1;\nconst B = 3;\n";
        let theirs = b"const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n";
        let findings = analyse_texts("config.js", base, Some(ours), Some(theirs), theirs);
        let found: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.rule,
                    f.identifier.as_str(),
                    f.line,
                    f.removed_by.as_ref().map(|r| r.side),
                )
            })
            .collect();
        assert_eq!(found, vec![("CG001", "LEGACY", 2, Some(Side::Ours))]);

        let swapped = analyse_texts("config.js", base, Some(theirs), Some(ours), theirs);
        assert_eq!(
            swapped[0].removed_by.as_ref().map(|r| r.side),
            Some(Side::Theirs)
        );

        let kept_deleted = analyse_texts("config.js", base, Some(ours), Some(theirs), ours);
        assert!(kept_deleted.is_empty());

        let marked = b"const A = 1;\n<<<<<<< HEAD\nconst B = 3;\n";
        let markers = analyse_texts("config.js", base, Some(ours), Some(theirs), marked);
        assert!(markers.iter().any(|f| f.rule == "CG004" && f.line == 2));
        assert!(analyse_texts("notes.txt", base, None, None, marked).is_empty());
    }
}
