//! CG008 read-of-removed-setting: lines one side added read an environment variable by name that
//! the other side removed from every configuration file and every other read in its tree. Found
//! by CG003's search across files (`use_of_removed_identifier/cross_file.rs`), which runs once per
//! merge for both rules.

use super::{use_of_removed_identifier, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG008",
    name: "read-of-removed-setting",
    severity: Severity::Error,
    summary: "new code reads an environment variable that the other side removed everywhere",
    explanation: "\
## What it does
Reports a read of an environment variable by name — `process.env.X`, `process.env[\"X\"]`,
`import.meta.env.X`, `os.environ[\"X\"]`, `os.environ.get(\"X\")`, `os.getenv(\"X\")` — in lines one
side of a merge added, when the other side removed `X` from every configuration file that defined
it (`.env` files, docker-compose, Kubernetes and CI manifests) and every other read of it in its
tree, and the merge base had it.

Not reported: a variable the merge result still defines or reads elsewhere, and a variable the
adding side defines itself.

## Why is this bad?
This is the incident's shape when the value lives outside the repository (a secret store): the
removing side deleted the last reader and the default, the secret is retired, and a branch written
before that adds a new reader. The merge is clean, and the code reads nothing at run time.

## Example
`main` deletes `LEGACY_QUOTE_URL` from `.env` and the one `os.getenv(\"LEGACY_QUOTE_URL\")` in
`billing.py`. A feature branch adds `os.getenv(\"LEGACY_QUOTE_URL\")` to `quotes.py`, a file `main`
never touched. The merge is clean.
",
    allowable: true,
    one_per_name: true,
    yields_to: &[],
};

pub struct ReadOfRemovedSetting;

impl Rule for ReadOfRemovedSetting {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        use_of_removed_identifier::across_files_of_rule(repo, merge, &RULE)
    }
}
