//! The language registry. Everything language-specific lives in one profile per grammar
//! ([`LanguageProfile`]: grammar, extensions, occurrence query, how an import names a package from
//! outside the repository and which project files say otherwise, comment markers, generated-file
//! patterns, declaration-only files, and the examples its query is tested on), registered by one
//! line in [`PROFILES`]. The registry also owns the vocabulary the queries are written in: capture
//! names ([`CaptureKind`]) and roles ([`Role`]), and what a tree says about the repository's own
//! modules ([`Project`]). Queries are read once per run ([`Patterns`]) and shared by all threads.
//! `docs/adding-a-language.md` walks the steps.

mod javascript;
mod node;
pub mod pattern;
mod project;
mod python;
mod roles;
pub mod settings;
mod tsx;
mod typescript;
pub mod unsupported;

use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

pub use pattern::{Capture, PatternError, Patterns};
pub use project::{OwnModule, Project, ProjectFiles, ProjectProblem, ProjectReader};
pub use roles::{NameKind, Role, Space};

/// Every language conflictguard understands: one line each.
pub static PROFILES: &[&LanguageProfile] = &[
    &javascript::PROFILE,
    &python::PROFILE,
    &typescript::PROFILE,
    &tsx::PROFILE,
    &settings::DOTENV,
    &settings::REQUIREMENTS,
    &settings::PACKAGE_JSON,
    &settings::PYPROJECT,
    &settings::JSON,
    &settings::YAML,
    &settings::TOML,
];

/// A language as written in the source tree.
pub struct LanguageProfile {
    /// The name used in `.conflictguard.toml` (`[languages]`) and in notes.
    pub name: &'static str,
    /// File extensions, without the dot, compared without case.
    pub extensions: &'static [&'static str],
    /// Whether a path is this language's by its name, before any extension is compared
    /// (`.env.production`, `package.json`, `requirements-dev.txt`); `None` to go by extension only.
    pub claims_path: Option<fn(path: &str) -> bool>,
    /// How a file's names are read: a grammar and its occurrence query (code), a grammar and a
    /// walk that names keys by their path (settings), or a line format.
    pub reader: Reader,
    /// Whether an import's module (as written: `lodash`, `./api`, `app.services`) comes from
    /// outside the repository, given what the tree of the importing side says about its own
    /// modules (its file and folder names, the aliases and packages its project files declare).
    pub is_external_module: ExternalModuleTest,
    /// How an import names a file of the repository, and how a module provides names beyond
    /// its own definitions (CG003 follows a new import to its module); profiles of one ecosystem
    /// share one.
    pub modules: &'static ModuleSystem,
    /// The project files that declare module names the repository's own (`tsconfig.json` paths,
    /// workspaces), read once per tree into the [`Project`] that `is_external_module` is given;
    /// profiles of one ecosystem share one reader.
    pub project_reader: Option<&'static ProjectReader>,
    /// A query whose matches are calls with a string first argument (`@reader`: the function as
    /// written, `@key`: the string's text): where the team lists its setting reader functions
    /// (`[settings] readers`), a call of one reads the setting it names. Compiled only then.
    pub reader_query: Option<&'static str>,
    /// What starts a comment, for the inline `conflictguard: allow` marker.
    pub comment_markers: &'static [&'static str],
    /// File name endings of generated files of this language, with why they are skipped.
    pub generated_suffixes: &'static [(&'static str, &'static str)],
    /// File name endings of files that only declare (TypeScript's `.d.ts`): what they declare can
    /// be brought back, but nothing in them is a use of a name (CG003).
    pub declaration_suffixes: &'static [&'static str],
    /// Source snippets and the roles, scopes and import sources the query must find in them;
    /// walked by the registry's test.
    pub examples: &'static [QueryExample],
}

/// How a language's files are read into names.
pub enum Reader {
    /// A tree-sitter grammar and the occurrence query (`grammars/<name>/occurrences.scm`).
    Query {
        grammar: fn() -> tree_sitter::Language,
        query: &'static str,
        /// Where the grammar's statements parse alone as they parse in the whole file, so that a
        /// version of a file is parsed only where it changed ([`Statements`]); `None` to parse
        /// every version whole.
        statements: Option<&'static Statements>,
    },
    /// A tree-sitter grammar and a walk of its tree that names what it finds (settings files,
    /// whose keys are named by their whole path, which no query can build).
    Tree {
        grammar: fn() -> tree_sitter::Language,
        read: settings::TreeReader,
    },
    /// A line format read without a grammar (`.env`, `requirements.txt`).
    Lines { read: settings::LineReader },
}

/// The syntax nodes of a language whose top-level statements parse alone as they parse in the
/// whole file, where they are cut apart at the right places: Python's everywhere (a statement
/// ends at its line's end outside brackets, and the next one starts at column 0 whatever came
/// before), JavaScript's where automatic semicolon insertion cannot join two of them ([`Ends`]).
/// Python's class bodies' statements do the same after their class's header. `syntax::splice`
/// parses a changed version of a file only in the statements its changes touch and takes the rest
/// from the base.
pub struct Statements {
    /// Classes whose body's statements stand alone too, where the language has them.
    pub classes: Option<ClassBodies>,
    /// Braced bodies whose statements stand alone too (after the text before the body, and with
    /// the closing brace and what follows it after them), where the language has them.
    pub braces: Option<Braces>,
    /// The node kind of a comment, which belongs to whatever statement is around it.
    pub comment: &'static str,
    /// What starts a comment that runs to the end of its line (`#`, `//`): a part of a file made
    /// of such lines and blank ones names nothing and ends no statement around it.
    pub line_comment: &'static str,
    /// Where one top-level statement may be cut from the next.
    pub ends: Ends,
}

/// A class whose body's statements parse alone after the class's header (Python's).
pub struct ClassBodies {
    /// The node kind of a class (`class_definition`).
    pub class: &'static str,
    /// The field of a class that holds its body (`body`).
    pub body: &'static str,
    /// A node kind that wraps a class (`decorated_definition`), and the field that holds it.
    pub wrapper: Option<(&'static str, &'static str)>,
}

/// The braced body a top-level statement is mostly made of (a class's, a function's, a callback's):
/// `syntax::splice` finds it by going down from the statement to its largest part until it meets
/// one of `bodies`. Its members are cut apart where the statements are ([`Ends::Asi`]); a member
/// of `members` (a method) ends whatever follows it, as a declaration does.
pub struct Braces {
    pub bodies: &'static [&'static str],
    pub members: &'static [&'static str],
}

/// Where a top-level statement ends whatever follows it.
pub enum Ends {
    /// At its line's end (Python): every top-level statement at column 0 starts afresh.
    Line,
    /// Where the grammar's automatic semicolon insertion says (JavaScript, TypeScript): a statement
    /// that ends in `;`, or is one of `declarations` (alone or exported), ends whatever follows
    /// it; another ends at a line break only before a token that cannot continue it, which
    /// `syntax::splice` tells by its first character as the grammars' scanners do. `(`, `[`, a
    /// template, an operator or `in` on the next line continue an expression.
    Asi {
        declarations: &'static [&'static str],
        /// The node kind of an export and the field that holds what it declares.
        export: (&'static str, &'static str),
    },
}

/// Whether a module named in an import comes from outside the repository, given what the
/// importing side's tree says about the repository's own modules.
pub type ExternalModuleTest = fn(module: &str, project: &Project) -> bool;

/// How a family of languages finds the file an import names, and what in a module provides names
/// it does not define itself.
pub struct ModuleSystem {
    /// The files an import of `module` (as written) from the file `importer` may name, in the
    /// order the language's resolver tries them, given what the importing side's tree declares
    /// (`tsconfig.json` path aliases).
    pub resolve: fn(importer: &str, module: &str, project: &Project) -> ModuleFiles,
    /// Whether a module's text provides every name of another module, or lists `name` among its
    /// exports, in a way the occurrence query does not see (`export * from`, `from m import *`,
    /// `__all__`): such a module is taken to provide the name.
    pub provides_beyond_definitions: fn(text: &[u8], name: &str) -> bool,
    /// Whether an import binding of `name` from `module`, preceded in its file by `before`, names
    /// one export of the module (`import { x }`, `from m import x`), rather than binding the
    /// module itself, its default export or an alias (`import x from`, `import a.b`, `as y`):
    /// only the former is judged by whether the module still provides `name`.
    pub binds_an_export: fn(before: &[u8], name: &str, module: &str) -> bool,
    /// Whether an import binding of `module`, preceded in its file by `before`, binds the whole
    /// module, so that `binding.name` reads the module's `name` (`import * as utils`, `const
    /// utils = require('./utils')`, Python's `import pkg.mod` and `import pkg.mod as m`).
    pub binds_the_module: fn(before: &[u8], module: &str) -> bool,
    /// The module an imported name is when it is a submodule (`from pkg import old` → `pkg.old`),
    /// for languages whose packages export their submodules by name; `None` otherwise.
    pub submodule: fn(module: &str, name: &str) -> Option<String>,
    /// Whether an import binding preceded by `before` binds the module's default export
    /// (`import x from './m'`), and whether a module's text provides one; `None` for a language
    /// without default exports.
    pub default_export: Option<DefaultExport>,
    /// Whether every top-level name of a module is an attribute of it, reachable as
    /// `module.name` (Python); otherwise only what the module exports is (JavaScript: a removed
    /// top-level `var toString` is no use of `n.toString()`).
    pub top_level_names_are_attributes: bool,
    /// Files whose existence makes `name` importable from the module at `module_path` (a
    /// package's submodule: `from app import clients` with `app/clients.py`).
    pub submodules: fn(module_path: &str, name: &str) -> Vec<String>,
}

/// How a language binds and provides a module's default export.
pub struct DefaultExport {
    pub binds: fn(before: &[u8]) -> bool,
    pub provided_by: fn(text: &[u8]) -> bool,
}

/// Where an import's module may be in the repository.
#[derive(Debug, PartialEq, Eq)]
pub enum ModuleFiles {
    /// Not followed: a package, or a name only the project's configuration maps (an alias).
    NotFollowed,
    /// A relative path that climbs out of the repository: never the repository's module.
    Outside,
    /// Candidate files, in the order the resolver tries them; the first that exists is the module.
    Candidates(Vec<String>),
}

/// `relative` (`./a/../b`, `..`) taken from `folder` (`src/pages`, or empty for the root): the
/// `/`-separated path it names, or `None` when it climbs above the root.
pub fn join_relative(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Whether `text`, white space at its end set aside, ends with the keyword `word` standing alone
/// (`reimport` does not end with `import`).
pub fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    text.trim_ascii_end()
        .strip_suffix(word)
        .is_some_and(|rest| {
            rest.last()
                .is_none_or(|byte| !(byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'$')))
        })
}

/// The first position at or after `at` in `text` that is not white space (the end, at most).
pub fn skip_space(text: &[u8], at: usize) -> usize {
    let at = at.min(text.len());
    at + text[at..]
        .iter()
        .take_while(|byte| byte.is_ascii_whitespace())
        .count()
}

/// The last byte of `text` that is not white space.
pub fn last_visible_byte(text: &[u8]) -> Option<u8> {
    text.iter()
        .rev()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace())
}

/// The folder of a `/`-separated path (empty for a file at the root).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// A source snippet and what the occurrence query must find in it.
pub struct QueryExample {
    /// A file name with the extension to parse the source as.
    pub path: &'static str,
    pub source: &'static str,
    /// A name and the roles of its occurrences, in order.
    pub roles: &'static [(&'static str, &'static [Role])],
    /// A name, the role of one of its occurrences, and that occurrence's enclosing scope.
    pub scopes: &'static [(&'static str, Role, Option<&'static str>)],
    /// An import binding and the module it comes from.
    pub import_sources: &'static [(&'static str, &'static str)],
}

/// What a capture name in a query stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureKind {
    /// An identifier occurrence with its role.
    Occurrence(Role),
    /// The module text of an import, attached to the bindings of the same match.
    ImportSource,
    /// A named scope (function, class, method) ...
    Scope,
    /// ... and its name, in the same match.
    ScopeName,
    /// A module path in an import (`app.services` of `from app.services import x`): not a name
    /// of this file, so the identifiers under it are not occurrences.
    ModulePath,
    /// A capture only a predicate reads (`@_require` in `(#eq? @_require "require")`).
    Predicate,
}

impl CaptureKind {
    /// Maps a capture name from a `.scm` file to its meaning; `None` for names we do not know.
    pub fn from_capture_name(name: &str) -> Option<CaptureKind> {
        let kind = match name {
            "import.source" => CaptureKind::ImportSource,
            "scope" => CaptureKind::Scope,
            "scope.name" => CaptureKind::ScopeName,
            "module" => CaptureKind::ModulePath,
            name if name.starts_with('_') => CaptureKind::Predicate,
            other => CaptureKind::Occurrence(Role::from_capture_name(other)?),
        };
        Some(kind)
    }
}

/// A language ready to read: its profile and its engine, compiled.
pub struct Language {
    pub profile: &'static LanguageProfile,
    pub engine: Engine,
    /// The reader-call query, compiled on first use (only runs that list reader functions).
    readers: OnceLock<Option<ReaderQuery>>,
}

/// The compiled reader-call query and the indices of its two captures.
pub struct ReaderQuery {
    pub query: Patterns,
    pub reader: u32,
    pub key: u32,
}

/// A [`Reader`], compiled.
pub enum Engine {
    Query {
        grammar: tree_sitter::Language,
        query: Patterns,
        /// Indexed by capture index of `query`.
        captures: Vec<CaptureKind>,
    },
    Tree {
        grammar: tree_sitter::Language,
        read: settings::TreeReader,
    },
    Lines {
        read: settings::LineReader,
    },
}

impl Language {
    pub fn name(&self) -> &'static str {
        self.profile.name
    }

    /// The reader-call query, compiled on first use; `None` for a language without one (or one
    /// that does not compile: a build defect the registry test catches).
    pub fn reader_query(&self) -> Option<&ReaderQuery> {
        self.readers
            .get_or_init(|| {
                let source = self.profile.reader_query?;
                let query = Patterns::new(self.grammar()?, source).ok()?;
                Some(ReaderQuery {
                    reader: query.capture_index_for_name("reader")?,
                    key: query.capture_index_for_name("key")?,
                    query,
                })
            })
            .as_ref()
    }

    /// Whether every name a parse finds is written in the file as it is (the text of a syntax
    /// node: an identifier, a string's content), so that a file whose text does not hold a name
    /// has no occurrence of it. Not so for settings, named by key paths and normalised package
    /// names.
    pub fn names_are_verbatim(&self) -> bool {
        matches!(self.engine, Engine::Query { .. })
    }

    /// The language's statements that parse alone, where it has them ([`Statements`]).
    pub fn statements(&self) -> Option<&'static Statements> {
        match &self.profile.reader {
            Reader::Query { statements, .. } => *statements,
            _ => None,
        }
    }

    /// The tree-sitter grammar, for the languages parsed with one.
    pub fn grammar(&self) -> Option<&tree_sitter::Language> {
        match &self.engine {
            Engine::Query { grammar, .. } | Engine::Tree { grammar, .. } => Some(grammar),
            Engine::Lines { .. } => None,
        }
    }
}

/// Why a language entry could not be loaded: a defect of this build, found by the registry test.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the query of {language} does not compile: {source}")]
    Query {
        language: &'static str,
        #[source]
        source: PatternError,
    },
    #[error("the query of {language} uses the unknown capture name @{capture}")]
    UnknownCapture {
        language: &'static str,
        capture: String,
    },
}

impl Language {
    fn load(profile: &'static LanguageProfile) -> Result<Language, LoadError> {
        let (grammar, query) = match &profile.reader {
            Reader::Query { grammar, query, .. } => (grammar, query),
            Reader::Tree { grammar, read } => {
                return Ok(Language {
                    profile,
                    engine: Engine::Tree {
                        grammar: grammar(),
                        read: *read,
                    },
                    readers: OnceLock::new(),
                })
            }
            Reader::Lines { read } => {
                return Ok(Language {
                    profile,
                    engine: Engine::Lines { read: *read },
                    readers: OnceLock::new(),
                })
            }
        };
        let grammar = grammar();
        let query = Patterns::new(&grammar, query).map_err(|source| LoadError::Query {
            language: profile.name,
            source,
        })?;
        let captures = query
            .capture_names()
            .iter()
            .map(|name| {
                CaptureKind::from_capture_name(name).ok_or_else(|| LoadError::UnknownCapture {
                    language: profile.name,
                    capture: (*name).to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Language {
            profile,
            engine: Engine::Query {
                grammar,
                query,
                captures,
            },
            readers: OnceLock::new(),
        })
    }
}

/// Each profile's language, loaded on first use (reading a query takes well under a millisecond:
/// see [`pattern`]). An entry that fails to load is a build defect; the registry test catches it,
/// and at run time such a language is simply not analysed.
static LOADED: OnceLock<Vec<OnceLock<Result<Language, LoadError>>>> = OnceLock::new();

fn slot(index: usize) -> Option<&'static Result<Language, LoadError>> {
    let slots = LOADED.get_or_init(|| PROFILES.iter().map(|_| OnceLock::new()).collect());
    let profile = PROFILES.get(index)?;
    Some(slots.get(index)?.get_or_init(|| Language::load(profile)))
}

/// Every language, compiled (in parallel).
pub fn registry() -> Vec<&'static Result<Language, LoadError>> {
    (0..PROFILES.len())
        .into_par_iter()
        .filter_map(slot)
        .collect()
}

/// The profile of a repository path, by its name or extension, without compiling anything.
pub fn profile_for_path(path: &str) -> Option<&'static LanguageProfile> {
    if let Some(profile) = PROFILES
        .iter()
        .copied()
        .find(|profile| profile.claims_path.is_some_and(|claims| claims(path)))
    {
        return Some(profile);
    }
    // A file the settings profiles refuse by name (a lock file) is no language's.
    if settings::never_read(path) {
        return None;
    }
    let extension = Path::new(path).extension()?.to_str()?;
    PROFILES.iter().copied().find(|profile| {
        profile
            .extensions
            .iter()
            .any(|known| known.eq_ignore_ascii_case(extension))
    })
}

/// The language of a repository path, by its extension, compiled on first use.
pub fn for_path(path: &str) -> Option<&'static Language> {
    let profile = profile_for_path(path)?;
    let index = PROFILES.iter().position(|p| std::ptr::eq(*p, profile))?;
    slot(index)?.as_ref().ok()
}

/// Why a path is a generated file of some language (`*.min.js`), whichever language reads it.
pub fn generated_reason(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    PROFILES
        .iter()
        .flat_map(|profile| profile.generated_suffixes)
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map(|(_, why)| *why)
}

/// Whether `path` is a file that only declares (`types/legacy.d.ts`), whichever language reads it.
pub fn only_declares(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    PROFILES
        .iter()
        .flat_map(|profile| profile.declaration_suffixes)
        .any(|suffix| lower.ends_with(suffix))
}

/// The module-name test most languages share: a module is the repository's own when it is
/// relative (starts with one of `relative`) or its first component (up to one of `separators`,
/// a leading `@` of a scoped package set aside) is a file or folder name of the tree.
pub fn is_external_by_first_component(
    module: &str,
    relative: &[&str],
    separators: &[char],
    project: &Project,
) -> bool {
    let module = module.trim();
    if relative.iter().any(|prefix| module.starts_with(prefix)) {
        return false;
    }
    let first = module
        .split(separators)
        .next()
        .unwrap_or(module)
        .trim_start_matches('@');
    !project.has_name(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(profile: &LanguageProfile) -> &'static Language {
        registry()
            .into_iter()
            .zip(PROFILES)
            .find(|(_, p)| p.name == profile.name)
            .map(|(entry, _)| {
                entry
                    .as_ref()
                    .unwrap_or_else(|err| panic!("{}: {err}", profile.name))
            })
            .unwrap_or_else(|| panic!("{} is not registered", profile.name))
    }

    #[test]
    fn every_language_loads_with_known_captures() {
        for profile in PROFILES {
            let language = loaded(profile);
            if profile.reader_query.is_some() {
                assert!(
                    language.reader_query().is_some(),
                    "{}: the reader query does not compile or lacks @reader / @key",
                    profile.name
                );
            }
            let Engine::Query { query, .. } = &language.engine else {
                continue;
            };
            let names = query.capture_names();
            assert!(
                names.iter().any(|n| n.starts_with("definition.")),
                "{} captures no definitions",
                profile.name
            );
            assert!(
                names.iter().any(|n| n.starts_with("reference.")),
                "{} captures no references",
                profile.name
            );
            assert!(!profile.comment_markers.is_empty(), "{}", profile.name);
            assert!(
                !profile.examples.is_empty(),
                "{} has no query examples",
                profile.name
            );
        }
    }

    #[test]
    fn relative_paths_join_within_the_root() {
        assert_eq!(
            join_relative("src/pages", "../api").as_deref(),
            Some("src/api")
        );
        assert_eq!(join_relative("src", "./a/./b").as_deref(), Some("src/a/b"));
        assert_eq!(join_relative("", "./x").as_deref(), Some("x"));
        assert_eq!(join_relative("src", "../..").as_deref(), None);
        assert_eq!(folder_of("src/a.js"), "src");
        assert_eq!(folder_of("a.js"), "");
    }

    #[test]
    fn names_and_extensions_are_unique() {
        let mut names = std::collections::HashSet::new();
        let mut extensions = std::collections::HashSet::new();
        for profile in PROFILES {
            assert!(names.insert(profile.name), "{} twice", profile.name);
            for extension in profile.extensions {
                assert!(
                    extensions.insert(extension.to_ascii_lowercase()),
                    "extension {extension} claimed twice"
                );
            }
        }
    }

    #[test]
    fn extensions_map_to_their_language() {
        assert_eq!(
            for_path("src/a.mjs").map(Language::name),
            Some("javascript")
        );
        assert_eq!(for_path("App.JSX").map(Language::name), Some("javascript"));
        assert_eq!(for_path("pkg/mod.pyi").map(Language::name), Some("python"));
        // Each TypeScript file with the grammar meant for it: never `.ts` with TSX.
        for path in ["a.ts", "b.mts", "c.cts", "types/legacy.d.ts"] {
            assert_eq!(for_path(path).map(Language::name), Some("typescript"));
        }
        assert_eq!(for_path("App.tsx").map(Language::name), Some("tsx"));
        assert!(only_declares("types/legacy.d.ts") && only_declares("x.d.mts"));
        assert!(!only_declares("src/legacy.ts") && !only_declares("src/legacy.js"));
        assert!(for_path("main.rs").is_none());
        assert!(for_path("Makefile").is_none());
    }
}
