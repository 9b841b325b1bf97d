//! The vocabulary of occurrences: what a capture of a language's query says a name does. Owned by
//! the language registry, since the query files are written in it. The rules never match on a
//! role: they ask it the questions below (`is_definition`, `kind`, `is_import`, `is_local`,
//! `is_declaration`, `opens_scope`, `in_space`), so a new role answers them and no rule changes.

/// What an occurrence does with its name. The variant order is the capture priority: when several
/// query patterns capture the same node, the earliest variant here wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A name bound by a type-only import (`import type { Quote }`, `import { type Quote }`), or
    /// re-exported as a type from another module (`export type { Quote } from './quote'`).
    TypeImport,
    Import,
    Method,
    Function,
    Class,
    /// An enumeration (`enum Status { … }`): a value and a type.
    Enum,
    /// A namespace or module declaration (`namespace Legacy {}`, `declare module 'legacy-sdk'`):
    /// a value and a type.
    Namespace,
    /// A type of its own (`interface Quote`, `type Quote = …`): a type and nothing else.
    Type,
    Parameter,
    /// A type parameter (`<T>`, `infer U`, `[K in keyof T]`): local to its declaration.
    TypeParameter,
    Variable,
    /// A name exported as a type only (`export type { Quote }`).
    TypeExport,
    Export,
    Key,
    Attribute,
    /// A key of a settings file, named by its full path (`billing.legacy_url`,
    /// `steps[name=build].run`).
    Setting,
    /// An environment variable defined by a settings file (`.env`, docker-compose
    /// `environment:`, Kubernetes `env: - name:`, CI `env:` / `variables:`), named by the variable.
    EnvVariable,
    /// A package a manifest depends on (`package.json`, `pyproject.toml`, `requirements.txt`),
    /// named by the package, whichever group lists it.
    Dependency,
    /// A read of an environment variable by name in code (`process.env.X`, `os.getenv("X")`).
    EnvRead,
    /// A read of a setting by its key path through a function the team lists
    /// (`config.get("billing.legacy_url")`).
    SettingRead,
    Call,
    MemberCall,
    Member,
    /// A use of a type (`let q: Quote`, `implements Api`, `x as Quote`).
    TypeReference,
    Use,
}

/// The kinds a name can have (precision rule 4): a plain name, a member/attribute/key, or a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    Plain,
    Member,
    Type,
    /// A setting or an environment variable: names of configuration, never of code.
    Setting,
    /// A package a manifest depends on.
    Dependency,
}

/// Where a name lives: values (plain names and members) or types. In TypeScript `interface Quote`
/// and `const Quote` share a name and nothing else: removing one while the other stays is not a
/// removal of the one that stayed. Languages without types only have the value space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    Value,
    Type,
    /// Settings and environment variables: `os.getenv("API_KEY")` reads the variable, and a
    /// constant `API_KEY` in code is another name.
    Setting,
    /// Packages: `package.json`'s top-level `jest` key (a setting) and its `jest` dev dependency
    /// are two names.
    Dependency,
}

impl Space {
    pub const ALL: [Space; 4] = [Space::Value, Space::Type, Space::Setting, Space::Dependency];
}

impl NameKind {
    /// The space an occurrence of this kind is in.
    pub fn space(self) -> Space {
        match self {
            NameKind::Plain | NameKind::Member => Space::Value,
            NameKind::Type => Space::Type,
            NameKind::Setting => Space::Setting,
            NameKind::Dependency => Space::Dependency,
        }
    }
}

impl Role {
    pub fn from_capture_name(name: &str) -> Option<Role> {
        let role = match name {
            "definition.function" => Role::Function,
            "definition.class" => Role::Class,
            "definition.enum" => Role::Enum,
            "definition.namespace" => Role::Namespace,
            "definition.type" => Role::Type,
            "definition.method" => Role::Method,
            "definition.variable" => Role::Variable,
            "definition.parameter" => Role::Parameter,
            "definition.type_parameter" => Role::TypeParameter,
            "definition.import" => Role::Import,
            "definition.type_import" => Role::TypeImport,
            "definition.export" => Role::Export,
            "definition.type_export" => Role::TypeExport,
            "definition.key" => Role::Key,
            "definition.attribute" => Role::Attribute,
            "reference.env" => Role::EnvRead,
            "reference.call" => Role::Call,
            "reference.member_call" => Role::MemberCall,
            "reference.member" => Role::Member,
            "reference.type" => Role::TypeReference,
            "reference.use" => Role::Use,
            _ => return None,
        };
        Some(role)
    }

    pub fn is_definition(self) -> bool {
        !matches!(
            self,
            Role::EnvRead
                | Role::SettingRead
                | Role::Call
                | Role::MemberCall
                | Role::Member
                | Role::TypeReference
                | Role::Use
        )
    }

    pub fn kind(self) -> NameKind {
        match self {
            Role::Method | Role::Key | Role::Attribute | Role::MemberCall | Role::Member => {
                NameKind::Member
            }
            Role::Type
            | Role::TypeParameter
            | Role::TypeImport
            | Role::TypeExport
            | Role::TypeReference => NameKind::Type,
            Role::Setting | Role::EnvVariable | Role::EnvRead | Role::SettingRead => {
                NameKind::Setting
            }
            Role::Dependency => NameKind::Dependency,
            _ => NameKind::Plain,
        }
    }

    /// A name bound by an import, which refers to a definition in another module (with the
    /// module's text as the occurrence's `import_source`).
    pub fn is_import(self) -> bool {
        matches!(self, Role::Import | Role::TypeImport)
    }

    /// A name that lives only inside its function or declaration (a parameter, a type
    /// parameter): never the repository's to remove from elsewhere.
    pub fn is_local(self) -> bool {
        matches!(self, Role::Parameter | Role::TypeParameter)
    }

    /// A declaration of a thing of its own (function, class, variable, enum, namespace, type), as
    /// opposed to a binding (import, parameter), an export, or a member: what best names what a
    /// file defines at its top level.
    pub fn is_declaration(self) -> bool {
        matches!(
            self,
            Role::Function
                | Role::Class
                | Role::Variable
                | Role::Enum
                | Role::Namespace
                | Role::Type
        )
    }

    /// A definition whose body holds names of its own (a function, class, method, enum,
    /// namespace, interface): when it comes back, it brings them with it.
    pub fn opens_scope(self) -> bool {
        matches!(
            self,
            Role::Function | Role::Class | Role::Method | Role::Enum | Role::Namespace | Role::Type
        )
    }

    /// Whether the occurrence has its name in `space`. Most roles are in the space of their kind;
    /// a class, enum or namespace declares a type as well as a value, and an import or export
    /// binding carries whichever its module gave it.
    pub fn in_space(self, space: Space) -> bool {
        match space {
            Space::Value => self.kind().space() == Space::Value,
            Space::Type => {
                self.kind() == NameKind::Type
                    || matches!(
                        self,
                        Role::Class | Role::Enum | Role::Namespace | Role::Import | Role::Export
                    )
            }
            Space::Setting => self.kind() == NameKind::Setting,
            Space::Dependency => self.kind() == NameKind::Dependency,
        }
    }

    /// A name of code (a value or a type), as opposed to configuration (a setting, a variable, a
    /// package).
    pub fn is_code(self) -> bool {
        matches!(
            self.kind(),
            NameKind::Plain | NameKind::Member | NameKind::Type
        )
    }

    /// The word used in messages and JSON.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Function => "function",
            Role::Class => "class",
            Role::Enum => "enum",
            Role::Namespace => "namespace",
            Role::Type => "type",
            Role::Method => "method",
            Role::Variable => "variable",
            Role::Parameter => "parameter",
            Role::TypeParameter => "type parameter",
            Role::Import => "import",
            Role::TypeImport => "type import",
            Role::Export => "export",
            Role::TypeExport => "type export",
            Role::Key => "key",
            Role::Attribute => "attribute",
            Role::Setting => "setting",
            Role::EnvVariable => "environment variable",
            Role::Dependency => "dependency",
            Role::EnvRead => "environment variable read",
            Role::SettingRead => "setting read",
            Role::Call => "call",
            Role::MemberCall => "method call",
            Role::Member => "property access",
            Role::TypeReference => "type reference",
            Role::Use => "use",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Role] = &[
        Role::TypeImport,
        Role::Import,
        Role::Method,
        Role::Function,
        Role::Class,
        Role::Enum,
        Role::Namespace,
        Role::Type,
        Role::Parameter,
        Role::TypeParameter,
        Role::Variable,
        Role::TypeExport,
        Role::Export,
        Role::Key,
        Role::Attribute,
        Role::Setting,
        Role::EnvVariable,
        Role::Dependency,
        Role::EnvRead,
        Role::SettingRead,
        Role::Call,
        Role::MemberCall,
        Role::Member,
        Role::TypeReference,
        Role::Use,
    ];

    #[test]
    fn every_role_is_in_a_space_and_definitions_come_first() {
        for role in ALL {
            assert!(
                Space::ALL.iter().any(|space| role.in_space(*space)),
                "{role:?} is in no space"
            );
            assert!(
                role.in_space(role.kind().space()),
                "{role:?} is not in its kind's space"
            );
        }
        // Capture priority: every definition outranks every reference.
        let last_definition = ALL.iter().rposition(|r| r.is_definition());
        let first_reference = ALL.iter().position(|r| !r.is_definition());
        assert!(last_definition < first_reference);
    }

    #[test]
    fn values_and_types_are_apart() {
        // `interface Quote` and `const Quote`: one space each.
        assert!(Role::Type.in_space(Space::Type) && !Role::Type.in_space(Space::Value));
        assert!(Role::Variable.in_space(Space::Value) && !Role::Variable.in_space(Space::Type));
        // A class is both; a type-only import is a type only.
        assert!(Role::Class.in_space(Space::Type) && Role::Class.in_space(Space::Value));
        assert!(!Role::TypeImport.in_space(Space::Value));
        assert!(Role::TypeImport.is_import() && !Role::TypeImport.is_local());
        assert!(Role::TypeParameter.is_local() && Role::TypeParameter.is_definition());
    }
}
