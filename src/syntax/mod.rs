//! Blob → occurrences: parsing with a language's grammar (cached per blob, incremental from the
//! base's tree), the occurrences its query finds, and the word tests that spare a parse.

pub mod cache;
mod occurrences;
mod parse;
mod splice;
mod words;

pub use cache::ParseCache;
pub use occurrences::{Occurrence, ParsedFile};
pub use parse::{parse, parse_from, parse_reading, parse_within, Earlier, PARSE_TIME_LIMIT};
pub use words::{contains_word, may_hold_token, removed_words, word_iter, words, WordSet};
