//! Each blob of the changed files parsed once per run, in parallel, file by file: a file's base
//! first, then its parents and result incrementally from the base's syntax tree. Later requests
//! (the rules, through the merge context) find the parses in the cache.

use git2::Oid;

use crate::lang::Language;
use crate::merge::{LoadedBlobs, SelectedFiles};
use crate::syntax::ParseCache;

pub fn warm(parses: &ParseCache, files: &SelectedFiles, blobs: &LoadedBlobs) {
    let by_file: Vec<(Oid, &'static Language, Vec<Oid>)> = files
        .changed
        .iter()
        .map(|file| {
            let versions = [
                file.sides.ours.as_ref().map(|v| v.1),
                file.sides.theirs.as_ref().map(|v| v.1),
                Some(file.result.1),
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
