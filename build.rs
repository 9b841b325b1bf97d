//! Build-time outputs of the binary:
//! - `CONFLICTGUARD_VERSION` for `--version`: the package version and the commit it is built from
//!   (`0.1.0 (1a2b3c4d5e6f 2026-11-30)`), read from git in a checkout, else from the
//!   `.cargo_vcs_info.json` that `cargo package` writes into a published crate, else the version
//!   alone with `unknown commit`;
//! - the man pages, `conflictguard.1` and one per subcommand, written by clap_mangen into `OUT_DIR`
//!   from the very clap definitions the binary parses with (`src/cli.rs`, compiled here too). The
//!   release workflow finds them through cargo's `build-script-executed` message and ships them in
//!   the archives; `tests/packaging_cli.rs` checks them.
//!
//! `src/cli.rs` names a few of the library's types (the settings it fills in, the hook names); this
//! script has stand-ins for exactly those below. A new `crate::` path in `src/cli.rs` needs one here
//! as well, or this script does not compile.

use std::path::{Path, PathBuf};
use std::process::Command;

// Linted as part of the library; here it is a private module, where clippy also asks for what
// it does not ask of public items (variant names).
#[path = "src/cli.rs"]
#[allow(dead_code, clippy::enum_variant_names)]
mod cli;

/// Stand-ins for the settings `src/cli.rs` fills in: only their names and variants matter here.
#[allow(dead_code)]
mod config {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Color {
        Auto,
        Always,
        Never,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum FailOn {
        Error,
        Warning,
        Never,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Format {
        Human,
        Json,
        Sarif,
        Github,
        Gitlab,
    }
    #[derive(Clone, Debug, Default)]
    pub struct Overrides {
        pub fail_on: Option<FailOn>,
        pub mainline: Option<String>,
        pub max_file_size: Option<u64>,
        pub parse_time_limit: Option<u64>,
    }
}

/// Stand-ins for the hook names `src/cli.rs` maps its flags to.
#[allow(dead_code)]
mod hooks {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Hook {
        PreMergeCommit,
        PreCommit,
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Manager {
        Husky,
        Lefthook,
        PreCommit,
    }
    pub mod server {
        /// The man page never parses a value; the binary uses the library's parser.
        pub fn parse_duration(_text: &str) -> Result<std::time::Duration, String> {
            Err("not parsed at build time".to_string())
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/cli.rs");
    println!("cargo:rerun-if-env-changed=CONFLICTGUARD_COMMIT");

    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let version = env_var("CARGO_PKG_VERSION");
    let long_version = match commit(&manifest_dir) {
        Some((sha, Some(date))) => format!("{version} ({sha} {date})"),
        Some((sha, None)) => format!("{version} ({sha})"),
        None => format!("{version} (unknown commit)"),
    };
    println!("cargo:rustc-env=CONFLICTGUARD_VERSION={long_version}");

    let out_dir = PathBuf::from(env_var("OUT_DIR"));
    use clap::CommandFactory;
    // clap takes a static string (its `string` feature is off); this script runs once.
    let command = cli::Cli::command().version(&*Box::leak(long_version.into_boxed_str()));
    if let Err(err) = clap_mangen::generate_to(command, &out_dir) {
        panic!("writing the man pages to {}: {err}", out_dir.display());
    }
}

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name} for build scripts"))
}

/// The commit (12 hex digits) and its date (YYYY-MM-DD) the crate is built from: an explicit
/// `CONFLICTGUARD_COMMIT`, else git when the crate is the top of its own checkout, else the
/// `.cargo_vcs_info.json` of a packaged crate (which has no date).
fn commit(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    if let Ok(sha) = std::env::var("CONFLICTGUARD_COMMIT") {
        let sha = sha.trim();
        if !sha.is_empty() {
            return Some((sha.chars().take(12).collect(), None));
        }
    }
    git_commit(manifest_dir).or_else(|| packaged_commit(manifest_dir))
}

fn git(manifest_dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(manifest_dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_string())
}

fn git_commit(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    // A crate unpacked inside someone else's repository (a vendored copy) is not that commit.
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(manifest_dir).ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, and packed refs.
    // (A file that does not exist is left out: cargo would rerun this script on every build.)
    let branch = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]);
    for name in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        if let Some(file) = git(manifest_dir, &["rev-parse", "--git-path", name]) {
            let file = manifest_dir.join(file);
            if file.exists() {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
    }
    let line = git(
        manifest_dir,
        &["log", "-1", "--no-show-signature", "--format=%H %cs"],
    )?;
    let (sha, date) = line.split_once(' ')?;
    Some((sha.chars().take(12).collect(), Some(date.to_string())))
}

fn packaged_commit(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    let path = manifest_dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    // {"git": {"sha1": "<40 hex>"}, "path_in_vcs": ""}: the one 40-hex-digit string in the file.
    let sha = text
        .split('"')
        .find(|part| part.len() == 40 && part.bytes().all(|b| b.is_ascii_hexdigit()))?;
    Some((sha[..12].to_string(), None))
}
