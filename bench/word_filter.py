#!/usr/bin/env python3
"""Measures, on real merges, how often a word test could spare the parse of a changed file.

    python3 bench/word_filter.py --repos repos.txt [--sample 200]

For each sampled two-parent merge with one merge base, and each side S, every JavaScript,
TypeScript or Python file S modified whose result differs from S's version is a (file, side)
pair: the pairs the per-file rules look at. Two tests that could leave a pair unparsed:

- the line test: the lines of the result that are not S's own (a line diff from S's version)
  share no word with the base's version of the file, keywords left out, and neither they nor the
  lines of S that the result dropped hold a quote, comment starter, backslash, `/` or `<` (what can
  change how the lines around them are read). This needs no parse at all;
- the name test, which conflictguard runs (`rules::resurrection::result_may_bring_back`): the
  base and S are parsed, and the result only where its text holds a name S removed. Here the names
  are approximated by the words of the base and of S outside comments and strings.

Prints, per repository, the pairs and the share each test would leave unparsed. `repos.txt` holds
one git directory a line (`owner/name=DIR` or DIR), as for bench/history.py.
"""

import argparse
import collections
import difflib
import re
import subprocess

PY_KEYWORDS = set("False None True and as assert async await break class continue def del elif "
                  "else except finally for from global if import in is lambda nonlocal not or "
                  "pass raise return try while with yield".split())
JS_KEYWORDS = set("break case catch class const continue debugger default delete do else export "
                  "extends false finally for function if import in instanceof new null return "
                  "super switch this throw true try typeof var void while with yield let static "
                  "await".split())
WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
PY_NOT_CODE = re.compile(r"#[^\n]*|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:\\.|[^\"\\\n])*\"|"
                         r"'(?:\\.|[^'\\\n])*'")
JS_NOT_CODE = re.compile(r"//[^\n]*|/\*[\s\S]*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|"
                         r"`(?:\\.|[^`\\])*`")
EXTENSIONS = ("py", "js", "mjs", "cjs", "jsx", "ts", "tsx")


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], capture_output=True).stdout


def text(repo, rev, path):
    return git(repo, "cat-file", "blob", f"{rev}:{path}").decode("utf-8", "replace")


def names(source, python):
    code = (PY_NOT_CODE if python else JS_NOT_CODE).sub(" ", source)
    return set(WORD.findall(code)) - (PY_KEYWORDS if python else JS_KEYWORDS)


def line_test(base, side, result, python):
    side_lines, result_lines = side.split("\n"), result.split("\n")
    inserted, dropped = [], []
    matcher = difflib.SequenceMatcher(None, side_lines, result_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            dropped += side_lines[i1:i2]
        if tag in ("replace", "insert"):
            inserted += result_lines[j1:j2]
    keywords = PY_KEYWORDS if python else JS_KEYWORDS
    shared = set(WORD.findall("\n".join(inserted))) & set(WORD.findall(base))
    delimiters = re.compile(r"[\"'`\\#]" if python else r"[\"'`\\/<]")
    return not (shared - keywords) and not any(delimiters.search(l) for l in inserted + dropped)


def name_test(base, side, result, python):
    removed = names(base, python) - names(side, python)
    return not (removed & set(WORD.findall(result)))


def measure(name, repo, sample):
    merges = git(repo, "rev-list", "--merges", "--all", "--max-parents=2",
                 "--date-order").decode().split()
    merges = merges[::max(1, len(merges) // sample)][:sample]
    counts = collections.Counter()
    for merge in merges:
        parents = git(repo, "rev-list", "--parents", "-n1", merge).decode().split()[1:]
        bases = git(repo, "merge-base", "--all", *parents).decode().split()
        if len(parents) != 2 or len(bases) != 1:
            continue
        for side in parents:
            status = git(repo, "diff", "--no-renames", "--name-status", bases[0], side).decode()
            for line in status.splitlines():
                state, path = line.split("\t", 1)
                if state != "M" or path.rsplit(".", 1)[-1] not in EXTENSIONS:
                    continue
                result_oid = git(repo, "rev-parse", f"{merge}:{path}").strip()
                if not result_oid or result_oid == git(repo, "rev-parse", f"{side}:{path}").strip():
                    continue
                python = path.endswith(".py")
                versions = [text(repo, rev, path) for rev in (bases[0], side, merge)]
                counts["pairs"] += 1
                counts["line test"] += line_test(*versions, python)
                counts["name test"] += name_test(*versions, python)
    pairs = counts["pairs"] or 1
    print(f"{name}: {len(merges)} merges, {counts['pairs']} (file, side) pairs; left unparsed by "
          f"the line test {counts['line test'] / pairs:.0%}, by the name test "
          f"{counts['name test'] / pairs:.0%}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", required=True, help="a file with one git directory a line")
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    for line in open(args.repos):
        line = line.strip()
        if line:
            name, _, repo = line.rpartition("=")
            measure(name or repo, repo, args.sample)


if __name__ == "__main__":
    main()
