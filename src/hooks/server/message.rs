//! What the pusher reads: git shows the hook's standard error as `remote:` lines, so this is plain
//! text, one fact a line — which branch, which commit, which name in which file and line, which
//! commit removed it — then how to get past it on purpose. A refusal's first line is its headline;
//! on GitLab it starts `GL-HOOK-ERR: `, which GitLab shows in its web interface. Every bypass by
//! push option gets a line of its own, starting `conflictguard: bypass:`, with the pusher: the same
//! line is the server's log of it.

use std::collections::BTreeSet;
use std::time::Duration;

use git2::{Oid, Repository};

use super::policy::{PushEnvironment, ALLOW_OPTION};
use super::{Branch, Judged, Problem, Weight};
use crate::config::file::OnTimeout;
use crate::config::OnError;
use crate::finding::{CommitInfo, Finding};
use crate::git;

/// How many merges a line about unchecked merges names before saying how many more there are.
const NAMED_MERGES: usize = 5;

/// Everything the message says.
pub struct Push<'a> {
    pub repo: &'a Repository,
    pub environment: &'a PushEnvironment,
    pub branches: &'a [Branch],
    pub problems: &'a [Problem],
    pub notes: &'a [String],
    /// Names a push option let through that no finding has.
    pub unused_names: Vec<String>,
    pub push_options_enabled: bool,
    pub deadline: Duration,
    pub elapsed: Duration,
    pub refused: bool,
}

/// Text from the repository or the input, with control characters escaped.
pub fn clean(text: &str) -> String {
    crate::report::human::clean(text)
}

pub fn write(push: &Push<'_>) -> String {
    let mut out = String::new();
    if push.refused {
        let prefix = if push.environment.gitlab {
            "GL-HOOK-ERR: "
        } else {
            ""
        };
        out.push_str(&format!(
            "{prefix}conflictguard refused this push: {}\n",
            headline(push)
        ));
    }
    for note in push.notes {
        out.push_str(&format!("conflictguard: {}\n", clean(note)));
    }
    for problem in push.problems {
        out.push_str(&format!(
            "conflictguard: could not check {}: {}\n",
            problem.subject,
            clean(&problem.why)
        ));
        out.push_str(&format!("  {}\n", on_error_text(problem.on_error)));
    }
    for branch in push.branches {
        write_branch(&mut out, push, branch);
    }
    for branch in push.branches {
        for judged in branch
            .found
            .judged
            .iter()
            .filter(|j| j.weight == Weight::Bypassed)
        {
            out.push_str(&bypass_line(push, branch, &judged.finding));
        }
    }
    for name in &push.unused_names {
        out.push_str(&format!(
            "conflictguard: push option {ALLOW_OPTION}{} let nothing through: no finding names `{}`\n",
            clean(name),
            clean(name)
        ));
    }
    if push.refused {
        out.push_str(&advice(push));
    }
    out
}

/// The refusal in one line: what, where.
fn headline(push: &Push<'_>) -> String {
    let mut reasons = Vec::new();
    for branch in push.branches.iter().filter(|b| b.refused()) {
        let failing: BTreeSet<&str> = branch
            .found
            .judged
            .iter()
            .filter(|j| j.weight == Weight::Fails)
            .map(|j| j.finding.identifier.as_str())
            .collect();
        if !failing.is_empty() {
            let names: Vec<String> = failing.iter().map(|n| format!("`{}`", clean(n))).collect();
            reasons.push(format!(
                "it brings back {} that {} removed",
                join_names(&names),
                branch.name
            ));
        }
        if branch.found.unanalysed_fails {
            reasons.push(format!(
                "code on {} goes unread (unanalysed = \"warn\")",
                branch.name
            ));
        }
        if branch.invalid_pushed_settings.is_some() {
            reasons.push(format!(
                "it leaves {} with a .conflictguard.toml that cannot be read",
                branch.name
            ));
        }
        if !branch.found.failures.is_empty() && branch.on_error() == OnError::Block {
            reasons.push(format!("{} could not be checked", branch.name));
        }
        if branch.timed_out() && branch.on_timeout() == OnTimeout::Block {
            reasons.push(format!(
                "{} could not be checked within the {} deadline",
                branch.name,
                seconds(push.deadline)
            ));
        }
    }
    for problem in push
        .problems
        .iter()
        .filter(|p| p.on_error == OnError::Block)
    {
        reasons.push(format!("{} could not be checked", problem.subject));
    }
    reasons.join("; ")
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] if rest.len() < 3 => format!("{} and {last}", rest.join(", ")),
        _ => format!("{}, and {} more", names[..3].join(", "), names.len() - 3),
    }
}

fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{secs:.2} s")
    }
}

fn write_branch(out: &mut String, push: &Push<'_>, branch: &Branch) {
    let found = &branch.found;
    let count = |weight| found.judged.iter().filter(|j| j.weight == weight).count();
    let merges = match branch.merges.len() {
        1 => "1 merge".to_string(),
        n => format!("{n} merges"),
    };
    let commits = match branch.commits {
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    };
    let mut summary = format!(
        "conflictguard: {} ({}..{}, {commits}, {merges}): ",
        branch.name,
        git::short_id(branch.old),
        git::short_id(branch.new)
    );
    let mut counts = Vec::new();
    for (weight, what) in [
        (Weight::Fails, "refusing the push"),
        (Weight::Passes, "below fail-on, reported only"),
        (Weight::Bypassed, "let through by a push option"),
    ] {
        match count(weight) {
            0 => {}
            1 => counts.push(format!("1 finding {what}")),
            n => counts.push(format!("{n} findings {what}")),
        }
    }
    if counts.is_empty() {
        counts.push(if branch.timed_out() || !found.failures.is_empty() {
            "nothing found in what was checked".to_string()
        } else {
            "nothing that was removed comes back".to_string()
        });
    }
    summary.push_str(&counts.join(", "));
    summary.push_str(&format!(
        "; {} analysed in {}",
        match found.analysed_files {
            1 => "1 file".to_string(),
            n => format!("{n} files"),
        },
        seconds(push.elapsed)
    ));
    if let Some(not_analysed) = &found.not_analysed {
        summary.push_str(&format!("; {not_analysed}"));
    }
    out.push_str(&summary);
    out.push('\n');
    if let Some(note) = &branch.settings_note {
        out.push_str(&format!("  {}\n", clean(note)));
    }
    if let Some(why) = &branch.invalid_pushed_settings {
        out.push_str(&format!(
            "  the push changes .conflictguard.toml into one that cannot be read: {}\n",
            clean(why)
        ));
    }
    let mut judged: Vec<&Judged> = found.judged.iter().collect();
    judged.sort_by_key(|j| match j.weight {
        Weight::Fails => 0,
        Weight::Passes => 1,
        Weight::Bypassed => 2,
    });
    for judged in judged {
        write_finding(out, push, branch, judged);
    }
    if found.unanalysed_fails {
        out.push_str(
            "  unanalysed = \"warn\" and fail-on = \"warning\": changed code in a language without a grammar went unread\n",
        );
    }
    for merge in &found.octopus {
        out.push_str(&format!(
            "  not analysed: {} is an octopus merge (conflictguard reads two-parent merges)\n",
            commit_text(push.repo, *merge)
        ));
    }
    for (merge, why) in &found.failures {
        let what = match merge {
            Some(merge) => format!("merge {}", commit_text(push.repo, *merge)),
            None => "what the push adds (CG005)".to_string(),
        };
        out.push_str(&format!("  could not check {what}: {}\n", clean(why)));
        out.push_str(&format!("    {}\n", on_error_text(branch.on_error())));
    }
    if branch.timed_out() {
        write_timeout(out, push, branch);
    }
}

fn write_finding(out: &mut String, push: &Push<'_>, branch: &Branch, judged: &Judged) {
    let finding = &judged.finding;
    let level = match judged.weight {
        Weight::Fails => finding.severity.as_str(),
        Weight::Passes => "warning",
        Weight::Bypassed => "bypassed",
    };
    out.push_str(&format!(
        "  {level} {} {}: `{}` at {}:{}\n",
        finding.rule,
        finding.name,
        clean(&finding.identifier),
        clean(&finding.path),
        finding.line
    ));
    if judged.from_push {
        let adding = adding_commit(push.repo, branch, finding);
        match adding {
            Some(commit) => out.push_str(&format!(
                "    added back by {} (pushed)\n",
                commit_info_text(&commit)
            )),
            None => out.push_str(&format!(
                "    added back by the push ({})\n",
                git::short_id(branch.new)
            )),
        }
    } else if let Ok(merge) = Oid::from_str(&finding.merge) {
        out.push_str(&format!("    in merge {}\n", commit_text(push.repo, merge)));
    }
    if let Some(removed) = &finding.removed_by {
        let on = removed
            .branch
            .as_deref()
            .map(|branch| format!(" on {}", clean(branch)))
            .unwrap_or_default();
        match &removed.commit {
            Some(commit) => out.push_str(&format!(
                "    removed{on} by {}\n",
                commit_info_text(commit)
            )),
            None => out.push_str(&format!("    removed{on}\n")),
        }
    }
    if !judged.from_push {
        out.push_str(&format!("    {}\n", clean(&finding.message)));
    }
}

/// `abc1234 "Summary" (Author, 2026-11-20)`.
fn commit_info_text(commit: &CommitInfo) -> String {
    format!(
        "{} \"{}\" ({}, {})",
        commit.short,
        clean(&commit.summary),
        clean(&commit.author),
        commit.date.get(..10).unwrap_or(&commit.date)
    )
}

/// `abc1234 "Summary"`.
fn commit_text(repo: &Repository, oid: Oid) -> String {
    let summary = repo
        .find_commit(oid)
        .ok()
        .map(|commit| {
            String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned()
        })
        .unwrap_or_default();
    format!("{} \"{}\"", git::short_id(oid), clean(&summary))
}

/// The newest pushed commit that brought the name into the file: its version of the file has the
/// word, its first parent's does not.
fn adding_commit(repo: &Repository, branch: &Branch, finding: &Finding) -> Option<CommitInfo> {
    let has_name = |commit: &git2::Commit<'_>| -> bool {
        commit
            .tree()
            .ok()
            .and_then(|tree| git::blob_at(&tree, &finding.path))
            .and_then(|blob| git::read_blob(repo, blob).ok())
            .is_some_and(|text| crate::syntax::contains_word(&text, &finding.identifier))
    };
    let mut walk = repo.revwalk().ok()?;
    walk.push(branch.new).ok()?;
    walk.hide(branch.old).ok()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL).ok()?;
    for oid in walk.flatten() {
        let commit = repo.find_commit(oid).ok()?;
        let parent_has = commit.parent(0).is_ok_and(|parent| has_name(&parent));
        if has_name(&commit) && !parent_has {
            return git::removed_by::commit_info(repo, oid).ok();
        }
    }
    None
}

fn on_error_text(on_error: OnError) -> &'static str {
    match on_error {
        OnError::Block => {
            "on-error = \"block\" (the default): the push is refused; an administrator can set on-error = \"allow\" in the branch's .conflictguard.toml"
        }
        OnError::Allow => "on-error = \"allow\": this goes through unchecked",
    }
}

fn write_timeout(out: &mut String, push: &Push<'_>, branch: &Branch) {
    let found = &branch.found;
    let mut parts = Vec::new();
    if !found.unchecked_merges.is_empty() {
        let named: Vec<String> = found
            .unchecked_merges
            .iter()
            .take(NAMED_MERGES)
            .map(|merge| git::short_id(*merge))
            .collect();
        let more = found.unchecked_merges.len().saturating_sub(NAMED_MERGES);
        parts.push(format!(
            "{} of {} merges ({}{})",
            found.unchecked_merges.len(),
            branch.merges.len(),
            named.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if found.push_unchecked {
        parts.push("what the push adds (CG005)".to_string());
    }
    out.push_str(&format!(
        "  not checked within the {} deadline (newest merges first): {}\n",
        seconds(push.deadline),
        parts.join(" and ")
    ));
    let range = format!(
        "{}..{}",
        git::short_id(branch.old),
        git::short_id(branch.new)
    );
    match branch.on_timeout() {
        OnTimeout::Allow => out.push_str(&format!(
            "    on-timeout = \"allow\" (the default): the push goes through without those checks; `conflictguard audit {range}` runs them after\n"
        )),
        OnTimeout::Block => out.push_str(&format!(
            "    on-timeout = \"block\": the push is refused; push fewer commits at a time (git push <remote> <commit>:{}), or have the deadline raised (conflictguard.deadline in the server's git configuration)\n",
            branch.name
        )),
    }
}

fn bypass_line(push: &Push<'_>, branch: &Branch, finding: &Finding) -> String {
    format!(
        "conflictguard: bypass: `{name}` ({rule} at {path}:{line}, {commit}) on {branch}, let through by push option {ALLOW_OPTION}{name}, pushed by {pusher}\n",
        name = clean(&finding.identifier),
        rule = finding.rule,
        path = clean(&finding.path),
        line = finding.line,
        commit = git::short_id(Oid::from_str(&finding.merge).unwrap_or(branch.new)),
        branch = branch.name,
        pusher = clean(&push.environment.pusher_text()),
    )
}

/// How to get what was refused through on purpose.
fn advice(push: &Push<'_>) -> String {
    let refused_names: BTreeSet<(&str, &str)> = push
        .branches
        .iter()
        .flat_map(|branch| {
            branch
                .found
                .judged
                .iter()
                .filter(|j| j.weight == Weight::Fails)
                .map(move |j| (branch.name.as_str(), j.finding.identifier.as_str()))
        })
        .collect();
    let Some((branch, name)) = refused_names.iter().next().copied() else {
        return String::new();
    };
    let name = clean(name);
    let names: BTreeSet<String> = refused_names.iter().map(|(_, n)| clean(n)).collect();
    let option_names = names.into_iter().collect::<Vec<_>>().join(",");
    let mut text = String::from("To fix it, or to push it on purpose:\n");
    text.push_str(
        "  - fix the commit and push again: a merge that kept the stale side is redone (amend it if it is your last commit: fix the file, `git add`, `git commit --amend`);\n",
    );
    text.push_str(&format!(
        "  - keep the name on purpose with a comment on its line or the line above: `conflictguard: allow {name}`;\n"
    ));
    text.push_str(&format!(
        "  - or allow it in {branch}'s .conflictguard.toml, in a commit that reaches {branch} first (this push is checked with the file {branch} has now):\n      [[allow]]\n      name = \"{name}\"\n      reason = \"why it comes back\"\n"
    ));
    let option = format!("git push -o {ALLOW_OPTION}{option_names}");
    if push.push_options_enabled {
        text.push_str(&format!(
            "  - or let it through this once (printed and logged with your name): {option}\n"
        ));
    } else {
        text.push_str(&format!(
            "  - or let it through this once (printed and logged with your name): {option}, where the server accepts push options (git config receive.advertisePushOptions true)\n"
        ));
    }
    text
}
