//! Each blob of the changed files parsed once per run, in parallel, file by file: a file's base
//! first, then its parents incrementally from the base's syntax tree, then its result from the same
//! tree — where a rule can find something in it. In a language whose names are written as they
//! are, a result whose text holds none of the names a side removed cannot bring one back, and is
//! not parsed (`rules::result_worth_parsing`, asked while the base's tree is in hand). Later
//! requests (the rules, through the merge context) find the parses in the cache.

use std::sync::Arc;

use git2::Oid;

use crate::lang::Language;
use crate::merge::{LoadedBlobs, SelectedFiles};
use crate::rules::result_worth_parsing;
use crate::syntax::{ParseCache, ParsedFile};

pub fn warm(parses: &ParseCache, files: &SelectedFiles, blobs: &LoadedBlobs) {
    let by_file: Vec<(Oid, &'static Language, Vec<Oid>)> = files
        .changed
        .iter()
        .map(|file| {
            let versions = [
                file.sides.ours.as_ref().map(|v| v.1),
                file.sides.theirs.as_ref().map(|v| v.1),
            ]
            .into_iter()
            .chain(file.other_bases.iter().copied())
            .flatten()
            .collect();
            (file.base.1, file.language, versions)
        })
        .collect();
    let results: Vec<(Oid, &'static Language, Oid)> = files
        .changed
        .iter()
        .map(|file| (file.base.1, file.language, file.result.1))
        .collect();
    let wanted = |result: Oid| {
        let Some(text) = blobs.get(result) else {
            return false;
        };
        let same_result = files.changed.iter().filter(|file| file.result.1 == result);
        let Some(language) = same_result.clone().next().map(|file| file.language) else {
            return false;
        };
        let parsed = |oid: Oid| -> Option<Arc<ParsedFile>> {
            Some(parses.get(oid, language, blobs.get(oid)?))
        };
        result_worth_parsing(same_result, &parsed, text)
    };
    parses.warm_files_then(&by_file, &results, &wanted, blobs);
}
