//! A version of a file parsed only where it changed (`syntax::splice`) finds exactly what a whole
//! parse finds. Python: on generated files of classes, decorators, compound statements, brackets,
//! strings that hold column-0 lines and comments at every indentation, edited line by line with
//! lines that end, open or continue statements. JavaScript and TypeScript: on generated files of
//! declarations, statements with and without their `;`, templates, regular expressions and
//! comments that span lines, edited with lines that automatic semicolon insertion joins to the
//! line before (`(`, `[`, a template, an operator, `in`) and lines that end or open statements.

use conflictguard::lang::Language;
use conflictguard::syntax::{self, Earlier, ParsedFile};
use proptest::prelude::*;

/// Pieces of a base file, each a run of whole lines.
const BLOCKS: &[&str] = &[
    "def helper(x):\n    return compute(x)\n",
    "class Client(Base):\n    \"\"\"A client.\"\"\"\n\n    retries = 1\n\n    def fetch(self, url):\n        return self.session.get(url, legacy=LEGACY)\n\n    @property\n    def name(self):\n        return helper(self)\n",
    "@register\nclass Plugin:\n    enabled = True\n    def run(self):\n        pass\n",
    "if TYPE_CHECKING:\n    import os\nelse:\n    os = None\n",
    "LEGACY = (\n    1,\n    2,\n)\n",
    "TEXT = \"\"\"\ncolumn zero\ndef not_code():\n\"\"\"\n",
    "# a comment naming legacy\n",
    "\n",
    "try:\n    import json\nexcept ImportError:\n    json = None\n",
    "class Cache:\n    def get(self):\n        value = 1\n\n    # between methods\n\n    def put(self, value):\n        return value\n# after the class\n",
    "class Empty: pass\n",
    "total = add(1, \\\n    2)\n",
    "class Outer:\n    class Inner:\n        def deep(self):\n            return legacy\n\n    def shallow(self):\n        return Outer.Inner\n",
    "async def main():\n    async with lock:\n        await run()\n",
    "class Tabbed:\n\tdef a(self):\n\t\treturn 1\n\tdef b(self):\n\t\treturn a\n",
    "class Small:\n    size = 1\n",
    "class Pair:\n    first = 1\n    # between\n    second = 2\n\n",
];

/// Lines an edit writes: statements of every level, and lines that open, close or continue one.
const LINES: &[&str] = &[
    "    def added(self):",
    "        return added_name",
    "def top():",
    "    return 1",
    "else:",
    "elif ready:",
    "\"\"\"",
    "'''",
    "(",
    ")",
    "@decorator",
    "class Fresh:",
    "    pass",
    "# note",
    "    # indented note",
    "",
    "\tx = 1",
    "  y = legacy",
    "        deep = 3",
    "x = [",
    "]",
    "    \"\"\"doc",
    "        helper(self)",
    "except Exception:",
    "value = 1 \\",
    "    legacy_call()",
    "print(LEGACY)",
    "    retries = 2",
    "    @staticmethod",
    "    return (",
    "        1)",
    "class Open(",
    "):",
    "    else:",
    "    except KeyError:",
    "\tdef tabbed(self):",
    "f'''{legacy}",
    "x = 1; y = 2",
    "if ready: go()",
    "match command:",
    "    case 1:",
    "        pass",
];

/// JavaScript's pieces: top-level statements that end in `;`, that end without it, and
/// declarations, with templates, regular expressions, comments and JSX.
const JS_BLOCKS: &[&str] = &[
    "function helper(x) {\n  return compute(x)\n}\n",
    "const LEGACY = 1;\n",
    "const legacy = require('./legacy')\n",
    "module.exports = { helper, LEGACY };\n",
    "class Client extends Base {\n  constructor() {\n    super()\n    this.retries = 1\n  }\n  fetch(url) {\n    return this.session.get(url, { legacy: LEGACY })\n  }\n}\n",
    "export function exported(a, b = LEGACY) {\n  return a + b;\n}\n",
    "export default class Plugin {\n  run() { return legacy }\n}\n",
    "export const handler = async (event) => {\n  await run(event)\n}\n",
    "if (ready) {\n  go()\n} else {\n  stop()\n}\n",
    "const TEXT = `\ncolumn zero\nfunction notCode() {}\n`\n",
    "// a comment naming legacy\n",
    "\n",
    "/* block\nfunction inComment() {}\n*/\n",
    "const obj = {\n  key: 1,\n  other: legacy,\n}\n",
    "let total = add(1,\n  2)\n",
    "app.use(function (req, res) {\n  res.send(LEGACY)\n})\n",
    "import { a, b as c } from './mod'\n",
    "import def from \"pkg\";\n",
    "try {\n  risky()\n} catch (e) {\n  log(e)\n}\n",
    "const re = /legacy[/]x/g\n",
    "function* gen() {\n  yield legacy\n}\n",
    "const fn = function () {}\n",
    "for (const x of list) {\n  if (x) continue\n}\n",
    "@decorator\nclass Decorated {}\n",
    "const view = <div className=\"x\">{legacy}</div>\n",
    "x = y\n",
    "module.exports = class App extends Emitter {\n  constructor() {\n    super()\n  }\n\n  use(fn) {\n    this.middleware.push(fn)\n    return this\n  }\n\n  get env() {\n    return LEGACY\n  }\n  static create = () => new App()\n  field = 1\n  [computed]() {}\n  #secret = legacy;\n}\n",
    "describe('suite', () => {\n  beforeEach(() => {\n    setup()\n  })\n\n  it('works', async () => {\n    await run(legacy)\n  })\n\n  const local = 1\n  test('x', done => done())\n})\n",
    "function fastify(options) {\n  const instance = {}\n  instance.route = route\n\n  function route(opts) {\n    return opts\n  }\n\n  return instance\n}\n",
    "export default {\n  name: 'x',\n  data() {\n    return { legacy }\n  },\n}\n",
    "const handler = async (event) => {\n  const body = parse(event)\n  /* note */ validate(body)\n  return body\n};\n",
    "class Legacy {\n  Legacy = 1\n  static Legacy() {}\n  method() { return Legacy }\n}\n",
    "function route(route) {\n  var route = 2\n  return route\n}\n",
];

/// Lines an edit writes into JavaScript: statements, and lines that continue the line before
/// (no automatic semicolon before them), open or close a block, a template or a comment.
const JS_LINES: &[&str] = &[
    "(function () {})()",
    "[1, 2].forEach(run)",
    "`tagged ${legacy}`",
    "+x",
    "-y",
    "++count",
    "/legacy/.test(s)",
    ".then(next)",
    "?.maybe()",
    "in obj",
    "instanceof Thing",
    "index = 1",
    "else {",
    "} else {",
    "}",
    "{",
    "function top() {",
    "  return 1",
    "const added = legacy;",
    "let open = (",
    ")",
    "/*",
    "*/",
    "// note",
    "",
    "  nested()",
    "class Fresh {",
    "  method() {}",
    "export default {",
    "};",
    "'use strict'",
    "\"string\"",
    "x = 1; y = 2",
    "if (ready) go()",
    "async function f() {}",
    "import x from 'y'",
    "@dec",
    "const t = `",
    "`",
    "obj.prop = value",
    "$el.show()",
    "_private()",
    "while (x) x--",
    "do { x++ } while (x < 3)",
    "= value",
    ", more",
    "legacy",
    "function declared() {}",
    "class Declared {}",
    "export function exported() {}",
    "<div>",
    "</div>",
    "  method() {",
    "  }",
    "  field = legacy",
    "  [computed]() {}",
    "  static x = 1",
    "  get value() { return 1 }",
    "  it('new', () => {})",
    "  return legacy",
    "  const inner = 1",
    "  #priv = 2",
    "  *gen() {}",
    "  async load() {}",
    "  (paren)",
    "  `tmpl`",
    "  })",
    "})",
    "  // inner note",
    "  in other",
    "  legacy.call()",
];

/// TypeScript's pieces: JavaScript's, and interfaces, type aliases, enums, overloads,
/// namespaces and type assertions.
const TS_BLOCKS: &[&str] = &[
    "function helper(x: number): number {\n  return compute(x)\n}\n",
    "const LEGACY: number = 1;\n",
    "interface Options {\n  scale: number\n  label?: string\n}\n",
    "type Alias = {\n  a: string\n}\n",
    "enum Color {\n  Red,\n  Green,\n}\n",
    "export abstract class Shape {\n  abstract area(): number\n}\n",
    "function overload(a: string): void\nfunction overload(a: any) {\n  return a\n}\n",
    "namespace NS {\n  export const x = 1\n}\n",
    "declare module 'x' {\n  export function f(): void\n}\n",
    "const typed: Map<string, number> = new Map()\n",
    "let v = <Legacy>value\n",
    "export class Client {\n  private retries = 1\n  fetch(url: string): Promise<void> {\n    return this.get(url, LEGACY)\n  }\n}\n",
    "import type { Legacy } from './legacy'\n",
    "// a comment naming legacy\n",
    "\n",
    "const TEXT = `\ncolumn zero\n`\n",
    "x = y\n",
    "export class Service {\n  private cache = new Map<string, number>()\n\n  constructor(private readonly http: Http) {}\n\n  async get(key: string): Promise<number> {\n    return this.cache.get(key) ?? LEGACY\n  }\n  abstract?: number\n  [key: string]: unknown\n}\n",
    "describe('suite', () => {\n  it('works', async () => {\n    await run(legacy as Legacy)\n  })\n  const local: number = 1\n})\n",
];

/// Lines an edit writes into TypeScript: JavaScript's hazards and the type syntax around them.
const TS_LINES: &[&str] = &[
    "interface Added {",
    "  field: number",
    "type T = string",
    "  | number",
    "enum E { A }",
    "function sig(): void",
    "{",
    "}",
    "as const",
    "satisfies Thing",
    ": number",
    "<T>(x: T) => x",
    "export type { X } from './x'",
    "abstract class A {}",
    "declare const d: number",
    "(paren)",
    "[index]",
    "`template`",
    "const added: Legacy = legacy;",
    "legacy()",
    "",
    "// note",
    "/*",
    "*/",
    "in other",
    ".chained()",
    "export function exported(): void {}",
    "  method(): void {",
    "  }",
    "  field: number = legacy",
    "  [key: string]: unknown",
    "  private x = 1",
    "  get value(): number { return 1 }",
    "  return legacy",
    "  <T>(x: T) => x",
    "  (paren)",
    "  })",
];

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize),
    Insert(usize, usize),
    Replace(usize, usize),
    Duplicate(usize),
}

/// An edit writing one of `lines` lines.
fn edit(lines: usize) -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), 0..lines).prop_map(|(at, line)| Edit::Insert(at, line)),
        (any::<usize>(), 0..lines).prop_map(|(at, line)| Edit::Replace(at, line)),
        any::<usize>().prop_map(Edit::Duplicate),
    ]
}

/// A long line for a class or a braced body: only a statement of 1 KiB or more has its body's
/// statements parsed apart, and the generated pieces are short.
fn pad_line(python: bool, indent: &str) -> String {
    let long = "x".repeat(1100);
    if python {
        format!("{indent}_pad = '{long}'\n")
    } else {
        format!("{indent}// {long}\n")
    }
}

/// A piece of a file with a long line in its class's or braced body's last statements: a Python
/// class gets a statement at the end of its body, a JavaScript statement that ends in a `}` line
/// a comment before that line.
fn padded(block: &str, python: bool) -> String {
    let lines: Vec<&str> = block.lines().collect();
    if python {
        let Some(class) = lines.iter().position(|line| line.starts_with("class ")) else {
            return block.to_string();
        };
        let Some(indent) = lines[class + 1..]
            .iter()
            .find(|line| line.starts_with([' ', '\t']))
            .map(|line| &line[..line.len() - line.trim_start().len()])
        else {
            return block.to_string();
        };
        return format!("{block}{}", pad_line(true, indent));
    }
    match lines.split_last() {
        Some((last, body)) if body.len() >= 2 && last.starts_with('}') => {
            let mut out: String = body.iter().map(|line| format!("{line}\n")).collect();
            out.push_str(&pad_line(false, "  "));
            out.push_str(&block[block.len() - last.len() - 1..]);
            out
        }
        _ => block.to_string(),
    }
}

/// A language's generated files: a path that names the language, the pieces of a base, and the
/// lines an edit writes.
struct Corpus {
    path: &'static str,
    blocks: &'static [&'static str],
    lines: &'static [&'static str],
}

const PYTHON: Corpus = Corpus {
    path: "module.py",
    blocks: BLOCKS,
    lines: LINES,
};
const JAVASCRIPT: Corpus = Corpus {
    path: "module.js",
    blocks: JS_BLOCKS,
    lines: JS_LINES,
};
const TYPESCRIPT: Corpus = Corpus {
    path: "module.ts",
    blocks: TS_BLOCKS,
    lines: TS_LINES,
};

impl Corpus {
    fn language(&self) -> &'static Language {
        conflictguard::lang::for_path(self.path).expect("the language is registered")
    }

    fn base(&self, blocks: &[usize]) -> String {
        let python = self.path.ends_with(".py");
        blocks
            .iter()
            .map(|&block| padded(self.blocks[block], python))
            .collect()
    }

    fn edited(&self, base: &str, edits: &[Edit]) -> String {
        edited_with(base, edits, &|line| self.lines[line])
    }
}

fn edited_with(base: &str, edits: &[Edit], pick: &dyn Fn(usize) -> &'static str) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for edit in edits {
        let len = lines.len().max(1);
        match *edit {
            Edit::Delete(at) if !lines.is_empty() => {
                lines.remove(at % len);
            }
            Edit::Insert(at, line) => lines.insert(at % (lines.len() + 1), pick(line).into()),
            Edit::Replace(at, line) if !lines.is_empty() => lines[at % len] = pick(line).into(),
            Edit::Duplicate(at) if !lines.is_empty() => {
                let line = lines[at % len].clone();
                lines.insert(at % len, line);
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

/// Every field of every occurrence, and the parse's flags.
fn summary(parsed: &ParsedFile) -> Vec<String> {
    let mut all: Vec<String> = parsed
        .occurrences
        .iter()
        .map(|o| format!("{o:?}"))
        .collect();
    all.push(format!(
        "error {} failed {}",
        parsed.has_syntax_error, parsed.failed
    ));
    all
}

/// `version` parsed from `base`'s tree and occurrences, whether it was spliced (a spliced parse
/// has no tree of its own), and `version` parsed whole.
fn both(language: &Language, base: &str, version: &str) -> (ParsedFile, bool, ParsedFile) {
    let limit = syntax::PARSE_TIME_LIMIT;
    let (base_parsed, tree) = syntax::parse_from(language, base.as_bytes(), None, limit);
    let tree = tree.expect("the language has a syntax tree");
    let earlier = Earlier {
        text: base.as_bytes(),
        tree: Some(&tree),
        parsed: Some(&base_parsed),
    };
    let (from_base, own_tree) =
        syntax::parse_from(language, version.as_bytes(), Some(earlier), limit);
    // The base's occurrences alone (its tree let go, as when an earlier merge of a range parsed
    // it): the same splice, or a whole parse.
    let without_tree = Earlier {
        text: base.as_bytes(),
        tree: None,
        parsed: Some(&base_parsed),
    };
    let (from_occurrences, _) =
        syntax::parse_from(language, version.as_bytes(), Some(without_tree), limit);
    assert_eq!(summary(&from_base), summary(&from_occurrences), "{version}");
    (
        from_base,
        own_tree.is_none(),
        syntax::parse(language, version.as_bytes()),
    )
}

const MODULE: &str = "import os\n\nLEGACY = 1\n\n\ndef helper(x):\n    return os.path.join(x, str(LEGACY))\n\n\nclass Client:\n    retries = 1\n\n    def fetch(self, url):\n        return helper(url)\n\n    def close(self):\n        self.open = False\n\n\ndef main():\n    Client().fetch('x')\n";

/// [`MODULE`] with its class past 1 KiB (a long statement after its first), so that its body's
/// statements are parsed apart.
fn module() -> String {
    MODULE.replace(
        "    retries = 1\n",
        &format!("    retries = 1\n{}", pad_line(true, "    ")),
    )
}

#[test]
fn a_version_changed_in_one_method_is_spliced_and_finds_what_a_whole_parse_finds() {
    let module = module();
    let cases = [
        // One method's body.
        module.replace("return helper(url)", "return helper(url, LEGACY)"),
        // A method added between two others, and one removed.
        module.replace(
            "    def close(self):",
            "    def reset(self):\n        self.retries = 0\n\n    def close(self):",
        ),
        module.replace("    def close(self):\n        self.open = False\n", ""),
        // A top-level function, and lines added at the end.
        module.replace("    return os.path.join(x, str(LEGACY))", "    return x"),
        format!("{module}\n\ndef extra():\n    return main()\n"),
    ];
    for version in &cases {
        let (from_base, spliced, whole) = both(PYTHON.language(), &module, version);
        assert!(spliced, "not spliced:\n{version}");
        assert_eq!(summary(&from_base), summary(&whole), "{version}");
    }
}

/// A definition of a class's own name near the class's start reads as the class's name, not as a
/// member of it: a splice keeps each statement's distance from the start of the class.
#[test]
fn a_definition_named_as_its_class_reads_the_same_when_the_statements_before_it_change() {
    let base = format!(
        "class Named:\n    x = 1\n    Named = 2\n\n    def other(self):\n        return 1\n\n    def more(self):\n        return 2\n\n    def most(self):\n        return 3\n{}",
        pad_line(true, "    ")
    );
    let base = base.as_str();
    let versions = [
        // The statement before `Named = 2` grows past the rule's reach, and shrinks.
        base.replace(
            "x = 1",
            "x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]",
        ),
        base.replace("return 1", "return Named"),
    ];
    let long = versions[0].clone();
    let (from_long, _, whole) = both(PYTHON.language(), &long, base);
    assert_eq!(summary(&from_long), summary(&whole), "{base}");
    for version in &versions {
        let (from_base, _, whole) = both(PYTHON.language(), base, version);
        assert_eq!(summary(&from_base), summary(&whole), "{version}");
    }
}

#[test]
fn a_version_whose_change_does_not_stand_alone_is_parsed_whole() {
    let cases = [
        // An `else:` after an untouched `if`, and a method's lines dedented to the top level at
        // the class's end: neither part parses alone as the whole file reads it.
        "if ready:\n    go()\n\nvalue = 1\n",
        // A string opened in one statement that swallows the next.
        "def a():\n    return 1\n\ndef b():\n    return 2\n",
    ];
    let versions = [
        "if ready:\n    go()\n\nelse:\n    stop()\n",
        "def a():\n    return '''1\n\ndef b():\n    return 2'''\n",
    ];
    for (base, version) in cases.iter().zip(versions) {
        let (from_base, _, whole) = both(PYTHON.language(), base, version);
        assert_eq!(
            summary(&from_base),
            summary(&whole),
            "{base}\n->\n{version}"
        );
    }
    let (_, spliced, _) = both(PYTHON.language(), cases[0], versions[0]);
    assert!(
        !spliced,
        "an `else:` alone is an error: the version is parsed whole"
    );
}

const JS_MODULE: &str = "'use strict'\n\nconst legacy = require('./legacy')\nconst LEGACY = 1;\n\nfunction helper(x) {\n  return legacy.join(x, LEGACY)\n}\n\nclass Client {\n  fetch(url) {\n    return helper(url)\n  }\n}\n\nexport function main() {\n  new Client().fetch('x')\n}\n\nmodule.exports = { helper, Client }\n";

#[test]
fn a_javascript_version_changed_in_one_declaration_is_spliced_and_finds_what_a_whole_parse_finds() {
    let cases = [
        // One function's body; a statement without its `;` removed, before a declaration.
        JS_MODULE.replace("return legacy.join(x, LEGACY)", "return legacy.join(x)"),
        JS_MODULE.replace("const LEGACY = 1;\n", ""),
        // A declaration added between two others, and lines added at the end.
        JS_MODULE.replace(
            "class Client {",
            "function extra() {\n  return 2\n}\n\nclass Client {",
        ),
        format!("{JS_MODULE}\nexport function later() {{\n  return main()\n}}\n"),
    ];
    for version in &cases {
        let (from_base, spliced, whole) = both(JAVASCRIPT.language(), JS_MODULE, version);
        assert!(spliced, "not spliced:\n{version}");
        assert_eq!(summary(&from_base), summary(&whole), "{version}");
    }
    // One method of the class a module exports, and one test of a suite: parsed in their bodies.
    // (A long comment first in each body makes the statement long enough to be parsed apart.)
    let long = pad_line(false, "  ");
    let class_module = format!("const Emitter = require('events')\n\nmodule.exports = class Application extends Emitter {{\n{long}  constructor() {{\n    super()\n    this.middleware = []\n  }}\n\n  use(fn) {{\n    this.middleware.push(fn)\n    return this\n  }}\n\n  listen(...args) {{\n    return legacy(this, args)\n  }}\n}}\n");
    let suite = format!("describe('app', () => {{\n{long}  it('uses', () => {{\n    app.use(legacy)\n  }})\n\n  it('listens', () => {{\n    app.listen()\n  }})\n}})\n");
    let (class_module, suite) = (class_module.as_str(), suite.as_str());
    for (base, version) in [
        (
            class_module,
            class_module.replace("return legacy(this, args)", "return this.server(args)"),
        ),
        (
            class_module,
            class_module.replace(
                "  use(fn) {",
                "  get env() {\n    return 'dev'\n  }\n\n  use(fn) {",
            ),
        ),
        (suite, suite.replace("app.use(legacy)", "app.use(fresh)")),
    ] {
        let (from_base, spliced, whole) = both(JAVASCRIPT.language(), base, &version);
        assert!(spliced, "not spliced:\n{version}");
        assert_eq!(summary(&from_base), summary(&whole), "{version}");
    }
    let typescript = JS_MODULE.replace("function helper(x)", "function helper(x: string): string");
    let version = typescript.replace("new Client()", "new Client(LEGACY)");
    let (from_base, spliced, whole) = both(TYPESCRIPT.language(), &typescript, &version);
    assert!(spliced, "not spliced:\n{version}");
    assert_eq!(summary(&from_base), summary(&whole), "{version}");
}

/// A line that starts a comment may hold a byte that ends it before the line's end (a NUL, where
/// tree-sitter's lexers stop; a carriage return, a line terminator of JavaScript and Python): what
/// follows is code, so the line is parsed, not passed over as a comment (the fuzz target's find).
#[test]
fn a_comment_line_that_a_nul_or_a_carriage_return_cuts_short_is_parsed() {
    let base = "// Service endpoints.\nexport const API_BASE = 1;\nexport const TIMEOUT = 2;\n";
    for (corpus, version) in [
        (&TYPESCRIPT, base.replace("endpoints.", "\0legacy;oints.")),
        (&JAVASCRIPT, base.replace("endpoints.", "\rlegacy();")),
        (
            &PYTHON,
            "# Service endpoints.\nAPI_BASE = 1\nTIMEOUT = 2\n".replace("endpoints.", "\rlegacy()"),
        ),
    ] {
        let base = if corpus.path.ends_with(".py") {
            "# Service endpoints.\nAPI_BASE = 1\nTIMEOUT = 2\n"
        } else {
            base
        };
        let (from_base, _, whole) = both(corpus.language(), base, &version);
        assert_eq!(summary(&from_base), summary(&whole), "{version:?}");
    }
}

#[test]
fn a_javascript_version_whose_change_automatic_semicolons_would_join_is_parsed_whole() {
    // A line that starts with `(` or `[` continues an expression before it that has no `;`,
    // and a line added after such an expression may be continued by the untouched one after it.
    let base = "const a = b\nfoo()\n";
    let versions = [
        "const a = b\n(foo)()\n",
        "const a = b\n[1].map(foo)\n",
        "const a = b\nfoo()\nconst c = d\n",
    ];
    for version in versions {
        let (from_base, _, whole) = both(JAVASCRIPT.language(), base, version);
        assert_eq!(summary(&from_base), summary(&whole), "{version}");
    }
    let (_, spliced, _) = both(JAVASCRIPT.language(), base, versions[0]);
    assert!(
        !spliced,
        "`(` after `const a = b` continues it: parsed whole"
    );
}

/// A spliced parse of `corpus`'s generated base edited by `edits` against a whole parse.
fn spliced_as_whole(
    corpus: &Corpus,
    blocks: &[usize],
    edits: &[Edit],
) -> Result<(), TestCaseError> {
    let base = corpus.base(blocks);
    let version = corpus.edited(&base, edits);
    let (from_base, _, whole) = both(corpus.language(), &base, &version);
    prop_assert_eq!(
        summary(&from_base),
        summary(&whole),
        "{}\n->\n{}",
        base,
        version
    );
    Ok(())
}

/// A version spliced from a base that was itself spliced (as in a range audit, where one merge's
/// version is a later merge's base): the layout a splice leaves is as good as a whole parse's.
fn spliced_twice_as_whole(
    corpus: &Corpus,
    blocks: &[usize],
    first: &[Edit],
    second: &[Edit],
) -> Result<(), TestCaseError> {
    let base = corpus.base(blocks);
    let middle = corpus.edited(&base, first);
    let last = corpus.edited(&middle, second);
    let language = corpus.language();
    let limit = syntax::PARSE_TIME_LIMIT;
    let (base_parsed, tree) = syntax::parse_from(language, base.as_bytes(), None, limit);
    let earlier = Earlier {
        text: base.as_bytes(),
        tree: tree.as_ref(),
        parsed: Some(&base_parsed),
    };
    let (middle_parsed, _) = syntax::parse_from(language, middle.as_bytes(), Some(earlier), limit);
    let earlier = Earlier {
        text: middle.as_bytes(),
        tree: None,
        parsed: Some(&middle_parsed),
    };
    let (last_parsed, _) = syntax::parse_from(language, last.as_bytes(), Some(earlier), limit);
    let whole = syntax::parse(language, last.as_bytes());
    prop_assert_eq!(
        summary(&last_parsed),
        summary(&whole),
        "{}\n->\n{}\n->\n{}",
        base,
        middle,
        last
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn a_spliced_parse_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..BLOCKS.len(), 1..8),
        edits in prop::collection::vec(edit(LINES.len()), 1..5),
    ) {
        spliced_as_whole(&PYTHON, &blocks, &edits)?;
    }

    #[test]
    fn a_version_spliced_from_a_spliced_one_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..BLOCKS.len(), 1..8),
        first in prop::collection::vec(edit(LINES.len()), 1..4),
        second in prop::collection::vec(edit(LINES.len()), 1..4),
    ) {
        spliced_twice_as_whole(&PYTHON, &blocks, &first, &second)?;
    }

    #[test]
    fn a_spliced_javascript_parse_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..JS_BLOCKS.len(), 1..10),
        edits in prop::collection::vec(edit(JS_LINES.len()), 1..5),
    ) {
        spliced_as_whole(&JAVASCRIPT, &blocks, &edits)?;
    }

    #[test]
    fn a_javascript_version_spliced_from_a_spliced_one_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..JS_BLOCKS.len(), 1..10),
        first in prop::collection::vec(edit(JS_LINES.len()), 1..4),
        second in prop::collection::vec(edit(JS_LINES.len()), 1..4),
    ) {
        spliced_twice_as_whole(&JAVASCRIPT, &blocks, &first, &second)?;
    }

    #[test]
    fn a_spliced_typescript_parse_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..TS_BLOCKS.len(), 1..10),
        edits in prop::collection::vec(edit(TS_LINES.len()), 1..5),
    ) {
        spliced_as_whole(&TYPESCRIPT, &blocks, &edits)?;
    }

    #[test]
    fn a_typescript_version_spliced_from_a_spliced_one_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..TS_BLOCKS.len(), 1..10),
        first in prop::collection::vec(edit(TS_LINES.len()), 1..4),
        second in prop::collection::vec(edit(TS_LINES.len()), 1..4),
    ) {
        spliced_twice_as_whole(&TYPESCRIPT, &blocks, &first, &second)?;
    }
}
