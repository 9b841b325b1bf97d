//! CG002 resurrected-reference: the same detection as CG001 (`resurrection.rs`), for a name that
//! the result only uses in the file, without defining it there.

use super::{resurrection, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG002",
    name: "resurrected-reference",
    severity: Severity::Error,
    summary: "a use that one side removed from a file is back in the merge result",
    explanation: "\
## What it does
Reports a name that one side of a merge removed from a file (present at the merge base, absent on
that side), which the merge result uses in that file again without defining it there.

## Why is this bad?
The side that removed the use usually removed what it referred to as well: a call to a service that
no longer exists, a config value that was retired. The merged file equals one parent, so
`git show --cc` shows nothing, and the code fails only when the line runs.

## Example
`main` removes `sendLegacyAudit(order)` from `checkout.js` along with the function itself; the
feature branch changed the surrounding lines, and the conflict was resolved by keeping the feature's
side. The call is back; the function is gone.
",
    allowable: true,
    one_per_name: true,
    yields_to: &[],
};

pub struct ResurrectedReference;

impl Rule for ResurrectedReference {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, _repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        Ok(resurrection::of_rule(merge, &RULE))
    }
}
