//! The configuration of one run, validated from the command line. (`.conflictguard.toml` will feed
//! the same struct.)

use std::path::PathBuf;

use crate::finding::Severity;

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Dry-run merge of `branch` into `into`; with no branch, the merge in progress (the index).
    Check {
        branch: Option<String>,
        into: String,
    },
    /// Existing merge commits: one revision, or every merge in a range `A..B`.
    Audit { target: String },
    /// Print a rule's explanation.
    Explain { code: String },
    /// Build the incident in a temporary repository and check it.
    Demo,
    /// What the installed git hooks call.
    Hook(crate::hooks::Hook),
    /// Wire the hooks into the repository; `force` replaces a foreign hook instead of chaining it.
    Install { force: bool },
    /// Remove the hooks and restore what `install` moved aside.
    Uninstall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// The lowest severity that makes the run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

/// Whether the human report may use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub command: Command,
    /// `-C <path>`: the repository to read (else the current directory, or git's environment).
    pub repository: Option<PathBuf>,
    pub format: Format,
    pub fail_on: FailOn,
    pub mainline: Option<String>,
    pub color: Color,
    pub max_file_size: u64,
}
