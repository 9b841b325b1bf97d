//! CG005 re-added-after-removal: a pull request adds to a file a name that the base branch removed
//! from that file in its recent history. A rebased or squashed branch carries no merge to read, so
//! a stale line it keeps looks like an addition; this rule compares it with what the base removed.

use super::Rule;
use crate::finding::Severity;

pub const RULE: Rule = Rule {
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
};
