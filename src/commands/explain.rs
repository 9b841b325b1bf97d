//! `conflictguard explain <CODE>`: a rule's explanation.

use super::{write_stdout, ExitStatus};
use crate::error::{Error, Result};
use crate::rules;

pub fn run(code: &str) -> Result<ExitStatus> {
    let rule = rules::find(code).ok_or_else(|| Error::UnknownRule {
        code: code.to_string(),
        known: rules::all()
            .map(|rule| rule.code)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let text = format!(
        "{} {} ({})\n{}\n\n{}",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.summary,
        rule.explanation
    );
    write_stdout(text.as_bytes())?;
    Ok(ExitStatus::Clean)
}
