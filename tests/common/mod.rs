//! Real git repositories for tests: built in a temporary directory with the `git` command, with
//! no user or system configuration, a fixed identity and fixed, increasing dates.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;
use tempfile::TempDir;

pub struct TestRepo {
    dir: TempDir,
    /// Minutes since the first commit's date; each commit moves the clock on.
    clock: AtomicU32,
}

/// The environment every git and conflictguard process of a test gets: the binary under test
/// first on PATH (the installed hooks call it by name), no user or system git configuration.
pub fn clean_env(command: &mut Command, home: &Path) {
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_conflictguard"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let system_path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        std::iter::once(binary_dir).chain(std::env::split_paths(&system_path)),
    )
    .expect("a PATH");
    command
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("LANG", "C")
        .env("NO_COLOR", "1");
}

impl TestRepo {
    /// An empty repository whose first branch is `branch`.
    pub fn new(branch: &str) -> TestRepo {
        let repo = TestRepo {
            dir: tempfile::Builder::new()
                .prefix("conflictguard-test-")
                .tempdir()
                .expect("temporary directory"),
            clock: AtomicU32::new(0),
        };
        repo.git(&["init", "-q", "-b", branch]);
        repo.git(&["config", "core.autocrlf", "false"]);
        repo.git(&["config", "merge.renames", "true"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn date(&self) -> String {
        let minutes = self.clock.fetch_add(60, Ordering::Relaxed);
        let seconds = 1_795_000_000u64 + u64::from(minutes) * 60;
        format!("@{seconds} +0000")
    }

    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        command.args(args).current_dir(self.path());
        clean_env(&mut command, self.path());
        let date = self.date();
        command
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        command
    }

    /// Runs git and returns its output, whatever the exit status.
    pub fn git_output(&self, args: &[&str]) -> Output {
        self.command("git", args).output().expect("git runs")
    }

    /// Runs git, which must succeed; returns its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args);
        assert!(
            output.status.success(),
            "git {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Runs the conflictguard binary in the repository.
    pub fn conflictguard(&self, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_conflictguard"), args)
            .output()
            .expect("conflictguard runs")
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create folders");
        std::fs::write(full, bytes).expect("write file");
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).expect("remove file");
    }

    /// Commits everything in the work tree.
    pub fn commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "-m",
            message,
        ]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Makes the work tree hold exactly the files under `source` (a missing folder: no files).
    pub fn replace_work_tree(&self, source: &Path) {
        for entry in std::fs::read_dir(self.path()).expect("read work tree") {
            let entry = entry.expect("entry");
            if entry.file_name() == ".git" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove folder");
            } else {
                std::fs::remove_file(&path).expect("remove file");
            }
        }
        if source.exists() {
            copy_tree(source, self.path());
        }
    }
}

/// Copies a folder's files, byte for byte.
pub fn copy_tree(from: &Path, to: &Path) {
    let mut pending: Vec<(PathBuf, PathBuf)> = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((source, target)) = pending.pop() {
        std::fs::create_dir_all(&target).expect("create folder");
        for entry in std::fs::read_dir(&source).expect("read fixture folder") {
            let entry = entry.expect("entry");
            let path = entry.path();
            let destination = target.join(entry.file_name());
            if path.is_dir() {
                pending.push((path, destination));
            } else {
                std::fs::copy(&path, &destination).expect("copy file");
            }
        }
    }
}

/// A text setting of a fixture case (`ours_branch`, `theirs_message`, …) or a finding's field.
pub fn text<'a>(value: &'a Value, key: &str, default: &'a str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or(default)
}

/// Reads a fixture's JSON file (`expected.json`, `current.json`).
pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read the fixture's JSON file"))
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A fixture case (`<case>/base`, `ours`, `theirs`, `result` and `expected.json`) built into a
/// real repository, with its commits by role.
pub struct CaseRepo {
    pub repo: TestRepo,
    /// `base`, `theirs`, `ours` and, once merged, `merge`, each with its full id.
    pub commits: Vec<(&'static str, String)>,
    pub ours_branch: String,
    pub theirs_branch: String,
}

/// Builds a case up to its merge: a base commit, the `theirs` branch with the case's `theirs/`
/// tree, and the `ours` branch with `ours/`, checked out. Branch names and commit messages come
/// from `expected.json` (`ours_branch`, `theirs_branch`, `ours_message`, `theirs_message`).
pub fn build_case_branches(case: &Path, expected: &Value) -> CaseRepo {
    let ours = text(expected, "ours_branch", "feature");
    let theirs = text(expected, "theirs_branch", "main");
    let repo = TestRepo::new(ours);
    repo.replace_work_tree(&case.join("base"));
    let base = repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", theirs]);
    repo.replace_work_tree(&case.join("theirs"));
    let theirs_commit = repo.commit_all(text(expected, "theirs_message", "Their change"));
    repo.git(&["checkout", "-q", ours]);
    repo.replace_work_tree(&case.join("ours"));
    let ours_commit = repo.commit_all(text(expected, "ours_message", "Our change"));
    CaseRepo {
        repo,
        commits: vec![
            ("base", base),
            ("theirs", theirs_commit),
            ("ours", ours_commit),
        ],
        ours_branch: ours.to_string(),
        theirs_branch: theirs.to_string(),
    }
}

/// Builds a case with its merge: a real `git merge` of `theirs` into `ours`, committed with the
/// case's `result/` tree as the resolution.
pub fn build_case_merge(case: &Path, expected: &Value) -> CaseRepo {
    let mut built = build_case_branches(case, expected);
    let repo = &built.repo;
    // A conflicted merge exits 1: the resolution below is the case's result tree.
    repo.git_output(&[
        "merge",
        "--no-ff",
        "--no-commit",
        "-q",
        &built.theirs_branch,
    ]);
    assert!(
        repo.path().join(".git/MERGE_HEAD").exists(),
        "{}: git merge did not leave a merge in progress",
        case.display()
    );
    repo.replace_work_tree(&case.join("result"));
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        &format!(
            "Merge branch '{}' into {}",
            built.theirs_branch, built.ours_branch
        ),
    ]);
    let merge = repo.git(&["rev-parse", "HEAD"]);
    built.commits.push(("merge", merge));
    built
}

/// Builds a case's merge and returns the audit's JSON report, checking that the exit code agrees
/// with the findings.
pub fn audit_case(case: &Path, expected: &Value) -> Value {
    let built = build_case_merge(case, expected);
    let output = built
        .repo
        .conflictguard(&["audit", "HEAD", "--format", "json"]);
    let code = output.status.code();
    let report = json(&output);
    // The default `fail-on` is `error`: a warning alone exits 0.
    let has_errors = report["findings"].as_array().is_some_and(|findings| {
        findings
            .iter()
            .any(|finding| finding["severity"].as_str() == Some("error"))
    });
    assert_eq!(
        code,
        Some(if has_errors { 1 } else { 0 }),
        "{}: exit code does not match the findings",
        case.display()
    );
    report
}

/// What identifies a finding in a fixture: rule, path, line and identifier.
pub type FindingKey = (String, String, u64, String);

pub fn finding_key(finding: &Value) -> FindingKey {
    (
        text(finding, "rule", "").to_string(),
        text(finding, "path", "").to_string(),
        finding["line"].as_u64().unwrap_or(0),
        text(finding, "identifier", "").to_string(),
    )
}

/// What is wrong with one case's report, if anything: findings missing or unexpected (by
/// rule, path, line and identifier), a finding's `side`, `key_path` or `origin` when
/// `expected.json` names it,
/// and notes it wants that no note contains.
pub fn compare(expected: &Value, report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let empty = Vec::new();
    let wanted = expected["findings"].as_array().unwrap_or(&empty);
    let got = report["findings"].as_array().unwrap_or(&empty);
    let wanted_keys: BTreeSet<FindingKey> = wanted.iter().map(finding_key).collect();
    let got_keys: BTreeSet<FindingKey> = got.iter().map(finding_key).collect();
    for missing in wanted_keys.difference(&got_keys) {
        problems.push(format!("missing {missing:?}"));
    }
    for extra in got_keys.difference(&wanted_keys) {
        let message = got
            .iter()
            .find(|f| finding_key(f) == *extra)
            .map(|f| text(f, "message", "").to_string())
            .unwrap_or_default();
        problems.push(format!("unexpected {extra:?}: {message}"));
    }
    for want in wanted {
        let Some(found) = got.iter().find(|f| finding_key(f) == finding_key(want)) else {
            continue;
        };
        if let Some(side) = want.get("side").and_then(Value::as_str) {
            let actual = found["removed_by"]["side"].as_str().unwrap_or("none");
            if actual != side {
                problems.push(format!(
                    "{:?}: side {actual}, expected {side}",
                    finding_key(want)
                ));
            }
        }
        if let Some(key_path) = want.get("key_path").and_then(Value::as_str) {
            let actual = found["key_path"].as_str().unwrap_or("none");
            if actual != key_path {
                problems.push(format!(
                    "{:?}: key_path {actual}, expected {key_path}",
                    finding_key(want)
                ));
            }
        }
        if let Some(origin) = want.get("origin").and_then(Value::as_str) {
            let actual = found["origin"].as_str().unwrap_or("none");
            if actual != origin {
                problems.push(format!(
                    "{:?}: origin {actual}, expected {origin}",
                    finding_key(want)
                ));
            }
        }
    }
    let notes: Vec<String> = report["merges"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .flat_map(|merge| merge["notes"].as_array().cloned().unwrap_or_default())
        .map(|note| format!("{} {}", text(&note, "path", ""), text(&note, "message", "")))
        .collect();
    for wanted_note in expected["notes"].as_array().unwrap_or(&empty) {
        let wanted_note = wanted_note.as_str().unwrap_or_default();
        if !notes.iter().any(|note| note.contains(wanted_note)) {
            problems.push(format!(
                "no note contains {wanted_note:?}; notes: {notes:?}"
            ));
        }
    }
    problems
}

/// The JSON report of a run.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Every file under `dir` (symlinks as themselves) with its bytes and modification time: what a
/// read-only command must leave as it found.
pub fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, Option<std::time::SystemTime>)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("entry").path();
            let metadata = std::fs::symlink_metadata(&path).expect("metadata");
            if metadata.is_dir() {
                pending.push(path);
            } else {
                let bytes = if metadata.is_file() {
                    std::fs::read(&path).expect("read")
                } else {
                    Vec::new()
                };
                files.insert(
                    path.strip_prefix(dir)
                        .expect("inside")
                        .display()
                        .to_string(),
                    (bytes, metadata.modified().ok()),
                );
            }
        }
    }
    files
}
