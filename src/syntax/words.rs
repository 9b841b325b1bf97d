//! Identifier-like words of raw text: the cheap tests that decide, before any parse, whether a file
//! can hold a name at all.

/// True for bytes that can be part of an identifier in JavaScript or Python (non-ASCII bytes count,
/// so that Unicode identifiers stay whole).
fn is_word_byte(byte: u8) -> bool {
    WORD_BYTES[usize::from(byte)]
}

/// [`is_word_byte`] for each byte value: one load where four comparisons were, on every byte of
/// every text a word test reads.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        byte += 1;
    }
    table
};

/// Whether `name` occurs in `text` as a whole word: a cheap test before any parse.
pub fn contains_word(text: &[u8], name: &str) -> bool {
    contains_word_bytes(text, name.as_bytes())
}

fn contains_word_bytes(text: &[u8], needle: &[u8]) -> bool {
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

/// Whether `text` may hold `name` as a token of JavaScript, TypeScript or Python: somewhere the
/// name's bytes are not followed by a letter, digit or `_` that would make them part of a longer
/// identifier. A parse names a token by its bytes as written, so a text for which this is false
/// has no occurrence of the name, whatever the parse. It errs towards true: a name inside a
/// comment or a string counts, and so does a name at the end of a longer word (a broken file can
/// start a token inside one: JavaScript reads `\legacy` as `\l` and `egacy`, which the property
/// suite found); a name a lossy decoding changed is always held.
pub fn may_hold_token(text: &[u8], name: &str) -> bool {
    let needle = name.as_bytes();
    if name.contains(char::REPLACEMENT_CHARACTER) {
        return true;
    }
    let Some(&last) = needle.last() else {
        return false;
    };
    let continues = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_';
    let ends_word = continues(last);
    memchr::memmem::find_iter(text, needle).any(|start| {
        let end = start + needle.len();
        !(ends_word && text.get(end).copied().is_some_and(continues))
    })
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

/// The words of `base` that `changed` does not hold: `words(base)` less `words(changed)`, read
/// only from the lines between the two texts' common first and last lines (a word of a line both
/// texts share is in both), so that a side that changed one line of a file costs a scan of that
/// line and a search for its few words, not two word sets of the whole file.
pub fn removed_words<'t>(base: &'t [u8], changed: &[u8]) -> WordSet<'t> {
    let (start, end) = differing_lines(base, changed);
    let mut gone: WordSet<'t> = word_iter(&base[start..end]).collect();
    if gone.len() <= 16 {
        gone.retain(|word| !contains_word_bytes(changed, word));
    } else {
        // One pass over `changed`, crossing off what it holds: a look-up per word in a small
        // set, where a set of all of `changed`'s words cost an insertion per word.
        for word in word_iter(changed) {
            if gone.remove(word) && gone.is_empty() {
                break;
            }
        }
    }
    gone
}

/// The byte range of `a` between the lines it shares with `b` at the start and at the end: every
/// line of `a` outside it is a whole line of `b` too.
fn differing_lines(a: &[u8], b: &[u8]) -> (usize, usize) {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return (a.len(), a.len());
    }
    // Back to the start of the line the texts first differ on.
    let start = a[..common]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let tail = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // Forward past the first line break inside the common end: what follows it is whole lines
    // of both texts (a line break at the edge of the common end may be glued, in `b`, to what
    // differs before it).
    let suffix = a.len() - tail;
    let end = a[suffix..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(a.len(), |newline| suffix + newline + 1);
    (start, end.max(start))
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
    fn a_token_is_ruled_out_only_where_an_identifier_byte_follows_it() {
        assert!(!may_hold_token(b"legacy_totals = 1\n", "legacy_total"));
        assert!(!may_hold_token(
            b"legacy_total2 legacy_total_x",
            "legacy_total"
        ));
        assert!(may_hold_token(b"x = legacy_total\n", "legacy_total"));
        assert!(may_hold_token(b"# mentions legacy_total.", "legacy_total"));
        // The end of a longer word may be a token of a broken file (`\l` then `egacy`).
        assert!(may_hold_token(b"\\legacy", "egacy"));
        assert!(may_hold_token(b"old_legacy_total;", "legacy_total"));
        // A name that does not end in an identifier byte (a setting read's string) is held
        // wherever its bytes are.
        assert!(may_hold_token(b"get('billing.url/')", "billing.url/"));
        assert!(!may_hold_token(b"nothing here", "legacy"));
        assert!(!may_hold_token(b"anything", ""));
    }

    #[test]
    fn removed_words_are_the_words_only_the_base_holds() {
        let cases: &[(&str, &str)] = &[
            ("a\nLEGACY_URL = 1\nb\n", "a\nb\n"),
            ("x = foo_bar\n", "x = foo_baz\n"),
            ("foo_bar\n", "foo_bar"),
            ("", "a"),
            ("a b c", ""),
            ("same\n", "same\n"),
            ("head\nkeep tail_word\n", "head\nkeep tail_word2\n"),
            ("one two\nthree\n", "two\nthree one\n"),
            ("\n\nq\n", "\nq\n"),
        ];
        for (base, changed) in cases {
            let expected: WordSet<'_> = words(base.as_bytes())
                .into_iter()
                .filter(|word| !words(changed.as_bytes()).contains(word))
                .collect();
            assert_eq!(
                removed_words(base.as_bytes(), changed.as_bytes()),
                expected,
                "{base:?} -> {changed:?}"
            );
        }
    }

    #[test]
    fn removed_words_agree_with_the_word_sets_on_generated_edits() {
        // A fixed linear congruential sequence: texts of a few words and line breaks, and edits
        // of them (a byte changed, inserted or deleted, a line dropped).
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % bound
        };
        let alphabet = b"ab_x1 \n\n.\xc3";
        for _ in 0..5_000 {
            let len = next(40);
            let base: Vec<u8> = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut changed = base.clone();
            for _ in 0..=next(3) {
                let at = next(changed.len() + 1);
                match next(3) {
                    0 if at < changed.len() => changed[at] = alphabet[next(alphabet.len())],
                    1 => changed.insert(at, alphabet[next(alphabet.len())]),
                    _ if at < changed.len() => {
                        changed.remove(at);
                    }
                    _ => {}
                }
            }
            let kept = words(&changed);
            let expected: WordSet<'_> = words(&base)
                .into_iter()
                .filter(|word| !kept.contains(word))
                .collect();
            assert_eq!(
                removed_words(&base, &changed),
                expected,
                "{:?} -> {:?}",
                String::from_utf8_lossy(&base),
                String::from_utf8_lossy(&changed)
            );
        }
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
