//! One file across a merge: base, both parents (absent where deleted) and result, with the line
//! alignments that say where a result line came from and whether a side wrote it as new code.

use super::align::{split_lines, Alignment};
use crate::finding::{BySide, Origin, Side};
use crate::syntax::{contains_word, ParsedFile};

/// One version of a file: its path, bytes and occurrences.
#[derive(Clone, Copy)]
pub struct FileVersion<'a> {
    pub path: &'a str,
    pub text: &'a [u8],
    pub parsed: Option<&'a ParsedFile>,
}

/// How one parent's version relates to the base and to the result.
struct SideAlignment {
    from_base: Alignment,
    to_result: Alignment,
}

/// One file across the merge: base, both parents (absent where deleted) and result.
pub struct FileMerge<'a> {
    pub base: FileVersion<'a>,
    pub sides: BySide<Option<FileVersion<'a>>>,
    pub result: FileVersion<'a>,
    base_lines: Vec<&'a [u8]>,
    alignments: BySide<Option<SideAlignment>>,
}

impl<'a> FileMerge<'a> {
    pub fn new(
        base: FileVersion<'a>,
        sides: BySide<Option<FileVersion<'a>>>,
        result: FileVersion<'a>,
    ) -> FileMerge<'a> {
        let base_lines = split_lines(base.text);
        let result_lines = split_lines(result.text);
        let alignments = sides.as_ref().map(|_, side| {
            side.map(|version| {
                let lines = split_lines(version.text);
                SideAlignment {
                    from_base: Alignment::new(&base_lines, &lines),
                    to_result: Alignment::new(&lines, &result_lines),
                }
            })
        });
        FileMerge {
            base,
            sides,
            result,
            base_lines,
            alignments,
        }
    }

    pub fn side(&self, side: Side) -> Option<&FileVersion<'a>> {
        self.sides.get(side).as_ref()
    }

    /// Precision rule 3: the result's line `line` comes from a line `side` added as new code — in a
    /// hunk of its diff from the base that removed no line naming `name`.
    pub fn is_new_code(&self, side: Side, line: usize, name: &str) -> bool {
        let Some(alignment) = self.alignments.get(side) else {
            return false;
        };
        let Some(side_line) = alignment.to_result.unchanged_from(line) else {
            return false;
        };
        let Some(replaced) = alignment.from_base.replaced_lines(side_line) else {
            return false;
        };
        // The hunk replaced lines holding the name as code: a rewrite of those lines, not new
        // code. A name the replaced lines held only in a comment or a string did not exist there
        // as an identifier, so the side wrote it afresh.
        match self.base.parsed {
            Some(base) => !base.occurrences_of(name).any(|o| {
                let line = o.line as usize;
                line >= replaced.start && line < replaced.end
            }),
            None => !self.base_lines[replaced.start.min(self.base_lines.len())
                ..replaced.end.min(self.base_lines.len())]
                .iter()
                .any(|base_line| contains_word(base_line, name)),
        }
    }

    /// Whether the result's line `line` stands unchanged in `side`'s version.
    pub fn is_unchanged_from(&self, side: Side, line: usize) -> bool {
        self.alignments
            .get(side)
            .as_ref()
            .is_some_and(|alignment| alignment.to_result.unchanged_from(line).is_some())
    }

    /// Where the result's line `line` came from, looking at `prefer` first.
    pub fn origin(&self, line: usize, prefer: Side) -> Origin {
        for side in [prefer, prefer.other()] {
            if let Some(alignment) = self.alignments.get(side) {
                if let Some(side_line) = alignment.to_result.unchanged_from(line) {
                    return Origin::from_side(side, alignment.from_base.is_added(side_line));
                }
            }
        }
        Origin::Resolution
    }
}
