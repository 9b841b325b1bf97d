//! The vocabulary of occurrences: what a capture of a language's query says a name does. Owned by
//! the language registry, since the query files are written in it.

/// What an occurrence does with its name. The variant order is the capture priority: when several
/// query patterns capture the same node, the earliest variant here wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Import,
    Method,
    Function,
    Class,
    Parameter,
    Variable,
    Export,
    Key,
    Attribute,
    Call,
    MemberCall,
    Member,
    Use,
}

/// The two kinds a name can have (precision rule 4): a plain name, or a member/attribute/key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    Plain,
    Member,
}

impl Role {
    pub fn from_capture_name(name: &str) -> Option<Role> {
        let role = match name {
            "definition.function" => Role::Function,
            "definition.class" => Role::Class,
            "definition.method" => Role::Method,
            "definition.variable" => Role::Variable,
            "definition.parameter" => Role::Parameter,
            "definition.import" => Role::Import,
            "definition.export" => Role::Export,
            "definition.key" => Role::Key,
            "definition.attribute" => Role::Attribute,
            "reference.call" => Role::Call,
            "reference.member_call" => Role::MemberCall,
            "reference.member" => Role::Member,
            "reference.use" => Role::Use,
            _ => return None,
        };
        Some(role)
    }

    pub fn is_definition(self) -> bool {
        !matches!(
            self,
            Role::Call | Role::MemberCall | Role::Member | Role::Use
        )
    }

    pub fn kind(self) -> NameKind {
        match self {
            Role::Method | Role::Key | Role::Attribute | Role::MemberCall | Role::Member => {
                NameKind::Member
            }
            _ => NameKind::Plain,
        }
    }

    /// The word used in messages and JSON.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Function => "function",
            Role::Class => "class",
            Role::Method => "method",
            Role::Variable => "variable",
            Role::Parameter => "parameter",
            Role::Import => "import",
            Role::Export => "export",
            Role::Key => "key",
            Role::Attribute => "attribute",
            Role::Call => "call",
            Role::MemberCall => "method call",
            Role::Member => "property access",
            Role::Use => "use",
        }
    }
}
