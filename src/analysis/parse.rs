//! Each blob of the changed files parsed once per run, in parallel, file by file: a file's base
//! first, then its parents incrementally from the base's syntax tree. A result waits until a rule
//! asks for it (see `rules::resurrection`): in a language whose names are written as they are, a
//! result whose text holds none of the names a side removed cannot bring one back, and most
//! results are never parsed. Their bases' syntax trees are kept for the merge, so that a result a
//! rule does ask for is still parsed incrementally. Later requests find the parses in the cache.

use git2::Oid;

use crate::lang::Language;
use crate::merge::{LoadedBlobs, SelectedFiles};
use crate::syntax::ParseCache;

pub fn warm(parses: &ParseCache, files: &SelectedFiles, blobs: &LoadedBlobs) {
    parses.keep_trees(
        files
            .changed
            .iter()
            .filter(|file| file.result_can_wait())
            .map(|file| (file.base.1, file.language)),
    );
    let by_file: Vec<(Oid, &'static Language, Vec<Oid>)> = files
        .changed
        .iter()
        .map(|file| {
            let result = (!file.result_can_wait()).then_some(file.result.1);
            let versions = [
                file.sides.ours.as_ref().map(|v| v.1),
                file.sides.theirs.as_ref().map(|v| v.1),
                result,
            ]
            .into_iter()
            .chain(file.other_bases.iter().copied())
            .flatten()
            .collect();
            (file.base.1, file.language, versions)
        })
        .collect();
    parses.warm_files(&by_file, blobs);
}
