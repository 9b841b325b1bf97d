//! TSX: `.tsx`, TypeScript with JSX, parsed with the TSX grammar. Its query is TypeScript's and
//! what JSX adds (component attributes); its imports resolve as TypeScript's do.

use super::{LanguageProfile, QueryExample, Reader, Role};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "tsx",
    extensions: &["tsx"],
    claims_path: None,
    reader: Reader::Query {
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        query: concat!(
            include_str!("../../grammars/typescript/occurrences.scm"),
            include_str!("../../grammars/tsx/occurrences.scm"),
            include_str!("../../grammars/javascript/env.scm")
        ),
        statements: Some(&super::node::STATEMENTS),
    },
    is_external_module: super::node::is_external_module,
    modules: &super::node::MODULES,
    project_reader: Some(&super::node::PROJECT),
    reader_query: Some(include_str!("../../grammars/javascript/readers.scm")),
    comment_markers: &["//", "/*"],
    generated_suffixes: &[],
    declaration_suffixes: &[],
    examples: &[EXAMPLE],
};

const EXAMPLE: QueryExample = QueryExample {
    path: "a.tsx",
    source: r#"
import type { BannerProps } from './banner';
import { LegacyBanner } from './legacy-banner';
export function Page({ legacyMode }: BannerProps) {
  const pick = <T,>(value: T): T => value;
  return <Layout.Main><LegacyBanner legacyMode={legacyMode} title="x" /></Layout.Main>;
}
"#,
    roles: &[
        ("BannerProps", &[Role::TypeImport, Role::TypeReference]),
        // A component element uses the component; its attributes are props (member kind).
        ("LegacyBanner", &[Role::Import, Role::Use]),
        ("legacyMode", &[Role::Parameter, Role::Member, Role::Use]),
        ("title", &[Role::Member]),
        ("Layout", &[Role::Use, Role::Use]),
        ("Main", &[Role::Member, Role::Member]),
        ("Page", &[Role::Function]),
        ("pick", &[Role::Variable]),
        // `<T,>` is a type parameter in TSX, not an element.
        (
            "T",
            &[
                Role::TypeParameter,
                Role::TypeReference,
                Role::TypeReference,
            ],
        ),
        ("value", &[Role::Parameter, Role::Use]),
    ],
    scopes: &[
        ("LegacyBanner", Role::Use, Some("Page")),
        ("value", Role::Use, Some("Page.pick")),
    ],
    import_sources: &[
        ("BannerProps", "./banner"),
        ("LegacyBanner", "./legacy-banner"),
    ],
};
