//! Never a silent pass: every code file either side changed is counted as analysed, or as not
//! analysed with the reason — a language without a grammar (by language), generated or vendored,
//! binary, over the size limit, over the parse time limit, a Git LFS pointer. Files that are not
//! source code (documents, data, images) are not counted.

use std::collections::BTreeSet;

use git2::{Oid, Tree};

use crate::finding::{BySide, NotAnalysed, NotAnalysedReason, Side};
use crate::git;
use crate::lang::{self, unsupported};
use crate::merge::{GeneratedFiles, LoadedBlobs, SideChanges, Unreadable};
use crate::syntax::ParseCache;

/// How the changed code files of one merge were covered.
pub struct Coverage {
    pub analysed: usize,
    pub not_analysed: Vec<NotAnalysed>,
}

/// The first line of a Git LFS pointer file.
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/";

pub fn of_merge(
    result_tree: &Tree<'_>,
    changes: &BySide<SideChanges>,
    generated: &GeneratedFiles,
    blobs: &LoadedBlobs,
    parses: &ParseCache,
) -> Coverage {
    // Each changed file once, by its path in the result (its base path where it was deleted).
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for side in Side::BOTH {
        for change in &changes.get(side).changes {
            if let Some((path, _)) = change.new.as_ref().or(change.old.as_ref()) {
                paths.insert(path.clone());
            }
        }
    }
    let mut coverage = Coverage {
        analysed: 0,
        not_analysed: Vec::new(),
    };
    for path in paths {
        let reason = match lang::for_path(&path) {
            None => match unsupported::language_of(&path) {
                Some(language) => Some((NotAnalysedReason::NoGrammar, Some(language))),
                // Not source code: nothing a rule could read.
                None => continue,
            },
            Some(language) => {
                let result = git::blob_at(result_tree, &path);
                file_reason(&path, result, language, generated, blobs, parses)
                    .map(|reason| (reason, None))
            }
        };
        match reason {
            Some((reason, language)) => coverage.not_analysed.push(NotAnalysed {
                path,
                reason,
                language: language.map(str::to_string),
            }),
            None => coverage.analysed += 1,
        }
    }
    coverage
}

/// Why a file of a supported language was not analysed, if it was not.
fn file_reason(
    path: &str,
    result: Option<Oid>,
    language: &'static lang::Language,
    generated: &GeneratedFiles,
    blobs: &LoadedBlobs,
    parses: &ParseCache,
) -> Option<NotAnalysedReason> {
    if generated.reason(path).is_some() {
        return Some(NotAnalysedReason::Generated);
    }
    // A file the result deleted has nothing left to read; its removals were looked at.
    let result = result?;
    match blobs.unreadable(result) {
        Some(Unreadable::TooLarge(_)) => return Some(NotAnalysedReason::TooLarge),
        Some(Unreadable::Binary) => return Some(NotAnalysedReason::Binary),
        None => {}
    }
    if blobs.get(result)?.starts_with(LFS_POINTER) {
        return Some(NotAnalysedReason::LfsPointer);
    }
    match parses.parsed(result, language) {
        Some(parsed) if parsed.failed => Some(NotAnalysedReason::ParseTimeLimit),
        _ => None,
    }
}
