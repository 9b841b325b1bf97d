//! Precision rule 2: generated and vendored files are not read. Built-in patterns cover the usual
//! build and dependency folders, and each language profile names its generated files (minified
//! bundles); the result's root `.gitattributes` adds what it marks `linguist-generated`,
//! `linguist-vendored`, `-diff` or `binary`.

use git2::{Repository, Tree};

const BUILTIN: &[(&str, &str)] = &[
    ("dist/", "generated: dist/"),
    ("build/", "generated: build/"),
    ("vendor/", "vendored: vendor/"),
    ("_vendor/", "vendored: _vendor/"),
    ("node_modules/", "vendored: node_modules/"),
    ("web_modules/", "vendored: web_modules/"),
];

/// Decides which paths are generated or vendored.
pub struct GeneratedFiles {
    /// `.gitattributes` lines: pattern and whether matching marks the path skipped (`true`) or
    /// unmarks it (`false`), with the attribute that did it.
    attributes: Vec<(String, bool, String)>,
    /// `[settings]` of `.conflictguard.toml`: settings files read despite the data conventions,
    /// and settings files left out.
    settings_include: Vec<String>,
    settings_exclude: Vec<String>,
}

impl GeneratedFiles {
    pub fn new(repo: &Repository, result_tree: &Tree<'_>) -> GeneratedFiles {
        let text = crate::git::blob_at(result_tree, ".gitattributes")
            .and_then(|oid| repo.find_blob(oid).ok())
            .map(|blob| String::from_utf8_lossy(blob.content()).into_owned())
            .unwrap_or_default();
        GeneratedFiles::from_gitattributes(&text)
    }

    pub fn from_gitattributes(text: &str) -> GeneratedFiles {
        let mut attributes = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_whitespace();
            let Some(pattern) = fields.next() else {
                continue;
            };
            for attribute in fields {
                let verdict = match attribute {
                    "linguist-generated"
                    | "linguist-generated=true"
                    | "linguist-vendored"
                    | "linguist-vendored=true"
                    | "-diff"
                    | "binary" => Some(true),
                    "-linguist-generated"
                    | "linguist-generated=false"
                    | "-linguist-vendored"
                    | "linguist-vendored=false"
                    | "diff" => Some(false),
                    _ => None,
                };
                if let Some(skip) = verdict {
                    attributes.push((pattern.to_string(), skip, attribute.to_string()));
                }
            }
        }
        GeneratedFiles {
            attributes,
            settings_include: Vec::new(),
            settings_exclude: Vec::new(),
        }
    }

    /// With `[settings] include` and `exclude` (gitignore-style globs).
    pub fn with_settings_paths(mut self, include: &[String], exclude: &[String]) -> GeneratedFiles {
        self.settings_include = include.to_vec();
        self.settings_exclude = exclude.to_vec();
        self
    }

    /// With the `[settings]` paths of another instance (the same run's).
    pub fn with_settings_paths_of(self, other: &GeneratedFiles) -> GeneratedFiles {
        self.with_settings_paths(&other.settings_include, &other.settings_exclude)
    }

    /// Why a settings file is not read as configuration: `[settings] exclude`, or the data
    /// conventions unless `[settings] include` names it.
    fn settings_reason(&self, path: &str) -> Option<String> {
        if !crate::lang::settings::is_settings_file(path) {
            return None;
        }
        let matches = |patterns: &[String]| {
            patterns
                .iter()
                .any(|pattern| attribute_pattern_matches(pattern, path))
        };
        if matches(&self.settings_exclude) {
            return Some("not configuration: [settings] exclude".to_string());
        }
        let why = crate::lang::settings::not_configuration(path)?;
        (!matches(&self.settings_include))
            .then(|| format!("not configuration: {why}; [settings] include reads it"))
    }

    /// Why `path` is skipped, or `None` when it is read: generated or vendored, or a settings
    /// file that is data rather than configuration.
    pub fn reason(&self, path: &str) -> Option<String> {
        self.generated(path).or_else(|| self.settings_reason(path))
    }

    /// Why `path` is generated or vendored, or `None`. Conflict markers (CG004) are looked for in
    /// every file but these, data included.
    pub fn generated(&self, path: &str) -> Option<String> {
        let mut verdict = None;
        for (pattern, skip, attribute) in &self.attributes {
            if attribute_pattern_matches(pattern, path) {
                verdict = skip.then(|| format!(".gitattributes marks it {attribute}"));
            }
        }
        if verdict.is_some() {
            return verdict;
        }
        let lower = path.to_ascii_lowercase();
        for (folder, why) in BUILTIN {
            if lower.starts_with(folder) || lower.contains(&format!("/{folder}")) {
                return Some((*why).to_string());
            }
        }
        crate::lang::generated_reason(path).map(str::to_string)
    }
}

/// gitattributes pattern matching: a pattern without a slash matches the file name at any depth;
/// one with a slash matches the whole path from the root. `*` and `?` stay within a path segment,
/// `**` crosses segments.
pub fn attribute_pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    if pattern.contains('/') {
        glob(pattern.as_bytes(), path.as_bytes())
            || (pattern.ends_with("/**") && path.starts_with(&pattern[..pattern.len() - 2]))
    } else {
        let name = path.rsplit('/').next().unwrap_or(path);
        glob(pattern.as_bytes(), name.as_bytes())
            || path
                .split('/')
                .rev()
                .skip(1)
                .any(|folder| glob(pattern.as_bytes(), folder.as_bytes()))
    }
}

/// Glob matching without recursion: a loop with one backtrack point per kind of star.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize, bool)> = None;
    while t < text.len() {
        if p + 1 < pattern.len() && pattern[p] == b'*' && pattern[p + 1] == b'*' {
            let mut next = p + 2;
            if pattern.get(next) == Some(&b'/') {
                next += 1;
            }
            star = Some((next, t, true));
            p = next;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p + 1, t, false));
            p += 1;
        } else if p < pattern.len()
            && (pattern[p] == b'?' && text[t] != b'/' || pattern[p] == text[t])
        {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t, crosses)) = star {
            if !crosses && text[star_t] == b'/' {
                return false;
            }
            star = Some((star_p, star_t + 1, crosses));
            p = star_p;
            t = star_t + 1;
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_folders_and_bundles_are_skipped() {
        let generated = GeneratedFiles::from_gitattributes("");
        assert!(generated.reason("dist/app.js").is_some());
        assert!(generated.reason("web/node_modules/x/index.js").is_some());
        assert!(generated.reason("static/jquery.min.js").is_some());
        assert!(generated.reason("src/distance.js").is_none());
        assert!(generated.reason("src/app.js").is_none());
    }

    #[test]
    fn gitattributes_marks_and_unmarks() {
        let generated = GeneratedFiles::from_gitattributes(
            "# generated\n*.pb.js linguist-generated\ngen/** -diff\ngen/keep.py diff\n",
        );
        assert!(generated.reason("api/x.pb.js").is_some());
        assert!(generated.reason("gen/a/b.py").is_some());
        assert!(generated.reason("gen/keep.py").is_none());
        assert!(generated.reason("src/x.js").is_none());
    }

    #[test]
    fn glob_stars_respect_segments() {
        assert!(glob(b"*.js", b"a.js"));
        assert!(!glob(b"src/*.js", b"src/a/b.js"));
        assert!(glob(b"src/**/b.js", b"src/a/c/b.js"));
        assert!(glob(b"a?c", b"abc"));
    }
}
