//! Reporters: one file per output format, all fed the same [`Report`].

pub mod human;
pub mod json;

use std::io::{self, Write};

use crate::config::{Config, FailOn, Format};
use crate::finding::{Finding, MergeReport, Severity};
use crate::ExitStatus;

/// Everything one run found.
#[derive(Debug)]
pub struct Report {
    pub merges: Vec<MergeReport>,
    /// Blobs parsed in the run (each at most once).
    pub parses: usize,
}

/// An output format.
pub trait Reporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.merges.iter().flat_map(|merge| merge.findings.iter())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings().filter(|f| f.severity == severity).count()
    }

    pub fn has_conflicts(&self) -> bool {
        self.merges.iter().any(|merge| !merge.conflicts.is_empty())
    }

    /// The exit status: findings at or above `fail_on`, or conflicts in a dry run, fail.
    pub fn status(&self, fail_on: FailOn) -> ExitStatus {
        let failing = self.findings().any(|f| fail_on.fails(f.severity));
        if failing || (self.has_conflicts() && fail_on != FailOn::Never) {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

/// Writes `report` in the configured format.
pub fn write(report: &Report, config: &Config, out: &mut dyn Write) -> io::Result<()> {
    match config.format {
        Format::Human => human::Human::new(config.color).write(report, out),
        Format::Json => json::Json.write(report, out),
    }
}
