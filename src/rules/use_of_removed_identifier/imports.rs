//! CG003 follows an import: a name the adding side's new code imports from one of the
//! repository's own modules is judged by that module alone. The module is found as the language
//! finds it (`./utils` → `src/utils.js`, `pkg.old` → `pkg/old.py`; the profile's
//! [`ModuleSystem`](crate::lang::ModuleSystem)); if the merge's result still provides the name
//! there, the import works whatever other files hold; if the removing side took the name out of
//! that module (or deleted the module), the import fails, even when the name lives on in another
//! module (it moved) or in an unrelated binding elsewhere. Imports the profile does not follow
//! (packages, path aliases) are left to the whole-tree question.

use git2::{Oid, Repository, Tree};

use crate::finding::{Note, Side};
use crate::lang::{self, Language, ModuleFiles, Project, Role};

use crate::merge::{parse_problem_note, MergeContext};
use crate::syntax::{Occurrence, ParsedFile};

/// What following an import found.
pub(super) enum Verdict {
    /// The result's module still provides the name: the import works.
    Provided,
    /// The removing side took the name (or, for a default import, the default export) out of
    /// `module`, or deleted it.
    Removed {
        module: String,
        deleted: bool,
        default: bool,
    },
    /// The import climbs out of the repository: not the repository's module, never a finding.
    Outside,
}

/// The trees an import is followed in: the base's, the removing side's and the result's.
pub(super) struct Modules<'r, 'm> {
    repo: &'r Repository,
    merge: &'m MergeContext<'m>,
    base: Option<Tree<'r>>,
    remover: Option<Tree<'r>>,
    result: Option<Tree<'r>>,
    notes: std::cell::RefCell<Vec<Note>>,
}

impl<'r, 'm> Modules<'r, 'm> {
    pub(super) fn new(
        repo: &'r Repository,
        merge: &'m MergeContext<'m>,
        remover: Side,
    ) -> Modules<'r, 'm> {
        let tree = |oid: Oid| repo.find_tree(oid).ok();
        Modules {
            repo,
            merge,
            base: tree(merge.scenario.base_tree()),
            remover: tree(merge.tree(remover)),
            result: tree(merge.scenario.result_tree),
            notes: std::cell::RefCell::default(),
        }
    }

    /// How the import of `name` in `importer` stands, where `parsed` (the importer's occurrences,
    /// `text` its bytes) binds it by an import of one export of a module the profile follows;
    /// `None` when it does not, or when the module's history says nothing clear about the name.
    pub(super) fn follow(
        &self,
        importer: &str,
        parsed: &ParsedFile,
        text: &[u8],
        name: &str,
        project: &Project,
    ) -> Option<Verdict> {
        let language = lang::for_path(importer)?;
        let modules = language.profile.modules;
        let (binding, module) = parsed.occurrences_of(name).find_map(|occurrence| {
            let module = occurrence.import_source.as_deref()?;
            occurrence.role.is_import().then_some((occurrence, module))
        })?;
        let before = text.get(..binding.start).unwrap_or_default();
        // A named import asks for `name`; a default import for the module's default export.
        let default = if (modules.binds_an_export)(before, name, module) {
            None
        } else {
            let default = modules.default_export.as_ref()?;
            (default.binds)(before).then_some(default.provided_by)?;
            Some(default.provided_by)
        };
        self.judge(importer, module, name, default, project)
    }

    /// How a member use (`utils.name`, `pkg.mod.name`, `require('./m').name`) in `importer`
    /// stands, where its object is a whole module: a namespace import (`import * as utils`), a
    /// required module (`const utils = require('./m')`), or a Python module import (`import
    /// pkg.mod`, `import pkg.mod as m`). `None` for any other object.
    pub(super) fn follow_member(
        &self,
        importer: &str,
        parsed: &ParsedFile,
        text: &[u8],
        member: &Occurrence,
        project: &Project,
    ) -> Option<Verdict> {
        let language = lang::for_path(importer)?;
        let modules = language.profile.modules;
        let before = text.get(..member.start)?.trim_ascii_end();
        let before = before
            .strip_suffix(b"?.")
            .or_else(|| before.strip_suffix(b"."))?
            .trim_ascii_end();
        if let Some(module) = required_module(before) {
            return self.judge(importer, &module, &member.name, None, project);
        }
        let chain = trailing_chain(before)?;
        let first = chain.split('.').next()?;
        let module = parsed.occurrences_of(first).find_map(|binding| {
            let module = binding.import_source.as_deref()?;
            if !binding.role.is_import() {
                return None;
            }
            let before_binding = text.get(..binding.start).unwrap_or_default();
            if (modules.binds_the_module)(before_binding, module) {
                return (chain == first || chain == module.trim()).then(|| module.to_string());
            }
            // `from pkg import old`, then `old.name`: `old` may be the submodule `pkg.old`
            // (judge finds no file for it when it is a plain name of `pkg`).
            let named = (modules.binds_an_export)(before_binding, first, module);
            (named && chain == first)
                .then(|| (modules.submodule)(module, first))
                .flatten()
        })?;
        self.judge(importer, &module, &member.name, None, project)
    }

    /// The verdict on `name` (or, with `default`, the default export) of the module an import
    /// of `module` in `importer` names.
    fn judge(
        &self,
        importer: &str,
        module: &str,
        name: &str,
        default: Option<fn(&[u8]) -> bool>,
        project: &Project,
    ) -> Option<Verdict> {
        let modules = lang::for_path(importer)?.profile.modules;
        let candidates = match (modules.resolve)(importer, module, project) {
            ModuleFiles::NotFollowed => return None,
            ModuleFiles::Outside => return Some(Verdict::Outside),
            ModuleFiles::Candidates(candidates) => candidates,
        };
        // Each tree resolves the import on its own: `pkg/mod.py` replaced by a package
        // `pkg/mod/__init__.py` is the same module, and what the merged code loads is the
        // result's.
        let resolve = |tree: &Option<Tree<'r>>| {
            candidates
                .iter()
                .find_map(|path| Some((path.as_str(), at(tree, path)?)))
        };
        let provides = |path: &str, oid: Oid| {
            let language = lang::for_path(path)?;
            match default {
                Some(provided_by) => self.read(oid).map(|text| provided_by(&text)),
                None => self.provides(path, oid, language, name),
            }
        };
        if let Some((path, oid)) = resolve(&self.result) {
            let submodule = default.is_none()
                && lang::for_path(path).is_some_and(|language| {
                    (language.profile.modules.submodules)(path, name)
                        .iter()
                        .any(|file| at(&self.result, file).is_some())
                });
            if submodule || provides(path, oid)? {
                return Some(Verdict::Provided);
            }
        }
        // The base's module provided the name and the removing side's does not.
        let (base_path, base_oid) = resolve(&self.base)?;
        if !provides(base_path, base_oid)? {
            return None;
        }
        match resolve(&self.remover) {
            None => Some(Verdict::Removed {
                module: base_path.to_string(),
                deleted: true,
                default: default.is_some(),
            }),
            Some((path, oid)) if !provides(path, oid)? => Some(Verdict::Removed {
                module: path.to_string(),
                deleted: false,
                default: default.is_some(),
            }),
            Some(_) => None,
        }
    }

    /// Whether the module blob `oid` (at `path`) provides `name`; `None` when it cannot be read
    /// or its parse was abandoned (nothing is known of it then). A module with a syntax error is
    /// read as far as it parses, with a note.
    fn provides(
        &self,
        path: &str,
        oid: Oid,
        language: &'static Language,
        name: &str,
    ) -> Option<bool> {
        let text = self.read(oid)?;
        let parsed = self.merge.parse(oid, language, &text);
        if let Some(note) = parse_problem_note(path, &parsed) {
            let mut notes = self.notes.borrow_mut();
            if !notes.iter().any(|known| known.path == note.path) {
                notes.push(note);
            }
        }
        if parsed.failed {
            return None;
        }
        Some(provides(&parsed, &text, name, language))
    }

    /// The notes on the modules followed: a module that does not fully parse.
    pub(super) fn take_notes(&self) -> Vec<Note> {
        self.notes.take()
    }

    /// A module's bytes, within the size limit.
    fn read(&self, oid: Oid) -> Option<Vec<u8>> {
        let blob = self.repo.find_blob(oid).ok()?;
        (blob.size() as u64 <= self.merge.max_file_size).then(|| blob.content().to_vec())
    }
}

fn at(tree: &Option<Tree<'_>>, path: &str) -> Option<Oid> {
    crate::git::blob_at(tree.as_ref()?, path)
}

/// `require('./m')` at the end of `before`: the module it names.
fn required_module(before: &[u8]) -> Option<String> {
    let inner = before.strip_suffix(b")")?.trim_ascii_end();
    let quote = *inner.last()?;
    if !matches!(quote, b'\'' | b'"' | b'`') {
        return None;
    }
    let inner = &inner[..inner.len() - 1];
    let open = inner.iter().rposition(|&byte| byte == quote)?;
    let module = &inner[open + 1..];
    let call = inner[..open]
        .trim_ascii_end()
        .strip_suffix(b"(")?
        .trim_ascii_end();
    let name_start = call
        .iter()
        .rposition(|byte| !(byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'$')))
        .map_or(0, |at| at + 1);
    (&call[name_start..] == b"require").then(|| String::from_utf8_lossy(module).into_owned())
}

/// The dotted chain of identifiers at the end of `before` (`pkg.mod` of `x = pkg.mod`), when
/// it is not itself a member of something else (`a().b`, `x[0].b`).
fn trailing_chain(before: &[u8]) -> Option<String> {
    let start = before
        .iter()
        .rposition(|byte| !(byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'$' | b'.')))
        .map_or(0, |at| at + 1);
    let chain = std::str::from_utf8(&before[start..]).ok()?;
    let valid = !chain.is_empty()
        && chain.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        });
    let preceded_by_member = before[..start]
        .trim_ascii_end()
        .last()
        .is_some_and(|&byte| matches!(byte, b')' | b']'));
    (valid && !preceded_by_member).then(|| chain.to_string())
}

/// A module provides a name it defines at its top level, imports (and so passes on), or exports,
/// or one that it passes on in a way the query does not see (`export * from`, `__all__`).
fn provides(parsed: &ParsedFile, text: &[u8], name: &str, language: &Language) -> bool {
    parsed.occurrences_of(name).any(|occurrence| {
        let role = occurrence.role;
        role.is_import()
            || matches!(role, Role::Export | Role::TypeExport)
            || (role.is_definition() && !role.is_local() && occurrence.scope.is_none())
    }) || (language.profile.modules.provides_beyond_definitions)(text, name)
}

/// Whether the module `parsed` (its bytes `text`) makes its top-level `definition` reachable as a
/// member of the module: always where top-level names are attributes (Python); in JavaScript,
/// when the module exports it — `export` on its line or an `export { name }`, or CommonJS
/// `module.exports = { name }`, `exports.name = name`.
pub(super) fn exports(
    language: &Language,
    parsed: &ParsedFile,
    text: &[u8],
    definition: &Occurrence,
) -> bool {
    if language.profile.modules.top_level_names_are_attributes {
        return true;
    }
    let name = definition.name.as_str();
    let line_start = text
        .get(..definition.start)
        .and_then(|before| before.iter().rposition(|&byte| byte == b'\n'))
        .map_or(0, |at| at + 1);
    let line = text.get(line_start..definition.start).unwrap_or_default();
    if line.trim_ascii_start().starts_with(b"export") {
        return true;
    }
    let exported = commonjs_exports(text);
    parsed.occurrences_of(name).any(|occurrence| {
        matches!(occurrence.role, Role::Export | Role::TypeExport)
            || (!occurrence.role.is_definition()
                && exported
                    .iter()
                    .any(|range| range.contains(&occurrence.start)))
    })
}

/// The byte ranges of a CommonJS module's exports: each `module.exports = { … }` object (braces
/// counted), and each line that assigns to `exports.` or `module.exports`.
fn commonjs_exports(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive(|&byte| byte == b'\n') {
        let end = line_start + line.len();
        if memchr::memmem::find(line, b"exports.").is_some()
            || memchr::memmem::find(line, b"module.exports").is_some()
        {
            ranges.push(line_start..end);
        }
        line_start = end;
    }
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text[from..], b"module.exports") {
        let mut at = lang::skip_space(text, from + found + b"module.exports".len());
        if text.get(at) == Some(&b'=') {
            at = lang::skip_space(text, at + 1);
            if text.get(at) == Some(&b'{') {
                let mut depth = 0usize;
                for (offset, &byte) in text[at..].iter().enumerate() {
                    match byte {
                        b'{' => depth += 1,
                        b'}' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                ranges.push(at..at + offset + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        from += found + 1;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_use_names_its_object() {
        assert_eq!(
            required_module(b"x = require('./utils')").as_deref(),
            Some("./utils")
        );
        assert_eq!(required_module(b"x = required('./utils')"), None);
        assert_eq!(required_module(b"f('./utils')"), None);
        assert_eq!(
            trailing_chain(b"return pkg.mod").as_deref(),
            Some("pkg.mod")
        );
        assert_eq!(trailing_chain(b"  utils").as_deref(), Some("utils"));
        assert_eq!(trailing_chain(b"a()."), None);
        assert_eq!(trailing_chain(b"x[0]"), None);
    }

    #[test]
    fn commonjs_exports_cover_the_exported_object_and_assignment_lines() {
        let text = b"function legacy() {}\nmodule.exports = {\n  legacy,\n  kind: { a: 1 },\n};\nexports.x = y;\nvar toString = 1;\n";
        let ranges = commonjs_exports(text);
        let at = |word: &[u8]| memchr::memmem::find(text, word).expect("in the text");
        let inside = |at: usize| ranges.iter().any(|range| range.contains(&at));
        assert!(inside(at(b"  legacy")));
        assert!(inside(at(b"exports.x")));
        assert!(!inside(at(b"toString")));
        assert!(!inside(at(b"function legacy")));
    }
}
