//! Identifier-like words of raw text: the cheap tests that decide, before any parse, whether a file
//! can hold a name at all.

/// True for bytes that can be part of an identifier in JavaScript or Python (non-ASCII bytes count,
/// so that Unicode identifiers stay whole).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

/// Whether `name` occurs in `text` as a whole word: a cheap test before any parse.
pub fn contains_word(text: &[u8], name: &str) -> bool {
    let needle = name.as_bytes();
    if needle.is_empty() || needle.len() > text.len() {
        return false;
    }
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text[from..], needle) {
        let start = from + found;
        let end = start + needle.len();
        let before_ok = start == 0 || !is_word_byte(text[start - 1]);
        let after_ok = end == text.len() || !is_word_byte(text[end]);
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
    }
    false
}

/// A set of words, with a fast non-cryptographic hash (the keys come from the repository being
/// read, but a slow hash would only cost time, and SipHash was most of the cost of these sets).
pub type WordSet<'t> = rustc_hash::FxHashSet<&'t [u8]>;

/// The identifier-like words of `text`, for cheap set tests before parsing.
pub fn words(text: &[u8]) -> WordSet<'_> {
    word_iter(text).collect()
}

/// The identifier-like words of `text` in order, with repeats; words starting with a digit are
/// numbers, not names, and left out.
pub fn word_iter(text: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    text.split(|&byte| !is_word_byte(byte))
        .filter(|word| word.first().is_some_and(|first| !first.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_word_respects_boundaries() {
        assert!(contains_word(b"a = LEGACY_URL;", "LEGACY_URL"));
        assert!(!contains_word(b"a = LEGACY_URL_2;", "LEGACY_URL"));
        assert!(!contains_word(b"a = MY_LEGACY_URL;", "LEGACY_URL"));
        assert!(contains_word(b"LEGACY_URL", "LEGACY_URL"));
        assert!(!contains_word(b"", "x"));
    }

    #[test]
    fn words_skip_numbers_and_split_on_punctuation() {
        let found = words(b"const a1 = b.c(42, $d);");
        for word in ["const", "a1", "b", "c", "$d"] {
            assert!(found.contains(word.as_bytes()), "{word}");
        }
        assert!(!found.contains(&b"42"[..]));
    }
}
