//! Blob contents and parses, each computed once per run. A blob appears in several trees of a merge
//! and in many merges of an audit; it is read once and parsed once, whichever thread gets there
//! first, and a counter proves it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use git2::Oid;
use rayon::prelude::*;

use crate::lang::Language;
use crate::symbols::{self, ParsedFile};

type Slot = Arc<OnceLock<Arc<ParsedFile>>>;

pub struct ParseCache {
    slots: Mutex<HashMap<(Oid, &'static str), Slot>>,
    parses: AtomicUsize,
    /// How long one parse may take.
    time_limit: std::time::Duration,
}

impl Default for ParseCache {
    fn default() -> Self {
        ParseCache::new(symbols::PARSE_TIME_LIMIT)
    }
}

impl ParseCache {
    pub fn new(time_limit: std::time::Duration) -> ParseCache {
        ParseCache {
            slots: Mutex::default(),
            parses: AtomicUsize::new(0),
            time_limit,
        }
    }

    /// The occurrences of blob `oid` (whose bytes are `text`) in `language`, parsing it on first
    /// request only.
    pub fn get(&self, oid: Oid, language: &'static Language, text: &[u8]) -> Arc<ParsedFile> {
        let slot = {
            let mut slots = self
                .slots
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slots.entry((oid, language.spec.name)).or_default().clone()
        };
        slot.get_or_init(|| {
            self.parses.fetch_add(1, Ordering::Relaxed);
            Arc::new(symbols::parse_within(language, text, self.time_limit))
        })
        .clone()
    }

    /// Parses the distinct blobs of `wanted` that `texts` holds, in parallel and largest first, so
    /// that the per-file work that follows finds them ready. Without it, two workers that need the
    /// same blob (a file both sides changed appears in a job for each side) wait for each other.
    pub fn warm(&self, wanted: &[(Oid, &'static Language)], texts: &Texts) {
        let mut seen = HashSet::new();
        let mut distinct: Vec<(Oid, &'static Language, &[u8])> = wanted
            .iter()
            .filter(|(oid, language)| seen.insert((*oid, language.spec.name)))
            .filter_map(|(oid, language)| Some((*oid, *language, texts.get(*oid)?)))
            .collect();
        distinct.sort_by_key(|(_, _, text)| std::cmp::Reverse(text.len()));
        distinct
            .par_iter()
            .with_max_len(1)
            .for_each(|(oid, language, text)| {
                self.get(*oid, language, text);
            });
    }

    /// How many parses this cache has run.
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }
}

/// Why a blob is not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge(u64),
    Binary,
}

/// Blob bytes read for one merge, by id.
#[derive(Default)]
pub struct Texts {
    texts: HashMap<Oid, Result<Arc<[u8]>, Unreadable>>,
}

impl Texts {
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

    pub fn get(&self, oid: Oid) -> Option<&[u8]> {
        self.texts.get(&oid)?.as_ref().ok().map(|text| &text[..])
    }

    pub fn unreadable(&self, oid: Oid) -> Option<&Unreadable> {
        self.texts.get(&oid)?.as_ref().err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_parsed_once_however_many_threads_ask() {
        let cache = ParseCache::default();
        let language = crate::lang::for_path("a.js").expect("javascript");
        let text = b"const a = 1;\n";
        let oid = Oid::hash_object(git2::ObjectType::Blob, text).expect("hash");
        let other = Oid::hash_object(git2::ObjectType::Blob, b"let b;\n").expect("hash");
        (0..64).into_par_iter().for_each(|i| {
            let (oid, text): (Oid, &[u8]) = if i % 2 == 0 {
                (oid, text)
            } else {
                (other, b"let b;\n")
            };
            assert!(!cache.get(oid, language, text).occurrences.is_empty());
        });
        assert_eq!(cache.parses(), 2);
    }
}
