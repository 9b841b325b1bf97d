//! The command line: clap definitions, and their translation into an [`Invocation`] — the command
//! to run, where, how to print, and the settings the flags override.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Color, FailOn, Format, Overrides};
use crate::hooks::Hook;

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
    /// Print a rule's explanation; without a code, the list of rules.
    Explain { code: Option<String> },
    /// Build the incident in a temporary repository and check it; `keep` leaves the repository.
    Demo { keep: bool },
    /// What the installed git hooks call.
    Hook(Hook),
    /// The server's pre-receive hook: git's `<old> <new> <ref>` lines on standard input; `deadline`
    /// overrides `conflictguard.deadline` in git's configuration (default 4 s).
    PreReceive {
        deadline: Option<std::time::Duration>,
    },
    /// Wire the hooks into the repository; `force` replaces a foreign hook instead of chaining it;
    /// `with` adds them to a hook manager's configuration instead; `server` installs the
    /// pre-receive hook (a repository that receives pushes).
    Install {
        force: bool,
        with: Option<crate::hooks::Manager>,
        server: bool,
    },
    /// Remove the hooks and restore what `install` moved aside; `server`: the pre-receive hook.
    Uninstall { server: bool },
    /// A pull request's status check: the merges in `base..head`, the final merge, and CG005
    /// over the base's last `lookback` commits.
    Ci {
        base: Option<String>,
        head: Option<String>,
        lookback: usize,
    },
    /// Print the completion script for a shell.
    Completions { shell: Shell },
}

/// What `--version` prints after the name: the version and the commit the binary was built from,
/// as build.rs found them (`0.1.0 (1a2b3c4d5e6f 2026-11-30)`).
pub const VERSION: &str = match option_env!("CONFLICTGUARD_VERSION") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

/// The shells `completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// One run of the program, as the command line asks for it.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub command: Command,
    /// `-C <path>`: the repository to read (else the current directory, or git's environment).
    pub repository: Option<PathBuf>,
    pub format: Format,
    pub color: Color,
    pub overrides: Overrides,
}

#[derive(Debug, Parser)]
#[command(
    name = "conflictguard",
    version = VERSION,
    about = "Guards git merges: reports identifiers that one side deleted and the merge brings back",
    long_about = None,
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings (or a dry run with conflicts); 2 conflictguard could not do its job."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: CliCommand,

    /// Run as if started in <path>
    #[arg(short = 'C', global = true, value_name = "path")]
    pub directory: Option<PathBuf>,

    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = CliFormat::Human)]
    pub format: CliFormat,

    /// The lowest severity that fails the run [default: error, or fail-on in .conflictguard.toml]
    #[arg(long, global = true, value_enum)]
    pub fail_on: Option<CliFailOn>,

    /// The mainline branch (default: the remote's default branch, else main, else master); changes wording only
    #[arg(long, global = true, value_name = "ref")]
    pub mainline: Option<String>,

    /// When to colour the human report
    #[arg(long, global = true, value_enum, default_value_t = CliColor::Auto)]
    pub color: CliColor,

    /// Files larger than this many bytes are skipped with a note [default: 1048576]
    #[arg(long, global = true, value_name = "bytes")]
    pub max_file_size: Option<u64>,

    /// A file whose parse takes longer than this is skipped with a note [default: 5000]
    #[arg(long, global = true, value_name = "ms")]
    pub parse_time_limit: Option<u64>,

    /// When conflictguard cannot do its job, also show what caused it, down to libgit2's codes
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Dry-run merge of <branch> into --into (default HEAD); changes nothing.
    /// Without <branch> while a merge is in progress: check the index.
    Check {
        /// The branch or commit to merge
        branch: Option<String>,
        /// The revision to merge into
        #[arg(long, value_name = "rev", default_value = "HEAD")]
        into: String,
        /// Simulate the merge even when the two have no common history (as `git merge
        /// --allow-unrelated-histories` would), against an empty base
        #[arg(long)]
        allow_unrelated_histories: bool,
    },
    /// Check existing merge commits: one merge commit, or every merge in A..B
    Audit {
        /// A merge commit, or a range A..B
        #[arg(value_name = "merge-commit | A..B")]
        target: String,
    },
    /// Explain a rule; without a code, list the rules
    Explain {
        /// A rule code (CG001) or name (resurrected-definition)
        code: Option<String>,
    },
    /// Build the incident in a temporary repository and check it
    Demo {
        /// Leave the repository in place afterwards, to look at it
        #[arg(long)]
        keep: bool,
    },
    /// Run a hook's check (what the scripts `install` writes call)
    Hook {
        #[arg(value_enum)]
        name: CliHook,
        /// pre-receive: stop checking after this long (4s, 500ms) [default: conflictguard.deadline
        /// in git's configuration, else 4s]
        #[arg(long, value_name = "duration", value_parser = crate::hooks::server::parse_duration)]
        deadline: Option<std::time::Duration>,
    },
    /// Install the pre-merge-commit and pre-commit hooks (an existing hook keeps running first);
    /// with --server, the pre-receive hook of a repository that receives pushes
    Install {
        /// Replace an existing hook instead of chaining it (a copy is kept)
        #[arg(long)]
        force: bool,
        /// Add the hooks to this hook manager's configuration instead of git's hooks folder
        #[arg(long, value_enum, value_name = "manager", conflicts_with = "force")]
        with: Option<CliManager>,
        /// Install the server's pre-receive hook (into a bare repository that receives pushes)
        #[arg(long, conflicts_with = "with")]
        server: bool,
    },
    /// Remove the hooks and restore the ones install moved aside
    Uninstall {
        /// Remove the server's pre-receive hook instead
        #[arg(long)]
        server: bool,
    },
    /// Check a pull request: every merge in base..head, the final merge, and names re-added after
    /// the base removed them (reads .conflictguard.toml from the base)
    Ci {
        /// The branch the pull request merges into (found on GitHub's pull-request checkout)
        #[arg(long, value_name = "rev")]
        base: Option<String>,
        /// The pull request's head [default: HEAD]
        #[arg(long, value_name = "rev")]
        head: Option<String>,
        /// How many of the base's recent first-parent commits CG005 looks back over
        #[arg(long, value_name = "commits", default_value_t = 200)]
        lookback: usize,
    },
    /// Print a shell completion script (bash: source it or put it in bash-completion's folder;
    /// zsh: save it as _conflictguard on $fpath; fish: in ~/.config/fish/completions/;
    /// powershell: dot-source it from $PROFILE)
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CliHook {
    PreMergeCommit,
    PreCommit,
    /// On a server: checks what a push brings to protected branches
    PreReceive,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CliManager {
    Husky,
    Lefthook,
    PreCommit,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CliFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations, and a summary in $GITHUB_STEP_SUMMARY
    Github,
    /// GitLab Code Quality
    Gitlab,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CliFailOn {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CliColor {
    Auto,
    Always,
    Never,
}

impl Cli {
    pub fn into_invocation(self) -> Invocation {
        let command = match self.command {
            CliCommand::Check {
                branch,
                into,
                allow_unrelated_histories,
            } => Command::Check {
                branch,
                into,
                allow_unrelated_histories,
            },
            CliCommand::Audit { target } => Command::Audit { target },
            CliCommand::Explain { code } => Command::Explain { code },
            CliCommand::Demo { keep } => Command::Demo { keep },
            CliCommand::Hook { name, deadline } => match name {
                CliHook::PreMergeCommit => Command::Hook(Hook::PreMergeCommit),
                CliHook::PreCommit => Command::Hook(Hook::PreCommit),
                CliHook::PreReceive => Command::PreReceive { deadline },
            },
            CliCommand::Install {
                force,
                with,
                server,
            } => Command::Install {
                force,
                with: with.map(|manager| match manager {
                    CliManager::Husky => crate::hooks::Manager::Husky,
                    CliManager::Lefthook => crate::hooks::Manager::Lefthook,
                    CliManager::PreCommit => crate::hooks::Manager::PreCommit,
                }),
                server,
            },
            CliCommand::Uninstall { server } => Command::Uninstall { server },
            CliCommand::Ci {
                base,
                head,
                lookback,
            } => Command::Ci {
                base,
                head,
                lookback,
            },
            CliCommand::Completions { shell } => Command::Completions { shell },
        };
        Invocation {
            command,
            repository: self.directory,
            format: match self.format {
                CliFormat::Human => Format::Human,
                CliFormat::Json => Format::Json,
                CliFormat::Sarif => Format::Sarif,
                CliFormat::Github => Format::Github,
                CliFormat::Gitlab => Format::Gitlab,
            },
            color: match self.color {
                CliColor::Auto => Color::Auto,
                CliColor::Always => Color::Always,
                CliColor::Never => Color::Never,
            },
            overrides: Overrides {
                fail_on: self.fail_on.map(|fail_on| match fail_on {
                    CliFailOn::Error => FailOn::Error,
                    CliFailOn::Warning => FailOn::Warning,
                    CliFailOn::Never => FailOn::Never,
                }),
                mainline: self.mainline,
                max_file_size: self.max_file_size,
                parse_time_limit: self.parse_time_limit,
            },
        }
    }
}
