//! Parses, each computed once per run. A blob appears in several trees of a merge and in many
//! merges of an audit; it is parsed once, whichever thread gets there first, and a counter proves
//! it. The versions of a file are parsed incrementally from its base's syntax tree (`warm_files`).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use git2::Oid;
use rayon::prelude::*;

use crate::lang::Language;

/// The bytes of blobs already read, by id: where the cache takes the text of what it parses.
pub trait BlobTexts: Sync {
    fn text(&self, oid: Oid) -> Option<&[u8]>;
}
use super::ParsedFile;

type Slot = Arc<OnceLock<Arc<ParsedFile>>>;

/// One file's parses in [`ParseCache::warm_files_then`]: its base, the versions parsed from the
/// base's tree, and those parsed from it only if wanted once the others are.
struct Task {
    base: Oid,
    language: &'static Language,
    versions: Vec<Oid>,
    later: Vec<Oid>,
}
type Key = (Oid, &'static str);

/// The parses of the merges since the last trim, and of the ones before it: a parse asked for
/// again moves back to the current generation, and a trim lets only the older one go, so that the
/// files a run keeps coming back to stay parsed while memory stays within two budgets.
#[derive(Default)]
struct Generations {
    current: HashMap<Key, Slot>,
    previous: HashMap<Key, Slot>,
}

pub struct ParseCache {
    slots: Mutex<Generations>,
    parses: AtomicUsize,
    /// Source bytes of the current generation's parses: past [`HELD_BYTES`], the previous
    /// generation is let go and the current one becomes it.
    held: AtomicUsize,
    /// [`HELD_BYTES`], but in tests.
    budget: usize,
    /// How long one parse may take.
    time_limit: std::time::Duration,
    /// The team's setting reader functions.
    readers: Vec<String>,
}

/// How many source bytes of parses a generation of the cache holds before the older one is let
/// go: two generations hold what one of 4 MiB did. A parse holds a few times its source in
/// occurrences; a long audit of a large repository kept every parse of every merge (250 merges of
/// jquery: 249 MB). A blob asked for again after the cache let it go is parsed again: a
/// whole-history audit of pallets/click (1,183 merges, 1,274 distinct blobs parsed) made 1,530
/// parses when a trim let every parse go, 1,376 with two generations, at the same peak memory
/// (97 and 100 MB).
const HELD_BYTES: usize = 2 << 20;

impl Default for ParseCache {
    fn default() -> Self {
        ParseCache::new(super::PARSE_TIME_LIMIT)
    }
}

impl ParseCache {
    pub fn new(time_limit: std::time::Duration) -> ParseCache {
        ParseCache {
            slots: Mutex::default(),
            parses: AtomicUsize::new(0),
            held: AtomicUsize::new(0),
            budget: HELD_BYTES,
            time_limit,
            readers: Vec::new(),
        }
    }

    /// With the team's setting reader functions (`[settings] readers`), read in every parse.
    pub fn with_readers(mut self, readers: Vec<String>) -> ParseCache {
        self.readers = readers;
        self
    }

    /// The occurrences of blob `oid` (whose bytes are `text`) in `language`, parsing it on first
    /// request only.
    pub fn get(&self, oid: Oid, language: &'static Language, text: &[u8]) -> Arc<ParsedFile> {
        self.slot(oid, language, text.len())
            .get_or_init(|| {
                self.parses.fetch_add(1, Ordering::Relaxed);
                self.hold(text.len());
                let (parsed, _) =
                    super::parse_reading(language, text, None, self.time_limit, &self.readers);
                Arc::new(parsed)
            })
            .clone()
    }

    /// Counts `bytes` more of source held.
    fn hold(&self, bytes: usize) {
        self.held.fetch_add(bytes, Ordering::Relaxed);
    }

    /// When the current generation holds more than its budget, lets the previous one go and
    /// starts a new one; called between merges, so that the parses of one merge are never dropped
    /// while it is analysed.
    pub fn trim(&self) {
        if self.held.load(Ordering::Relaxed) > self.budget {
            let mut slots = self
                .slots
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slots.previous = std::mem::take(&mut slots.current);
            self.held.store(0, Ordering::Relaxed);
        }
    }

    /// The parse of `oid` in `language` if one was made, without parsing.
    pub fn parsed(&self, oid: Oid, language: &'static Language) -> Option<Arc<ParsedFile>> {
        let slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (oid, language.name());
        slots
            .current
            .get(&key)
            .or_else(|| slots.previous.get(&key))?
            .get()
            .cloned()
    }

    /// The slot of `oid` in `language` (whose source is `bytes` long), made on first request; a
    /// slot of the previous generation moves to the current one.
    fn slot(&self, oid: Oid, language: &'static Language, bytes: usize) -> Slot {
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (oid, language.name());
        if let Some(slot) = slots.current.get(&key) {
            return slot.clone();
        }
        if let Some(slot) = slots.previous.remove(&key) {
            if slot.get().is_some() {
                self.hold(bytes);
            }
            slots.current.insert(key, slot.clone());
            return slot;
        }
        slots.current.entry(key).or_default().clone()
    }

    /// Parses the files of a merge in parallel, file by file: each base once, and the versions of
    /// that file (parents, result) incrementally from the base's syntax tree, which spares most of
    /// a parse where a version changed a few hunks. `files` lists each file's base and versions; a
    /// blob already parsed is not parsed again, and where the base was parsed before (its tree is
    /// not kept), the versions are parsed afresh.
    pub fn warm_files(&self, files: &[(Oid, &'static Language, Vec<Oid>)], texts: &dyn BlobTexts) {
        self.warm_files_then(files, &[], &|_| false, texts);
    }

    /// As [`ParseCache::warm_files`], and then, for each file, the versions `later` lists for
    /// its base that `wanted` asks for once the file's other versions are parsed (it may read
    /// them from the cache), still from the base's syntax tree: a result whose parse depends on
    /// what its parents hold.
    pub fn warm_files_then(
        &self,
        files: &[(Oid, &'static Language, Vec<Oid>)],
        later: &[(Oid, &'static Language, Oid)],
        wanted: &(dyn Fn(Oid) -> bool + Sync),
        texts: &dyn BlobTexts,
    ) {
        // One task per base; each version goes to the first task that lists it.
        let mut claimed = HashSet::new();
        let mut task_of: HashMap<(Oid, &'static str), usize> = HashMap::new();
        let mut tasks: Vec<Task> = Vec::new();
        fn task_index(
            tasks: &mut Vec<Task>,
            task_of: &mut HashMap<(Oid, &'static str), usize>,
            base: Oid,
            language: &'static Language,
        ) -> usize {
            *task_of.entry((base, language.name())).or_insert_with(|| {
                tasks.push(Task {
                    base,
                    language,
                    versions: Vec::new(),
                    later: Vec::new(),
                });
                tasks.len() - 1
            })
        }
        for (base, language, versions) in files {
            let index = task_index(&mut tasks, &mut task_of, *base, language);
            claimed.insert((*base, language.name()));
            tasks[index].versions.extend(
                versions
                    .iter()
                    .filter(|oid| claimed.insert((**oid, language.name()))),
            );
        }
        for (base, language, version) in later {
            let index = task_index(&mut tasks, &mut task_of, *base, language);
            if claimed.insert((*version, language.name())) {
                tasks[index].later.push(*version);
            }
        }
        // Largest first, so that no big file starts last.
        let size = |task: &Task| -> usize {
            std::iter::once(&task.base)
                .chain(&task.versions)
                .filter_map(|oid| texts.text(*oid))
                .map(<[u8]>::len)
                .sum()
        };
        tasks.sort_by_cached_key(|task| std::cmp::Reverse(size(task)));
        tasks.par_iter().with_max_len(1).for_each(|task| {
            self.parse_file(task, wanted, texts);
        });
    }

    fn parse_file(
        &self,
        task: &Task,
        wanted: &(dyn Fn(Oid) -> bool + Sync),
        texts: &dyn BlobTexts,
    ) {
        let (base, language) = (task.base, task.language);
        let base_text = texts.text(base);
        let mut tree = None;
        let mut base_parsed = None;
        if let Some(base_text) = base_text {
            let slot = self.slot(base, language, base_text.len());
            let parsed = slot.get_or_init(|| {
                self.parses.fetch_add(1, Ordering::Relaxed);
                self.hold(base_text.len());
                let (parsed, base_tree) =
                    super::parse_reading(language, base_text, None, self.time_limit, &self.readers);
                tree = base_tree;
                Arc::new(parsed)
            });
            base_parsed = Some(parsed.clone());
        }
        let later = task.later.iter().filter(|oid| wanted(**oid));
        for oid in task.versions.iter().chain(later) {
            let Some(text) = texts.text(*oid) else {
                continue;
            };
            self.slot(*oid, language, text.len()).get_or_init(|| {
                self.parses.fetch_add(1, Ordering::Relaxed);
                self.hold(text.len());
                // From the base's tree where this task parsed the base; else, where the base was
                // parsed before (an earlier merge of a range), from its occurrences alone.
                let earlier = base_text.map(|base_text| super::Earlier {
                    text: base_text,
                    tree: tree.as_ref(),
                    parsed: base_parsed.as_deref(),
                });
                Arc::new(
                    super::parse_reading(language, text, earlier, self.time_limit, &self.readers).0,
                )
            });
        }
    }

    /// How many parses this cache has run.
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
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

    #[test]
    fn a_trim_lets_go_of_the_parses_no_merge_asked_for_since_the_one_before() {
        let cache = ParseCache {
            budget: 1,
            ..ParseCache::default()
        };
        let language = crate::lang::for_path("a.js").expect("javascript");
        let blob = |text: &'static str| {
            let oid = Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()).expect("hash");
            (oid, text.as_bytes())
        };
        let (kept, kept_text) = blob("const kept = 1;\n");
        let (dropped, dropped_text) = blob("const dropped = 2;\n");
        cache.get(kept, language, kept_text);
        cache.get(dropped, language, dropped_text);
        cache.trim();
        // The next merge asks for one of them again: it is not parsed again, and stays.
        cache.get(kept, language, kept_text);
        assert_eq!(cache.parses(), 2);
        assert!(
            cache.parsed(dropped, language).is_some(),
            "one generation back"
        );
        cache.trim();
        assert!(cache.parsed(kept, language).is_some(), "asked for since");
        assert!(
            cache.parsed(dropped, language).is_none(),
            "two generations back"
        );
        cache.get(dropped, language, dropped_text);
        assert_eq!(cache.parses(), 3, "parsed again once let go");
    }

    #[derive(Default)]
    struct Blobs(HashMap<Oid, Vec<u8>>);

    impl BlobTexts for Blobs {
        fn text(&self, oid: Oid) -> Option<&[u8]> {
            self.0.get(&oid).map(Vec::as_slice)
        }
    }

    #[test]
    fn a_files_versions_are_parsed_once_each_and_as_a_fresh_parse_would() {
        let language = crate::lang::for_path("a.js").expect("javascript");
        let base = "const A = 1;\nconst LEGACY = 2;\nfunction f() { return A; }\n";
        let ours = "const A = 1;\nfunction f() { return A; }\n";
        let theirs = "const A = 1;\nconst LEGACY = 2;\nfunction f() { return A + LEGACY; }\n";
        let mut texts = Blobs::default();
        let oids: Vec<Oid> = [base, ours, theirs]
            .iter()
            .map(|text| {
                let oid = Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()).expect("hash");
                texts.0.insert(oid, text.as_bytes().to_vec());
                oid
            })
            .collect();
        let cache = ParseCache::default();
        // Two jobs on the same file (one per removing side), listing the same blobs.
        let files = vec![
            (oids[0], language, vec![oids[1], oids[2], oids[2]]),
            (oids[0], language, vec![oids[2], oids[1], oids[2]]),
        ];
        cache.warm_files(&files, &texts);
        assert_eq!(cache.parses(), 3);
        for (oid, text) in oids.iter().zip([base, ours, theirs]) {
            let cached = cache.get(*oid, language, text.as_bytes());
            let fresh = crate::syntax::parse(language, text.as_bytes());
            let names = |p: &ParsedFile| {
                p.occurrences
                    .iter()
                    .map(|o| (o.name.clone(), o.role, o.start, o.line))
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&cached), names(&fresh));
        }
        assert_eq!(cache.parses(), 3, "nothing parsed twice");
    }

    #[test]
    fn a_later_version_is_parsed_only_when_wanted_and_as_a_fresh_parse_would() {
        let language = crate::lang::for_path("a.ts").expect("typescript");
        let base = "export const A = 1;\nexport function f(): number { return A; }\n";
        let side = "export function f(): number { return 1; }\n";
        let result = "export const A = 1;\nexport const B: string = 'b';\nexport function f(): number { return A; }\n";
        let skipped = "export const C = 3;\n";
        let mut texts = Blobs::default();
        let [base_oid, side_oid, result_oid, skipped_oid] =
            [base, side, result, skipped].map(|text| {
                let oid = Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()).expect("hash");
                texts.0.insert(oid, text.as_bytes().to_vec());
                oid
            });
        let cache = ParseCache::default();
        // The wish is asked once the side is parsed, and can read it from the cache.
        let wanted = |oid: Oid| cache.parsed(side_oid, language).is_some() && oid == result_oid;
        cache.warm_files_then(
            &[(base_oid, language, vec![side_oid])],
            &[
                (base_oid, language, result_oid),
                (base_oid, language, skipped_oid),
            ],
            &wanted,
            &texts,
        );
        assert_eq!(cache.parses(), 3, "base, side and the wanted result");
        assert!(cache.parsed(skipped_oid, language).is_none());
        let names = |p: &ParsedFile| {
            p.occurrences
                .iter()
                .map(|o| (o.name.clone(), o.role, o.start, o.line))
                .collect::<Vec<_>>()
        };
        let later = cache.parsed(result_oid, language).expect("parsed");
        assert_eq!(
            names(&later),
            names(&crate::syntax::parse(language, result.as_bytes()))
        );
    }
}
