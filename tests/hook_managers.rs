//! The hook-manager recipes for real: husky, lefthook and the pre-commit framework, installed from
//! their registries at pinned versions, run conflictguard as `install --with <manager>` (and the
//! README) configure them, in real merges. The managers are installed once per run into
//! `CARGO_TARGET_TMPDIR/hook-managers`; a registry that cannot be reached fails the tests, since a
//! skipped test would hide a recipe that no longer works.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::TestRepo;

const LEFTHOOK: &str = "2.2.2";
const HUSKY: &str = "9.1.7";
const PRE_COMMIT: &str = "4.5.1";

/// Where the pinned managers are.
struct Tools {
    /// `node_modules` holding lefthook and husky.
    node_modules: PathBuf,
    /// A virtual environment's python with the pre-commit framework.
    python: PathBuf,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hook-managers");
        std::fs::create_dir_all(&cache).expect("create the cache folder");
        let npm = cache.join(format!("npm-lefthook-{LEFTHOOK}-husky-{HUSKY}"));
        let venv = cache.join(format!("venv-pre-commit-{PRE_COMMIT}"));
        install_once(&npm, |staging| {
            let lefthook = format!("lefthook@{LEFTHOOK}");
            let husky = format!("husky@{HUSKY}");
            let prefix = staging.to_str().expect("a UTF-8 path");
            vec![vec![
                "npm",
                "install",
                "--prefix",
                prefix,
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                &lefthook,
                &husky,
            ]
            .into_iter()
            .map(String::from)
            .collect()]
        });
        install_once(&venv, |staging| {
            let python = staging.join("bin/python").display().to_string();
            vec![
                vec![
                    "python3".to_string(),
                    "-m".to_string(),
                    "venv".to_string(),
                    staging.display().to_string(),
                ],
                vec![
                    python,
                    "-m".to_string(),
                    "pip".to_string(),
                    "install".to_string(),
                    "--quiet".to_string(),
                    "--disable-pip-version-check".to_string(),
                    format!("pre-commit=={PRE_COMMIT}"),
                ],
            ]
        });
        Tools {
            node_modules: npm.join("node_modules"),
            // The venv moved after it was made: its python still works, its scripts' shebangs
            // do not, so pre-commit always runs as `python -m pre_commit`.
            python: venv.join("bin/python"),
        }
    })
}

/// Fills `target` by running `commands(staging)` in a folder of its own and renaming it into
/// place, so that test binaries running at once never see half an installation.
fn install_once(target: &Path, commands: impl Fn(&Path) -> Vec<Vec<String>>) {
    if target.exists() {
        return;
    }
    let staging = target.with_extension(format!("staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).expect("create a staging folder");
    for command in commands(&staging) {
        let output = Command::new(&command[0])
            .args(&command[1..])
            .output()
            .unwrap_or_else(|err| panic!("{} could not start: {err}", command[0]));
        assert!(
            output.status.success(),
            "installing the hook managers failed (the registry must be reachable; .ci/run \
             installs npm and python3-venv): {}\n{}{}",
            command.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if std::fs::rename(&staging, target).is_err() {
        assert!(target.exists(), "could not move {}", staging.display());
        let _ = std::fs::remove_dir_all(&staging);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Manager {
    Husky,
    Lefthook,
    PreCommit,
    /// The pre-commit framework with this repository's `.pre-commit-hooks.yaml`, as a remote repo.
    PreCommitRemote,
}

impl Manager {
    fn flag(self) -> &'static str {
        match self {
            Manager::Husky => "husky",
            Manager::Lefthook => "lefthook",
            Manager::PreCommit | Manager::PreCommitRemote => "pre-commit",
        }
    }
}

/// The user's own pre-commit hook: it counts its runs in `.git/user-hook-ran`.
const USER_HOOK: &str = "echo ran >> \"$(git rev-parse --git-dir)/user-hook-ran\"";

const CONFIG_BASE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_MAIN: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n";
const CONFIG_FEATURE: &str = "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n";
const CONFIG_RESOLVED: &str = "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n";
const APP_BASE: &str = "def call_legacy(payload):\n    return {\"legacy\": payload}\n\n\ndef call_current(payload):\n    return {\"current\": payload}\n";
const APP_MAIN: &str = "def call_current(payload):\n    return {\"current\": payload}\n";
const JOBS: &str = "from app import call_legacy\n\n\ndef nightly():\n    return call_legacy({\"job\": \"nightly\"})\n";

/// A repository whose hooks a manager runs, with the user's own pre-commit hook in it.
struct Scene {
    repo: TestRepo,
    manager: Manager,
    /// PRE_COMMIT_HOME: the framework's cache, outside the work tree.
    pre_commit_home: tempfile::TempDir,
    /// For the remote form: the repository the framework clones conflictguard's hooks from.
    hooks_repo: Option<TestRepo>,
}

impl Scene {
    /// The manager set up on `main` with the user's hook, committed; conflictguard not yet added.
    fn new(manager: Manager) -> Scene {
        let scene = Scene {
            repo: TestRepo::new("main"),
            manager,
            pre_commit_home: tempfile::tempdir().expect("a temporary folder"),
            hooks_repo: (manager == Manager::PreCommitRemote).then(conflictguard_as_a_hooks_repo),
        };
        let repo = &scene.repo;
        repo.write("config.js", CONFIG_BASE);
        repo.write("app.py", APP_BASE);
        match manager {
            Manager::Husky => {
                repo.write(
                    "package.json",
                    "{\n  \"name\": \"app\",\n  \"private\": true\n}\n",
                );
                scene.ok("node", &[&tools().husky_bin(), "init"]);
                repo.write(".husky/pre-commit", &format!("{USER_HOOK}\n"));
            }
            Manager::Lefthook => {
                repo.write(
                    "lefthook.yml",
                    &format!("pre-commit:\n  commands:\n    user-hook:\n      run: {USER_HOOK}\n"),
                );
            }
            Manager::PreCommit | Manager::PreCommitRemote => {
                repo.write(".pre-commit-config.yaml", &pre_commit_user_config());
            }
        }
        repo.commit_all("Base, with the team's hooks");
        scene
    }

    /// `conflictguard install --with <manager>` (for the remote form, the README's config), the
    /// manager's own install step, and a commit.
    fn add_conflictguard(&self) {
        if let Some(hooks_repo) = &self.hooks_repo {
            let remote = format!(
                "default_install_hook_types: [pre-commit, pre-merge-commit]\nrepos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: conflictguard-merge\n      - id: conflictguard-resolution\n",
                hooks_repo.path().display(),
                hooks_repo.git(&["rev-parse", "HEAD"])
            );
            let config = pre_commit_user_config().replacen("repos:\n", &remote, 1);
            self.repo.write(".pre-commit-config.yaml", &config);
        } else {
            let output = self
                .repo
                .conflictguard(&["install", "--with", self.manager.flag()]);
            assert_eq!(output.status.code(), Some(0), "{}", said(&output));
            let again = self
                .repo
                .conflictguard(&["install", "--with", self.manager.flag()]);
            assert!(
                String::from_utf8_lossy(&again.stdout).contains("nothing to change"),
                "a second install --with changed something: {}",
                said(&again)
            );
        }
        self.install_manager_hooks();
        self.repo.commit_all("Guard merges with conflictguard");
    }

    /// What the README says to run after the configuration is in place.
    fn install_manager_hooks(&self) {
        match self.manager {
            Manager::Husky => {}
            Manager::Lefthook => {
                let lefthook = tools().node_modules.join(".bin/lefthook");
                self.ok(lefthook.to_str().expect("UTF-8"), &["install"]);
            }
            Manager::PreCommit | Manager::PreCommitRemote => {
                self.ok(
                    tools().python.to_str().expect("UTF-8"),
                    &["-m", "pre_commit", "install"],
                );
            }
        }
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut command = self.repo.command(program, args);
        command.env("PRE_COMMIT_HOME", self.pre_commit_home.path());
        command
    }

    fn ok(&self, program: &str, args: &[&str]) -> String {
        let output = self.command(program, args).output().expect("runs");
        assert!(
            output.status.success(),
            "{program} {} failed: {}",
            args.join(" "),
            said(&output)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn git(&self, args: &[&str]) -> Output {
        self.command("git", args).output().expect("git runs")
    }

    /// git on a machine where conflictguard is not installed.
    fn git_without_binary(&self, args: &[&str]) -> Output {
        self.command("git", args)
            .env("PATH", path_without_binary())
            .output()
            .expect("git runs")
    }

    fn user_hook_runs(&self) -> usize {
        std::fs::read_to_string(self.repo.path().join(".git/user-hook-ran"))
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// `feature` changes TIMEOUT; `jobs` adds a use of call_legacy; `main` removes LEGACY_URL and
    /// call_legacy. Leaves `feature` checked out.
    fn branches(&self) {
        let repo = &self.repo;
        repo.git(&["checkout", "-q", "-b", "feature"]);
        repo.write("config.js", CONFIG_FEATURE);
        repo.commit_all("Longer timeout");
        repo.git(&["checkout", "-q", "-b", "jobs", "main"]);
        repo.write("jobs.py", JOBS);
        repo.commit_all("Nightly job");
        repo.git(&["checkout", "-q", "main"]);
        repo.write("config.js", CONFIG_MAIN);
        repo.commit_all("Remove LEGACY_URL");
        repo.write("app.py", APP_MAIN);
        repo.commit_all("Remove call_legacy");
        repo.git(&["checkout", "-q", "feature"]);
    }

    /// Merges main into feature (it conflicts) and resolves by keeping feature's side, as
    /// `git checkout --ours` does: the result equals HEAD, so no file is staged.
    fn stale_resolution(&self) {
        let merge = self.git(&["merge", "main"]);
        assert!(
            !merge.status.success(),
            "expected a conflict: {}",
            said(&merge)
        );
        self.repo.git(&["checkout", "--ours", "--", "config.js"]);
        self.repo.git(&["add", "config.js"]);
        assert_eq!(self.repo.git(&["status", "--porcelain"]), "M  app.py");
    }

    fn merge_in_progress(&self) -> bool {
        self.repo.path().join(".git/MERGE_HEAD").exists()
    }
}

impl Tools {
    fn husky_bin(&self) -> String {
        self.node_modules.join("husky/bin.js").display().to_string()
    }
}

/// The team's `.pre-commit-config.yaml` before conflictguard: one local hook of their own.
fn pre_commit_user_config() -> String {
    format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: user-hook\n        name: the team's own hook\n        entry: sh -c '{USER_HOOK}'\n        language: system\n        pass_filenames: false\n        always_run: true\n        stages: [pre-commit]\n"
    )
}

/// A repository holding this checkout's `.pre-commit-hooks.yaml` and `hooks/`, as the framework
/// would clone conflictguard's.
fn conflictguard_as_a_hooks_repo() -> TestRepo {
    let repo = TestRepo::new("main");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        ".pre-commit-hooks.yaml",
        "hooks/pre-commit",
        "hooks/pre-merge-commit",
    ] {
        repo.write_bytes(file, &std::fs::read(source.join(file)).expect("read"));
    }
    repo.git(&["add", "-A"]);
    repo.git(&[
        "update-index",
        "--chmod=+x",
        "hooks/pre-commit",
        "hooks/pre-merge-commit",
    ]);
    repo.git(&["commit", "-q", "-m", "conflictguard's hooks"]);
    repo
}

/// PATH less the folder of the binary under test; nothing else on it may be a conflictguard.
fn path_without_binary() -> OsString {
    let binary = Path::new(env!("CARGO_BIN_EXE_conflictguard"));
    let dirs: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| Some(dir.as_path()) != binary.parent())
        .collect();
    if let Some(dir) = dirs.iter().find(|dir| dir.join("conflictguard").exists()) {
        panic!(
            "{} holds a conflictguard: the tests of a machine without it cannot run",
            dir.display()
        );
    }
    std::env::join_paths(dirs).expect("a PATH")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn parents(repo: &TestRepo) -> usize {
    repo.git(&["rev-list", "--parents", "-n", "1", "HEAD"])
        .split_whitespace()
        .count()
        - 1
}

/// The headline case: a conflict resolved by keeping the stale side is refused, with the
/// resolution intact; the correct resolution is committed.
fn stale_resolution_is_refused_and_the_correct_one_passes(manager: Manager) {
    let scene = Scene::new(manager);
    scene.add_conflictguard();
    scene.branches();
    scene.stale_resolution();
    let commit = scene.git(&["commit", "--no-edit"]);
    let output = said(&commit);
    assert!(
        !commit.status.success(),
        "the stale resolution was committed: {output}"
    );
    assert!(
        output.contains("CG001") && output.contains("LEGACY_URL"),
        "{output}"
    );
    assert!(scene.merge_in_progress());
    assert_eq!(
        std::fs::read_to_string(scene.repo.path().join("config.js")).expect("read"),
        CONFIG_FEATURE
    );

    scene.repo.write("config.js", CONFIG_RESOLVED);
    scene.repo.git(&["add", "config.js"]);
    let commit = scene.git(&["commit", "--no-edit"]);
    assert!(commit.status.success(), "{}", said(&commit));
    assert_eq!(parents(&scene.repo), 2);
}

/// A merge without conflicts that brings a use of a removed name is refused by pre-merge-commit.
fn clean_merge_bringing_back_a_name_is_refused(manager: Manager) {
    let scene = Scene::new(manager);
    scene.add_conflictguard();
    scene.branches();
    scene.repo.git(&["checkout", "-q", "main"]);
    let head = scene.repo.git(&["rev-parse", "HEAD"]);
    let merge = scene.git(&["merge", "--no-edit", "jobs"]);
    let output = said(&merge);
    assert!(!merge.status.success(), "the merge went through: {output}");
    assert!(
        output.contains("CG003") && output.contains("call_legacy"),
        "{output}"
    );
    assert_eq!(
        scene.repo.git(&["rev-parse", "HEAD"]),
        head,
        "a commit was made"
    );
}

/// A teammate without the binary: ordinary commits pass (and the team's hook runs); a merge is
/// refused by default, and let through with `on-error = "allow"`.
fn without_the_binary_only_merges_meet_on_error(manager: Manager) {
    let scene = Scene::new(manager);
    scene.add_conflictguard();
    let runs = scene.user_hook_runs();
    scene.repo.write("notes.js", "const NOTE = 1;\n");
    scene.repo.git(&["add", "notes.js"]);
    let commit = scene.git_without_binary(&["commit", "-m", "Notes"]);
    assert!(
        commit.status.success(),
        "an ordinary commit failed: {}",
        said(&commit)
    );
    assert_eq!(
        scene.user_hook_runs(),
        runs + 1,
        "the team's hook did not run"
    );

    scene.branches();
    scene.stale_resolution();
    let blocked = scene.git_without_binary(&["commit", "--no-edit"]);
    let output = said(&blocked);
    assert!(
        !blocked.status.success(),
        "committed without the check: {output}"
    );
    assert!(
        output.contains("not on PATH") && output.contains("on-error = \"block\""),
        "{output}"
    );
    assert!(scene.merge_in_progress());

    scene
        .repo
        .write(".conflictguard.toml", "on-error = \"allow\"\n");
    let allowed = scene.git_without_binary(&["commit", "--no-edit"]);
    let output = said(&allowed);
    assert!(allowed.status.success(), "{output}");
    // The pre-commit framework shows a hook's output only when the hook fails.
    if !matches!(manager, Manager::PreCommit | Manager::PreCommitRemote) {
        assert!(output.contains("without the check"), "{output}");
    }
    assert_eq!(parents(&scene.repo), 2);

    scene.repo.remove(".conflictguard.toml");
    scene.repo.git(&["checkout", "-q", "main"]);
    let clean = scene.git_without_binary(&["merge", "--no-edit", "jobs"]);
    assert!(
        !clean.status.success(),
        "a clean merge went through unchecked"
    );
    assert!(said(&clean).contains("not on PATH"), "{}", said(&clean));
}

/// `install` alone refuses and changes nothing; with `--with` and after `uninstall` the team's
/// own hook still runs.
fn the_teams_hook_keeps_running(manager: Manager) {
    let scene = Scene::new(manager);
    let before = common::snapshot(scene.repo.path());
    let refused = scene.repo.conflictguard(&["install"]);
    let output = said(&refused);
    assert_eq!(refused.status.code(), Some(2), "{output}");
    assert!(
        output.contains(&format!("install --with {}", manager.flag())),
        "{output}"
    );
    assert_eq!(
        common::snapshot(scene.repo.path()),
        before,
        "install changed files"
    );

    scene.add_conflictguard();
    scene.repo.write("notes.js", "const NOTE = 1;\n");
    scene.repo.git(&["add", "notes.js"]);
    let runs = scene.user_hook_runs();
    let commit = scene.git(&["commit", "-m", "Notes"]);
    assert!(commit.status.success(), "{}", said(&commit));
    assert_eq!(
        scene.user_hook_runs(),
        runs + 1,
        "the team's hook did not run"
    );

    let removed = scene.repo.conflictguard(&["uninstall"]);
    assert_eq!(removed.status.code(), Some(0), "{}", said(&removed));
    assert!(
        !scene.repo.path().join(".conflictguard").exists(),
        "{}",
        said(&removed)
    );
    scene.repo.git(&["add", "-A"]);
    let commit = scene.git(&["commit", "-m", "Without conflictguard"]);
    assert!(commit.status.success(), "{}", said(&commit));
    assert_eq!(
        scene.user_hook_runs(),
        runs + 2,
        "the team's hook did not run after uninstall"
    );

    scene.branches();
    scene.stale_resolution();
    let commit = scene.git(&["commit", "--no-edit"]);
    assert!(
        commit.status.success(),
        "conflictguard still ran: {}",
        said(&commit)
    );
}

macro_rules! recipes {
    ($($module:ident: $manager:expr),* $(,)?) => {$(
        mod $module {
            use super::*;

            #[test]
            fn a_stale_resolution_is_refused_and_the_correct_one_passes() {
                stale_resolution_is_refused_and_the_correct_one_passes($manager);
            }

            #[test]
            fn a_clean_merge_that_brings_back_a_name_is_refused() {
                clean_merge_bringing_back_a_name_is_refused($manager);
            }

            #[test]
            fn without_the_binary_ordinary_commits_pass_and_merges_follow_on_error() {
                without_the_binary_only_merges_meet_on_error($manager);
            }
        }
    )*};
}

recipes! {
    husky: Manager::Husky,
    lefthook: Manager::Lefthook,
    pre_commit: Manager::PreCommit,
    pre_commit_remote: Manager::PreCommitRemote,
}

#[test]
fn husky_install_refuses_and_the_teams_hook_keeps_running() {
    the_teams_hook_keeps_running(Manager::Husky);
}

#[test]
fn lefthook_install_refuses_and_the_teams_hook_keeps_running() {
    the_teams_hook_keeps_running(Manager::Lefthook);
}

#[test]
fn pre_commit_install_refuses_and_the_teams_hook_keeps_running() {
    the_teams_hook_keeps_running(Manager::PreCommit);
}

/// lefthook renames a hook it does not know to `<name>.old` and never runs it: `uninstall` still
/// finds ours there, and gives the user's original hook that slot, where `lefthook uninstall`
/// restores it from.
#[test]
fn uninstall_finds_hooks_that_lefthook_install_renamed() {
    let repo = TestRepo::new("main");
    let user_hook = format!("#!/bin/sh\n{USER_HOOK}\n");
    repo.write(".git/hooks/pre-commit", &user_hook);
    let installed = repo.conflictguard(&["install"]);
    assert_eq!(installed.status.code(), Some(0), "{}", said(&installed));
    repo.write(
        "lefthook.yml",
        &format!("pre-commit:\n  commands:\n    lint:\n      run: {USER_HOOK}\n"),
    );
    let lefthook = tools().node_modules.join(".bin/lefthook");
    let output = repo
        .command(lefthook.to_str().expect("UTF-8"), &["install"])
        .output()
        .expect("lefthook runs");
    assert!(output.status.success(), "{}", said(&output));
    assert!(repo.path().join(".git/hooks/pre-commit.old").exists());

    let removed = repo.conflictguard(&["uninstall"]);
    let output = said(&removed);
    assert_eq!(removed.status.code(), Some(0), "{output}");
    assert!(
        output.contains("removed") && output.contains("pre-commit.old"),
        "{output}"
    );
    assert!(!output.contains("not conflictguard's"), "{output}");
    assert!(!repo.path().join(".git/hooks/pre-merge-commit").exists());
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit.old")).expect("restored"),
        user_hook
    );
}

/// The README's recipes are what `install --with` writes: a reader who copies them by hand gets
/// the tested configuration.
#[test]
fn the_readme_shows_what_install_with_writes() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let repo = TestRepo::new("main");
    std::fs::create_dir_all(repo.path().join(".husky")).expect("create .husky");
    for manager in ["husky", "lefthook", "pre-commit"] {
        let output = repo.conflictguard(&["install", "--with", manager]);
        assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    }
    for file in [
        "lefthook.yml",
        ".pre-commit-config.yaml",
        ".husky/pre-commit",
        ".husky/pre-merge-commit",
    ] {
        let text = std::fs::read_to_string(repo.path().join(file)).expect("written");
        assert!(
            readme.contains(&text),
            "README.md does not show {file} as install --with writes it:\n{text}"
        );
    }
    let remote = "default_install_hook_types: [pre-commit, pre-merge-commit]\nrepos:\n  - repo: ";
    let remote_hooks =
        "    hooks:\n      - id: conflictguard-merge\n      - id: conflictguard-resolution\n";
    assert!(readme.contains(remote) && readme.contains(remote_hooks));
}

/// A manager `--with` does not know is refused too, by the words its hook scripts carry;
/// `--force` replaces its hook, keeping a copy, as for any foreign hook.
#[test]
fn another_managers_hooks_are_refused_unless_forced() {
    let repo = TestRepo::new("main");
    let theirs = "#!/bin/sh\n# generated by simple-git-hooks\nnpx lint-staged\n";
    repo.write(".git/hooks/pre-commit", theirs);
    let refused = repo.conflictguard(&["install"]);
    let output = said(&refused);
    assert_eq!(refused.status.code(), Some(2), "{output}");
    assert!(output.contains("simple-git-hooks"), "{output}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).expect("kept"),
        theirs
    );
    let forced = repo.conflictguard(&["install", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", said(&forced));
    assert_eq!(
        std::fs::read_to_string(
            repo.path()
                .join(".git/hooks/pre-commit.conflictguard-backup")
        )
        .expect("a copy"),
        theirs
    );
}

/// Before this fix `install` wrote into husky's .husky/_ and moved husky's shim aside, which
/// switched the team's hook off; `install --with husky` takes ours out and puts the shim back.
#[test]
fn install_with_husky_repairs_an_earlier_install_into_husky_s_folder() {
    let scene = Scene::new(Manager::Husky);
    let shims = scene.repo.path().join(".husky/_");
    std::fs::rename(shims.join("pre-commit"), shims.join("pre-commit.local")).expect("move");
    let script = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit"))
        .expect("read");
    scene.repo.write_bytes(".husky/_/pre-commit", &script);
    scene.repo.git(&["config", "core.hooksPath", ".husky/_"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            shims.join("pre-commit"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    scene.repo.write("notes.js", "const NOTE = 1;\n");
    scene.repo.git(&["add", "notes.js"]);
    let commit = scene.git(&["commit", "-m", "Notes"]);
    assert!(commit.status.success(), "{}", said(&commit));
    assert_eq!(
        scene.user_hook_runs(),
        0,
        "the broken state ran the team's hook"
    );

    scene.add_conflictguard();
    assert!(!shims.join("pre-commit.local").exists());
    scene.repo.write("more.js", "const MORE = 1;\n");
    scene.repo.git(&["add", "more.js"]);
    let commit = scene.git(&["commit", "-m", "More"]);
    assert!(commit.status.success(), "{}", said(&commit));
    assert_eq!(scene.user_hook_runs(), 1, "the team's hook is still off");
}
