//! The module conventions JavaScript, TypeScript and TSX share (the Node.js ecosystem): which
//! module names in an import are the repository's own. Besides relative paths and names of the
//! tree's files and folders, a project declares its own modules in its project files:
//! - `compilerOptions.paths` of every `tsconfig.json`, `tsconfig.*.json` and `jsconfig.json`
//!   (JSONC: comments and trailing commas; `extends` chains followed within the tree): the alias
//!   `@app/*` makes `@app/config` the repository's own;
//! - the workspace packages of the repository: the root `package.json`'s `workspaces` (a list, or
//!   `{ "packages": [...] }`) and `pnpm-workspace.yaml`'s `packages`, each member's `package.json`
//!   `name` (and the root package's own name: a package may import itself).
//!
//! `baseUrl` needs nothing more: a module it resolves (`config/api` under `src/`) starts with the
//! name of a folder or file of the tree, which [`Project`] already knows. A project file that
//! cannot be read is a [`Project`] problem (a note for the reader); the rest is still read.
//!
//! [`MODULES`] finds the file a relative import names, as Node and bundlers do (extensions,
//! `index` files), for CG003 to follow a new import to its module.

use jsonc_parser::{JsonObject, JsonValue};

use super::project::{OwnModule, Project, ProjectFiles, ProjectReader};
use super::{folder_of, Braces, DefaultExport, Ends, ModuleFiles, ModuleSystem, Statements};

/// Reads the project files above, once per tree.
pub static PROJECT: ProjectReader = ProjectReader {
    name: "node",
    read: read_project,
};

/// A module is the repository's own when the project declares it (a path alias, a workspace
/// package), when it is a relative or root-anchored path (`./api`, `/lib/x`, `@/components`), or
/// when its first component names a file or folder of the tree; anything else is a package
/// (`lodash`, `@babel/core`).
pub fn is_external_module(module: &str, project: &Project) -> bool {
    !project.declares_own(module.trim())
        && super::is_external_by_first_component(module, &[".", "/", "@/"], &['.', '/'], project)
}

/// Node's module resolution, as far as a repository's own relative imports go.
pub static MODULES: ModuleSystem = ModuleSystem {
    resolve: resolve_module,
    provides_beyond_definitions: exports_everything_of_another,
    // A named import or a destructured require follows `{` or `,`; a default import follows
    // `import`, a namespace or an alias follows `as`.
    binds_an_export: |before, _, _| matches!(super::last_visible_byte(before), Some(b'{' | b',')),
    binds_the_module: namespace_or_required,
    submodule: |_, _| None,
    default_export: Some(DefaultExport {
        binds: binds_the_default,
        provided_by: provides_a_default,
    }),
    top_level_names_are_attributes: false,
    submodules: |_, _| Vec::new(),
};

/// The extensions a relative import may leave out, in the order bundlers and TypeScript try them.
const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "d.ts"];

/// A relative import (`./config`, `../api`, `./util.js`): the file itself, then with each
/// extension, then the folder's `index` file; TypeScript's `./util.js` also names `util.ts`.
/// Anything else (a package, a path alias, a workspace package) is not followed.
fn resolve_module(importer: &str, module: &str, project: &Project) -> ModuleFiles {
    let module = module.trim();
    let relative =
        matches!(module, "." | "..") || module.starts_with("./") || module.starts_with("../");
    if !relative {
        // A `tsconfig.json` path alias names files of the tree (`@app/config` → `src/config`).
        let targets = project.alias_targets(module);
        if targets.is_empty() {
            return ModuleFiles::NotFollowed;
        }
        return ModuleFiles::Candidates(targets.iter().flat_map(|t| files_of(t)).collect());
    }
    let Some(joined) = super::join_relative(folder_of(importer), module) else {
        return ModuleFiles::Outside;
    };
    ModuleFiles::Candidates(files_of(&joined))
}

/// The files a module path (`src/utils`, `src/util.js`, `src/api`) may be, in the order Node,
/// bundlers and TypeScript try them.
fn files_of(joined: &str) -> Vec<String> {
    let joined = joined.to_string();
    let mut candidates = Vec::new();
    if !joined.is_empty() {
        let written = EXTENSIONS
            .iter()
            .any(|extension| joined.ends_with(&format!(".{extension}")));
        if written {
            candidates.push(joined.clone());
            for (javascript, typescript) in [
                (".js", &[".ts", ".tsx"][..]),
                (".mjs", &[".mts"]),
                (".cjs", &[".cts"]),
                (".jsx", &[".tsx"]),
            ] {
                if let Some(stem) = joined.strip_suffix(javascript) {
                    candidates.extend(typescript.iter().map(|ts| format!("{stem}{ts}")));
                }
            }
        } else {
            candidates.extend(
                EXTENSIONS
                    .iter()
                    .map(|extension| format!("{joined}.{extension}")),
            );
        }
    }
    let folder = if joined.is_empty() {
        String::new()
    } else {
        format!("{joined}/")
    };
    candidates.extend(
        EXTENSIONS
            .iter()
            .map(|extension| format!("{folder}index.{extension}")),
    );
    candidates
}

/// `import * as ns from './m'`, and `const m = require('./m')` (the only bindings with a module
/// that follow a declaration keyword).
fn namespace_or_required(before: &[u8], _module: &str) -> bool {
    if super::ends_with_word(before, b"as") {
        let rest = before.trim_ascii_end();
        return rest[..rest.len() - b"as".len()]
            .trim_ascii_end()
            .ends_with(b"*");
    }
    [&b"const"[..], b"let", b"var"]
        .iter()
        .any(|keyword| super::ends_with_word(before, keyword))
}

/// `import x from` and `import type X from`: the binding right after the keyword is the default.
fn binds_the_default(before: &[u8]) -> bool {
    let before = before.trim_ascii_end();
    let before = if super::ends_with_word(before, b"type") {
        &before[..before.len() - b"type".len()]
    } else {
        before
    };
    super::ends_with_word(before, b"import")
}

/// A module with `export default`, `export { x as default }`, or CommonJS exports (which a default
/// import receives whole).
fn provides_a_default(text: &[u8]) -> bool {
    memchr::memmem::find(text, b"export default").is_some()
        || memchr::memmem::find(text, b"as default").is_some()
        || memchr::memmem::find(text, b"module.exports").is_some()
        || memchr::memmem::find(text, b"exports.default").is_some()
}

/// `export * from '…'` (not `export * as ns from`): the module passes on every export of another.
fn exports_everything_of_another(text: &[u8], _name: &str) -> bool {
    let skip_space = |at: usize| super::skip_space(text, at);
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text[from..], b"export") {
        let after = skip_space(from + found + b"export".len());
        if text.get(after) == Some(&b'*') {
            let next = skip_space(after + 1);
            if text[next.min(text.len())..].starts_with(b"from") {
                return true;
            }
        }
        from += found + 1;
    }
    false
}

/// How many `extends` a configuration may chain before the chain is taken for a cycle.
const MAX_EXTENDS: usize = 16;

fn read_project(files: &dyn ProjectFiles, project: &mut Project) {
    let mut configs: Vec<&str> = files
        .paths()
        .iter()
        .map(String::as_str)
        .filter(|path| !in_node_modules(path) && is_compiler_config(file_name(path)))
        .collect();
    configs.sort_unstable();
    for config in configs {
        read_aliases(files, config, project);
    }
    read_workspaces(files, project);
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn in_node_modules(path: &str) -> bool {
    path.split('/').any(|part| part == "node_modules")
}

/// `tsconfig.json`, `tsconfig.<anything>.json`, `jsconfig.json`.
fn is_compiler_config(name: &str) -> bool {
    name == "jsconfig.json"
        || name == "tsconfig.json"
        || (name.starts_with("tsconfig.") && name.ends_with(".json"))
}

/// A project file's text, or why it cannot be read.
fn read_text(files: &dyn ProjectFiles, path: &str) -> Result<String, String> {
    let bytes = files
        .read(path)
        .ok_or_else(|| "could not be read".to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A project file's text as a JSONC object, or why it is not one.
fn parse_jsonc(text: &str) -> Result<JsonObject<'_>, String> {
    match jsonc_parser::parse_to_value(text, &jsonc_parser::ParseOptions::default()) {
        Ok(Some(JsonValue::Object(object))) => Ok(object),
        Ok(_) => Err("not a JSON object".to_string()),
        Err(error) => Err(format!("not valid JSONC: {error}")),
    }
}

/// The `paths` aliases of one compiler configuration and of what it extends within the tree.
fn read_aliases(files: &dyn ProjectFiles, config: &str, project: &mut Project) {
    let mut pending = vec![config.to_string()];
    let mut seen: Vec<String> = Vec::new();
    while let Some(path) = pending.pop() {
        if seen.contains(&path) || seen.len() >= MAX_EXTENDS {
            continue;
        }
        seen.push(path.clone());
        let text = read_text(files, &path);
        let object = match text.as_deref().map_err(Clone::clone).and_then(parse_jsonc) {
            Ok(object) => object,
            Err(why) => {
                project.problem(
                    &path,
                    format!("{why}; imports through its path aliases count as external"),
                );
                continue;
            }
        };
        if let Some(paths) = object
            .get_object("compilerOptions")
            .and_then(|options| options.get_object("paths"))
        {
            // Targets are relative to `baseUrl` where the file sets one, else to the file.
            let base = object
                .get_object("compilerOptions")
                .and_then(|options| options.get_string("baseUrl"))
                .and_then(|base_url| super::join_relative(folder_of(&path), base_url))
                .unwrap_or_else(|| folder_of(&path).to_string());
            for (alias, targets) in paths.clone() {
                if let Some(own) = alias_module(&alias, &targets) {
                    project.add_own_module(own);
                }
                if let JsonValue::Array(targets) = &targets {
                    let files: Vec<String> = targets
                        .iter()
                        .filter_map(|target| match target {
                            JsonValue::String(target) => {
                                super::join_relative(&base, target.as_ref())
                            }
                            _ => None,
                        })
                        .filter(|target| !in_node_modules(target))
                        .collect();
                    project.add_alias(&alias, files);
                }
            }
        }
        let extends: Vec<&str> = match object.get("extends") {
            Some(JsonValue::String(one)) => vec![one.as_ref()],
            Some(JsonValue::Array(many)) => many
                .iter()
                .filter_map(|value| match value {
                    JsonValue::String(text) => Some(text.as_ref()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for parent in extends {
            // A package's configuration (`@tsconfig/node18/tsconfig.json`) is not in the tree and
            // declares no alias of this project.
            if !(parent.starts_with("./") || parent.starts_with("../")) {
                continue;
            }
            // A parent above the repository's root is not in the tree either.
            let mut resolved = super::join_relative(folder_of(&path), parent).unwrap_or_default();
            if !resolved.ends_with(".json") && !files.paths().contains(&resolved) {
                resolved.push_str(".json");
            }
            if files.paths().contains(&resolved) {
                pending.push(resolved);
            } else {
                project.problem(
                    &path,
                    format!(
                        "extends {parent}, which is not in the tree; imports through the path \
                         aliases set there count as external"
                    ),
                );
            }
        }
    }
}

/// The module names an alias of `compilerOptions.paths` declares: `@app/*` → every name under
/// `@app/`; `@config` → that name. A catch-all (`*`) and an alias that only points into
/// `node_modules/` name no module of the project.
fn alias_module(alias: &str, targets: &JsonValue<'_>) -> Option<OwnModule> {
    if let JsonValue::Array(targets) = targets {
        let all_packages = !targets.is_empty()
            && targets.iter().all(|target| match target {
                JsonValue::String(target) => in_node_modules(target),
                _ => true,
            });
        if all_packages {
            return None;
        }
    }
    match alias.split_once('*') {
        Some(("", _)) => None,
        Some((prefix, _)) => Some(OwnModule::Prefix(prefix.to_string())),
        None if alias.is_empty() => None,
        None => Some(OwnModule::Exact(alias.to_string())),
    }
}

/// `folder` joined with a relative path, `.` and `..` resolved.
/// The root package's name and the names of the workspace packages.
fn read_workspaces(files: &dyn ProjectFiles, project: &mut Project) {
    let has = |path: &str| files.paths().iter().any(|known| known == path);
    let mut patterns: Vec<String> = Vec::new();
    if has("package.json") {
        let text = read_text(files, "package.json");
        match text.as_deref().map_err(Clone::clone).and_then(parse_jsonc) {
            Ok(root) => {
                if let Some(name) = root.get_string("name") {
                    add_package(project, name);
                }
                let list = match root.get("workspaces") {
                    Some(JsonValue::Array(list)) => Some(list),
                    Some(JsonValue::Object(object)) => object.get_array("packages"),
                    _ => None,
                };
                patterns.extend(list.into_iter().flat_map(|list| {
                    list.iter().filter_map(|value| match value {
                        JsonValue::String(text) => Some(text.to_string()),
                        _ => None,
                    })
                }));
            }
            Err(why) => project.problem(
                "package.json",
                format!("{why}; imports of its workspace packages count as external"),
            ),
        }
    }
    if has("pnpm-workspace.yaml") {
        match pnpm_packages(files) {
            Ok(list) => patterns.extend(list),
            Err(why) => project.problem(
                "pnpm-workspace.yaml",
                format!("{why}; imports of its workspace packages count as external"),
            ),
        }
    }
    if patterns.is_empty() {
        return;
    }
    let (excluded, included): (Vec<&str>, Vec<&str>) = patterns
        .iter()
        .map(|pattern| pattern.trim())
        .partition(|pattern| pattern.starts_with('!'));
    let excluded: Vec<&str> = excluded.iter().map(|p| &p[1..]).collect();
    let members: Vec<&str> = files
        .paths()
        .iter()
        .filter(|path| !in_node_modules(path))
        .filter_map(|path| path.strip_suffix("/package.json"))
        .filter(|folder| included.iter().any(|p| folder_matches(p, folder)))
        .filter(|folder| !excluded.iter().any(|p| folder_matches(p, folder)))
        .collect();
    for folder in members {
        let path = format!("{folder}/package.json");
        let text = read_text(files, &path);
        match text.as_deref().map_err(Clone::clone).and_then(parse_jsonc) {
            Ok(package) => {
                if let Some(name) = package.get_string("name") {
                    add_package(project, name);
                    // What `import … from "@acme/ui"` loads: the entry its package.json names
                    // (the source first), else `src/index` or `index`; `@acme/ui/x` is a file
                    // of the package.
                    let mut entries: Vec<String> = ["source", "main", "module"]
                        .iter()
                        .filter_map(|field| package.get_string(field))
                        .filter_map(|entry| super::join_relative(folder, entry))
                        .collect();
                    entries.push(format!("{folder}/src/index"));
                    entries.push(format!("{folder}/index"));
                    project.add_alias(name, entries);
                    project.add_alias(&format!("{name}/*"), vec![format!("{folder}/*")]);
                }
            }
            Err(why) => project.problem(
                &path,
                format!("{why}; imports of this package count as external"),
            ),
        }
    }
}

fn add_package(project: &mut Project, name: &str) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    project.add_own_module(OwnModule::Exact(name.to_string()));
    project.add_own_module(OwnModule::Prefix(format!("{name}/")));
}

/// The `packages` globs of `pnpm-workspace.yaml`.
fn pnpm_packages(files: &dyn ProjectFiles) -> Result<Vec<String>, String> {
    let text = read_text(files, "pnpm-workspace.yaml")?;
    let documents = yaml_rust2::YamlLoader::load_from_str(&text)
        .map_err(|error| format!("not valid YAML: {error}"))?;
    let Some(document) = documents.first() else {
        return Ok(Vec::new());
    };
    Ok(document["packages"]
        .as_vec()
        .map(|list| {
            list.iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Whether a workspace glob (`packages/*`, `apps/**`, `./tools/cli/`) matches a folder: `*` and
/// `?` within one path segment, `**` across any number of them.
fn folder_matches(pattern: &str, folder: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    let pattern: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let folder: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    // matched[i][j]: the first i pattern segments match the first j folder segments.
    let mut matched = vec![vec![false; folder.len() + 1]; pattern.len() + 1];
    matched[0][0] = true;
    for i in 1..=pattern.len() {
        let segment = pattern[i - 1];
        for j in 0..=folder.len() {
            matched[i][j] = if segment == "**" {
                matched[i - 1][j] || (j > 0 && matched[i][j - 1])
            } else {
                j > 0 && matched[i - 1][j - 1] && segment_matches(segment, folder[j - 1])
            };
        }
    }
    matched[pattern.len()][folder.len()]
}

/// `*` (any run) and `?` (one character) within one segment.
fn segment_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// JavaScript's and TypeScript's top-level statements, cut apart where automatic semicolon
/// insertion cannot join them (see [`Ends::Asi`]): after a `;`, after a declaration whose body's
/// `}` ends it (a function, a class, an interface, an enum; exported or not), or before a line
/// that starts with a letter, a quote or a decorator. The members of the class or function body a
/// statement is made of (`module.exports = class …`, `describe('…', () => { … })`) are cut
/// apart the same way, a method ending like a declaration: a field without its `;` runs on into a
/// computed method name (`[key]() {}`), which the seam test sees.
pub static STATEMENTS: Statements = Statements {
    classes: None,
    braces: Some(Braces {
        bodies: &["class_body", "statement_block"],
        members: &["method_definition", "class_static_block"],
    }),
    comment: "comment",
    line_comment: "//",
    ends: Ends::Asi {
        declarations: &[
            "function_declaration",
            "generator_function_declaration",
            "class_declaration",
            "abstract_class_declaration",
            "interface_declaration",
            "enum_declaration",
            "hash_bang_line",
        ],
        export: ("export_statement", "declaration"),
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_name_files_with_extensions_and_index_files() {
        let ModuleFiles::Candidates(found) =
            resolve_module("src/pages/home.js", "../utils", &Project::default())
        else {
            panic!("a relative import is followed");
        };
        assert_eq!(found[0], "src/utils.js");
        assert!(found.contains(&"src/utils.ts".to_string()));
        assert!(found.contains(&"src/utils/index.js".to_string()));
        let ModuleFiles::Candidates(found) =
            resolve_module("src/a.ts", "./util.js", &Project::default())
        else {
            panic!("a relative import is followed");
        };
        assert_eq!(found[..2], ["src/util.js", "src/util.ts"]);
        assert_eq!(
            resolve_module("src/a.js", "lodash", &Project::default()),
            ModuleFiles::NotFollowed
        );
        assert_eq!(
            resolve_module("src/a.js", "@app/config", &Project::default()),
            ModuleFiles::NotFollowed
        );
        assert_eq!(
            resolve_module("a.js", "../../x", &Project::default()),
            ModuleFiles::Outside
        );
    }

    #[test]
    fn a_default_import_follows_the_keyword() {
        assert!(binds_the_default(b"import "));
        assert!(binds_the_default(b"x;\nimport type "));
        assert!(!binds_the_default(b"import { "));
        assert!(!binds_the_default(b"reimport "));
        assert!(provides_a_default(b"export default function f() {}"));
        assert!(provides_a_default(b"export { f as default };"));
        assert!(!provides_a_default(b"export function f() {}"));
    }

    #[test]
    fn export_star_passes_on_every_name_but_export_star_as_does_not() {
        assert!(exports_everything_of_another(
            b"export * from './legacy';\n",
            "x"
        ));
        assert!(exports_everything_of_another(
            b"export  *\n  from \"./legacy\"",
            "x"
        ));
        assert!(!exports_everything_of_another(
            b"export * as legacy from './legacy';",
            "x"
        ));
        assert!(!exports_everything_of_another(
            b"export const x = 1; // *",
            "x"
        ));
    }

    /// Files in memory.
    struct Files(Vec<(String, Vec<u8>)>, Vec<String>);

    impl Files {
        fn new(files: &[(&str, &str)]) -> Files {
            Files(
                files
                    .iter()
                    .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
                    .collect(),
                files.iter().map(|(path, _)| path.to_string()).collect(),
            )
        }
    }

    impl ProjectFiles for Files {
        fn paths(&self) -> &[String] {
            &self.1
        }

        fn read(&self, path: &str) -> Option<Vec<u8>> {
            self.0
                .iter()
                .find(|(known, _)| known == path)
                .map(|(_, bytes)| bytes.clone())
        }
    }

    #[test]
    fn relative_and_owned_modules_are_not_external() {
        let project = Project::with_names(&["app"]);
        assert!(!is_external_module("./api", &project));
        assert!(!is_external_module("../lib/api.js", &project));
        assert!(!is_external_module("@/components/x", &project));
        assert!(!is_external_module("app/services", &project));
        assert!(is_external_module("lodash", &project));
        assert!(is_external_module("@babel/core", &project));
    }

    #[test]
    fn tsconfig_paths_are_read_as_jsonc_through_extends() {
        let files = Files::new(&[
            (
                "tsconfig.json",
                r#"{
  // The app's aliases live in the base configuration.
  "extends": "./configs/base",
  "compilerOptions": { "strict": true, },
}"#,
            ),
            (
                "configs/base.json",
                r#"{ "compilerOptions": { "baseUrl": "..", "paths": {
  "@app/*": ["src/*"],
  "@config": ["src/config/index.ts"],
  "*": ["node_modules/*"],
  "react": ["node_modules/@types/react"], /* a package, not ours */
} } }"#,
            ),
            (
                "packages/web/jsconfig.json",
                r#"{"compilerOptions":{"paths":{"~/*":["./*"]}}}"#,
            ),
            ("src/config.ts", "export const A = 1;"),
        ]);
        let mut project = Project::default();
        read_project(&files, &mut project);
        assert!(project.problems.is_empty(), "{:?}", project.problems);
        assert!(project.declares_own("@app/config"));
        assert!(project.declares_own("@config"));
        assert!(project.declares_own("~/lib/x"));
        assert!(!project.declares_own("@config/other"));
        assert!(!project.declares_own("react"));
        assert!(!project.declares_own("lodash"));
        assert!(!is_external_module("@app/config", &project));
        assert!(is_external_module("@apple/pie", &project));
    }

    #[test]
    fn an_unreadable_tsconfig_is_a_problem_not_a_failure() {
        let files = Files::new(&[
            ("tsconfig.json", "{ \"compilerOptions\": { \"paths\": "),
            (
                "apps/web/tsconfig.json",
                r#"{ "extends": "../../tsconfig.missing.json", "compilerOptions": { "paths": { "@web/*": ["src/*"] } } }"#,
            ),
        ]);
        let mut project = Project::default();
        read_project(&files, &mut project);
        let paths: Vec<&str> = project.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["apps/web/tsconfig.json", "tsconfig.json"]);
        assert!(project.problems[1].why.contains("not valid JSONC"));
        assert!(project.declares_own("@web/button"));
    }

    #[test]
    fn workspace_packages_are_the_repositorys_own() {
        let files = Files::new(&[
            (
                "package.json",
                r#"{ "name": "monorepo", "private": true, "workspaces": ["packages/*", "!packages/legacy"] }"#,
            ),
            ("packages/ui/package.json", r#"{ "name": "@acme/ui" }"#),
            (
                "packages/legacy/package.json",
                r#"{ "name": "@acme/legacy" }"#,
            ),
            (
                "node_modules/left-pad/package.json",
                r#"{ "name": "left-pad" }"#,
            ),
            (
                "pnpm-workspace.yaml",
                "packages:\n  - 'tools/**'\n  # comment\n",
            ),
            ("tools/cli/deep/package.json", r#"{ "name": "acme-cli" }"#),
        ]);
        let mut project = Project::default();
        read_project(&files, &mut project);
        assert!(project.problems.is_empty(), "{:?}", project.problems);
        for own in ["@acme/ui", "@acme/ui/button", "acme-cli", "monorepo"] {
            assert!(project.declares_own(own), "{own}");
        }
        for not_own in ["@acme/legacy", "left-pad", "@acme/uikit"] {
            assert!(!project.declares_own(not_own), "{not_own}");
        }
    }

    #[test]
    fn workspace_globs_match_folders() {
        assert!(folder_matches("packages/*", "packages/ui"));
        assert!(!folder_matches("packages/*", "packages/ui/nested"));
        assert!(folder_matches("packages/**", "packages/ui/nested"));
        assert!(folder_matches("./apps/web/", "apps/web"));
        assert!(folder_matches("libs/ui-*", "libs/ui-core"));
        assert!(!folder_matches("libs/ui-*", "libs/core"));
    }
}
