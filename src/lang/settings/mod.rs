//! Settings and dependencies as languages: configuration files whose names are keys (named by
//! their whole path, `billing.legacy_url`), environment variables (named by the variable), and
//! dependencies (named by the package, whichever group lists it). JSON, YAML and TOML are parsed
//! with tree-sitter and walked (`tree.rs`); `.env` and `requirements.txt` are line formats read
//! without a grammar (`lines.rs`). Lock files are never read; data that is not configuration
//! (test fixtures, translations, schemas, OpenAPI documents) is left out by path convention
//! ([`not_configuration`]), which `[settings]` in `.conflictguard.toml` can override.

mod lines;
mod paths;
mod template;
mod tree;

pub use paths::{last_key, never_read, not_configuration};
pub use template::mask_templates;

use super::{LanguageProfile, ModuleFiles, ModuleSystem, Project, QueryExample, Reader, Role};

/// The settings profiles, for telling a settings file from code.
const PROFILES: [&LanguageProfile; 7] = [
    &DOTENV,
    &REQUIREMENTS,
    &PACKAGE_JSON,
    &PYPROJECT,
    &JSON,
    &YAML,
    &TOML,
];

/// Whether `path` is read as settings (a configuration file, a manifest, `.env`, requirements).
pub fn is_settings_file(path: &str) -> bool {
    super::profile_for_path(path)
        .is_some_and(|profile| PROFILES.iter().any(|p| std::ptr::eq(*p, profile)))
}

/// A name a settings reader found, before the syntax layer makes it an occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub role: Role,
    /// Byte span in the text read (after any byte-order mark).
    pub start: usize,
    pub end: usize,
    /// 0-based line of the start.
    pub line: u32,
    /// Where the name is in the file, as a key path.
    pub key_path: Option<String>,
}

/// Reads the names of a file parsed with a grammar.
pub type TreeReader = fn(tree: &tree_sitter::Tree, source: &[u8]) -> Vec<Found>;
/// Reads the names of a line format.
pub type LineReader = fn(source: &[u8]) -> Vec<Found>;

/// Settings files import nothing: no module system to follow.
const NO_MODULES: ModuleSystem = ModuleSystem {
    resolve: |_, _, _| ModuleFiles::NotFollowed,
    provides_beyond_definitions: |_, _| false,
    binds_an_export: |_, _, _| false,
    binds_the_module: |_, _| false,
    submodule: |_, _| None,
    default_export: None,
    top_level_names_are_attributes: false,
    submodules: |_, _| Vec::new(),
};

fn never_external(_: &str, _: &Project) -> bool {
    false
}

/// The file name of a `/`-separated path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `.env`, `.env.production`, `.env.local`, `production.env`.
fn is_dotenv(path: &str) -> bool {
    let name = file_name(path);
    name == ".env" || name.starts_with(".env.") || (name.ends_with(".env") && name.len() > 4)
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`,
/// and pip-tools' `requirements.in`.
fn is_requirements(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let in_folder = path
        .rsplit('/')
        .nth(1)
        .is_some_and(|folder| folder.eq_ignore_ascii_case("requirements"));
    let text_like = name.ends_with(".txt") || name.ends_with(".in");
    text_like && (name.contains("requirements") || in_folder)
}

const SETTINGS_COMMENTS: &[&str] = &["#"];

/// What every settings profile shares: no imports, no module system, no reader calls, no
/// declaration files; each profile says its name, its files, how it reads them and its examples.
const SETTINGS: LanguageProfile = LanguageProfile {
    name: "",
    extensions: &[],
    claims_path: None,
    reader: Reader::Lines {
        read: lines::dotenv,
    },
    is_external_module: never_external,
    modules: &NO_MODULES,
    project_reader: None,
    reader_query: None,
    comment_markers: SETTINGS_COMMENTS,
    generated_suffixes: &[],
    declaration_suffixes: &[],
    examples: &[],
};

pub static DOTENV: LanguageProfile = LanguageProfile {
    name: "dotenv",
    claims_path: Some(is_dotenv),
    reader: Reader::Lines {
        read: lines::dotenv,
    },
    examples: &[QueryExample {
        path: ".env.production",
        source: "# billing\nexport LEGACY_QUOTE_URL=https://quotes.internal\nAPI_KEY=\"a=b\"\nMULTI=\"one\nTWO=not-a-key\"\n",
        roles: &[
            ("LEGACY_QUOTE_URL", &[Role::EnvVariable]),
            ("API_KEY", &[Role::EnvVariable]),
            ("MULTI", &[Role::EnvVariable]),
            ("TWO", &[]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static REQUIREMENTS: LanguageProfile = LanguageProfile {
    name: "requirements",
    claims_path: Some(is_requirements),
    reader: Reader::Lines {
        read: lines::requirements,
    },
    examples: &[QueryExample {
        path: "requirements-dev.txt",
        source: "-r base.txt\nRequests[socks]>=2.31 ; python_version > '3.8'\nzope.interface==6.0  # pinned\n--hash=sha256:abc \\\n    --hash=sha256:def\nlegacy_sdk @ https://example.com/legacy_sdk.whl\n",
        roles: &[
            ("requests", &[Role::Dependency]),
            ("zope-interface", &[Role::Dependency]),
            ("legacy-sdk", &[Role::Dependency]),
            ("base", &[]),
            ("sha256", &[]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static PACKAGE_JSON: LanguageProfile = LanguageProfile {
    name: "package-json",
    claims_path: Some(|path| file_name(path) == "package.json"),
    reader: Reader::Tree {
        grammar: || tree_sitter_json::LANGUAGE.into(),
        read: tree::package_json,
    },
    comment_markers: &["//"],
    examples: &[QueryExample {
        path: "package.json",
        source: r#"{
  "name": "shop",
  "scripts": { "legacy:build": "node build.js" },
  "dependencies": { "lodash": "^4.17.21", "@acme/legacy-sdk": "1.2.0" },
  "devDependencies": { "jest": "^29" }
}
"#,
        roles: &[
            ("lodash", &[Role::Dependency]),
            ("@acme/legacy-sdk", &[Role::Dependency]),
            ("jest", &[Role::Dependency]),
            ("scripts.legacy:build", &[Role::Setting]),
            ("dependencies", &[]),
            ("name", &[Role::Setting]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static PYPROJECT: LanguageProfile = LanguageProfile {
    name: "pyproject",
    claims_path: Some(|path| file_name(path) == "pyproject.toml"),
    reader: Reader::Tree {
        grammar: || tree_sitter_toml_ng::LANGUAGE.into(),
        read: tree::pyproject,
    },
    examples: &[QueryExample {
        path: "pyproject.toml",
        source: r#"[project]
name = "shop"
dependencies = ["requests>=2.31", "Legacy_SDK[async] ==1.0"]

[project.optional-dependencies]
docs = ["sphinx"]

[tool.poetry.group.dev.dependencies]
pytest = "^8"
python = "^3.11"

[tool.ruff]
line-length = 100
"#,
        roles: &[
            ("requests", &[Role::Dependency]),
            ("legacy-sdk", &[Role::Dependency]),
            ("sphinx", &[Role::Dependency]),
            ("pytest", &[Role::Dependency]),
            ("python", &[]),
            ("tool.ruff.line-length", &[Role::Setting]),
            ("tool", &[Role::Setting, Role::Setting]),
            ("tool.poetry.group", &[Role::Setting]),
            ("project.name", &[Role::Setting]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static JSON: LanguageProfile = LanguageProfile {
    name: "json",
    extensions: &["json"],
    reader: Reader::Tree {
        grammar: || tree_sitter_json::LANGUAGE.into(),
        read: tree::json,
    },
    comment_markers: &["//"],
    generated_suffixes: &[(".min.json", "generated: minified")],
    examples: &[QueryExample {
        path: "config/production.json",
        source: r#"{
  "billing": { "legacy_url": "https://quotes.internal", "a.b": 1 },
  "servers": [ { "name": "web", "port": 80 }, { "port": 81 } ]
}
"#,
        roles: &[
            ("billing", &[Role::Setting]),
            ("billing.legacy_url", &[Role::Setting]),
            ("billing.\"a.b\"", &[Role::Setting]),
            ("servers", &[Role::Setting]),
            ("servers[name=web]", &[Role::Setting]),
            ("servers[name=web].port", &[Role::Setting]),
            ("servers[].port", &[Role::Setting]),
            ("servers[name=web].name", &[]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static YAML: LanguageProfile = LanguageProfile {
    name: "yaml",
    extensions: &["yaml", "yml"],
    reader: Reader::Tree {
        grammar: || tree_sitter_yaml::LANGUAGE.into(),
        read: tree::yaml,
    },
    examples: &[QueryExample {
        path: "deploy/app.yaml",
        source: r#"services:
  web:
    image: shop
    environment:
      - LEGACY_QUOTE_URL=https://quotes.internal
      - DEBUG
  worker:
    environment:
      QUEUE_URL: redis://queue
spec:
  containers:
    - name: web
      env:
        - name: API_KEY
          valueFrom: { secretKeyRef: { name: api, key: key } }
jobs:
  build:
    env:
      NODE_ENV: production
"#,
        roles: &[
            ("LEGACY_QUOTE_URL", &[Role::EnvVariable]),
            ("DEBUG", &[Role::EnvVariable]),
            ("QUEUE_URL", &[Role::EnvVariable]),
            ("API_KEY", &[Role::EnvVariable]),
            ("NODE_ENV", &[Role::EnvVariable]),
            ("services.web.image", &[Role::Setting]),
            ("spec.containers[name=web]", &[Role::Setting]),
            ("spec.containers[name=web].env", &[Role::Setting]),
            ("spec.containers[name=web].env[name=API_KEY].valueFrom", &[]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

pub static TOML: LanguageProfile = LanguageProfile {
    name: "toml",
    extensions: &["toml"],
    reader: Reader::Tree {
        grammar: || tree_sitter_toml_ng::LANGUAGE.into(),
        read: tree::toml,
    },
    examples: &[QueryExample {
        path: "config/settings.toml",
        source: r#"debug = false
billing.legacy_url = "https://quotes.internal"

[database]
url = "postgres://db"
pool = { size = 5 }

[[workers]]
name = "mail"
queue = "mail"
"#,
        roles: &[
            ("debug", &[Role::Setting]),
            ("billing.legacy_url", &[Role::Setting]),
            ("database", &[Role::Setting]),
            ("database.url", &[Role::Setting]),
            ("database.pool.size", &[Role::Setting]),
            ("workers[name=mail]", &[Role::Setting]),
            ("workers[name=mail].queue", &[Role::Setting]),
        ],
        scopes: &[],
        import_sources: &[],
    }],
    ..SETTINGS
};

#[cfg(test)]
mod tests {
    use super::super::profile_for_path;

    fn language(path: &str) -> Option<&'static str> {
        profile_for_path(path).map(|profile| profile.name)
    }

    #[test]
    fn settings_files_are_claimed_by_name_and_lock_files_by_none() {
        assert_eq!(language(".env"), Some("dotenv"));
        assert_eq!(language("deploy/.env.production"), Some("dotenv"));
        assert_eq!(language("production.env"), Some("dotenv"));
        assert_eq!(language("requirements.txt"), Some("requirements"));
        assert_eq!(language("requirements/dev.txt"), Some("requirements"));
        assert_eq!(language("dev-requirements.in"), Some("requirements"));
        assert_eq!(language("notes.txt"), None);
        assert_eq!(language("web/package.json"), Some("package-json"));
        assert_eq!(language("pyproject.toml"), Some("pyproject"));
        assert_eq!(language("config/production.json"), Some("json"));
        assert_eq!(language("docker-compose.yml"), Some("yaml"));
        assert_eq!(language("Cargo.toml"), Some("toml"));
        for lock in [
            "package-lock.json",
            "web/npm-shrinkwrap.json",
            "pnpm-lock.yaml",
            "yarn.lock",
            "poetry.lock",
            "uv.lock",
            "Cargo.lock",
            "composer.lock",
            "Pipfile.lock",
        ] {
            assert_eq!(language(lock), None, "{lock}");
        }
    }
}
