//! What a repository's tree says about its own modules, for precision rule 6: a name bound by an
//! import from a module outside the repository is not the repository's to remove. A [`Project`]
//! is read once per side of a merge, from that side's tree: the names of its files and folders,
//! and what the project files of the registered languages declare (TypeScript path aliases,
//! workspace packages), each read by the [`ProjectReader`] a profile names. The registry decides
//! what is read; the caller, which knows git, hands it the files ([`ProjectFiles`]).

use std::collections::HashSet;

/// A tree's files, as a project reader sees them.
pub trait ProjectFiles {
    /// Every entry's path from the root, `/`-separated (files, and submodules, which have no
    /// bytes).
    fn paths(&self) -> &[String];
    /// A file's bytes, where it can be read.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

/// How a family of languages declares which module names are the project's own (Node's
/// `tsconfig.json` paths and workspaces). Profiles that share one name it by the same static, and
/// it is read once per tree.
pub struct ProjectReader {
    pub name: &'static str,
    pub read: fn(&dyn ProjectFiles, &mut Project),
}

/// A module name the project declares its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnModule {
    /// This name exactly (`@app/config`, a workspace package `@acme/ui`).
    Exact(String),
    /// Any name starting with this (`@app/` of the alias `@app/*`).
    Prefix(String),
}

/// A project file that could not be read, and why: the analysis goes on without what it declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectProblem {
    pub path: String,
    pub why: String,
}

/// What one tree says about the repository's own modules.
#[derive(Debug, Default)]
pub struct Project {
    /// File stems and folder names, at any depth (`app` for `app.py`, `app/` or `src/app/x.js`).
    names: HashSet<String>,
    own_modules: Vec<OwnModule>,
    /// Path aliases and the tree paths they name (`@app/*` → `src/*`), in declaration order.
    aliases: Vec<(String, Vec<String>)>,
    pub problems: Vec<ProjectProblem>,
}

impl Project {
    /// Reads a tree: its names, then each distinct project reader of the registered profiles.
    pub fn read(files: &dyn ProjectFiles) -> Project {
        let mut project = Project::default();
        for path in files.paths() {
            for component in path.split('/') {
                let stem = component.split('.').next().unwrap_or(component);
                if !project.names.contains(stem) {
                    project.names.insert(stem.to_string());
                }
            }
        }
        let mut read: Vec<&str> = Vec::new();
        for reader in super::PROFILES.iter().filter_map(|p| p.project_reader) {
            if !read.contains(&reader.name) {
                read.push(reader.name);
                (reader.read)(files, &mut project);
            }
        }
        project
    }

    /// A project that knows only these file stems and folder names, for tests.
    pub fn with_names(names: &[&str]) -> Project {
        Project {
            names: names.iter().map(|name| (*name).to_string()).collect(),
            ..Project::default()
        }
    }

    /// Whether the tree has a file (by its stem) or folder of this name, at any depth.
    pub fn has_name(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Whether the project declares `module` its own (a path alias, a workspace package).
    pub fn declares_own(&self, module: &str) -> bool {
        self.own_modules.iter().any(|own| match own {
            OwnModule::Exact(name) => name == module,
            OwnModule::Prefix(prefix) => module.starts_with(prefix.as_str()),
        })
    }

    /// Records a module name the project declares its own.
    pub fn add_own_module(&mut self, own: OwnModule) {
        if !self.own_modules.contains(&own) {
            self.own_modules.push(own);
        }
    }

    /// Records a path alias (`@app/*`) and the tree paths it names (`src/*`).
    pub fn add_alias(&mut self, alias: &str, targets: Vec<String>) {
        if !targets.is_empty() && !self.aliases.iter().any(|(known, _)| known == alias) {
            self.aliases.push((alias.to_string(), targets));
        }
    }

    /// The tree paths a module name reaches through the path aliases (`@app/config` →
    /// `src/config`): an exact alias first, then the longest matching prefix, as TypeScript
    /// chooses.
    pub fn alias_targets(&self, module: &str) -> Vec<String> {
        if let Some((_, targets)) = self.aliases.iter().find(|(alias, _)| alias == module) {
            return targets.clone();
        }
        let best = self
            .aliases
            .iter()
            .filter_map(|(alias, targets)| {
                let (prefix, suffix) = alias.split_once('*')?;
                let middle = module.strip_prefix(prefix)?.strip_suffix(suffix)?;
                Some((prefix.len(), middle, targets))
            })
            .max_by_key(|(length, _, _)| *length);
        best.map(|(_, middle, targets)| {
            targets
                .iter()
                .map(|target| target.replacen('*', middle, 1))
                .collect()
        })
        .unwrap_or_default()
    }

    pub fn own_modules(&self) -> &[OwnModule] {
        &self.own_modules
    }

    /// Records a project file that could not be read.
    pub fn problem(&mut self, path: &str, why: impl Into<String>) {
        self.problems.push(ProjectProblem {
            path: path.to_string(),
            why: why.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_names_tree_paths_exact_first_then_the_longest_prefix() {
        let mut project = Project::default();
        project.add_alias("@app/*", vec!["src/*".to_string()]);
        project.add_alias("@app/ui/*", vec!["packages/ui/src/*".to_string()]);
        project.add_alias("@config", vec!["src/config/index".to_string()]);
        assert_eq!(project.alias_targets("@app/config"), ["src/config"]);
        assert_eq!(
            project.alias_targets("@app/ui/button"),
            ["packages/ui/src/button"]
        );
        assert_eq!(project.alias_targets("@config"), ["src/config/index"]);
        assert!(project.alias_targets("lodash").is_empty());
    }
}
