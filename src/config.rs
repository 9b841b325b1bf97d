//! The configuration of one run, validated from the command line. (`.conflictguard.toml` will feed
//! the same struct.)

use std::path::PathBuf;

use crate::finding::Severity;

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Dry-run merge of `branch` into `into`; with no branch, the merge in progress (the index).
    Check {
        branch: Option<String>,
        into: String,
        /// As git's `--allow-unrelated-histories`: merge against an empty base.
        allow_unrelated_histories: bool,
    },
    /// Existing merge commits: one revision, or every merge in a range `A..B`.
    Audit { target: String },
    /// Print a rule's explanation.
    Explain { code: String },
    /// Build the incident in a temporary repository and check it.
    Demo,
    /// What the installed git hooks call.
    Hook(crate::hooks::Hook),
    /// Wire the hooks into the repository; `force` replaces a foreign hook instead of chaining it;
    /// `with` adds them to a hook manager's configuration instead.
    Install {
        force: bool,
        with: Option<crate::hooks::Manager>,
    },
    /// Remove the hooks and restore what `install` moved aside.
    Uninstall,
    /// A pull request's status check: the merges in `base..head`, the final merge, and CG005
    /// over the base's last `lookback` commits.
    Ci {
        base: Option<String>,
        head: Option<String>,
        lookback: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
}

/// The lowest severity that makes the run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

/// Whether the human report may use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub command: Command,
    /// `-C <path>`: the repository to read (else the current directory, or git's environment).
    pub repository: Option<PathBuf>,
    pub format: Format,
    /// From the command line; else `.conflictguard.toml`; else `error`.
    pub fail_on: Option<FailOn>,
    /// From the command line; else `.conflictguard.toml`; else detected.
    pub mainline: Option<String>,
    pub color: Color,
    /// From the command line; else `.conflictguard.toml`; else 1 MiB.
    pub max_file_size: Option<u64>,
    /// Milliseconds; from the command line, else `.conflictguard.toml`, else 5,000.
    pub parse_time_limit: Option<u64>,
}

/// The default file size limit.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// The settings of one run: the command line over `.conflictguard.toml` over the defaults.
#[derive(Clone, Debug)]
pub struct Settings {
    pub fail_on: FailOn,
    pub mainline: Option<String>,
    pub max_file_size: u64,
    pub parse_time_limit: std::time::Duration,
    pub file: FileConfig,
}

impl Settings {
    pub fn new(config: &Config, file: FileConfig) -> Settings {
        let fail_on = config.fail_on.unwrap_or(match file.fail_on {
            Some(FailOnSetting::Warning) => FailOn::Warning,
            Some(FailOnSetting::Never) => FailOn::Never,
            Some(FailOnSetting::Error) | None => FailOn::Error,
        });
        Settings {
            fail_on,
            mainline: config.mainline.clone().or_else(|| file.mainline.clone()),
            max_file_size: config
                .max_file_size
                .or(file.max_file_size)
                .unwrap_or(MAX_FILE_SIZE),
            parse_time_limit: config.parse_time_limit.or(file.parse_time_limit).map_or(
                crate::symbols::PARSE_TIME_LIMIT,
                std::time::Duration::from_millis,
            ),
            file,
        }
    }
}

/// `.conflictguard.toml` at the repository root. Unknown keys and bad values are errors that name
/// the file and line; without the file every default applies.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// The mainline branch (wording only).
    pub mainline: Option<String>,
    /// `error`, `warning` or `never`.
    pub fail_on: Option<FailOnSetting>,
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: Option<u64>,
    /// A file whose parse takes longer than this many milliseconds is skipped with a note.
    pub parse_time_limit: Option<u64>,
    /// What the hooks do when the check cannot run: `block` (default) or `allow`. Read by the
    /// hook scripts themselves, since conflictguard may be the thing that failed.
    pub on_error: Option<OnError>,
    /// Paths whose findings are not reported (gitignore-style globs).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity per rule code: `error`, `warning` or `off`.
    #[serde(default)]
    pub rules: std::collections::BTreeMap<toml::Spanned<String>, RuleSetting>,
    /// Languages on (`true`) or off (`false`), by name.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<toml::Spanned<String>, bool>,
    /// Names that may come back, each with a reason and an optional expiry date.
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOnSetting {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    Block,
    Allow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Error,
    Warning,
    Off,
}

/// One allow-list entry.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// The identifier allowed to come back.
    pub name: String,
    /// Why: required, so that the next reader knows.
    pub reason: String,
    /// `YYYY-MM-DD`: from that day on the entry stops allowing, and says so.
    pub expires: Option<toml::Spanned<toml::Value>>,
    /// Only in paths matching this glob.
    pub path: Option<String>,
}

impl AllowEntry {
    /// The expiry date as `YYYY-MM-DD`.
    pub fn expiry(&self) -> Option<String> {
        let value = self.expires.as_ref()?.get_ref();
        let text = match value {
            toml::Value::String(text) => text.clone(),
            toml::Value::Datetime(date) => date.to_string(),
            _ => return None,
        };
        Some(text.chars().take(10).collect())
    }
}

/// The file's name at the repository root.
pub const FILE_NAME: &str = ".conflictguard.toml";

impl FileConfig {
    /// Parses and validates the text of a `.conflictguard.toml` found at `path`.
    pub fn parse(text: &str, path: &str) -> Result<FileConfig, crate::error::Error> {
        let invalid = |message: String, span: std::ops::Range<usize>| {
            crate::error::Error::config(path, text, message, span)
        };
        let config: FileConfig = toml::from_str(text)
            .map_err(|err| invalid(err.message().to_string(), err.span().unwrap_or(0..0)))?;
        for key in config.rules.keys() {
            if crate::rules::find(key.get_ref()).is_none() {
                return Err(invalid(
                    format!("unknown rule `{}` under [rules]", key.get_ref()),
                    key.span(),
                ));
            }
        }
        for key in config.languages.keys() {
            if !crate::lang::SPECS
                .iter()
                .any(|spec| spec.name == key.get_ref())
            {
                return Err(invalid(
                    format!("unknown language `{}` under [languages]", key.get_ref()),
                    key.span(),
                ));
            }
        }
        for entry in &config.allow {
            if let Some(expires) = &entry.expires {
                let valid = entry.expiry().is_some_and(|date| {
                    date.len() == 10
                        && date.chars().enumerate().all(|(i, c)| {
                            if i == 4 || i == 7 {
                                c == '-'
                            } else {
                                c.is_ascii_digit()
                            }
                        })
                });
                if !valid {
                    return Err(invalid(
                        format!(
                            "`expires` of the allow entry for `{}` is not a date",
                            entry.name
                        ),
                        expires.span(),
                    ));
                }
            }
        }
        Ok(config)
    }

    /// The setting of a rule, if the file has one.
    pub fn rule(&self, code: &str) -> Option<RuleSetting> {
        self.rules
            .iter()
            .find(|(key, _)| {
                crate::rules::find(key.get_ref()).is_some_and(|rule| rule.code == code)
            })
            .map(|(_, setting)| *setting)
    }

    /// Whether a language is on (the default).
    pub fn language_enabled(&self, name: &str) -> bool {
        self.languages
            .iter()
            .find(|(key, _)| key.get_ref() == name)
            .is_none_or(|(_, on)| *on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_parses() {
        let config = FileConfig::parse(
            "mainline = \"trunk\"\nfail-on = \"warning\"\non-error = \"allow\"\nignore = [\"legacy/**\"]\n\n[rules]\nCG003 = \"warning\"\nconflict-marker = \"off\"\n\n[languages]\npython = false\n\n[[allow]]\nname = \"LEGACY_URL\"\nreason = \"migration\"\nexpires = 2027-01-31\n",
            ".conflictguard.toml",
        )
        .expect("valid");
        assert_eq!(config.mainline.as_deref(), Some("trunk"));
        assert_eq!(config.fail_on, Some(FailOnSetting::Warning));
        assert_eq!(config.on_error, Some(OnError::Allow));
        assert_eq!(config.rule("CG003"), Some(RuleSetting::Warning));
        assert_eq!(config.rule("CG004"), Some(RuleSetting::Off));
        assert_eq!(config.rule("CG001"), None);
        assert!(!config.language_enabled("python"));
        assert!(config.language_enabled("javascript"));
        assert_eq!(config.allow[0].expiry().as_deref(), Some("2027-01-31"));
    }

    #[test]
    fn mistakes_name_the_line() {
        for (text, line, words) in [
            ("mainlin = \"main\"\n", 1, "unknown field"),
            ("[rules]\nCG009 = \"error\"\n", 2, "unknown rule"),
            ("[rules]\nCG001 = \"loud\"\n", 2, "unknown variant"),
            ("[languages]\nruby = true\n", 2, "unknown language"),
            ("[[allow]]\nname = \"X\"\n", 1, "reason"),
            (
                "[[allow]]\nname = \"X\"\nreason = \"r\"\nexpires = \"soon\"\n",
                4,
                "not a date",
            ),
        ] {
            let err = FileConfig::parse(text, ".conflictguard.toml").expect_err(text);
            let crate::error::Error::Config(found) = &err else {
                panic!("{text}: {err}");
            };
            assert_eq!(found.line, line, "{text}: {}", found.message);
            assert!(found.message.contains(words), "{text}: {}", found.message);
        }
    }
}
