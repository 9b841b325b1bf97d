//! The dry run's warning before a resolution: for each path a merge left conflicted, the names one
//! side removed there that the other side still has, which resolving by keeping that side would
//! bring back.

use git2::{Oid, Repository};

use crate::error::Result;
use crate::finding::{AtRisk, RemovedBy, Side};
use crate::git;
use crate::lang;
use crate::merge::{LoadedBlobs, MergeContext};
use crate::syntax::cache::BlobTexts;
use crate::syntax::ParseCache;

/// The merge's blobs, and the few a conflicted path needs beyond them.
struct MergeAndMore<'a> {
    merge: &'a LoadedBlobs,
    more: &'a LoadedBlobs,
}

impl BlobTexts for MergeAndMore<'_> {
    fn text(&self, oid: Oid) -> Option<&[u8]> {
        self.merge.get(oid).or_else(|| self.more.get(oid))
    }
}

pub fn names(
    repo: &Repository,
    merge: &MergeContext<'_>,
    parses: &ParseCache,
) -> Result<Vec<AtRisk>> {
    let scenario = merge.scenario;
    if scenario.conflicts.is_empty() {
        return Ok(Vec::new());
    }
    let base_tree = repo.find_tree(scenario.base_tree())?;
    let ours_tree = repo.find_tree(scenario.ours_tree)?;
    let theirs_tree = repo.find_tree(scenario.theirs_tree)?;
    // The merge read every version of the files each side changed; a conflicted path's blobs
    // are read again only where it did not.
    let mut more = LoadedBlobs::default();
    let mut paths = Vec::new();
    let mut files = Vec::new();
    for path in &scenario.conflicts {
        let Some(language) = lang::for_path(path) else {
            continue;
        };
        let Some(base) = git::blob_at(&base_tree, path) else {
            continue;
        };
        let versions = [
            (Side::Ours, git::blob_at(&ours_tree, path)),
            (Side::Theirs, git::blob_at(&theirs_tree, path)),
        ];
        for oid in std::iter::once(base).chain(versions.iter().filter_map(|v| v.1)) {
            if merge.blobs.get(oid).is_none() {
                more.load(repo, oid, merge.max_file_size)?;
            }
        }
        files.push((
            base,
            language,
            versions.iter().filter_map(|v| v.1).collect(),
        ));
        paths.push((path, language, base, versions));
    }
    let blobs = MergeAndMore {
        merge: &merge.blobs,
        more: &more,
    };
    parses.warm_files(&files, &blobs);
    let mut at_risk = Vec::new();
    for (path, language, base, versions) in paths {
        let parsed = |oid: Option<Oid>| {
            oid.and_then(|oid| blobs.text(oid).map(|text| parses.get(oid, language, text)))
        };
        let Some(base_parsed) = parsed(Some(base)) else {
            continue;
        };
        for (remover, removed_oid) in versions {
            let keeper_oid = versions
                .iter()
                .find(|(side, _)| *side != remover)
                .and_then(|(_, oid)| *oid);
            let Some(kept) = parsed(keeper_oid) else {
                continue;
            };
            let removed = parsed(removed_oid);
            let mut names: Vec<&str> = base_parsed
                .names()
                .filter(|name| kept.contains(name))
                // A method or property the file only calls or reads belongs to something else.
                .filter(|name| base_parsed.names_as_its_own(name))
                .filter(|name| match &removed {
                    Some(removed) => !removed.contains(name),
                    // A deleted file: what it defined, not its parameters.
                    None => base_parsed
                        .occurrences_of(name)
                        .any(|o| o.role.is_definition() && !o.role.is_local()),
                })
                .collect();
            names.sort_unstable();
            for name in names {
                at_risk.push(AtRisk {
                    path: path.clone(),
                    identifier: name.to_string(),
                    removed_by: RemovedBy {
                        side: remover,
                        branch: merge.names.branch(remover).map(str::to_string),
                        commit: None,
                    },
                });
            }
        }
    }
    Ok(at_risk)
}
