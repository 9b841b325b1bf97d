//! Blob bytes read for one merge, by id: each blob read once, and what could not be read (too
//! large, binary) kept with the reason, for the notes.

use std::collections::HashMap;
use std::sync::Arc;

use git2::Oid;

use crate::syntax::cache::BlobTexts;

/// Why a blob is not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge(u64),
    Binary,
}

/// How many blobs make a read worth a second thread and repository handle.
const PARALLEL_READ: usize = 256;

/// Blob bytes read for one merge, by id.
#[derive(Default)]
pub struct LoadedBlobs {
    texts: HashMap<Oid, Result<Arc<[u8]>, Unreadable>>,
}

impl LoadedBlobs {
    /// Reads `oid` unless it is already here: over `max_size` bytes or holding a NUL byte in its
    /// first 8,000 bytes (git's own test for binary), it is kept as unreadable.
    pub fn load(
        &mut self,
        repo: &git2::Repository,
        oid: Oid,
        max_size: u64,
    ) -> crate::error::Result<()> {
        if self.texts.contains_key(&oid) {
            return Ok(());
        }
        // One read: a header lookup of a deltified packed object costs as much as the object.
        let blob = repo.find_blob(oid)?;
        let bytes = blob.content();
        let entry = if bytes.len() as u64 > max_size {
            Err(Unreadable::TooLarge(bytes.len() as u64))
        } else if bytes[..bytes.len().min(8000)].contains(&0) {
            Err(Unreadable::Binary)
        } else {
            Ok(Arc::from(bytes))
        };
        self.texts.insert(oid, entry);
        Ok(())
    }

    /// Reads every blob of `oids` that is not here yet, as [`LoadedBlobs::load`] does. In a
    /// partial clone, the ones the clone left out are fetched first, all in one `git fetch`
    /// (see [`crate::git::promisor`]), not one by one as they are read.
    pub fn load_all(
        &mut self,
        repo: &git2::Repository,
        oids: impl IntoIterator<Item = Oid>,
        max_size: u64,
    ) -> crate::error::Result<()> {
        let mut seen = std::collections::HashSet::new();
        let wanted: Vec<Oid> = oids
            .into_iter()
            .filter(|oid| !self.texts.contains_key(oid) && seen.insert(*oid))
            .collect();
        crate::git::promisor::fetch_missing(repo, &wanted)?;
        // Many blobs (a large merge) are read on two threads, the second through its own
        // handle (libgit2's are not shared between threads): inflating them is most of the time.
        // A few are not worth a second handle, nor is a merge a worker of a parallel audit
        // analyses (every thread is busy with merges of its own).
        let spare_thread =
            rayon::current_num_threads() > 1 && rayon::current_thread_index().is_none();
        if wanted.len() < PARALLEL_READ || !spare_thread {
            for oid in wanted {
                self.load(repo, oid, max_size)?;
            }
            return Ok(());
        }
        let (here, there) = wanted.split_at(wanted.len() / 2);
        let location = repo.path().to_path_buf();
        let loaded_there = std::thread::scope(|scope| {
            let other = scope.spawn(move || -> crate::error::Result<LoadedBlobs> {
                let repo = crate::git::reopen(&location)?;
                let mut blobs = LoadedBlobs::default();
                for oid in there {
                    blobs.load(&repo, *oid, max_size)?;
                }
                Ok(blobs)
            });
            for oid in here {
                self.load(repo, *oid, max_size)?;
            }
            // A panic there is one here, as if this thread had read those blobs.
            other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        self.texts.extend(loaded_there.texts);
        Ok(())
    }

    pub fn get(&self, oid: Oid) -> Option<&[u8]> {
        self.texts.get(&oid)?.as_ref().ok().map(|text| &text[..])
    }

    pub fn unreadable(&self, oid: Oid) -> Option<&Unreadable> {
        self.texts.get(&oid)?.as_ref().err()
    }
}

impl BlobTexts for LoadedBlobs {
    fn text(&self, oid: Oid) -> Option<&[u8]> {
        self.get(oid)
    }
}
