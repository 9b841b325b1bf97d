//! `conflictguard demo`: the incident, built for real in a temporary repository with the `git`
//! command — a small JavaScript service, `main` removing an unused endpoint, `main` merged into
//! the feature branch with the stale side kept — then checked before and after the merge.

use std::path::Path;
use std::process::Command as Process;

use super::ExitStatus;
use crate::cli::{Command, Invocation};
use crate::error::{Error, Result};

const CONFIG_BASE: &str = r#"// Service endpoints used by the storefront.
const API_BASE = "https://api.example.com";

const QUOTES_URL = `${API_BASE}/v2/quotes`;
const LEGACY_QUOTE_URL = "https://legacy-quotes.example.com/v1";
const CHECKOUT_URL = `${API_BASE}/v2/checkout`;

module.exports = {
  QUOTES_URL,
  LEGACY_QUOTE_URL,
  CHECKOUT_URL,
};
"#;

const CONFIG_FEATURE: &str = r#"// Service endpoints used by the storefront.
const API_BASE = "https://api.example.com";

const QUOTES_URL = `${API_BASE}/v2/quotes`;
const LEGACY_QUOTE_URL = "https://legacy-quotes.example.com/v1";
const CHECKOUT_URL = `${API_BASE}/v3/checkout`;
const BETA_CHECKOUT = process.env.BETA_CHECKOUT === "1";

module.exports = {
  QUOTES_URL,
  LEGACY_QUOTE_URL,
  CHECKOUT_URL,
  BETA_CHECKOUT,
};
"#;

const CONFIG_MAIN: &str = r#"// Service endpoints used by the storefront.
const API_BASE = "https://api.example.com";

const QUOTES_URL = `${API_BASE}/v2/quotes`;
const CHECKOUT_URL = `${API_BASE}/v2/checkout`;

module.exports = {
  QUOTES_URL,
  CHECKOUT_URL,
};
"#;

const QUOTES_BASE: &str = r#"const { QUOTES_URL, LEGACY_QUOTE_URL } = require("./config");

async function fetchQuotes(client) {
  return client.get(QUOTES_URL);
}

async function fetchLegacyQuotes(client) {
  return client.get(LEGACY_QUOTE_URL);
}

module.exports = { fetchQuotes, fetchLegacyQuotes };
"#;

const QUOTES_MAIN: &str = r#"const { QUOTES_URL } = require("./config");

async function fetchQuotes(client) {
  return client.get(QUOTES_URL);
}

module.exports = { fetchQuotes };
"#;

/// `git` in `dir` with a clean environment: no user or system config, a fixed identity and date,
/// so the demo prints the same on every machine.
fn git_command(dir: &Path, args: &[&str], date: &str) -> Process {
    let mut command = Process::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Dana Maintainer")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana Maintainer")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

fn failed(args: &[&str], detail: impl std::fmt::Display) -> Error {
    Error::Command {
        command: format!("git {}", args.join(" ")),
        detail: detail.to_string(),
    }
}

/// Runs git and returns its standard output, whatever its exit status (a conflicted merge).
fn git(dir: &Path, args: &[&str], date: &str) -> Result<String> {
    let output = git_command(dir, args, date)
        .output()
        .map_err(|err| failed(args, err))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs git, which must succeed.
fn git_ok(dir: &Path, args: &[&str], date: &str) -> Result<()> {
    let output = git_command(dir, args, date)
        .output()
        .map_err(|err| failed(args, err))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(failed(
            args,
            format!(
                "{}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ))
    }
}

fn write(dir: &Path, path: &str, text: &str) -> Result<()> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("creating {path}"), e))?;
    }
    std::fs::write(&full, text).map_err(|e| Error::io(format!("writing {path}"), e))
}

/// Builds the incident and checks it; the exit status is the audit's.
pub fn run(invocation: &Invocation, keep: bool) -> Result<ExitStatus> {
    let temp = tempfile::Builder::new()
        .prefix("conflictguard-demo-")
        .tempdir()
        .map_err(|e| Error::io("creating a temporary directory", e))?;
    let dir = temp.path();
    let day = |d: u32| format!("2026-11-{d:02}T10:00:00Z");

    println!(
        "conflictguard demo: building the incident in {}",
        dir.display()
    );
    git_ok(dir, &["init", "-q", "-b", "main"], &day(10))?;
    write(dir, "src/config.js", CONFIG_BASE)?;
    write(dir, "src/quotes.js", QUOTES_BASE)?;
    git_ok(dir, &["add", "-A"], &day(10))?;
    git_ok(
        dir,
        &["commit", "-q", "-m", "Storefront service endpoints"],
        &day(10),
    )?;
    println!("  main:    config.js defines QUOTES_URL, LEGACY_QUOTE_URL, CHECKOUT_URL");

    git_ok(dir, &["checkout", "-q", "-b", "feature"], &day(12))?;
    write(dir, "src/config.js", CONFIG_FEATURE)?;
    git_ok(
        dir,
        &["commit", "-q", "-am", "Add the beta checkout flag"],
        &day(12),
    )?;
    println!("  feature: adds a BETA_CHECKOUT flag next to the endpoints");

    git_ok(dir, &["checkout", "-q", "main"], &day(20))?;
    write(dir, "src/config.js", CONFIG_MAIN)?;
    write(dir, "src/quotes.js", QUOTES_MAIN)?;
    git_ok(
        dir,
        &[
            "commit",
            "-q",
            "-am",
            "Remove the unused legacy quote endpoint",
        ],
        &day(20),
    )?;
    println!("  main:    removes LEGACY_QUOTE_URL and its only caller (the service is shut down)");

    git_ok(dir, &["checkout", "-q", "feature"], &day(21))?;
    let mut before = invocation.clone();
    before.repository = Some(dir.to_path_buf());
    before.command = Command::Check {
        branch: Some("main".into()),
        into: "HEAD".into(),
        allow_unrelated_histories: false,
    };
    println!("\n$ conflictguard check main      # before merging main into feature: a dry run");
    super::run(&before)?;

    // The merge conflicts; the person resolving it keeps the feature's side of config.js.
    let _ = git(dir, &["merge", "-q", "main"], &day(21))?;
    git_ok(
        dir,
        &["checkout", "--ours", "--", "src/config.js"],
        &day(21),
    )?;
    git_ok(dir, &["add", "src/config.js"], &day(21))?;
    git_ok(dir, &["commit", "-q", "--no-edit"], &day(21))?;
    println!("\n$ git merge main                # conflict in src/config.js");
    println!("$ git checkout --ours src/config.js && git add . && git commit --no-edit");
    let diff = git(dir, &["show", "--cc", "--format=", "HEAD"], &day(21))?;
    println!(
        "$ git show --cc HEAD            # prints {}",
        if diff.trim().is_empty() {
            "nothing: the result equals the feature side".to_string()
        } else {
            format!("{} lines", diff.lines().count())
        }
    );

    let mut after = invocation.clone();
    after.repository = Some(dir.to_path_buf());
    after.command = Command::Audit {
        target: "HEAD".into(),
    };
    println!("\n$ conflictguard audit HEAD      # after the merge");
    let status = super::run(&after)?;
    if keep {
        let kept = temp.keep();
        println!(
            "\nThe repository is kept in {}: `git -C {} log --graph --oneline --all` shows the history.",
            kept.display(),
            kept.display()
        );
    } else {
        println!(
            "\n(The repository is deleted; `conflictguard demo --keep` leaves it for a look.)"
        );
    }
    Ok(status)
}
