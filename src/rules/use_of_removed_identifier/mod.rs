//! CG003 use-of-removed-identifier: lines one side added use a name the other side removed — from
//! the module a new import names (`imports.rs` follows it), else from its whole tree
//! (`cross_file.rs`) — or, within one file, a use the other side wrote afresh after the
//! name and what bound it were removed from that file (found by the detection shared with CG001,
//! `resurrection.rs`).

mod cross_file;
mod imports;

use super::{resurrected_definition, resurrected_reference, resurrection, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG003",
    name: "use-of-removed-identifier",
    severity: Severity::Error,
    summary: "new code uses a name that the other side removed everywhere",
    explanation: "\
## What it does
Reports a use, in lines one side of a merge added, of a name that the other side removed: where
the new code imports the name from one of the repository's own modules (`from pkg.mod import
name`, `import { name } from './mod'`), when the other side took it out of that module or deleted
the module — even if the name now lives in another module; otherwise, when the other side removed
it from its whole tree (every file). The merge is often clean, and the code fails when it runs.
Not reported: an import of a module whose merged version still provides the name. Also reported: a
use the other side wrote afresh in a file from which the name and its definition or import were
removed, so that nothing in the file binds it any more.

Not reported: names the adding side defines itself in its added lines; property and attribute uses
(`obj.name`) unless the removing side deleted a definition of that name (a function, method, class,
variable, attribute assignment or object key); and names bound by an import from a module outside
the repository.

## Why is this bad?
The removing side deleted the name because nothing used it; the other branch, written before that
deletion, still relies on it. Neither side is wrong alone, and no conflict warns anyone.

## Example
`main` deletes `call_legacy` from `app.py`. A feature branch adds `from app import call_legacy` and
a call in a file `main` never touched. The merge is clean; the import fails at run time.
",
    // A resurrection of the name in the same file says more than a dangling use of it.
    allowable: true,
    one_per_name: true,
    yields_to: &[
        resurrected_definition::RULE.code,
        resurrected_reference::RULE.code,
    ],
};

pub struct UseOfRemovedIdentifier;

impl Rule for UseOfRemovedIdentifier {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        let mut checked = resurrection::of_rule(merge, &RULE);
        checked.extend(across_files_of_rule(repo, merge, &RULE)?);
        Ok(checked)
    }
}

/// The findings of `rule` (CG003 or CG008) in the search across files, which runs once per merge
/// for both, with its notes.
pub(super) fn across_files_of_rule(
    repo: &Repository,
    merge: &MergeContext<'_>,
    rule: &RuleMeta,
) -> Result<Checked> {
    Ok(merge
        .across_files(|merge| cross_file::find(repo, merge))?
        .of_rule(rule.code))
}
