//! Parser driving: one parse of a file's bytes with its language's grammar (a byte-order mark set
//! aside), within a time limit, incrementally from an earlier version's tree where one is given.

use tree_sitter::Parser;

use super::occurrences::{occurrences, ParsedFile};
use crate::lang::Language;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How long one file may take to parse, by default, before it is skipped with a note.
pub const PARSE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

thread_local! {
    static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(Parser::new());
}

/// Parses `text` and runs the language's occurrence query, within the default time limit.
pub fn parse(language: &Language, text: &[u8]) -> ParsedFile {
    parse_within(language, text, PARSE_TIME_LIMIT)
}

/// Parses `text` and runs the language's occurrence query; a parse that takes longer than `limit`
/// is abandoned and the file marked `failed`.
pub fn parse_within(language: &Language, text: &[u8], limit: std::time::Duration) -> ParsedFile {
    parse_from(language, text, None, limit).0
}

/// An earlier version of a file, to parse a later one from: its syntax tree where it is kept (the
/// later version is parsed incrementally), and its occurrences where they are at hand (in a
/// language whose statements parse alone, the later version is parsed only where it changed,
/// `splice`, with or without the tree).
pub struct Earlier<'a> {
    pub text: &'a [u8],
    pub tree: Option<&'a tree_sitter::Tree>,
    pub parsed: Option<&'a ParsedFile>,
}

/// As [`parse_within`], also returning the syntax tree; with `earlier` (another version of the same
/// file and its tree), the parse is incremental: the line hunks between the two texts are applied
/// to a copy of the earlier tree, and tree-sitter reparses only what they touch. The occurrences
/// are the same as a fresh parse's (a test compares them).
pub fn parse_from(
    language: &Language,
    text: &[u8],
    earlier: Option<Earlier<'_>>,
    limit: std::time::Duration,
) -> (ParsedFile, Option<tree_sitter::Tree>) {
    parse_reading(language, text, earlier, limit, &[])
}

/// As [`parse_from`], with the team's setting reader functions (`[settings] readers`): a call
/// of one with a string first argument is a read of the setting the string names.
pub fn parse_reading(
    language: &Language,
    text: &[u8],
    earlier: Option<Earlier<'_>>,
    limit: std::time::Duration,
    readers: &[String],
) -> (ParsedFile, Option<tree_sitter::Tree>) {
    let offset = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let source = &text[offset..];
    if let crate::lang::Engine::Lines { read } = &language.engine {
        return (ParsedFile::from_found(read(source), offset, false), None);
    }
    // A templated settings file (Helm, Jinja, `${VAR}`) is parsed with its template expressions
    // masked, byte for byte, so that the grammar reads the data around them; such a file is
    // always parsed afresh (an earlier tree may be of other masked bytes).
    let templated = |text: &[u8]| match &language.engine {
        crate::lang::Engine::Tree { .. } => crate::lang::settings::mask_templates(text),
        _ => None,
    };
    let masked = templated(source);
    let source = masked.as_deref().unwrap_or(source);
    let statements = language
        .statements()
        .filter(|_| offset == 0 && masked.is_none());
    // The line diff from the earlier version, made once for a splice and an incremental parse.
    let mut diff: Option<LineDiff<'_>> = None;
    if let (Some(statements), Some(earlier)) = (statements, &earlier) {
        if let Some(parsed) = earlier.parsed.filter(|_| !earlier.text.starts_with(BOM)) {
            let base = super::splice::Base {
                parsed,
                incremental: earlier.tree.is_some(),
            };
            let diff = LineDiff::of(&mut diff, earlier.text, source);
            if let Some(spliced) =
                super::splice::spliced(language, statements, &base, diff, limit, readers)
            {
                if !check_splices() {
                    return (spliced, None);
                }
                let whole = parse_reading(language, text, None, limit, readers).0;
                if format!("{:?}", spliced.occurrences) == format!("{:?}", whole.occurrences) {
                    return (spliced, None);
                }
                eprintln!(
                    "conflictguard: a spliced parse differs from the whole parse ({} and {} occurrences)",
                    spliced.occurrences.len(),
                    whole.occurrences.len()
                );
                return (whole, None);
            }
        }
    }
    let old_tree = earlier.and_then(|earlier| {
        let old_offset = if earlier.text.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let old = &earlier.text[old_offset..];
        let tree = earlier.tree?;
        (old_offset == offset && masked.is_none() && templated(old).is_none())
            .then(|| edited(tree, LineDiff::of(&mut diff, old, source)))
    });
    let tree = run_parser(language, source, old_tree.as_ref(), limit);
    // Error recovery may take another path when old nodes are reused: a tree with errors is
    // parsed afresh, so that what is found never depends on the version parsed before.
    let tree = match tree {
        Some(tree) if old_tree.is_some() && tree.root_node().has_error() => {
            run_parser(language, source, None, limit)
        }
        tree => tree,
    };
    let Some(tree) = tree else {
        return (
            ParsedFile {
                failed: true,
                ..ParsedFile::default()
            },
            None,
        );
    };
    let mut parsed = occurrences(language, &tree, source, offset, readers);
    if let Some(statements) = statements {
        parsed.layout = super::splice::layout(statements, &tree, source);
    }
    (parsed, Some(tree))
}

/// Whether every spliced parse is compared with a whole parse of the same text, and a difference
/// reported on standard error (`CONFLICTGUARD_CHECK_SPLICES=1`): how a run over real history
/// checks `splice` against the parser itself.
fn check_splices() -> bool {
    static CHECK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECK.get_or_init(|| std::env::var_os("CONFLICTGUARD_CHECK_SPLICES").is_some_and(|v| v == "1"))
}

/// One parse of `source`, incremental from `old_tree` where given, abandoned after `limit`.
pub(super) fn run_parser(
    language: &Language,
    source: &[u8],
    old_tree: Option<&tree_sitter::Tree>,
    limit: std::time::Duration,
) -> Option<tree_sitter::Tree> {
    PARSER.with(|cell| {
        let mut parser = cell.borrow_mut();
        parser.set_language(language.grammar()?).ok()?;
        let started = std::time::Instant::now();
        let mut give_up = |_: &tree_sitter::ParseState| started.elapsed() > limit;
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut give_up);
        let tree = parser.parse_with_options(
            &mut |byte, _| source.get(byte..).unwrap_or_default(),
            old_tree,
            Some(options),
        );
        parser.reset();
        tree
    })
}

/// The lines of two versions of a file (with their endings, compared byte for byte: a hunk covers
/// every changed byte), where each starts, and the runs of the line diff between them.
pub(super) struct LineDiff<'t> {
    pub old: &'t [u8],
    pub new: &'t [u8],
    pub old_lines: Vec<&'t [u8]>,
    pub new_lines: Vec<&'t [u8]>,
    /// The byte where each line starts, and the text's length last.
    pub old_starts: Vec<usize>,
    pub new_starts: Vec<usize>,
    pub runs: Vec<crate::diff::Run>,
}

impl<'t> LineDiff<'t> {
    fn new(old: &'t [u8], new: &'t [u8]) -> LineDiff<'t> {
        let old_lines: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
        let new_lines: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
        let starts = |lines: &[&[u8]]| -> Vec<usize> {
            std::iter::once(0)
                .chain(lines.iter().scan(0, |at, line| {
                    *at += line.len();
                    Some(*at)
                }))
                .collect()
        };
        let runs =
            crate::diff::line_runs(&old_lines, &new_lines, std::time::Duration::from_millis(50));
        LineDiff {
            old,
            new,
            old_starts: starts(&old_lines),
            new_starts: starts(&new_lines),
            old_lines,
            new_lines,
            runs,
        }
    }

    /// The diff of `old` and `new`: the one in `made` where it is of these texts, else made there.
    fn of<'d>(
        made: &'d mut Option<LineDiff<'t>>,
        old: &'t [u8],
        new: &'t [u8],
    ) -> &'d LineDiff<'t> {
        if made
            .as_ref()
            .is_some_and(|diff| !std::ptr::eq(diff.old, old) || !std::ptr::eq(diff.new, new))
        {
            *made = None;
        }
        made.get_or_insert_with(|| LineDiff::new(old, new))
    }
}

/// A copy of `tree` (the syntax tree of `diff.old`) with the line hunks that turn it into
/// `diff.new` applied as edits, last hunk first so that each edit's start is still in the old
/// text's coordinates.
fn edited(tree: &tree_sitter::Tree, diff: &LineDiff<'_>) -> tree_sitter::Tree {
    let mut tree = tree.clone();
    let (old, new) = (diff.old, diff.new);
    let byte_of = |starts: &[usize], len: usize, line: usize| {
        starts.get(line).copied().unwrap_or(len).min(len)
    };
    for run in diff.runs.iter().rev().filter(|run| !run.equal) {
        let (old_range, new_range) = (&run.old, &run.new);
        let start_byte = byte_of(&diff.old_starts, old.len(), old_range.start);
        let old_end_byte = byte_of(&diff.old_starts, old.len(), old_range.end);
        let new_start = byte_of(&diff.new_starts, new.len(), new_range.start);
        let new_end = byte_of(&diff.new_starts, new.len(), new_range.end);
        let start_position = point_of_line(&diff.old_lines, old_range.start);
        let inserted = &new[new_start..new_end];
        let rows = inserted.iter().filter(|&&b| b == b'\n').count();
        let column = match inserted.iter().rposition(|&b| b == b'\n') {
            Some(last) => inserted.len() - last - 1,
            None => start_position.column + inserted.len(),
        };
        tree.edit(&tree_sitter::InputEdit {
            start_byte,
            old_end_byte,
            new_end_byte: start_byte + inserted.len(),
            start_position,
            old_end_position: point_of_line(&diff.old_lines, old_range.end),
            new_end_position: tree_sitter::Point::new(start_position.row + rows, column),
        });
    }
    tree
}

/// The row and byte column where line `line` of `lines` (split with their endings) starts; past
/// the last line, the end of the text. Known from the line index, without scanning the text.
fn point_of_line(lines: &[&[u8]], line: usize) -> tree_sitter::Point {
    match lines.last() {
        Some(last) if line >= lines.len() && !last.ends_with(b"\n") => {
            tree_sitter::Point::new(lines.len() - 1, last.len())
        }
        _ => tree_sitter::Point::new(line.min(lines.len()), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of every occurrence, for comparing two parses.
    fn summary(parsed: &ParsedFile) -> Vec<String> {
        let mut lines: Vec<String> = parsed
            .occurrences
            .iter()
            .map(|o| format!("{o:?}"))
            .collect();
        lines.push(format!(
            "error: {} failed: {}",
            parsed.has_syntax_error, parsed.failed
        ));
        lines
    }

    /// `version` parsed incrementally from `base`'s tree, and parsed afresh.
    fn both_parses(language: &Language, base: &str, version: &str) -> (ParsedFile, ParsedFile) {
        let (base_parsed, tree) = parse_from(language, base.as_bytes(), None, PARSE_TIME_LIMIT);
        // A line format has no tree: every parse is fresh.
        let Some(tree) = tree else {
            let fresh = || parse(language, version.as_bytes());
            return (fresh(), fresh());
        };
        let earlier = Earlier {
            text: base.as_bytes(),
            tree: Some(&tree),
            parsed: Some(&base_parsed),
        };
        let (incremental, _) = parse_from(
            language,
            version.as_bytes(),
            Some(earlier),
            PARSE_TIME_LIMIT,
        );
        (incremental, parse(language, version.as_bytes()))
    }

    /// The fuzzer's case (CI, 2026-11-30): a line diff whose insert the diff library placed before
    /// the line it follows; an edit at the wrong place let the parser reuse the old function whole
    /// and name it after bytes that no longer formed it.
    #[test]
    fn an_incremental_parse_follows_an_insert_after_a_crossing_line() {
        let base = "export function formatPrice(cents) {\n  return `$${(cents / 100).toFixed(2)}`;\n}$\nexport function helper(items) {\n  return items.filter(Boolean);\n}\n";
        let version = "export function formatPrice(cents) {\n  return `$${(cents / 100).toFixed(2)}`;\n}\n\nexport function h`lper(itemsScheduleturn items.filter(Boolean);\n}\n";
        let language = crate::lang::for_path("f.js").expect("JavaScript");
        let (incremental, fresh) = both_parses(language, base, version);
        assert!(fresh.has_syntax_error);
        assert_eq!(summary(&incremental), summary(&fresh));
    }

    /// Over small files of each language and every registered profile's query examples (so a new
    /// language is covered without being listed here).
    #[test]
    fn an_incremental_parse_finds_what_a_fresh_parse_finds() {
        let js = "import { a } from './a';\nconst LEGACY = 1;\nfunction f(x) {\n  return a(x) + LEGACY;\n}\nclass K { m() { return f(2); } }\nmodule.exports = { f, K };\n";
        let py = "import os\nLEGACY = 1\n\ndef f(x):\n    return os.path.join(x, str(LEGACY))\n\nclass K:\n    def m(self):\n        return f(2)\n";
        let examples = crate::lang::PROFILES
            .iter()
            .flat_map(|profile| profile.examples)
            .map(|example| (example.path, example.source));
        for (path, base) in [("a.js", js), ("a.py", py)].into_iter().chain(examples) {
            let language = crate::lang::for_path(path).expect("language");
            let lines: Vec<&str> = base.lines().collect();
            let mut versions: Vec<String> = Vec::new();
            for i in 0..lines.len() {
                let mut without = lines.clone();
                without.remove(i);
                versions.push(without.join("\n") + "\n");
                let mut with = lines.clone();
                with.insert(i, "const NEW_NAME = other(1);");
                versions.push(with.join("\n") + "\n");
                let mut changed = lines.clone();
                let renamed = changed[i].replace("LEGACY", "RENAMED");
                changed[i] = &renamed;
                versions.push(changed.join("\n"));
            }
            versions.push(base.replace('\n', "\r\n"));
            versions.push(format!("\u{feff}{base}"));
            versions.push(String::new());
            versions.push(base.trim_end().to_string());
            versions.push(format!("{base}{base}"));
            for version in &versions {
                let (incremental, fresh) = both_parses(language, base, version);
                assert_eq!(
                    summary(&incremental),
                    summary(&fresh),
                    "{path} from\n{base}\nto\n{version}"
                );
            }
        }
    }
}
