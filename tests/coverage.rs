//! Never a silent pass: every code file a merge changed is counted as analysed, or as not analysed
//! with the reason, in every format and in the hooks; `unanalysed = "warn"` makes code in a
//! language without a grammar a warning.

mod common;

use common::{json, TestRepo};

/// A merge of `feature` into `main` where each side changes a JavaScript file, `feature` changes a
/// Go file, a generated bundle and a binary `.js`, and `main` adds a README (not code: not
/// counted). Returns the repository on `main`, merged.
fn mixed_merge(config: Option<&str>) -> TestRepo {
    let repo = TestRepo::new("main");
    if let Some(config) = config {
        repo.write(".conflictguard.toml", config);
    }
    repo.write("src/a.js", "const A = 1;\nmodule.exports = { A };\n");
    repo.write("src/b.js", "const B = 1;\nmodule.exports = { B };\n");
    repo.write("cmd/main.go", "package main\n\nfunc main() {}\n");
    repo.write("cmd/util.go", "package main\n\nfunc util() {}\n");
    repo.write("dist/app.js", "var x = 1;\n");
    repo.write_bytes("assets/data.js", b"\x00\x01binary");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/a.js", "const A = 2;\nmodule.exports = { A };\n");
    repo.write("cmd/main.go", "package main\n\nfunc main() { util() }\n");
    repo.write("cmd/util.go", "package main\n\nfunc util() { }\n");
    repo.write("dist/app.js", "var x = 2;\n");
    repo.write_bytes("assets/data.js", b"\x00\x02binary");
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/b.js", "const B = 2;\nmodule.exports = { B };\n");
    repo.write("README.md", "# notes\n");
    repo.commit_all("Main");
    repo.git(&["merge", "-q", "--no-edit", "feature"]);
    repo
}

#[test]
fn every_changed_code_file_is_analysed_or_named_with_the_reason() {
    let repo = mixed_merge(None);
    let output = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = json(&output);
    let summary = &report["summary"];
    assert_eq!(summary["analysed_files"], 2, "{summary}");
    assert_eq!(summary["unanalysed"]["no-grammar"], 2, "{summary}");
    assert_eq!(summary["unanalysed"]["generated"], 1, "{summary}");
    assert_eq!(summary["unanalysed"]["binary"], 1, "{summary}");
    assert_eq!(summary["unanalysed_languages"]["Go"], 2, "{summary}");
    let listed: Vec<(String, String)> = report["merges"][0]["not_analysed"]
        .as_array()
        .expect("a not_analysed list")
        .iter()
        .map(|item| {
            (
                item["path"].as_str().unwrap_or_default().to_string(),
                item["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        listed.contains(&("cmd/main.go".into(), "no-grammar".into())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("dist/app.js".into(), "generated".into())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("assets/data.js".into(), "binary".into())),
        "{listed:?}"
    );
    assert!(
        !listed.iter().any(|(path, _)| path == "README.md"),
        "{listed:?}"
    );

    let human = repo.conflictguard(&["audit", "HEAD"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("2 files analysed, 4 not: Go 2, binary 1, generated 1"),
        "{text}"
    );

    let sarif = json(&repo.conflictguard(&["audit", "HEAD", "--format", "sarif"]));
    let notification = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "note", "{sarif}");
    assert!(notification["message"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("4 changed files were not analysed")));

    let github = repo.conflictguard(&["audit", "HEAD", "--format", "github"]);
    assert!(String::from_utf8_lossy(&github.stdout)
        .contains("::notice title=conflictguard::4 changed files were not analysed: Go 2"));
}

#[test]
fn a_merge_of_nothing_readable_says_so_in_words() {
    let repo = TestRepo::new("main");
    repo.write("main.go", "package main\n");
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("main.go", "package main\n\nfunc main() {}\n");
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("util.go", "package main\n");
    repo.commit_all("Main");
    repo.git(&["merge", "-q", "--no-edit", "feature"]);
    let text = String::from_utf8_lossy(&repo.conflictguard(&["audit", "HEAD"]).stdout).into_owned();
    assert!(
        text.contains("nothing analysed: 2 files conflictguard cannot read (Go 2)"),
        "{text}"
    );
}

#[test]
fn unanalysed_warn_fails_under_fail_on_warning_and_note_never_fails() {
    let warn = mixed_merge(Some("unanalysed = \"warn\"\n"));
    let strict = warn.conflictguard(&["audit", "HEAD", "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1), "{strict:?}");
    assert!(String::from_utf8_lossy(&strict.stdout).contains("warning: changed code"));
    let default = warn.conflictguard(&["audit", "HEAD"]);
    assert_eq!(
        default.status.code(),
        Some(0),
        "a warning fails only under --fail-on warning"
    );

    let note = mixed_merge(None);
    let relaxed = note.conflictguard(&["audit", "HEAD", "--fail-on", "warning"]);
    assert_eq!(relaxed.status.code(), Some(0), "{relaxed:?}");
}

#[test]
fn the_hook_prints_the_same_closing_line() {
    let repo = TestRepo::new("main");
    repo.write("src/a.js", "const A = 1;\n");
    repo.write("cmd/main.go", "package main\n");
    repo.commit_all("Base");
    repo.conflictguard(&["install"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("cmd/main.go", "package main\n\nfunc main() {}\n");
    repo.write("src/a.js", "const A = 2;\n");
    repo.commit_all("Feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/b.js", "const B = 1;\n");
    repo.commit_all("Main");
    let merged = repo.git_output(&["merge", "--no-edit", "feature"]);
    assert!(merged.status.success(), "{merged:?}");
    let said = String::from_utf8_lossy(&merged.stderr);
    assert!(said.contains("analysed, 1 not: Go 1"), "{said}");
}
