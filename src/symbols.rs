//! Blob → occurrences. One parse of a file's bytes with its language's grammar, one run of its
//! occurrence query, and the result: every identifier occurrence with its name, role, enclosing
//! scope and span. Nothing here walks the syntax tree by recursion: the query cursor does the walk,
//! and scopes are assigned by a sweep over sorted spans.

use rustc_hash::FxHashMap as HashMap;

use tree_sitter::{Parser, QueryCursor, StreamingIterator};

use crate::lang::{CaptureKind, Language};

/// What an occurrence does with its name. The variant order is the capture priority: when several
/// query patterns capture the same node, the earliest variant here wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Import,
    Method,
    Function,
    Class,
    Parameter,
    Variable,
    Export,
    Key,
    Attribute,
    Call,
    MemberCall,
    Member,
    Use,
}

/// The two kinds a name can have (precision rule 4): a plain name, or a member/attribute/key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    Plain,
    Member,
}

impl Role {
    pub fn from_capture_name(name: &str) -> Option<Role> {
        let role = match name {
            "definition.function" => Role::Function,
            "definition.class" => Role::Class,
            "definition.method" => Role::Method,
            "definition.variable" => Role::Variable,
            "definition.parameter" => Role::Parameter,
            "definition.import" => Role::Import,
            "definition.export" => Role::Export,
            "definition.key" => Role::Key,
            "definition.attribute" => Role::Attribute,
            "reference.call" => Role::Call,
            "reference.member_call" => Role::MemberCall,
            "reference.member" => Role::Member,
            "reference.use" => Role::Use,
            _ => return None,
        };
        Some(role)
    }

    pub fn is_definition(self) -> bool {
        !matches!(
            self,
            Role::Call | Role::MemberCall | Role::Member | Role::Use
        )
    }

    pub fn kind(self) -> NameKind {
        match self {
            Role::Method | Role::Key | Role::Attribute | Role::MemberCall | Role::Member => {
                NameKind::Member
            }
            _ => NameKind::Plain,
        }
    }

    /// The word used in messages and JSON.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Function => "function",
            Role::Class => "class",
            Role::Method => "method",
            Role::Variable => "variable",
            Role::Parameter => "parameter",
            Role::Import => "import",
            Role::Export => "export",
            Role::Key => "key",
            Role::Attribute => "attribute",
            Role::Call => "call",
            Role::MemberCall => "method call",
            Role::Member => "property access",
            Role::Use => "use",
        }
    }
}

/// One identifier in a file.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub name: String,
    pub role: Role,
    /// Byte span in the file's bytes (a byte-order mark included).
    pub start: usize,
    pub end: usize,
    /// 0-based line of the start.
    pub line: u32,
    /// Enclosing named scopes, outermost first, joined with dots (`Client.fetch`).
    pub scope: Option<String>,
    /// For import bindings: the module they come from, as written.
    pub import_source: Option<String>,
}

/// The occurrences of one blob.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Sorted by start.
    pub occurrences: Vec<Occurrence>,
    /// Occurrence indices by name.
    by_name: HashMap<String, Vec<usize>>,
    /// The tree had ERROR or MISSING nodes: the file was analysed as far as it parses.
    pub has_syntax_error: bool,
    /// The parser gave up (time limit); the file has no occurrences.
    pub failed: bool,
}

impl ParsedFile {
    pub fn occurrences_of<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(move |&index| &self.occurrences[index])
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    pub fn defines(&self, name: &str) -> bool {
        self.occurrences_of(name).any(|o| o.role.is_definition())
    }
}

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

/// A version's syntax tree kept to parse a later version of the same file incrementally.
pub struct Earlier<'a> {
    pub text: &'a [u8],
    pub tree: &'a tree_sitter::Tree,
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
    let offset = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let source = &text[offset..];
    let old_tree = earlier.and_then(|earlier| {
        let old_offset = if earlier.text.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        (old_offset == offset).then(|| edited(earlier.tree, &earlier.text[old_offset..], source))
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
    let parsed = occurrences(language, &tree, source, offset);
    (parsed, Some(tree))
}

/// One parse of `source`, incremental from `old_tree` where given, abandoned after `limit`.
fn run_parser(
    language: &Language,
    source: &[u8],
    old_tree: Option<&tree_sitter::Tree>,
    limit: std::time::Duration,
) -> Option<tree_sitter::Tree> {
    PARSER.with(|cell| {
        let mut parser = cell.borrow_mut();
        parser.set_language(&language.grammar).ok()?;
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

/// A copy of `tree` (the syntax tree of `old`) with the line hunks that turn `old` into `new`
/// applied as edits, last hunk first so that each edit's start is still in `old`'s coordinates.
fn edited(tree: &tree_sitter::Tree, old: &[u8], new: &[u8]) -> tree_sitter::Tree {
    let mut tree = tree.clone();
    // Lines with their endings, compared byte for byte: a hunk must cover every changed byte.
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
    let (old_starts, new_starts) = (starts(&old_lines), starts(&new_lines));
    let byte_of = |starts: &[usize], len: usize, line: usize| {
        starts.get(line).copied().unwrap_or(len).min(len)
    };
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &old_lines,
        &new_lines,
        Some(std::time::Instant::now() + std::time::Duration::from_millis(50)),
    );
    for op in ops.iter().rev() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let start_byte = byte_of(&old_starts, old.len(), old_range.start);
        let old_end_byte = byte_of(&old_starts, old.len(), old_range.end);
        let new_start = byte_of(&new_starts, new.len(), new_range.start);
        let new_end = byte_of(&new_starts, new.len(), new_range.end);
        let start_position = point_of_line(&old_lines, old_range.start);
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
            old_end_position: point_of_line(&old_lines, old_range.end),
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

/// The occurrences of the language's query in `tree`, the syntax tree of `source` (the file's text
/// after `offset` bytes of byte-order mark).
fn occurrences(
    language: &Language,
    tree: &tree_sitter::Tree,
    source: &[u8],
    offset: usize,
) -> ParsedFile {
    let mut found: HashMap<(usize, usize), Occurrence> = HashMap::default();
    let mut module_paths: Vec<(usize, usize)> = Vec::new();
    let mut scopes: Vec<(usize, usize, String)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&language.query, tree.root_node(), source);
    while let Some(found_match) = matches.next() {
        let mut import_source = None;
        let mut scope_span = None;
        let mut scope_name = None;
        for capture in found_match.captures {
            let kind = language.captures.get(capture.index as usize).copied();
            let node = capture.node;
            match kind {
                Some(CaptureKind::ImportSource) => {
                    import_source = Some(node_text(source, &node));
                }
                Some(CaptureKind::Scope) => scope_span = Some((node.start_byte(), node.end_byte())),
                Some(CaptureKind::ScopeName) => scope_name = Some(node_text(source, &node)),
                Some(CaptureKind::ModulePath) => {
                    module_paths.push((node.start_byte() + offset, node.end_byte() + offset));
                }
                _ => {}
            }
        }
        if let (Some((start, end)), Some(name)) = (scope_span, scope_name) {
            scopes.push((start + offset, end + offset, name));
        }
        for capture in found_match.captures {
            let Some(CaptureKind::Occurrence(role)) =
                language.captures.get(capture.index as usize).copied()
            else {
                continue;
            };
            let node = capture.node;
            let name = node_text(source, &node);
            if name.is_empty() {
                continue;
            }
            let key = (node.start_byte() + offset, node.end_byte() + offset);
            let occurrence = Occurrence {
                name,
                role,
                start: key.0,
                end: key.1,
                line: u32::try_from(node.start_position().row).unwrap_or(u32::MAX),
                scope: None,
                import_source: import_source.clone(),
            };
            match found.get_mut(&key) {
                Some(existing) => {
                    if role < existing.role {
                        let kept_source = existing.import_source.take();
                        *existing = occurrence;
                        if existing.import_source.is_none() {
                            existing.import_source = kept_source;
                        }
                    } else if existing.import_source.is_none() {
                        existing.import_source = occurrence.import_source;
                    }
                }
                None => {
                    found.insert(key, occurrence);
                }
            }
        }
    }

    let mut occurrences: Vec<Occurrence> = found
        .into_values()
        .filter(|o| {
            o.role == Role::Import
                || !module_paths
                    .iter()
                    .any(|(start, end)| o.start >= *start && o.end <= *end)
        })
        .collect();
    occurrences.sort_by_key(|o| (o.start, o.end));
    assign_scopes(&mut occurrences, scopes);
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
    for (index, occurrence) in occurrences.iter().enumerate() {
        by_name
            .entry(occurrence.name.clone())
            .or_default()
            .push(index);
    }
    ParsedFile {
        occurrences,
        by_name,
        has_syntax_error: tree.root_node().has_error(),
        failed: false,
    }
}

fn node_text(source: &[u8], node: &tree_sitter::Node) -> String {
    let bytes = source
        .get(node.start_byte()..node.end_byte())
        .unwrap_or_default();
    String::from_utf8_lossy(bytes).into_owned()
}

/// Gives each occurrence the chain of named scopes that encloses it, by a sweep over spans sorted
/// by start (outer scopes first). A scope's own name is not inside itself.
fn assign_scopes(occurrences: &mut [Occurrence], mut scopes: Vec<(usize, usize, String)>) {
    scopes.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    scopes.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let mut open: Vec<&(usize, usize, String)> = Vec::new();
    let mut next = 0;
    for occurrence in occurrences.iter_mut() {
        while let Some(scope) = scopes.get(next) {
            if scope.0 > occurrence.start {
                break;
            }
            while open.last().is_some_and(|top| top.1 <= scope.0) {
                open.pop();
            }
            open.push(scope);
            next += 1;
        }
        while open.last().is_some_and(|top| top.1 <= occurrence.start) {
            open.pop();
        }
        let names: Vec<&str> = open
            .iter()
            .filter(|scope| !scope_is_named_by(scope, occurrence))
            .map(|scope| scope.2.as_str())
            .collect();
        if !names.is_empty() {
            occurrence.scope = Some(names.join("."));
        }
    }
}

/// True when the occurrence is the scope's own name (the `f` of `function f() {}`), which belongs
/// to the enclosing scope, not to itself.
fn scope_is_named_by(scope: &(usize, usize, String), occurrence: &Occurrence) -> bool {
    occurrence.role.is_definition()
        && scope.2 == occurrence.name
        && occurrence.start >= scope.0
        && occurrence.start < scope.0 + 64.min(scope.1 - scope.0)
}

/// True for bytes that can be part of an identifier in JavaScript or Python (non-ASCII bytes count,
/// so that Unicode identifiers stay whole).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

/// Whether `name` occurs in `text` as a whole word: a cheap test before any parse.
pub fn contains_word(text: &[u8], name: &str) -> bool {
    let needle = name.as_bytes();
    if needle.is_empty() || needle.len() > text.len() {
        return false;
    }
    let mut from = 0;
    while let Some(found) = find(&text[from..], needle) {
        let start = from + found;
        let end = start + needle.len();
        let before_ok = start == 0 || !is_word_byte(text[start - 1]);
        let after_ok = end == text.len() || !is_word_byte(text[end]);
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = 0;
    while at + needle.len() <= haystack.len() {
        let offset = haystack[at..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        let start = at + offset;
        if &haystack[start..start + needle.len()] == needle {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// A set of words, with a fast non-cryptographic hash (the keys come from the repository being
/// read, but a slow hash would only cost time, and SipHash was most of the cost of these sets).
pub type WordSet<'t> = rustc_hash::FxHashSet<&'t [u8]>;

/// The identifier-like words of `text`, for cheap set tests before parsing.
pub fn words(text: &[u8]) -> WordSet<'_> {
    word_iter(text).collect()
}

/// The identifier-like words of `text` in order, with repeats; words starting with a digit are
/// numbers, not names, and left out.
pub fn word_iter(text: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    text.split(|&byte| !is_word_byte(byte))
        .filter(|word| word.first().is_some_and(|first| !first.is_ascii_digit()))
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

    #[test]
    fn an_incremental_parse_finds_what_a_fresh_parse_finds() {
        let js = "import { a } from './a';\nconst LEGACY = 1;\nfunction f(x) {\n  return a(x) + LEGACY;\n}\nclass K { m() { return f(2); } }\nmodule.exports = { f, K };\n";
        let py = "import os\nLEGACY = 1\n\ndef f(x):\n    return os.path.join(x, str(LEGACY))\n\nclass K:\n    def m(self):\n        return f(2)\n";
        for (path, base) in [("a.js", js), ("a.py", py)] {
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
                let fresh = parse(language, version.as_bytes());
                let (_, tree) = parse_from(language, base.as_bytes(), None, PARSE_TIME_LIMIT);
                let tree = tree.expect("a tree");
                let earlier = Earlier {
                    text: base.as_bytes(),
                    tree: &tree,
                };
                let (incremental, _) = parse_from(
                    language,
                    version.as_bytes(),
                    Some(earlier),
                    PARSE_TIME_LIMIT,
                );
                assert_eq!(
                    summary(&incremental),
                    summary(&fresh),
                    "{path} from\n{base}\nto\n{version}"
                );
            }
        }
    }

    #[test]
    fn contains_word_respects_boundaries() {
        assert!(contains_word(b"a = LEGACY_URL;", "LEGACY_URL"));
        assert!(!contains_word(b"a = LEGACY_URL_2;", "LEGACY_URL"));
        assert!(!contains_word(b"a = MY_LEGACY_URL;", "LEGACY_URL"));
        assert!(contains_word(b"LEGACY_URL", "LEGACY_URL"));
        assert!(!contains_word(b"", "x"));
    }

    #[test]
    fn words_skip_numbers_and_split_on_punctuation() {
        let found = words(b"const a1 = b.c(42, $d);");
        for word in ["const", "a1", "b", "c", "$d"] {
            assert!(found.contains(word.as_bytes()), "{word}");
        }
        assert!(!found.contains(&b"42"[..]));
    }
}

#[cfg(test)]
mod query_tests {
    use super::*;
    use crate::lang::for_path;

    /// The role of each occurrence of `name`, in order.
    fn roles(path: &str, source: &str, name: &str) -> Vec<Role> {
        let language = for_path(path).expect("a known language");
        parse(language, source.as_bytes())
            .occurrences_of(name)
            .map(|o| o.role)
            .collect()
    }

    const JS: &str = r#"
import fetch, { get as httpGet, post } from 'http-client';
import * as api from './api';
const { LEGACY_URL, timeout: wait } = require('./config');
const legacy = require("legacy");
// LEGACY_URL in a comment
const label = "LEGACY_URL in a string";
export function send(payload, { retries = 3 } = {}, ...rest) {
  const body = { legacyAudit: true, payload };
  config.LEGACY_URL = LEGACY_URL;
  this.cache = new Cache();
  return api.post(LEGACY_URL, body).then((res) => res.ok);
}
class Client extends Base {
  #secret = 1;
  fetchLegacy() { return httpGet(`${LEGACY_URL}/x`); }
}
export { send as dispatch, wait };
module.exports.helper = () => <Widget size={wait} />;
try { send(); } catch (err) { console.log(err); }
"#;

    #[test]
    fn javascript_roles() {
        assert_eq!(roles("a.jsx", JS, "fetch"), vec![Role::Import]);
        assert_eq!(
            roles("a.jsx", JS, "httpGet"),
            vec![Role::Import, Role::Call]
        );
        assert_eq!(roles("a.jsx", JS, "get"), vec![Role::Import]);
        assert_eq!(roles("a.jsx", JS, "api"), vec![Role::Import, Role::Use]);
        assert_eq!(
            roles("a.jsx", JS, "LEGACY_URL"),
            vec![
                Role::Import,
                Role::Attribute,
                Role::Use,
                Role::Use,
                Role::Use
            ]
        );
        assert_eq!(
            roles("a.jsx", JS, "wait"),
            vec![Role::Import, Role::Export, Role::Use]
        );
        assert_eq!(roles("a.jsx", JS, "timeout"), vec![Role::Member]);
        assert_eq!(roles("a.jsx", JS, "legacy"), vec![Role::Import]);
        assert_eq!(
            roles("a.jsx", JS, "send"),
            vec![Role::Function, Role::Export, Role::Call]
        );
        assert_eq!(
            roles("a.jsx", JS, "payload"),
            vec![Role::Parameter, Role::Use]
        );
        assert_eq!(roles("a.jsx", JS, "retries"), vec![Role::Variable]);
        assert_eq!(roles("a.jsx", JS, "rest"), vec![Role::Parameter]);
        assert_eq!(roles("a.jsx", JS, "legacyAudit"), vec![Role::Key]);
        assert_eq!(roles("a.jsx", JS, "cache"), vec![Role::Attribute]);
        assert_eq!(roles("a.jsx", JS, "Cache"), vec![Role::Call]);
        assert_eq!(
            roles("a.jsx", JS, "post"),
            vec![Role::Import, Role::MemberCall]
        );
        assert_eq!(roles("a.jsx", JS, "Client"), vec![Role::Class]);
        assert_eq!(roles("a.jsx", JS, "#secret"), vec![Role::Method]);
        assert_eq!(roles("a.jsx", JS, "fetchLegacy"), vec![Role::Method]);
        assert_eq!(roles("a.jsx", JS, "helper"), vec![Role::Attribute]);
        assert_eq!(roles("a.jsx", JS, "Widget"), vec![Role::Use]);
        assert_eq!(roles("a.jsx", JS, "err"), vec![Role::Parameter, Role::Use]);
        assert_eq!(roles("a.jsx", JS, "dispatch"), vec![Role::Export]);
    }

    #[test]
    fn javascript_scopes_and_import_sources() {
        let language = for_path("a.js").expect("javascript");
        let parsed = parse(language, JS.as_bytes());
        let in_method = parsed
            .occurrences_of("httpGet")
            .find(|o| o.role == Role::Call)
            .expect("a call");
        assert_eq!(in_method.scope.as_deref(), Some("Client.fetchLegacy"));
        let send = parsed.occurrences_of("send").next().expect("send");
        assert_eq!(
            send.scope, None,
            "a function's name is outside its own scope"
        );
        let sources: Vec<_> = parsed
            .occurrences
            .iter()
            .filter(|o| o.role == Role::Import)
            .map(|o| (o.name.as_str(), o.import_source.as_deref()))
            .collect();
        assert!(
            sources.contains(&("httpGet", Some("http-client"))),
            "{sources:?}"
        );
        assert!(sources.contains(&("api", Some("./api"))), "{sources:?}");
        assert!(
            sources.contains(&("LEGACY_URL", Some("./config"))),
            "{sources:?}"
        );
        assert!(sources.contains(&("legacy", Some("legacy"))), "{sources:?}");
    }

    const PY: &str = r#"
import os.path
import numpy as np
from app.services import call_legacy, current as now
from .models import Order
# call_legacy in a comment

@app.route("/x")
class Client(Base):
    retries = 3

    def __init__(self, url, *args, timeout: int = 5, **kwargs):
        self.cache = {}
        self.url = url

    @property
    def legacy(self):
        return call_legacy(self.url, verbose=True)

def handler(event):
    total = [x for x in event.items]
    with open(path) as handle:
        data = handle.read()
    try:
        pass
    except ValueError as error:
        raise
    return np.array(total).sum(), f"{LEGACY_URL}"
"#;

    #[test]
    fn python_roles() {
        assert_eq!(roles("a.py", PY, "os"), vec![Role::Import]);
        assert_eq!(roles("a.py", PY, "path"), vec![Role::Use]);
        assert_eq!(roles("a.py", PY, "np"), vec![Role::Import, Role::Use]);
        assert!(roles("a.py", PY, "numpy").is_empty());
        assert_eq!(
            roles("a.py", PY, "call_legacy"),
            vec![Role::Import, Role::Call]
        );
        assert_eq!(roles("a.py", PY, "now"), vec![Role::Import]);
        assert!(roles("a.py", PY, "services").is_empty());
        assert_eq!(
            roles("a.py", PY, "app"),
            vec![Role::Use],
            "only the decorator, not the module path"
        );
        assert_eq!(roles("a.py", PY, "Client"), vec![Role::Class]);
        assert_eq!(roles("a.py", PY, "retries"), vec![Role::Variable]);
        assert_eq!(roles("a.py", PY, "__init__"), vec![Role::Method]);
        assert_eq!(roles("a.py", PY, "legacy"), vec![Role::Method]);
        assert_eq!(roles("a.py", PY, "handler"), vec![Role::Function]);
        assert_eq!(roles("a.py", PY, "cache"), vec![Role::Attribute]);
        assert_eq!(
            roles("a.py", PY, "url")[..2],
            [Role::Parameter, Role::Attribute]
        );
        assert_eq!(roles("a.py", PY, "args"), vec![Role::Parameter]);
        assert_eq!(roles("a.py", PY, "kwargs"), vec![Role::Parameter]);
        assert_eq!(roles("a.py", PY, "timeout"), vec![Role::Parameter]);
        assert_eq!(roles("a.py", PY, "verbose"), vec![Role::Key]);
        assert_eq!(roles("a.py", PY, "x")[0], Role::Use);
        assert!(roles("a.py", PY, "x").contains(&Role::Variable));
        assert_eq!(roles("a.py", PY, "handle"), vec![Role::Variable, Role::Use]);
        assert_eq!(roles("a.py", PY, "error"), vec![Role::Variable]);
        assert_eq!(roles("a.py", PY, "sum"), vec![Role::MemberCall]);
        assert_eq!(roles("a.py", PY, "route"), vec![Role::MemberCall]);
        assert_eq!(roles("a.py", PY, "LEGACY_URL"), vec![Role::Use]);
        let language = for_path("a.py").expect("python");
        let parsed = parse(language, PY.as_bytes());
        let call = parsed
            .occurrences_of("call_legacy")
            .find(|o| o.role == Role::Call)
            .expect("a call");
        assert_eq!(call.scope.as_deref(), Some("Client.legacy"));
        let import = parsed.occurrences_of("call_legacy").next().expect("import");
        assert_eq!(import.import_source.as_deref(), Some("app.services"));
        let relative = parsed.occurrences_of("Order").next().expect("import");
        assert_eq!(relative.import_source.as_deref(), Some(".models"));
    }

    #[test]
    fn deep_nesting_and_broken_files_do_not_crash() {
        let deep = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let parsed = parse(for_path("a.py").expect("python"), deep.as_bytes());
        assert!(parsed.contains("x"));
        let deep_js = format!(
            "const y = {}1{};\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let parsed = parse(for_path("a.js").expect("js"), deep_js.as_bytes());
        assert!(parsed.contains("y"));
        let broken = parse(
            for_path("a.js").expect("js"),
            b"function f( { const LEGACY = 1;",
        );
        assert!(broken.has_syntax_error);
        assert!(broken.contains("LEGACY"));
        let bom = parse(for_path("a.js").expect("js"), b"\xEF\xBB\xBFconst A = 1;\n");
        assert_eq!(bom.occurrences_of("A").next().map(|o| o.start), Some(9));
    }
}
