//! A version of a Python file parsed only where it changed (`syntax::splice`) finds exactly what a
//! whole parse finds: on generated files of classes, decorators, compound statements, brackets,
//! strings that hold column-0 lines and comments at every indentation, edited line by line with
//! lines that end, open or continue statements.

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

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize),
    Insert(usize, usize),
    Replace(usize, usize),
    Duplicate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), 0..LINES.len()).prop_map(|(at, line)| Edit::Insert(at, line)),
        (any::<usize>(), 0..LINES.len()).prop_map(|(at, line)| Edit::Replace(at, line)),
        any::<usize>().prop_map(Edit::Duplicate),
    ]
}

fn edited(base: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for edit in edits {
        let len = lines.len().max(1);
        match *edit {
            Edit::Delete(at) if !lines.is_empty() => {
                lines.remove(at % len);
            }
            Edit::Insert(at, line) => lines.insert(at % (lines.len() + 1), LINES[line].into()),
            Edit::Replace(at, line) if !lines.is_empty() => lines[at % len] = LINES[line].into(),
            Edit::Duplicate(at) if !lines.is_empty() => {
                let line = lines[at % len].clone();
                lines.insert(at % len, line);
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

fn python() -> &'static Language {
    conflictguard::lang::for_path("module.py").expect("Python is registered")
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
fn both(base: &str, version: &str) -> (ParsedFile, bool, ParsedFile) {
    let language = python();
    let limit = syntax::PARSE_TIME_LIMIT;
    let (base_parsed, tree) = syntax::parse_from(language, base.as_bytes(), None, limit);
    let tree = tree.expect("Python has a syntax tree");
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

#[test]
fn a_version_changed_in_one_method_is_spliced_and_finds_what_a_whole_parse_finds() {
    let cases = [
        // One method's body.
        MODULE.replace("return helper(url)", "return helper(url, LEGACY)"),
        // A method added between two others, and one removed.
        MODULE.replace(
            "    def close(self):",
            "    def reset(self):\n        self.retries = 0\n\n    def close(self):",
        ),
        MODULE.replace("    def close(self):\n        self.open = False\n", ""),
        // A top-level function, and lines added at the end.
        MODULE.replace("    return os.path.join(x, str(LEGACY))", "    return x"),
        format!("{MODULE}\n\ndef extra():\n    return main()\n"),
    ];
    for version in &cases {
        let (from_base, spliced, whole) = both(MODULE, version);
        assert!(spliced, "not spliced:\n{version}");
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
        let (from_base, _, whole) = both(base, version);
        assert_eq!(
            summary(&from_base),
            summary(&whole),
            "{base}\n->\n{version}"
        );
    }
    let (_, spliced, _) = both(cases[0], versions[0]);
    assert!(
        !spliced,
        "an `else:` alone is an error: the version is parsed whole"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn a_spliced_parse_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..BLOCKS.len(), 1..8),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let base: String = blocks.iter().map(|&block| BLOCKS[block]).collect();
        let version = edited(&base, &edits);
        let (from_base, _, whole) = both(&base, &version);
        prop_assert_eq!(summary(&from_base), summary(&whole), "{}\n->\n{}", base, version);
    }

    /// A version spliced from a base that was itself spliced (as in a range audit, where one
    /// merge's version is a later merge's base): the layout a splice leaves is as good as a
    /// whole parse's.
    #[test]
    fn a_version_spliced_from_a_spliced_one_finds_what_a_whole_parse_finds(
        blocks in prop::collection::vec(0..BLOCKS.len(), 1..8),
        first in prop::collection::vec(edit(), 1..4),
        second in prop::collection::vec(edit(), 1..4),
    ) {
        let base: String = blocks.iter().map(|&block| BLOCKS[block]).collect();
        let middle = edited(&base, &first);
        let last = edited(&middle, &second);
        let language = python();
        let limit = syntax::PARSE_TIME_LIMIT;
        let (base_parsed, tree) = syntax::parse_from(language, base.as_bytes(), None, limit);
        let earlier = Earlier { text: base.as_bytes(), tree: tree.as_ref(), parsed: Some(&base_parsed) };
        let (middle_parsed, _) = syntax::parse_from(language, middle.as_bytes(), Some(earlier), limit);
        let earlier = Earlier { text: middle.as_bytes(), tree: None, parsed: Some(&middle_parsed) };
        let (last_parsed, _) = syntax::parse_from(language, last.as_bytes(), Some(earlier), limit);
        let whole = syntax::parse(language, last.as_bytes());
        prop_assert_eq!(summary(&last_parsed), summary(&whole), "{}\n->\n{}\n->\n{}", base, middle, last);
    }
}
