//! CG003 across files: names that one side removed from its whole tree, used in lines the other
//! side added. Candidates come cheaply first (identifier-like words of the added lines against the
//! words of the files the removing side changed); only they are parsed, and only the survivors
//! cost a search of the removing side's unchanged files. Whether an import's module is the
//! repository's own is asked of the adding side's tree, read once per merge side into a
//! [`Project`] (its names, and its project files: `tsconfig.json` aliases, workspaces).

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use git2::{Oid, Repository};
use rayon::prelude::*;

use super::imports::{exports, Modules, Verdict};
use super::RULE;
use crate::error::Result;
use crate::finding::{BySide, Finding, Note, Origin, Place, RemovedBy, Side};
use crate::lang::{self, NameKind, Project, ProjectFiles, Role, Space};
use crate::merge::align::{split_lines, Alignment};
use crate::merge::{
    parse_problem_note, unreadable_note, Addition, Checked, LoadedBlobs, MergeContext, SideChanges,
};
use crate::rules::read_of_removed_setting;
use crate::syntax::{self, contains_word, word_iter, words, Occurrence, ParsedFile, WordSet};

/// Whether an occurrence is the adding side defining the name itself (precision rule 5): any
/// definition but an import binding, which is exactly how a removed name gets used.
fn defines_itself(occurrence: &Occurrence) -> bool {
    occurrence.role.is_definition() && !occurrence.role.is_import()
}

/// For each change of a side (in order): the words of its base version that the side's version
/// no longer holds (all of them for a deleted file), where the base is readable source. Together a
/// superset of every name the side removed.
fn removed_words<'t>(changes: &SideChanges, texts: &'t LoadedBlobs) -> Vec<Option<WordSet<'t>>> {
    changes
        .changes
        .par_iter()
        .map(|change| {
            let (base_path, base_oid) = change.old.as_ref()?;
            lang::for_path(base_path)?;
            let base_text = texts.get(*base_oid)?;
            // A name that survives in the side's version only in a comment or string counts as
            // still there: the side did not remove every trace of it. A renamed file took every
            // name away from its old path, which an import may still name.
            let side_text = change
                .new
                .as_ref()
                .filter(|(path, _)| path == base_path)
                .and_then(|(_, oid)| texts.get(*oid))
                .unwrap_or_default();
            Some(syntax::removed_words(base_text, side_text))
        })
        .collect()
}

/// Which lines of the result an addition's side added, and their words.
struct AddedLines {
    /// For each result line the side added: the base lines its hunk replaced, joined.
    lines: Vec<Option<u32>>,
    replaced: Vec<Vec<u8>>,
    words: HashSet<String>,
}

impl AddedLines {
    /// Whether result line `line` is one the side added.
    fn holds(&self, line: u32) -> bool {
        self.lines.get(line as usize).is_some_and(Option::is_some)
    }

    /// Whether result line `line` is new code for `name`: added in a hunk that replaced no line
    /// naming it (a changed line that already used the name is the per-file rules' business).
    fn is_new_use(&self, line: usize, name: &str) -> bool {
        let Some(Some(hunk)) = self.lines.get(line) else {
            return false;
        };
        self.replaced
            .get(*hunk as usize)
            .is_some_and(|replaced| !contains_word(replaced, name))
    }
}

/// The lines of the result that an addition's side added, where those the side added hold a word
/// of `gone` (what the other side took out of its files); `None` where they hold none, before
/// the second line diff: nothing on them can be a use of a removed name.
fn added_lines(addition: &Addition, texts: &LoadedBlobs, gone: &WordSet<'_>) -> Option<AddedLines> {
    let side_text = texts.get(addition.side)?;
    let result_text = texts.get(addition.result.1)?;
    let base_text = addition
        .base
        .and_then(|oid| texts.get(oid))
        .unwrap_or_default();
    let base_lines = split_lines(base_text);
    let side_lines = split_lines(side_text);
    let from_base = Alignment::new(&base_lines, &side_lines);
    let adds_gone_word = side_lines
        .iter()
        .zip(&from_base.hunk_of)
        .filter(|(_, hunk)| hunk.is_some())
        .any(|(line, _)| word_iter(line).any(|word| gone.contains(word)));
    if !adds_gone_word {
        return None;
    }
    let result_lines = split_lines(result_text);
    let to_result = Alignment::new(&side_lines, &result_lines);
    let mut lines = vec![None; result_lines.len()];
    let mut found = HashSet::new();
    let replaced: Vec<Vec<u8>> = from_base
        .hunks
        .iter()
        .map(|range| {
            base_lines[range.start.min(base_lines.len())..range.end.min(base_lines.len())]
                .join(&b'\n')
        })
        .collect();
    for (index, line) in result_lines.iter().enumerate() {
        let Some(side_line) = to_result.unchanged_from(index) else {
            continue;
        };
        if let Some(hunk) = from_base.hunk_of.get(side_line).copied().flatten() {
            lines[index] = Some(hunk);
            for word in words(line) {
                found.insert(String::from_utf8_lossy(word).into_owned());
            }
        }
    }
    Some(AddedLines {
        lines,
        replaced,
        words: found,
    })
}

/// A file the remover changed that took out a word the adder's lines hold: its base, its version
/// on the remover's side (where it has one at the same path), and the shared words.
struct Touched<'t> {
    base_path: &'t String,
    base: (Oid, &'static lang::Language, &'t [u8]),
    side: Option<(Oid, &'static lang::Language, &'t [u8])>,
    shared: Vec<&'t str>,
}

impl Touched<'_> {
    /// Whether the side's version may have `name`, so that only its parse can tell: every shared
    /// word is one the side's text no longer holds, so in a language whose names are written as
    /// they are, its parse has no occurrence of one unless the text may still hold it as a token
    /// (a broken file can split a word: [`syntax::may_hold_token`]). A settings file names keys
    /// by their paths: only its parse tells.
    fn side_may_have(&self, name: &str) -> bool {
        self.side.is_some_and(|(_, language, text)| {
            !language.names_are_verbatim() || syntax::may_hold_token(text, name)
        })
    }

    /// Whether CG003 needs the side's version parsed for any shared word.
    fn side_needed(&self) -> bool {
        self.shared.iter().any(|word| self.side_may_have(word))
    }
}

/// The module a new import names, which the removing side took the name out of (or deleted).
struct FollowedImport {
    module: String,
    deleted: bool,
    /// The import binds the module's default export, not a name of it.
    default: bool,
}

/// A name a side removed from a file it changed.
struct Removed {
    /// The base path of the first file that defined it among those it was removed from.
    path: String,
    /// The base defined it there (not as a parameter or an import binding).
    owned: bool,
    /// A removed definition can be reached as a member (`obj.name`): a method, key or attribute,
    /// or a definition at a module's top level that the module exports (in Python, every one).
    /// A function's local variable cannot: a new `response.headers` is no use of a removed local
    /// `headers` (precision rule 4); nor can JavaScript's unexported `var toString`.
    member_reachable: bool,
    /// Every base path that defined it among the files it was removed from: the modules an
    /// import of it can name.
    modules: Vec<String>,
    /// The removal took code's definition of the name (not only a setting's).
    code: bool,
    /// The removal took an environment variable: its definition in a settings file or a read of
    /// it by name (CG008).
    setting: bool,
    /// The base blobs of the files it was taken out of as a variable, for telling a read that
    /// moved with its code from a new one.
    setting_blobs: Vec<Oid>,
}

impl Removed {
    /// Whether a file (its words and bytes) may import the name from one of the modules it was
    /// removed from, so that following the import can decide: the module's stem or one of its
    /// folders is among its words (`./utils`, `pkg.old`, `@app/config`, `@acme/ui` for
    /// `packages/ui/src/index.ts`), or, for a package's `__init__.py` or `index` file, it imports
    /// relatively (`from . import x`). A cheap test before a parse, erring towards parsing.
    fn may_be_imported_by(&self, file_words: &WordSet<'_>, text: &[u8]) -> bool {
        self.modules.iter().any(|module| {
            let mut parts = module.split('/').rev();
            let file = parts.next().unwrap_or(module);
            let stem = file.split('.').next().unwrap_or(file);
            let relative_package = matches!(stem, "__init__" | "index")
                && (memchr::memmem::find(text, b"from .").is_some()
                    || memchr::memmem::find(text, b"'.'").is_some()
                    || memchr::memmem::find(text, b"\".\"").is_some());
            relative_package
                || std::iter::once(stem)
                    .chain(parts)
                    .any(|part| file_words.contains(part.as_bytes()))
        })
    }
}

/// The CG003 findings of one merge across files.
pub(super) fn find(repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
    let texts = &merge.blobs;
    let additions = &merge.files.additions;
    let sides = &merge.changes;
    let mass_deletion = &merge.mass_deletion;
    // The words each side took out of the files it changed hold every name CG003 can report; an
    // addition whose text holds none of the other side's is not aligned at all (two line diffs per
    // file were a fifth of an audit, for merges that removed nothing).
    let gone_by_change = BySide::from_fn(|side| removed_words(sides.get(side), texts));
    let gone: BySide<WordSet<'_>> = gone_by_change.as_ref().map(|_, by_change| {
        by_change
            .iter()
            .flatten()
            .flat_map(|words| words.iter().copied())
            .collect()
    });
    let added: Vec<Option<AddedLines>> = additions
        .par_iter()
        .map(|addition| {
            let remover = addition.adder.other();
            let gone = gone.get(remover);
            if gone.is_empty() || *mass_deletion.get(remover) {
                return None;
            }
            let side_text = texts.get(addition.side)?;
            if !word_iter(side_text).any(|word| gone.contains(word)) {
                return None;
            }
            added_lines(addition, texts, gone)
        })
        .collect();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for addition in additions {
        let (path, oid) = &addition.result;
        if texts.get(*oid).is_none() {
            notes.push(unreadable_note(
                path,
                texts.unreadable(*oid),
                merge.max_file_size,
            ));
        }
    }
    // What each side's tree says about the repository's own modules, read on first need.
    let projects: BySide<OnceCell<Project>> = BySide::from_fn(|_| OnceCell::new());
    let project_of = |side: Side| {
        projects
            .get(side)
            .get_or_init(|| Project::read(&TreeFiles::new(repo, merge.tree(side))))
    };

    for remover in Side::BOTH {
        if *mass_deletion.get(remover) {
            continue;
        }
        let adder = remover.other();
        let adder_words: HashSet<&str> = additions
            .iter()
            .zip(&added)
            .filter(|(addition, _)| addition.adder == adder)
            .filter_map(|(_, lines)| lines.as_ref())
            .flat_map(|lines| lines.words.iter().map(String::as_str))
            .collect();
        if adder_words.is_empty() {
            continue;
        }

        // The files the remover changed that took out a word the adder added: words first,
        // parses only for these, made on all threads.
        let mut touched: Vec<Touched<'_>> = sides
            .get(remover)
            .changes
            .iter()
            .zip(gone_by_change.get(remover))
            .filter_map(|(change, gone)| {
                // `gone` is there only for a readable base in a known language.
                let (gone, (base_path, base_oid)) = (gone.as_ref()?, change.old.as_ref()?);
                // What a side deleted from a generated or vendored copy is not a name the
                // repository owned: a vendored jQuery's `head` is no reason to report
                // `document.head`.
                if merge.generated.reason(base_path).is_some() {
                    return None;
                }
                let language = lang::for_path(base_path)?;
                let base_text = texts.get(*base_oid)?;
                let shared: Vec<&str> = adder_words
                    .iter()
                    .copied()
                    .filter(|word| gone.contains(word.as_bytes()))
                    .collect();
                if shared.is_empty() {
                    return None;
                }
                // A side version in a known language that was not read (binary, too large)
                // leaves the file out.
                let side = match change.new.as_ref().filter(|(path, _)| path == base_path) {
                    Some((path, oid)) => match (lang::for_path(path), texts.get(*oid)) {
                        (Some(side_language), Some(text)) => Some((*oid, side_language, text)),
                        (Some(_), None) => return None,
                        (None, _) => None,
                    },
                    None => None,
                };
                Some(Touched {
                    base_path,
                    base: (*base_oid, language, base_text),
                    side,
                    shared,
                })
            })
            .collect();
        // A finding needs a use on a line the adder added: where the adder's files that hold a
        // shared word are less to parse (in bytes not parsed yet) than the remover's files, the
        // adder's files are parsed first, and a shared word is kept only where a name on an
        // added line holds it (a setting path by its keys). English words of comments and
        // docstrings (`the`, `library`) and keywords (`if`, `as`) were most of what sent CG003
        // to parse. Bytes, not files: a merge result of click's `core.py` parsed first to spare
        // two small files' parses was most of some merges' CG003.
        let candidate_words: HashSet<&str> = touched
            .iter()
            .flat_map(|file| file.shared.iter().copied())
            .collect();
        let adder_files: Vec<(&Addition, &AddedLines, &[u8])> = additions
            .iter()
            .zip(&added)
            .filter(|(addition, _)| {
                addition.adder == adder && !lang::only_declares(&addition.result.0)
            })
            .filter_map(|(addition, lines)| {
                let lines = lines.as_ref()?;
                let shares = lines
                    .words
                    .iter()
                    .any(|word| candidate_words.contains(word.as_str()));
                Some((addition, lines, texts.get(addition.result.1)?)).filter(|_| shares)
            })
            .collect();
        let unparsed_bytes = |(oid, language, text): (Oid, &'static lang::Language, &[u8])| {
            if merge.is_parsed(oid, language) {
                0
            } else {
                text.len()
            }
        };
        let remover_bytes: usize = touched
            .iter()
            .map(|file| {
                let side = file.side.filter(|_| file.side_needed());
                unparsed_bytes(file.base) + side.map_or(0, unparsed_bytes)
            })
            .sum();
        let adder_bytes: usize = adder_files
            .iter()
            .map(|(addition, _, text)| unparsed_bytes((addition.result.1, addition.language, text)))
            .sum();
        if adder_bytes < remover_bytes {
            let used: HashSet<String> = adder_files
                .par_iter()
                .map(|(addition, lines, text)| {
                    let parsed = merge.parse(addition.result.1, addition.language, text);
                    parsed
                        .occurrences
                        .iter()
                        .filter(|o| lines.holds(o.line))
                        .flat_map(|o| word_iter(o.name.as_bytes()))
                        .map(|word| String::from_utf8_lossy(word).into_owned())
                        .collect::<Vec<String>>()
                })
                .flatten()
                .collect();
            for file in &mut touched {
                file.shared.retain(|word| used.contains(*word));
            }
            touched.retain(|file| !file.shared.is_empty());
        }
        // Each side version parsed from its base's syntax tree, on all threads; then read from
        // the cache.
        let ahead: Vec<(Oid, &'static lang::Language, Vec<Oid>)> = touched
            .iter()
            .map(|file| {
                let (base, language, _) = file.base;
                let side = file
                    .side
                    .filter(|side| side.1.name() == language.name() && file.side_needed());
                (
                    base,
                    language,
                    side.map(|side| side.0).into_iter().collect(),
                )
            })
            .collect();
        merge.warm(&ahead);
        let parse = |(oid, language, text): (Oid, &'static lang::Language, &[u8])| {
            merge.parse(oid, language, text)
        };
        let bases: Vec<Arc<ParsedFile>> = touched.iter().map(|file| parse(file.base)).collect();

        // Names the remover took out of a file it changed, among the words the adder added.
        let mut removed: BTreeMap<String, Removed> = BTreeMap::new();
        for (file, base) in touched.iter().zip(bases) {
            let (base_path, shared) = (file.base_path, &file.shared);
            let (base_oid, language, base_text) = file.base;
            // Whether the side's version still has the name, parsed only where it may (see
            // `Touched::side_may_have`).
            let side_parse = OnceCell::new();
            let side_has = |name: &str| {
                file.side.is_some_and(|side| {
                    file.side_may_have(name)
                        && side_parse.get_or_init(|| parse(side)).contains(name)
                })
            };
            // A setting named by its path (`billing.legacy_url`), which a reader function reads
            // by that path: it is no word, so it is found by its last key among the shared words.
            let paths = base
                .occurrences
                .iter()
                .filter(|o| o.role == Role::Setting && !is_word(&o.name))
                .filter(|o| shared.contains(&lang::settings::last_key(&o.name)))
                .filter(|o| !side_has(&o.name))
                .map(|o| o.name.as_str());
            let mut names: Vec<&str> = shared.clone();
            names.extend(paths);
            names.sort_unstable();
            names.dedup();
            for name in names {
                if !base.contains(name) || side_has(name) {
                    continue;
                }
                // Rule 6: the repository owned the name only where it defined it; an import
                // binding refers to a definition elsewhere, which is what must have gone.
                let definitions = || {
                    base.occurrences_of(name).filter(|o| {
                        o.role.is_definition()
                            && !o.role.is_local()
                            && !o.role.is_import()
                            && o.role.is_code()
                    })
                };
                let code = definitions().next().is_some();
                // An environment variable is the repository's where a file defines it or code
                // reads it by name: its value may live outside (a secret store).
                let setting = base.occurrences_of(name).any(|o| {
                    matches!(
                        o.role,
                        Role::Setting | Role::EnvVariable | Role::EnvRead | Role::SettingRead
                    )
                });
                let owned = code || setting;
                let member_reachable = definitions().any(|o| {
                    o.role.kind() == NameKind::Member
                        || (o.scope.is_none() && exports(language, &base, base_text, o))
                });
                let entry = removed.entry(name.to_string()).or_insert(Removed {
                    path: base_path.clone(),
                    owned: false,
                    member_reachable: false,
                    modules: Vec::new(),
                    code: false,
                    setting: false,
                    setting_blobs: Vec::new(),
                });
                entry.code |= code;
                entry.setting |= setting;
                if setting && !entry.setting_blobs.contains(&base_oid) {
                    entry.setting_blobs.push(base_oid);
                }
                if code && !entry.modules.contains(base_path) {
                    entry.modules.push(base_path.clone());
                }
                // The file that defined it names it best: not a file that only used it.
                if owned && !entry.owned {
                    entry.path = base_path.clone();
                }
                entry.owned |= owned;
                entry.member_reachable |= member_reachable;
            }
        }
        removed.retain(|_, removed| removed.owned);
        if removed.is_empty() {
            continue;
        }
        // Names the remover still has in another file it changed are not gone: a cheap word test
        // and one parse each, before any of the adder's files is parsed. A use through an import
        // that can be followed is judged by its module instead (`imports.rs`).
        let mut gone: HashSet<String> = removed.keys().cloned().collect();
        still_present(repo, merge, remover, &mut gone, false)?;
        // The words that can stand for a gone setting path in a reader call's string.
        let probes: HashSet<&str> = gone
            .iter()
            .filter(|name| !is_word(name))
            .map(|name| lang::settings::last_key(name))
            .collect();
        let modules = Modules::new(repo, merge, remover);

        // Parse only a file whose added lines name something gone from the whole of the
        // remover's changed files, or that may import a removed name from its module. The
        // file's words are gathered only when a name is not gone (read once).
        let worth_in =
            |name: &str, text, file_words: &_| worth(&removed, &gone, name, text, file_words);
        let to_parse = |addition: &Addition, lines: &Option<AddedLines>| -> Option<()> {
            let lines = lines.as_ref().filter(|_| addition.adder == adder)?;
            // A declaration file (`.d.ts`) describes code; nothing in it is a use.
            if lang::only_declares(&addition.result.0) {
                return None;
            }
            let text = texts.get(addition.result.1)?;
            let file_words = OnceCell::new();
            let worth_word =
                |word: &str| worth_in(word, text, &file_words) || probes.contains(word);
            lines
                .words
                .iter()
                .any(|word| worth_word(word))
                .then_some(())
        };
        // The files to parse, parsed on all threads first.
        let parsing: Vec<bool> = additions
            .par_iter()
            .zip(&added)
            .map(|(addition, lines)| {
                let text = texts.get(addition.result.1);
                match (to_parse(addition, lines), text) {
                    (Some(()), Some(text)) => {
                        merge.parse(addition.result.1, addition.language, text);
                        true
                    }
                    _ => false,
                }
            })
            .collect();
        // Uses in the adder's lines; names the adder defines itself are its own (rule 5).
        // By name and space: `const { API_URL } = process.env` defines a variable `API_URL` and
        // reads the environment variable, which the adder does not define.
        let mut defined_by_adder: HashSet<(String, bool)> = HashSet::new();
        let mut candidates: Vec<(usize, Occurrence, Option<FollowedImport>)> = Vec::new();
        for (position, (addition, lines)) in additions.iter().zip(&added).enumerate() {
            let (Some(lines), Some(text), true) = (
                lines.as_ref(),
                texts.get(addition.result.1),
                parsing[position],
            ) else {
                continue;
            };
            let file_words = OnceCell::new();
            let worth = |name: &str| worth_in(name, text, &file_words);
            let parsed = merge.parse(addition.result.1, addition.language, text);
            notes.extend(parse_problem_note(&addition.result.0, &parsed));
            let mut followed: HashMap<&str, Option<Verdict>> = HashMap::new();
            for occurrence in &parsed.occurrences {
                if !lines.holds(occurrence.line) || !worth(&occurrence.name) {
                    continue;
                }
                if defines_itself(occurrence) {
                    defined_by_adder.insert((
                        occurrence.name.clone(),
                        occurrence.role.in_space(Space::Setting),
                    ));
                    continue;
                }
                // A read of an environment variable answers to a removed variable, code to
                // removed code: `os.getenv("API_URL")` is no use of a deleted constant `API_URL`.
                let reads_setting = occurrence.role.in_space(Space::Setting);
                let matches_removal = removed.get(&occurrence.name).is_some_and(|removal| {
                    if reads_setting {
                        removal.setting
                    } else {
                        removal.code && occurrence.role.is_code()
                    }
                });
                if !matches_removal {
                    continue;
                }
                if !lines.is_new_use(occurrence.line as usize, &occurrence.name) {
                    continue;
                }
                if reads_setting {
                    if gone.contains(&occurrence.name) {
                        candidates.push((position, occurrence.clone(), None));
                    }
                    continue;
                }
                // A member (`utils.name`) is followed through its object, a plain name through
                // its import binding (once per name and file).
                let member_verdict;
                let verdict = if occurrence.role.kind() == NameKind::Member {
                    member_verdict = modules.follow_member(
                        &addition.result.0,
                        &parsed,
                        text,
                        occurrence,
                        project_of(adder),
                    );
                    &member_verdict
                } else {
                    followed.entry(occurrence.name.as_str()).or_insert_with(|| {
                        modules.follow(
                            &addition.result.0,
                            &parsed,
                            text,
                            &occurrence.name,
                            project_of(adder),
                        )
                    })
                };
                match verdict {
                    Some(Verdict::Provided | Verdict::Outside) => continue,
                    Some(Verdict::Removed {
                        module,
                        deleted,
                        default,
                    }) => {
                        let import = FollowedImport {
                            module: module.clone(),
                            deleted: *deleted,
                            default: *default,
                        };
                        candidates.push((position, occurrence.clone(), Some(import)));
                        continue;
                    }
                    None => {}
                }
                if !gone.contains(&occurrence.name) {
                    continue;
                }
                let external = parsed
                    .occurrences_of(&occurrence.name)
                    .filter(|o| o.role.is_import())
                    .filter_map(|o| o.import_source.as_deref())
                    .any(|source| {
                        (addition.language.profile.is_external_module)(source, project_of(adder))
                    });
                // A plain name or a type bound by the import; a member (`obj.name`) is not.
                let imported_here = occurrence.role.kind() != NameKind::Member && external;
                let unreachable_member = occurrence.role.kind() == NameKind::Member
                    && !removed
                        .get(&occurrence.name)
                        .is_some_and(|removal| removal.member_reachable);
                if !imported_here && !unreachable_member {
                    candidates.push((position, occurrence.clone(), None));
                }
            }
        }
        notes.extend(modules.take_notes());
        candidates.retain(|(_, occurrence, _)| {
            !defined_by_adder.contains(&(
                occurrence.name.clone(),
                occurrence.role.in_space(Space::Setting),
            ))
        });
        if candidates.is_empty() {
            continue;
        }

        // What no import decided is gone only if no file of the remover's tree has it; for what an
        // import decided, whether the name lives on elsewhere only changes the advice.
        let mut names: HashSet<String> =
            candidates.iter().map(|(_, o, _)| o.name.clone()).collect();
        still_present(repo, merge, remover, &mut names, true)?;

        let mut reported: HashSet<(String, String)> = HashSet::new();
        candidates.sort_by_key(|(position, occurrence, _)| (*position, occurrence.start));
        for (position, occurrence, import) in candidates {
            if import.is_none() && !names.contains(&occurrence.name) {
                continue;
            }
            let addition = &additions[position];
            if !reported.insert((occurrence.name.clone(), addition.result.0.clone())) {
                continue;
            }
            let Some(text) = texts.get(addition.result.1) else {
                continue;
            };
            let Some(removal) = removed.get(&occurrence.name) else {
                continue;
            };
            let adding = merge.names.side(adder);
            let removing = merge.names.side(remover);
            let name = &occurrence.name;
            let reads_setting = matches!(occurrence.role, Role::EnvRead | Role::SettingRead);
            // A read whose lines the removing side took out of one of its files, context and all,
            // moved with its code (a file moved while the other side split the move): no new
            // reader.
            if reads_setting
                && removal.setting_blobs.iter().any(|oid| {
                    texts.get(*oid).is_some_and(|base| {
                        moved_with_context(text, occurrence.line as usize, base)
                    })
                })
            {
                continue;
            }
            let (message, removed_from) = match &import {
                Some(FollowedImport {
                    module,
                    deleted,
                    default,
                }) => {
                    let what = if *default {
                        format!("the default export of {module} as `{name}`")
                    } else {
                        format!("`{name}` from {module}")
                    };
                    let gone = match (*deleted, *default) {
                        (true, _) => format!("deleted {module}"),
                        (false, true) => format!("removed the default export of {module}"),
                        (false, false) => format!("removed `{name}` from {module}"),
                    };
                    (
                        format!(
                            "{adding} imports {what} in {}, but {removing} {gone}",
                            addition.result.0
                        ),
                        module.clone(),
                    )
                }
                None if reads_setting => (
                    format!(
                        "{adding} adds a read of the {} `{name}` in {}, but {removing} removed `{name}` from every settings file and every other read (it was in {})",
                        if occurrence.role == Role::SettingRead {
                            "setting"
                        } else {
                            "environment variable"
                        },
                        addition.result.0,
                        removal.path
                    ),
                    removal.path.clone(),
                ),
                None => (
                    format!(
                        "{adding} adds a use of `{name}` in {}, but {removing} removed `{name}` from every file (it was defined in {})",
                        addition.result.0, removal.path
                    ),
                    removal.path.clone(),
                ),
            };
            let rule = if reads_setting {
                &read_of_removed_setting::RULE
            } else {
                &RULE
            };
            let mut finding = Finding::new(
                rule.id(),
                name,
                Place {
                    path: &addition.result.0,
                    text,
                    start: occurrence.start,
                    end: occurrence.end,
                },
                &merge.merge,
                message,
            );
            finding.scope = occurrence.scope.clone();
            finding.origin = Some(Origin::from_side(adder, true));
            finding.removed_by = Some(RemovedBy {
                side: remover,
                branch: None,
                commit: None,
            });
            finding.removed_from = Some(removed_from);
            let moved = import.is_some() && !names.contains(name);
            finding.help = Some(match &import {
                _ if reads_setting => format!(
                    "define `{name}` again on purpose (and where it is deployed), or change the new code so it does not read it"
                ),
                Some(_) if moved => format!(
                    "import `{name}` from where it is defined now, restore it on purpose, or change the new code so it does not need it"
                ),
                _ => format!(
                    "restore `{name}` on purpose, or change the new code so it does not need it"
                ),
            });
            findings.push(finding);
        }
    }
    for side in Side::BOTH {
        let Some(project) = projects.get(side).get() else {
            continue;
        };
        notes.extend(project.problems.iter().map(|problem| Note {
            path: Some(problem.path.clone()),
            message: format!(
                "{} (read from {}'s tree)",
                problem.why,
                merge.names.side(side)
            ),
        }));
    }
    Ok(Checked { findings, notes })
}

/// Whether a use of `name` in a file (its `text`) can be a finding: the remover took the name out
/// of its whole tree, or the file may import it from a module it was removed from.
fn worth<'t>(
    removed: &BTreeMap<String, Removed>,
    gone: &HashSet<String>,
    name: &str,
    text: &'t [u8],
    file_words: &OnceCell<WordSet<'t>>,
) -> bool {
    removed.get(name).is_some_and(|removal| {
        gone.contains(name)
            || removal.may_be_imported_by(file_words.get_or_init(|| words(text)), text)
    })
}

/// Whether a name is one identifier-like word (not a setting's path).
fn is_word(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
}

/// What a text holding `name` must hold as a word: the name, or a setting path's last key.
fn probe(name: &str) -> &str {
    if is_word(name) {
        name
    } else {
        lang::settings::last_key(name)
    }
}

/// Whether line `line` of `text` and the lines around it (three non-blank lines, white space at
/// their ends set aside) stand together in `base`: code that moved, not code written afresh.
fn moved_with_context(text: &[u8], line: usize, base: &[u8]) -> bool {
    let trimmed = |lines: Vec<&[u8]>| -> Vec<Vec<u8>> {
        lines
            .into_iter()
            .map(|line| line.trim_ascii().to_vec())
            .collect()
    };
    let lines = trimmed(text.split(|&byte| byte == b'\n').collect());
    let base_lines = trimmed(base.split(|&byte| byte == b'\n').collect());
    let Some(own) = lines.get(line) else {
        return false;
    };
    let before = lines[..line].iter().rev().find(|l| !l.is_empty());
    let after = lines
        .get(line + 1..)
        .and_then(|rest| rest.iter().find(|l| !l.is_empty()));
    let (Some(before), Some(after)) = (before, after) else {
        return false;
    };
    base_lines.iter().enumerate().any(|(at, base_line)| {
        base_line == own
            && base_lines[..at].iter().rev().find(|l| !l.is_empty()) == Some(before)
            && base_lines[at + 1..].iter().find(|l| !l.is_empty()) == Some(after)
    })
}

/// Removes from `names` every name that the remover's tree still has somewhere (as code, not in
/// a comment or string): in the files it changed, then, with `whole_tree`, in all the others.
fn still_present(
    repo: &Repository,
    merge: &MergeContext<'_>,
    remover: Side,
    names: &mut HashSet<String>,
    whole_tree: bool,
) -> Result<()> {
    let texts = &merge.blobs;
    let changes = merge.changes.get(remover);
    let mut changed_paths = HashSet::new();
    let check = |path: &str, oid: Oid, text: &[u8], names: &mut HashSet<String>| {
        let Some(language) = lang::for_path(path) else {
            return;
        };
        // A generated or vendored copy (a committed dist/ bundle) keeps nothing alive: such files
        // are never read as code (precision rule 2).
        if merge.generated.reason(path).is_some() {
            return;
        }
        // A setting path is written key by key in a settings file: its last key is the word to
        // look for. A code file's names are its own bytes (identifiers, a reader call's string):
        // a path is there whole or not at all.
        let code = matches!(language.engine, lang::Engine::Query { .. });
        let hits: Vec<String> = names
            .iter()
            .filter(|name| {
                if code && !is_word(name) {
                    memchr::memmem::find(text, name.as_bytes()).is_some()
                } else {
                    contains_word(text, probe(name))
                }
            })
            .cloned()
            .collect();
        if hits.is_empty() {
            return;
        }
        let parsed = merge.parse(oid, language, text);
        for name in hits {
            if parsed.contains(&name) {
                names.remove(&name);
            }
        }
    };
    for change in &changes.changes {
        if let Some((path, oid)) = &change.new {
            changed_paths.insert(path.clone());
            if let Some(text) = texts.get(*oid) {
                check(path, *oid, text, names);
            }
        }
        if let Some((path, _)) = &change.old {
            changed_paths.insert(path.clone());
        }
    }
    if names.is_empty() || !whole_tree {
        return Ok(());
    }
    let tree = repo.find_tree(merge.tree(remover))?;
    let mut unchanged: Vec<(String, Oid)> = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let path = format!("{folder}{}", String::from_utf8_lossy(entry.name_bytes()));
            if lang::for_path(&path).is_some() && !changed_paths.contains(&path) {
                unchanged.push((path, entry.id()));
            }
        }
        git2::TreeWalkResult::Ok
    })?;
    let max = merge.max_file_size;
    for (path, oid) in unchanged {
        if names.is_empty() {
            break;
        }
        let blob = repo.find_blob(oid)?;
        if blob.size() as u64 <= max {
            check(&path, oid, blob.content(), names);
        }
    }
    Ok(())
}

/// A side's tree as the language registry reads project files from it: every entry's path,
/// collected once, and blobs read on request.
struct TreeFiles<'r> {
    repo: &'r Repository,
    tree: Option<git2::Tree<'r>>,
    paths: Vec<String>,
}

impl<'r> TreeFiles<'r> {
    fn new(repo: &'r Repository, tree: Oid) -> TreeFiles<'r> {
        let tree = repo.find_tree(tree).ok();
        let mut paths = Vec::new();
        if let Some(tree) = &tree {
            let _ = tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
                if entry.kind() != Some(git2::ObjectType::Tree) {
                    paths.push(format!(
                        "{folder}{}",
                        String::from_utf8_lossy(entry.name_bytes())
                    ));
                }
                git2::TreeWalkResult::Ok
            });
        }
        TreeFiles { repo, tree, paths }
    }
}

impl ProjectFiles for TreeFiles<'_> {
    fn paths(&self) -> &[String] {
        &self.paths
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let oid = crate::git::blob_at(self.tree.as_ref()?, path)?;
        Some(self.repo.find_blob(oid).ok()?.content().to_vec())
    }
}
