//! One finding per rule, file and name (the first line), and precedence between rules as each
//! rule declares it (`yields_to`): a dangling use (CG003) of a name that the same file brings back
//! (CG001/CG002) is one thing to fix, reported once, as the resurrection.

use std::collections::HashSet;

use crate::finding::{Finding, MergeReport, Side};
use crate::git::scenario::MergeScenario;
use crate::rules;

pub fn one_per_name(mut findings: Vec<Finding>, scenario: &MergeScenario) -> Vec<Finding> {
    // When both sides removed a name that the result brings back, either could be named; the one
    // whose tip has the smaller id is, so that swapping the parents swaps the sides only.
    let tip = |finding: &Finding| match finding.removed_by.as_ref().map(|r| r.side) {
        Some(Side::Ours) => Some(scenario.ours),
        Some(Side::Theirs) => Some(scenario.theirs),
        None => None,
    };
    findings.sort_by(|a, b| {
        (&a.path, &a.identifier, a.rule, a.line, tip(a)).cmp(&(
            &b.path,
            &b.identifier,
            b.rule,
            b.line,
            tip(b),
        ))
    });
    findings.dedup_by(|later, earlier| {
        later.path == earlier.path
            && later.identifier == earlier.identifier
            && later.rule == earlier.rule
            && rules::find(later.rule).is_none_or(|rule| rule.one_per_name)
    });
    let reported: HashSet<(&str, &str, &str)> = findings
        .iter()
        .map(|f| (f.path.as_str(), f.identifier.as_str(), f.rule))
        .collect();
    let yields: Vec<bool> = findings
        .iter()
        .map(|finding| {
            rules::find(finding.rule).is_some_and(|rule| {
                rule.yields_to.iter().any(|other| {
                    reported.contains(&(finding.path.as_str(), finding.identifier.as_str(), other))
                })
            })
        })
        .collect();
    let mut yields = yields.into_iter();
    findings.retain(|_| !yields.next().unwrap_or(false));
    findings
}

/// The findings of a pull request's final merge that repeat what one of its own merges already
/// reports for the same file and name (by the same rule, or a rule this one yields to) are
/// dropped: a stale name a merge inside the branch brought back is one thing to fix, reported
/// once, where it happened.
pub fn against_earlier_merges(last: &mut MergeReport, earlier: &[MergeReport]) {
    let reported: HashSet<(&str, &str, &str)> = earlier
        .iter()
        .flat_map(|merge| &merge.findings)
        .map(|f| (f.path.as_str(), f.identifier.as_str(), f.rule))
        .collect();
    last.findings.retain(|finding| {
        let repeats = |rule: &str| {
            reported.contains(&(finding.path.as_str(), finding.identifier.as_str(), rule))
        };
        let yields = rules::find(finding.rule)
            .is_some_and(|rule| rule.yields_to.iter().any(|other| repeats(other)));
        !(repeats(finding.rule) || yields)
    });
}
