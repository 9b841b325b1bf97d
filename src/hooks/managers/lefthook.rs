//! lefthook (2.x): `lefthook install` writes git's hooks, which run the jobs of `lefthook.yml`.
//! conflictguard is added as a `scripts:` entry, not a `commands:` one: in `pre-commit` lefthook
//! skips a command when no staged file differs from HEAD ("no matching staged files") — exactly
//! the merge resolved by keeping our side (`git checkout --ours`), the case the check exists for.
//! A script runs whatever is staged. lefthook looks a script up as `<source_dir>/<hook>/<name>`
//! (`source_dir` defaults to `.lefthook/`), so our scripts go there.

use std::path::{Path, PathBuf};

use super::yaml_lines::{indent, indented, key_of, Lines};
use super::{Plan, Removal};
use crate::error::{Error, Result};
use crate::hooks::SCRIPTS;

/// The files lefthook reads its configuration from, in the order it looks.
const CONFIG_FILES: [&str; 8] = [
    "lefthook.yml",
    ".lefthook.yml",
    "lefthook.yaml",
    ".lefthook.yaml",
    "lefthook.toml",
    ".lefthook.toml",
    "lefthook.json",
    ".lefthook.json",
];

/// Our script's name in `<source_dir>/<hook>/`, and its key under `scripts:`.
const SCRIPT: &str = "conflictguard";

/// The entry under a hook, as `install --with lefthook` writes it into a new hook block.
fn hook_block(hook: &str) -> String {
    format!("{hook}:\n  scripts:\n    {SCRIPT}:\n      runner: sh\n")
}

pub fn config_file(workdir: &Path) -> Option<&'static str> {
    CONFIG_FILES
        .into_iter()
        .find(|name| workdir.join(name).is_file())
}

/// `source_dir` from the configuration, else lefthook's default.
fn source_dir(workdir: &Path) -> String {
    let configured = config_file(workdir)
        .and_then(|name| std::fs::read_to_string(workdir.join(name)).ok())
        .and_then(|text| {
            let lines = Lines::new(&text);
            let at = lines.top_level("source_dir")?;
            key_of(&lines.lines[at])
                .map(|(_, value)| value.trim_matches(['"', '\'']).to_string())
                .filter(|value| !value.is_empty())
        });
    configured.unwrap_or_else(|| ".lefthook/".to_string())
}

pub fn script_path(workdir: &Path, hook: &str) -> PathBuf {
    Path::new(&source_dir(workdir)).join(hook).join(SCRIPT)
}

fn cannot_edit(problem: String) -> Error {
    let mut by_hand = String::new();
    for (hook, _) in SCRIPTS {
        by_hand.push_str(&hook_block(hook));
    }
    Error::ManagerConfig {
        manager: "lefthook".to_string(),
        problem,
        advice: format!(
            "add this to the lefthook configuration by hand (as YAML here):\n{by_hand}and copy \
             conflictguard's hooks/pre-commit and hooks/pre-merge-commit to \
             .lefthook/<hook>/{SCRIPT}"
        ),
    }
}

/// `text` with our script entry under `hook`, or `None` when it is there already; the lines
/// added, and where.
fn add_entry(text: &str, hook: &str) -> Result<Option<(String, String, String)>> {
    let mut lines = Lines::new(text);
    let Some(at) = lines.top_level(hook) else {
        let unit = lines
            .lines
            .iter()
            .map(|line| indent(line))
            .find(|&n| n > 0)
            .unwrap_or(2);
        let block = hook_block(hook).replace("  ", &" ".repeat(unit));
        let mut new = lines.text();
        if !new.is_empty() && !new.ends_with("\n\n") {
            new.push('\n');
        }
        new.push_str(&block);
        return Ok(Some((
            new,
            block.trim_end().to_string(),
            "at the end".to_string(),
        )));
    };
    if key_of(&lines.lines[at]).is_some_and(|(_, value)| !value.is_empty()) {
        return Err(cannot_edit(format!(
            "`{hook}:` has its value on the same line; conflictguard edits block-style YAML only"
        )));
    }
    let unit = lines.child_indent(at).unwrap_or(2);
    let (insert_at, block, place) = match lines.child(at, "scripts") {
        Some(scripts) => {
            if key_of(&lines.lines[scripts]).is_some_and(|(_, value)| !value.is_empty()) {
                return Err(cannot_edit(format!(
                    "`{hook}: scripts:` has its value on the same line"
                )));
            }
            if lines.child(scripts, SCRIPT).is_some() {
                return Ok(None);
            }
            let entry = lines.child_indent(scripts).unwrap_or(2 * unit);
            let block = indented(&format!("{SCRIPT}:\n{}runner: sh", " ".repeat(unit)), entry);
            (scripts + 1, block, format!("under {hook}, scripts"))
        }
        None => {
            let block = indented(
                &format!(
                    "scripts:\n{u}{SCRIPT}:\n{u}{u}runner: sh",
                    u = " ".repeat(unit)
                ),
                unit,
            );
            (at + 1, block, format!("under {hook}"))
        }
    };
    lines.insert(insert_at, &block);
    Ok(Some((lines.text(), block.join("\n"), place)))
}

/// `text` without our script entry under `hook` (and without a `scripts:` or hook it leaves
/// empty), or `None` when it has none.
fn remove_entry(text: &str, hook: &str) -> Option<(String, String)> {
    let mut lines = Lines::new(text);
    let at = lines.top_level(hook)?;
    let scripts = lines.child(at, "scripts")?;
    let entry = lines.child(scripts, SCRIPT)?;
    let end = lines.block_end(entry);
    let removed = lines.lines[entry..end].join("\n");
    lines.remove(entry, end);
    if lines.block_is_empty(scripts) {
        let end = lines.block_end(scripts);
        lines.remove(scripts, end);
    }
    if lines.block_is_empty(at) {
        let end = lines.block_end(at);
        lines.remove(at, end);
    }
    Some((lines.text(), removed))
}

pub fn plan(workdir: &Path) -> Result<Plan> {
    let existing = config_file(workdir);
    let name = existing.unwrap_or("lefthook.yml");
    if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
        return Err(cannot_edit(format!(
            "{name} is not YAML; conflictguard edits lefthook.yml only"
        )));
    }
    let old = match existing {
        Some(name) => Some(
            std::fs::read_to_string(workdir.join(name))
                .map_err(|e| Error::io(format!("reading {name}"), e))?,
        ),
        None => None,
    };
    let mut plan = Plan::default();
    for (hook, _) in SCRIPTS {
        plan.script(workdir, script_path(workdir, hook), hook)?;
    }
    let mut text = old.clone().unwrap_or_default();
    let mut added = Vec::new();
    for (hook, _) in SCRIPTS {
        if let Some((new, lines, place)) = add_entry(&text, hook)? {
            text = new;
            added.push((place, lines));
        }
        let hook_lines = Lines::new(&text);
        if let Some(at) = hook_lines.top_level(hook) {
            for key in ["skip", "only"] {
                if hook_lines.child(at, key).is_some() {
                    plan.next.push(format!(
                        "note: {name} gives {hook} a `{key}:`; if it leaves out merges, \
                         conflictguard does not run in them"
                    ));
                }
            }
        }
    }
    plan.config(name, old.as_deref(), text, added, "conflictguard's scripts");
    plan.next.push(format!(
        "Next: `npx lefthook install` (or `lefthook install`) writes git's hooks from {name}; \
         npm does not run lefthook's own install script. Commit {name} and the scripts."
    ));
    Ok(plan)
}

pub fn removal(workdir: &Path) -> Vec<Removal> {
    let Some(name) = config_file(workdir) else {
        return Vec::new();
    };
    let Ok(mut text) = std::fs::read_to_string(workdir.join(name)) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for (hook, _) in SCRIPTS {
        if let Some((new, lines)) = remove_entry(&text, hook) {
            text = new;
            removed.push((format!("under {hook}, scripts"), lines));
        }
    }
    if removed.is_empty() {
        return Vec::new();
    }
    vec![Removal::Rewrite {
        path: PathBuf::from(name),
        text,
        removed,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(original: &str, expected: &str) {
        let mut text = original.to_string();
        for (hook, _) in SCRIPTS {
            if let Some((new, _, _)) = add_entry(&text, hook).expect("editable") {
                text = new;
            }
        }
        assert_eq!(text, expected);
        for (hook, _) in SCRIPTS {
            assert!(add_entry(&text, hook).expect("editable").is_none(), "twice");
        }
        for (hook, _) in SCRIPTS {
            text = remove_entry(&text, hook).expect("ours").0;
        }
        assert_eq!(text, original);
    }

    #[test]
    fn entries_go_into_existing_hooks_and_come_out_again() {
        round_trip(
            "pre-commit:\n  commands:\n    lint:\n      run: eslint {staged_files}\n",
            "pre-commit:\n  scripts:\n    conflictguard:\n      runner: sh\n  commands:\n    lint:\n      run: eslint {staged_files}\n\npre-merge-commit:\n  scripts:\n    conflictguard:\n      runner: sh\n",
        );
        round_trip(
            "# hooks\npre-commit:\n    scripts:\n        \"check.sh\":\n            runner: bash\n",
            "# hooks\npre-commit:\n    scripts:\n        conflictguard:\n            runner: sh\n        \"check.sh\":\n            runner: bash\n\npre-merge-commit:\n    scripts:\n        conflictguard:\n            runner: sh\n",
        );
        round_trip(
            "",
            "pre-merge-commit:\n  scripts:\n    conflictguard:\n      runner: sh\n\npre-commit:\n  scripts:\n    conflictguard:\n      runner: sh\n",
        );
    }

    #[test]
    fn a_hook_in_flow_style_is_refused_with_the_lines_to_add() {
        let err = add_entry("pre-commit: {}\n", "pre-commit").expect_err("refused");
        let Error::ManagerConfig { advice, .. } = err else {
            panic!("another error: {err}");
        };
        assert!(advice.contains(&hook_block("pre-commit")), "{advice}");
    }
}
