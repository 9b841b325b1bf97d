//! What the repository asks not to report, applied after the rules ran: an inline comment
//! `conflictguard: allow <name>` on the finding's line or the line above, and `.conflictguard.toml`
//! (a rule turned off or re-graded, a language turned off, ignored paths, the allow-list). Nothing
//! is dropped silently: each suppression leaves a note, and an expired allow-list entry stops
//! allowing and says so.

use std::collections::HashMap;

use git2::{Repository, Tree};

use crate::config::{RuleSetting, Settings};
use crate::finding::{Finding, Note, Severity};
use crate::lang;
use crate::merge::align::split_lines;
use crate::merge::generated::attribute_pattern_matches;
use crate::rules;

const INLINE: &str = "conflictguard: allow";

/// Whether `line` holds a comment (started by one of `comment_markers`) `conflictguard: allow …`
/// naming `name`.
pub fn allows(line: &[u8], name: &str, comment_markers: &[&str]) -> bool {
    let line = String::from_utf8_lossy(line);
    let Some(at) = line.find(INLINE) else {
        return false;
    };
    let before = &line[..at];
    if !comment_markers.iter().any(|marker| before.contains(marker)) {
        return false;
    }
    line[at + INLINE.len()..]
        .split(|c: char| c.is_whitespace() || c == ',')
        .take_while(|word| !word.starts_with("*/"))
        .any(|word| word == name)
}

pub fn apply(
    repo: &Repository,
    result_tree: &Tree<'_>,
    settings: &Settings,
    findings: &mut Vec<Finding>,
    notes: &mut Vec<Note>,
) {
    let file = &settings.file;
    let mut texts: HashMap<String, Option<Vec<u8>>> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    for mut finding in findings.drain(..) {
        let place = format!(
            "`{}` at {}:{}",
            finding.identifier, finding.path, finding.line
        );
        if lang::profile_for_path(&finding.path).is_some_and(|l| !file.language_enabled(l.name)) {
            notes.push(note(
                &finding,
                format!("{place}: not reported, the language is off in .conflictguard.toml"),
            ));
            continue;
        }
        if let Some(pattern) = file
            .ignore
            .iter()
            .find(|pattern| attribute_pattern_matches(pattern, &finding.path))
        {
            notes.push(note(
                &finding,
                format!("{place}: not reported, .conflictguard.toml ignores {pattern}"),
            ));
            continue;
        }
        match file.rule(finding.rule) {
            Some(RuleSetting::Off) => {
                notes.push(note(
                    &finding,
                    format!(
                        "{place}: not reported, {} is off in .conflictguard.toml",
                        finding.rule
                    ),
                ));
                continue;
            }
            Some(RuleSetting::Warning) => finding.severity = Severity::Warning,
            Some(RuleSetting::Error) => finding.severity = Severity::Error,
            None => {}
        }
        if !rules::find(finding.rule).is_some_and(|rule| rule.allowable) {
            kept.push(finding);
            continue;
        }
        let mut allowed = false;
        for entry in file.allow.iter().filter(|entry| {
            entry.name == finding.identifier
                && entry
                    .path
                    .as_deref()
                    .is_none_or(|pattern| attribute_pattern_matches(pattern, &finding.path))
        }) {
            match entry.expiry() {
                Some(expiry) if expiry.as_str() <= settings.today.as_str() => {
                    notes.push(note(
                        &finding,
                        format!(
                            "{place}: the allow-list entry for `{}` expired on {expiry} ({}); reported again",
                            entry.name, entry.reason
                        ),
                    ));
                }
                _ => {
                    notes.push(note(
                        &finding,
                        format!("{place}: allowed by .conflictguard.toml ({})", entry.reason),
                    ));
                    allowed = true;
                    break;
                }
            }
        }
        if allowed {
            continue;
        }
        let text = texts.entry(finding.path.clone()).or_insert_with(|| {
            crate::git::blob_at(result_tree, &finding.path)
                .and_then(|oid| crate::git::read_blob(repo, oid).ok())
        });
        if let Some(text) = text {
            let markers = comment_markers(&finding.path);
            let lines = split_lines(text);
            let at = finding.line as usize;
            let inline = [at.checked_sub(1), at.checked_sub(2)]
                .into_iter()
                .flatten()
                .filter_map(|index| lines.get(index))
                .any(|line| allows(line, &finding.identifier, &markers));
            if inline {
                notes.push(note(
                    &finding,
                    format!("{place}: allowed by an inline `{INLINE}` comment"),
                ));
                continue;
            }
        }
        kept.push(finding);
    }
    *findings = kept;
}

/// What starts a comment in `path`: its language's markers, or every language's for a file of none.
fn comment_markers(path: &str) -> Vec<&'static str> {
    match lang::profile_for_path(path) {
        Some(profile) => profile.comment_markers.to_vec(),
        None => lang::PROFILES
            .iter()
            .flat_map(|profile| profile.comment_markers.iter().copied())
            .collect(),
    }
}

fn note(finding: &Finding, message: String) -> Note {
    Note {
        path: Some(finding.path.clone()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::allows;

    #[test]
    fn inline_comments_allow_exactly_the_names_they_list() {
        let js = &["//", "/*"];
        let py = &["#"];
        assert!(allows(b"const X = 1; // conflictguard: allow X", "X", js));
        assert!(allows(
            b"# conflictguard: allow A, LEGACY_URL",
            "LEGACY_URL",
            py
        ));
        assert!(allows(b"/* conflictguard: allow X */", "X", js));
        assert!(!allows(b"// conflictguard: allow XY", "X", js));
        assert!(!allows(b"// conflictguard: allow X", "Y", js));
        assert!(!allows(b"const s = 'conflictguard: allow X';", "X", js));
        assert!(!allows(b"s = '# conflictguard: allow X'", "X", js));
    }
}
