//! `--format human` (the default): each finding as a miette diagnostic with the result's source
//! line, a label on the name and a help line naming the removing commit; colour only on a terminal
//! without `NO_COLOR`. Text from the repository (names, paths, summaries) is printed with control
//! characters escaped, so a hostile file cannot drive the terminal.

use std::fmt;
use std::io::{self, IsTerminal, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Report, Reporter};
use crate::config::Color;
use crate::finding::{Finding, MergeReport, Severity, Side};

/// How many at-risk names a conflicted path lists before saying how many more there are.
const AT_RISK_NAMES: usize = 6;

pub struct Human {
    color: bool,
}

impl Human {
    pub fn new(color: Color) -> Human {
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        };
        Human { color }
    }
}

/// Escapes control characters (ANSI escapes among them) for a terminal.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of a file as miette's source, carrying its real line number.
#[derive(Debug)]
struct LineSource {
    name: String,
    text: String,
    line: usize,
    column: usize,
}

impl SourceCode for LineSource {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line,
            self.column,
            1,
        )))
    }
}

struct FindingDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    help: String,
    label: String,
    span: SourceSpan,
    source: LineSource,
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

fn diagnostic(finding: &Finding) -> FindingDiagnostic {
    let snippet = &finding.snippet;
    let text = clean(&snippet.text);
    // Offsets move when escaping lengthens the text before the name.
    let offset = clean(snippet.text.get(..snippet.offset).unwrap_or_default()).len();
    let len = clean(
        snippet
            .text
            .get(snippet.offset..snippet.offset + snippet.len)
            .unwrap_or_default(),
    )
    .len();
    let mut help = Vec::new();
    if let Some(removed_by) = &finding.removed_by {
        // A branch name where known; else the side as git names it in a merge.
        let branch = match (&removed_by.branch, removed_by.side) {
            (Some(branch), _) => branch.clone(),
            (None, Side::Ours) => "the branch merged into (HEAD)".to_string(),
            (None, Side::Theirs) => "the branch merged in".to_string(),
        };
        match &removed_by.commit {
            Some(commit) => help.push(format!(
                "{branch} removed it in {} \"{}\" ({}, {})",
                commit.short, commit.summary, commit.author, commit.date
            )),
            None => help.push(format!("{branch} removed it")),
        }
    }
    if let Some(extra) = &finding.help {
        help.push(extra.clone());
    }
    let label = match finding.rule {
        "CG004" => "conflict marker".to_string(),
        "CG003" => format!("`{}` no longer exists", finding.identifier),
        _ => format!("`{}` is back", finding.identifier),
    };
    FindingDiagnostic {
        message: clean(&format!("{} {}", finding.name, finding.message)),
        code: finding.rule.to_string(),
        severity: finding.severity,
        help: help
            .iter()
            .map(|line| clean(line))
            .collect::<Vec<_>>()
            .join("\n"),
        label: clean(&label),
        span: (offset, len.max(1)).into(),
        source: LineSource {
            name: clean(&finding.path),
            text,
            line: finding.line.saturating_sub(1) as usize,
            column: finding.column.saturating_sub(1) as usize,
        },
    }
}

fn describe_merge(merge: &MergeReport) -> String {
    let theirs = merge
        .theirs_branch
        .clone()
        .unwrap_or_else(|| merge.theirs.chars().take(7).collect());
    let ours = merge
        .ours_branch
        .clone()
        .unwrap_or_else(|| merge.ours.chars().take(7).collect());
    let what = match merge.result.as_str() {
        "simulated" => "dry-run merge".to_string(),
        "index" => "merge in progress".to_string(),
        sha => format!("merge {}", sha.chars().take(7).collect::<String>()),
    };
    clean(&format!("{what} of {theirs} into {ours}"))
}

impl Reporter for Human {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let show_headers = report.merges.len() > 1;
        for merge in &report.merges {
            if show_headers && (!merge.findings.is_empty() || !merge.conflicts.is_empty()) {
                writeln!(out, "── {} ──", describe_merge(merge))?;
            }
            for path in &merge.conflicts {
                writeln!(out, "conflict: {}", clean(path))?;
                // One line per removing side, naming the first few names: a file deleted on one
                // side can put hundreds of definitions at risk.
                let mut by_branch: Vec<(String, Vec<String>)> = Vec::new();
                for risk in merge.at_risk.iter().filter(|r| &r.path == path) {
                    let branch = risk
                        .removed_by
                        .branch
                        .as_deref()
                        .unwrap_or(risk.removed_by.side.as_str())
                        .to_string();
                    let name = format!("`{}`", clean(&risk.identifier));
                    match by_branch.iter_mut().find(|(b, _)| *b == branch) {
                        Some((_, names)) => names.push(name),
                        None => by_branch.push((branch, vec![name])),
                    }
                }
                for (branch, names) in by_branch {
                    let shown = names.len().min(AT_RISK_NAMES);
                    let mut list = names[..shown].join(", ");
                    if names.len() > shown {
                        list.push_str(&format!(" and {} more", names.len() - shown));
                    }
                    writeln!(
                        out,
                        "  at risk: when you resolve {}, do not bring back {list} (removed on {})",
                        clean(path),
                        clean(&branch)
                    )?;
                }
            }
            for finding in &merge.findings {
                let mut rendered = String::new();
                handler
                    .render_report(&mut rendered, &diagnostic(finding))
                    .map_err(io::Error::other)?;
                writeln!(out, "{rendered}")?;
            }
            for note in &merge.notes {
                match &note.path {
                    Some(path) => writeln!(out, "note: {}: {}", clean(path), clean(&note.message))?,
                    None => writeln!(out, "note: {}", clean(&note.message))?,
                }
            }
        }
        let errors = report.count(Severity::Error);
        let warnings = report.count(Severity::Warning);
        let conflicts: usize = report.merges.iter().map(|m| m.conflicts.len()).sum();
        let merges = report.merges.len();
        let what = match report.merges.as_slice() {
            [only] => describe_merge(only),
            _ => format!("{merges} merges"),
        };
        let mut summary = format!(
            "conflictguard: {what}: {errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
        if conflicts > 0 {
            summary.push_str(&format!(
                ", {conflicts} conflicted path{}",
                if conflicts == 1 { "" } else { "s" }
            ));
        }
        let coverage = report.coverage();
        let not_analysed = coverage.not_analysed_count();
        let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
        match (coverage.analysed, not_analysed) {
            (0, 0) => summary.push_str("; no changed file holds code conflictguard reads"),
            (0, _) => summary.push_str(&format!(
                "; nothing analysed: {} conflictguard cannot read ({})",
                files(not_analysed),
                coverage.not_analysed_text()
            )),
            (analysed, 0) => summary.push_str(&format!("; {} analysed", files(analysed))),
            (analysed, _) => summary.push_str(&format!(
                "; {} analysed, {not_analysed} not: {}",
                files(analysed),
                coverage.not_analysed_text()
            )),
        }
        if report.unanalysed_warning() {
            writeln!(
                out,
                "warning: changed code in a language conflictguard has no grammar for was not checked (unanalysed = \"warn\")"
            )?;
        }
        writeln!(out, "{summary}")
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("line\nbreak"), "line\\nbreak");
        assert_eq!(clean("tab\tkept é"), "tab\tkept é");
    }
}
