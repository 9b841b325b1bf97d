//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it — the rules with their
//! descriptions and help, a stable `ruleId`, physical locations relative to the repository root,
//! and `partialFingerprints` that stay the same while the finding does.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{fingerprint, Report, Reporter};
use crate::finding::Severity;
use crate::rules;

pub struct Sarif;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A repository path as a relative URI reference: every byte outside the unreserved set and `/`
/// percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl Reporter for Sarif {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = rules::all()
            .map(|rule| {
                json!({
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": { "text": rule.summary },
                    "fullDescription": { "text": rule.summary },
                    "help": { "text": rule.explanation, "markdown": rule.explanation },
                    "defaultConfiguration": { "level": level(rule.severity) },
                    "properties": { "tags": ["merge", "correctness"] }
                })
            })
            .collect();
        let results: Vec<Value> = report
            .findings()
            .map(|finding| {
                let rule_index = rules::all()
                    .position(|r| r.code == finding.rule)
                    .unwrap_or(0);
                let mut message = finding.message.clone();
                if let Some(commit) = finding.removed_by.as_ref().and_then(|r| r.commit.as_ref()) {
                    message.push_str(&format!(
                        " (removed in {} \"{}\" by {}, {})",
                        commit.short, commit.summary, commit.author, commit.date
                    ));
                }
                json!({
                    "ruleId": finding.rule,
                    "ruleIndex": rule_index,
                    "level": level(finding.severity),
                    "message": { "text": message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&finding.path), "uriBaseId": "%SRCROOT%" },
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                                "endColumn": finding.end_column
                            }
                        }
                    }],
                    "partialFingerprints": { "conflictguard/v1": fingerprint(finding) },
                    "properties": {
                        "identifier": finding.identifier,
                        "merge": finding.merge,
                        "origin": finding.origin.map(|o| o.as_str())
                    }
                })
            })
            .collect();
        // What was not analysed is said once for the run, as a tool notification.
        let coverage = report.coverage();
        let notifications: Vec<Value> = coverage
            .sentence()
            .map(|sentence| {
                json!({
                    "level": if report.unanalysed_warning() { "warning" } else { "note" },
                    "message": { "text": sentence },
                    "descriptor": { "id": "not-analysed" }
                })
            })
            .into_iter()
            .collect();
        let document = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "conflictguard",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "rules": rules
                    }
                },
                "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root." } } },
                "invocations": [{
                    "executionSuccessful": true,
                    "toolExecutionNotifications": notifications
                }],
                "results": results
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)
    }
}
