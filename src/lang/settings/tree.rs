//! JSON, YAML and TOML, read from their tree-sitter trees into one document model (maps, lists,
//! entries, scalars) and walked into names: every key a setting named by its whole path, the
//! entries of an `env:` / `environment:` / `variables:` block environment variables, and the
//! entries of a manifest's dependency groups packages. Both walks are loops over explicit stacks
//! (a tree cursor, then a work list): no recursion, whatever the nesting.

use tree_sitter::{Node, Tree};

use super::lines::{distribution_name, normalise_distribution};
use super::paths::push_key;
use super::{Found, Role};

/// What a node of the document model is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// The file: its values are top-level.
    Root,
    Map,
    Seq,
    /// A key and its value (the entry's one child, absent for a key without a value).
    Entry,
    Scalar,
}

/// Where a key or scalar is written.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: usize,
    end: usize,
    line: u32,
}

impl Span {
    fn of(node: &Node<'_>) -> Span {
        Span {
            start: node.start_byte(),
            end: node.end_byte(),
            line: u32::try_from(node.start_position().row).unwrap_or(u32::MAX),
        }
    }

    /// The span of a key or scalar's text without its quotes, so that a finding underlines the
    /// name itself: the last part of a dotted TOML key, the scalar inside a YAML node.
    fn of_name(node: &Node<'_>, source: &[u8]) -> Span {
        let mut node = *node;
        while matches!(node.kind(), "dotted_key" | "flow_node" | "block_node") {
            let count = node.named_child_count();
            let Some(inner) = (0..count)
                .rev()
                .filter_map(|index| node.named_child(index))
                .find(|child| !matches!(child.kind(), "anchor" | "tag" | "comment"))
            else {
                break;
            };
            node = inner;
        }
        let mut span = Span::of(&node);
        let text = source.get(span.start..span.end).unwrap_or_default();
        if let (Some(&first), Some(&last)) = (text.first(), text.last()) {
            if text.len() >= 2 && first == last && matches!(first, b'"' | b'\'') {
                span.start += 1;
                span.end -= 1;
            }
        }
        span
    }
}

struct Item {
    shape: Shape,
    /// An entry's key, one component per part of a dotted TOML key.
    key: Vec<String>,
    /// Where each part of a dotted TOML key is written (empty for a key of one part): a table the
    /// key defines on the way is placed on its own part, never on a line it is not on (error
    /// recovery can make one key of `a==1` and `..b` on the next line).
    part_spans: Vec<Span>,
    /// A scalar's text, unquoted.
    text: String,
    /// A scalar's span, or an entry's key's.
    span: Span,
    children: Vec<usize>,
}

impl Item {
    fn new(shape: Shape) -> Item {
        Item {
            shape,
            key: Vec::new(),
            part_spans: Vec::new(),
            text: String::new(),
            span: Span::default(),
            children: Vec::new(),
        }
    }
}

/// What the model makes of one node of a grammar's tree.
enum Visit {
    /// Not part of the model (punctuation, comments, anchors, tags, a key already read).
    Skip,
    /// Transparent: its children belong to the enclosing item.
    Pass,
    Make(Shape),
    /// A key and its value, which is among the node's children.
    Entry(Key, Span),
    /// A TOML `[table]`: an entry whose value is a map holding the node's other children.
    Table(Key, Span),
    /// A TOML `[[array.of.tables]]`: an entry whose value is a list holding that map.
    ArrayTable(Key, Span),
}

/// A key's parts, and where each is written (empty where the key has one part, written at the
/// entry's span).
struct Key {
    parts: Vec<String>,
    spans: Vec<Span>,
}

impl Key {
    fn one(part: String) -> Key {
        Key {
            parts: vec![part],
            spans: Vec::new(),
        }
    }
}

type Classify = fn(node: &Node<'_>, source: &[u8]) -> Visit;

/// The document model of `tree`, items indexed from the root at 0.
fn build(tree: &Tree, source: &[u8], classify: Classify) -> Vec<Item> {
    let mut items = vec![Item::new(Shape::Root)];
    let mut cursor = tree.walk();
    let mut parents: Vec<usize> = Vec::new();
    let mut parent = 0usize;
    loop {
        let node = cursor.node();
        // A key is read by its entry; its node is not a value.
        let visit = if cursor.field_name() == Some("key") || !node.is_named() {
            Visit::Skip
        } else {
            classify(&node, source)
        };
        let add = |items: &mut Vec<Item>, under: usize, item: Item| -> usize {
            items.push(item);
            let index = items.len() - 1;
            if let Some(parent) = items.get_mut(under) {
                parent.children.push(index);
            }
            index
        };
        let descend = match visit {
            Visit::Skip => None,
            Visit::Pass => Some(parent),
            Visit::Make(Shape::Scalar) => {
                let mut item = Item::new(Shape::Scalar);
                item.span = Span::of_name(&node, source);
                item.text = unquote(node_text(source, &node));
                add(&mut items, parent, item);
                None
            }
            Visit::Make(shape) => Some(add(&mut items, parent, Item::new(shape))),
            Visit::Entry(key, span) => {
                let mut item = Item::new(Shape::Entry);
                item.key = key.parts;
                item.part_spans = key.spans;
                item.span = span;
                Some(add(&mut items, parent, item))
            }
            Visit::Table(key, span) | Visit::ArrayTable(key, span) => {
                let array = node.kind() == "table_array_element";
                let mut item = Item::new(Shape::Entry);
                item.key = key.parts;
                item.part_spans = key.spans;
                item.span = span;
                let entry = add(&mut items, parent, item);
                let holder = if array {
                    add(&mut items, entry, Item::new(Shape::Seq))
                } else {
                    entry
                };
                Some(add(&mut items, holder, Item::new(Shape::Map)))
            }
        };
        if let Some(under) = descend {
            if cursor.goto_first_child() {
                parents.push(parent);
                parent = under;
                continue;
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return items;
            }
            parent = parents.pop().unwrap_or(0);
        }
    }
}

fn node_text<'s>(source: &'s [u8], node: &Node<'_>) -> &'s str {
    std::str::from_utf8(
        source
            .get(node.start_byte()..node.end_byte())
            .unwrap_or_default(),
    )
    .unwrap_or_default()
}

/// A scalar or key without its quotes (`"a"`, `'a'`, TOML's `"""a"""`).
fn unquote(text: &str) -> String {
    let text = text.trim();
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if text.len() >= 2 * quote.len() && text.starts_with(quote) && text.ends_with(quote) {
            return text[quote.len()..text.len() - quote.len()].to_string();
        }
    }
    text.to_string()
}

fn classify_json(node: &Node<'_>, source: &[u8]) -> Visit {
    match node.kind() {
        "object" => Visit::Make(Shape::Map),
        "array" => Visit::Make(Shape::Seq),
        "pair" => match node.child_by_field_name("key") {
            Some(key) => Visit::Entry(
                Key::one(unquote(node_text(source, &key))),
                Span::of_name(&key, source),
            ),
            None => Visit::Skip,
        },
        "string" | "number" | "true" | "false" | "null" => Visit::Make(Shape::Scalar),
        "comment" => Visit::Skip,
        _ => Visit::Pass,
    }
}

fn classify_yaml(node: &Node<'_>, source: &[u8]) -> Visit {
    match node.kind() {
        "block_mapping" | "flow_mapping" => Visit::Make(Shape::Map),
        "block_sequence" | "flow_sequence" => Visit::Make(Shape::Seq),
        "block_mapping_pair" | "flow_pair" => match node.child_by_field_name("key") {
            Some(key) => {
                let text = unquote(node_text(source, &key));
                // A merge key (`<<: *defaults`) names nothing of its own.
                if text == "<<" {
                    Visit::Skip
                } else {
                    Visit::Entry(Key::one(text), Span::of_name(&key, source))
                }
            }
            None => Visit::Skip,
        },
        "plain_scalar"
        | "double_quote_scalar"
        | "single_quote_scalar"
        | "block_scalar"
        | "alias" => Visit::Make(Shape::Scalar),
        "anchor" | "tag" | "comment" | "yaml_directive" | "tag_directive"
        | "reserved_directive" => Visit::Skip,
        _ => Visit::Pass,
    }
}

/// The components of a TOML key (`a."b.c".d`) and where each is written, read without recursion.
fn toml_key(node: &Node<'_>, source: &[u8]) -> Key {
    let mut key = Key {
        parts: Vec::new(),
        spans: Vec::new(),
    };
    let mut pending = vec![*node];
    while let Some(part) = pending.pop() {
        match part.kind() {
            "dotted_key" => {
                let mut cursor = part.walk();
                let children: Vec<Node<'_>> = part.named_children(&mut cursor).collect();
                pending.extend(children.into_iter().rev());
            }
            "bare_key" | "quoted_key" => {
                key.parts.push(unquote(node_text(source, &part)));
                key.spans.push(Span::of_name(&part, source));
            }
            _ => {}
        }
    }
    key
}

fn first_toml_key<'t>(node: &Node<'t>) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    let key = node
        .named_children(&mut cursor)
        .find(|child| matches!(child.kind(), "bare_key" | "quoted_key" | "dotted_key"));
    key
}

fn classify_toml(node: &Node<'_>, source: &[u8]) -> Visit {
    let keyed = |make: fn(Key, Span) -> Visit| match first_toml_key(node) {
        Some(key) => make(toml_key(&key, source), Span::of_name(&key, source)),
        None => Visit::Skip,
    };
    match node.kind() {
        "document" | "inline_table" => Visit::Make(Shape::Map),
        "array" => Visit::Make(Shape::Seq),
        "pair" => keyed(Visit::Entry),
        "table" => keyed(Visit::Table),
        "table_array_element" => keyed(Visit::ArrayTable),
        "bare_key" | "quoted_key" | "dotted_key" | "comment" => Visit::Skip,
        "string" | "integer" | "float" | "boolean" | "offset_date_time" | "local_date_time"
        | "local_date" | "local_time" => Visit::Make(Shape::Scalar),
        _ => Visit::Pass,
    }
}

/// Which manifest a file is: its dependency groups are read as packages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Manifest {
    None,
    PackageJson,
    Pyproject,
}

/// How the entries or items under a key are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Settings,
    /// `env:` / `environment:` / `variables:` as a map: each key a variable.
    EnvMap,
    /// `env:` / `environment:` as a list: `- name: X` items or `X=value` strings.
    EnvList,
    /// A dependency group as a map (`"dependencies": {…}`, `[tool.poetry.dependencies]`).
    DepMap,
    /// A dependency group as a list of requirement strings (`[project] dependencies`).
    DepList,
}

const NPM_GROUPS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// What the value of the entry at `path` (written as a key path) holds in `manifest`.
fn context_of(manifest: Manifest, path: &str, last: &str, value: Option<Shape>) -> Context {
    match manifest {
        Manifest::PackageJson if NPM_GROUPS.contains(&path) => return Context::DepMap,
        Manifest::Pyproject => {
            let parts: Vec<&str> = path.split('.').collect();
            match parts.as_slice() {
                ["project", "dependencies"]
                | ["project", "optional-dependencies", _]
                | ["dependency-groups", _] => return Context::DepList,
                ["tool", "poetry", "dependencies" | "dev-dependencies"]
                | ["tool", "poetry", "group", _, "dependencies"] => return Context::DepMap,
                _ => {}
            }
        }
        _ => {}
    }
    match (last, value) {
        ("env" | "environment" | "variables", Some(Shape::Map)) => Context::EnvMap,
        ("env" | "environment", Some(Shape::Seq)) => Context::EnvList,
        _ => Context::Settings,
    }
}

/// How many levels of keys and list items a name may have. A key path holds its whole path, so a
/// document nested thousands deep would cost the square of its depth in names; no configuration
/// nests this deep, and nothing below it is named.
const MAX_DEPTH: usize = 64;

/// The fields that identify an item of a list, in order of preference.
const ITEM_IDS: &[&str] = &["name", "id", "key"];

struct Walk<'a> {
    items: &'a [Item],
    source: &'a [u8],
    manifest: Manifest,
    found: Vec<Found>,
}

impl<'a> Walk<'a> {
    fn item(&self, index: usize) -> Option<&'a Item> {
        self.items.get(index)
    }

    fn value_of(&self, entry: &Item) -> Option<&'a Item> {
        entry.children.first().and_then(|&index| self.item(index))
    }

    fn push(&mut self, name: String, role: Role, span: Span, key_path: String) {
        // A key written across lines (a raw line break in a JSON string, which only error
        // recovery reads as a key) names nothing: a finding shows its name on one line.
        if key_path.contains(['\n', '\r']) {
            return;
        }
        self.found.push(Found {
            name,
            role,
            start: span.start,
            end: span.end,
            line: span.line,
            key_path: Some(key_path),
        });
    }

    /// The identifying field of a list item that is a map: its key and value.
    fn identity(&self, map: &Item) -> Option<(usize, String, Span)> {
        ITEM_IDS.iter().find_map(|id| {
            map.children.iter().copied().find_map(|index| {
                let entry = self.item(index)?;
                if entry.key.len() != 1 || entry.key[0] != *id {
                    return None;
                }
                let value = self.value_of(entry)?;
                (value.shape == Shape::Scalar && !value.text.is_empty())
                    .then(|| (index, format!("{id}={}", value.text), value.span))
            })
        })
    }

    /// A requirement string of a list (`"Legacy_SDK[async] >= 1"`): its package, where written.
    fn requirement(&self, scalar: &Item) -> Option<(String, String, Span)> {
        let raw = self.source.get(scalar.span.start..scalar.span.end)?;
        let quote = raw
            .iter()
            .take_while(|byte| matches!(byte, b'"' | b'\''))
            .count();
        let text = &raw[quote..];
        let indent = text.len() - text.trim_ascii_start().len();
        let length = distribution_name(&text[indent..])?;
        let start = scalar.span.start + quote + indent;
        let written = &text[indent..indent + length];
        Some((
            normalise_distribution(written),
            String::from_utf8_lossy(written).into_owned(),
            Span {
                start,
                end: start + length,
                line: scalar.span.line,
            },
        ))
    }

    fn run(mut self) -> Vec<Found> {
        // Work list: an item, the key path of what holds it, and how to read it.
        let mut work: Vec<(usize, String, Context)> = vec![(0, String::new(), Context::Settings)];
        while let Some((index, path, context)) = work.pop() {
            let Some(item) = self.item(index) else {
                continue;
            };
            if depth(&path) >= MAX_DEPTH {
                continue;
            }
            match item.shape {
                Shape::Root | Shape::Map => {
                    for &child in item.children.iter().rev() {
                        work.push((child, path.clone(), context));
                    }
                }
                Shape::Entry => self.entry(item, &path, context, &mut work),
                Shape::Seq => self.list(item, &path, context, &mut work),
                Shape::Scalar => {}
            }
        }
        self.found
    }

    fn entry(
        &mut self,
        entry: &Item,
        path: &str,
        context: Context,
        work: &mut Vec<(usize, String, Context)>,
    ) {
        let mut full = path.to_string();
        for part in &entry.key {
            push_key(&mut full, part);
        }
        let key = entry.key.join(".");
        match context {
            Context::EnvMap => {
                self.push(key, Role::EnvVariable, entry.span, full);
                return;
            }
            Context::DepMap => {
                // Python's packages are matched in normal form; the key path keeps the name as
                // written, which the finding shows.
                let name = match self.manifest {
                    Manifest::Pyproject => {
                        if key == "python" {
                            return;
                        }
                        normalise_distribution(key.as_bytes())
                    }
                    _ => key,
                };
                self.push(name, Role::Dependency, entry.span, full);
                return;
            }
            Context::EnvList | Context::DepList => return,
            Context::Settings => {}
        }
        let value = self.value_of(entry);
        let last = entry.key.last().map_or("", String::as_str);
        let inner = context_of(self.manifest, &full, last, value.map(|v| v.shape));
        // A dotted key (TOML's `a.b = 1`, `[tool.setuptools.packages]`) defines the tables it
        // names on the way, as nested maps would.
        let mut prefix = path.to_string();
        for (index, part) in entry
            .key
            .iter()
            .take(entry.key.len().saturating_sub(1))
            .enumerate()
        {
            push_key(&mut prefix, part);
            let span = entry.part_spans.get(index).copied().unwrap_or(entry.span);
            self.push(prefix.clone(), Role::Setting, span, prefix.clone());
        }
        if !matches!(inner, Context::DepMap | Context::DepList) {
            self.push(full.clone(), Role::Setting, entry.span, full.clone());
        }
        if let Some(&child) = entry.children.first() {
            work.push((child, full, inner));
        }
    }

    fn list(
        &mut self,
        list: &Item,
        path: &str,
        context: Context,
        work: &mut Vec<(usize, String, Context)>,
    ) {
        for &index in list.children.iter().rev() {
            let Some(item) = self.item(index) else {
                continue;
            };
            match (context, item.shape) {
                (Context::EnvList, Shape::Map) => {
                    let name = self
                        .identity(item)
                        .filter(|(_, id, _)| id.starts_with("name="));
                    if let Some((_, id, span)) = name {
                        let variable = id["name=".len()..].to_string();
                        self.push(variable, Role::EnvVariable, span, format!("{path}[{id}]"));
                    }
                }
                (Context::EnvList, Shape::Scalar) => {
                    let raw = self
                        .source
                        .get(item.span.start..item.span.end)
                        .unwrap_or_default();
                    let quote = raw
                        .iter()
                        .take_while(|byte| matches!(byte, b'"' | b'\''))
                        .count();
                    let length = raw[quote..]
                        .iter()
                        .take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'_')
                        .count();
                    if length > 0 && !raw[quote].is_ascii_digit() {
                        let variable =
                            String::from_utf8_lossy(&raw[quote..quote + length]).into_owned();
                        let start = item.span.start + quote;
                        let span = Span {
                            start,
                            end: start + length,
                            line: item.span.line,
                        };
                        let mut key_path = path.to_string();
                        push_key(&mut key_path, &variable);
                        self.push(variable, Role::EnvVariable, span, key_path);
                    }
                }
                (Context::DepList, Shape::Scalar) => {
                    if let Some((name, written, span)) = self.requirement(item) {
                        let key_path = format!("{path}[{written}]");
                        self.push(name, Role::Dependency, span, key_path);
                    }
                }
                (Context::Settings, Shape::Map) => match self.identity(item) {
                    Some((id_entry, id, span)) => {
                        let named = format!("{path}[{id}]");
                        self.push(named.clone(), Role::Setting, span, named.clone());
                        for &child in item.children.iter().rev() {
                            if child != id_entry {
                                work.push((child, named.clone(), Context::Settings));
                            }
                        }
                    }
                    None => work.push((index, format!("{path}[]"), Context::Settings)),
                },
                (Context::Settings, Shape::Seq) => {
                    work.push((index, format!("{path}[]"), Context::Settings));
                }
                _ => {}
            }
        }
    }
}

/// The levels of a key path (keys and list items), counted by its separators: a quoted key's
/// own dots may count too, which only makes the limit stricter.
fn depth(path: &str) -> usize {
    path.bytes()
        .filter(|byte| matches!(byte, b'.' | b'['))
        .count()
}

fn read(tree: &Tree, source: &[u8], classify: Classify, manifest: Manifest) -> Vec<Found> {
    let items = build(tree, source, classify);
    Walk {
        items: &items,
        source,
        manifest,
        found: Vec::new(),
    }
    .run()
}

pub(super) fn json(tree: &Tree, source: &[u8]) -> Vec<Found> {
    read(tree, source, classify_json, Manifest::None)
}

pub(super) fn package_json(tree: &Tree, source: &[u8]) -> Vec<Found> {
    read(tree, source, classify_json, Manifest::PackageJson)
}

pub(super) fn yaml(tree: &Tree, source: &[u8]) -> Vec<Found> {
    read(tree, source, classify_yaml, Manifest::None)
}

pub(super) fn toml(tree: &Tree, source: &[u8]) -> Vec<Found> {
    read(tree, source, classify_toml, Manifest::None)
}

pub(super) fn pyproject(tree: &Tree, source: &[u8]) -> Vec<Found> {
    read(tree, source, classify_toml, Manifest::Pyproject)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_names(text: &str) -> Vec<(String, u32, String)> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_toml_ng::LANGUAGE.into())
            .expect("the TOML grammar loads");
        let tree = parser.parse(text, None).expect("a tree");
        toml(&tree, text.as_bytes())
            .into_iter()
            .map(|found| {
                let written = text[found.start..found.end].to_string();
                (found.name, found.line, written)
            })
            .collect()
    }

    #[test]
    fn a_dotted_keys_tables_are_placed_on_their_own_parts() {
        let names = toml_names("[tool]\nbilling.legacy.url = 1\n");
        for expected in [
            ("tool.billing".to_string(), 1, "billing".to_string()),
            ("tool.billing.legacy".to_string(), 1, "legacy".to_string()),
            ("tool.billing.legacy.url".to_string(), 1, "url".to_string()),
        ] {
            assert!(names.contains(&expected), "{expected:?} in {names:?}");
        }
        // Error recovery reads `flask==3er` and `..30quests==2.3` as one key across two lines
        // (found by the fuzzer): the table `flask` is on the first line, where it is written.
        let names = toml_names("flask==3er\n..30quests==2.3\n");
        let flask = names.iter().find(|(name, _, _)| name == "flask");
        assert_eq!(flask, Some(&("flask".to_string(), 0, "flask".to_string())));
    }

    #[test]
    fn a_key_written_across_lines_names_nothing() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_json::LANGUAGE.into())
            .expect("the JSON grammar loads");
        // A raw line break inside a key (found by the fuzzer): the key and what is under it
        // name nothing, the keys around them still do.
        let text = "{\"billing\": {\"turn {}\ncurrency\": {\"x\": 1}, \"url\": 2}}\n";
        let tree = parser.parse(text, None).expect("a tree");
        let names: Vec<String> = json(&tree, text.as_bytes())
            .into_iter()
            .map(|found| found.name)
            .collect();
        assert!(names.contains(&"billing.url".to_string()), "{names:?}");
        assert!(names.iter().all(|name| !name.contains('\n')), "{names:?}");
    }
}
