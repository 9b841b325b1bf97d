//! `conflictguard ci`: the status check of a pull request. Every merge commit inside the branch is
//! audited (a resolution that undid the base's deletion hides there, where the final merge cannot
//! see it), the final merge of the head into the base is simulated, and the pull request's
//! additions are compared with what the base removed in its recent history (CG005: a rebased or
//! squashed branch carries no merge to read).

use std::collections::{BTreeMap, HashMap};

use git2::{Oid, Repository};

use crate::analysis::{make_finding, skip::Skipper, Analyzer};
use crate::error::{Error, Result};
use crate::finding::{Finding, MergeReport, RemovedBy, Side};
use crate::git::{self, changes, removed_by::commit_info, scenario};
use crate::lang;
use crate::rules::re_added_after_removal;
use crate::symbols::contains_word;

/// The base and head of a pull request.
pub struct PullRequest {
    pub base: Oid,
    pub head: Oid,
    /// How the base was named, for messages (`main`, `origin/main`).
    pub base_name: String,
}

/// Resolves `--base`/`--head`; without `--base`, GitHub's pull-request checkout (HEAD is the merge
/// commit GitHub made: first parent the base tip, second the branch) names both.
pub fn pull_request(
    repo: &Repository,
    base: Option<&str>,
    head: Option<&str>,
) -> Result<PullRequest> {
    if let Some(base) = base {
        let head = git::resolve_commit(repo, head.unwrap_or("HEAD"))?.id();
        return Ok(PullRequest {
            base: git::resolve_commit(repo, base)?.id(),
            head,
            base_name: base.to_string(),
        });
    }
    let on_github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let merge = repo.head().ok().and_then(|head| head.peel_to_commit().ok());
    match merge {
        Some(commit) if on_github && head.is_none() && commit.parent_count() == 2 => {
            let base_name = std::env::var("GITHUB_BASE_REF")
                .ok()
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "base".to_string());
            Ok(PullRequest {
                base: commit.parent_id(0)?,
                head: commit.parent_id(1)?,
                base_name,
            })
        }
        _ => Err(Error::MissingBase),
    }
}

/// The merge commits of `base..head`, oldest first; a shallow clone that cannot list them is an
/// error, never an empty list.
pub fn merges_in(repo: &Repository, pr: &PullRequest) -> Result<Vec<Oid>> {
    let incomplete = || Error::IncompleteHistory {
        base: git::short_id(pr.base),
        head: git::short_id(pr.head),
    };
    let mut walk = repo.revwalk()?;
    walk.push(pr.head)?;
    walk.hide(pr.base)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut merges = Vec::new();
    for oid in walk {
        let oid = oid.map_err(|err| {
            if repo.is_shallow() {
                incomplete()
            } else {
                err.into()
            }
        })?;
        let commit = repo.find_commit(oid)?;
        if commit.parent_count() >= 2 {
            merges.push(oid);
        }
    }
    if repo.is_shallow() && repo.merge_base(pr.base, pr.head).is_err() {
        return Err(incomplete());
    }
    Ok(merges)
}

/// Runs the whole check: the audited merges, then the simulated final merge carrying CG005.
pub fn run(analyzer: &Analyzer<'_>, pr: &PullRequest, lookback: usize) -> Result<Vec<MergeReport>> {
    let repo = analyzer.repo();
    let mut reports = Vec::new();
    for merge in merges_in(repo, pr)? {
        match scenario::from_merge_commit(repo, &merge.to_string())? {
            Some(scenario) => reports.push(analyzer.analyse(&scenario)?),
            None => reports.push(crate::octopus(repo, merge)?),
        }
    }
    let mut final_merge =
        scenario::simulate(repo, &pr.head.to_string(), &pr.base.to_string(), true)?;
    final_merge.ours_branch = Some(pr.base_name.clone());
    let mut report = analyzer.analyse(&final_merge)?;
    let found = re_added(analyzer, pr, &final_merge, lookback)?;
    for finding in found {
        let known = report
            .findings
            .iter()
            .any(|f| f.path == finding.path && f.identifier == finding.identifier);
        if !known {
            report.findings.push(finding);
        }
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    reports.push(report);
    Ok(reports)
}

/// CG005: names the pull request adds to a file that one of the base's last `lookback`
/// first-parent commits removed from that file, and that the base still lacks.
fn re_added(
    analyzer: &Analyzer<'_>,
    pr: &PullRequest,
    final_merge: &scenario::MergeScenario,
    lookback: usize,
) -> Result<Vec<Finding>> {
    let repo = analyzer.repo();
    let merge_base = final_merge.base_tree();
    let head_tree = repo.find_commit(pr.head)?.tree()?;
    let base_tree = repo.find_commit(pr.base)?.tree()?;
    let skipper = Skipper::new(repo, &head_tree);
    let parsed =
        |path: &str, oid: Option<Oid>| -> Option<std::sync::Arc<crate::symbols::ParsedFile>> {
            let language = lang::for_path(path)?;
            let oid = oid?;
            let text = git::read_blob(repo, oid).ok()?;
            Some(analyzer.parse(oid, language, &text))
        };

    // What the pull request adds, file by file.
    let mut added: BTreeMap<String, (Oid, Vec<String>)> = BTreeMap::new();
    for change in changes::between(repo, merge_base, head_tree.id())? {
        let Some((path, head_oid)) = change.new else {
            continue;
        };
        if lang::for_path(&path).is_none() || skipper.reason(&path).is_some() {
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
                if had.contains(name) && gone {
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
        let mut finding = make_finding(
            &re_added_after_removal::RULE,
            &name,
            &path,
            &text,
            occurrence.start,
            occurrence.end,
            "simulated",
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
