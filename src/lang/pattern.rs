//! The occurrence queries of `grammars/<language>/*.scm`, read and matched by conflictguard
//! itself. The files are written in tree-sitter's query language, and [`Patterns`] finds the same
//! matches tree-sitter's query cursor finds, but without its compilation step: `ts_query_new`
//! analyses every pattern against every parse state of the grammar (to learn which steps are
//! definite), 45–75 ms per language, which was half of a one-merge `audit` on real histories. Here
//! compiling a query is reading it and looking its node kinds and fields up: tens of microseconds.
//!
//! The subset of the query language the grammars use is supported, and anything else is refused
//! when the query is read (the registry test fails), never silently mismatched: node patterns
//! `(kind child…)`, the wildcards `(_)` (any named node) and `_` (any node), anonymous nodes
//! `"text"`, fields `name: …`, alternations `[…]`, captures `@name`, the anchor `.` before a
//! child (the child is the first named one, or immediately follows the previous step's among
//! named children), a parenthesised group of one pattern with its predicates, and the predicates
//! `#eq?`, `#not-eq?`, `#any-of?`, `#not-any-of?`, `#match?` and `#not-match?`. Quantifiers,
//! negated fields, a trailing anchor, `MISSING` and supertype patterns are refused.
//!
//! The semantics are tree-sitter's (see `ts_query_cursor__advance`): a child pattern matches a
//! direct child, children in the pattern's order; every way a pattern matches a node is a match
//! (the capture sets are those tree-sitter reports: it takes the earliest child for a step that
//! captures nothing and cannot fail, which gives the same captures); a wildcard never matches an
//! ERROR node and no wildcard-rooted pattern starts at one; a MISSING node matches its kind; an
//! anchor skips anonymous nodes but not named extras (a comment). `tests/patterns.rs` compares
//! every match with tree-sitter's own cursor over the fixtures and the grammars' examples, and the
//! fuzz target does on every input it makes.
//!
//! The tree is walked with a [`TreeCursor`] loop. Matching one pattern at one node recurses over
//! the *pattern*, one level per pattern level and one frame per child step, so the depth is bounded
//! by the largest pattern of the query (a dozen frames), never by the depth of the tree.

use std::collections::HashMap;

use std::num::NonZeroU16;

use tree_sitter::{Node, TreeCursor};

/// A field id of the grammar (tree-sitter's own alias is not public).
type FieldId = NonZeroU16;

/// A compiled query: its patterns, in the order written, and its capture names.
pub struct Patterns {
    patterns: Vec<Pattern>,
    capture_names: Vec<String>,
    /// The patterns that can start at a node, by the node's kind id.
    by_kind: Vec<Vec<u32>>,
    /// The patterns whose root is a wildcard, tried at every node but ERROR.
    wildcard_roots: Vec<u32>,
}

/// One capture of a match: the capture's index in [`Patterns::capture_names`] and the node.
#[derive(Clone, Copy, Debug)]
pub struct Capture<'t> {
    pub index: u32,
    pub node: Node<'t>,
}

/// Why a query could not be read.
#[derive(Debug, thiserror::Error)]
#[error("at byte {offset}: {message}")]
pub struct PatternError {
    pub offset: usize,
    pub message: String,
}

struct Pattern {
    root: Step,
    predicates: Vec<Predicate>,
}

/// A child position of a pattern: what may stand there, which field it must be, and whether it
/// is anchored to the previous step (or to the start).
struct Step {
    field: Option<FieldId>,
    immediate: bool,
    alternatives: Vec<NodePattern>,
}

struct NodePattern {
    kind: KindTest,
    captures: Vec<u32>,
    children: Vec<Step>,
}

enum KindTest {
    /// One of these kind ids (the ids that share a kind name and namedness: aliases).
    Ids(Vec<u16>),
    /// `(_)`: any named node but ERROR.
    AnyNamed,
    /// `_`: any node but ERROR.
    Any,
}

enum Predicate {
    Eq {
        capture: u32,
        text: Vec<u8>,
        positive: bool,
    },
    EqCapture {
        left: u32,
        right: u32,
        positive: bool,
    },
    AnyOf {
        capture: u32,
        texts: Vec<Vec<u8>>,
        positive: bool,
    },
    Match {
        capture: u32,
        regex: regex::bytes::Regex,
        positive: bool,
    },
}

const ERROR_KIND: u16 = u16::MAX;

impl KindTest {
    fn matches(&self, node: Node<'_>) -> bool {
        match self {
            KindTest::Ids(ids) => !node.is_error() && ids.contains(&node.kind_id()),
            KindTest::AnyNamed => node.is_named() && !node.is_error(),
            KindTest::Any => !node.is_error(),
        }
    }
}

impl Patterns {
    /// Reads `source`, a query over `language`'s trees.
    pub fn new(language: &tree_sitter::Language, source: &str) -> Result<Patterns, PatternError> {
        let mut reader = Reader {
            tokens: tokenize(source)?,
            at: 0,
            end: source.len(),
            language,
            kinds: kind_names(language),
            capture_names: Vec::new(),
        };
        let mut patterns = Vec::new();
        while reader.peek().is_some() {
            patterns.push(reader.top_level()?);
        }
        let mut by_kind: Vec<Vec<u32>> = vec![Vec::new(); language.node_kind_count()];
        let mut wildcard_roots = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let mut wildcard = false;
            for alternative in &pattern.root.alternatives {
                match &alternative.kind {
                    KindTest::Ids(ids) => {
                        for id in ids {
                            if let Some(list) = by_kind.get_mut(usize::from(*id)) {
                                if list.last() != Some(&index) {
                                    list.push(index);
                                }
                            }
                        }
                    }
                    KindTest::AnyNamed | KindTest::Any => wildcard = true,
                }
            }
            if wildcard {
                wildcard_roots.push(index);
            }
        }
        Ok(Patterns {
            patterns,
            capture_names: reader.capture_names,
            by_kind,
            wildcard_roots,
        })
    }

    pub fn capture_names(&self) -> &[String] {
        &self.capture_names
    }

    pub fn capture_index_for_name(&self, name: &str) -> Option<u32> {
        self.capture_names
            .iter()
            .position(|n| n == name)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Calls `found` with each match in the tree under `root` (the root included): the index of
    /// the pattern and its captures, in the order the pattern writes them. Nodes are visited in
    /// document order, patterns at a node in the query's order.
    pub fn for_each_match<'t>(
        &self,
        root: Node<'t>,
        source: &[u8],
        mut found: impl FnMut(usize, &[Capture<'t>]),
    ) {
        let mut walk = root.walk();
        let mut matcher = Matcher {
            captures: Vec::new(),
            scratch: root.walk(),
        };
        let mut depth = 0usize;
        let mut candidates: Vec<u32> = Vec::new();
        let mut children: Vec<(Node<'t>, Option<FieldId>)> = Vec::new();
        loop {
            let node = walk.node();
            let kind = if node.is_error() {
                ERROR_KIND
            } else {
                node.kind_id()
            };
            let rooted = self
                .by_kind
                .get(usize::from(kind))
                .map_or(&[][..], Vec::as_slice);
            let candidates = if kind == ERROR_KIND || self.wildcard_roots.is_empty() {
                rooted
            } else {
                candidates.clear();
                candidates.extend_from_slice(rooted);
                candidates.extend_from_slice(&self.wildcard_roots);
                candidates.sort_unstable();
                candidates.dedup();
                &candidates[..]
            };
            // The node's children, listed once for all the patterns that start here.
            let mut listed = false;
            for &index in candidates {
                let Some(pattern) = self.patterns.get(index as usize) else {
                    continue;
                };
                for alternative in &pattern.root.alternatives {
                    if !alternative.kind.matches(node) {
                        continue;
                    }
                    if !alternative.children.is_empty() && !listed {
                        matcher.list_children(node, &mut children);
                        listed = true;
                    }
                    matcher.captures.clear();
                    matcher.captures.extend(
                        alternative
                            .captures
                            .iter()
                            .map(|&index| Capture { index, node }),
                    );
                    matcher.steps_then(&alternative.children, &children, 0, 0, &mut |matcher| {
                        let captures = &matcher.captures;
                        if pattern.predicates.iter().all(|p| p.holds(captures, source)) {
                            found(index as usize, captures);
                        }
                    });
                }
            }
            if walk.goto_first_child() {
                depth += 1;
                continue;
            }
            loop {
                if depth == 0 {
                    return;
                }
                if walk.goto_next_sibling() {
                    break;
                }
                walk.goto_parent();
                depth -= 1;
            }
        }
    }
}

/// The state of one match attempt: the captures so far and a cursor to list children with.
struct Matcher<'t> {
    captures: Vec<Capture<'t>>,
    scratch: TreeCursor<'t>,
}

impl<'t> Matcher<'t> {
    /// Every way `pattern` matches `node`, each handed to `then` with the captures so far in the
    /// matcher.
    fn node_then(
        &mut self,
        pattern: &NodePattern,
        node: Node<'t>,
        then: &mut dyn FnMut(&mut Matcher<'t>),
    ) {
        if !pattern.kind.matches(node) {
            return;
        }
        let mark = self.captures.len();
        self.captures.extend(
            pattern
                .captures
                .iter()
                .map(|&index| Capture { index, node }),
        );
        if pattern.children.is_empty() {
            then(self);
        } else {
            let mut children = Vec::new();
            self.list_children(node, &mut children);
            self.steps_then(&pattern.children, &children, 0, 0, then);
        }
        self.captures.truncate(mark);
    }

    /// Every way `steps` (from `step` on) match `children` (from `from` on).
    fn steps_then(
        &mut self,
        steps: &[Step],
        children: &[(Node<'t>, Option<FieldId>)],
        step: usize,
        from: usize,
        then: &mut dyn FnMut(&mut Matcher<'t>),
    ) {
        let Some(current) = steps.get(step) else {
            then(self);
            return;
        };
        for (at, (child, field)) in children.iter().enumerate().skip(from) {
            if current.field.is_none() || current.field == *field {
                for alternative in &current.alternatives {
                    let mut next = |matcher: &mut Matcher<'t>| {
                        matcher.steps_then(steps, children, step + 1, at + 1, then);
                    };
                    self.node_then(alternative, *child, &mut next);
                }
            }
            if current.immediate && child.is_named() {
                break;
            }
        }
    }

    /// The children of `node` with the field each is in, into `children`.
    fn list_children(&mut self, node: Node<'t>, children: &mut Vec<(Node<'t>, Option<FieldId>)>) {
        children.clear();
        self.scratch.reset(node);
        if self.scratch.goto_first_child() {
            loop {
                children.push((self.scratch.node(), self.scratch.field_id()));
                if !self.scratch.goto_next_sibling() {
                    break;
                }
            }
        }
    }
}

impl Predicate {
    fn holds(&self, captures: &[Capture<'_>], source: &[u8]) -> bool {
        let text = |index: u32| {
            captures
                .iter()
                .find(|c| c.index == index)
                .map(|c| source.get(c.node.byte_range()).unwrap_or_default())
        };
        match self {
            Predicate::Eq {
                capture,
                text: expected,
                positive,
            } => text(*capture).is_none_or(|t| (t == expected.as_slice()) == *positive),
            Predicate::EqCapture {
                left,
                right,
                positive,
            } => match (text(*left), text(*right)) {
                (Some(l), Some(r)) => (l == r) == *positive,
                _ => true,
            },
            Predicate::AnyOf {
                capture,
                texts,
                positive,
            } => text(*capture).is_none_or(|t| texts.iter().any(|x| x == t) == *positive),
            Predicate::Match {
                capture,
                regex,
                positive,
            } => text(*capture).is_none_or(|t| regex.is_match(t) == *positive),
        }
    }
}

/// Kind ids by name and namedness, for every kind a tree can show (aliases share a name).
fn kind_names(language: &tree_sitter::Language) -> HashMap<(&'static str, bool), Vec<u16>> {
    let mut kinds: HashMap<(&'static str, bool), Vec<u16>> = HashMap::new();
    for id in 0..u16::try_from(language.node_kind_count()).unwrap_or(u16::MAX) {
        if !language.node_kind_is_visible(id) && !language.node_kind_is_supertype(id) {
            continue;
        }
        if let Some(name) = language.node_kind_for_id(id) {
            kinds
                .entry((name, language.node_kind_is_named(id)))
                .or_default()
                .push(id);
        }
    }
    kinds
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenAlternation,
    CloseAlternation,
    Anchor,
    Capture(String),
    Text(String),
    Field(String),
    Predicate(String),
    Word(String),
}

fn tokenize(source: &str) -> Result<Vec<(usize, Token)>, PatternError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    let error = |offset: usize, message: String| PatternError { offset, message };
    let word_end = |from: usize| {
        let mut end = from;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'.' | b'-'))
        {
            end += 1;
        }
        end
    };
    while at < bytes.len() {
        let start = at;
        match bytes[at] {
            b';' => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            c if c.is_ascii_whitespace() => at += 1,
            b'(' | b')' | b'[' | b']' | b'.' => {
                let token = match bytes[at] {
                    b'(' => Token::Open,
                    b')' => Token::Close,
                    b'[' => Token::OpenAlternation,
                    b']' => Token::CloseAlternation,
                    _ => Token::Anchor,
                };
                tokens.push((start, token));
                at += 1;
            }
            b'@' => {
                let end = word_end(at + 1);
                tokens.push((start, Token::Capture(source[at + 1..end].to_string())));
                at = end;
            }
            b'#' => {
                let mut end = word_end(at + 1);
                if bytes.get(end) == Some(&b'?') || bytes.get(end) == Some(&b'!') {
                    end += 1;
                }
                tokens.push((start, Token::Predicate(source[at + 1..end].to_string())));
                at = end;
            }
            b'"' => {
                let mut text = Vec::new();
                at += 1;
                loop {
                    match bytes.get(at) {
                        None => return Err(error(start, "unterminated string".into())),
                        Some(b'"') => {
                            at += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let escaped = match bytes.get(at + 1) {
                                Some(b'n') => b'\n',
                                Some(b't') => b'\t',
                                Some(b'r') => b'\r',
                                Some(b'0') => b'\0',
                                Some(&c) => c,
                                None => return Err(error(start, "unterminated string".into())),
                            };
                            text.push(escaped);
                            at += 2;
                        }
                        Some(&c) => {
                            text.push(c);
                            at += 1;
                        }
                    }
                }
                let text = String::from_utf8(text)
                    .map_err(|_| error(start, "a string that is not UTF-8".into()))?;
                tokens.push((start, Token::Text(text)));
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let mut end = at;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                let word = source[at..end].to_string();
                if bytes.get(end) == Some(&b':') {
                    tokens.push((start, Token::Field(word)));
                    at = end + 1;
                } else {
                    tokens.push((start, Token::Word(word)));
                    at = end;
                }
            }
            b'*' | b'+' | b'?' => {
                return Err(error(start, "quantifiers are not supported".into()));
            }
            b'!' => return Err(error(start, "negated fields are not supported".into())),
            other => {
                return Err(error(
                    start,
                    format!("unexpected character {:?}", char::from(other)),
                ))
            }
        }
    }
    Ok(tokens)
}

/// A recursive-descent reader of the tokens (over the query text, not a syntax tree).
struct Reader<'q> {
    tokens: Vec<(usize, Token)>,
    at: usize,
    end: usize,
    language: &'q tree_sitter::Language,
    kinds: HashMap<(&'static str, bool), Vec<u16>>,
    capture_names: Vec<String>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, token)| token)
    }

    /// The token after the next one.
    fn second(&self) -> Option<&Token> {
        self.tokens.get(self.at + 1).map(|(_, token)| token)
    }

    /// Whether a predicate, `(#…`, comes next.
    fn predicate_next(&self) -> bool {
        self.peek() == Some(&Token::Open) && matches!(self.second(), Some(Token::Predicate(_)))
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.at)
            .map_or(self.end, |(offset, _)| *offset)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(_, token)| token.clone());
        self.at += 1;
        token
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, PatternError> {
        Err(PatternError {
            offset: self.offset(),
            message: message.into(),
        })
    }

    fn capture(&mut self, name: &str) -> u32 {
        let index = match self.capture_names.iter().position(|n| n == name) {
            Some(index) => index,
            None => {
                self.capture_names.push(name.to_string());
                self.capture_names.len() - 1
            }
        };
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    /// A top-level pattern: a node, an alternation, or a group of one pattern and predicates.
    fn top_level(&mut self) -> Result<Pattern, PatternError> {
        let mut predicates = Vec::new();
        let is_group = self.peek() == Some(&Token::Open)
            && matches!(
                self.second(),
                Some(Token::Open | Token::OpenAlternation | Token::Text(_))
            );
        let alternatives = if is_group {
            self.next();
            let alternatives = self.alternatives(&mut predicates)?;
            loop {
                match self.peek() {
                    Some(Token::Close) => {
                        self.next();
                        break;
                    }
                    Some(Token::Open) if self.predicate_next() => {
                        self.next();
                        predicates.push(self.predicate()?);
                    }
                    _ => return self.error("a group of several patterns is not supported"),
                }
            }
            if matches!(self.peek(), Some(Token::Capture(_))) {
                return self.error("a capture of a group is not supported");
            }
            alternatives
        } else {
            self.alternatives(&mut predicates)?
        };
        Ok(Pattern {
            root: Step {
                field: None,
                immediate: false,
                alternatives,
            },
            predicates,
        })
    }

    /// One pattern and the captures after it, as the alternatives it stands for (one but for an
    /// alternation).
    fn alternatives(
        &mut self,
        predicates: &mut Vec<Predicate>,
    ) -> Result<Vec<NodePattern>, PatternError> {
        let mut alternatives = match self.next() {
            Some(Token::OpenAlternation) => {
                let mut all = Vec::new();
                loop {
                    match self.peek() {
                        Some(Token::CloseAlternation) => {
                            self.next();
                            break;
                        }
                        None => return self.error("an alternation is not closed"),
                        _ => all.extend(self.alternatives(predicates)?),
                    }
                }
                all
            }
            Some(Token::Text(text)) => vec![NodePattern {
                kind: self.kind(&text, false)?,
                captures: Vec::new(),
                children: Vec::new(),
            }],
            Some(Token::Word(word)) if word == "_" => vec![NodePattern {
                kind: KindTest::Any,
                captures: Vec::new(),
                children: Vec::new(),
            }],
            Some(Token::Open) => vec![self.node(predicates)?],
            _ => {
                self.at = self.at.saturating_sub(1);
                return self.error("expected a pattern");
            }
        };
        while let Some(Token::Capture(name)) = self.peek().cloned() {
            self.next();
            let index = self.capture(&name);
            for alternative in &mut alternatives {
                alternative.captures.push(index);
            }
        }
        Ok(alternatives)
    }

    /// A node pattern, after its opening parenthesis.
    fn node(&mut self, predicates: &mut Vec<Predicate>) -> Result<NodePattern, PatternError> {
        let kind = match self.next() {
            Some(Token::Word(word)) if word == "_" => KindTest::AnyNamed,
            Some(Token::Word(word)) if word == "MISSING" => {
                return self.error("MISSING patterns are not supported")
            }
            Some(Token::Word(word)) => self.kind(&word, true)?,
            _ => {
                self.at = self.at.saturating_sub(1);
                return self.error("expected a node kind");
            }
        };
        let mut children = Vec::new();
        let mut field = None;
        let mut immediate = false;
        loop {
            match self.peek().cloned() {
                Some(Token::Close) => {
                    self.next();
                    if immediate || field.is_some() {
                        return self.error("an anchor or field with no child after it");
                    }
                    break;
                }
                Some(Token::Anchor) => {
                    self.next();
                    if self.peek() == Some(&Token::Close) {
                        return self.error("a trailing anchor is not supported");
                    }
                    immediate = true;
                }
                Some(Token::Field(name)) => {
                    self.next();
                    let Some(id) = self.language.field_id_for_name(&name) else {
                        return self.error(format!("unknown field {name}"));
                    };
                    field = Some(id);
                }
                Some(Token::Open) if self.predicate_next() => {
                    self.next();
                    predicates.push(self.predicate()?);
                }
                None => return self.error("a pattern is not closed"),
                _ => {
                    let alternatives = self.alternatives(predicates)?;
                    children.push(Step {
                        field: field.take(),
                        immediate: std::mem::take(&mut immediate),
                        alternatives,
                    });
                }
            }
        }
        Ok(NodePattern {
            kind,
            captures: Vec::new(),
            children,
        })
    }

    fn kind(&self, name: &str, named: bool) -> Result<KindTest, PatternError> {
        let Some(ids) = self.kinds.get(&(name, named)) else {
            return self.error(format!("unknown node kind {name:?}"));
        };
        if ids
            .iter()
            .all(|id| self.language.node_kind_is_supertype(*id))
        {
            return self.error(format!("the supertype {name} is not supported"));
        }
        Ok(KindTest::Ids(ids.clone()))
    }

    /// A predicate, after its opening parenthesis.
    fn predicate(&mut self) -> Result<Predicate, PatternError> {
        let Some(Token::Predicate(name)) = self.next() else {
            return self.error("expected a predicate");
        };
        let mut arguments: Vec<Token> = Vec::new();
        loop {
            match self.next() {
                Some(Token::Close) => break,
                Some(token @ (Token::Capture(_) | Token::Text(_))) => arguments.push(token),
                _ => return self.error(format!("unexpected argument of #{name}")),
            }
        }
        let capture = |reader: &mut Self, token: Option<&Token>| match token {
            Some(Token::Capture(name)) => Ok(reader.capture(name)),
            _ => reader.error(format!("#{name} takes a capture first")),
        };
        let texts = |tokens: &[Token]| -> Option<Vec<Vec<u8>>> {
            tokens
                .iter()
                .map(|t| match t {
                    Token::Text(text) => Some(text.clone().into_bytes()),
                    _ => None,
                })
                .collect()
        };
        let positive = !name.starts_with("not-");
        match name.trim_start_matches("not-") {
            "eq?" => {
                let first = capture(self, arguments.first())?;
                match arguments.get(1..) {
                    Some([Token::Text(text)]) => Ok(Predicate::Eq {
                        capture: first,
                        text: text.clone().into_bytes(),
                        positive,
                    }),
                    Some([Token::Capture(other)]) => Ok(Predicate::EqCapture {
                        left: first,
                        right: self.capture(other),
                        positive,
                    }),
                    _ => self.error(format!("#{name} takes two arguments")),
                }
            }
            "any-of?" => {
                let first = capture(self, arguments.first())?;
                match arguments.get(1..).and_then(texts) {
                    Some(texts) if !texts.is_empty() => Ok(Predicate::AnyOf {
                        capture: first,
                        texts,
                        positive,
                    }),
                    _ => self.error(format!("#{name} takes a capture and strings")),
                }
            }
            "match?" => {
                let first = capture(self, arguments.first())?;
                let Some([Token::Text(pattern)]) = arguments.get(1..) else {
                    return self.error(format!("#{name} takes a capture and a regex"));
                };
                match regex::bytes::Regex::new(pattern) {
                    Ok(regex) => Ok(Predicate::Match {
                        capture: first,
                        regex,
                        positive,
                    }),
                    Err(err) => self.error(format!("#{name}: {err}")),
                }
            }
            _ => self.error(format!("the predicate #{name} is not supported")),
        }
    }
}

/// A match as the differential tests compare them: the pattern's index and its captures (name,
/// byte span), sorted.
pub type MatchKey = (usize, Vec<(String, usize, usize)>);

/// A query compiled by tree-sitter and read by [`Patterns`], to compare their matches: for the
/// differential tests and the fuzz target.
#[doc(hidden)]
pub struct Differential {
    theirs: tree_sitter::Query,
    ours: Patterns,
}

impl Differential {
    /// Both readings of `query`; an error when either cannot read it.
    pub fn new(language: &tree_sitter::Language, query: &str) -> Result<Differential, String> {
        Ok(Differential {
            theirs: tree_sitter::Query::new(language, query).map_err(|e| e.to_string())?,
            ours: Patterns::new(language, query).map_err(|e| e.to_string())?,
        })
    }

    /// The matches in `tree` that tree-sitter's query cursor and [`Patterns`] do not agree on, as
    /// `(found by tree-sitter only, found by Patterns only)`, each set deduplicated.
    pub fn disagreements(
        &self,
        tree: &tree_sitter::Tree,
        source: &[u8],
    ) -> (Vec<MatchKey>, Vec<MatchKey>) {
        use std::collections::BTreeSet;
        use tree_sitter::StreamingIterator;

        let (theirs, ours) = (&self.theirs, &self.ours);
        let key = |pattern: usize, captures: &mut dyn Iterator<Item = (&str, Node<'_>)>| {
            let mut captures: Vec<(String, usize, usize)> = captures
                .map(|(name, node)| (name.to_string(), node.start_byte(), node.end_byte()))
                .collect();
            captures.sort();
            (pattern, captures)
        };
        let mut by_tree_sitter: BTreeSet<MatchKey> = BTreeSet::new();
        let mut cursor = tree_sitter::QueryCursor::new();
        let mut matches = cursor.matches(theirs, tree.root_node(), source);
        while let Some(found) = matches.next() {
            let names = theirs.capture_names();
            by_tree_sitter.insert(key(
                found.pattern_index,
                &mut found
                    .captures
                    .iter()
                    .map(|c| (names[c.index as usize], c.node)),
            ));
        }
        let mut by_patterns: BTreeSet<MatchKey> = BTreeSet::new();
        ours.for_each_match(tree.root_node(), source, |pattern, found| {
            let names = ours.capture_names();
            by_patterns.insert(key(
                pattern,
                &mut found
                    .iter()
                    .map(|c| (names[c.index as usize].as_str(), c.node)),
            ));
        });
        (
            by_tree_sitter.difference(&by_patterns).cloned().collect(),
            by_patterns.difference(&by_tree_sitter).cloned().collect(),
        )
    }
}
