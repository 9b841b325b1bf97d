//! The per-file rules on four versions of one file, without a repository: CG001/CG002 (and their
//! in-file CG003) for each parent whose version differs from the base and from the result, then
//! CG004. This is what a merge runs for every file both sides touched, and the entry point of the
//! fuzz target.

use crate::finding::{BySide, Finding, Side};
use crate::lang;
use crate::merge::{FileMerge, FileVersion};
use crate::rules::{conflict_marker, resurrection_in_four_versions};
use crate::syntax::{parse, ParsedFile};

/// The findings in `result` given the base and both parents (`None` for a parent that deleted the
/// file). `path` picks the language.
pub fn findings_in_four_texts(
    path: &str,
    base: &[u8],
    ours: Option<&[u8]>,
    theirs: Option<&[u8]>,
    result: &[u8],
) -> Vec<Finding> {
    let Some(language) = lang::for_path(path) else {
        return Vec::new();
    };
    let parse = |text: &[u8]| parse(language, text);
    let (base_parsed, result_parsed) = (parse(base), parse(result));
    let texts = BySide::new(ours, theirs);
    let parsed: BySide<Option<ParsedFile>> = texts.map(|_, text| text.map(parse));
    let file = FileMerge::new(
        FileVersion {
            path,
            text: base,
            parsed: Some(&base_parsed),
        },
        BySide::from_fn(|side| {
            Some(FileVersion {
                path,
                text: (*texts.get(side))?,
                parsed: parsed.get(side).as_ref(),
            })
        }),
        FileVersion {
            path,
            text: result,
            parsed: Some(&result_parsed),
        },
    );
    let removers = Side::BOTH.into_iter().filter(|side| {
        let text = *texts.get(*side);
        text != Some(base) && text != Some(result)
    });
    let mut findings = resurrection_in_four_versions(path, &file, removers);
    findings.extend(conflict_marker::findings_in(
        path,
        result,
        ours.unwrap_or_default(),
        theirs.unwrap_or_default(),
        "",
    ));
    findings
}

/// Whether the per-file detection must parse `result` for a side that changed the file from
/// `base` to `side` (see [`crate::rules::result_may_bring_back`]); false only where
/// it would find nothing that side removed. Always true in a language whose names are not written
/// as they are (settings), or without one.
pub fn result_needs_parse(path: &str, base: &[u8], side: &[u8], result: &[u8]) -> bool {
    let Some(language) = lang::for_path(path) else {
        return true;
    };
    if !language.names_are_verbatim() {
        return true;
    }
    crate::rules::result_may_bring_back(&parse(language, base), &parse(language, side), result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_texts_give_the_incident_and_a_committed_marker() {
        let base = b"const A = 1;\nconst LEGACY = 2;\nconst B = 3;\n";
        let ours = b"const A = 1;\nconst B = 3;\n";
        let theirs = b"const A = 1;\nconst LEGACY = 2;\nconst B = 4;\n";
        let findings = findings_in_four_texts("config.js", base, Some(ours), Some(theirs), theirs);
        let found: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.rule,
                    f.identifier.as_str(),
                    f.line,
                    f.removed_by.as_ref().map(|r| r.side),
                )
            })
            .collect();
        assert_eq!(found, vec![("CG001", "LEGACY", 2, Some(Side::Ours))]);

        let swapped = findings_in_four_texts("config.js", base, Some(theirs), Some(ours), theirs);
        assert_eq!(
            swapped[0].removed_by.as_ref().map(|r| r.side),
            Some(Side::Theirs)
        );

        let kept_deleted =
            findings_in_four_texts("config.js", base, Some(ours), Some(theirs), ours);
        assert!(kept_deleted.is_empty());

        let marked = b"const A = 1;\n<<<<<<< HEAD\nconst B = 3;\n";
        let markers = findings_in_four_texts("config.js", base, Some(ours), Some(theirs), marked);
        assert!(markers.iter().any(|f| f.rule == "CG004" && f.line == 2));
        assert!(findings_in_four_texts("notes.txt", base, None, None, marked).is_empty());
    }

    /// Issue 12's miss: a resurrected function that uses a module nothing imports any more says
    /// so, where its body is folded into one finding.
    #[test]
    fn a_resurrected_function_names_what_it_uses_that_nothing_imports() {
        let base = b"import json\nimport traceback\n\n\ndef report(error):\n    traceback.print_exc()\n    return json.dumps(str(error))\n\n\ndef run():\n    return 1\n";
        let ours = b"import json\n\n\ndef run():\n    return 1\n";
        let theirs = b"import json\nimport traceback\n\n\ndef report(error):\n    traceback.print_exc()\n    return json.dumps({\"error\": str(error)})\n\n\ndef run():\n    return 1\n";
        let result = b"import json\n\n\ndef report(error):\n    traceback.print_exc()\n    return json.dumps({\"error\": str(error)})\n\n\ndef run():\n    return 1\n";
        let findings = findings_in_four_texts("jobs.py", base, Some(ours), Some(theirs), result);
        let report = findings
            .iter()
            .find(|f| f.identifier == "report")
            .unwrap_or_else(|| panic!("no finding for report: {findings:?}"));
        assert_eq!(report.rule, "CG001");
        assert!(
            report.message.contains(
                "it uses `traceback`, which nothing in this file defines or imports any more"
            ),
            "{}",
            report.message
        );
        assert!(
            report
                .inside
                .iter()
                .any(|inside| inside.identifier == "traceback"),
            "{:?}",
            report.inside
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
    }
}
