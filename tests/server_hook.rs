//! The server's pre-receive hook, installed with `conflictguard install --server` into a bare
//! repository and run by real `git push` over `file://` (git's receive-pack quarantines the pushed
//! objects there too, as on a forge).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::TestRepo;

const CONFIG_BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_MAIN: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n";
const CONFIG_RESOLVED: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n";

/// A bare repository that receives pushes, with the hook installed, and a clone to push from.
struct Server {
    _dir: tempfile::TempDir,
    path: PathBuf,
    work: TestRepo,
}

impl Server {
    fn new() -> Server {
        let dir = tempfile::Builder::new()
            .prefix("conflictguard-server-")
            .tempdir()
            .expect("temporary directory");
        let path = dir.path().join("server.git");
        let work = TestRepo::new("main");
        work.git(&["init", "-q", "--bare", "-b", "main", path_str(&path)]);
        let url = format!("file://{}", path.display());
        work.git(&["remote", "add", "origin", &url]);
        Server {
            _dir: dir,
            path,
            work,
        }
    }

    fn install(&self) {
        let installed =
            self.work
                .conflictguard(&["-C", path_str(&self.path), "install", "--server"]);
        assert_eq!(installed.status.code(), Some(0), "{installed:?}");
    }

    /// git in the server's repository.
    fn git(&self, args: &[&str]) -> String {
        let mut full = vec!["-C", path_str(&self.path)];
        full.extend_from_slice(args);
        self.work.git(&full)
    }

    fn tip(&self, branch: &str) -> String {
        self.git(&["rev-parse", &format!("refs/heads/{branch}")])
    }

    /// `git push origin <args>` from the clone, with extra environment (the forge's variables).
    fn push_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut full = vec!["push", "origin"];
        full.extend_from_slice(args);
        let mut command = self.work.command("git", &full);
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("git push runs")
    }

    fn push(&self, args: &[&str]) -> Output {
        self.push_with(args, &[])
    }

    /// Runs `conflictguard hook pre-receive` as git would, with `input` on standard input.
    fn hook(&self, input: &str) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_conflictguard"));
        common::clean_env(&mut command, &self.path);
        let mut child = command
            .args(["hook", "pre-receive"])
            .current_dir(&self.path)
            .env("GIT_DIR", ".")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the hook runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write the input");
        child.wait_with_output().expect("the hook ends")
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn short(sha: &str) -> &str {
    &sha[..7]
}

/// The incident, pushed to a server: main (already on the server) removed LEGACY_URL in
/// `removing`; the clone's main now fast-forwards to a merge of main into feature that kept
/// feature's stale line. `settings` is committed as main's `.conflictguard.toml` with the removal.
struct Incident {
    server: Server,
    removing: String,
    merge: String,
}

fn incident(settings: Option<&str>) -> Incident {
    let server = Server::new();
    let work = &server.work;
    work.write("src/config.js", CONFIG_BASE);
    work.write("src/app.js", "const { API } = require('./config');\n");
    work.commit_all("Base");
    server.install();
    let first = server.push(&["main"]);
    assert!(first.status.success(), "{}", stderr(&first));
    work.git(&["checkout", "-q", "-b", "feature"]);
    work.write("src/config.js", CONFIG_FEATURE);
    work.commit_all("Longer timeout");
    work.git(&["checkout", "-q", "main"]);
    work.write("src/config.js", CONFIG_MAIN);
    if let Some(settings) = settings {
        work.write(".conflictguard.toml", settings);
    }
    let removing = work.commit_all("Remove the unused LEGACY_URL");
    let pushed = server.push(&["main"]);
    assert!(pushed.status.success(), "{}", stderr(&pushed));
    let merge = merge_main_into_feature(work, CONFIG_FEATURE);
    work.git(&["checkout", "-q", "main"]);
    work.git(&["merge", "-q", "--ff-only", "feature"]);
    Incident {
        server,
        removing,
        merge,
    }
}

/// Merges main into feature with `resolution` as config.js; returns the merge.
fn merge_main_into_feature(work: &TestRepo, resolution: &str) -> String {
    work.git(&["checkout", "-q", "feature"]);
    work.git_output(&["merge", "-q", "main"]);
    work.write("src/config.js", resolution);
    work.git(&["add", "-A"]);
    work.git(&["commit", "-q", "--no-edit", "--no-verify"]);
    work.git(&["rev-parse", "HEAD"])
}

#[test]
fn a_push_whose_merge_kept_the_stale_side_is_refused_and_the_corrected_push_accepted() {
    let Incident {
        server,
        removing,
        merge,
    } = incident(None);
    let before = server.tip("main");
    assert_eq!(before, removing);
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(!push.status.success(), "the push went through: {said}");
    assert_eq!(server.tip("main"), before, "the branch moved");
    assert!(
        said.contains("remote: conflictguard refused this push"),
        "{said}"
    );
    assert!(
        said.contains("CG001") && said.contains("`LEGACY_URL` at src/config.js:2"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "in merge {} \"Merge branch 'main' into feature\"",
            short(&merge)
        )),
        "names the merge: {said}"
    );
    assert!(
        said.contains(&format!(
            "removed on main by {} \"Remove the unused LEGACY_URL\"",
            short(&removing)
        )),
        "names the removing commit: {said}"
    );
    assert!(
        said.contains("git push -o conflictguard.allow=LEGACY_URL") && said.contains("[[allow]]"),
        "says how to get past it on purpose: {said}"
    );

    // The merge redone the right way goes through.
    let work = &server.work;
    work.git(&["reset", "-q", "--hard", "origin/main"]);
    work.git(&["checkout", "-q", "feature"]);
    work.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let corrected = merge_main_into_feature(work, CONFIG_RESOLVED);
    work.git(&["checkout", "-q", "main"]);
    work.git(&["reset", "-q", "--hard", "feature"]);
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(push.status.success(), "{said}");
    assert_eq!(server.tip("main"), corrected);
    assert!(
        said.contains("nothing that was removed comes back"),
        "{said}"
    );
}

/// Regression: `conflictguard audit <pushed merge>` inside a pre-receive hook failed with "unknown
/// revision": the read-only object database was opened on the repository's objects folder alone,
/// without git's quarantine, where the pushed objects are until the hook accepts them.
#[test]
fn audit_inside_pre_receive_reads_the_quarantined_objects() {
    let Incident { server, merge, .. } = incident(None);
    let hook = server.path.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\nread old new ref\ntest -n \"$GIT_QUARANTINE_PATH\" || { echo no quarantine >&2; exit 3; }\nconflictguard audit \"$new\" >&2\nexit 1\n",
    )
    .expect("write the hook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(!said.contains("unknown revision"), "{said}");
    assert!(!said.contains("no quarantine"), "{said}");
    assert!(
        said.contains("LEGACY_URL") && said.contains(short(&merge)),
        "{said}"
    );
}

#[test]
fn a_rebased_push_that_re_adds_a_removed_name_gets_cg005_per_its_severity() {
    for (settings, refused) in [(None, false), (Some("fail-on = \"warning\"\n"), true)] {
        let server = Server::new();
        let work = &server.work;
        work.write("src/config.js", CONFIG_BASE);
        work.commit_all("Base");
        server.install();
        work.git(&["checkout", "-q", "-b", "feature"]);
        work.write("src/config.js", CONFIG_FEATURE);
        work.commit_all("Longer timeout");
        work.git(&["checkout", "-q", "main"]);
        work.write("src/config.js", CONFIG_MAIN);
        if let Some(settings) = settings {
            work.write(".conflictguard.toml", settings);
        }
        let removing = work.commit_all("Remove the unused LEGACY_URL");
        assert!(server.push(&["main"]).status.success());
        // The feature rebased onto main, its conflict resolved by keeping its own lines.
        work.git(&["checkout", "-q", "-b", "rebased", "main"]);
        work.write("src/config.js", CONFIG_FEATURE);
        let rebased = work.commit_all("Longer timeout");
        let push = server.push(&["rebased:main"]);
        let said = stderr(&push);
        assert_eq!(!push.status.success(), refused, "{said}");
        assert!(
            said.contains("CG005 re-added-after-removal: `LEGACY_URL` at src/config.js:2"),
            "{said}"
        );
        assert!(
            said.contains(&format!(
                "added back by {} \"Longer timeout\"",
                short(&rebased)
            )),
            "names the pushed commit: {said}"
        );
        assert!(said.contains(&format!("removed on main by {}", short(&removing))));
        let expected_tip = if refused { removing } else { rebased };
        assert_eq!(server.tip("main"), expected_tip);
        if !refused {
            assert!(said.contains("  warning CG005"), "{said}");
        }
    }
}

#[test]
fn pushes_to_unprotected_branches_tags_new_and_deleted_branches_pass() {
    let Incident { server, merge, .. } = incident(None);
    let work = &server.work;
    for refspec in ["feature", "feature:other"] {
        let push = server.push(&[refspec]);
        assert!(push.status.success(), "{refspec}: {}", stderr(&push));
    }
    // An update of an unprotected branch.
    work.git(&["checkout", "-q", "-b", "topic", "feature~1"]);
    assert!(server.push(&["topic"]).status.success());
    let push = server.push(&["feature:topic"]);
    assert!(push.status.success(), "{}", stderr(&push));
    assert_eq!(server.tip("topic"), merge);
    work.git(&["tag", "-a", "-m", "Release", "v1", &merge]);
    let push = server.push(&["v1"]);
    assert!(push.status.success(), "{}", stderr(&push));
    assert!(!stderr(&push).contains("remote:"), "{}", stderr(&push));
    let push = server.push(&["--delete", "topic"]);
    assert!(push.status.success(), "{}", stderr(&push));
    // main is still guarded.
    assert!(!server.push(&["main"]).status.success());
}

#[test]
fn protect_names_branches_by_glob_and_the_default_branch_is_then_not_implied() {
    let Incident {
        server, removing, ..
    } = incident(Some("[server]\nprotect = [\"release/*\"]\n"));
    let release = server.push(&[&format!("{removing}:refs/heads/release/1.0")]);
    assert!(release.status.success(), "{}", stderr(&release));
    let push = server.push(&["main:release/1.0"]);
    assert!(!push.status.success(), "{}", stderr(&push));
    assert!(
        stderr(&push).contains("conflictguard: release/1.0 ("),
        "{}",
        stderr(&push)
    );
    assert_eq!(server.tip("release/1.0"), removing);
    let push = server.push(&["main"]);
    assert!(
        push.status.success(),
        "main is not protected: {}",
        stderr(&push)
    );
}

#[test]
fn a_push_that_switches_the_check_off_is_still_checked_with_the_old_configuration() {
    let Incident { server, .. } = incident(None);
    let work = &server.work;
    work.write(
        ".conflictguard.toml",
        "fail-on = \"never\"\n\n[rules]\nCG001 = \"off\"\nCG002 = \"off\"\nCG003 = \"off\"\n\n[server]\nprotect = []\non-timeout = \"allow\"\n\n[[allow]]\nname = \"LEGACY_URL\"\nreason = \"trust me\"\n",
    );
    work.commit_all("Switch the guard off");
    let before = server.tip("main");
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(
        !push.status.success(),
        "the push switched its own check off: {said}"
    );
    assert!(
        said.contains("CG001") && said.contains("LEGACY_URL"),
        "{said}"
    );
    assert_eq!(server.tip("main"), before);
}

#[test]
fn the_deadline_leads_to_the_configured_outcome_and_says_what_was_not_checked() {
    // A deadline of nothing: no check can finish before it, however fast (a 1 ms deadline was
    // met once the check of this small merge took less). on-timeout unset: allow, and say so.
    let Incident { server, merge, .. } = incident(None);
    server.git(&["config", "conflictguard.deadline", "0ms"]);
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(push.status.success(), "{said}");
    assert!(
        said.contains("not checked within the 0 ms deadline")
            && said.contains(short(&merge))
            && said.contains("on-timeout = \"allow\""),
        "{said}"
    );
    assert_eq!(server.tip("main"), merge);

    let Incident { server, merge, .. } = incident(Some("[server]\non-timeout = \"block\"\n"));
    server.git(&["config", "conflictguard.deadline", "0ms"]);
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(!push.status.success(), "{said}");
    assert!(
        said.contains("could not be checked within the 0 ms deadline")
            && said.contains(short(&merge))
            && said.contains("on-timeout = \"block\""),
        "{said}"
    );
    // With time enough, the same push is refused for what it brings back, not for the clock.
    server.git(&["config", "conflictguard.deadline", "60s"]);
    let push = server.push(&["main"]);
    assert!(!push.status.success());
    assert!(stderr(&push).contains("CG001"), "{}", stderr(&push));
    assert!(!stderr(&push).contains("deadline"), "{}", stderr(&push));
}

#[test]
fn a_bypass_by_push_option_is_accepted_printed_and_logged_with_the_pusher() {
    let Incident { server, merge, .. } = incident(None);
    server.git(&["config", "receive.advertisePushOptions", "true"]);
    let push = server.push_with(
        &["-o", "conflictguard.allow=LEGACY_URL", "main"],
        &[("GITEA_PUSHER_NAME", "dana")],
    );
    let said = stderr(&push);
    assert!(push.status.success(), "{said}");
    assert_eq!(server.tip("main"), merge);
    assert!(
        said.contains("conflictguard: bypass: `LEGACY_URL` (CG001 at src/config.js:2")
            && said.contains("pushed by dana (GITEA_PUSHER_NAME)"),
        "{said}"
    );
}

#[test]
fn on_gitlab_the_headline_of_a_refusal_starts_gl_hook_err() {
    let Incident { server, .. } = incident(None);
    let push = server.push_with(&["main"], &[("GL_ID", "user-7"), ("GL_USERNAME", "dana")]);
    let said = stderr(&push);
    assert!(!push.status.success());
    assert!(
        said.contains(
            "remote: GL-HOOK-ERR: conflictguard refused this push: it brings back `LEGACY_URL`"
        ),
        "{said}"
    );
    assert_eq!(said.matches("GL-HOOK-ERR").count(), 1, "{said}");
}

#[test]
fn a_refused_push_leaves_the_repository_byte_identical() {
    let Incident { server, .. } = incident(None);
    let before = common::snapshot(&server.path);
    let push = server.push(&["main"]);
    assert!(!push.status.success(), "{}", stderr(&push));
    let after = common::snapshot(&server.path);
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    // git's quarantine folder comes and goes with the push; nothing else may change.
    assert!(changed.is_empty(), "changed: {changed:?}");
}

#[test]
fn input_it_does_not_understand_is_answered_by_on_error() {
    let Incident {
        server, removing, ..
    } = incident(None);
    let unknown = "1234567890123456789012345678901234567890";
    for (input, words) in [
        ("garbage\n".to_string(), "line 1 of git's input"),
        (format!("{removing} {unknown} refs/heads/main\n"), unknown),
    ] {
        let output = server.hook(&input);
        let said = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{input}: {said}");
        assert!(
            said.contains("could not check") && said.contains(words),
            "{said}"
        );
        assert!(said.contains("on-error = \"block\""), "{said}");
    }
    // A missing object on an unprotected branch is not this hook's business.
    let output = server.hook(&format!("{removing} {unknown} refs/heads/topic\n"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let Incident {
        server, removing, ..
    } = incident(Some("on-error = \"allow\"\n"));
    let output = server.hook(&format!("garbage\n{removing} {unknown} refs/heads/main\n"));
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("on-error = \"allow\"") && said.contains(unknown),
        "{said}"
    );
}

#[test]
fn install_server_chains_an_existing_hook_and_uninstall_restores_it() {
    let server = Server::new();
    let hooks = server.path.join("hooks");
    let theirs = "#!/bin/sh\ncat > \"$GIT_DIR/their-hook-input\"\n";
    std::fs::write(hooks.join("pre-receive"), theirs).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            hooks.join("pre-receive"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    let work = &server.work;
    let installed = work.conflictguard(&["-C", path_str(&server.path), "install", "--server"]);
    assert!(
        String::from_utf8_lossy(&installed.stdout).contains("still runs first"),
        "{installed:?}"
    );
    let again = work.conflictguard(&["-C", path_str(&server.path), "install", "--server"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already installed"));
    work.write("a.py", "A = 1\n");
    let commit = work.commit_all("Base");
    let push = server.push(&["main"]);
    assert!(push.status.success(), "{}", stderr(&push));
    let input = std::fs::read_to_string(server.path.join("their-hook-input")).unwrap_or_default();
    assert!(
        input.contains(&format!("{commit} refs/heads/main")),
        "their hook got: {input:?}"
    );
    let removed = work.conflictguard(&["-C", path_str(&server.path), "uninstall", "--server"]);
    assert_eq!(removed.status.code(), Some(0), "{removed:?}");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-receive")).expect("restored"),
        theirs
    );
    assert!(!hooks.join("pre-receive.local").exists());
}

#[test]
fn install_server_uses_a_forges_pre_receive_d_folder() {
    let server = Server::new();
    let folder = server.path.join("hooks/pre-receive.d");
    std::fs::create_dir_all(&folder).expect("create");
    let work = &server.work;
    let installed = work.conflictguard(&["-C", path_str(&server.path), "install", "--server"]);
    assert_eq!(installed.status.code(), Some(0), "{installed:?}");
    assert!(folder.join("conflictguard").exists());
    assert!(!server.path.join("hooks/pre-receive").exists());
    let removed = work.conflictguard(&["-C", path_str(&server.path), "uninstall", "--server"]);
    assert_eq!(removed.status.code(), Some(0), "{removed:?}");
    assert!(!folder.join("conflictguard").exists());
}

#[test]
fn a_push_that_would_leave_the_settings_unreadable_is_refused() {
    let server = Server::new();
    let work = &server.work;
    work.write("src/config.js", CONFIG_MAIN);
    work.commit_all("Base");
    server.install();
    assert!(server.push(&["main"]).status.success());
    work.write(
        ".conflictguard.toml",
        "fail-on = \"error\"\nnot-a-key = 1\n",
    );
    work.commit_all("Settings");
    let push = server.push(&["main"]);
    let said = stderr(&push);
    assert!(!push.status.success(), "{said}");
    assert!(
        said.contains("cannot be read") && said.contains(".conflictguard.toml:2"),
        "names the file and line: {said}"
    );
}

#[test]
fn the_hook_script_applies_on_error_when_the_binary_is_missing() {
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_conflictguard"))
        .parent()
        .expect("folder")
        .to_path_buf();
    let path: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| *dir != binary_dir)
        .collect();
    let path = std::env::join_paths(path).expect("PATH");
    let path = path.to_str().expect("UTF-8 PATH");
    for (settings, refused) in [(None, true), (Some("on-error = \"allow\"\n"), false)] {
        let Incident { server, .. } = incident(settings);
        let push = server.push_with(&["main"], &[("PATH", path)]);
        let said = stderr(&push);
        assert_eq!(!push.status.success(), refused, "{said}");
        assert!(said.contains("'conflictguard' is not on PATH"), "{said}");
    }
}

#[test]
fn a_forced_push_that_drops_what_the_branch_removed_is_refused() {
    let Incident {
        server, removing, ..
    } = incident(None);
    // feature~1 forked before the removal and still has LEGACY_URL: forcing it onto main undoes
    // the removal without any merge.
    let push = server.push(&["--force", "feature~1:main"]);
    let said = stderr(&push);
    assert!(!push.status.success(), "{said}");
    assert!(said.contains("`LEGACY_URL` at src/config.js:2"), "{said}");
    assert!(said.contains(short(&removing)), "{said}");
    assert_eq!(server.tip("main"), removing);
}
