//! The hooks in real merges: installed with `conflictguard install`, run by real `git merge`,
//! `git commit` and `git pull`.

mod common;

use common::TestRepo;

const APP_BASE: &str = "def call_legacy(payload):\n    return {\"legacy\": payload}\n\n\ndef call_current(payload):\n    return {\"current\": payload}\n";
const APP_MAIN: &str = "def call_current(payload):\n    return {\"current\": payload}\n";
const JOBS: &str = "from app import call_legacy\n\n\ndef nightly():\n    return call_legacy({\"job\": \"nightly\"})\n";
const JOBS_FIXED: &str = "from app import call_current\n\n\ndef nightly():\n    return call_current({\"job\": \"nightly\"})\n";

/// `main` removes call_legacy; `feature` adds jobs.py calling it. Merging feature into main is
/// clean and brings a use of a removed name: pre-merge-commit's case.
fn clean_merge_with_dangling_use() -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write("app.py", APP_BASE);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("jobs.py", JOBS);
    repo.commit_all("Nightly job");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("app.py", APP_MAIN);
    repo.commit_all("Remove call_legacy");
    let installed = repo.conflictguard(&["install"]);
    assert_eq!(installed.status.code(), Some(0), "{installed:?}");
    repo
}

const CONFIG_BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_MAIN: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n";
const CONFIG_RESOLVED: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n";

/// The incident: merging main into feature conflicts in config.js.
fn conflicting_merge() -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write("config.js", CONFIG_BASE);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("config.js", CONFIG_FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("config.js", CONFIG_MAIN);
    repo.commit_all("Remove LEGACY_URL");
    repo.git(&["checkout", "-q", "feature"]);
    repo.conflictguard(&["install"]);
    repo
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn parents(repo: &TestRepo) -> usize {
    repo.git(&["rev-list", "--parents", "-n", "1", "HEAD"])
        .split_whitespace()
        .count()
        - 1
}

#[test]
fn a_clean_merge_that_brings_back_a_use_is_refused_and_can_be_fixed() {
    let repo = clean_merge_with_dangling_use();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let merge = repo.git_output(&["merge", "--no-edit", "feature"]);
    let said = stderr(&merge);
    assert!(!merge.status.success(), "the merge went through: {said}");
    assert!(
        said.contains("CG003") && said.contains("call_legacy"),
        "{said}"
    );
    assert!(said.contains("git commit --no-verify"), "{said}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "a commit was made");
    assert!(
        repo.path().join(".git/MERGE_HEAD").exists(),
        "the merge is no longer in progress"
    );
    assert_eq!(
        repo.git(&["show", ":jobs.py"]),
        JOBS.trim_end(),
        "the index lost the merge"
    );

    repo.write("jobs.py", JOBS_FIXED);
    repo.git(&["add", "jobs.py"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert_eq!(parents(&repo), 2);
}

#[test]
fn a_clean_merge_without_resurrection_goes_through() {
    let repo = clean_merge_with_dangling_use();
    repo.git(&["checkout", "-q", "feature"]);
    repo.write("jobs.py", JOBS_FIXED);
    repo.commit_all("Use call_current");
    repo.git(&["checkout", "-q", "main"]);
    let merge = repo.git_output(&["merge", "--no-edit", "feature"]);
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert_eq!(parents(&repo), 2);
}

#[test]
fn no_verify_skips_the_check() {
    let repo = clean_merge_with_dangling_use();
    let merge = repo.git_output(&["merge", "--no-edit", "--no-verify", "feature"]);
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert_eq!(parents(&repo), 2);
}

#[test]
fn merges_by_commit_id_with_a_message_and_by_pull_are_checked() {
    let repo = clean_merge_with_dangling_use();
    let feature = repo.git(&["rev-parse", "feature"]);
    let by_id = repo.git_output(&["merge", "--no-edit", &feature]);
    assert!(!by_id.status.success(), "merge by id went through");
    assert!(stderr(&by_id).contains("call_legacy"));
    repo.git(&["merge", "--abort"]);

    let with_message = repo.git_output(&["merge", "-m", "Bring in feature", "feature"]);
    assert!(!with_message.status.success(), "merge -m went through");
    assert!(stderr(&with_message).contains("call_legacy"));
    repo.git(&["merge", "--abort"]);

    let pull = repo.git_output(&["pull", "--no-rebase", "--no-edit", ".", "feature"]);
    assert!(
        !pull.status.success(),
        "git pull went through: {}",
        stderr(&pull)
    );
    assert!(stderr(&pull).contains("call_legacy"), "{}", stderr(&pull));
}

#[test]
fn a_wrong_resolution_is_refused_at_commit_and_nothing_is_lost() {
    let repo = conflicting_merge();
    let merge = repo.git_output(&["merge", "main"]);
    assert!(!merge.status.success(), "expected a conflict");
    repo.git(&["checkout", "--ours", "--", "config.js"]);
    repo.git(&["add", "config.js"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    let said = stderr(&commit);
    assert!(
        !commit.status.success(),
        "the stale resolution was committed"
    );
    assert!(
        said.contains("CG001") && said.contains("LEGACY_URL"),
        "{said}"
    );
    assert!(
        said.contains("Remove LEGACY_URL"),
        "names the removing commit: {said}"
    );
    assert!(repo.path().join(".git/MERGE_HEAD").exists());
    assert_eq!(
        std::fs::read_to_string(repo.path().join("config.js")).expect("read"),
        CONFIG_FEATURE,
        "the user's resolution changed"
    );

    repo.write("config.js", CONFIG_RESOLVED);
    repo.git(&["add", "config.js"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert_eq!(parents(&repo), 2);
}

/// The refusal names the command that takes the removing side's version of the file, and that
/// command works after `git add` (where `git checkout --theirs` silently does nothing).
#[test]
fn the_refusal_names_a_command_that_takes_the_removing_sides_version() {
    let repo = conflicting_merge();
    repo.git_output(&["merge", "main"]);
    repo.git(&["checkout", "--ours", "--", "config.js"]);
    repo.git(&["add", "config.js"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    let said = stderr(&commit);
    let command = "git checkout MERGE_HEAD -- config.js";
    assert!(said.contains(command), "{said}");
    repo.git(&["checkout", "MERGE_HEAD", "--", "config.js"]);
    repo.git(&["add", "config.js"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert_eq!(parents(&repo), 2);
}

#[test]
fn ordinary_commits_pass_the_pre_commit_hook_at_once() {
    let repo = conflicting_merge();
    repo.write("notes.js", "const LEGACY_URL = 1;\n");
    repo.git(&["add", "notes.js"]);
    let commit = repo.git_output(&["commit", "-q", "-m", "Notes"]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert!(
        !stderr(&commit).contains("conflictguard"),
        "{}",
        stderr(&commit)
    );
}

#[test]
fn an_octopus_merge_is_reported_as_not_analysed() {
    let repo = TestRepo::new("main");
    repo.write("a.py", "A = 1\n");
    repo.commit_all("Base");
    for branch in ["one", "two"] {
        repo.git(&["checkout", "-q", "-b", branch, "main"]);
        repo.write(&format!("{branch}.py"), "X = 1\n");
        repo.commit_all(branch);
    }
    repo.git(&["checkout", "-q", "main"]);
    repo.conflictguard(&["install"]);
    let merge = repo.git_output(&["merge", "--no-ff", "--no-edit", "one", "two"]);
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert!(
        stderr(&merge).contains("octopus merge"),
        "{}",
        stderr(&merge)
    );
    assert_eq!(parents(&repo), 3);
}

#[test]
fn install_keeps_an_existing_hook_running_and_uninstall_restores_it() {
    let repo = TestRepo::new("main");
    repo.write("a.py", "A = 1\n");
    repo.commit_all("Base");
    let user_hook = "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/user-hook-ran\"\n";
    repo.write(".git/hooks/pre-commit", user_hook);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            repo.path().join(".git/hooks/pre-commit"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    let first = repo.conflictguard(&["install"]);
    assert_eq!(first.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&first.stdout).contains("still runs first"));
    let again = repo.conflictguard(&["install"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already installed"));

    repo.write("b.py", "B = 2\n");
    repo.git(&["add", "b.py"]);
    repo.git(&["commit", "-q", "-m", "Second"]);
    let ran = std::fs::read_to_string(repo.path().join(".git/user-hook-ran")).unwrap_or_default();
    assert_eq!(ran.lines().count(), 1, "the user's hook did not run");

    let removed = repo.conflictguard(&["uninstall"]);
    assert_eq!(removed.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).expect("restored"),
        user_hook
    );
    assert!(!repo.path().join(".git/hooks/pre-merge-commit").exists());
}

#[test]
fn install_honours_core_hooks_path() {
    let repo = TestRepo::new("main");
    repo.git(&["config", "core.hooksPath", "githooks"]);
    let output = repo.conflictguard(&["install"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(repo.path().join("githooks/pre-merge-commit").exists());
    assert!(repo.path().join("githooks/pre-commit").exists());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn an_inline_allow_lets_a_deliberate_resolution_through() {
    let repo = conflicting_merge();
    repo.git_output(&["merge", "main"]);
    repo.write(
        "config.js",
        &CONFIG_FEATURE.replace(
            "const LEGACY_URL",
            "// conflictguard: allow LEGACY_URL (kept for the rollback)\nconst LEGACY_URL",
        ),
    );
    repo.git(&["add", "config.js"]);
    let commit = repo.git_output(&["commit", "--no-edit"]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert_eq!(parents(&repo), 2);
}

#[test]
fn a_pull_from_another_repository_is_checked() {
    let upstream = clean_merge_with_dangling_use();
    let local = TestRepo::new("main");
    local.git(&[
        "pull",
        "-q",
        upstream.path().to_str().expect("utf-8"),
        "main",
    ]);
    local.conflictguard(&["install"]);
    local.git(&[
        "remote",
        "add",
        "origin",
        upstream.path().to_str().expect("utf-8"),
    ]);
    let pull = local.git_output(&["pull", "--no-rebase", "--no-edit", "origin", "feature"]);
    assert!(
        !pull.status.success(),
        "the pull went through: {}",
        stderr(&pull)
    );
    assert!(stderr(&pull).contains("call_legacy"), "{}", stderr(&pull));
    assert!(local.path().join(".git/MERGE_HEAD").exists());
}

#[test]
fn linked_worktrees_share_the_installed_hooks() {
    let repo = clean_merge_with_dangling_use();
    let worktree = repo.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        worktree.to_str().expect("utf-8"),
        "-b",
        "other",
        "main",
    ]);
    let mut command = std::process::Command::new("git");
    common::clean_env(&mut command, repo.path());
    let merge = command
        .args(["merge", "--no-edit", "feature"])
        .current_dir(&worktree)
        .env("GIT_AUTHOR_DATE", "@1795000000 +0000")
        .env("GIT_COMMITTER_DATE", "@1795000000 +0000")
        .output()
        .expect("git runs");
    assert!(
        !merge.status.success(),
        "the merge in the worktree went through"
    );
    assert!(stderr(&merge).contains("call_legacy"), "{}", stderr(&merge));
}

/// Runs git in `repo` with a PATH that has no conflictguard on it.
fn git_without_conflictguard(repo: &TestRepo, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new("git");
    common::clean_env(&mut command, repo.path());
    let binary_dir = std::path::Path::new(env!("CARGO_BIN_EXE_conflictguard"))
        .parent()
        .expect("folder")
        .to_path_buf();
    let path: Vec<_> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| *dir != binary_dir)
        .collect();
    command
        .args(args)
        .current_dir(repo.path())
        .env("PATH", std::env::join_paths(path).expect("PATH"))
        .env("GIT_AUTHOR_DATE", "@1795100000 +0000")
        .env("GIT_COMMITTER_DATE", "@1795100000 +0000")
        .output()
        .expect("git runs")
}

#[test]
fn a_missing_binary_blocks_by_default_and_keeps_the_merge() {
    let repo = clean_merge_with_dangling_use();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let merge = git_without_conflictguard(&repo, &["merge", "--no-edit", "feature"]);
    let said = stderr(&merge);
    assert!(
        !merge.status.success(),
        "went through without a check: {said}"
    );
    assert!(
        said.contains("not on PATH") && said.contains("--no-verify"),
        "{said}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert!(repo.path().join(".git/MERGE_HEAD").exists());
    assert_eq!(repo.git(&["show", ":jobs.py"]), JOBS.trim_end());
}

#[test]
fn on_error_allow_lets_the_commit_through_and_says_so() {
    let repo = clean_merge_with_dangling_use();
    // A file the binary cannot read (an unknown key) makes the check itself fail: exit 2.
    repo.write(
        ".conflictguard.toml",
        "on-error = \"allow\"\nnot-a-key = 1\n",
    );
    repo.commit_all("Configure the guard");
    let broken = repo.git_output(&["merge", "--no-edit", "feature"]);
    let said = stderr(&broken);
    assert!(broken.status.success(), "{said}");
    assert!(
        said.contains("exited with status 2") && said.contains("without the check"),
        "{said}"
    );
    assert_eq!(parents(&repo), 2);

    let repo = clean_merge_with_dangling_use();
    repo.write(".conflictguard.toml", "on-error = \"allow\"\n");
    repo.commit_all("Configure the guard");
    let missing = git_without_conflictguard(&repo, &["merge", "--no-edit", "feature"]);
    assert!(missing.status.success(), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("not on PATH"));
}

#[test]
fn on_error_block_refuses_when_the_check_fails() {
    let repo = clean_merge_with_dangling_use();
    repo.write(".conflictguard.toml", "not-a-key = 1\n");
    repo.commit_all("A broken configuration");
    let merge = repo.git_output(&["merge", "--no-edit", "feature"]);
    let said = stderr(&merge);
    assert!(!merge.status.success(), "{said}");
    assert!(
        said.contains("unknown field") && said.contains("on-error = \"block\""),
        "{said}"
    );
    assert!(repo.path().join(".git/MERGE_HEAD").exists());
}
