//! Reporters: one file per output format, all fed the same [`Report`].

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::{self, Write};

use crate::config::{Color, Format};
use crate::finding::{Finding, MergeReport, Severity};

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
}

/// A fingerprint that stays the same while the finding does: its rule, file and identifier, and
/// the commit that removed the name (FNV-1a, 64 bits, in hex). Line numbers are left out, so an
/// edit above the finding does not make it a new alert.
pub fn fingerprint(finding: &Finding) -> String {
    let commit = finding
        .removed_by
        .as_ref()
        .and_then(|removed| removed.commit.as_ref())
        .map_or("", |commit| commit.commit.as_str());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [finding.rule, &finding.path, &finding.identifier, commit] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Writes `report` in `format`; `color` applies to the human format.
pub fn write(report: &Report, format: Format, color: Color, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::Human::new(color).write(report, out),
        Format::Json => json::Json.write(report, out),
        Format::Sarif => sarif::Sarif.write(report, out),
        Format::Github => github::Github.write(report, out),
        Format::Gitlab => gitlab::Gitlab.write(report, out),
    }
}
