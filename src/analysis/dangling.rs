//! CG003 across files: names that one side removed from its whole tree, used in lines the other
//! side added. Candidates come cheaply first (identifier-like words of the added lines against the
//! words of the files the removing side changed); only they are parsed, and only the survivors
//! cost a search of the removing side's unchanged files.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};

use git2::{Oid, Repository, Tree};
use rayon::prelude::*;

use super::align::{split_lines, Alignment};
use super::cache::Texts;
use super::{make_finding, note_parse_problems, Analyzer, Labels, SideChanges};
use crate::error::Result;
use crate::finding::{Finding, Note, Origin, RemovedBy, Side};
use crate::git::scenario::MergeScenario;
use crate::lang::{self, Language};
use crate::rules::use_of_removed_identifier::{self as rule, defines_itself, is_external_import};
use crate::symbols::{contains_word, word_iter, words, NameKind, Occurrence, Role, WordSet};

/// A file one side added to or changed, and its version in the result.
pub struct Addition {
    adder: Side,
    language: &'static Language,
    base: Option<Oid>,
    side: Oid,
    result: (String, Oid),
}

impl Addition {
    pub fn result_path(&self) -> &str {
        &self.result.0
    }
}

fn index(side: Side) -> usize {
    match side {
        Side::Ours => 0,
        Side::Theirs => 1,
    }
}

/// Lists the files worth reading for CG003 and loads their texts: what each side added or changed
/// (with its version in the result), and every version of the files each side changed.
pub(crate) fn plan(
    analyzer: &Analyzer<'_>,
    _scenario: &MergeScenario,
    sides: &[SideChanges; 2],
    result_tree: &Tree<'_>,
    readable: &mut dyn FnMut(&str) -> Option<&'static Language>,
    texts: &mut Texts,
) -> Result<Vec<Addition>> {
    let repo = analyzer.repo();
    let max = analyzer.options().max_file_size;
    let mut additions = Vec::new();
    for adder in [Side::Ours, Side::Theirs] {
        let other = &sides[index(adder.other())];
        for change in &sides[index(adder)].changes {
            let Some((side_path, side_oid)) = change.new.clone() else {
                continue;
            };
            let result_path = match &change.old {
                Some((base_path, base_oid)) if *base_path == side_path => other
                    .version_of(base_path, *base_oid)
                    .map_or(side_path.clone(), |(path, _)| path),
                _ => side_path.clone(),
            };
            let Some(result_oid) = crate::git::blob_at(result_tree, &result_path) else {
                continue;
            };
            let base = change.old.as_ref().map(|(_, oid)| *oid);
            if base == Some(result_oid) {
                continue;
            }
            let Some(language) = readable(&result_path) else {
                continue;
            };
            for oid in [base, Some(side_oid), Some(result_oid)]
                .into_iter()
                .flatten()
            {
                texts.load(repo, oid, max)?;
            }
            additions.push(Addition {
                adder,
                language,
                base,
                side: side_oid,
                result: (result_path, result_oid),
            });
        }
        for change in &sides[index(adder)].changes {
            for (path, oid) in [&change.old, &change.new].into_iter().flatten() {
                if lang::for_path(path).is_some() {
                    texts.load(repo, *oid, max)?;
                }
            }
        }
    }
    Ok(additions)
}

/// For each change of a side (in order): the words of its base version that the side's version
/// no longer holds (all of them for a deleted file), where the base is readable source. Together a
/// superset of every name the side removed.
fn removed_words<'t>(changes: &SideChanges, texts: &'t Texts) -> Vec<Option<WordSet<'t>>> {
    changes
        .changes
        .iter()
        .map(|change| {
            let (base_path, base_oid) = change.old.as_ref()?;
            lang::for_path(base_path)?;
            let base_text = texts.get(*base_oid)?;
            // A name that survives in the side's version only in a comment or string counts as
            // still there: the side did not remove every trace of it.
            let side_words = change
                .new
                .as_ref()
                .and_then(|(_, oid)| texts.get(*oid))
                .map(words)
                .unwrap_or_default();
            Some(
                word_iter(base_text)
                    .filter(|word| !side_words.contains(word))
                    .collect(),
            )
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

fn added_lines(addition: &Addition, texts: &Texts) -> Option<AddedLines> {
    let side_text = texts.get(addition.side)?;
    let result_text = texts.get(addition.result.1)?;
    let base_text = addition
        .base
        .and_then(|oid| texts.get(oid))
        .unwrap_or_default();
    let base_lines = split_lines(base_text);
    let side_lines = split_lines(side_text);
    let result_lines = split_lines(result_text);
    let from_base = Alignment::new(&base_lines, &side_lines);
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

/// A name a side removed from a file it changed.
struct Removed {
    /// The base path of the first file it was removed from.
    path: String,
    /// The base defined it there (not as a parameter or an import binding).
    owned: bool,
}

/// The CG003 findings of one merge.
#[allow(clippy::too_many_arguments)]
pub(crate) fn detect(
    analyzer: &Analyzer<'_>,
    scenario: &MergeScenario,
    sides: &[SideChanges; 2],
    additions: &[Addition],
    texts: &Texts,
    labels: &Labels,
    merge: &str,
    mass_deletion: &[bool; 2],
) -> Result<(Vec<Finding>, Vec<Note>)> {
    let repo = analyzer.repo();
    // The words each side took out of the files it changed hold every name CG003 can report; an
    // addition whose text holds none of the other side's is not aligned at all (two line diffs per
    // file were a fifth of an audit, for merges that removed nothing).
    let gone_by_change =
        [Side::Ours, Side::Theirs].map(|side| removed_words(&sides[index(side)], texts));
    let gone: [WordSet<'_>; 2] = std::array::from_fn(|side| {
        gone_by_change[side]
            .iter()
            .flatten()
            .flat_map(|words| words.iter().copied())
            .collect()
    });
    let added: Vec<Option<AddedLines>> = additions
        .par_iter()
        .map(|addition| {
            let remover = addition.adder.other();
            let gone = &gone[index(remover)];
            if gone.is_empty() || mass_deletion[index(remover)] {
                return None;
            }
            let side_text = texts.get(addition.side)?;
            if !word_iter(side_text).any(|word| gone.contains(word)) {
                return None;
            }
            added_lines(addition, texts)
        })
        .collect();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for addition in additions {
        let (path, oid) = &addition.result;
        if texts.get(*oid).is_none() {
            notes.push(super::unreadable_note(
                path,
                texts.unreadable(*oid),
                analyzer.options().max_file_size,
            ));
        }
    }
    let owned_names: OnceCell<HashSet<String>> = OnceCell::new();
    let is_owned = |first: &str| {
        owned_names
            .get_or_init(|| repository_names(repo, scenario.base_tree()))
            .contains(first)
    };

    for remover in [Side::Ours, Side::Theirs] {
        if mass_deletion[index(remover)] {
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

        // Names the remover took out of a file it changed, among the words the adder added.
        let mut removed: BTreeMap<String, Removed> = BTreeMap::new();
        for (change, gone) in sides[index(remover)]
            .changes
            .iter()
            .zip(&gone_by_change[index(remover)])
        {
            // Words first, parses only where a word the adder added left this file.
            // `gone` is there only for a readable base in a known language.
            let (Some(gone), Some((base_path, base_oid))) = (gone, &change.old) else {
                continue;
            };
            let (Some(language), Some(base_text)) =
                (lang::for_path(base_path), texts.get(*base_oid))
            else {
                continue;
            };
            let shared: Vec<&str> = adder_words
                .iter()
                .copied()
                .filter(|word| gone.contains(word.as_bytes()))
                .collect();
            if shared.is_empty() {
                continue;
            }
            let side = match &change.new {
                Some((path, oid)) => match (lang::for_path(path), texts.get(*oid)) {
                    (Some(side_language), Some(text)) => {
                        Some(analyzer.parse(*oid, side_language, text))
                    }
                    (Some(_), None) => continue,
                    (None, _) => None,
                },
                None => None,
            };
            let base = analyzer.parse(*base_oid, language, base_text);
            for name in shared {
                if !base.contains(name) || side.as_ref().is_some_and(|s| s.contains(name)) {
                    continue;
                }
                // Rule 6: the repository owned the name only where it defined it; an import
                // binding refers to a definition elsewhere, which is what must have gone.
                let owned = base.occurrences_of(name).any(|o| {
                    o.role.is_definition() && !matches!(o.role, Role::Parameter | Role::Import)
                });
                let entry = removed.entry(name.to_string()).or_insert(Removed {
                    path: base_path.clone(),
                    owned: false,
                });
                entry.owned |= owned;
            }
        }
        removed.retain(|_, removed| removed.owned);
        // Names the remover still has in another file it changed are not gone: a cheap word test
        // and one parse each, before any of the adder's files is parsed.
        let mut gone: HashSet<String> = removed.keys().cloned().collect();
        still_present(
            analyzer,
            scenario,
            remover,
            &sides[index(remover)],
            texts,
            &mut gone,
            false,
        )?;
        removed.retain(|name, _| gone.contains(name));
        if removed.is_empty() {
            continue;
        }

        // Uses in the adder's lines; names the adder defines itself are its own (rule 5).
        let mut defined_by_adder: HashSet<String> = HashSet::new();
        let mut candidates: Vec<(usize, Occurrence)> = Vec::new();
        for (position, (addition, lines)) in additions.iter().zip(&added).enumerate() {
            let Some(lines) = lines.as_ref().filter(|_| addition.adder == adder) else {
                continue;
            };
            if !lines.words.iter().any(|word| removed.contains_key(word)) {
                continue;
            }
            let Some(text) = texts.get(addition.result.1) else {
                continue;
            };
            let parsed = analyzer.parse(addition.result.1, addition.language, text);
            note_parse_problems(&addition.result.0, &parsed, &mut notes);
            for occurrence in &parsed.occurrences {
                let added = lines
                    .lines
                    .get(occurrence.line as usize)
                    .is_some_and(Option::is_some);
                if !added || !removed.contains_key(&occurrence.name) {
                    continue;
                }
                if defines_itself(occurrence) {
                    defined_by_adder.insert(occurrence.name.clone());
                    continue;
                }
                if !lines.is_new_use(occurrence.line as usize, &occurrence.name) {
                    continue;
                }
                let external = parsed
                    .occurrences_of(&occurrence.name)
                    .filter(|o| o.role == Role::Import)
                    .filter_map(|o| o.import_source.as_deref())
                    .any(|source| is_external_import(source, &is_owned));
                let imported_here = occurrence.role.kind() == NameKind::Plain && external;
                if !imported_here {
                    candidates.push((position, occurrence.clone()));
                }
            }
        }
        candidates.retain(|(_, occurrence)| !defined_by_adder.contains(&occurrence.name));
        if candidates.is_empty() {
            continue;
        }

        let mut names: HashSet<String> = candidates.iter().map(|(_, o)| o.name.clone()).collect();
        still_present(
            analyzer,
            scenario,
            remover,
            &sides[index(remover)],
            texts,
            &mut names,
            true,
        )?;

        let mut reported: HashSet<(String, String)> = HashSet::new();
        candidates.sort_by_key(|(position, occurrence)| (*position, occurrence.start));
        for (position, occurrence) in candidates {
            if !names.contains(&occurrence.name) {
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
            let mut finding = make_finding(
                &rule::RULE,
                &occurrence.name,
                &addition.result.0,
                text,
                occurrence.start,
                occurrence.end,
                merge,
                format!(
                    "{} adds a use of `{}` in {}, but {} removed `{}` from every file (it was defined in {})",
                    labels.side(adder),
                    occurrence.name,
                    addition.result.0,
                    labels.side(remover),
                    occurrence.name,
                    removal.path
                ),
            );
            finding.scope = occurrence.scope.clone();
            finding.origin = Some(Origin::from_side(adder, true));
            finding.removed_by = Some(RemovedBy {
                side: remover,
                branch: None,
                commit: None,
            });
            finding.removed_from = Some(removal.path.clone());
            finding.help = Some(format!(
                "restore `{}` on purpose, or change the new code so it does not need it",
                occurrence.name
            ));
            findings.push(finding);
        }
    }
    Ok((findings, notes))
}

/// Removes from `names` every name that the remover's tree still has somewhere (as code, not in
/// a comment or string): in the files it changed, then, with `whole_tree`, in all the others.
fn still_present(
    analyzer: &Analyzer<'_>,
    scenario: &MergeScenario,
    remover: Side,
    changes: &SideChanges,
    texts: &Texts,
    names: &mut HashSet<String>,
    whole_tree: bool,
) -> Result<()> {
    let repo = analyzer.repo();
    let mut changed_paths = HashSet::new();
    let check = |path: &str, oid: Oid, text: &[u8], names: &mut HashSet<String>| {
        let Some(language) = lang::for_path(path) else {
            return;
        };
        let hits: Vec<String> = names
            .iter()
            .filter(|name| contains_word(text, name))
            .cloned()
            .collect();
        if hits.is_empty() {
            return;
        }
        let parsed = analyzer.parse(oid, language, text);
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
    let tree = repo.find_tree(match remover {
        Side::Ours => scenario.ours_tree,
        Side::Theirs => scenario.theirs_tree,
    })?;
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
    let max = analyzer.options().max_file_size;
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

/// The file stems and folder names of a tree, to tell the repository's own modules from external
/// ones (`from app import x` is ours when the tree has `app.py` or `app/`).
fn repository_names(repo: &Repository, tree: Oid) -> HashSet<String> {
    let mut names = HashSet::new();
    let Ok(tree) = repo.find_tree(tree) else {
        return names;
    };
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
        let stem = name.split('.').next().unwrap_or(&name).to_string();
        names.insert(stem);
        git2::TreeWalkResult::Ok
    });
    names
}
