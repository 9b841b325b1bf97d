//! The rules: one file each, with a stable code, a kebab-case name, a default severity and the
//! explanation `conflictguard explain <CODE>` prints. [`RULES`] is the one table from codes to rules.

pub mod conflict_marker;
pub mod re_added_after_removal;
pub mod resurrected_definition;
pub mod resurrected_reference;
pub mod use_of_removed_identifier;

use crate::finding::Severity;

/// A rule's identity and documentation.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// What it does / Why is this bad? / Example, as printed by `explain`.
    pub explanation: &'static str,
}

pub static RULES: &[&Rule] = &[
    &resurrected_definition::RULE,
    &resurrected_reference::RULE,
    &use_of_removed_identifier::RULE,
    &conflict_marker::RULE,
    &re_added_after_removal::RULE,
];

/// The rule with this code (case-insensitive), or with this name.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code) || rule.name == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sequential() {
        for (index, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.code, format!("CG{:03}", index + 1));
            assert!(
                rule.explanation.contains("## What it does"),
                "{}",
                rule.code
            );
            assert!(rule.explanation.contains("## Example"), "{}", rule.code);
        }
        assert_eq!(
            find("cg003").map(|r| r.name),
            Some("use-of-removed-identifier")
        );
        assert_eq!(find("conflict-marker").map(|r| r.code), Some("CG004"));
        assert!(find("CG999").is_none());
    }
}
