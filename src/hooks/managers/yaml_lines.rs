//! Just enough of YAML's block layout to add and remove our entries in a hook manager's file by
//! lines, leaving every other line — comments, quoting, order — exactly as the user wrote it. A
//! parser would re-emit the whole file; this finds keys by indentation and refuses what it does
//! not recognise (flow style, anchors, a value on the key's line), so the caller can say what to
//! add by hand.

/// A file's lines, without their line ends.
pub struct Lines {
    pub lines: Vec<String>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines {
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    /// The text again, every line ended by a newline.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// The index of the top-level `key:` line.
    pub fn top_level(&self, key: &str) -> Option<usize> {
        self.lines
            .iter()
            .position(|line| indent(line) == 0 && key_of(line).is_some_and(|(k, _)| k == key))
    }

    /// Where the block under line `at` ends (exclusive): at the next content line indented no
    /// deeper than `at`, less the blank and comment lines before it. A key's list may sit at the
    /// key's own indentation (`repos:` then `- repo: …` in column 0): those items are its block.
    pub fn block_end(&self, at: usize) -> usize {
        let own = indent(&self.lines[at]);
        let at_is_item = list_item(&self.lines[at]).is_some();
        let mut end = at + 1;
        let mut last_content = at + 1;
        while end < self.lines.len() {
            let line = &self.lines[end];
            if is_content(line) {
                let depth = indent(line);
                let own_list = depth == own && !at_is_item && list_item(line).is_some();
                if depth < own || (depth == own && !own_list) {
                    break;
                }
                last_content = end + 1;
            }
            end += 1;
        }
        last_content
    }

    /// The indentation of the first content line under line `at`, if its block has one.
    pub fn child_indent(&self, at: usize) -> Option<usize> {
        let end = self.block_end(at);
        self.lines[at + 1..end]
            .iter()
            .find(|line| is_content(line))
            .map(|line| indent(line))
    }

    /// The line of key `key` directly under line `at`.
    pub fn child(&self, at: usize, key: &str) -> Option<usize> {
        let child = self.child_indent(at)?;
        let end = self.block_end(at);
        (at + 1..end).find(|&i| {
            let line = &self.lines[i];
            indent(line) == child && key_of(line).is_some_and(|(k, _)| k == key)
        })
    }

    /// Whether the block under line `at` holds no content line.
    pub fn block_is_empty(&self, at: usize) -> bool {
        self.child_indent(at).is_none()
    }

    /// Removes lines `at..end`, and a blank line left doubled (or trailing) by the removal.
    pub fn remove(&mut self, at: usize, end: usize) {
        self.lines.drain(at..end);
        let blank_before = at > 0 && self.lines[at - 1].trim().is_empty();
        let blank_after = self.lines.get(at).is_none_or(|line| line.trim().is_empty());
        if blank_before && blank_after {
            self.lines.remove(at - 1);
        }
    }

    pub fn insert(&mut self, at: usize, new: &[String]) {
        self.lines.splice(at..at, new.iter().cloned());
    }
}

pub fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Not blank, not a comment.
pub fn is_content(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// A mapping line's key (unquoted) and what follows the colon, comment removed and trimmed.
pub fn key_of(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let (key, rest) = if let Some(quoted) = trimmed.strip_prefix('"') {
        let close = quoted.find('"')?;
        (&quoted[..close], quoted[close + 1..].strip_prefix(':')?)
    } else if let Some(quoted) = trimmed.strip_prefix('\'') {
        let close = quoted.find('\'')?;
        (&quoted[..close], quoted[close + 1..].strip_prefix(':')?)
    } else {
        let colon = trimmed.find(':')?;
        let rest = &trimmed[colon + 1..];
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        (&trimmed[..colon], rest)
    };
    if !(rest.is_empty() || rest.starts_with(' ')) || key.starts_with('-') {
        return None;
    }
    let value = rest.split(" #").next().unwrap_or("").trim();
    Some((key, value))
}

/// A list item's dash position and what follows `- `.
pub fn list_item(line: &str) -> Option<(usize, &str)> {
    let at = indent(line);
    let rest = line[at..].strip_prefix('-')?;
    (rest.is_empty() || rest.starts_with(' ')).then(|| (at, rest.trim()))
}

/// The lines of `block` (lines of text), each indented by `by` more spaces.
pub fn indented(block: &str, by: usize) -> Vec<String> {
    block
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{}{line}", " ".repeat(by))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_by_indentation_and_comments_do_not_end_a_block() {
        let lines = Lines::new(
            "pre-commit:\n  # a comment\n  commands:\n    lint:\n      run: x\n\n# about the next\npost-merge:\n  scripts: {}\n",
        );
        let hook = lines.top_level("pre-commit").expect("the hook");
        assert_eq!(lines.block_end(hook), 5);
        assert_eq!(lines.child(hook, "commands"), Some(2));
        assert_eq!(lines.child(hook, "lint"), None);
        assert_eq!(lines.top_level("post-merge"), Some(7));
        assert_eq!(key_of("  scripts: {}"), Some(("scripts", "{}")));
        assert_eq!(key_of("  \"my hook.sh\": # c"), Some(("my hook.sh", "")));
        assert_eq!(key_of("  url: https://x"), Some(("url", "https://x")));
        assert_eq!(key_of("  - id: x"), None);
        assert_eq!(list_item("  - id: x"), Some((2, "id: x")));
    }
}
