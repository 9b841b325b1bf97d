//! Every registered rule over one merge. The rules parallelise their own per-file work; their
//! findings are gathered here in the table's order.

use git2::Repository;

use crate::error::Result;
use crate::merge::{Checked, MergeContext};
use crate::rules::RULES;

pub fn run_rules(repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
    let mut all = Checked::default();
    for rule in RULES {
        all.extend(rule.check(repo, merge)?);
    }
    Ok(all)
}
