//! The settings of one run: the command line over `.conflictguard.toml` over the defaults, with the
//! file read from wherever the command says it lives — the work tree, HEAD's tree in a bare
//! repository, or a revision (the base of a pull request in CI, so that a pull request cannot
//! silence the check on itself).

use git2::{Oid, Repository};

use super::file::{FailOnSetting, FileConfig, UnanalysedSetting, FILE_NAME};
use super::{FailOn, Overrides};
use crate::error::{Error, Result};
use crate::git;

/// The default file size limit.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Where `.conflictguard.toml` is read from.
#[derive(Clone, Copy, Debug)]
pub enum SettingsSource {
    /// The work tree's root, or HEAD's tree in a bare repository.
    Repository,
    /// A commit's tree.
    Revision(Oid),
}

/// The settings of one run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub fail_on: FailOn,
    pub mainline: Option<String>,
    pub max_file_size: u64,
    pub parse_time_limit: std::time::Duration,
    /// `unanalysed = "warn"`: changed code in a language without a grammar is a warning.
    pub unanalysed_warns: bool,
    /// `.conflictguard.toml` as read: rule severities, languages, ignored paths, the allow-list.
    pub file: FileConfig,
    /// Today as `YYYY-MM-DD`, for allow-list expiry.
    pub today: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new(&Overrides::default(), FileConfig::default(), String::new())
    }
}

impl Settings {
    pub fn new(overrides: &Overrides, file: FileConfig, today: String) -> Settings {
        let fail_on = overrides.fail_on.unwrap_or(match file.fail_on {
            Some(FailOnSetting::Warning) => FailOn::Warning,
            Some(FailOnSetting::Never) => FailOn::Never,
            Some(FailOnSetting::Error) | None => FailOn::Error,
        });
        Settings {
            fail_on,
            mainline: overrides.mainline.clone().or_else(|| file.mainline.clone()),
            max_file_size: overrides
                .max_file_size
                .or(file.max_file_size)
                .unwrap_or(MAX_FILE_SIZE),
            parse_time_limit: overrides.parse_time_limit.or(file.parse_time_limit).map_or(
                crate::syntax::PARSE_TIME_LIMIT,
                std::time::Duration::from_millis,
            ),
            unanalysed_warns: file.unanalysed == Some(UnanalysedSetting::Warn),
            file,
            today,
        }
    }

    /// The settings for a run in `repo`, with `.conflictguard.toml` read from `source`. A file
    /// that is absent gives the defaults; one that cannot be read or is invalid is an error.
    pub fn load(
        repo: &Repository,
        overrides: &Overrides,
        source: SettingsSource,
    ) -> Result<Settings> {
        let file = match read_file(repo, source)? {
            Some((text, location)) => FileConfig::parse(&text, &location)?,
            None => FileConfig::default(),
        };
        Ok(Settings::new(overrides, file, today()))
    }
}

/// The text of `.conflictguard.toml` and where it was found, or `None` when there is none.
fn read_file(repo: &Repository, source: SettingsSource) -> Result<Option<(String, String)>> {
    let in_commit = |commit: Oid, location: String| -> Result<Option<(String, String)>> {
        let reading = |source: git2::Error| Error::ReadSettings {
            location: location.clone(),
            source,
        };
        let tree = repo
            .find_commit(commit)
            .and_then(|commit| commit.tree())
            .map_err(reading)?;
        let Some(blob) = git::blob_at(&tree, FILE_NAME) else {
            return Ok(None);
        };
        let bytes = repo.find_blob(blob).map_err(reading)?;
        let text = String::from_utf8_lossy(bytes.content()).into_owned();
        Ok(Some((text, location.clone())))
    };
    match source {
        SettingsSource::Revision(commit) => {
            in_commit(commit, format!("{}:{FILE_NAME}", git::short_id(commit)))
        }
        SettingsSource::Repository => match repo.workdir() {
            Some(workdir) => {
                let path = workdir.join(FILE_NAME);
                match std::fs::read_to_string(&path) {
                    Ok(text) => Ok(Some((text, path.display().to_string()))),
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(err) => Err(Error::io(format!("reading {}", path.display()), err)),
                }
            }
            None => match repo.head() {
                Ok(head) => {
                    let commit = head
                        .peel_to_commit()
                        .map_err(|source| Error::ReadSettings {
                            location: format!("HEAD:{FILE_NAME}"),
                            source,
                        })?;
                    in_commit(commit.id(), format!("HEAD:{FILE_NAME}"))
                }
                // A bare repository without a commit yet has no file to read.
                Err(err)
                    if matches!(
                        err.code(),
                        git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                    ) =>
                {
                    Ok(None)
                }
                Err(source) => Err(Error::ReadSettings {
                    location: format!("HEAD:{FILE_NAME}"),
                    source,
                }),
            },
        },
    }
}

/// Today as `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    git::iso_date(seconds)[..10].to_string()
}
