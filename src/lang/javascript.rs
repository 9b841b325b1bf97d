//! JavaScript (with JSX): `.js`, `.mjs`, `.cjs`, `.jsx`.

use super::{LanguageProfile, QueryExample, Reader, Role};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "javascript",
    extensions: &["js", "mjs", "cjs", "jsx"],
    claims_path: None,
    reader: Reader::Query {
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        query: concat!(
            include_str!("../../grammars/javascript/occurrences.scm"),
            include_str!("../../grammars/javascript/env.scm")
        ),
        statements: Some(&super::node::STATEMENTS),
    },
    is_external_module: super::node::is_external_module,
    modules: &super::node::MODULES,
    project_reader: Some(&super::node::PROJECT),
    reader_query: Some(include_str!("../../grammars/javascript/readers.scm")),
    comment_markers: &["//", "/*"],
    generated_suffixes: &[
        (".min.js", "generated: minified (*.min.js)"),
        (".bundle.js", "generated: bundle (*.bundle.js)"),
    ],
    declaration_suffixes: &[],
    examples: &[EXAMPLE],
};

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
  const body = { legacyAudit: true, "legacyQuoted": 1, "content-type": "x", payload };
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
        // A quoted key with an identifier's spelling is a key; `"content-type"` is not a name.
        ("legacyQuoted", &[Role::Key]),
        ("content-type", &[]),
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
