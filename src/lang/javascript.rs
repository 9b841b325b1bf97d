//! JavaScript (with JSX): `.js`, `.mjs`, `.cjs`, `.jsx`.

use super::{LanguageProfile, QueryExample, Role};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "javascript",
    extensions: &["js", "mjs", "cjs", "jsx"],
    grammar: || tree_sitter_javascript::LANGUAGE.into(),
    query: include_str!("../../grammars/javascript/occurrences.scm"),
    is_external_module,
    comment_markers: &["//", "/*"],
    generated_suffixes: &[
        (".min.js", "generated: minified (*.min.js)"),
        (".bundle.js", "generated: bundle (*.bundle.js)"),
    ],
    examples: &[EXAMPLE],
};

/// A module is the repository's own when it is a relative or root-anchored path (`./api`,
/// `/lib/x`, `@/components`) or its first component names a top-level file or folder; anything
/// else is a package (`lodash`, `@babel/core`).
fn is_external_module(module: &str, repository_has: &dyn Fn(&str) -> bool) -> bool {
    super::is_external_by_first_component(module, &[".", "/", "@/"], &['.', '/'], repository_has)
}

const EXAMPLE: QueryExample = QueryExample {
    path: "a.jsx",
    source: r#"
import fetch, { get as httpGet, post } from 'http-client';
import * as api from './api';
const { LEGACY_URL, timeout: wait } = require('./config');
const legacy = require("legacy");
// LEGACY_URL in a comment
const label = "LEGACY_URL in a string";
export function send(payload, { retries = 3 } = {}, ...rest) {
  const body = { legacyAudit: true, payload };
  config.LEGACY_URL = LEGACY_URL;
  this.cache = new Cache();
  return api.post(LEGACY_URL, body).then((res) => res.ok);
}
class Client extends Base {
  #secret = 1;
  fetchLegacy() { return httpGet(`${LEGACY_URL}/x`); }
}
export { send as dispatch, wait };
module.exports.helper = () => <Widget size={wait} />;
try { send(); } catch (err) { console.log(err); }
"#,
    roles: &[
        ("fetch", &[Role::Import]),
        ("httpGet", &[Role::Import, Role::Call]),
        ("get", &[Role::Import]),
        ("api", &[Role::Import, Role::Use]),
        (
            "LEGACY_URL",
            &[
                Role::Import,
                Role::Attribute,
                Role::Use,
                Role::Use,
                Role::Use,
            ],
        ),
        ("wait", &[Role::Import, Role::Export, Role::Use]),
        ("timeout", &[Role::Member]),
        ("legacy", &[Role::Import]),
        ("send", &[Role::Function, Role::Export, Role::Call]),
        ("payload", &[Role::Parameter, Role::Use]),
        ("retries", &[Role::Variable]),
        ("rest", &[Role::Parameter]),
        ("legacyAudit", &[Role::Key]),
        ("cache", &[Role::Attribute]),
        ("Cache", &[Role::Call]),
        ("post", &[Role::Import, Role::MemberCall]),
        ("Client", &[Role::Class]),
        ("#secret", &[Role::Method]),
        ("fetchLegacy", &[Role::Method]),
        ("helper", &[Role::Attribute]),
        ("Widget", &[Role::Use]),
        ("err", &[Role::Parameter, Role::Use]),
        ("dispatch", &[Role::Export]),
    ],
    scopes: &[
        ("httpGet", Role::Call, Some("Client.fetchLegacy")),
        // A function's name is outside its own scope.
        ("send", Role::Function, None),
    ],
    import_sources: &[
        ("httpGet", "http-client"),
        ("api", "./api"),
        ("LEGACY_URL", "./config"),
        ("legacy", "legacy"),
    ],
};

#[cfg(test)]
mod tests {
    use super::is_external_module;

    #[test]
    fn relative_and_owned_modules_are_not_external() {
        let owned = |name: &str| name == "app";
        assert!(!is_external_module("./api", &owned));
        assert!(!is_external_module("../lib/api.js", &owned));
        assert!(!is_external_module("@/components/x", &owned));
        assert!(!is_external_module("app/services", &owned));
        assert!(is_external_module("lodash", &owned));
        assert!(is_external_module("@babel/core", &owned));
    }
}
