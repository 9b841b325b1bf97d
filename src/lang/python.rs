//! Python: `.py`, `.pyi`.

use super::{
    folder_of, ClassBodies, Ends, LanguageProfile, ModuleFiles, ModuleSystem, Project,
    QueryExample, Reader, Role, Statements,
};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "python",
    extensions: &["py", "pyi"],
    claims_path: None,
    reader: Reader::Query {
        grammar: || tree_sitter_python::LANGUAGE.into(),
        query: include_str!("../../grammars/python/occurrences.scm"),
        statements: Some(&STATEMENTS),
    },
    is_external_module,
    modules: &MODULES,
    project_reader: None,
    reader_query: Some(include_str!("../../grammars/python/readers.scm")),
    comment_markers: &["#"],
    generated_suffixes: &[],
    declaration_suffixes: &[],
    examples: &[EXAMPLE],
};

/// A Python statement ends with its line outside brackets and strings, and a top-level one starts
/// at column 0: a module's statements, and a class body's after the class's header, parse alone
/// as they do in the whole file.
static STATEMENTS: Statements = Statements {
    classes: Some(ClassBodies {
        class: "class_definition",
        body: "body",
        wrapper: Some(("decorated_definition", "definition")),
    }),
    braces: None,
    comment: "comment",
    line_comment: "#",
    ends: Ends::Line,
};

/// A module is the repository's own when the import is relative (`.models`) or its first
/// component names a file or folder of the tree (`app.services` with `app/` or `app.py`); anything
/// else is installed (`datetime`, `numpy`).
fn is_external_module(module: &str, project: &Project) -> bool {
    super::is_external_by_first_component(module, &[".", "/", "@/"], &['.', '/'], project)
}

/// Python's import system, as far as a repository's own modules go.
static MODULES: ModuleSystem = ModuleSystem {
    resolve: resolve_module,
    provides_beyond_definitions: imports_everything_or_lists,
    binds_an_export: from_import_of_a_name,
    binds_the_module: plain_import,
    submodule: |module, name| {
        let module = module.trim();
        Some(if module.ends_with('.') {
            format!("{module}{name}")
        } else {
            format!("{module}.{name}")
        })
    },
    default_export: None,
    top_level_names_are_attributes: true,
    submodules: package_submodules,
};

/// `from .old import x` from `pkg/report.py` names `pkg/old.py` or `pkg/old/__init__.py`; an
/// absolute `from pkg.old import x` is tried where `sys.path` usually starts: the repository's
/// root, `src/`, then each folder above the importer (a package nested in a project folder).
fn resolve_module(importer: &str, module: &str, _project: &Project) -> ModuleFiles {
    let module = module.trim();
    let dots = module.bytes().take_while(|&byte| byte == b'.').count();
    let rest = module[dots..].trim();
    if !rest
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return ModuleFiles::NotFollowed;
    }
    let path = rest
        .split('.')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    let mut roots: Vec<String> = Vec::new();
    if dots > 0 {
        let mut folder = folder_of(importer).to_string();
        for _ in 1..dots {
            if folder.is_empty() {
                return ModuleFiles::Outside;
            }
            folder = folder_of(&folder).to_string();
        }
        roots.push(folder);
    } else {
        roots.push(String::new());
        roots.push("src".to_string());
        let folder = folder_of(importer);
        let mut above = String::new();
        for part in folder.split('/').filter(|part| !part.is_empty()) {
            above = if above.is_empty() {
                part.to_string()
            } else {
                format!("{above}/{part}")
            };
            if !roots.contains(&above) {
                roots.push(above.clone());
            }
        }
    }
    let mut candidates = Vec::new();
    for root in roots {
        let base = [root.as_str(), path.as_str()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        let package = if base.is_empty() {
            String::new()
        } else {
            format!("{base}/")
        };
        if !path.is_empty() {
            candidates.push(format!("{base}.py"));
            candidates.push(format!("{base}.pyi"));
        }
        candidates.push(format!("{package}__init__.py"));
        candidates.push(format!("{package}__init__.pyi"));
    }
    ModuleFiles::Candidates(candidates)
}

/// `from m import x` binds a name of `m`; `import a.b` binds the package `a`, and `as y` an alias.
fn from_import_of_a_name(before: &[u8], name: &str, module: &str) -> bool {
    let module = module.trim();
    let binds_the_module = module == name || module.starts_with(&format!("{name}."));
    !binds_the_module && !super::ends_with_word(before, b"as")
}

/// `import pkg.mod` and `import pkg.mod as m` bind the module (a `from` import binds names).
fn plain_import(before: &[u8], _module: &str) -> bool {
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |at| at + 1);
    before[line_start..]
        .trim_ascii_start()
        .starts_with(b"import ")
}

/// `from m import *` passes on every public name of another module; `__all__` listing the name
/// (as a string) exports it, however it is bound.
fn imports_everything_or_lists(text: &[u8], name: &str) -> bool {
    let star = text.split(|&byte| byte == b'\n').any(|line| {
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        line.starts_with("from ")
            && line
                .split_once(" import ")
                .is_some_and(|(_, names)| names.trim().starts_with('*'))
    });
    if star {
        return true;
    }
    let listed = [format!("\"{name}\""), format!("'{name}'")];
    memchr::memmem::find(text, b"__all__").is_some()
        && listed
            .iter()
            .any(|quoted| memchr::memmem::find(text, quoted.as_bytes()).is_some())
}

/// A package (`app/__init__.py`) provides its submodules by name: `from app import clients`
/// works while `app/clients.py` exists.
fn package_submodules(module_path: &str, name: &str) -> Vec<String> {
    let file = module_path.rsplit('/').next().unwrap_or(module_path);
    if !matches!(file, "__init__.py" | "__init__.pyi") {
        return Vec::new();
    }
    let folder = folder_of(module_path);
    let package = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    vec![
        format!("{package}{name}.py"),
        format!("{package}{name}.pyi"),
        format!("{package}{name}/__init__.py"),
    ]
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
