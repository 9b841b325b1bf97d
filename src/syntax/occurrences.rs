//! Query → occurrences: every identifier occurrence of a parsed file with its name, role,
//! enclosing scope and span. Nothing here walks the syntax tree by recursion: the pattern matcher
//! does the walk, and scopes are assigned by a sweep over sorted spans.

use rustc_hash::FxHashMap as HashMap;

use crate::lang::settings::Found;
use crate::lang::{CaptureKind, Engine, Language, Role, Space};

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
    /// For names of settings files: where the name is in the file (`services.web.environment.X`,
    /// `dependencies.lodash`); for a setting, the same as the name.
    pub key_path: Option<Box<str>>,
}

impl Occurrence {
    /// The name as a finding reports it, as written in the file: a setting's own key
    /// (`legacy_url` of `billing.legacy_url`), a package as its manifest writes it (`Legacy_SDK`,
    /// matched as `legacy-sdk`), anything else's name.
    pub fn identifier(&self) -> &str {
        match (self.role, self.key_path.as_deref()) {
            (Role::Setting, _) => crate::lang::settings::last_key(&self.name),
            (Role::Dependency, Some(path)) => crate::lang::settings::last_key(path),
            _ => &self.name,
        }
    }
}

/// The occurrences of one blob.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Sorted by start, end and role.
    pub occurrences: Vec<Occurrence>,
    /// Occurrence indices by name.
    pub(super) by_name: HashMap<String, Vec<usize>>,
    /// The tree had ERROR or MISSING nodes: the file was analysed as far as it parses.
    pub has_syntax_error: bool,
    /// The parser gave up (time limit); the file has no occurrences.
    pub failed: bool,
    /// Where the file's statements start, for a later version parsed only where it changed
    /// (languages whose statements parse alone; see `splice`).
    pub(super) layout: Option<super::splice::Layout>,
}

impl ParsedFile {
    pub fn occurrences_of<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(move |&index| &self.occurrences[index])
    }

    /// A file of `occurrences`, in any order.
    pub(super) fn from_occurrences(
        mut occurrences: Vec<Occurrence>,
        has_syntax_error: bool,
    ) -> ParsedFile {
        // A node can hold two occurrences, one per space (`process.env.X`'s `X` is a member and
        // a read of a variable): by role then, so that their order is the same however the
        // occurrences were gathered (a hash map's order, or a splice's).
        occurrences.sort_by_key(|o| (o.start, o.end, o.role));
        // Held as long as the parse is cached: no room left over from building the list (a
        // spliced parse extends it part by part).
        occurrences.shrink_to_fit();
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
            has_syntax_error,
            failed: false,
            layout: None,
        }
    }

    /// What a settings reader found, with its spans moved past `offset` bytes of byte-order mark.
    pub(super) fn from_found(
        found: Vec<Found>,
        offset: usize,
        has_syntax_error: bool,
    ) -> ParsedFile {
        let occurrences = found
            .into_iter()
            .map(|found| Occurrence {
                name: found.name,
                role: found.role,
                start: found.start + offset,
                end: found.end + offset,
                line: found.line,
                scope: None,
                import_source: None,
                key_path: found.key_path.map(String::into_boxed_str),
            })
            .collect();
        ParsedFile::from_occurrences(occurrences, has_syntax_error)
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

    /// Whether the name is this file's own rather than only a member of something else: it has a
    /// plain occurrence (a variable, function, import, use) or a member definition (a method, key,
    /// attribute). `res.text()` alone does not make `text` a name of the file.
    pub fn names_as_its_own(&self, name: &str) -> bool {
        self.occurrences_of(name)
            .any(|o| o.role.is_definition() || o.role.kind() == crate::lang::NameKind::Plain)
    }
}

/// The occurrences of the language's query in `tree`, the syntax tree of `source` (the file's text
/// after `offset` bytes of byte-order mark).
pub(super) fn occurrences(
    language: &Language,
    tree: &tree_sitter::Tree,
    source: &[u8],
    offset: usize,
    readers: &[String],
) -> ParsedFile {
    let (query, captures) = match &language.engine {
        Engine::Query {
            query, captures, ..
        } => (query, captures),
        Engine::Tree { read, .. } => {
            return ParsedFile::from_found(read(tree, source), offset, tree.root_node().has_error())
        }
        Engine::Lines { read } => return ParsedFile::from_found(read(source), offset, false),
    };
    // By span and space: a capture in the settings space (`process.env.X`'s `X`, a read of the
    // variable) stands beside the code capture of the same node (the member `X`, or the variable
    // that `const { X } = process.env` binds); within a space, the earliest role wins.
    let mut found: HashMap<(usize, usize, bool), Occurrence> = HashMap::default();
    let mut module_paths: Vec<(usize, usize)> = Vec::new();
    let mut scopes: Vec<Scope> = Vec::new();
    query.for_each_match(tree.root_node(), source, |_, found_captures| {
        let mut import_source = None;
        let mut scope_span = None;
        let mut scope_name = None;
        for capture in found_captures {
            let kind = captures.get(capture.index as usize).copied();
            let node = capture.node;
            match kind {
                Some(CaptureKind::ImportSource) => {
                    import_source = Some(node_text(source, &node));
                }
                Some(CaptureKind::Scope) => scope_span = Some((node.start_byte(), node.end_byte())),
                Some(CaptureKind::ScopeName) => {
                    scope_name = Some((node_text(source, &node), node.start_byte() + offset));
                }
                Some(CaptureKind::ModulePath) => {
                    module_paths.push((node.start_byte() + offset, node.end_byte() + offset));
                }
                _ => {}
            }
        }
        if let (Some((start, end)), Some((name, name_start))) = (scope_span, scope_name) {
            scopes.push(Scope {
                start: start + offset,
                end: end + offset,
                name,
                name_start,
            });
        }
        for capture in found_captures {
            let Some(CaptureKind::Occurrence(role)) = captures.get(capture.index as usize).copied()
            else {
                continue;
            };
            let node = capture.node;
            let key = (
                node.start_byte() + offset,
                node.end_byte() + offset,
                role.in_space(Space::Setting),
            );
            // Another pattern captured the node already (same span, same text): keep the more
            // specific role, and an import source from either. Nothing is allocated for it.
            if let Some(existing) = found.get_mut(&key) {
                if role < existing.role {
                    existing.role = role;
                    if import_source.is_some() {
                        existing.import_source = import_source.clone();
                    }
                } else if existing.import_source.is_none() {
                    existing.import_source = import_source.clone();
                }
                continue;
            }
            let name = node_text(source, &node);
            // A name is one token: error recovery can hand a capture a larger node (a Python
            // `as {…}` whose target is a set), which names nothing.
            if name.is_empty() || name.contains(char::is_whitespace) {
                continue;
            }
            found.insert(
                key,
                Occurrence {
                    name,
                    role,
                    start: key.0,
                    end: key.1,
                    line: u32::try_from(node.start_position().row).unwrap_or(u32::MAX),
                    scope: None,
                    import_source: import_source.clone(),
                    key_path: None,
                },
            );
        }
    });

    if !readers.is_empty() {
        reader_calls(language, tree, source, offset, readers, &mut found);
    }
    let mut occurrences: Vec<Occurrence> = found
        .into_values()
        .filter(|o| {
            o.role.is_import()
                || !module_paths
                    .iter()
                    .any(|(start, end)| o.start >= *start && o.end <= *end)
        })
        .collect();
    occurrences.sort_by_key(|o| (o.start, o.end, o.role));
    assign_scopes(&mut occurrences, scopes);
    ParsedFile::from_occurrences(occurrences, tree.root_node().has_error())
}

/// The settings read by the team's reader functions (`config.get("billing.legacy_url")`), added to
/// `found` where no other capture holds the string.
fn reader_calls(
    language: &Language,
    tree: &tree_sitter::Tree,
    source: &[u8],
    offset: usize,
    readers: &[String],
    found: &mut HashMap<(usize, usize, bool), Occurrence>,
) {
    let Some(calls) = language.reader_query() else {
        return;
    };
    calls
        .query
        .for_each_match(tree.root_node(), source, |_, call| {
            let reader = call.iter().find(|c| c.index == calls.reader);
            let key = call.iter().find(|c| c.index == calls.key);
            let (Some(reader), Some(key)) = (reader, key) else {
                return;
            };
            let written: String = node_text(source, &reader.node)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !readers.contains(&written) {
                return;
            }
            let name = node_text(source, &key.node);
            if name.is_empty() || name.contains(char::is_whitespace) {
                return;
            }
            let span = (
                key.node.start_byte() + offset,
                key.node.end_byte() + offset,
                true,
            );
            found.entry(span).or_insert(Occurrence {
                name,
                role: Role::SettingRead,
                start: span.0,
                end: span.1,
                line: u32::try_from(key.node.start_position().row).unwrap_or(u32::MAX),
                scope: None,
                import_source: None,
                key_path: None,
            });
        });
}

fn node_text(source: &[u8], node: &tree_sitter::Node) -> String {
    let bytes = source
        .get(node.start_byte()..node.end_byte())
        .unwrap_or_default();
    String::from_utf8_lossy(bytes).into_owned()
}

/// A named scope: its span, its name, and where its name is written.
struct Scope {
    start: usize,
    end: usize,
    name: String,
    name_start: usize,
}

/// Gives each occurrence the chain of named scopes that encloses it, by a sweep over spans sorted
/// by start (outer scopes first). A scope's own name is not inside itself.
fn assign_scopes(occurrences: &mut [Occurrence], mut scopes: Vec<Scope>) {
    scopes.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    scopes.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    let mut open: Vec<&Scope> = Vec::new();
    let mut next = 0;
    for occurrence in occurrences.iter_mut() {
        while let Some(scope) = scopes.get(next) {
            if scope.start > occurrence.start {
                break;
            }
            while open.last().is_some_and(|top| top.end <= scope.start) {
                open.pop();
            }
            open.push(scope);
            next += 1;
        }
        while open.last().is_some_and(|top| top.end <= occurrence.start) {
            open.pop();
        }
        let names: Vec<&str> = open
            .iter()
            .filter(|scope| !scope_is_named_by(scope, occurrence))
            .map(|scope| scope.name.as_str())
            .collect();
        if !names.is_empty() {
            occurrence.scope = Some(names.join("."));
        }
    }
}

/// How far into a scope a definition of the scope's own name is taken for the scope's name (see
/// [`scope_is_named_by`]): `syntax::splice` keeps this distance when it parses part of a body.
pub(super) const NAMED_NEAR_START: usize = 64;

/// True when the occurrence is the scope's own name (the `f` of `function f() {}`), which belongs
/// to the enclosing scope, not to itself: the name the scope's pattern captured, or a definition
/// of that name near its start (`const f = function f() {}`). A decorated class starts at its
/// decorators, however long: its name is known by where the pattern found it.
fn scope_is_named_by(scope: &Scope, occurrence: &Occurrence) -> bool {
    occurrence.role.is_definition()
        && scope.name == occurrence.name
        && (occurrence.start == scope.name_start
            || (occurrence.start >= scope.start
                && occurrence.start < scope.start + NAMED_NEAR_START.min(scope.end - scope.start)))
}

#[cfg(test)]
mod tests {
    use crate::lang::{for_path, Role, PROFILES};
    use crate::syntax::parse;

    /// Every profile's examples: the roles of each listed name in order, the scope of an
    /// occurrence, and the module of each import binding.
    #[test]
    fn every_language_finds_what_its_examples_say() {
        for profile in PROFILES {
            for example in profile.examples {
                let language = for_path(example.path).unwrap_or_else(|| {
                    panic!("{}: no language for {}", profile.name, example.path)
                });
                assert_eq!(language.name(), profile.name, "{}", example.path);
                let parsed = parse(language, example.source.as_bytes());
                for (name, roles) in example.roles {
                    let found: Vec<Role> = parsed.occurrences_of(name).map(|o| o.role).collect();
                    assert_eq!(&found, roles, "{}: roles of `{name}`", example.path);
                }
                for (name, role, scope) in example.scopes {
                    let occurrence = parsed
                        .occurrences_of(name)
                        .find(|o| o.role == *role)
                        .unwrap_or_else(|| panic!("{}: no {role:?} `{name}`", example.path));
                    assert_eq!(
                        occurrence.scope.as_deref(),
                        *scope,
                        "{}: scope of {role:?} `{name}`",
                        example.path
                    );
                }
                for (name, module) in example.import_sources {
                    let import = parsed
                        .occurrences_of(name)
                        .find(|o| o.role.is_import())
                        .unwrap_or_else(|| panic!("{}: no import of `{name}`", example.path));
                    assert_eq!(
                        import.import_source.as_deref(),
                        Some(*module),
                        "{}: module of `{name}`",
                        example.path
                    );
                }
            }
        }
    }

    /// A decorated class starts at its decorator: with a long one, its own name used to be taken
    /// for a name inside it, and a resurrected class was folded into itself and not reported.
    #[test]
    fn a_decorated_class_is_not_inside_its_own_scope() {
        let source = "@Component({ selector: 'app-legacy-quote', templateUrl: './legacy-quote.html' })\nclass LegacyQuote { render() { return 1; } }\n";
        let parsed = parse(for_path("a.js").expect("js"), source.as_bytes());
        let class = parsed
            .occurrences_of("LegacyQuote")
            .find(|o| o.role == Role::Class)
            .expect("the class");
        assert_eq!(class.scope, None);
        let method = parsed.occurrences_of("render").next().expect("the method");
        assert_eq!(method.scope.as_deref(), Some("LegacyQuote"));
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
        // Settings: a deep document walks by loops, a broken one is read as far as it parses.
        let deep_json = format!("{{\"a\": {}1{}}}\n", "[".repeat(20_000), "]".repeat(20_000));
        let parsed = parse(for_path("c.json").expect("json"), deep_json.as_bytes());
        assert!(parsed.contains("a"));
        let deep_keys = format!("{}1{}\n", "{\"k\": ".repeat(5_000), "}".repeat(5_000));
        let parsed = parse(for_path("d.json").expect("json"), deep_keys.as_bytes());
        assert!(parsed.contains("k.k.k"));
        // Named to a depth that bounds the names' total size (a path holds its whole path).
        assert!(
            parsed.occurrences.len() <= 66,
            "{}",
            parsed.occurrences.len()
        );
        let deep_yaml = format!("a: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(for_path("c.yaml").expect("yaml"), deep_yaml.as_bytes()).contains("a"));
        let deep_toml = format!("a = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(for_path("c.toml").expect("toml"), deep_toml.as_bytes()).contains("a"));
        let broken = parse(
            for_path("c.yaml").expect("yaml"),
            b"billing:\n\tlegacy_url: x\n  currency: EUR\nlogging: {level: info,\n",
        );
        assert!(broken.has_syntax_error);
        assert!(broken.contains("billing"));
        let trailing_comma = parse(
            for_path("c.json").expect("json"),
            b"{\"billing\": {\"legacy_url\": 1,}, \"logging\": 2}\n",
        );
        assert!(
            trailing_comma.contains("billing.legacy_url") && trailing_comma.contains("logging")
        );
        let bom = parse(for_path("a.js").expect("js"), b"\xEF\xBB\xBFconst A = 1;\n");
        assert_eq!(bom.occurrences_of("A").next().map(|o| o.start), Some(9));
    }

    /// Code reads an environment variable by name, in each language: the name is the
    /// variable's, with the read's role (the settings space), and nothing else is.
    #[test]
    fn code_reads_of_environment_variables_are_found() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a.js",
                "const a = process.env.LEGACY_URL;\nconst b = process.env['API_KEY'];\nconst c = import.meta.env.VITE_URL;\nconst d = other.env.NOT_ONE;\nconst { TOKEN, REGION: region } = process.env;\nconst { NOT_READ } = other.env;\n",
                &["LEGACY_URL", "API_KEY", "VITE_URL", "TOKEN", "REGION"],
            ),
            (
                "a.ts",
                "const a: string = process.env.LEGACY_URL ?? '';\nconst c = import.meta.env.VITE_URL;\nconst { VITE_KEY } = import.meta.env;\n",
                &["LEGACY_URL", "VITE_URL", "VITE_KEY"],
            ),
            (
                "a.tsx",
                "export const A = () => <a href={process.env.LEGACY_URL} />;\n",
                &["LEGACY_URL"],
            ),
            (
                "a.py",
                "import os\nfrom os import getenv\na = os.environ['LEGACY_URL']\nb = os.environ.get(\"API_KEY\", '')\nc = os.getenv('TOKEN')\ne = getenv('G')\nf = settings.get('NOT_ONE')\ndef app(environ):\n    return environ.get('HTTP_RANGE'), environ['PATH_INFO']\n",
                &["LEGACY_URL", "API_KEY", "TOKEN", "G"],
            ),
        ];
        for (path, source, expected) in cases {
            let parsed = parse(for_path(path).expect("a language"), source.as_bytes());
            let mut reads: Vec<&str> = parsed
                .occurrences
                .iter()
                .filter(|o| o.role == Role::EnvRead)
                .map(|o| o.name.as_str())
                .collect();
            reads.sort_unstable();
            let mut expected = expected.to_vec();
            expected.sort_unstable();
            assert_eq!(reads, expected, "{path}");
        }
    }

    /// A team's reader functions read a setting by its key path, only when listed, and only as
    /// the function is named.
    #[test]
    fn reader_functions_read_settings_by_key_path() {
        use crate::syntax::parse_reading;
        let readers = vec!["config.get".to_string(), "setting".to_string()];
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a.js",
                "const a = config.get('billing.legacy_url');\nconst b = setting(\"debug\");\nconst c = other.get('not.read');\nconst d = config.get(name);\n",
                &["billing.legacy_url", "debug"],
            ),
            (
                "a.py",
                "a = config.get('billing.legacy_url')\nb = setting(\"debug\")\nc = cfg.get('not.read')\n",
                &["billing.legacy_url", "debug"],
            ),
        ];
        for (path, source, expected) in cases {
            let language = for_path(path).expect("a language");
            let limit = crate::syntax::PARSE_TIME_LIMIT;
            let (parsed, _) = parse_reading(language, source.as_bytes(), None, limit, &readers);
            let mut reads: Vec<&str> = parsed
                .occurrences
                .iter()
                .filter(|o| o.role == Role::SettingRead)
                .map(|o| o.name.as_str())
                .collect();
            reads.sort_unstable();
            assert_eq!(reads, expected.to_vec(), "{path}");
            let (plain, _) = parse_reading(language, source.as_bytes(), None, limit, &[]);
            assert!(
                plain
                    .occurrences
                    .iter()
                    .all(|o| o.role != Role::SettingRead),
                "{path}: no readers listed, none read"
            );
        }
    }
}
