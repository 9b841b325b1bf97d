//! The line formats, read without a grammar: `.env` files (`KEY=value`, `export KEY=value`) and
//! pip requirements (`name[extras] >= 1.0 ; marker`). Both are one definition per line with a
//! comment marker, which a few lines of scanning read exactly; no kept crate reads either with
//! positions (the dotenv crates load values into the environment and stop at the first bad line).

use super::{Found, Role};

/// Lines with their byte offsets, without their line endings.
fn lines_of(source: &[u8]) -> impl Iterator<Item = (u32, usize, &[u8])> {
    let mut at = 0;
    source
        .split_inclusive(|&byte| byte == b'\n')
        .enumerate()
        .map(move |(index, line)| {
            let start = at;
            at += line.len();
            let text = line.strip_suffix(b"\n").unwrap_or(line);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            (u32::try_from(index).unwrap_or(u32::MAX), start, text)
        })
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-')
}

/// `.env`: every `KEY=value` (optionally `export KEY=value`) defines the variable `KEY`. A value
/// opened with a quote that the line does not close runs on over the next lines, which define
/// nothing.
pub(super) fn dotenv(source: &[u8]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut open_quote: Option<u8> = None;
    for (line, start, text) in lines_of(source) {
        if let Some(quote) = open_quote {
            if closes(text, quote) {
                open_quote = None;
            }
            continue;
        }
        let indent = text.len() - text.trim_ascii_start().len();
        let mut at = indent;
        if text[at..].starts_with(b"export ") || text[at..].starts_with(b"export\t") {
            at += 7;
            at += text[at..].len() - text[at..].trim_ascii_start().len();
        }
        let key_start = at;
        if !text
            .get(at)
            .is_some_and(|byte| byte.is_ascii_alphabetic() || *byte == b'_')
        {
            continue;
        }
        while text.get(at).is_some_and(|&byte| is_key_byte(byte)) {
            at += 1;
        }
        let key_end = at;
        while text
            .get(at)
            .is_some_and(|byte| *byte == b' ' || *byte == b'\t')
        {
            at += 1;
        }
        if text.get(at) != Some(&b'=') {
            continue;
        }
        let value = text[at + 1..].trim_ascii_start();
        if let Some(&quote) = value.first().filter(|q| matches!(q, b'"' | b'\'' | b'`')) {
            if !closes(&value[1..], quote) {
                open_quote = Some(quote);
            }
        }
        let name = String::from_utf8_lossy(&text[key_start..key_end]).into_owned();
        found.push(Found {
            key_path: Some(name.clone()),
            name,
            role: Role::EnvVariable,
            start: start + key_start,
            end: start + key_end,
            line,
        });
    }
    found
}

/// Whether `text` holds the closing `quote` of a value (one not escaped by a backslash).
fn closes(text: &[u8], quote: u8) -> bool {
    let mut escaped = false;
    for &byte in text {
        match byte {
            b'\\' if !escaped => escaped = true,
            byte if byte == quote && !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// A Python distribution name as written at the start of `text` (`Requests` of
/// `Requests[socks]>=2`), with its length; `None` where `text` starts with none.
pub(super) fn distribution_name(text: &[u8]) -> Option<usize> {
    if !text.first().is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let length = text.iter().take_while(|&&byte| is_key_byte(byte)).count();
    // A URL or a path is not a name (`git+https://…`, `./libs/x`).
    let rest = &text[length..];
    if rest.starts_with(b"+") || rest.starts_with(b":") || rest.starts_with(b"/") {
        return None;
    }
    Some(length)
}

/// PEP 503's normalised form, so that `Legacy_SDK` and `legacy-sdk` are one package.
pub(super) fn normalise_distribution(name: &[u8]) -> String {
    let mut normal = String::with_capacity(name.len());
    let mut separator = false;
    for &byte in name {
        if matches!(byte, b'-' | b'_' | b'.') {
            separator = true;
            continue;
        }
        if separator && !normal.is_empty() {
            normal.push('-');
        }
        separator = false;
        normal.push(char::from(byte.to_ascii_lowercase()));
    }
    normal
}

/// `requirements.txt`: every requirement line names a package; options (`-r`, `-e`, `--hash`),
/// continuation lines, URLs and comments name none.
pub(super) fn requirements(source: &[u8]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut continued = false;
    for (line, start, text) in lines_of(source) {
        let was_continued = continued;
        continued = text.trim_ascii_end().ends_with(b"\\");
        if was_continued {
            continue;
        }
        let indent = text.len() - text.trim_ascii_start().len();
        let Some(length) = distribution_name(&text[indent..]) else {
            continue;
        };
        let name_bytes = &text[indent..indent + length];
        let name = normalise_distribution(name_bytes);
        found.push(Found {
            key_path: Some(name.clone()),
            name,
            role: Role::Dependency,
            start: start + indent,
            end: start + indent + length,
            line,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &[Found]) -> Vec<(&str, u32)> {
        found.iter().map(|f| (f.name.as_str(), f.line)).collect()
    }

    #[test]
    fn dotenv_reads_keys_and_skips_what_is_not_one() {
        let text = b"\xEF\xBB\xBF# c\nA=1\n  export B = 2\nC\nD=\"x\n E=y\"\nF='a\\'b'\n=x\n9X=1\nG.H-I=1\r\n";
        // The byte-order mark is set aside by the caller; here it makes the first line no key.
        let found = dotenv(text);
        assert_eq!(
            names(&found),
            vec![("A", 1), ("B", 2), ("D", 4), ("F", 6), ("G.H-I", 9)]
        );
        let b = &found[1];
        assert_eq!(&text[b.start..b.end], b"B");
    }

    #[test]
    fn requirements_name_packages_in_normal_form() {
        let text = b"Django>=4 # web\n-e .\n--index-url https://x\npkg==1 \\\n  --hash=sha256:a\ngit+https://github.com/a/b\n./local\nFoo.Bar_baz\n";
        let found = requirements(text);
        assert_eq!(
            names(&found),
            vec![("django", 0), ("pkg", 3), ("foo-bar-baz", 7)]
        );
    }
}
