//! The TypeScript incident through every way a user runs conflictguard: `main` deletes an
//! exported constant from `src/config.ts`, a feature branch edits the line next to it, and the
//! conflict is resolved by keeping the feature's side. `check` warns before the merge, the
//! pre-commit hook refuses the resolution, `audit` reports it after, and `ci` fails the pull
//! request.

mod common;

use common::{json, TestRepo};

const BASE: &str = "export const API: string = \"https://api.example.com\";\nexport const LEGACY_URL: string = \"https://legacy.example.com\";\nexport const TIMEOUT: number = 30;\n";
const MAIN: &str =
    "export const API: string = \"https://api.example.com\";\nexport const TIMEOUT: number = 30;\n";
const FEATURE: &str = "export const API: string = \"https://api.example.com\";\nexport const LEGACY_URL: string = \"https://legacy.example.com\";\nexport const TIMEOUT: number = 60;\n";

fn incident() -> TestRepo {
    let repo = TestRepo::new("main");
    repo.write("src/config.ts", BASE);
    repo.commit_all("Base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/config.ts", FEATURE);
    repo.commit_all("Longer timeout");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/config.ts", MAIN);
    repo.commit_all("Remove the unused LEGACY_URL");
    repo.git(&["checkout", "-q", "feature"]);
    repo
}

#[test]
fn the_typescript_incident_is_caught_by_check_the_hook_audit_and_ci() {
    let repo = incident();
    let dry = json(&repo.conflictguard(&["check", "main", "--format", "json"]));
    let at_risk = &dry["merges"][0]["at_risk"];
    assert_eq!(at_risk[0]["identifier"], "LEGACY_URL", "{dry}");
    assert_eq!(dry["summary"]["analysed_files"], 1, "{dry}");

    repo.conflictguard(&["install"]);
    repo.git_output(&["merge", "-q", "main"]);
    repo.git(&["checkout", "--ours", "--", "src/config.ts"]);
    repo.git(&["add", "src/config.ts"]);
    let refused = repo.git_output(&["commit", "--no-edit"]);
    assert!(!refused.status.success(), "the hook let the stale side in");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("LEGACY_URL") && said.contains("CG001"),
        "{said}"
    );
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]);

    let audit = repo.conflictguard(&["audit", "HEAD", "--format", "json"]);
    assert_eq!(audit.status.code(), Some(1));
    let report = json(&audit);
    assert_eq!(report["findings"][0]["rule"], "CG001", "{report}");
    assert_eq!(report["findings"][0]["identifier"], "LEGACY_URL");
    assert_eq!(report["findings"][0]["path"], "src/config.ts");
    assert_eq!(report["findings"][0]["line"], 2);

    let ci = repo.conflictguard(&["ci", "--base", "main", "--format", "json"]);
    assert_eq!(
        ci.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&ci.stdout)
    );
    assert!(json(&ci)["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["identifier"] == "LEGACY_URL")));
}
