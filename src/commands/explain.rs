//! `conflictguard explain [<CODE>]`: a rule's explanation, or the list of rules.

use super::{write_stdout, ExitStatus};
use crate::error::{Error, Result};
use crate::rules;

pub fn run(code: Option<&str>) -> Result<ExitStatus> {
    let Some(code) = code else {
        let mut text = String::new();
        for rule in rules::all() {
            text.push_str(&format!(
                "{}  {:<28} {:<8} {}\n",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.summary
            ));
        }
        text.push_str("\n`conflictguard explain <CODE>` explains one.\n");
        write_stdout(text.as_bytes())?;
        return Ok(ExitStatus::Clean);
    };
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
