//! Line alignment between versions of a file: which lines of a newer version stand unchanged from
//! an older one, and which were added in which hunk. Used for the origin of a result's line, for
//! "lines the other side added" (CG003) and for "new code" (precision rule 3).

use std::ops::Range;
use std::time::Duration;

use crate::diff::line_runs;

/// How long one alignment may search for a minimal diff before settling for a coarser one.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// The lines of a text, without their line ending (`\n` or `\r\n`).
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    if text.is_empty() {
        return Vec::new();
    }
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    body.split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .collect()
}

/// How a newer version relates to an older one, line by line.
pub struct Alignment {
    /// For each new line, the old line it stands unchanged from.
    pub old_line: Vec<Option<u32>>,
    /// For each new line that is not unchanged, the index of its hunk in `hunks`.
    pub hunk_of: Vec<Option<u32>>,
    /// Each hunk's range of old (removed) lines.
    pub hunks: Vec<Range<usize>>,
}

impl Alignment {
    pub fn new(old: &[&[u8]], new: &[&[u8]]) -> Alignment {
        let mut old_line = vec![None; new.len()];
        let mut hunk_of = vec![None; new.len()];
        let mut hunks: Vec<Range<usize>> = Vec::new();
        for run in line_runs(old, new, DIFF_DEADLINE) {
            if run.equal {
                for (new_index, old_index) in run.new.zip(run.old) {
                    old_line[new_index] = u32::try_from(old_index).ok();
                }
            } else {
                let hunk = u32::try_from(hunks.len()).ok();
                for line in run.new {
                    hunk_of[line] = hunk;
                }
                hunks.push(run.old);
            }
        }
        Alignment {
            old_line,
            hunk_of,
            hunks,
        }
    }

    /// True when new line `line` was added or changed relative to the old version.
    pub fn is_added(&self, line: usize) -> bool {
        self.hunk_of.get(line).is_some_and(Option::is_some)
    }

    /// The old lines that the hunk holding new line `line` replaced.
    pub fn replaced_lines(&self, line: usize) -> Option<Range<usize>> {
        let hunk = (*self.hunk_of.get(line)?)?;
        self.hunks.get(hunk as usize).cloned()
    }

    /// The old line that new line `line` stands unchanged from.
    pub fn unchanged_from(&self, line: usize) -> Option<usize> {
        self.old_line
            .get(line)
            .copied()
            .flatten()
            .map(|l| l as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_with_either_ending() {
        assert_eq!(split_lines(b"a\r\nb\nc"), vec![&b"a"[..], b"b", b"c"]);
        assert_eq!(split_lines(b"a\n"), vec![&b"a"[..]]);
        assert!(split_lines(b"").is_empty());
    }

    #[test]
    fn aligns_unchanged_lines_and_groups_hunks() {
        let old = split_lines(b"a\nb\nc\nd\n");
        let new = split_lines(b"a\nB\nc\nd\ne\n");
        let alignment = Alignment::new(&old, &new);
        assert_eq!(alignment.unchanged_from(0), Some(0));
        assert!(alignment.is_added(1));
        assert_eq!(alignment.replaced_lines(1), Some(1..2));
        assert_eq!(alignment.unchanged_from(3), Some(3));
        assert!(alignment.is_added(4));
        assert_eq!(alignment.replaced_lines(4), Some(4..4));
    }
}
