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
    /// `unanalysed = "warn"`: code the guard could not read is a warning, not a note.
    pub unanalysed_warns: bool,
}

/// How the changed code files of a run were covered: analysed, or not and why.
pub struct CoverageSummary {
    pub analysed: usize,
    /// Not analysed, by label (a language for a missing grammar, else the reason), in order.
    pub not_analysed: Vec<(String, usize)>,
    /// Not analysed, by reason.
    pub by_reason: std::collections::BTreeMap<&'static str, usize>,
    /// Not analysed for want of a grammar, by language.
    pub by_language: std::collections::BTreeMap<String, usize>,
}

impl CoverageSummary {
    pub fn not_analysed_count(&self) -> usize {
        self.by_reason.values().sum()
    }

    /// `Go 2, binary 1`: the not-analysed files by label, most first.
    pub fn not_analysed_text(&self) -> String {
        self.not_analysed
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// One sentence on what was not analysed, or `None` when everything was.
    pub fn sentence(&self) -> Option<String> {
        let count = self.not_analysed_count();
        (count > 0).then(|| {
            format!(
                "{count} changed file{} not analysed: {}",
                if count == 1 { " was" } else { "s were" },
                self.not_analysed_text()
            )
        })
    }
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

    /// The coverage of every merge of the run, added up.
    pub fn coverage(&self) -> CoverageSummary {
        let mut labels: std::collections::BTreeMap<String, usize> = Default::default();
        let mut by_reason = std::collections::BTreeMap::new();
        let mut by_language = std::collections::BTreeMap::new();
        for item in self.merges.iter().flat_map(|m| &m.not_analysed) {
            *labels.entry(item.label().to_string()).or_default() += 1;
            *by_reason.entry(item.reason.as_str()).or_default() += 1;
            if let Some(language) = &item.language {
                *by_language.entry(language.clone()).or_default() += 1;
            }
        }
        let mut not_analysed: Vec<(String, usize)> = labels.into_iter().collect();
        not_analysed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        CoverageSummary {
            analysed: self.merges.iter().map(|m| m.analysed_files).sum(),
            not_analysed,
            by_reason,
            by_language,
        }
    }

    /// Whether code in a language without a grammar was left unread while `unanalysed = "warn"`.
    pub fn unanalysed_warning(&self) -> bool {
        self.unanalysed_warns
            && self
                .merges
                .iter()
                .flat_map(|m| &m.not_analysed)
                .any(|item| item.reason == crate::finding::NotAnalysedReason::NoGrammar)
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
