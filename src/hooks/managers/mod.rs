//! Hook managers: tools that own a repository's git hooks and run the user's hooks from their own
//! configuration (husky, lefthook, the pre-commit framework). Writing into git's hooks folder
//! there switches the user's hooks off or is undone: husky points `core.hooksPath` at `.husky/_`,
//! whose shims find the user's script by their own file name, so a shim moved aside runs nothing;
//! `lefthook install` renames a hook it does not know to `<name>.old` and never runs it.
//!
//! So conflictguard goes through the manager: `install --with <manager>` commits conflictguard's
//! hook scripts into the repository (every clone has them, and they pass ordinary commits at once
//! even where the binary is missing) and adds one entry for each to the manager's configuration.
//! Every change is a whole file's new text, planned before anything is written, so a refusal can
//! print exactly what `--with` would write and a second run can see there is nothing to do.

mod husky;
mod lefthook;
mod pre_commit;
mod yaml_lines;

use std::path::{Path, PathBuf};

use git2::Repository;

use super::{git_hooks, hooks_dir, is_ours, SCRIPTS};
use crate::error::{Error, Result};

/// A hook manager `install --with` can add conflictguard to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    Husky,
    Lefthook,
    PreCommit,
}

impl Manager {
    pub const ALL: [Manager; 3] = [Manager::Husky, Manager::Lefthook, Manager::PreCommit];

    /// As it is written after `--with`.
    pub fn flag(self) -> &'static str {
        match self {
            Manager::Husky => "husky",
            Manager::Lefthook => "lefthook",
            Manager::PreCommit => "pre-commit",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Manager::Husky => "husky",
            Manager::Lefthook => "lefthook",
            Manager::PreCommit => "the pre-commit framework",
        }
    }
}

/// A hook manager found in a repository, and what gave it away.
pub struct Detected {
    /// `None` for one conflictguard cannot configure.
    pub manager: Option<Manager>,
    name: &'static str,
    pub evidence: String,
}

impl Detected {
    pub fn manager_name(&self) -> &str {
        self.manager.map_or(self.name, Manager::name)
    }
}

/// Managers that write hook scripts conflictguard cannot configure, by a word their scripts carry.
const OTHER_MANAGERS: [(&str, &str); 4] = [
    ("overcommit", "overcommit"),
    ("simple-git-hooks", "simple_git_hooks"),
    ("yorkie", "yorkie"),
    ("ghooks", "ghooks"),
];

/// The hook managers that run this repository's hooks, by their configuration files, the hooks
/// path they set, and the scripts they leave in git's hooks folder.
pub fn detect(repo: &Repository) -> Vec<Detected> {
    let hooks = hooks_dir(repo);
    let scripts: Vec<(PathBuf, String)> = SCRIPTS
        .iter()
        .filter_map(|(name, _)| {
            let path = hooks.join(name);
            std::fs::read_to_string(&path)
                .ok()
                .filter(|text| !is_ours(text))
                .map(|text| (path, text))
        })
        .collect();
    let mut found = Vec::new();
    let mut add = |manager: Option<Manager>, name: &'static str, evidence: String| {
        if !found
            .iter()
            .any(|seen: &Detected| seen.manager_name() == manager.map_or(name, Manager::name))
        {
            found.push(Detected {
                manager,
                name,
                evidence,
            });
        }
    };
    let workdir = repo.workdir();
    if let Some(evidence) = husky::detect(repo) {
        add(Some(Manager::Husky), "husky", evidence);
    }
    if let Some(config) = workdir.and_then(lefthook::config_file) {
        add(
            Some(Manager::Lefthook),
            "lefthook",
            format!("{config} exists"),
        );
    }
    if let Some(config) = workdir.and_then(pre_commit::config_file) {
        add(
            Some(Manager::PreCommit),
            "pre-commit",
            format!("{config} exists"),
        );
    }
    for (path, text) in &scripts {
        let written_by = |word: &str| text.to_lowercase().contains(word);
        let evidence = || format!("{} was written by it", path.display());
        if written_by("lefthook") {
            add(Some(Manager::Lefthook), "lefthook", evidence());
        }
        if text.contains(pre_commit::GENERATED_MARK) {
            add(Some(Manager::PreCommit), "pre-commit", evidence());
        }
        for (name, word) in OTHER_MANAGERS {
            if written_by(word) || written_by(name) {
                add(None, name, evidence());
            }
        }
    }
    found
}

/// What to do instead of `install` where `found` runs the hooks: the command, and exactly what it
/// would write.
pub fn advice(repo: &Repository, found: &Detected) -> String {
    let Some(manager) = found.manager else {
        return format!(
            "`conflictguard install` would replace {name}'s hooks in {hooks} and switch them off. \
             Have {name} run conflictguard's hook scripts instead (hooks/pre-commit and \
             hooks/pre-merge-commit in conflictguard's source: they pass other commits at once, \
             and apply on-error where the binary is missing), or run `conflictguard install --force` \
             to replace its hooks (kept as <name>.conflictguard-backup, and no longer run).",
            name = found.name,
            hooks = hooks_dir(repo).display()
        );
    };
    let flag = manager.flag();
    match plan(repo, manager) {
        Ok(plan) => format!(
            "{manager_name} would not run hooks written into git's hooks folder, or would undo \
             them. Add conflictguard through {manager_name} instead: `conflictguard install \
             --with {flag}`:\n{plan}",
            manager_name = manager.name(),
            plan = plan.describe(false).join("\n")
        ),
        Err(Error::ManagerConfig { advice, .. }) => advice,
        Err(err) => format!("`conflictguard install --with {flag}` cannot plan its changes: {err}"),
    }
}

/// A file `install --with` writes: its whole new text, and what it adds, to show the user.
struct Edit {
    /// Relative to the work tree.
    path: PathBuf,
    text: String,
    executable: bool,
    change: Change,
}

/// Lines added to a file: where, and the lines exactly.
type Additions = Vec<(String, String)>;

enum Change {
    /// Our script for a hook, new or replacing an older version of ours.
    Script { update: bool },
    /// A new configuration file with these lines.
    Created(String),
    /// Lines added to a configuration file.
    Added(Additions),
}

/// Everything `install --with` does for one manager, before it is done.
#[derive(Default)]
struct Plan {
    edits: Vec<Edit>,
    /// Entries already in place.
    in_place: Vec<String>,
    /// What the user runs next, and notes.
    next: Vec<String>,
}

impl Plan {
    /// The edits for the user, one line each and the lines written below, in the past tense
    /// (`done`) or the present.
    fn describe(&self, done: bool) -> Vec<String> {
        let verb = |past: &str, present: &str| if done { past } else { present }.to_string();
        let mut out = Vec::new();
        for edit in &self.edits {
            let path = edit.path.display();
            match &edit.change {
                Change::Script { update, .. } => out.push(format!(
                    "{} {path} (conflictguard's script)",
                    if *update {
                        verb("updated", "updates")
                    } else {
                        verb("wrote", "writes")
                    }
                )),
                Change::Created(lines) => {
                    out.push(format!("{} {path}:", verb("created", "creates")));
                    out.extend(lines.lines().map(|line| format!("    {line}")));
                }
                Change::Added(additions) => {
                    for (place, lines) in additions {
                        out.push(format!("{} {path}, {place}:", verb("added to", "adds to")));
                        out.extend(lines.lines().map(|line| format!("    {line}")));
                    }
                }
            }
        }
        out.extend(
            self.in_place
                .iter()
                .map(|what| format!("already in place: {what}")),
        );
        out.extend(self.next.iter().cloned());
        out
    }

    /// Writes or plans our hook script for `hook` at `path` (relative to `workdir`).
    fn script(&mut self, workdir: &Path, path: PathBuf, hook: &'static str) -> Result<()> {
        let script = script_text(hook);
        let edit = |update| Edit {
            path: path.clone(),
            text: script.to_string(),
            executable: true,
            change: Change::Script { update },
        };
        match std::fs::read_to_string(workdir.join(&path)) {
            Ok(existing) if existing == script => self.in_place.push(format!(
                "{} (conflictguard's {hook} script)",
                path.display()
            )),
            Ok(existing) if is_ours(&existing) => self.edits.push(edit(true)),
            Ok(_) => {
                return Err(Error::ManagerConfig {
                    manager: "the hook manager".to_string(),
                    problem: format!("{} exists and is not conflictguard's", path.display()),
                    advice: format!(
                        "move {} aside; conflictguard writes its {hook} script there",
                        path.display()
                    ),
                })
            }
            Err(_) => self.edits.push(edit(false)),
        }
        Ok(())
    }

    /// A configuration file's new text and the lines added (where, which), or that our entries
    /// are in place.
    fn config(
        &mut self,
        path: &str,
        old: Option<&str>,
        new: String,
        additions: Additions,
        what: &str,
    ) {
        if old == Some(new.as_str()) {
            self.in_place.push(format!("{what} in {path}"));
            return;
        }
        let change = match old {
            None => Change::Created(new.clone()),
            Some(_) => Change::Added(additions),
        };
        self.edits.push(Edit {
            path: PathBuf::from(path),
            text: new,
            executable: false,
            change,
        });
    }
}

fn script_text(hook: &str) -> &'static str {
    SCRIPTS
        .iter()
        .find(|(name, _)| *name == hook)
        .map_or("", |(_, script)| script)
}

/// Where the husky and pre-commit recipes keep conflictguard's scripts, in the repository: the
/// manager runs them from there, and a clone has them whether or not it has the binary.
const SCRIPTS_DIR: &str = ".conflictguard/hooks";

fn workdir(repo: &Repository, manager: Manager) -> Result<&Path> {
    repo.workdir().ok_or_else(|| Error::ManagerConfig {
        manager: manager.name().to_string(),
        problem: "a bare repository has no work tree".to_string(),
        advice: "run it in a clone with a work tree".to_string(),
    })
}

fn plan(repo: &Repository, manager: Manager) -> Result<Plan> {
    let workdir = workdir(repo, manager)?;
    match manager {
        Manager::Husky => husky::plan(repo, workdir),
        Manager::Lefthook => lefthook::plan(workdir),
        Manager::PreCommit => pre_commit::plan(workdir),
    }
}

/// Adds conflictguard to `manager`'s configuration, and says exactly what it wrote.
pub fn install(repo: &Repository, manager: Manager) -> Result<Vec<String>> {
    let plan = plan(repo, manager)?;
    let workdir = workdir(repo, manager)?;
    for edit in &plan.edits {
        let path = workdir.join(&edit.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        git_hooks::write_script(&path, &edit.text, edit.executable)?;
    }
    let mut said = plan.describe(true);
    // The manager runs our scripts now; ours in git's hooks folder (an earlier plain `install`,
    // perhaps in husky's .husky/_ with husky's shim moved aside) would run twice or keep the
    // team's hooks off: they go, and what they had moved aside comes back.
    said.extend(git_hooks::uninstall(repo)?);
    if plan.edits.is_empty() {
        said.insert(
            0,
            format!(
                "conflictguard is already in {}: nothing to change",
                manager.name()
            ),
        );
    }
    Ok(said)
}

/// What `uninstall` does to one file.
enum Removal {
    /// Our entries removed: where they were, and their lines.
    Rewrite {
        path: PathBuf,
        text: String,
        removed: Additions,
    },
    /// Nothing of the user's is left in it.
    Delete { path: PathBuf, why: &'static str },
}

/// Takes out of every manager what `install --with` added, and our scripts.
pub fn uninstall(repo: &Repository) -> Result<Vec<String>> {
    let Some(workdir) = repo.workdir() else {
        return Ok(Vec::new());
    };
    let mut removals = Vec::new();
    removals.extend(husky::removal(repo, workdir));
    removals.extend(lefthook::removal(workdir));
    removals.extend(pre_commit::removal(workdir));
    let mut folders = vec![PathBuf::from(SCRIPTS_DIR)];
    for (hook, _) in SCRIPTS {
        let ours = |path: &Path| {
            std::fs::read_to_string(workdir.join(path)).is_ok_and(|text| is_ours(&text))
        };
        let shared = Path::new(SCRIPTS_DIR).join(hook);
        let lefthook = lefthook::script_path(workdir, hook);
        for path in [shared, lefthook] {
            if ours(&path) {
                if let Some(parent) = path.parent() {
                    folders.push(parent.to_path_buf());
                }
                removals.push(Removal::Delete {
                    path,
                    why: "conflictguard's script",
                });
            }
        }
    }
    let mut said = Vec::new();
    for removal in removals {
        match removal {
            Removal::Rewrite {
                path,
                text,
                removed,
            } => {
                git_hooks::write_script(&workdir.join(&path), &text, false)?;
                for (place, lines) in removed {
                    said.push(format!("removed from {}, {place}:", path.display()));
                    said.extend(lines.lines().map(|line| format!("    {line}")));
                }
            }
            Removal::Delete { path, why } => {
                let full = workdir.join(&path);
                std::fs::remove_file(&full)
                    .map_err(|e| Error::io(format!("removing {}", full.display()), e))?;
                said.push(format!("removed {} ({why})", path.display()));
            }
        }
    }
    // Folders our scripts leave empty go too (`.conflictguard/hooks`, `.lefthook/pre-commit`).
    folders.push(PathBuf::from(".conflictguard"));
    for folder in folders {
        let full = workdir.join(&folder);
        if std::fs::read_dir(&full).is_ok_and(|mut entries| entries.next().is_none()) {
            let _ = std::fs::remove_dir(&full);
        }
    }
    Ok(said)
}
