//! Bad repositories and bad files: each gets a clear answer (a result, a note, or exit 2 with a
//! hint), never a panic, and the repository is never changed.

mod common;

use common::{json, snapshot, TestRepo};

/// main removes LEGACY from config.js; feature changes the next line; merged into feature.
fn repo_with_history() -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write(
        "config.js",
        "const A = 1;\nconst LEGACY = 2;\nconst B = 3;\n",
    );
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "config.js",
        "const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n",
    );
    repo.commit_all("B");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("config.js", "const A = 1;\nconst B = 3;\n");
    repo.commit_all("Remove LEGACY");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.write(
        "config.js",
        "const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    repo
}

#[test]
fn check_audit_and_ci_leave_every_byte_of_the_repository_as_it_was() {
    let repo = repo_with_history();
    // Every file's bytes and modification time, with objects loose and then packed: writing an
    // object that exists (the merged tree of `check` equals trees in the history) must not
    // "freshen" its file either.
    for packed in [false, true] {
        if packed {
            repo.git(&["gc", "-q"]);
        }
        let before = snapshot(repo.path());
        for args in [
            vec!["check", "main"],
            vec!["check", "HEAD~1", "--into", "HEAD~2"],
            vec!["audit", "HEAD"],
            vec!["audit", "HEAD~2..HEAD"],
            vec!["ci", "--base", "main"],
            vec!["ci", "--base", "main", "--format", "sarif"],
        ] {
            let output = repo.conflictguard(&args);
            assert_ne!(
                output.status.code(),
                Some(2),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let after = snapshot(repo.path());
            let changed: Vec<&String> = after
                .iter()
                .filter(|(path, entry)| before.get(*path) != Some(entry))
                .map(|(path, _)| path)
                .chain(before.keys().filter(|path| !after.contains_key(*path)))
                .collect();
            assert!(
                changed.is_empty(),
                "{args:?} (packed: {packed}) changed {changed:?}"
            );
        }
    }
}

#[test]
fn detached_head_works() {
    let repo = repo_with_history();
    repo.git(&["checkout", "-q", "--detach", "HEAD"]);
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(report["findings"][0]["identifier"], "LEGACY");
    let output = repo.conflictguard(&["check", "main", "--format", "json"]);
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bare_repositories_can_be_audited_and_checked_in_ci() {
    let repo = repo_with_history();
    let bare = repo.path().join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().expect("utf-8")]);
    let bare = bare.to_str().expect("utf-8");
    let audit = json(&repo.conflictguard(&["-C", bare, "audit", "feature", "--format", "json"]));
    assert_eq!(audit["findings"][0]["identifier"], "LEGACY");
    let ci = repo.conflictguard(&["-C", bare, "ci", "--base", "main", "--head", "feature"]);
    assert_eq!(
        ci.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&ci.stderr)
    );
}

#[test]
fn an_empty_repository_and_missing_objects_are_exit_2_with_a_hint() {
    let empty = TestRepo::new("main");
    for args in [
        vec!["check", "main"],
        vec!["audit", "HEAD"],
        vec!["ci", "--base", "main"],
    ] {
        let output = empty.conflictguard(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("help"), "{args:?}: {stderr}");
    }

    let repo = repo_with_history();
    let blob = repo.git(&["rev-parse", "main:config.js"]);
    let object = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(&object).expect("the loose object exists");
    let output = repo.conflictguard(&["audit", "HEAD"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("missing from the repository") && stderr.contains("git fsck"),
        "{stderr}"
    );
}

#[test]
fn a_merge_at_a_shallow_clones_boundary_is_exit_2_not_a_non_merge() {
    let repo = repo_with_history();
    let clone = tempfile::tempdir().expect("temp");
    let url = format!("file://{}", repo.path().display());
    let target = clone.path().join("shallow");
    let target = target.to_str().expect("utf-8 path");
    repo.git(&["clone", "-q", "--depth", "1", &url, target]);
    let output = repo.conflictguard(&["-C", target, "audit", "HEAD"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("shallow clone") && stderr.contains("--unshallow"),
        "{stderr}"
    );
    assert!(!stderr.contains("not a merge commit"), "{stderr}");
}

#[test]
fn awkward_files_are_handled_or_noted_never_a_crash() {
    let repo = TestRepo::new("main");
    let long_line = format!("var x={};\n", "1+".repeat(2_700_000));
    repo.write("min/app.js", "var LEGACY=1;var y=2;\n");
    repo.write("dir with space/é.py", "LEGACY = 1\nOTHER = 2\n");
    repo.write(
        "lfs.js",
        "version https://git-lfs.github.com/spec/v1\noid sha256:0000\nsize 12\n",
    );
    repo.write("mode.py", "X = 1\n");
    repo.write("Case.js", "const K = 1;\n");
    repo.write("clash", "a file that becomes a folder\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("min/app.js", &long_line);
    repo.write("dir with space/é.py", "LEGACY = 1\nOTHER = 3\n");
    repo.write("line\nbreak.py", "Z = 1\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("mode.py", repo.path().join("link.py")).expect("symlink");
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("dir with space/é.py", "OTHER = 2\n");
    repo.git(&["update-index", "--chmod=+x", "mode.py"]);
    repo.git(&["mv", "Case.js", "case.js"]);
    repo.remove("clash");
    repo.write("clash/inside.js", "const INSIDE = 1;\n");
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,vendor/submodule",
    ]);
    repo.commit_all("Main");
    repo.git(&["checkout", "-q", "feature"]);
    let check = repo.conflictguard(&["check", "main", "--format", "json"]);
    assert_ne!(
        check.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    repo.git_output(&["merge", "-q", "main"]);
    repo.write("dir with space/é.py", "LEGACY = 1\nOTHER = 3\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let finding = &report["findings"][0];
    assert_eq!(finding["identifier"], "LEGACY");
    assert_eq!(finding["path"], "dir with space/é.py");
    let human = repo.conflictguard(&["audit", "HEAD"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("dir with space/é.py:1:1"), "{text}");
}

#[test]
fn hostile_paths_and_commit_summaries_are_neutralised_in_every_format() {
    let repo = TestRepo::new("main");
    let path = "src/\u{1b}[31mred%.js";
    repo.write(path, "const A = 1;\nconst LEGACY = 2;\nconst B = 3;\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(path, "const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n");
    repo.commit_all("B");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(path, "const A = 1;\nconst B = 3;\n");
    repo.commit_all("Remove \u{1b}[2J\u{7} LEGACY, 100% done: yes");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.write(path, "const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        let output = repo.conflictguard(&["audit", "HEAD", "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            !output.stdout.iter().any(|&b| b == 0x1b || b == 0x07),
            "{format} printed a raw control character: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        if matches!(format, "json" | "sarif" | "gitlab") {
            let value = json(&output);
            assert!(value.to_string().contains("LEGACY"), "{format}");
        }
    }
    let report = json(&repo.conflictguard(&["audit", "HEAD", "--format", "json"]));
    assert_eq!(
        report["findings"][0]["path"], path,
        "JSON keeps the exact path, escaped"
    );
    assert_eq!(
        report["findings"][0]["removed_by"]["summary"],
        "Remove \u{1b}[2J\u{7} LEGACY, 100% done: yes"
    );
}
