//! What git gives a pre-receive hook on standard input: one `<old> <new> <ref>` line per ref the
//! push updates, where an id of zeros stands for "no object" (a ref created or deleted). A line
//! that is not of that form is kept, with what is wrong with it, for `on-error` to answer.

use git2::Oid;

/// One ref the push updates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUpdate {
    /// Its line on standard input, from 1.
    pub line: usize,
    /// The ref's tip now; `None` when the push creates it.
    pub old: Option<Oid>,
    /// Its tip after the push; `None` when the push deletes it.
    pub new: Option<Oid>,
    /// The full name (`refs/heads/main`).
    pub refname: String,
}

impl RefUpdate {
    /// The branch this ref is (`main` for `refs/heads/main`), if it is one.
    pub fn branch(&self) -> Option<&str> {
        self.refname.strip_prefix("refs/heads/")
    }
}

/// A line of the hook's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputLine {
    Update(RefUpdate),
    /// Not `<old> <new> <ref>`: the line as read (lossy), and what is wrong with it.
    Malformed {
        line: usize,
        text: String,
        problem: &'static str,
    },
}

/// Reads the hook's input. Empty lines (the end of the input) are not refs and are skipped.
pub fn parse(input: &[u8]) -> Vec<InputLine> {
    input
        .split(|byte| *byte == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .map(|(index, line)| parse_line(index + 1, line))
        .collect()
}

fn parse_line(number: usize, bytes: &[u8]) -> InputLine {
    let malformed = |problem| InputLine::Malformed {
        line: number,
        text: String::from_utf8_lossy(bytes).into_owned(),
        problem,
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return malformed("it is not UTF-8 text");
    };
    let fields: Vec<&str> = text.split(' ').collect();
    let [old, new, refname] = fields.as_slice() else {
        return malformed("it is not `<old> <new> <ref>` (three fields, separated by one space)");
    };
    let (Some(old), Some(new)) = (object_id(old), object_id(new)) else {
        return malformed("an object id is not 40 (or 64) hexadecimal digits");
    };
    if !refname.starts_with("refs/") || refname.chars().any(char::is_control) {
        return malformed("the ref's name does not start with `refs/`");
    }
    InputLine::Update(RefUpdate {
        line: number,
        old,
        new,
        refname: (*refname).to_string(),
    })
}

/// An object id as git writes it: `Some(None)` for the zero id (no object), `None` when the text is
/// no id at all.
fn object_id(text: &str) -> Option<Option<Oid>> {
    let hex = text.bytes().all(|byte| byte.is_ascii_hexdigit());
    if !hex || !(text.len() == 40 || text.len() == 64) {
        return None;
    }
    if text.bytes().all(|byte| byte == b'0') {
        return Some(None);
    }
    Oid::from_str(text).ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const ZERO: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn updates_creations_and_deletions_are_read() {
        let input = format!(
            "{A} {B} refs/heads/main\n{ZERO} {B} refs/heads/new\n{A} {ZERO} refs/tags/v1\n\n"
        );
        let lines = parse(input.as_bytes());
        let oid = |hex: &str| Oid::from_str(hex).expect("an id");
        assert_eq!(
            lines,
            vec![
                InputLine::Update(RefUpdate {
                    line: 1,
                    old: Some(oid(A)),
                    new: Some(oid(B)),
                    refname: "refs/heads/main".into()
                }),
                InputLine::Update(RefUpdate {
                    line: 2,
                    old: None,
                    new: Some(oid(B)),
                    refname: "refs/heads/new".into()
                }),
                InputLine::Update(RefUpdate {
                    line: 3,
                    old: Some(oid(A)),
                    new: None,
                    refname: "refs/tags/v1".into()
                }),
            ]
        );
        let InputLine::Update(first) = &lines[0] else {
            panic!("an update");
        };
        assert_eq!(first.branch(), Some("main"));
    }

    #[test]
    fn malformed_lines_say_what_is_wrong_and_where() {
        for (line, words) in [
            ("garbage".to_string(), "three fields"),
            (format!("{A} {B}"), "three fields"),
            (format!("{A}  {B} refs/heads/main"), "three fields"),
            (format!("{A} xyz refs/heads/main"), "hexadecimal"),
            (format!("{A} {B} main"), "refs/"),
        ] {
            let input = format!("{A} {B} refs/heads/ok\n{line}\n");
            let parsed = parse(input.as_bytes());
            match &parsed[1] {
                InputLine::Malformed {
                    line: 2,
                    text,
                    problem,
                } => {
                    assert_eq!(text, &line);
                    assert!(problem.contains(words), "{line}: {problem}");
                }
                other => panic!("{line}: {other:?}"),
            }
        }
        assert!(matches!(
            parse(b"\xff\xfe\n").as_slice(),
            [InputLine::Malformed { line: 1, .. }]
        ));
    }
}
