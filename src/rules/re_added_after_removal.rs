//! CG005 re-added-after-removal: a pull request adds to a file a name that the base branch removed
//! from that file in its recent history. A rebased or squashed branch carries no merge to read, so
//! a stale line it keeps looks like an addition; this rule compares it with what the base removed.
//! It runs on the final merge of `conflictguard ci`, the one merge that stands for a pull request.

use std::collections::{BTreeMap, HashMap};

use git2::{Oid, Repository};

use super::{
    conflict_marker, resurrected_definition, resurrected_reference, use_of_removed_identifier,
    Rule, RuleMeta,
};
use crate::error::Result;
use crate::finding::{Finding, Place, RemovedBy, Severity, Side};
use crate::git::pull_request::PullRequest;
use crate::git::{self, changes, removed_by::commit_info};
use crate::lang;
use crate::merge::{Checked, GeneratedFiles, MergeContext};
use crate::syntax::{contains_word, ParsedFile};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG005",
    name: "re-added-after-removal",
    severity: Severity::Warning,
    summary: "a pull request adds back a name the base branch removed recently",
    explanation: "\
## What it does
For `conflictguard ci`: reports a name that the pull request adds to a file (present at its head,
absent at the merge base) when one of the base branch's recent commits (`--lookback`, on its
first-parent history) removed that name from the same file, and the base still does not have it.

## Why is this bad?
A branch rebased or squashed onto `main` has no merge commit whose resolution could be read: the
stale line it kept looks like new code. If `main` removed that very name a few commits ago, the
pull request most likely undoes the removal by accident. It is a warning, because re-adding a name
on purpose is legitimate: say so with an inline `conflictguard: allow <name>` comment.

## Example
`main` removes `LEGACY_QUOTE_URL` from `src/config.js`. A feature branch that still had it is
rebased onto `main`, resolving the rebase conflict by keeping its own lines. The pull request's diff
adds `LEGACY_QUOTE_URL` back; CG005 names the commit on `main` that removed it.
",
    // Any other rule's finding for the same file and name already says it.
    allowable: true,
    one_per_name: true,
    yields_to: &[
        resurrected_definition::RULE.code,
        resurrected_reference::RULE.code,
        use_of_removed_identifier::RULE.code,
        conflict_marker::RULE.code,
    ],
};

pub struct ReAddedAfterRemoval;

impl Rule for ReAddedAfterRemoval {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        let Some(pr) = merge.pull_request else {
            return Ok(Checked::default());
        };
        Ok(Checked {
            findings: re_added(repo, merge, pr)?,
            notes: Vec::new(),
        })
    }
}

/// CG005: names the pull request adds to a file that one of the base's last `lookback`
/// first-parent commits removed from that file, and that the base still lacks.
fn re_added(repo: &Repository, merge: &MergeContext<'_>, pr: &PullRequest) -> Result<Vec<Finding>> {
    let lookback = pr.lookback;
    let merge_base = merge.scenario.base_tree();
    let head_tree = repo.find_commit(pr.head)?.tree()?;
    let base_tree = repo.find_commit(pr.base)?.tree()?;
    let generated = GeneratedFiles::new(repo, &head_tree).with_settings_paths_of(&merge.generated);
    let parsed = |path: &str, oid: Option<Oid>| -> Option<std::sync::Arc<ParsedFile>> {
        let language = lang::for_path(path)?;
        let oid = oid?;
        let text = git::read_blob(repo, oid).ok()?;
        Some(merge.parse(oid, language, &text))
    };

    // What the pull request adds, file by file.
    let mut added: BTreeMap<String, (Oid, Vec<String>)> = BTreeMap::new();
    for change in changes::between(repo, merge_base, head_tree.id())? {
        let Some((path, head_oid)) = change.new else {
            continue;
        };
        if lang::for_path(&path).is_none() || generated.reason(&path).is_some() {
            continue;
        }
        let Some(head) = parsed(&path, Some(head_oid)) else {
            continue;
        };
        let before = change
            .old
            .and_then(|(old_path, oid)| parsed(&old_path, Some(oid)));
        let base_now = parsed(&path, git::blob_at(&base_tree, &path));
        let mut names: Vec<String> = head
            .names()
            .filter(|name| !before.as_ref().is_some_and(|b| b.contains(name)))
            .filter(|name| !base_now.as_ref().is_some_and(|b| b.contains(name)))
            .map(str::to_string)
            .collect();
        names.sort();
        if !names.is_empty() {
            added.insert(path, (head_oid, names));
        }
    }
    if added.is_empty() {
        return Ok(Vec::new());
    }

    // The base's recent removals from those files.
    let mut removed_in: HashMap<(String, String), Oid> = HashMap::new();
    let mut commit = repo.find_commit(pr.base)?;
    for _ in 0..lookback {
        let Ok(parent) = commit.parent(0) else {
            break;
        };
        let (tree, parent_tree) = (commit.tree()?, parent.tree()?);
        for (path, (_, names)) in &added {
            let now = git::blob_at(&tree, path);
            let before = git::blob_at(&parent_tree, path);
            if now == before || before.is_none() {
                continue;
            }
            let before_text = before.and_then(|oid| git::read_blob(repo, oid).ok());
            let candidates: Vec<&String> = names
                .iter()
                .filter(|name| before_text.as_ref().is_some_and(|t| contains_word(t, name)))
                .filter(|name| !removed_in.contains_key(&((*path).clone(), (*name).clone())))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let (Some(had), now_parsed) = (parsed(path, before), parsed(path, now)) else {
                continue;
            };
            for name in candidates {
                let gone = !now_parsed.as_ref().is_some_and(|p| p.contains(name));
                // A method or property the file only called is not a name the base removed.
                if had.names_as_its_own(name) && gone {
                    removed_in.insert((path.clone(), name.clone()), commit.id());
                }
            }
        }
        commit = parent;
    }

    let mut findings = Vec::new();
    for ((path, name), removing) in removed_in {
        let Some((head_oid, _)) = added.get(&path) else {
            continue;
        };
        let Some(head) = parsed(&path, Some(*head_oid)) else {
            continue;
        };
        let Some(occurrence) = head
            .occurrences_of(&name)
            .find(|o| o.role.is_definition())
            .or_else(|| head.occurrences_of(&name).next())
        else {
            continue;
        };
        let info = commit_info(repo, removing)?;
        let text = git::read_blob(repo, *head_oid)?;
        let mut finding = Finding::new(
            RULE.id(),
            &name,
            Place {
                path: &path,
                text: &text,
                start: occurrence.start,
                end: occurrence.end,
            },
            &merge.merge,
            format!(
                "`{name}` was removed from {path} on {} in {} \"{}\", and this pull request adds it back",
                pr.base_name, info.short, info.summary
            ),
        );
        finding.scope = occurrence.scope.clone();
        finding.removed_by = Some(RemovedBy {
            side: Side::Ours,
            branch: Some(pr.base_name.clone()),
            commit: Some(info),
        });
        finding.help = Some(format!(
            "drop `{name}` again, or keep it on purpose with a `conflictguard: allow {name}` comment"
        ));
        findings.push(finding);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(findings)
}
