//! What a run is set to do: the output choices, and the settings that the command line, the
//! repository's `.conflictguard.toml` and the defaults decide together ([`Settings`], loaded by
//! one function whichever place the file comes from).

pub mod file;
pub mod settings;

pub use file::{AllowEntry, FileConfig, OnError, RuleSetting, FILE_NAME};
pub use settings::{Settings, SettingsSource, MAX_FILE_SIZE};

use crate::finding::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
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

/// The settings the command line gives; each one it leaves out comes from `.conflictguard.toml`,
/// else from the default.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub fail_on: Option<FailOn>,
    pub mainline: Option<String>,
    /// Bytes.
    pub max_file_size: Option<u64>,
    /// Milliseconds.
    pub parse_time_limit: Option<u64>,
}
