//! Why conflictguard could not do its job. Every variant is exit code 2 and carries a help line
//! that says what to do; the binary renders them with miette.

use std::path::PathBuf;

use miette::Diagnostic;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("not a git repository: {}", path.display())]
    #[diagnostic(
        code(conflictguard::not_a_repository),
        help("run conflictguard inside a git work tree, or pass -C <path-to-repository>")
    )]
    NotARepository {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },

    #[error("unknown revision `{rev}`")]
    #[diagnostic(
        code(conflictguard::unknown_revision),
        help("name a branch, tag or commit that exists here (`git rev-parse --verify {rev}` must succeed)")
    )]
    UnknownRevision {
        rev: String,
        #[source]
        source: git2::Error,
    },

    #[error("`{rev}` ({sha}) is not a merge commit: it has {parents} parent(s)")]
    #[diagnostic(
        code(conflictguard::not_a_merge),
        help(
            "`audit` reads merge commits; list them with `git log --merges`, or audit a range A..B"
        )
    )]
    NotAMerge {
        rev: String,
        sha: String,
        parents: usize,
    },

    #[error("`HEAD` has no commit yet")]
    #[diagnostic(
        code(conflictguard::unborn_head),
        help("make a first commit, or name the revision to merge into with --into <rev>")
    )]
    UnbornHead,

    #[error("no merge base between {ours} and {theirs}, and this clone is shallow")]
    #[diagnostic(
        code(conflictguard::shallow_history),
        help("the history that holds the merge base was not fetched: run `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout; in GitLab CI: `GIT_DEPTH: 0`)")
    )]
    ShallowHistory { ours: String, theirs: String },

    #[error(
        "`{theirs}` and `{ours}` have no common history: `git merge` would refuse to merge them"
    )]
    #[diagnostic(
        code(conflictguard::unrelated_histories),
        help("if the merge is meant (git merge --allow-unrelated-histories), check it the same way: `conflictguard check {theirs} --allow-unrelated-histories`")
    )]
    UnrelatedHistories { theirs: String, ours: String },

    #[error("`{rev}` ({sha}) is a shallow clone's boundary: its parents were not fetched")]
    #[diagnostic(
        code(conflictguard::shallow_history),
        help("fetch the history that holds its parents: `git fetch --deepen=<n>` or `git fetch --unshallow` (GitHub Actions: `fetch-depth: 0` on actions/checkout; GitLab CI: `GIT_DEPTH: 0`)")
    )]
    ShallowCommit { rev: String, sha: String },

    #[error("an object this needs is missing from the repository: {}", .0.message())]
    #[diagnostic(
        code(conflictguard::missing_object),
        help("the clone is partial or damaged: `git fsck` lists what is missing; in a partial clone, fetch the objects (or clone without --filter) first")
    )]
    MissingObject(git2::Error),

    #[error("{count} object(s) this needs are not in this partial clone, and git could not fetch them from the promisor remote `{remote}`: {detail}")]
    #[diagnostic(
        code(conflictguard::partial_clone),
        help("the clone was made with a filter (`git clone --filter=blob:none`, or `filter: blob:none` on actions/checkout), so git fetches the blobs it left out when they are needed, and here it could not. Check out every blob: remove `filter: blob:none` from actions/checkout (`fetch-depth: 0` does not bring them back), or, while the remote is reachable, run `git fetch --refetch --no-filter {remote}` before conflictguard")
    )]
    PartialCloneFetch {
        count: usize,
        remote: String,
        detail: String,
    },

    #[error("nothing to check: no branch was given and no merge is in progress")]
    #[diagnostic(
        code(conflictguard::nothing_to_check),
        help("run `conflictguard check <branch>` to simulate merging <branch> into HEAD, or run it while a merge is in progress")
    )]
    NothingToCheck,

    #[error("`{rev}` is not a commit")]
    #[diagnostic(
        code(conflictguard::not_a_commit),
        help("name a commit, branch or tag that points at a commit")
    )]
    NotACommit { rev: String },

    #[error("no rule has the code `{code}`")]
    #[diagnostic(
        code(conflictguard::unknown_rule),
        help("the rules are {known}; `conflictguard explain CG001` shows one")
    )]
    UnknownRule {
        code: String,
        /// The codes there are, listed for the help line.
        known: String,
    },

    #[error("{hook} is not conflictguard's, and {local} already exists")]
    #[diagnostic(
        code(conflictguard::hook_in_use),
        help("install keeps an existing hook by moving it to <name>.local; move {local} aside first, or run `conflictguard install --force` to replace {hook} (a copy is kept)")
    )]
    HookInUse { hook: String, local: String },

    #[error("this repository's hooks are run by {manager} ({evidence}): `install` would switch them off or be undone")]
    #[diagnostic(code(conflictguard::hook_manager), help("{advice}"))]
    HookManager {
        manager: String,
        evidence: String,
        advice: String,
    },

    #[error("cannot add conflictguard to {manager}: {problem}")]
    #[diagnostic(code(conflictguard::hook_manager_config), help("{advice}"))]
    ManagerConfig {
        manager: String,
        problem: String,
        advice: String,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    #[error("`ci` needs the base of the pull request")]
    #[diagnostic(
        code(conflictguard::missing_base),
        help("pass --base <rev> (the branch the pull request merges into, e.g. origin/main); on GitHub's pull-request checkout (HEAD is GitHub's merge commit) it is found without flags")
    )]
    MissingBase,

    #[error("the history between {base} and {head} is incomplete: this clone is shallow")]
    #[diagnostic(
        code(conflictguard::shallow_history),
        help("fetch the whole history: `git fetch --unshallow` (GitHub Actions: `fetch-depth: 0` on actions/checkout; GitLab CI: `GIT_DEPTH: 0`)")
    )]
    IncompleteHistory { base: String, head: String },

    #[error("could not read {location}: {source}")]
    #[diagnostic(
        code(conflictguard::read_settings),
        help("the repository could not be read where the settings live: in a partial clone (`--filter=blob:none`) the promisor remote must be reachable, or run `git fetch --refetch --no-filter origin` first; otherwise `git fsck` says what is damaged")
    )]
    ReadSettings {
        location: String,
        #[source]
        source: git2::Error,
    },

    /// A repository operation failed. libgit2's own message is kept; its class and code numbers
    /// are left out of what a user reads.
    #[error("{step}: {}", cause.message())]
    #[diagnostic(code(conflictguard::git))]
    Git {
        /// What conflictguard was doing, in words.
        step: &'static str,
        cause: git2::Error,
    },

    #[error("{context}: {source}")]
    #[diagnostic(code(conflictguard::io))]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`{command}` failed: {detail}")]
    #[diagnostic(
        code(conflictguard::command_failed),
        help("the demo needs `git` on PATH")
    )]
    Command { command: String, detail: String },
}

impl From<git2::Error> for Error {
    fn from(err: git2::Error) -> Error {
        if err.class() == git2::ErrorClass::Odb && err.code() == git2::ErrorCode::NotFound {
            Error::MissingObject(err)
        } else {
            Error::Git {
                step: "reading the repository",
                cause: err,
            }
        }
    }
}

impl Error {
    /// A mistake in a configuration file, pointing at `span` of its `text`.
    pub fn config(path: &str, text: &str, message: String, span: std::ops::Range<usize>) -> Error {
        let start = span.start.min(text.len());
        let line = text[..start].matches('\n').count() + 1;
        Error::Config(Box::new(ConfigError {
            path: path.to_string(),
            line,
            message: message.trim().to_string(),
            source_code: miette::NamedSource::new(path, text.to_string()),
            span: (start, span.end.saturating_sub(start)).into(),
        }))
    }

    /// Names the step that failed, for a repository error that does not say it yet.
    pub fn during(self, step: &'static str) -> Error {
        match self {
            Error::Git { cause, .. } => Error::Git { step, cause },
            other => other,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// A mistake in `.conflictguard.toml`, shown with the line it is on.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}: {message}")]
#[diagnostic(
    code(conflictguard::config),
    help("see the README's .conflictguard.toml section for every key and value")
)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub message: String,
    #[source_code]
    source_code: miette::NamedSource<String>,
    #[label("here")]
    span: miette::SourceSpan,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
