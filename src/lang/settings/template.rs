//! Template syntax in settings files (Helm and Jinja `{{ … }}` / `{% … %}`, shell-style `${VAR}`)
//! breaks the JSON, YAML and TOML grammars: `name: {{ .Release.Name }}` opens a YAML flow mapping,
//! and a `{{- if }}` line at column 0 ends the block it sits in. Masking the template text byte
//! for byte — an expression becomes `_`s, a line holding only a directive becomes blank — lets the
//! grammar read the data around it at the same offsets, so every name keeps its place.

/// `text` with its template expressions masked, or `None` when it has none.
pub fn mask_templates(text: &[u8]) -> Option<Vec<u8>> {
    if memchr::memmem::find(text, b"{{").is_none()
        && memchr::memmem::find(text, b"{%").is_none()
        && memchr::memmem::find(text, b"${").is_none()
    {
        return None;
    }
    let mut masked = text.to_vec();
    let mut changed = false;
    let mut start = 0;
    while start < masked.len() {
        let end = memchr::memchr(b'\n', &masked[start..]).map_or(masked.len(), |at| start + at);
        changed |= mask_line(&mut masked[start..end]);
        start = end + 1;
    }
    changed.then_some(masked)
}

/// Masks the template expressions of one line (without its ending); whether any was there.
fn mask_line(line: &mut [u8]) -> bool {
    let trimmed = line.trim_ascii();
    let directive_only = (trimmed.starts_with(b"{{") && trimmed.ends_with(b"}}")
        || trimmed.starts_with(b"{%") && trimmed.ends_with(b"%}"))
        && count(trimmed, b"{{") + count(trimmed, b"{%") == 1;
    if directive_only {
        for byte in line.iter_mut() {
            if !byte.is_ascii_whitespace() {
                *byte = b' ';
            }
        }
        return true;
    }
    let mut changed = false;
    let mut at = 0;
    while at + 1 < line.len() {
        let close: &[u8] = match &line[at..at + 2] {
            b"{{" => b"}}",
            b"{%" => b"%}",
            b"${" => b"}",
            _ => {
                at += 1;
                continue;
            }
        };
        let Some(length) = memchr::memmem::find(&line[at + 2..], close) else {
            break;
        };
        let end = at + 2 + length + close.len();
        for byte in &mut line[at..end] {
            *byte = b'_';
        }
        changed = true;
        at = end;
    }
    changed
}

fn count(text: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(text, needle).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_expressions_are_masked_in_place() {
        let text = b"name: {{ .Release.Name }}-web\n{{- if .Values.debug }}\nurl: \"${API}/v1\"\nplain: x\nopen: {{ unclosed\n";
        let masked = mask_templates(text).expect("masked");
        assert_eq!(masked.len(), text.len());
        assert_eq!(
            String::from_utf8_lossy(&masked),
            "name: ___________________-web\n                       \nurl: \"______/v1\"\nplain: x\nopen: {{ unclosed\n"
        );
        assert!(mask_templates(b"a: 1\nb: {x: 1}\n").is_none());
    }
}
