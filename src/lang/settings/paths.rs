//! Key paths and file paths of settings: how a key's path is written (`billing.legacy_url`,
//! `env[name=API_KEY]`, `"a.b"` for a key with a dot), which files are never read (lock files),
//! and which are data rather than configuration by path convention.

/// Appends one key to a key path, quoting a key that holds a separator, a quote or white space.
pub(super) fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    let plain = !key.is_empty()
        && !key
            .chars()
            .any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace());
    if plain {
        path.push_str(key);
    } else {
        path.push('"');
        path.push_str(&key.replace('"', "\\\""));
        path.push('"');
    }
}

/// A setting's own key, the last component of its path: `legacy_url` of `billing.legacy_url`,
/// `web` of `servers[name=web]`, `a.b` of `x."a.b"`.
pub fn last_key(path: &str) -> &str {
    // The start of the last component: after the last `.` outside quotes and brackets.
    let bytes = path.as_bytes();
    let (mut quoted, mut depth, mut start) = (false, 0usize, 0usize);
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if quoted => index += 1,
            b'"' => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth = depth.saturating_sub(1),
            b'.' if !quoted && depth == 0 => start = index + 1,
            _ => {}
        }
        index += 1;
    }
    let last = &path[start.min(path.len())..];
    // A list item named by its identifying field (`[name=web]`) or by itself (a requirement
    // string, `[Legacy_SDK]`): the value.
    if let Some(open) = last.rfind('[').filter(|_| !last.ends_with('"')) {
        if let Some(item) = last[open + 1..].strip_suffix(']') {
            let value = item.split_once('=').map_or(item, |(_, value)| value);
            if !value.is_empty() {
                return value;
            }
        }
        let key = &last[..open];
        if !key.is_empty() {
            return unquote(key);
        }
    }
    unquote(last)
}

fn unquote(key: &str) -> &str {
    key.strip_prefix('"')
        .and_then(|key| key.strip_suffix('"'))
        .unwrap_or(key)
}

/// Lock files: written by package managers, never by a person resolving a merge on purpose, and
/// never analysed.
pub fn never_read(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "package-lock.json" | "npm-shrinkwrap.json" | "pnpm-lock.yaml" | "bun.lock" | "deno.lock"
    ) || name.ends_with(".lock")
        || name.ends_with("-lock.json")
        || name.ends_with("-lock.yaml")
        || name.ends_with(".lock.json")
}

/// Folders whose JSON, YAML and TOML files are data, not configuration, with what they hold.
const DATA_FOLDERS: &[(&[&str], &str)] = &[
    (
        &[
            "test",
            "tests",
            "__tests__",
            "spec",
            "specs",
            "fixtures",
            "__fixtures__",
            "testdata",
            "test-data",
            "test_data",
            "__snapshots__",
            "__mocks__",
            "mocks",
            "e2e",
            "coverage",
            ".nyc_output",
        ],
        "test data",
    ),
    (
        &[
            "locales",
            "locale",
            "i18n",
            "l10n",
            "translations",
            "lang",
            "langs",
            "messages",
        ],
        "translations",
    ),
    (&["schemas", "schema", "json-schema"], "a schema"),
    (&["openapi", "swagger"], "an OpenAPI document"),
    (
        &["data", "datasets", "seeds", "samples", "examples"],
        "data",
    ),
];

/// Why a settings file (JSON, YAML, TOML) is data rather than configuration, by path convention:
/// test fixtures, translations, JSON schemas, OpenAPI documents, data folders. `None` for
/// configuration. `.env` files and requirements are always configuration; a manifest in a test
/// fixture's folder is test data like the rest of it.
pub fn not_configuration(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if !(name.ends_with(".json")
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".toml"))
    {
        return None;
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem == "schema" || stem.ends_with(".schema") || stem.ends_with("-schema") {
        return Some("a schema");
    }
    if ["openapi", "swagger"]
        .iter()
        .any(|doc| stem == *doc || stem.ends_with(&format!(".{doc}")))
    {
        return Some("an OpenAPI document");
    }
    let folders: Vec<&str> = lower.split('/').rev().skip(1).collect();
    DATA_FOLDERS
        .iter()
        .find(|(names, _)| folders.iter().any(|folder| names.contains(folder)))
        .map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_quote_what_would_split_them_and_name_their_last_key() {
        let mut path = String::new();
        push_key(&mut path, "billing");
        push_key(&mut path, "legacy.url");
        assert_eq!(path, "billing.\"legacy.url\"");
        assert_eq!(last_key(&path), "legacy.url");
        assert_eq!(last_key("billing.legacy_url"), "legacy_url");
        assert_eq!(last_key("spec.env[name=API_KEY]"), "API_KEY");
        assert_eq!(last_key("steps[].run"), "run");
        assert_eq!(last_key("steps[]"), "steps");
        assert_eq!(last_key("project.dependencies[Legacy_SDK]"), "Legacy_SDK");
        assert_eq!(last_key("debug"), "debug");
        assert_eq!(last_key("a.\"x[y]\""), "x[y]");
    }

    #[test]
    fn data_is_told_from_configuration_by_path() {
        assert_eq!(
            not_configuration("src/locales/fr.json"),
            Some("translations")
        );
        assert_eq!(
            not_configuration("tests/fixtures/a.yaml"),
            Some("test data")
        );
        assert_eq!(
            not_configuration("api/openapi.yaml"),
            Some("an OpenAPI document")
        );
        assert_eq!(not_configuration("user.schema.json"), Some("a schema"));
        assert_eq!(not_configuration("config/production.json"), None);
        assert_eq!(
            not_configuration("tests/fixtures/app/package.json"),
            Some("test data")
        );
        assert_eq!(not_configuration("tests/.env"), None);
        assert_eq!(not_configuration(".github/workflows/ci.yml"), None);
    }
}
