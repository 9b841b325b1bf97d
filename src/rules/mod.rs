//! The rules: one file (or folder) each, holding its code, kebab-case name, default severity, the
//! explanation `conflictguard explain <CODE>` prints, and the whole check. [`RULES`] is the one
//! table of them; the analysis runs every rule in it over each merge, so configuration, inline
//! allow, notes and every output format apply to all of them alike.
//!
//! Adding a rule: a file here with a [`RuleMeta`] and a type implementing [`Rule`], and one line in
//! [`RULES`]. Codes are sequential (a test checks it).

pub mod conflict_marker;
pub mod re_added_after_removal;
pub mod read_of_removed_setting;
pub mod resurrected_definition;
pub mod resurrected_dependency;
pub mod resurrected_reference;
pub mod resurrected_setting;
mod resurrection;
pub mod use_of_removed_identifier;

pub use resurrection::in_four_versions as resurrection_in_four_versions;
pub use resurrection::{result_may_bring_back, result_worth_parsing};

use git2::Repository;

use crate::error::Result;
use crate::finding::{RuleId, Severity};
use crate::merge::{Checked, MergeContext};

/// A rule's identity, documentation and precedence.
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// What it does / Why is this bad? / Example, as printed by `explain`.
    pub explanation: &'static str,
    /// Whether the allow-list and inline `conflictguard: allow <name>` comments apply to it.
    pub allowable: bool,
    /// Whether one finding per file and name says it all (the first occurrence), or each finding
    /// stands on its own.
    pub one_per_name: bool,
    /// Rules whose finding for the same file and name is the better account of it: where one of
    /// them reports the name, this rule's finding is dropped.
    pub yields_to: &'static [&'static str],
}

impl RuleMeta {
    /// What a finding of this rule carries of it.
    pub const fn id(&self) -> RuleId {
        RuleId {
            code: self.code,
            name: self.name,
            severity: self.severity,
        }
    }
}

/// A check over one merge.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// The findings of this rule in `merge`, and notes on what it could not read.
    fn check(&self, repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked>;
}

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &resurrected_definition::ResurrectedDefinition,
    &resurrected_reference::ResurrectedReference,
    &use_of_removed_identifier::UseOfRemovedIdentifier,
    &conflict_marker::ConflictMarker,
    &re_added_after_removal::ReAddedAfterRemoval,
    &resurrected_setting::ResurrectedSetting,
    &resurrected_dependency::ResurrectedDependency,
    &read_of_removed_setting::ReadOfRemovedSetting,
];

/// The rule with this code (case-insensitive), or with this name.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|rule| rule.meta())
        .find(|meta| meta.code.eq_ignore_ascii_case(code) || meta.name == code)
}

/// The metadata of every rule, in code order.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|rule| rule.meta())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sequential() {
        for (index, rule) in all().enumerate() {
            assert_eq!(rule.code, format!("CG{:03}", index + 1));
            assert!(
                rule.explanation.contains("## What it does"),
                "{}",
                rule.code
            );
            assert!(rule.explanation.contains("## Example"), "{}", rule.code);
            for other in rule.yields_to {
                assert!(
                    find(other).is_some(),
                    "{} yields to unknown {other}",
                    rule.code
                );
                assert_ne!(*other, rule.code);
            }
        }
        assert_eq!(
            find("cg003").map(|r| r.name),
            Some("use-of-removed-identifier")
        );
        assert_eq!(find("conflict-marker").map(|r| r.code), Some("CG004"));
        assert!(find("CG999").is_none());
    }
}
