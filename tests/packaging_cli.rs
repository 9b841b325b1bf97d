//! The command-line conventions packages rely on: `--version` names the version and the commit
//! the binary was built from, `completions` writes each shell's script, and the build writes the
//! man pages (build.rs, clap_mangen) for every subcommand.

mod common;

use std::process::Command;

fn conflictguard(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().expect("a temporary folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_conflictguard"));
    command.args(args);
    common::clean_env(&mut command, home.path());
    command.output().expect("conflictguard runs")
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const SUBCOMMANDS: [&str; 10] = [
    "check",
    "audit",
    "explain",
    "demo",
    "hook",
    "install",
    "uninstall",
    "ci",
    "completions",
    "help",
];

#[test]
fn version_names_the_version_and_the_commit_of_this_checkout() {
    let output = conflictguard(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("git runs");
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    assert_eq!(head.len(), 12, "this test runs in a git checkout");
    let expected = format!("conflictguard {} ({head} ", env!("CARGO_PKG_VERSION"));
    assert!(
        text.starts_with(&expected),
        "{text:?} should start with {expected:?}"
    );
}

#[test]
fn completions_are_written_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_conflictguard()"),
        ("zsh", "#compdef conflictguard"),
        ("fish", "complete -c conflictguard"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = conflictguard(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for subcommand in ["check", "audit", "install", "completions"] {
            assert!(script.contains(subcommand), "{shell}: no {subcommand}");
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let output = conflictguard(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("bash, zsh, fish, powershell"), "{text}");
}

#[test]
fn the_build_writes_a_man_page_for_the_command_and_each_subcommand() {
    let out_dir = std::path::Path::new(env!("OUT_DIR"));
    let page = std::fs::read_to_string(out_dir.join("conflictguard.1")).expect("conflictguard.1");
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "not roff: {}",
        &page[..40]
    );
    assert!(page.contains(env!("CARGO_PKG_VERSION")));
    for subcommand in SUBCOMMANDS.iter().filter(|s| **s != "help") {
        assert!(
            page.contains(subcommand),
            "conflictguard.1 lacks {subcommand}"
        );
        let sub_page = out_dir.join(format!("conflictguard-{subcommand}.1"));
        assert!(sub_page.exists(), "no {}", sub_page.display());
    }
}

#[test]
fn help_lists_what_the_man_page_lists() {
    let output = conflictguard(&["--help"]);
    let help = stdout(&output);
    for subcommand in SUBCOMMANDS {
        assert!(
            help.contains(&format!("  {subcommand}")),
            "--help lacks {subcommand}"
        );
    }
}
