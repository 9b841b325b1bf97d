//! A changed version of a file parsed only where it changed. In a language whose statements parse
//! alone as they parse in the whole file ([`Statements`]: Python's top-level statements and the
//! statements of a top-level class's body after the class's header; JavaScript's and TypeScript's
//! top-level statements where automatic semicolon insertion cannot join them, and the statements of
//! the braced body a top-level statement is made of, between the text before the body and its
//! closing `}`), a version whose line hunks fall in a few statements of its base is parsed in
//! those statements only: each run of touched statements is parsed on its own (a body's with the
//! header before it, and a braced body's closing `}` and what follows it after), and the
//! occurrences of the untouched statements are the base's, moved to where the version has them.
//! The hunks are mostly small and the statements many: in the merges of click and httpx that
//! changed a Python file on both sides, a fifth of the versions' bytes are in touched statements.
//!
//! What makes a part stand alone is checked on the part's own parse, and anything else falls back
//! to a whole parse ([`spliced`] gives `None`): the base and every part must parse without an
//! error; a top-level part must start at column 0; a class's part must parse as the one class,
//! its body's first statement indented as the base's body is. Then the tokens around each seam
//! are read the same either way: a statement that parses alone ends outside brackets and strings
//! (else its parse has an error), and the next one starts a statement of its own level (an
//! untouched one did at the base; a touched one parsed alone); an untouched statement ending in a
//! compound statement is followed by a statement, not by `else:` (which alone is an error).
//!
//! In JavaScript a statement also ends where the grammar inserts a semicolon, and whether it does
//! depends on the next line: `foo()` then `(bar)` is one call. So each seam is checked on both of
//! its sides: the statement before it ends in `;` or is a declaration nothing continues (the
//! layout records this for each statement, so that a later splice knows it of an untouched one),
//! or the statement after it starts with a character before which the grammar's scanner inserts a
//! semicolon (a letter, a quote; [`asi_before`]).
//!
//! One reading depends on a distance: a definition of a scope's own name near the scope's start
//! is the scope's name ([`NAMED_NEAR_START`] bytes). A body's part is parsed with a blank line
//! after the header as long as the body's statements before it were (up to that reach), and a
//! statement moved from the base whose distance from the body's start changed within that reach
//! falls back to a whole parse where it defines a name its header holds. The parse tests compare
//! every spliced parse with a whole parse, and the property suite does so over thousands of
//! generated edits in each language.

use std::time::Duration;

use super::occurrences::{occurrences, Occurrence, ParsedFile, NAMED_NEAR_START};
use super::parse::LineDiff;
use crate::diff::Run;
use crate::lang::{Braces, ClassBodies, Ends, Language, Statements};

/// Where a file's statements start, kept with its occurrences: the first line of each top-level
/// statement (from it to the next one's), for each the class whose body's statements split
/// further, where it is one, and whether the statement before it ends whatever follows (always,
/// in Python; in JavaScript, see [`Ends::Asi`]).
#[derive(Debug)]
pub(crate) struct Layout {
    top: Vec<usize>,
    classes: Vec<Option<Box<Class>>>,
    firm: Vec<bool>,
}

/// A top-level class (or, in JavaScript, the braced body a top-level statement is made of) whose
/// body's statements are parts of their own.
#[derive(Debug)]
struct Class {
    /// The statement's first line (a Python class's `class` keyword): the header runs from it to
    /// the body.
    header: usize,
    /// The first line of each statement of the body (the first one is where the body starts).
    cuts: Vec<usize>,
    /// The indentation of the body's statements, as written (Python).
    indent: Vec<u8>,
    /// For each cut: whether the statement before it in the body ends whatever follows.
    firm: Vec<bool>,
    /// The line of a braced body's closing `}` (JavaScript): the tail, from it to the statement's
    /// end, follows every part of the body.
    tail: Option<usize>,
}

impl Layout {
    /// The layout as a parse holds it for as long as it is cached: without the spare room its
    /// lists were built with.
    fn held(mut self) -> Layout {
        self.top.shrink_to_fit();
        self.classes.shrink_to_fit();
        self.firm.shrink_to_fit();
        self
    }
}

impl Class {
    /// The class `rows` lines further down.
    fn moved(&self, rows: isize) -> Class {
        let down = |line: usize| line.saturating_add_signed(rows);
        Class {
            header: down(self.header),
            cuts: self.cuts.iter().map(|&cut| down(cut)).collect(),
            indent: self.indent.clone(),
            firm: self.firm.clone(),
            tail: self.tail.map(down),
        }
    }
}

/// A touched part's parse: its occurrences, and where its statements start, in the version's
/// lines (top-level statements with their classes, or a class body's statements).
struct Part {
    occurrences: Vec<Occurrence>,
    cuts: Vec<usize>,
    classes: Vec<Option<Box<Class>>>,
    /// For each cut after the first: whether the statement before it ends whatever follows.
    firm: Vec<bool>,
    /// The part's last statement ends whatever follows; `None` where it has no statement.
    ends_firmly: Option<bool>,
}

/// The layout of `text` from its syntax tree, where the tree has no error. A top-level statement
/// starts a part of its own where it starts a line at column 0 and the statement before it ends
/// there whatever follows, or is ended by what the statement starts with ([`asi_before`]); in
/// Python every one at column 0 does that a backslash does not join to the line before.
pub(super) fn layout(
    statements: &Statements,
    tree: &tree_sitter::Tree,
    text: &[u8],
) -> Option<Layout> {
    layout_after(statements, tree, text, true)
}

/// [`layout`] of a text that follows a statement (which ends whatever follows where
/// `first_firm`): a part of a file, parsed alone.
fn layout_after(
    statements: &Statements,
    tree: &tree_sitter::Tree,
    text: &[u8],
    first_firm: bool,
) -> Option<Layout> {
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut top: Vec<usize> = vec![0];
    let mut classes: Vec<Option<Box<Class>>> = vec![None];
    let mut firm: Vec<bool> = vec![first_firm];
    let line_ends = matches!(statements.ends, Ends::Line);
    // The statement before the next one: whether it ends whatever follows, and its last line.
    let mut before: Option<(bool, usize)> = None;
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        // A comment at column 0 closes no block: an indented statement after it is still in
        // the block before (Python), and a JavaScript statement reads on across it.
        if child.kind() == statements.comment {
            continue;
        }
        let start = child.start_position();
        let ended = before.is_none_or(|(firmly, last_row)| {
            if line_ends {
                !continues_into(text, child)
            } else {
                ended_at_line_break((firmly, last_row), child, text)
            }
        });
        let previous_firm = before.map_or(first_firm, |(firmly, _)| firmly);
        before = Some((
            ends_firmly(statements, child, text),
            child.end_position().row,
        ));
        if start.column != 0 || !ended {
            continue;
        }
        let class = class_of(statements, child, text).map(Box::new);
        if top.last() == Some(&start.row) {
            if let Some(last) = classes.last_mut() {
                *last = class;
            }
        } else {
            top.push(start.row);
            classes.push(class);
            firm.push(previous_firm);
        }
    }
    Some(Layout { top, classes, firm }.held())
}

/// Whether top-level statement `node` ends whatever follows it: in Python always (at its line's
/// end); in JavaScript where its last token is `;`, or where it is one of the declarations that
/// nothing continues (alone or exported).
fn ends_firmly(statements: &Statements, node: tree_sitter::Node<'_>, text: &[u8]) -> bool {
    match &statements.ends {
        Ends::Line => true,
        Ends::Asi {
            declarations,
            export: (export, field),
        } => {
            // No other token ends in `;`: strings, templates and regular expressions end in their
            // delimiters, and a missing `;` is an error, which no layout has.
            let end = node.end_byte();
            if end > node.start_byte() && text.get(end - 1) == Some(&b';') {
                return true;
            }
            let declared = if node.kind() == *export {
                node.child_by_field_name(field)
            } else {
                Some(node)
            };
            declared.is_some_and(|declared| declarations.contains(&declared.kind()))
        }
    }
}

/// Whether a statement ending on line `last_row` (firmly, or not) is ended before `node`: `node`
/// starts on a later line, and the statement ends whatever follows or `node` starts with what
/// ends it.
fn ended_at_line_break(
    (firmly, last_row): (bool, usize),
    node: tree_sitter::Node<'_>,
    text: &[u8],
) -> bool {
    last_row < node.start_position().row && (firmly || asi_before(&text[node.start_byte()..]))
}

/// Whether a statement of a braced body ends whatever follows it: as a top-level one does, or as
/// one of the body's members that end like a declaration (a method).
fn member_ends_firmly(
    statements: &Statements,
    braces: &Braces,
    node: tree_sitter::Node<'_>,
    text: &[u8],
) -> bool {
    braces.members.contains(&node.kind()) || ends_firmly(statements, node, text)
}

/// Whether a part's first and last statements (`ends`, where it has any; in `source`) meet the
/// statements around it: the first starts afresh after what came before (which ends whatever
/// follows where `before_firm`), the last is ended by what comes `next`; with whether the last
/// ends whatever follows (`firmly`). `None` where a seam does not hold.
fn seams(
    ends: Option<(tree_sitter::Node<'_>, tree_sitter::Node<'_>)>,
    source: &[u8],
    before_firm: bool,
    next: Option<&[u8]>,
    firmly: impl Fn(tree_sitter::Node<'_>) -> bool,
) -> Option<Option<bool>> {
    let ends_next = || next.is_none_or(asi_before);
    let Some((first, last)) = ends else {
        return (before_firm || ends_next()).then_some(None);
    };
    if !before_firm && !asi_before(&source[first.start_byte()..]) {
        return None;
    }
    let firm = firmly(last);
    (firm || ends_next()).then_some(Some(firm))
}

/// Whether the grammars' scanners insert a semicolon at a line break before `next` (the text
/// from the first token after it): before a letter, `_`, `$`, a quote, a decorator or the `}`
/// that closes a body, which no expression continues with. Not before `in` and `instanceof` (nor any word starting `in`,
/// to keep the test simple), nor before `(`, `[`, a template, `.`, an operator or `{`, which may
/// continue the line before (`{` a TypeScript function signature).
fn asi_before(next: &[u8]) -> bool {
    match next.first() {
        Some(b'i') => !next.starts_with(b"in"),
        Some(&byte) => {
            byte.is_ascii_alphabetic() || matches!(byte, b'_' | b'$' | b'\'' | b'"' | b'@' | b'}')
        }
        None => true,
    }
}

/// The version a later one is spliced from: its parse, and whether its syntax tree is at hand for
/// an incremental parse (then a version touched in most of its statements is left to that).
#[derive(Clone, Copy)]
pub(super) struct Base<'a> {
    pub parsed: &'a ParsedFile,
    pub incremental: bool,
}

/// The occurrences of `diff.new`, a later version of `diff.old` (whose parse is `base`), parsed
/// only in the statements the diff's hunks touch; `None` where the version must be parsed whole
/// (see the module's comment).
pub(super) fn spliced(
    language: &Language,
    statements: &Statements,
    base: &Base<'_>,
    diff: &LineDiff<'_>,
    limit: Duration,
    readers: &[String],
) -> Option<ParsedFile> {
    let Base {
        parsed: base,
        incremental,
    } = *base;
    if base.failed || base.has_syntax_error {
        return None;
    }
    let Layout { top, classes, firm } = base.layout.as_ref()?;
    let LineDiff {
        old: base_text,
        new: text,
        old_lines,
        new_lines,
        old_starts,
        runs,
        ..
    } = diff;
    if old_lines.is_empty() || runs.iter().all(|run| run.equal) {
        return None;
    }

    // Which statements the hunks touch: a hunk within one class's body touches the body's
    // statements it covers; any other, the top-level statements it covers. An insertion between
    // two statements touches both (the inserted lines may belong to either).
    let top_end = |unit: usize| top.get(unit + 1).copied().unwrap_or(old_lines.len());
    let mut top_touched = vec![false; top.len()];
    let mut body_touched: Vec<Vec<bool>> = classes
        .iter()
        .map(|class| {
            class
                .as_ref()
                .map_or(Vec::new(), |c| vec![false; c.cuts.len()])
        })
        .collect();
    for run in runs.iter().filter(|run| !run.equal) {
        let (from, to) = (run.old.start, run.old.end);
        let unit = unit_at(top, from.min(old_lines.len() - 1));
        let last = unit_at(top, to.saturating_sub(1).max(from).min(old_lines.len() - 1));
        if let Some(class) = &classes[unit] {
            let body = class.cuts[0];
            // A braced body ends before its `}` line: lines inserted there are the body's.
            let body_end = class.tail.unwrap_or(top_end(unit));
            let inside = if from == to {
                from > body && (from < body_end || (class.tail.is_some() && from == body_end))
            } else {
                from >= body && unit == last && to <= body_end
            };
            if inside {
                touch(&mut body_touched[unit], &class.cuts, from, to, body_end);
                continue;
            }
        }
        touch(&mut top_touched, top, from, to, old_lines.len());
    }
    // Where most of the file is touched and the base's tree is at hand, an incremental parse
    // costs no more than the parts would (bench/perf.py's versions change every function).
    if incremental {
        let span = |from: usize, to: usize| old_starts[to] - old_starts[from];
        let touched: usize = (0..top.len())
            .map(|unit| {
                let end = top_end(unit);
                match &classes[unit] {
                    _ if top_touched[unit] => span(top[unit], end),
                    Some(class) => (0..class.cuts.len())
                        .filter(|&piece| body_touched[unit][piece])
                        .map(|piece| {
                            let body_end = class.tail.unwrap_or(end);
                            span(
                                class.cuts[piece],
                                class.cuts.get(piece + 1).copied().unwrap_or(body_end),
                            )
                        })
                        .sum(),
                    None => 0,
                }
            })
            .sum();
        if touched * 2 > base_text.len() {
            return None;
        }
    }

    // The occurrences, and the version's own layout (so that a later version can be spliced
    // from this one): untouched statements where the base had them, moved; touched ones as their
    // parts' parses found them.
    let mut found: Vec<Occurrence> = Vec::new();
    let mut layout = Layout {
        top: Vec::new(),
        classes: Vec::new(),
        firm: Vec::new(),
    };
    let at = |line: usize| new_line(runs, line, new_lines.len());
    // Whether the statement before the next untouched one ends whatever follows, where a part
    // came between them (else the base's flag holds: the same statement is before it).
    let mut after_part: Option<bool> = None;
    let mut unit = 0;
    while unit < top.len() {
        if top_touched[unit] {
            let first = unit;
            while unit < top.len() && top_touched[unit] {
                unit += 1;
            }
            let (from, to) = (top[first], top_end(unit - 1));
            let before_firm = firm.get(first).copied().unwrap_or(false);
            // The untouched statement after the part starts the version's line base line `to`
            // became, at column 0.
            let next = if to < old_lines.len() {
                Some(text.get(diff.new_starts[at(to)?]..)?)
            } else {
                None
            };
            let place = Place::Top { before_firm, next };
            let part = part_of(diff, from, to)?;
            let part = parse_part(language, statements, text, part, place, limit, readers)?;
            found.extend(part.occurrences);
            layout.top.extend(part.cuts);
            layout.classes.extend(part.classes);
            layout.firm.extend(part.firm);
            after_part = Some(part.ends_firmly.unwrap_or(before_firm));
            continue;
        }
        let (from, to) = (top[unit], top_end(unit));
        let (start, rows) = (at(from)?, at(from)? as isize - from as isize);
        let firmly = after_part
            .take()
            .unwrap_or_else(|| firm.get(unit).copied().unwrap_or(false));
        match &classes[unit] {
            Some(class) if body_touched[unit].iter().any(|&touched| touched) => {
                let header = &base_text[old_starts[class.header]..old_starts[class.cuts[0]]];
                let tail = class
                    .tail
                    .map(|tail| &base_text[old_starts[tail]..old_starts[to]]);
                let body_end = class.tail.unwrap_or(to);
                let pieces = &body_touched[unit];
                let cut_end = |piece: usize| class.cuts.get(piece + 1).copied().unwrap_or(body_end);
                let flag = |cut: usize| class.firm.get(cut).copied().unwrap_or(false);
                // How far into the body a statement starts, in the base and in the version: a
                // definition of the enclosing scope's name near the scope's start is read as the
                // scope's own name, so a statement moved from the base keeps its reading only
                // where that distance is the same or past the reach of that rule either way, and a
                // part is parsed with that distance kept (a blank line of it, at most the reach).
                let body_start = old_starts[class.cuts[0]];
                let body_start_now = diff.new_starts[at(class.header)?] + header.len();
                let into_body = |line: usize| diff.new_starts[line].checked_sub(body_start_now);
                found.extend(moved(base, diff, from, class.cuts[0])?);
                let mut cuts = Vec::new();
                let mut cut_firm = Vec::new();
                let mut after_piece: Option<bool> = None;
                let mut piece = 0;
                while piece < pieces.len() {
                    let first = piece;
                    let touched = pieces[piece];
                    while piece < pieces.len() && pieces[piece] == touched {
                        piece += 1;
                    }
                    let (start, end) = (class.cuts[first], cut_end(piece - 1));
                    if touched {
                        // What follows the piece: the next statement of the body, untouched, or
                        // the body's closing `}`.
                        let next = match class.cuts.get(piece) {
                            Some(cut) => {
                                Some(text.get(diff.new_starts[at(*cut)?]..)?.trim_ascii_start())
                            }
                            None => tail.map(|_| &b"}"[..]),
                        };
                        // The last piece takes the lines inserted before the closing `}`.
                        let new_len = new_lines.len();
                        let part_end = match class.tail {
                            Some(tail) if end == tail => closing_line(runs, tail, new_len)?,
                            _ => new_line(runs, end, new_len)?,
                        };
                        let first_line = new_line(runs, start, new_len)?;
                        let place = Place::Class {
                            header,
                            pad: into_body(first_line)?.min(NAMED_NEAR_START),
                            indent: class.indent.as_slice(),
                            tail,
                            before_firm: flag(first),
                            next,
                        };
                        let part = part_lines(diff, first_line, part_end)?;
                        let part =
                            parse_part(language, statements, text, part, place, limit, readers)?;
                        found.extend(part.occurrences);
                        cuts.extend(part.cuts);
                        cut_firm.extend(part.firm);
                        after_piece = Some(part.ends_firmly.unwrap_or(flag(first)));
                    } else {
                        let before = old_starts[start] - body_start;
                        let now = into_body(at(start)?)?;
                        let statements_moved = moved(base, diff, start, end)?;
                        // The rule reads only a definition of a name the header holds (the
                        // scope's name is in the header).
                        let near = before != now && before.min(now) < NAMED_NEAR_START;
                        if near
                            && statements_moved.iter().any(|o| {
                                o.role.is_definition() && super::contains_word(header, &o.name)
                            })
                        {
                            return None;
                        }
                        found.extend(statements_moved);
                        for cut in first..piece {
                            cuts.push(at(class.cuts[cut])?);
                            let after = if cut == first {
                                after_piece.take()
                            } else {
                                None
                            };
                            cut_firm.push(after.unwrap_or_else(|| flag(cut)));
                        }
                    }
                }
                let tail_line = match class.tail {
                    Some(tail) => {
                        let line = closing_line(runs, tail, new_lines.len())?;
                        found.extend(moved_to(base, diff, tail, to, line));
                        Some(line)
                    }
                    None => None,
                };
                layout.top.push(start);
                layout.firm.push(firmly);
                layout.classes.push((!cuts.is_empty()).then(|| {
                    Box::new(Class {
                        header: class.header.saturating_add_signed(rows),
                        cuts,
                        indent: class.indent.clone(),
                        firm: cut_firm,
                        tail: tail_line,
                    })
                }));
            }
            class => {
                found.extend(moved(base, diff, from, to)?);
                layout.top.push(start);
                layout.firm.push(firmly);
                layout
                    .classes
                    .push(class.as_ref().map(|class| Box::new(class.moved(rows))));
            }
        }
        unit += 1;
    }
    // The lines before the first statement are a part of their own (blank, or comments).
    if layout.top.first() != Some(&0) {
        layout.top.insert(0, 0);
        layout.classes.insert(0, None);
        layout.firm.insert(0, true);
    }
    let mut parsed = ParsedFile::from_occurrences(found, false);
    parsed.layout = Some(layout.held());
    Some(parsed)
}

/// The statement of `cuts` (sorted first lines, the first 0 or the body's start) holding `line`.
fn unit_at(cuts: &[usize], line: usize) -> usize {
    cuts.partition_point(|&cut| cut <= line).saturating_sub(1)
}

/// Marks the statements of `cuts` (ending at `end`) that the hunk replacing lines `from..to`
/// touches: those it covers, and for an insertion, the statement it lands in and, at a
/// statement's first line or at the end, the one before.
fn touch(touched: &mut [bool], cuts: &[usize], from: usize, to: usize, end: usize) {
    if from == to {
        if from < end {
            touched[unit_at(cuts, from)] = true;
        }
        if from > 0 && (cuts.contains(&from) || from >= end) {
            touched[unit_at(cuts, from - 1)] = true;
        }
        return;
    }
    for (index, cut) in cuts.iter().enumerate() {
        let next = cuts.get(index + 1).copied().unwrap_or(end);
        if *cut < to && next > from {
            touched[index] = true;
        }
    }
}

/// How long a top-level statement must be for its body's statements to be parts of their own: a
/// shorter one is parsed whole in a fraction of a millisecond, and the cuts of its body cost more
/// to keep with every parse than they spare (`bench/perf.py`'s files are sixty small functions
/// each).
const SPLIT_BYTES: usize = 1024;

/// A top-level statement's class, where its body's statements split: a class (or a wrapped one)
/// whose `class` keyword starts a line and whose body starts on a later line; in JavaScript, the
/// braced body the statement is made of ([`braced_of`]).
fn class_of(statements: &Statements, node: tree_sitter::Node<'_>, text: &[u8]) -> Option<Class> {
    if node.end_byte() - node.start_byte() < SPLIT_BYTES {
        return None;
    }
    if let Some(braces) = &statements.braces {
        return braced_of(statements, braces, node, text);
    }
    let ClassBodies {
        class: kind,
        body,
        wrapper,
    } = statements.classes.as_ref()?;
    let class = if node.kind() == *kind {
        node
    } else {
        let (wrapper, field) = (*wrapper)?;
        (node.kind() == wrapper)
            .then(|| node.child_by_field_name(field))
            .flatten()
            .filter(|inner| inner.kind() == *kind)?
    };
    let header = class.start_position();
    if header.column != 0 {
        return None;
    }
    let body = class.child_by_field_name(body)?;
    let mut cursor = body.walk();
    let members: Vec<tree_sitter::Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|member| member.kind() != statements.comment)
        .collect();
    let first = members.first()?;
    if first.start_position().row <= header.row {
        return None;
    }
    let indent = indentation(*first, text)?.to_vec();
    if !indent.iter().all(|&b| b == b' ' || b == b'\t') {
        return None;
    }
    let mut cuts: Vec<usize> = Vec::new();
    for member in &members {
        let row = member.start_position().row;
        if indentation(*member, text) == Some(&indent)
            && cuts.last() != Some(&row)
            && !continues_into(text, *member)
        {
            cuts.push(row);
        }
    }
    Some(Class {
        header: header.row,
        firm: vec![true; cuts.len()],
        cuts,
        indent,
        tail: None,
    })
}

/// The braced body top-level statement `node` is made of, where its statements split: the
/// statement starts at column 0, the body's first statement starts a line after the body's `{`,
/// and its `}` starts a line after its last statement's.
fn braced_of(
    statements: &Statements,
    braces: &Braces,
    node: tree_sitter::Node<'_>,
    text: &[u8],
) -> Option<Class> {
    if node.start_position().column != 0 {
        return None;
    }
    let body = braced_body(braces, node)?;
    let close = body.end_byte().checked_sub(1)?;
    let close_at = body.end_position();
    let line_start = close.checked_sub(close_at.column.checked_sub(1)?)?;
    if text.get(close) != Some(&b'}')
        || !text
            .get(line_start..close)?
            .iter()
            .all(|&b| b == b' ' || b == b'\t')
    {
        return None;
    }
    let members = members_of(statements, body);
    let (first, last) = (members.first()?, members.last()?);
    if first.start_position().row <= body.start_position().row
        || last.end_position().row >= close_at.row
    {
        return None;
    }
    let (cuts, firm) = member_cuts(statements, braces, &members, text, true);
    if cuts.first() != Some(&first.start_position().row) {
        return None;
    }
    Some(Class {
        header: node.start_position().row,
        cuts,
        indent: Vec::new(),
        firm,
        tail: Some(close_at.row),
    })
}

/// The braced body that `node` is mostly made of: its largest part, and that part's, a few levels
/// down at most, until one of the language's bodies (`module.exports = class … { … }`,
/// `describe('…', () => { … })`).
fn braced_body<'t>(braces: &Braces, node: tree_sitter::Node<'t>) -> Option<tree_sitter::Node<'t>> {
    let mut at = node;
    for _ in 0..8 {
        if braces.bodies.contains(&at.kind()) {
            return Some(at);
        }
        let mut cursor = at.walk();
        at = at
            .named_children(&mut cursor)
            .max_by_key(|child| child.end_byte() - child.start_byte())?;
    }
    None
}

/// The statements of a body, comments aside.
fn members_of<'t>(
    statements: &Statements,
    body: tree_sitter::Node<'t>,
) -> Vec<tree_sitter::Node<'t>> {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|member| member.kind() != statements.comment)
        .collect()
}

/// The lines of `members` (a braced body's statements) that start a part, with, for each, whether
/// the statement before it ends whatever follows (`first_firm` for the first): a statement that
/// starts its line after the line the one before ends on, where that one ends firmly or this one
/// starts with what ends it (as top-level statements are cut; a method ends like a declaration).
fn member_cuts(
    statements: &Statements,
    braces: &Braces,
    members: &[tree_sitter::Node<'_>],
    text: &[u8],
    first_firm: bool,
) -> (Vec<usize>, Vec<bool>) {
    let mut cuts = Vec::new();
    let mut firm = Vec::new();
    let mut before: Option<(bool, usize)> = None;
    for member in members {
        let start = member.start_position();
        let starts_line = indentation(*member, text)
            .is_some_and(|indent| indent.iter().all(|&b| b == b' ' || b == b'\t'));
        let ended = before.is_none_or(|before| ended_at_line_break(before, *member, text));
        let previous = before.map_or(first_firm, |(firmly, _)| firmly);
        let firmly = member_ends_firmly(statements, braces, *member, text);
        before = Some((firmly, member.end_position().row));
        if starts_line && ended && cuts.last() != Some(&start.row) {
            cuts.push(start.row);
            firm.push(previous);
        }
    }
    (cuts, firm)
}

/// Whether `text` holds a byte that ends a line comment before the line's `\n`: a carriage
/// return or a line or paragraph separator (line terminators of JavaScript, and of Python's
/// tokenizer), or a NUL, where tree-sitter's lexers stop a token. The fuzz target found
/// `// Service \0…` read as a comment and then as code.
fn ends_a_line_early(text: &[u8]) -> bool {
    memchr::memchr2(b'\r', 0, text).is_some()
        || memchr::memmem::find(text, "\u{2028}".as_bytes()).is_some()
        || memchr::memmem::find(text, "\u{2029}".as_bytes()).is_some()
}

/// Whether the line before `node`'s ends in a backslash, which joins `node`'s line to it (a
/// comment at column 0 after `value = 1 \` is no statement of its own).
fn continues_into(text: &[u8], node: tree_sitter::Node<'_>) -> bool {
    let Some(line_start) = node.start_byte().checked_sub(node.start_position().column) else {
        return false;
    };
    line_start
        .checked_sub(1)
        .and_then(|newline| text.get(..newline))
        .is_some_and(|before| before.trim_ascii_end().ends_with(b"\\"))
}

/// What comes before `node` on its line, as written.
fn indentation<'t>(node: tree_sitter::Node<'_>, text: &'t [u8]) -> Option<&'t [u8]> {
    let start = node.start_byte();
    text.get(start.checked_sub(node.start_position().column)?..start)
}

/// `occurrence` `bytes` further on and `rows` lines further down.
fn shifted(occurrence: Occurrence, bytes: isize, rows: isize) -> Occurrence {
    Occurrence {
        start: occurrence.start.saturating_add_signed(bytes),
        end: occurrence.end.saturating_add_signed(bytes),
        line: u32::try_from(i64::from(occurrence.line) + rows as i64).unwrap_or(u32::MAX),
        ..occurrence
    }
}

/// Where base line `line` is in the version: the line an unchanged run maps it to, or the first
/// line of a hunk that starts there (lines a version added at the end belong to the part that ends
/// there, so the base's end is the version's end); `None` inside a hunk.
fn new_line(runs: &[Run], line: usize, new_len: usize) -> Option<usize> {
    let old_len = runs.last().map_or(0, |run| run.old.end);
    if line >= old_len {
        return Some(new_len);
    }
    for run in runs {
        if run.old.start == line && (!run.equal || !run.old.is_empty()) {
            return Some(run.new.start);
        }
        if run.old.start < line && line < run.old.end {
            return run.equal.then(|| run.new.start + line - run.old.start);
        }
    }
    Some(new_len)
}

/// Where base line `line` (untouched) is in the version, after any lines the version inserted
/// right before it: a braced body's `}` line, before which inserted lines are the body's.
fn closing_line(runs: &[Run], line: usize, new_len: usize) -> Option<usize> {
    runs.iter()
        .find(|run| !run.equal && run.old.is_empty() && run.old.start == line)
        .map_or_else(|| new_line(runs, line, new_len), |run| Some(run.new.end))
}

/// The version's lines that base lines `from..to` (touched statements) became.
fn part_of(diff: &LineDiff<'_>, from: usize, to: usize) -> Option<(usize, usize, usize)> {
    let new_len = diff.new_lines.len();
    part_lines(
        diff,
        new_line(&diff.runs, from, new_len)?,
        new_line(&diff.runs, to, new_len)?,
    )
}

/// The version's lines `start..end`: the first, and the byte range.
fn part_lines(diff: &LineDiff<'_>, start: usize, end: usize) -> Option<(usize, usize, usize)> {
    (start <= end).then(|| (start, diff.new_starts[start], diff.new_starts[end]))
}

/// The base's occurrences on lines `from..to` (untouched statements), moved to where the version
/// has those lines.
fn moved(
    base: &ParsedFile,
    diff: &LineDiff<'_>,
    from: usize,
    to: usize,
) -> Option<Vec<Occurrence>> {
    let line = new_line(&diff.runs, from, diff.new_lines.len())?;
    Some(moved_to(base, diff, from, to, line))
}

/// The base's occurrences on lines `from..to`, moved to the version's line `line` on.
fn moved_to(
    base: &ParsedFile,
    diff: &LineDiff<'_>,
    from: usize,
    to: usize,
    line: usize,
) -> Vec<Occurrence> {
    let (start, end) = (diff.old_starts[from], diff.old_starts[to]);
    let shift = diff.new_starts[line] as isize - start as isize;
    let rows = line as isize - from as isize;
    let all = &base.occurrences;
    let first = all.partition_point(|o| o.start < start);
    let last = all.partition_point(|o| o.start < end);
    all[first..last]
        .iter()
        .map(|o| shifted(o.clone(), shift, rows))
        .collect()
}

/// What a body's part was parsed in: the one class (Python), or a braced body's statements.
enum Inner<'s, 't> {
    Class(tree_sitter::Node<'t>),
    Body(&'s Braces, Vec<tree_sitter::Node<'t>>),
}

/// Where a part stands: among the top-level statements, between the statement before it (whether
/// that one ends whatever follows) and the text after it (from its first token; `None` at the
/// end of the file), or in a class's body (its header, and its body's indentation).
enum Place<'t> {
    Top {
        before_firm: bool,
        next: Option<&'t [u8]>,
    },
    Class {
        header: &'t [u8],
        /// How many bytes of blank line to put between the header and the part: how far into
        /// the body the part starts, up to the reach of the scope-name rule.
        pad: usize,
        indent: &'t [u8],
        /// A braced body's closing `}` and what follows it (JavaScript).
        tail: Option<&'t [u8]>,
        before_firm: bool,
        next: Option<&'t [u8]>,
    },
}

/// The occurrences of the version's lines `part` (first line, first byte, end byte) parsed alone:
/// as top-level statements, or with `class` (its header, and its body's indentation) as the
/// statements of that class's body. `None` where the part does not stand alone.
fn parse_part(
    language: &Language,
    statements: &Statements,
    text: &[u8],
    (line, start, end): (usize, usize, usize),
    place: Place<'_>,
    limit: Duration,
    readers: &[String],
) -> Option<Part> {
    // Where the part meets the statements around it: what a top-level part's first statement
    // follows, and what follows its last one (the first token after it, `None` at the end).
    let (class, pad, before_firm, next) = match place {
        Place::Top { before_firm, next } => (None, 0, before_firm, next),
        Place::Class {
            header,
            pad,
            indent,
            tail,
            before_firm,
            next,
        } => (Some((header, indent, tail)), pad, before_firm, next),
    };
    // Blank and line comment lines (all that is left where a side removed statements) name
    // nothing; the statements around them meet as if they were not there.
    let marker = statements.line_comment.as_bytes();
    let is_blank_or_comment = |line: &[u8]| {
        let line = line.trim_ascii_start();
        line.is_empty() || line.starts_with(marker)
    };
    let mut lines = text[start..end].split(|&b| b == b'\n');
    if !ends_a_line_early(&text[start..end]) && lines.clone().all(is_blank_or_comment) {
        seams(None, &[], before_firm, next, |_| true)?;
        return Some(Part {
            occurrences: Vec::new(),
            cuts: Vec::new(),
            classes: Vec::new(),
            firm: Vec::new(),
            ends_firmly: None,
        });
    }
    // A part that parses alone may still end inside a statement: its last line of code joined
    // to the next by a backslash, which the end of the part closes and the next part would not.
    let last_code = lines.rfind(|line| !is_blank_or_comment(line));
    if last_code.is_some_and(|line| line.trim_ascii_end().ends_with(b"\\")) {
        return None;
    }
    let header = class.map_or(&[][..], |(header, _, _)| header);
    let tail = class.and_then(|(_, _, tail)| tail).unwrap_or_default();
    // A blank line of `pad` bytes after the header (spaces, then its line break).
    let piece_start = header.len() + pad;
    let piece_end = piece_start + end - start;
    let mut source = Vec::with_capacity(piece_end + tail.len());
    source.extend_from_slice(header);
    if pad > 0 {
        source.resize(header.len() + pad - 1, b' ');
        source.push(b'\n');
    }
    source.extend_from_slice(&text[start..end]);
    source.extend_from_slice(tail);
    let tree = super::parse::run_parser(language, &source, None, limit)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut children = root
        .named_children(&mut cursor)
        .filter(|child| child.kind() != statements.comment);
    // A top-level part's last statement, where it has one: whether it ends whatever follows.
    let mut last_firm = None;
    // A class's part: the one class, its body's first statement in the part and indented as the
    // base's body is. A braced body's part: the one statement, whose body closes at the tail's
    // `}` and holds every statement of the part, each starting afresh where it meets the
    // statements around it.
    let inner = match (class, &statements.classes, &statements.braces) {
        (None, _, _) => {
            // The part's first statement starts afresh after what came before it, and its last
            // one is ended by what comes next.
            let first = children.next();
            if first.is_some_and(|first| first.start_position().column != 0) {
                return None;
            }
            let last = children.last().or(first);
            last_firm = seams(first.zip(last), &source, before_firm, next, |last| {
                ends_firmly(statements, last, &source)
            })?;
            None
        }
        (Some((_, indent, None)), Some(classes), _) => {
            let only = children.next()?;
            if children.next().is_some() || only.kind() != classes.class || only.start_byte() != 0 {
                return None;
            }
            let body = only.child_by_field_name(classes.body)?;
            let mut cursor = body.walk();
            let first = body
                .named_children(&mut cursor)
                .find(|member| member.kind() != statements.comment)?;
            if first.start_byte() < piece_start || indentation(first, &source) != Some(indent) {
                return None;
            }
            Some(Inner::Class(only))
        }
        (Some((_, _, Some(tail))), None, Some(braces)) => {
            let only = children.next()?;
            if children.next().is_some() || only.start_byte() != 0 {
                return None;
            }
            let body = braced_body(braces, only)?;
            let close = piece_end + tail.iter().position(|&b| b == b'}')?;
            if body.start_byte() >= header.len() || body.end_byte() != close + 1 {
                return None;
            }
            let members = members_of(statements, body);
            if members
                .iter()
                .any(|member| member.start_byte() < piece_start || member.end_byte() > piece_end)
            {
                return None;
            }
            let ends = members.first().copied().zip(members.last().copied());
            last_firm = seams(ends, &source, before_firm, next, |last| {
                member_ends_firmly(statements, braces, last, &source)
            })?;
            Some(Inner::Body(braces, members))
        }
        _ => return None,
    };
    let header_rows = source[..piece_start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let shift = start as isize - piece_start as isize;
    let rows = line as isize - header_rows as isize;
    let parsed = occurrences(language, &tree, &source, 0, readers);
    let occurrences = parsed
        .occurrences
        .into_iter()
        .filter(|o| o.start >= piece_start && o.start < piece_end)
        .map(|o| shifted(o, shift, rows))
        .collect();
    let (cuts, classes, firm) = match inner {
        None => {
            let Layout { top, classes, firm } =
                layout_after(statements, &tree, &source, before_firm)?;
            let cuts = top
                .iter()
                .map(|cut| cut.saturating_add_signed(rows))
                .collect();
            let classes = classes
                .iter()
                .map(|class| class.as_ref().map(|class| Box::new(class.moved(rows))))
                .collect();
            (cuts, classes, firm)
        }
        Some(Inner::Class(only)) => {
            let cuts: Vec<usize> = class_of(statements, only, &source)
                .map(|class| class.moved(rows).cuts)
                .unwrap_or_default();
            let firm = vec![true; cuts.len()];
            (cuts, Vec::new(), firm)
        }
        Some(Inner::Body(braces, members)) => {
            let (cuts, firm) = member_cuts(statements, braces, &members, &source, before_firm);
            let cuts = cuts
                .iter()
                .map(|cut| cut.saturating_add_signed(rows))
                .collect();
            (cuts, Vec::new(), firm)
        }
    };
    Some(Part {
        occurrences,
        cuts,
        classes,
        firm,
        ends_firmly: last_firm,
    })
}
