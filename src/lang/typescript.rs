//! TypeScript: `.ts`, `.mts`, `.cts`, and the declaration files `.d.ts` (`.d.mts`, `.d.cts`),
//! parsed with the TypeScript grammar (never TSX's: `<T>x` is a type assertion here, an element
//! there). Imports resolve as in JavaScript, with the project's `tsconfig.json` aliases and
//! workspace packages (`node.rs`).

use super::{LanguageProfile, QueryExample, Reader, Role};

pub static PROFILE: LanguageProfile = LanguageProfile {
    name: "typescript",
    extensions: &["ts", "mts", "cts"],
    claims_path: None,
    reader: Reader::Query {
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        query: concat!(
            include_str!("../../grammars/typescript/occurrences.scm"),
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
    declaration_suffixes: &[".d.ts", ".d.mts", ".d.cts"],
    examples: &[EXAMPLE, DECLARATIONS],
};

const EXAMPLE: QueryExample = QueryExample {
    path: "a.ts",
    source: r#"
import type { Quote } from './quote';
import { type Order, get as httpGet } from '@app/api';
import legacySdk = require('legacy-sdk');
export { fetchQuotes as loadQuotes, LegacyQuote } from './quotes';
export type { Quote as QuoteShape };
// LegacyClient in a comment
const label = "LegacyClient in a string";
export interface Legacy<T extends Quote = Quote> extends Base { legacyId: string; refresh(): void; }
export type Alias<K> = { [P in keyof K]: K[P] extends infer U ? U : never };
export enum Status { Active, Legacy = 2 }
namespace Billing.Invoices { export const total = 1; }
declare module 'legacy-sdk' { export function legacyCall(): void; }
@Component({ selector: 'quote' })
export class QuoteCard implements Api {
  @Input() legacyLabel?: string;
  private readonly cache = new Map<string, Order>();
  constructor(private readonly legacyClient: LegacyClient, plain: number) {}
  render(id: string): string;
  render(id: number): string;
  render(id: any) { return this.legacyClient!.fetch(id)?.label as string; }
}
@Injectable({ providedIn: 'root', deps: [QuoteCard, Legacy, Status] })
class QuoteService {}
function pick({ x, y: renamed }: Options, ...rest: Order[]) {
  const s: Status.Legacy = Status.Legacy;
  return cfg satisfies Config ? httpGet(legacySdk) : rest;
}
"#,
    roles: &[
        // A type-only import, its type-only export, and its uses as a type.
        (
            "Quote",
            &[
                Role::TypeImport,
                Role::TypeExport,
                Role::TypeReference,
                Role::TypeReference,
            ],
        ),
        ("QuoteShape", &[Role::TypeExport]),
        (
            "Order",
            &[Role::TypeImport, Role::TypeReference, Role::TypeReference],
        ),
        ("httpGet", &[Role::Import, Role::Call]),
        ("get", &[Role::Import]),
        ("legacySdk", &[Role::Import, Role::Use]),
        // A re-export names another module's export, as an import does.
        ("fetchQuotes", &[Role::Import]),
        ("loadQuotes", &[Role::Export]),
        ("LegacyQuote", &[Role::Import]),
        // Not in the comment, not in the string: only as a type.
        ("LegacyClient", &[Role::TypeReference]),
        // The interface, the enum member, the interface as a decorator's argument (a use of a
        // value of that name), then `Status.Legacy` as a type and as a value.
        (
            "Legacy",
            &[Role::Type, Role::Key, Role::Use, Role::Member, Role::Member],
        ),
        ("T", &[Role::TypeParameter]),
        ("Base", &[Role::TypeReference]),
        ("legacyId", &[Role::Method]),
        ("refresh", &[Role::Method]),
        ("Alias", &[Role::Type]),
        (
            "K",
            &[
                Role::TypeParameter,
                Role::TypeReference,
                Role::TypeReference,
            ],
        ),
        ("P", &[Role::TypeParameter, Role::TypeReference]),
        ("U", &[Role::TypeParameter, Role::TypeReference]),
        ("Status", &[Role::Enum, Role::Use, Role::Use, Role::Use]),
        ("Active", &[Role::Key]),
        ("Billing", &[Role::Namespace]),
        ("Invoices", &[Role::Attribute]),
        ("total", &[Role::Variable]),
        ("legacy-sdk", &[Role::Namespace]),
        ("legacyCall", &[Role::Function]),
        // Decorators are calls; the decorated field is a field.
        ("Component", &[Role::Call]),
        ("selector", &[Role::Key]),
        ("QuoteCard", &[Role::Class, Role::Use]),
        ("Api", &[Role::TypeReference]),
        ("Input", &[Role::Call]),
        ("legacyLabel", &[Role::Method]),
        ("cache", &[Role::Method]),
        ("Map", &[Role::Call]),
        // A parameter property defines a field; `this.legacyClient!` uses it.
        ("legacyClient", &[Role::Method, Role::Member]),
        ("plain", &[Role::Parameter]),
        // Two overload signatures and the implementation.
        ("render", &[Role::Method, Role::Method, Role::Method]),
        (
            "id",
            &[Role::Parameter, Role::Parameter, Role::Parameter, Role::Use],
        ),
        ("fetch", &[Role::MemberCall]),
        ("label", &[Role::Variable, Role::Member]),
        ("QuoteService", &[Role::Class]),
        ("pick", &[Role::Function]),
        ("x", &[Role::Parameter]),
        ("y", &[Role::Member]),
        ("renamed", &[Role::Parameter]),
        ("Options", &[Role::TypeReference]),
        ("rest", &[Role::Parameter, Role::Use]),
        ("s", &[Role::Variable]),
        ("cfg", &[Role::Use]),
        ("Config", &[Role::TypeReference]),
    ],
    scopes: &[
        ("legacyClient", Role::Method, Some("QuoteCard.constructor")),
        ("fetch", Role::MemberCall, Some("QuoteCard.render")),
        ("legacyId", Role::Method, Some("Legacy")),
        ("T", Role::TypeParameter, Some("Legacy")),
        ("Active", Role::Key, Some("Status")),
        ("total", Role::Variable, Some("Billing.Invoices")),
        ("legacyCall", Role::Function, Some("legacy-sdk")),
        // A class's name is outside its own scope, however long its decorator.
        ("QuoteService", Role::Class, None),
        ("QuoteCard", Role::Class, None),
    ],
    import_sources: &[
        ("Quote", "./quote"),
        ("Order", "@app/api"),
        ("httpGet", "@app/api"),
        ("legacySdk", "legacy-sdk"),
        ("fetchQuotes", "./quotes"),
    ],
};

/// A declaration file: what it declares are definitions like any other.
const DECLARATIONS: QueryExample = QueryExample {
    path: "types/legacy.d.ts",
    source: r#"
declare const LEGACY_URL: string;
declare function legacyCall(options: LegacyOptions): Promise<void>;
declare class LegacyClient { constructor(url: string); fetch(): void; }
declare namespace Legacy { interface Options { retries: number } }
declare global { interface Window { legacyClient: LegacyClient } }
export = LegacyClient;
"#,
    roles: &[
        ("LEGACY_URL", &[Role::Variable]),
        ("legacyCall", &[Role::Function]),
        ("options", &[Role::Parameter]),
        ("LegacyOptions", &[Role::TypeReference]),
        (
            "LegacyClient",
            &[Role::Class, Role::TypeReference, Role::Use],
        ),
        ("fetch", &[Role::Method]),
        ("Legacy", &[Role::Namespace]),
        ("Options", &[Role::Type]),
        ("retries", &[Role::Method]),
        ("Window", &[Role::Type]),
        ("legacyClient", &[Role::Method]),
    ],
    scopes: &[("retries", Role::Method, Some("Legacy.Options"))],
    import_sources: &[],
};
