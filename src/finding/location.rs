//! From a byte span of a file to what a finding shows: line and column (characters, from 1) and
//! the source line around the identifier.

use super::{Finding, RuleId, Snippet};

/// A span of the result's version of a file: where a finding points.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub path: &'a str,
    /// The file's bytes.
    pub text: &'a [u8],
    /// Byte span of the identifier in `text`.
    pub start: usize,
    pub end: usize,
}

impl Finding {
    /// A finding of `rule` for `identifier` at `place`, in merge `merge`. Provenance (`removed_by`,
    /// `origin`), scope and help are filled in by whoever knows them.
    pub fn new(
        rule: RuleId,
        identifier: &str,
        place: Place<'_>,
        merge: &str,
        message: String,
    ) -> Finding {
        let Place {
            path,
            text,
            start,
            end,
        } = place;
        let start = start.min(text.len());
        let end = end.clamp(start, text.len());
        let line_start = text[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = text[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| start + i);
        let line = text[..start].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let chars = |bytes: &[u8]| String::from_utf8_lossy(bytes).chars().count() as u32;
        let mut column_from = line_start;
        if line == 1 && text.starts_with(b"\xEF\xBB\xBF") {
            column_from = 3.min(start);
        }
        let column = chars(&text[column_from..start]) + 1;
        let end_column = column + chars(&text[start..end]);
        let line_bytes = &text[line_start..line_end];
        let line_bytes = line_bytes.strip_suffix(b"\r").unwrap_or(line_bytes);
        let before = String::from_utf8_lossy(&text[line_start..start]).len();
        let snippet_text = String::from_utf8_lossy(line_bytes).into_owned();
        Finding {
            rule: rule.code,
            name: rule.name,
            severity: rule.severity,
            identifier: identifier.to_string(),
            path: path.to_string(),
            line,
            column,
            end_line: line,
            end_column,
            merge: merge.to_string(),
            removed_by: None,
            origin: None,
            message,
            scope: None,
            key_path: None,
            region: None,
            inside: Vec::new(),
            snippet: Snippet {
                offset: before.min(snippet_text.len()),
                len: String::from_utf8_lossy(&text[start..end]).len(),
                text: snippet_text,
            },
            removed_from: None,
            help: None,
        }
    }
}

/// The byte offset of each line's start.
pub fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}
