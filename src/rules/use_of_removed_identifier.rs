//! CG003 use-of-removed-identifier: lines one side added use a name the other side removed from its
//! whole tree. The analysis gathers the candidates (see `analysis::dangling`); this file holds the
//! rule and the tests of what the repository owns (precision rules 5 and 6).

use super::Rule;
use crate::finding::Severity;
use crate::symbols::{Occurrence, Role};

pub const RULE: Rule = Rule {
    code: "CG003",
    name: "use-of-removed-identifier",
    severity: Severity::Error,
    summary: "new code uses a name that the other side removed everywhere",
    explanation: "\
## What it does
Reports a use, in lines one side of a merge added, of a name that the other side removed from its
whole tree (every file): the merge is often clean, and the code fails when it runs. Also reported: a
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
};

/// Whether an occurrence is the adding side defining the name itself (precision rule 5): any
/// definition but an import binding, which is exactly how a removed name gets used.
pub fn defines_itself(occurrence: &Occurrence) -> bool {
    occurrence.role.is_definition() && occurrence.role != Role::Import
}

/// Whether an import binding comes from outside the repository (precision rule 6). JavaScript:
/// anything but a relative or root-anchored path; Python: anything but a relative import or a
/// module whose first component is a file or folder of the repository.
pub fn is_external_import(source: &str, repository_names: &dyn Fn(&str) -> bool) -> bool {
    let source = source.trim();
    if source.starts_with('.') || source.starts_with('/') || source.starts_with("@/") {
        return false;
    }
    let first = source
        .split(['.', '/'])
        .next()
        .unwrap_or(source)
        .trim_start_matches('@');
    !repository_names(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_owned_modules_are_not_external() {
        let owned = |name: &str| name == "app";
        assert!(!is_external_import("./api", &owned));
        assert!(!is_external_import("../lib/api.js", &owned));
        assert!(!is_external_import(".models", &owned));
        assert!(!is_external_import("app.services", &owned));
        assert!(is_external_import("lodash", &owned));
        assert!(is_external_import("datetime", &owned));
        assert!(is_external_import("@babel/core", &owned));
    }
}
