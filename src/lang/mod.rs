//! The language registry: which file extensions conflictguard reads, with which tree-sitter grammar
//! and which occurrence query. Languages are data: adding one is an entry in [`SPECS`] and a folder
//! `grammars/<name>/` holding its query. Queries are compiled once per run and shared by all threads.

use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use tree_sitter::Query;

use crate::symbols::Role;

/// A language as written in the source tree: its name, extensions, grammar and query text.
pub struct LanguageSpec {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
    grammar: fn() -> tree_sitter::Language,
    query_source: &'static str,
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

/// A language ready to parse: the grammar, the compiled query and the meaning of each capture.
pub struct Language {
    pub spec: &'static LanguageSpec,
    pub grammar: tree_sitter::Language,
    pub query: Query,
    /// Indexed by capture index of `query`.
    pub captures: Vec<CaptureKind>,
}

/// Every language conflictguard understands.
pub static SPECS: &[LanguageSpec] = &[
    LanguageSpec {
        name: "javascript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        query_source: include_str!("../../grammars/javascript/occurrences.scm"),
    },
    LanguageSpec {
        name: "python",
        extensions: &["py", "pyi"],
        grammar: || tree_sitter_python::LANGUAGE.into(),
        query_source: include_str!("../../grammars/python/occurrences.scm"),
    },
];

/// Why a language entry could not be loaded: a defect of this build, found by the registry test.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the query of {language} does not compile: {source}")]
    Query {
        language: &'static str,
        #[source]
        source: tree_sitter::QueryError,
    },
    #[error("the query of {language} uses the unknown capture name @{capture}")]
    UnknownCapture {
        language: &'static str,
        capture: String,
    },
}

impl Language {
    fn load(spec: &'static LanguageSpec) -> Result<Language, LoadError> {
        let grammar = (spec.grammar)();
        let query = Query::new(&grammar, spec.query_source).map_err(|source| LoadError::Query {
            language: spec.name,
            source,
        })?;
        let captures = query
            .capture_names()
            .iter()
            .map(|name| {
                CaptureKind::from_capture_name(name).ok_or_else(|| LoadError::UnknownCapture {
                    language: spec.name,
                    capture: (*name).to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Language {
            spec,
            grammar,
            query,
            captures,
        })
    }
}

/// All languages, loaded once. Entries that fail to load are a build defect; the registry test
/// catches them, and at run time such a language is simply not analysed.
pub fn registry() -> &'static [Result<Language, LoadError>] {
    // Compiling a query costs tens of milliseconds (tree-sitter analyses every pattern): the
    // languages compile in parallel.
    LOADED.get_or_init(|| SPECS.par_iter().map(Language::load).collect())
}

static LOADED: OnceLock<Vec<Result<Language, LoadError>>> = OnceLock::new();

/// Starts compiling the languages on the thread pool, so that the compilation overlaps the git
/// work that comes before the first parse. Whoever needs the registry first waits for it.
pub fn preload() {
    if LOADED.get().is_none() {
        rayon::spawn(|| {
            registry();
        });
    }
}

/// The language of a repository path, by its extension.
pub fn for_path(path: &str) -> Option<&'static Language> {
    let extension = Path::new(path).extension()?.to_str()?;
    registry()
        .iter()
        .filter_map(|entry| entry.as_ref().ok())
        .find(|language| {
            language
                .spec
                .extensions
                .iter()
                .any(|known| known.eq_ignore_ascii_case(extension))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_loads_with_known_captures() {
        for (spec, entry) in SPECS.iter().zip(registry()) {
            let language = entry
                .as_ref()
                .unwrap_or_else(|err| panic!("{}: {err}", spec.name));
            let names = language.query.capture_names();
            assert!(
                names.iter().any(|n| n.starts_with("definition.")),
                "{} captures no definitions",
                spec.name
            );
            assert!(
                names.iter().any(|n| n.starts_with("reference.")),
                "{} captures no references",
                spec.name
            );
        }
    }

    #[test]
    fn extensions_map_to_their_language() {
        assert_eq!(
            for_path("src/a.mjs").map(|l| l.spec.name),
            Some("javascript")
        );
        assert_eq!(for_path("App.JSX").map(|l| l.spec.name), Some("javascript"));
        assert_eq!(for_path("pkg/mod.pyi").map(|l| l.spec.name), Some("python"));
        assert!(for_path("main.rs").is_none());
        assert!(for_path("Makefile").is_none());
    }
}
