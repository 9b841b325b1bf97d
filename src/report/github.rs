//! `--format github`: GitHub Actions workflow commands, one annotation per finding on the line of
//! the pull request's diff, escaped as the runner requires, within GitHub's limit of annotations
//! per step (and a line saying how many were left out); plus a Markdown summary appended to
//! `$GITHUB_STEP_SUMMARY` when it is set.

use std::io::{self, Write};

use super::{Report, Reporter};
use crate::finding::{Finding, Severity};

pub struct Github;

/// GitHub shows at most this many annotations of each level for one step.
const ANNOTATIONS_PER_LEVEL: usize = 10;

/// Escapes the message of a workflow command; other control characters (an ANSI escape in a
/// file name or commit summary) are written out as text, so the log shows them and obeys none.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command (`file=…`, `title=…`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(finding: &Finding) -> String {
    let level = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = finding.message.clone();
    if let Some(commit) = finding.removed_by.as_ref().and_then(|r| r.commit.as_ref()) {
        message.push_str(&format!(
            "\nRemoved in {} \"{}\" ({}, {}).",
            commit.short, commit.summary, commit.author, commit.date
        ));
    }
    format!(
        "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}",
        escape_property(&finding.path),
        finding.line,
        finding.end_line,
        finding.column,
        finding.end_column,
        escape_property(&format!(
            "{} {}: {}",
            finding.rule, finding.name, finding.identifier
        )),
        escape_data(&message)
    )
}

/// The Markdown summary of the run.
fn summary(report: &Report) -> String {
    let mut text = String::from("## conflictguard\n\n");
    let findings: Vec<&Finding> = report.findings().collect();
    let coverage = report.coverage();
    if coverage.not_analysed_count() > 0 {
        text.push_str(&format!(
            "| analysed | not analysed |\n|---|---|\n| {} | {} |\n\n",
            coverage.analysed,
            coverage.not_analysed_text().replace('|', "\\|")
        ));
    }
    if findings.is_empty() {
        text.push_str("No identifier that one side removed comes back.\n");
        return text;
    }
    text.push_str("| rule | identifier | where | removed in |\n|---|---|---|---|\n");
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    for finding in findings {
        let removed = finding
            .removed_by
            .as_ref()
            .and_then(|r| r.commit.as_ref())
            .map(|c| format!("{} {}", c.short, cell(&c.summary)))
            .unwrap_or_default();
        text.push_str(&format!(
            "| {} | `{}` | {}:{} | {} |\n",
            finding.rule,
            cell(&finding.identifier).replace('`', "'"),
            cell(&finding.path),
            finding.line,
            removed
        ));
    }
    text
}

impl Reporter for Github {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut shown = [0usize; 2];
        let mut left_out = 0;
        for finding in report.findings() {
            let slot = match finding.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
            };
            if shown[slot] < ANNOTATIONS_PER_LEVEL {
                shown[slot] += 1;
                writeln!(out, "{}", annotation(finding))?;
            } else {
                left_out += 1;
            }
        }
        if left_out > 0 {
            writeln!(
                out,
                "::notice title=conflictguard::{left_out} more findings are not shown as annotations (GitHub shows {ANNOTATIONS_PER_LEVEL} per level and step); see the job summary or run with --format sarif"
            )?;
        }
        if let Some(sentence) = report.coverage().sentence() {
            let level = if report.unanalysed_warning() {
                "warning"
            } else {
                "notice"
            };
            writeln!(
                out,
                "::{level} title=conflictguard::{}",
                escape_data(&sentence)
            )?;
        }
        for merge in &report.merges {
            for note in &merge.notes {
                let place = note.path.as_deref().map(escape_data).unwrap_or_default();
                writeln!(
                    out,
                    "conflictguard note: {place} {}",
                    escape_data(&note.message)
                )?;
            }
        }
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            file.write_all(summary(report).as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\nd"), "a%3Ab%2Cc%25%0Ad");
        assert_eq!(escape_data("x\u{1b}[31my"), "x\\u{1b}[31my");
    }
}
