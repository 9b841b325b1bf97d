//! `.conflictguard.toml`: the schema of the file and its validation. Unknown keys and bad values
//! are errors that name the file and line; without the file every default applies.

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
    /// Changed code that could not be analysed (a language without a grammar): `note` (default:
    /// reported, never fails) or `warn` (a warning, so that `--fail-on warning` fails on it).
    pub unanalysed: Option<UnanalysedSetting>,
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
    /// `[server]`: what the pre-receive hook guards on a server.
    #[serde(default)]
    pub server: ServerSettings,
    /// `[settings]`: which JSON, YAML and TOML files are read as configuration beyond the
    /// defaults (`include`, over the data conventions) and which are not (`exclude`).
    #[serde(default)]
    pub settings: SettingsPaths,
}

/// `[settings]`: gitignore-style globs of settings files to read despite the path conventions
/// for data (test fixtures, translations, schemas, OpenAPI documents), and to leave out.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPaths {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Functions the team reads settings with by key (`config.get`, `settings.value`): a call
    /// with a string first argument reads the setting that string names.
    #[serde(default)]
    pub readers: Vec<toml::Spanned<String>>,
}

impl SettingsPaths {
    /// The reader functions, as written.
    pub fn reader_names(&self) -> Vec<String> {
        self.readers.iter().map(|r| r.get_ref().clone()).collect()
    }
}

/// `[server]`: which branches the pre-receive hook guards, and what a push that could not be checked
/// in time gets.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerSettings {
    /// Branch names or globs (`main`, `release/*`); unset: the repository's default branch.
    pub protect: Option<Vec<String>>,
    /// When the deadline passes first: `allow` (default) or `block`.
    pub on_timeout: Option<OnTimeout>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTimeout {
    Allow,
    Block,
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
pub enum UnanalysedSetting {
    Note,
    Warn,
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
            if !crate::lang::PROFILES
                .iter()
                .any(|profile| profile.name == key.get_ref())
            {
                return Err(invalid(
                    format!("unknown language `{}` under [languages]", key.get_ref()),
                    key.span(),
                ));
            }
        }
        for reader in &config.settings.readers {
            let name = reader.get_ref();
            let valid = !name.is_empty()
                && name.split('.').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                });
            if !valid {
                return Err(invalid(
                    format!(
                        "`{name}` under [settings] readers is not a function name (`config.get`, `getSetting`)"
                    ),
                    reader.span(),
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
        assert_eq!(config.server.protect, None);

        let server = FileConfig::parse(
            "[server]\nprotect = [\"main\", \"release/*\"]\non-timeout = \"block\"\n",
            ".conflictguard.toml",
        )
        .expect("valid");
        assert_eq!(
            server.server.protect,
            Some(vec!["main".to_string(), "release/*".to_string()])
        );
        assert_eq!(server.server.on_timeout, Some(OnTimeout::Block));
    }

    #[test]
    fn mistakes_name_the_line() {
        for (text, line, words) in [
            ("mainlin = \"main\"\n", 1, "unknown field"),
            ("[rules]\nCG009 = \"error\"\n", 2, "unknown rule"),
            ("[rules]\nCG001 = \"loud\"\n", 2, "unknown variant"),
            ("[languages]\nruby = true\n", 2, "unknown language"),
            ("[server]\non-timeout = \"wait\"\n", 2, "unknown variant"),
            ("[server]\nprotected = [\"main\"]\n", 2, "unknown field"),
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

    #[test]
    fn settings_readers_must_be_function_names() {
        let good = FileConfig::parse(
            "[settings]\nreaders = [\"config.get\", \"getSetting\"]\ninclude = [\"locales/**\"]\n",
            ".conflictguard.toml",
        )
        .expect("valid");
        assert_eq!(
            good.settings.reader_names(),
            vec!["config.get".to_string(), "getSetting".to_string()]
        );
        let bad = FileConfig::parse(
            "[settings]\nreaders = [\"config.get(\"]\n",
            ".conflictguard.toml",
        );
        assert!(bad.is_err());
    }
}
