//! CG007 resurrected-dependency: a package that one side removed from a manifest (`package.json`,
//! `pyproject.toml`, `requirements*.txt`) is back in the merge result. The detection is CG001's
//! (`resurrection.rs`) over the packages the settings readers find (`lang/settings/`).

use super::{resurrection, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG007",
    name: "resurrected-dependency",
    severity: Severity::Error,
    summary: "a dependency that one side removed is back in the merge result",
    explanation: "\
## What it does
Reports a package that one side of a merge removed from a manifest and that the merge result lists
again: `package.json` (`dependencies`, `devDependencies`, `peerDependencies`,
`optionalDependencies`), `pyproject.toml` (`[project] dependencies`, optional dependencies,
dependency groups, Poetry's dependency groups) and `requirements*.txt`. A package is named by its
name (Python's in normal form: `Legacy_SDK` is `legacy-sdk`) whichever group lists it: moving it
from `dependencies` to `devDependencies` removes nothing. Lock files are never read.

When the other side changed the package's line (a version bump) while this side removed it, git
reports a conflict and the finding says a human must decide: keep the removal, or keep the package
on purpose.

## Why is this bad?
A dependency removed on purpose was unused, replaced or unsafe. Brought back by a stale resolution
it is installed and shipped again, its lock-file entry is regenerated, and code may start importing
it again.

## Example
`main` removes `\"legacy-sdk\"` from `package.json`'s `dependencies`. A feature branch merged with
`-X theirs` keeps its own `package.json` hunk, and the package is back.
",
    allowable: true,
    one_per_name: true,
    yields_to: &[],
};

pub struct ResurrectedDependency;

impl Rule for ResurrectedDependency {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, _repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        Ok(resurrection::of_rule(merge, &RULE))
    }
}
