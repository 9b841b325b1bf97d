//! `--format gitlab`: GitLab Code Quality JSON, an array of issues with a fingerprint, a severity
//! and the file and line.

use std::io::{self, Write};

use serde_json::json;

use super::{fingerprint, Report, Reporter};
use crate::finding::Severity;

pub struct Gitlab;

impl Reporter for Gitlab {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let issues: Vec<_> = report
            .findings()
            .map(|finding| {
                json!({
                    "description": format!("{}: {}", finding.rule, finding.message),
                    "check_name": finding.name,
                    "fingerprint": fingerprint(finding),
                    "severity": match finding.severity {
                        Severity::Error => "major",
                        Severity::Warning => "minor",
                    },
                    "location": {
                        "path": finding.path,
                        "lines": { "begin": finding.line, "end": finding.end_line }
                    }
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        writeln!(out)
    }
}
