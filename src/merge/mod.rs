//! The merge as the rules see it: the scenario's trees, what each side changed, the files worth
//! reading with their blobs loaded, the branch names, and a parse of any blob on request. The
//! analysis pipeline builds one [`MergeContext`] per merge; every rule reads it and nothing else.

pub mod align;
pub mod file;
pub mod generated;
pub mod texts;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use git2::Oid;

use crate::finding::{BySide, Finding, Note, Side};
use crate::git::changes::Change;
use crate::git::pull_request::PullRequest;
use crate::git::scenario::MergeScenario;
use crate::lang::Language;
use crate::syntax::{ParseCache, ParsedFile};
pub use file::{FileMerge, FileVersion};
pub use generated::GeneratedFiles;
pub use texts::{LoadedBlobs, Unreadable};

/// The branch of each side, where known, for messages.
#[derive(Clone, Debug, Default)]
pub struct BranchNames(pub BySide<Option<String>>);

impl BranchNames {
    /// What a side is called in messages: its branch where known, else `ours` / `theirs`.
    pub fn side(&self, side: Side) -> &str {
        self.branch(side).unwrap_or(side.as_str())
    }

    pub fn branch(&self, side: Side) -> Option<&str> {
        self.0.get(side).as_deref()
    }
}

/// A side's changes from the base, with the version of every base path on that side.
pub struct SideChanges {
    pub changes: Vec<Change>,
    by_base_path: HashMap<String, usize>,
}

impl SideChanges {
    pub fn new(changes: Vec<Change>) -> SideChanges {
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

/// A file one side changed whose result differs from that side's version: where that side's
/// removals can come back (CG001, CG002, and CG003 within the file).
pub struct ChangedFile {
    pub remover: Side,
    pub language: &'static Language,
    pub base: (String, Oid),
    /// With several merge bases (criss-cross): the file in the others. A name counts as removed
    /// only when every base has it.
    pub other_bases: Vec<Option<Oid>>,
    pub sides: BySide<Option<(String, Oid)>>,
    pub result: (String, Oid),
}

impl ChangedFile {
    /// Whether the parse of the result can wait for a rule to ask (see `analysis::parse`): its
    /// language names things as written, and the removing side has a version to compare (a file
    /// the side deleted and the result keeps is read whole).
    pub fn result_can_wait(&self) -> bool {
        self.language.names_are_verbatim() && self.sides.get(self.remover).is_some()
    }
}

/// A file one side added to or changed, and its version in the result: where that side's new
/// lines can use what the other side removed (CG003 across files).
pub struct Addition {
    pub adder: Side,
    pub language: &'static Language,
    pub base: Option<Oid>,
    pub side: Oid,
    pub result: (String, Oid),
}

/// A file whose result differs from both parents, in any language: where the merge itself wrote
/// lines (CG004).
pub struct ResolvedFile {
    pub path: String,
    pub result: Oid,
    pub sides: BySide<Option<Oid>>,
}

/// The files worth reading in one merge, by what can be found in them.
#[derive(Default)]
pub struct SelectedFiles {
    pub changed: Vec<ChangedFile>,
    pub additions: Vec<Addition>,
    pub resolved: Vec<ResolvedFile>,
}

/// What rules report: findings, and notes for the reader.
#[derive(Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
}

impl Checked {
    /// The findings of the rule with code `code`, with all the notes: one rule's share of a
    /// detection that several rules run together.
    pub fn of_rule(&self, code: &str) -> Checked {
        Checked {
            findings: self
                .findings
                .iter()
                .filter(|finding| finding.rule == code)
                .cloned()
                .collect(),
            notes: self.notes.clone(),
        }
    }

    pub fn extend(&mut self, other: Checked) {
        self.findings.extend(other.findings);
        self.notes.extend(other.notes);
    }
}

/// Everything a rule may read about one merge.
/// It holds no repository handle (libgit2's are per thread), so that rules can share it across
/// the threads of their per-file work; the handle is passed beside it.
pub struct MergeContext<'a> {
    pub scenario: &'a MergeScenario,
    /// The result as findings name it: a commit id, `index` or `simulated`.
    pub merge: String,
    pub names: BranchNames,
    pub changes: BySide<SideChanges>,
    /// A side that deleted half of the base's files: its removals are not reported one by one.
    pub mass_deletion: BySide<bool>,
    pub files: SelectedFiles,
    pub blobs: LoadedBlobs,
    pub generated: GeneratedFiles,
    /// Files larger than this many bytes are not read.
    pub max_file_size: u64,
    /// Set for the final merge of `conflictguard ci`: the pull request it stands for.
    pub pull_request: Option<&'a PullRequest>,
    parses: &'a ParseCache,
    /// The per-file detection CG001, CG002 and CG003 share, run once for all three.
    in_file: OnceLock<Checked>,
    /// The search across files CG003 and CG008 share, run once for both.
    across_files: OnceLock<Checked>,
}

impl<'a> MergeContext<'a> {
    pub fn new(parts: MergeParts<'a>) -> MergeContext<'a> {
        MergeContext {
            scenario: parts.scenario,
            merge: parts.scenario.result.to_string(),
            names: parts.names,
            changes: parts.changes,
            mass_deletion: parts.mass_deletion,
            files: parts.files,
            blobs: parts.blobs,
            generated: parts.generated,
            max_file_size: parts.max_file_size,
            pull_request: parts.pull_request,
            parses: parts.parses,
            in_file: OnceLock::new(),
            across_files: OnceLock::new(),
        }
    }

    /// The occurrences of blob `oid` (whose bytes are `text`), parsed once per run.
    pub fn parse(&self, oid: Oid, language: &'static Language, text: &[u8]) -> Arc<ParsedFile> {
        self.parses.get(oid, language, text)
    }

    /// Whether blob `oid` was parsed in `language` already (this merge or one before it).
    pub fn is_parsed(&self, oid: Oid, language: &'static Language) -> bool {
        self.parses.parsed(oid, language).is_some()
    }

    /// Parses files' versions ahead, on all threads, each from its base's syntax tree: see
    /// [`ParseCache::warm_files`].
    pub fn warm(&self, files: &[(Oid, &'static Language, Vec<Oid>)]) {
        self.parses.warm_files(files, &self.blobs);
    }

    /// The tip commit of a side.
    pub fn tip(&self, side: Side) -> Oid {
        match side {
            Side::Ours => self.scenario.ours,
            Side::Theirs => self.scenario.theirs,
        }
    }

    /// The tree of a side.
    pub fn tree(&self, side: Side) -> Oid {
        match side {
            Side::Ours => self.scenario.ours_tree,
            Side::Theirs => self.scenario.theirs_tree,
        }
    }

    /// What the shared per-file detection found, computed by `detect` on first request.
    pub fn in_file(&self, detect: impl FnOnce(&Self) -> Checked) -> &Checked {
        self.in_file.get_or_init(|| detect(self))
    }

    /// What the search across files found, computed by `find` on first request; an error is
    /// returned, not kept.
    pub fn across_files(
        &self,
        find: impl FnOnce(&Self) -> crate::error::Result<Checked>,
    ) -> crate::error::Result<&Checked> {
        if let Some(found) = self.across_files.get() {
            return Ok(found);
        }
        let found = find(self)?;
        Ok(self.across_files.get_or_init(|| found))
    }
}

/// The parts a [`MergeContext`] is built from.
pub struct MergeParts<'a> {
    pub scenario: &'a MergeScenario,
    pub names: BranchNames,
    pub changes: BySide<SideChanges>,
    pub mass_deletion: BySide<bool>,
    pub files: SelectedFiles,
    pub blobs: LoadedBlobs,
    pub generated: GeneratedFiles,
    pub max_file_size: u64,
    pub pull_request: Option<&'a PullRequest>,
    pub parses: &'a ParseCache,
}

/// The note for a file that was not read.
pub fn unreadable_note(path: &str, why: Option<&Unreadable>, max: u64) -> Note {
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

/// The note for a file whose parse gave up or did not fully succeed, if any.
pub fn parse_problem_note(path: &str, parsed: &ParsedFile) -> Option<Note> {
    let message = if parsed.failed {
        "skipped: parsing took longer than the parse time limit (parse-time-limit)"
    } else if parsed.has_syntax_error {
        "syntax error: the file does not fully parse; analysed as far as it parses"
    } else {
        return None;
    };
    Some(Note {
        path: Some(path.to_string()),
        message: message.into(),
    })
}
