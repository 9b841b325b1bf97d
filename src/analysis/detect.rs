//! Every registered rule over one merge. The rules parallelise their own per-file work; their
//! findings are gathered here in the table's order.

use git2::Repository;

use super::timings::Timings;
use crate::error::Result;
use crate::merge::{Checked, MergeContext};
use crate::rules::RULES;

pub fn run_rules(
    repo: &Repository,
    merge: &MergeContext<'_>,
    timings: &mut Timings,
) -> Result<Checked> {
    let mut all = Checked::default();
    for rule in RULES {
        let started = std::time::Instant::now();
        all.extend(rule.check(repo, merge)?);
        timings.inner(rule.meta().code, started.elapsed());
    }
    Ok(all)
}
