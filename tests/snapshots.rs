//! Snapshots of what conflictguard prints: `audit` in every output format (human, JSON, SARIF,
//! GitHub with its step summary, GitLab) on a few fixtures, `explain`, a conflicted `check` dry run
//! and a `ci` run. People read these outputs and CI services parse them; the snapshots pin their
//! shape while the code behind them moves, so that any change shows as a diff to review.
//!
//! Each repository is built from a fixture exactly as `tests/fixtures.rs` builds it, and only what
//! differs between runs or machines is redacted: the temporary path, commit ids (named by the
//! commit's role, so distinct commits stay distinct), other hashes, and the crate version.
//!
//! After a deliberate change: `INSTA_UPDATE=always cargo test --test snapshots`, then read every
//! changed file in `tests/snapshots/` before committing it. Under `CI=true` insta writes nothing
//! and a mismatch fails the test.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use common::{build_case_branches, build_case_merge, read_json, CaseRepo, TestRepo};

/// The fixtures whose merge is audited in every format.
const AUDITED_FIXTURES: &[&str] = &[
    // CG001: the commit that removed the name, and where the kept line came from.
    "js-incident-main-into-feature",
    // CG003: a clean merge brings a new import of a name the other side removed everywhere.
    "py-new-use-of-name-removed-everywhere",
    // CG004: committed conflict markers, and a note that the file does not parse.
    "leftover-conflict-markers",
    // Notes for generated files skipped, next to a finding in src/.
    "precision-generated-files-skipped",
    // Nothing to report but one notice (a mass deletion): the clean shape of every format.
    "precision-mass-deletion",
];

const FORMATS: &[&str] = &["human", "json", "sarif", "github", "gitlab"];

/// The fixture whose branches `check` merges in a dry run (a conflict with a name at risk), and
/// whose merge `ci` reads.
const CHECKED_FIXTURE: &str = "js-incident-main-into-feature";

fn audit_snapshot_name(fixture: &str, format: &str) -> String {
    format!("audit__{fixture}__{format}")
}

fn check_snapshot_name(format: &str) -> String {
    format!("check__{CHECKED_FIXTURE}__{format}")
}

fn ci_snapshot_name(format: &str) -> String {
    format!("ci__{CHECKED_FIXTURE}__{format}")
}

const EXPLAIN_SNAPSHOT_NAME: &str = "explain__cg001";

/// Every snapshot name the tests below assert, derived from the same constants they loop over.
fn snapshot_names() -> Vec<String> {
    let mut names = Vec::new();
    for fixture in AUDITED_FIXTURES {
        for format in FORMATS {
            names.push(audit_snapshot_name(fixture, format));
        }
        names.push(audit_snapshot_name(fixture, "github-step-summary"));
    }
    names.push(check_snapshot_name("human"));
    names.push(check_snapshot_name("json"));
    names.push(ci_snapshot_name("json"));
    names.push(EXPLAIN_SNAPSHOT_NAME.to_string());
    names
}

fn fixture_dir(fixture: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture)
}

/// Asserts the snapshot `name`, recording in its header what produced it.
fn assert_output_snapshot(name: &str, description: &str, text: &str) {
    assert!(
        snapshot_names().iter().any(|known| known == name),
        "{name} is missing from snapshot_names(), so every_snapshot_file_is_used would reject it"
    );
    insta::with_settings!({ description => description, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Standard output of a run, after checking its exit code and that it wrote nothing to stderr.
fn stdout(output: &Output, expected_code: i32, what: &str) -> String {
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "{what}: exit code; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{what}: unexpected stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("the output is UTF-8")
}

/// Replaces what differs between runs or machines with stable placeholders: the repository's
/// temporary path as `[repo]`, the crate version as `[version]`, each commit id as its role
/// (`[theirs-sha]` in full, `[theirs-short]` abbreviated), and any other hash of 7 or more hex
/// digits (a fingerprint) as `[hash-N]`, numbered in order of first appearance.
fn redact(text: &str, repo: &Path, commits: &[(&str, String)]) -> String {
    let mut text = text.to_string();
    let canonical = repo.canonicalize().expect("the repository's path");
    for path in [canonical.as_path(), repo] {
        text = text.replace(path.to_str().expect("a UTF-8 path"), "[repo]");
    }
    let version = env!("CARGO_PKG_VERSION");
    text = text.replace(&format!("\"{version}\""), "\"[version]\"");
    redact_hashes(&text, commits)
}

fn redact_hashes(text: &str, commits: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut other_hashes: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String| {
        let is_hash =
            word.len() >= 7 && word.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let commit = commits.iter().find(|(_, id)| id.starts_with(word.as_str()));
        match commit {
            Some((role, id)) if is_hash => {
                let form = if word.len() == id.len() {
                    "sha"
                } else {
                    "short"
                };
                out.push_str(&format!("[{role}-{form}]"));
            }
            // Words such as `defaced` are hex too: a hash has a digit.
            _ if is_hash && word.bytes().any(|b| b.is_ascii_digit()) => {
                let number = match other_hashes.iter().position(|seen| seen == word) {
                    Some(index) => index + 1,
                    None => {
                        other_hashes.push(word.clone());
                        other_hashes.len()
                    }
                };
                out.push_str(&format!("[hash-{number}]"));
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[test]
fn redaction_names_commits_by_role_and_numbers_other_hashes() {
    let commits = [
        (
            "base",
            "0123456789abcdef0123456789abcdef01234567".to_string(),
        ),
        (
            "theirs",
            "fedcba9876543210fedcba9876543210fedcba98".to_string(),
        ),
    ];
    let redacted = redact_hashes(
        "fedcba9 by 0123456789abcdef0123456789abcdef01234567: 9bf1f2d39dfe6937, \
         1234abcd5678ef00 and 9bf1f2d39dfe6937; defaced LEGACY_1234567 abc1234",
        &commits,
    );
    assert_eq!(
        redacted,
        "[theirs-short] by [base-sha]: [hash-1], [hash-2] and [hash-1]; defaced \
         LEGACY_1234567 [hash-3]"
    );
}

#[test]
fn audit_in_every_format() {
    for fixture in AUDITED_FIXTURES {
        let case = fixture_dir(fixture);
        let expected = read_json(&case.join("expected.json"));
        let wants_findings = expected["findings"]
            .as_array()
            .is_some_and(|findings| !findings.is_empty());
        let CaseRepo { repo, commits, .. } = build_case_merge(&case, &expected);
        // The step summary goes to a file outside the repository; the environment is otherwise
        // cleared (common::clean_env), so no other run writes one.
        let summary_dir = tempfile::tempdir().expect("a folder for the step summary");
        let summary = summary_dir.path().join("step-summary.md");
        for format in FORMATS {
            let args = ["audit", "HEAD", "--format", format];
            let mut command = repo.command(env!("CARGO_BIN_EXE_conflictguard"), &args);
            if *format == "github" {
                command.env("GITHUB_STEP_SUMMARY", &summary);
            }
            let output = command.output().expect("conflictguard runs");
            let description = format!("conflictguard {} on fixtures/{fixture}", args.join(" "));
            let text = stdout(&output, i32::from(wants_findings), &description);
            assert_output_snapshot(
                &audit_snapshot_name(fixture, format),
                &description,
                &redact(&text, repo.path(), &commits),
            );
        }
        let summary_text = std::fs::read_to_string(&summary)
            .expect("--format github wrote the step summary to $GITHUB_STEP_SUMMARY");
        assert_output_snapshot(
            &audit_snapshot_name(fixture, "github-step-summary"),
            &format!(
                "$GITHUB_STEP_SUMMARY after conflictguard audit HEAD --format github on fixtures/{fixture}"
            ),
            &redact(&summary_text, repo.path(), &commits),
        );
    }
}

#[test]
fn check_dry_run_with_a_conflict_lists_names_at_risk() {
    let case = fixture_dir(CHECKED_FIXTURE);
    let expected = read_json(&case.join("expected.json"));
    let CaseRepo {
        repo,
        commits,
        theirs_branch,
        ..
    } = build_case_branches(&case, &expected);
    for format in ["human", "json"] {
        let args = ["check", theirs_branch.as_str(), "--format", format];
        let description = format!(
            "conflictguard {} on fixtures/{CHECKED_FIXTURE}, before the merge",
            args.join(" ")
        );
        // A dry run that hits a conflict fails: someone must resolve it.
        let text = stdout(&repo.conflictguard(&args), 1, &description);
        assert_output_snapshot(
            &check_snapshot_name(format),
            &description,
            &redact(&text, repo.path(), &commits),
        );
    }
}

#[test]
fn ci_reads_the_merge_and_the_final_merge() {
    let case = fixture_dir(CHECKED_FIXTURE);
    let expected = read_json(&case.join("expected.json"));
    let CaseRepo {
        repo,
        commits,
        ours_branch,
        theirs_branch,
    } = build_case_merge(&case, &expected);
    let args = [
        "ci",
        "--base",
        theirs_branch.as_str(),
        "--head",
        ours_branch.as_str(),
        "--format",
        "json",
    ];
    let description = format!(
        "conflictguard {} on fixtures/{CHECKED_FIXTURE}",
        args.join(" ")
    );
    let text = stdout(&repo.conflictguard(&args), 1, &description);
    assert_output_snapshot(
        &ci_snapshot_name("json"),
        &description,
        &redact(&text, repo.path(), &commits),
    );
}

#[test]
fn explain_cg001() {
    let repo = TestRepo::new("main");
    let text = stdout(
        &repo.conflictguard(&["explain", "CG001"]),
        0,
        "conflictguard explain CG001",
    );
    assert_output_snapshot(
        EXPLAIN_SNAPSHOT_NAME,
        "conflictguard explain CG001",
        &redact(&text, repo.path(), &[]),
    );
}

/// insta writes a file for each snapshot name and never deletes one: a snapshot whose fixture or
/// format was renamed or dropped would stay in `tests/snapshots/`, compared by nothing, and mislead
/// whoever reads it. `cargo insta test --unreferenced=reject` finds such files, but CI runs plain
/// `cargo test`, so this test makes the same check: every `.snap` file in the folder must be one
/// of `snapshot_names()`, the list the tests above build their names from (and
/// `assert_output_snapshot` refuses a name missing from it). A name with no file fails on its own:
/// under `CI=true` insta reports a missing snapshot as a mismatch.
#[test]
fn every_snapshot_file_is_used() {
    let names = snapshot_names();
    let used: BTreeSet<String> = names
        .iter()
        .map(|name| format!("snapshots__{name}.snap"))
        .collect();
    assert_eq!(used.len(), names.len(), "a snapshot name is used twice");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut unused: Vec<String> = std::fs::read_dir(&folder)
        .expect("tests/snapshots/ exists")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .filter(|file| file.ends_with(".snap") && !used.contains(file))
        .collect();
    unused.sort();
    assert!(
        unused.is_empty(),
        "snapshot files that no test in tests/snapshots.rs asserts (delete them): {unused:?}"
    );
}
