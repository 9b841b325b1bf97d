//! CG006 resurrected-setting: a configuration key or an environment variable definition that one
//! side removed from a settings file is back in the merge result. The detection is CG001's
//! (`resurrection.rs`), over the names the settings readers find (`lang/settings/`); a rule of its
//! own so that its severity and its `off` switch are separate from code's.

use super::{resurrection, Rule, RuleMeta};
use git2::Repository;

use crate::error::Result;
use crate::finding::Severity;
use crate::merge::{Checked, MergeContext};

pub const RULE: RuleMeta = RuleMeta {
    code: "CG006",
    name: "resurrected-setting",
    severity: Severity::Error,
    summary: "a setting or environment variable that one side removed is back in the merge result",
    explanation: "\
## What it does
Reports a key of a configuration file (JSON, YAML, TOML), named by its whole path
(`billing.legacy_url`, `services.web.environment.LEGACY_URL`,
`spec.containers[name=web].env[name=API_KEY]`), or an environment variable defined in a `.env`
file, a docker-compose `environment:` block, a Kubernetes `env:` list or a CI `env:` / `variables:`
map, that one side of a merge removed and the merge result has again. Items of a list are named by
their identifying field (`name`, `id`, `key`), never by position.

Not reported: lock files (never read); test fixtures, translations, schemas, OpenAPI documents and
data folders (not read by default: `[settings] include` in `.conflictguard.toml` reads them); a key
the other side wrote as new lines; a key whose block came back with it is reported once, with the
others inside.

## Why is this bad?
A setting removed on purpose points at something that is gone: a service, a feature flag, a
credential. Kept by a stale conflict resolution, it goes back to production unnoticed, and the code
that still reads it (or a new reader) talks to a service that no longer provides it.

## Example
`main` removes `LEGACY_QUOTE_URL=https://quotes.internal` from `.env.production`. A feature branch
changed the next line, so the merge conflicts; the conflict is resolved with the feature's side. The
variable is defined again.
",
    allowable: true,
    one_per_name: true,
    yields_to: &[],
};

pub struct ResurrectedSetting;

impl Rule for ResurrectedSetting {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }

    fn check(&self, _repo: &Repository, merge: &MergeContext<'_>) -> Result<Checked> {
        Ok(resurrection::of_rule(merge, &RULE))
    }
}
