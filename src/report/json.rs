//! `--format json`: the version-1 contract of DESIGN.md. Fields may be added; none is renamed or
//! removed without bumping `version`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Reporter};
use crate::finding::{Finding, MergeReport, Severity};

pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    merges: &'a [MergeReport],
    findings: Vec<&'a Finding>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    merges: usize,
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    conflicts: usize,
    parsed_blobs: usize,
    /// Changed code files that were analysed.
    analysed_files: usize,
    /// Changed code files that were not, by reason.
    unanalysed: std::collections::BTreeMap<&'static str, usize>,
    /// Those not analysed for want of a grammar, by language.
    unanalysed_languages: std::collections::BTreeMap<String, usize>,
}

impl Reporter for Json {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let findings: Vec<&Finding> = report.findings().collect();
        let coverage = report.coverage();
        let document = Document {
            version: 1,
            merges: &report.merges,
            summary: Summary {
                merges: report.merges.len(),
                files: report.merges.iter().map(|m| m.files).sum(),
                findings: findings.len(),
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
                conflicts: report.merges.iter().map(|m| m.conflicts.len()).sum(),
                parsed_blobs: report.parses,
                analysed_files: coverage.analysed,
                unanalysed: coverage.by_reason,
                unanalysed_languages: coverage.by_language,
            },
            findings,
        };
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)
    }
}
