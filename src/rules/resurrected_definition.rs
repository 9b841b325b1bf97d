//! CG001 resurrected-definition: a definition that one side removed from a file is back in the
//! merge result. The detection is shared with CG002 and the in-file CG003 (`resurrection.rs`);
//! this rule reports where the result defines the name again.

use super::{resurrection, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG001",
    name: "resurrected-definition",
    severity: Severity::Error,
    summary: "a definition that one side removed from a file is back in the merge result",
    explanation: "\
## What it does
Reports a name (function, class, variable, constant, import, export, object key, attribute) that one
side of a merge removed from a file — present at the merge base, absent on that side — and that the
merge result defines in that file again. A file that one side deleted and the result keeps is one
finding for the file.

Detection is symmetric: a deletion by either parent counts, so merging `main` into a feature branch
is checked exactly like merging the branch into `main`.

Not reported: an occurrence on a line the other side wrote as new code (a hunk that removed no line
naming it), and an occurrence of another kind than the name had at the base (a removed
`express.bodyParser` property is not a new local `bodyParser` variable).

## Why is this bad?
The deletion was deliberate: nothing used the name any more, or what it pointed at is gone. A
conflict resolved by keeping the stale side brings it back silently: the result equals one parent,
so `git show --cc` prints nothing, linters see a defined name, and tests that mock the service pass.

## Example
`main` removes `LEGACY_QUOTE_URL` from `src/config.js`. The feature branch edited the next line, so
merging `main` into it conflicts; the conflict is resolved by keeping the feature's side. The
constant — pointing at a service that no longer exists — is live again.
",
    allowable: true,
    one_per_name: true,
    yields_to: &[],
};

pub struct ResurrectedDefinition;

impl Rule for ResurrectedDefinition {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, _repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        Ok(resurrection::of_rule(merge, &RULE))
    }
}
