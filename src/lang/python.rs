//! Python: `.py`, `.pyi`.

use super::{LanguageProfile, Project, QueryExample, Role};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "python",
    extensions: &["py", "pyi"],
    grammar: || tree_sitter_python::LANGUAGE.into(),
    query: include_str!("../../grammars/python/occurrences.scm"),
    is_external_module,
    project_reader: None,
    comment_markers: &["#"],
    generated_suffixes: &[],
    declaration_suffixes: &[],
    examples: &[EXAMPLE],
};

/// A module is the repository's own when the import is relative (`.models`) or its first
/// component names a file or folder of the tree (`app.services` with `app/` or `app.py`); anything
/// else is installed (`datetime`, `numpy`).
fn is_external_module(module: &str, project: &Project) -> bool {
    super::is_external_by_first_component(module, &[".", "/", "@/"], &['.', '/'], project)
}

const EXAMPLE: QueryExample = QueryExample {
    path: "a.py",
    source: r#"
import os.path
import numpy as np
from app.services import call_legacy, current as now
from .models import Order
# call_legacy in a comment

@app.route("/x")
class Client(Base):
    retries = 3

    def __init__(self, url, *args, timeout: int = 5, **kwargs):
        self.cache = {}
        self.url = url

    @property
    def legacy(self):
        return call_legacy(self.url, verbose=True)

def handler(event):
    total = [x for x in event.items]
    with open(path) as handle:
        data = handle.read()
    try:
        pass
    except ValueError as error:
        raise
    return np.array(total).sum(), f"{LEGACY_URL}"
"#,
    roles: &[
        ("os", &[Role::Import]),
        ("path", &[Role::Use]),
        ("np", &[Role::Import, Role::Use]),
        ("numpy", &[]),
        ("call_legacy", &[Role::Import, Role::Call]),
        ("now", &[Role::Import]),
        ("services", &[]),
        // Only the decorator, not the module path.
        ("app", &[Role::Use]),
        ("Client", &[Role::Class]),
        ("retries", &[Role::Variable]),
        ("__init__", &[Role::Method]),
        ("legacy", &[Role::Method]),
        ("handler", &[Role::Function]),
        ("cache", &[Role::Attribute]),
        (
            "url",
            &[Role::Parameter, Role::Attribute, Role::Use, Role::Member],
        ),
        ("args", &[Role::Parameter]),
        ("kwargs", &[Role::Parameter]),
        ("timeout", &[Role::Parameter]),
        ("verbose", &[Role::Key]),
        // A comprehension uses its variable before it binds it.
        ("x", &[Role::Use, Role::Variable]),
        ("handle", &[Role::Variable, Role::Use]),
        ("error", &[Role::Variable]),
        ("sum", &[Role::MemberCall]),
        ("route", &[Role::MemberCall]),
        ("LEGACY_URL", &[Role::Use]),
    ],
    scopes: &[("call_legacy", Role::Call, Some("Client.legacy"))],
    import_sources: &[("call_legacy", "app.services"), ("Order", ".models")],
};

#[cfg(test)]
mod tests {
    use super::{is_external_module, Project};

    #[test]
    fn relative_and_owned_modules_are_not_external() {
        let owned = Project::with_names(&["app"]);
        assert!(!is_external_module(".models", &owned));
        assert!(!is_external_module("app.services", &owned));
        assert!(is_external_module("datetime", &owned));
    }
}
