//! The finding: one identifier a merge brings back (or one leftover conflict marker), with where it
//! is, which side removed it, and where the line came from. Every reporter is fed this type. This
//! module is a leaf: it knows nothing of git, parsing or rules, only what a finding holds.

mod location;

use serde::Serialize;

pub use location::{line_starts, Place};

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A parent of the merge.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Ours,
    Theirs,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }
}

/// One value per parent of a merge: the side → index / tip / tree choice written once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BySide<T> {
    pub ours: T,
    pub theirs: T,
}

impl<T> BySide<T> {
    pub fn new(ours: T, theirs: T) -> BySide<T> {
        BySide { ours, theirs }
    }

    /// Both values from one function of the side.
    pub fn from_fn(mut make: impl FnMut(Side) -> T) -> BySide<T> {
        BySide {
            ours: make(Side::Ours),
            theirs: make(Side::Theirs),
        }
    }

    pub fn get(&self, side: Side) -> &T {
        match side {
            Side::Ours => &self.ours,
            Side::Theirs => &self.theirs,
        }
    }

    pub fn get_mut(&mut self, side: Side) -> &mut T {
        match side {
            Side::Ours => &mut self.ours,
            Side::Theirs => &mut self.theirs,
        }
    }

    pub fn as_ref(&self) -> BySide<&T> {
        BySide {
            ours: &self.ours,
            theirs: &self.theirs,
        }
    }

    pub fn map<U>(self, mut f: impl FnMut(Side, T) -> U) -> BySide<U> {
        BySide {
            ours: f(Side::Ours, self.ours),
            theirs: f(Side::Theirs, self.theirs),
        }
    }
}

impl Side {
    /// Both sides, ours first.
    pub const BOTH: [Side; 2] = [Side::Ours, Side::Theirs];
}

/// A commit as findings cite it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CommitInfo {
    pub commit: String,
    #[serde(skip)]
    pub short: String,
    pub summary: String,
    pub author: String,
    pub date: String,
}

/// A rule as a finding names it: code, kebab-case name and the severity it reports at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleId {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
}

/// Where the result's line came from.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    OursUnchanged,
    TheirsUnchanged,
    OursModified,
    TheirsModified,
    Resolution,
}

impl Origin {
    pub fn from_side(side: Side, modified: bool) -> Origin {
        match (side, modified) {
            (Side::Ours, false) => Origin::OursUnchanged,
            (Side::Theirs, false) => Origin::TheirsUnchanged,
            (Side::Ours, true) => Origin::OursModified,
            (Side::Theirs, true) => Origin::TheirsModified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::OursUnchanged => "ours-unchanged",
            Origin::TheirsUnchanged => "theirs-unchanged",
            Origin::OursModified => "ours-modified",
            Origin::TheirsModified => "theirs-modified",
            Origin::Resolution => "resolution",
        }
    }
}

/// Which side removed the name, on which branch, in which commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovedBy {
    pub side: Side,
    pub branch: Option<String>,
    pub commit: Option<CommitInfo>,
}

/// In JSON the commit's fields sit beside the side and branch, and are `null` when the commit is
/// not known (a dry run's at-risk names): every documented field is always present.
impl Serialize for RemovedBy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let commit = self.commit.as_ref();
        let mut fields = serializer.serialize_struct("RemovedBy", 6)?;
        fields.serialize_field("side", &self.side)?;
        fields.serialize_field("branch", &self.branch)?;
        fields.serialize_field("commit", &commit.map(|c| &c.commit))?;
        fields.serialize_field("summary", &commit.map(|c| &c.summary))?;
        fields.serialize_field("author", &commit.map(|c| &c.author))?;
        fields.serialize_field("date", &commit.map(|c| &c.date))?;
        fields.end()
    }
}

/// A run of the result's lines, 1-based and inclusive.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Region {
    pub start_line: u32,
    pub end_line: u32,
}

/// A name folded into a finding, with its line in the result.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Inside {
    pub identifier: String,
    pub line: u32,
}

/// The result's source line around a finding, for the human report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The line holding the finding (lossy UTF-8, line ending removed).
    pub text: String,
    /// Byte offset and length of the identifier within `text`.
    pub offset: usize,
    pub len: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub identifier: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub merge: String,
    pub removed_by: Option<RemovedBy>,
    pub origin: Option<Origin>,
    pub message: String,
    pub scope: Option<String>,
    /// For a setting, an environment variable or a dependency: where it is in its file, as a
    /// key path (`billing.legacy_url`, `services.web.environment.LEGACY_URL`,
    /// `dependencies.lodash`); `null` for code.
    pub key_path: Option<String>,
    /// The lines the finding stands for, where it is more than its own line: a resurrected
    /// function or a run of stale lines.
    pub region: Option<Region>,
    /// The names folded into this finding, each with its line.
    pub inside: Vec<Inside>,
    #[serde(skip)]
    pub snippet: Snippet,
    /// Where the removing side's history is searched for the removing commit.
    #[serde(skip)]
    pub removed_from: Option<String>,
    /// A help line for the human report, beyond the removing commit.
    #[serde(skip)]
    pub help: Option<String>,
}

impl Finding {
    /// The order of a report: by file, position, rule and name.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.path,
            self.line,
            self.column,
            self.rule,
            &self.identifier,
        )
    }
}

/// Something the reader should know that is not a finding: a skipped file, a file that did not
/// fully parse, a merge that was not analysed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    pub path: Option<String>,
    pub message: String,
}

/// A file either side changed that no rule read, and why: a guard must never call a merge clean
/// without saying what it could not look at.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotAnalysed {
    pub path: String,
    pub reason: NotAnalysedReason,
    /// The file's language, for `no-grammar`.
    pub language: Option<String>,
}

/// Why a changed file was not analysed.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum NotAnalysedReason {
    /// Source code in a language conflictguard has no grammar for.
    NoGrammar,
    /// Generated or vendored: skipped on purpose (precision rule 2).
    Generated,
    Binary,
    /// Over `max-file-size`.
    TooLarge,
    /// Its parse took longer than `parse-time-limit`.
    ParseTimeLimit,
    /// A Git LFS pointer: the content is not in the repository.
    LfsPointer,
    /// A submodule: another repository.
    Submodule,
}

impl NotAnalysedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            NotAnalysedReason::NoGrammar => "no-grammar",
            NotAnalysedReason::Generated => "generated",
            NotAnalysedReason::Binary => "binary",
            NotAnalysedReason::TooLarge => "too-large",
            NotAnalysedReason::ParseTimeLimit => "parse-time-limit",
            NotAnalysedReason::LfsPointer => "lfs-pointer",
            NotAnalysedReason::Submodule => "submodule",
        }
    }
}

impl NotAnalysed {
    /// How the file is counted in a summary: its language for a missing grammar, else the reason.
    pub fn label(&self) -> &str {
        match (&self.reason, &self.language) {
            (NotAnalysedReason::NoGrammar, Some(language)) => language,
            (reason, _) => reason.as_str(),
        }
    }
}

/// For a conflicted path of a dry run: the names the other side removed there.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AtRisk {
    pub path: String,
    pub identifier: String,
    pub removed_by: RemovedBy,
}

/// Everything found in one merge.
#[derive(Clone, Debug, Serialize)]
pub struct MergeReport {
    pub result: String,
    pub ours: String,
    pub theirs: String,
    pub bases: Vec<String>,
    pub conflicts: Vec<String>,
    pub at_risk: Vec<AtRisk>,
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
    /// Files of a supported language that were read as a result.
    #[serde(skip)]
    pub files: usize,
    /// Code files either side changed that were analysed.
    #[serde(skip)]
    pub analysed_files: usize,
    /// Code files either side changed that were not analysed, and why.
    pub not_analysed: Vec<NotAnalysed>,
    #[serde(skip)]
    pub ours_branch: Option<String>,
    #[serde(skip)]
    pub theirs_branch: Option<String>,
}
