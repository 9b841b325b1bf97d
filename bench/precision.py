#!/usr/bin/env python3
"""Precision and recall on merges built from real code.

For consecutive releases v_k, v_k+1 of real Python (PyPI sdists), JavaScript and TypeScript (npm
tarballs; the TypeScript packages chosen because their releases ship their `.ts`/`.tsx` sources)
packages, builds a repository whose base is v_k, splits the files that changed in v_k+1 into two
halves by a hash of their path, commits one half on `ours` and the other on `theirs`, merges them
with `git merge` (clean: the halves are disjoint) and audits the merge. The result is the released
v_k+1, a consistent program, so every finding on it is a false alarm.

Recall: the same release pairs, where v_k+1 deliberately removed top-level definitions from a file
(a function, class or variable whose name no longer appears in that file). `theirs` is v_k+1,
`ours` is v_k with a line added to each such file, and the resolution keeps `ours`'s stale file:
every removed definition must be reported (as the finding's name, or named in the message of the
function or class that brings it back). The same merge resolved correctly (v_k+1's file plus the
feature's line) must report nothing.

Recall through imports: the same release pairs, where `theirs` (the feature) adds a new module
beside each such file that imports every removed definition from it (`from .mod import name`,
`import { name } from './mod'`, or a destructured `require` in CommonJS code) and uses it; `ours`
is v_k+1. The merge is clean and each import fails at run time: each must be reported (CG003) in
the new module. Its twin imports, the same way, definitions the file still has: nothing may be
reported.

Both measures are printed per language (the language a package is written in) and in total.

Settings and dependencies (CG006-CG008), apart: the same release pairs with each release's
configuration files as well (`package.json`, `pyproject.toml`, `requirements*.txt`, `.env*`, and
JSON, YAML and TOML files that are configuration by conflictguard's path conventions; lock files
never). Precision: the clean half-and-half merge of the whole release, where every CG006-CG008
finding is a false alarm. Recall: where v_k+1 removed dependencies (by package name, from every
group) or keys (by key path, maps only: list items are not enumerated here) from a settings file,
`theirs` is v_k+1, `ours` adds an unrelated file, and the resolution keeps v_k's settings files:
every removed dependency and key must be reported (as the finding's identifier or key path, or
inside a finding whose block brought it back); the correct resolution must report nothing.

Usage: bench/precision.py [--binary target/release/conflictguard] [--work DIR] [--settings-only]
Needs pip and npm with access to their registries; downloads are cached in --work.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

PACKAGES = [
    ("pypi", "python", "requests", ["2.28.0", "2.28.1", "2.28.2", "2.29.0", "2.30.0", "2.31.0", "2.32.0"]),
    ("pypi", "python", "flask", ["2.2.0", "2.2.5", "2.3.0", "2.3.3", "3.0.0", "3.0.3"]),
    ("pypi", "python", "click", ["8.0.0", "8.0.4", "8.1.0", "8.1.3", "8.1.7"]),
    ("pypi", "python", "httpx", ["0.23.0", "0.24.0", "0.25.0", "0.26.0", "0.27.0"]),
    ("npm", "javascript", "express", ["4.17.0", "4.18.0", "4.19.0", "4.21.0", "5.0.0", "5.1.0"]),
    ("npm", "javascript", "axios", ["1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0"]),
    ("npm", "javascript", "commander", ["9.0.0", "10.0.0", "11.0.0", "12.0.0"]),
    # Their npm releases ship src/ (.ts; react-query's also .tsx) beside the compiled dist/.
    ("npm", "typescript", "rxjs", ["7.0.0", "7.1.0", "7.3.0", "7.5.0", "7.8.0"]),
    ("npm", "typescript", "immer", ["9.0.0", "9.0.21", "10.0.0", "10.0.3", "10.1.1"]),
    ("npm", "typescript", "@tanstack/react-query", ["5.0.0", "5.8.1", "5.17.0", "5.28.0", "5.35.1"]),
]
LANGUAGES = ["python", "javascript", "typescript"]

SOURCE = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
ENV = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
           GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z",
           NO_COLOR="1")


def fetch(kind, name, version, cache):
    os.makedirs(cache, exist_ok=True)
    prefix = f"{name}-{version}"
    # `npm pack @scope/name` writes scope-name-version.tgz.
    tarball = f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    for entry in os.listdir(cache):
        if entry.startswith(prefix + ".") or entry == tarball:
            return os.path.join(cache, entry)
    if kind == "pypi":
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
                        ":all:", f"{name}=={version}", "-d", cache], check=True)
    else:
        subprocess.run(["npm", "pack", "-q", f"{name}@{version}"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    for entry in os.listdir(cache):
        if entry.lower().startswith(prefix.lower()) or entry == tarball:
            return os.path.join(cache, entry)
    raise SystemExit(f"download of {name} {version} not found")


def sources(archive):
    """The package's source files, path (without the top folder) to bytes."""
    files = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.endswith(SOURCE):
                continue
            parts = member.name.split("/", 1)
            if len(parts) < 2:
                continue
            handle = tar.extractfile(member)
            if handle:
                files[parts[1]] = handle.read()
    return files


SETTINGS_RULES = ("CG006", "CG007", "CG008")
LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml")
DATA_FOLDERS = {"test", "tests", "__tests__", "spec", "specs", "fixtures", "__fixtures__", "testdata",
                "test-data", "test_data", "__snapshots__", "__mocks__", "mocks", "e2e", "coverage",
                ".nyc_output", "locales",
                "locale", "i18n", "l10n", "translations", "lang", "langs", "messages", "schemas",
                "schema", "json-schema", "openapi", "swagger", "data", "datasets", "seeds",
                "samples", "examples"}


GENERATED_FOLDERS = {"dist", "build", "vendor", "_vendor", "node_modules", "web_modules"}


def settings_kind(path):
    """How conflictguard reads a settings file (None: not a settings file, or data)."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    folders = [part.lower() for part in path.split("/")[:-1]]
    if lower in LOCK_FILES or lower.endswith((".lock", "-lock.json", "-lock.yaml", ".lock.json")):
        return None
    # Generated and vendored folders are never read (precision rule 2), settings or not.
    if GENERATED_FOLDERS & set(folders):
        return None
    if name == ".env" or name.startswith(".env.") or (name.endswith(".env") and len(name) > 4):
        return "dotenv"
    if lower.endswith((".txt", ".in")) and ("requirements" in lower or (folders and folders[-1] == "requirements")):
        return "requirements"
    if not lower.endswith((".json", ".yaml", ".yml", ".toml")):
        return None
    stem = lower.rsplit(".", 1)[0]
    if (DATA_FOLDERS & set(folders) or stem == "schema" or stem.endswith((".schema", "-schema"))
            or stem in ("openapi", "swagger") or stem.endswith((".openapi", ".swagger"))):
        return None
    if name == "package.json":
        return "package.json"
    if name == "pyproject.toml":
        return "pyproject"
    return lower.rsplit(".", 1)[1].replace("yml", "yaml")


def settings_files(archive):
    """The package's settings files, path (without the top folder) to bytes."""
    files = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/", 1)
            if member.isfile() and len(parts) == 2 and settings_kind(parts[1]):
                handle = tar.extractfile(member)
                if handle:
                    files[parts[1]] = handle.read()
    return files


def key_path(parent, key, json_text=False):
    # conflictguard names a JSON key as written, escapes and all.
    key = json.dumps(key, ensure_ascii=False)[1:-1] if json_text else str(key)
    if not key or any(c in key for c in '.[]"') or any(c.isspace() for c in key):
        key = '"' + key.replace('"', '\\"') + '"'
    return f"{parent}.{key}" if parent else key


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def requirement_name(text):
    match = REQUIREMENT.match(text)
    if not match or text[match.end():match.end() + 1] in ("+", ":", "/"):
        return None
    return pep503(match.group(1))


def settings_names(path, data):
    """(dependencies, key paths) a settings file defines, as conflictguard names them; None when
    the file does not parse here."""
    kind = settings_kind(path)
    text = data.decode("utf-8", "replace")
    deps, keys = set(), set()
    try:
        if kind == "dotenv":
            for line in text.splitlines():
                match = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=", line)
                if match:
                    keys.add(match.group(1))
            return deps, keys
        if kind == "requirements":
            # Compiled requirements (pip-compile, uv) are lock files: conflictguard reads none.
            if "autogenerated by pip-compile" in text[:1024] or "This file was autogenerated by uv" in text[:1024]:
                return deps, keys
            for line in text.splitlines():
                name = requirement_name(line)
                if name:
                    deps.add(name)
            return deps, keys
        if kind in ("json", "package.json"):
            tree = json.loads(text)
        elif kind in ("toml", "pyproject"):
            import tomllib
            tree = tomllib.loads(text)
        else:
            import yaml
            tree = yaml.safe_load(text)
    except Exception:
        return None
    skip = set()
    if kind == "package.json" and isinstance(tree, dict):
        for group in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
            if isinstance(tree.get(group), dict):
                deps.update(tree[group])
                skip.add(group)
    if kind == "pyproject" and isinstance(tree, dict):
        project = tree.get("project", {})
        lists = [project.get("dependencies", [])] + list(project.get("optional-dependencies", {}).values())
        lists += list(tree.get("dependency-groups", {}).values())
        for items in lists:
            deps.update(filter(None, (requirement_name(item) for item in items if isinstance(item, str))))
        poetry = tree.get("tool", {}).get("poetry", {})
        tables = {"tool.poetry.dependencies": poetry.get("dependencies"),
                  "tool.poetry.dev-dependencies": poetry.get("dev-dependencies")}
        for group, body in poetry.get("group", {}).items():
            tables[f"tool.poetry.group.{group}.dependencies"] = body.get("dependencies")
        for table, body in tables.items():
            if isinstance(body, dict):
                deps.update(pep503(name) for name in body if name != "python")
                skip.add(table)
        skip.update({"project.dependencies"} | {f"project.optional-dependencies.{g}" for g in project.get("optional-dependencies", {})}
                    | {f"dependency-groups.{g}" for g in tree.get("dependency-groups", {})})
    work = [("", tree)]
    while work:
        parent, value = work.pop()
        if not isinstance(value, dict):
            continue
        for key, inner in value.items():
            path_here = key_path(parent, key, kind in ("json", "package.json"))
            if path_here in skip or key == "<<":
                continue
            keys.add(path_here)
            env_map = str(key) in ("env", "environment", "variables") and isinstance(inner, dict)
            if not env_map:
                work.append((path_here, inner))
            else:
                keys.update(key_path(path_here, variable) for variable in inner)
    return deps, keys


def settings_recall_case(binary, old, new):
    """A stale resolution of the settings files from which v_k+1 removed dependencies or keys."""
    targets = {}
    for path in sorted(set(old) & set(new)):
        if old[path] == new[path] or not settings_kind(path):
            continue
        before, after = settings_names(path, old[path]), settings_names(path, new[path])
        if before is None or after is None:
            continue
        deps, keys = before[0] - after[0], before[1] - after[1]
        if deps or keys:
            targets[path] = (deps, keys)
    if not targets:
        return None
    feature = dict(old)
    feature["cg_feature_note.txt"] = b"feature\n"
    stale, correct = dict(new), dict(new)
    stale["cg_feature_note.txt"] = correct["cg_feature_note.txt"] = b"feature\n"
    for path in targets:
        stale[path] = old[path]
    findings, notes = resolve_and_audit(binary, old, new, feature, stale)
    false_alarms, _ = resolve_and_audit(binary, old, new, feature, correct)
    ours = [f for f in findings if f["rule"] in SETTINGS_RULES]
    # Precision rule 1, as for code: a release that deleted half its files gets one notice.
    for note in notes:
        if note.startswith("mass deletion"):
            print(f"    {note}")
    outcome = {"deps": [0, 0], "keys": [0, 0]}
    missed = []
    for path, (deps, keys) in targets.items():
        here = [f for f in ours if f["path"] == path]
        def reported(name, key):
            return any(pep503(f["identifier"]) == pep503(name) if not key else
                       (f["key_path"] == name or f"`{name}`" in f["message"]
                        or any(inner["identifier"] == name for inner in f["inside"]))
                       for f in here)
        for kind, names in (("deps", deps), ("keys", keys)):
            for name in sorted(names):
                outcome[kind][0] += 1
                if reported(name, kind == "keys"):
                    outcome[kind][1] += 1
                else:
                    missed.append(f"{path}: {name}")
    elsewhere = [f for f in ours if f["path"] not in targets]
    elsewhere += [f for f in false_alarms if f["rule"] in SETTINGS_RULES]
    return outcome, missed, elsewhere


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, env=ENV, check=True,
                          capture_output=True).stdout.decode()


def write_tree(repo, files):
    for entry in os.listdir(repo):
        if entry != ".git":
            path = os.path.join(repo, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    for path, data in files.items():
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(data)
    git(repo, "add", "-A")


def merge_case(binary, old, new):
    changed = sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p))
    half = {p: int(hashlib.sha1(p.encode()).hexdigest(), 16) % 2 for p in changed}
    def side(bit):
        files = dict(old)
        for path in changed:
            if half[path] == bit:
                if path in new:
                    files[path] = new[path]
                else:
                    files.pop(path, None)
        return files
    with tempfile.TemporaryDirectory() as repo:
        git(repo, "init", "-q", "-b", "ours")
        write_tree(repo, old)
        git(repo, "commit", "-q", "--allow-empty", "-m", "base")
        git(repo, "checkout", "-q", "-b", "theirs")
        write_tree(repo, side(1))
        git(repo, "commit", "-q", "--allow-empty", "-m", "theirs")
        git(repo, "checkout", "-q", "ours")
        write_tree(repo, side(0))
        git(repo, "commit", "-q", "--allow-empty", "-m", "ours")
        git(repo, "merge", "-q", "--no-edit", "theirs")
        output = subprocess.run([binary, "audit", "HEAD", "--format", "json"], cwd=repo, env=ENV,
                                capture_output=True)
        if output.returncode == 2:
            raise SystemExit(output.stderr.decode())
        report = json.loads(output.stdout)
        return len(changed), report["findings"]


PY_DEF = re.compile(rb"^(?:async def|def|class) ([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=[^=]", re.M)
JS_DEF = re.compile(rb"^(?:export )?(?:default )?(?:async )?(?:function\*?|class|const|let|var) ([A-Za-z_$][\w$]*)", re.M)
TS_DEF = re.compile(rb"^(?:export )?(?:default )?(?:declare )?(?:abstract )?(?:async )?"
                    rb"(?:function\*?|class|interface|type|(?:const )?enum|namespace|const|let|var) ([A-Za-z_$][\w$]*)", re.M)


def removed_definitions(path, old, new):
    if path.endswith(".py"):
        pattern = PY_DEF
    elif path.endswith((".ts", ".mts", ".cts", ".tsx")):
        pattern = TS_DEF
    else:
        pattern = JS_DEF
    names = set()
    for match in pattern.finditer(old):
        name = next(group for group in match.groups() if group)
        if not re.search(rb"(?<![\w$])" + re.escape(name) + rb"(?![\w$])", new):
            names.add(name.decode())
    return names


def resolve_and_audit(binary, old, new, feature, result):
    """Merges main (new) into feature, commits `result` as the resolution, audits it."""
    with tempfile.TemporaryDirectory() as repo:
        git(repo, "init", "-q", "-b", "feature")
        write_tree(repo, old)
        git(repo, "commit", "-q", "--allow-empty", "-m", "base")
        git(repo, "checkout", "-q", "-b", "main")
        write_tree(repo, new)
        git(repo, "commit", "-q", "--allow-empty", "-m", "main removes definitions")
        git(repo, "checkout", "-q", "feature")
        write_tree(repo, feature)
        git(repo, "commit", "-q", "--allow-empty", "-m", "feature")
        subprocess.run(["git", "merge", "-q", "--no-commit", "main"], cwd=repo, env=ENV,
                       capture_output=True)
        write_tree(repo, result)
        git(repo, "commit", "-q", "--no-verify", "-m", "Merge branch 'main' into feature")
        output = subprocess.run([binary, "audit", "HEAD", "--format", "json"], cwd=repo, env=ENV,
                                capture_output=True)
        if output.returncode == 2:
            raise SystemExit(output.stderr.decode())
        report = json.loads(output.stdout)
        notes = [note["message"] for merge in report["merges"] for note in merge["notes"]]
        return report["findings"], notes


def recall_case(binary, old, new):
    targets = {}
    for path in sorted(set(old) & set(new)):
        generated = any(part in ("dist", "build", "vendor", "node_modules") for part in path.split("/"))
        if old[path] != new[path] and not generated and not path.endswith(".min.js"):
            names = removed_definitions(path, old[path], new[path])
            if names:
                targets[path] = names
    if not targets:
        return None
    through_imports = import_recall_case(binary, old, new, targets)
    feature = dict(old)
    for path in targets:
        marker = b"# feature note\n" if path.endswith(".py") else b"// feature note\n"
        feature[path] = old[path] + marker
    stale = dict(new)
    correct = dict(new)
    for path in targets:
        stale[path] = feature[path]
        correct[path] = new[path] + feature[path][len(old[path]):]
    findings, notes = resolve_and_audit(binary, old, new, feature, stale)
    false_alarms, _ = resolve_and_audit(binary, old, new, feature, correct)
    expected = found = 0
    missed = []
    for path, names in targets.items():
        here = [f for f in findings if f["path"] == path]
        for name in sorted(names):
            expected += 1
            if any(f["identifier"] == name or f"`{name}`" in f["message"] for f in here):
                found += 1
            else:
                missed.append(f"{path}: {name}")
    elsewhere = [f for f in findings if f["path"] not in targets] + false_alarms
    # Precision rule 1: a release that deleted half of the files (a reshuffled build output
    # included) gets one notice instead of a finding per name; its removals count as missed.
    mass = [note for note in notes if note.startswith("mass deletion")]
    return expected, found, missed, elsewhere, mass, through_imports


def probe_module(path, names, old_text):
    """A new module beside `path` that imports `names` from it and uses each: (path, bytes)."""
    folder, file = os.path.split(path)
    stem, ext = os.path.splitext(file)
    probe = os.path.join(folder, f"cg_probe_{stem}{ext}") if folder else f"cg_probe_{stem}{ext}"
    names = sorted(names)
    if ext == ".py":
        source = "." if stem == "__init__" else f".{stem}"
        lines = [f"from {source} import {', '.join(names)}", ""]
        lines += [f"print({name})" for name in names]
    else:
        common_js = ext == ".cjs" or (ext == ".js" and (b"module.exports" in old_text or b"require(" in old_text))
        if common_js:
            lines = [f"const {{ {', '.join(names)} }} = require('./{stem}');", ""]
        else:
            lines = [f"import {{ {', '.join(names)} }} from './{stem}';", ""]
        lines += [f"console.log({name});" for name in names]
    return probe, ("\n".join(lines) + "\n").encode()


def kept_definitions(path, old, new):
    """Top-level definitions of `old` that `new` still defines at its top level (at most 5): a
    name that `new` only mentions (express 5 kept the words 'query parser' but not `var query`)
    is no longer the module's."""
    pattern = PY_DEF if path.endswith(".py") else TS_DEF if path.endswith((".ts", ".mts", ".cts", ".tsx")) else JS_DEF
    defined = lambda text: [next(group for group in match.groups() if group).decode()
                            for match in pattern.finditer(text)]
    still = set(defined(new))
    kept = []
    for name in defined(old):
        if name in still and name not in kept:
            kept.append(name)
    return kept[:5]


def import_recall_case(binary, old, new, targets):
    """The clean-merge half: a new module importing each removed definition from its old module,
    and its twin importing what the module still defines."""
    importable = {path: names for path, names in targets.items()
                  if not path.endswith((".d.ts", ".d.mts", ".d.cts"))}
    if not importable:
        return None
    loud, quiet, probes = dict(new), dict(new), {}
    loud_feature, quiet_feature = dict(old), dict(old)
    for path, names in importable.items():
        probe, text = probe_module(path, names, old[path])
        probes[probe] = (path, names)
        loud_feature[probe] = loud[probe] = text
        kept = kept_definitions(path, old[path], new[path])
        if kept:
            _, twin = probe_module(path, kept, old[path])
            quiet_feature[probe] = quiet[probe] = twin
    findings, _ = resolve_and_audit(binary, old, new, loud_feature, loud)
    false_alarms, _ = resolve_and_audit(binary, old, new, quiet_feature, quiet)
    expected = found = 0
    missed = []
    for probe, (path, names) in probes.items():
        for name in sorted(names):
            expected += 1
            if any(f["path"] == probe and f["identifier"] == name and f["rule"] == "CG003" for f in findings):
                found += 1
            else:
                missed.append(f"{probe}: {name} (from {path})")
    elsewhere = [f for f in findings if f["path"] not in probes] + false_alarms
    return expected, found, missed, elsewhere


def tally(figures, want, got, elsewhere):
    """Adds one recall case to a language's figures: merges, expected, found, stray findings."""
    figures[0] += 1
    figures[1] += want
    figures[2] += got
    figures[3] += len(elsewhere)


def report_misses(missed, elsewhere, indent):
    for item in missed:
        print(f"{indent}missed {item}")
    for finding in elsewhere:
        print(f"{indent}unexpected {finding['rule']} {finding['path']}:{finding['line']} {finding['identifier']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/conflictguard")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "conflictguard-precision"))
    parser.add_argument("--settings-only", action="store_true",
                        help="measure settings and dependencies alone (skip the code measures)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    # Per language: merges, changed files, findings; then recall cases, expected, found, stray.
    precision = {language: [0, 0, 0] for language in LANGUAGES}
    recall = {language: [0, 0, 0, 0] for language in LANGUAGES}
    imports = {language: [0, 0, 0, 0] for language in LANGUAGES}
    code_packages = [] if args.settings_only else PACKAGES
    for kind, language, name, versions in code_packages:
        trees = [sources(fetch(kind, name, v, os.path.join(args.work, name))) for v in versions]
        for (old_version, old), (new_version, new) in zip(zip(versions, trees), list(zip(versions, trees))[1:]):
            changed, found = merge_case(binary, old, new)
            figures = precision[language]
            figures[0] += 1
            figures[1] += changed
            figures[2] += len(found)
            print(f"{name} {old_version} -> {new_version}: {changed} files changed, {len(found)} findings")
            for finding in found:
                print(f"    {finding['rule']} {finding['path']}:{finding['line']} {finding['identifier']}: {finding['message']}")

    for kind, language, name, versions in code_packages:
        trees = [sources(fetch(kind, name, v, os.path.join(args.work, name))) for v in versions]
        for (old_version, old), (new_version, new) in zip(zip(versions, trees), list(zip(versions, trees))[1:]):
            outcome = recall_case(binary, old, new)
            if outcome is None:
                continue
            want, got, missed, elsewhere, mass, through_imports = outcome
            tally(recall[language], want, got, elsewhere)
            print(f"{name} {old_version} -> {new_version}: {got} of {want} removed definitions reported")
            for note in mass:
                print(f"    {note}")
            report_misses(missed, elsewhere, "    ")
            if through_imports is not None:
                want, got, missed, elsewhere = through_imports
                tally(imports[language], want, got, elsewhere)
                print(f"    through imports: {got} of {want} reported")
                report_misses(missed, elsewhere, "        ")

    # Settings and dependencies: the whole release (code and settings) merged in halves, then the
    # stale resolution of what the release removed from its settings files.
    settings = [0, 0, 0]
    settings_recall = {"deps": [0, 0], "keys": [0, 0]}
    settings_stray = 0
    for kind, language, name, versions in PACKAGES:
        archives = [fetch(kind, name, v, os.path.join(args.work, name)) for v in versions]
        trees = [{**sources(archive), **settings_files(archive)} for archive in archives]
        for (old_version, old), (new_version, new) in zip(zip(versions, trees), list(zip(versions, trees))[1:]):
            changed_settings = sum(1 for p in set(old) | set(new) if settings_kind(p) and old.get(p) != new.get(p))
            _, found = merge_case(binary, old, new)
            found = [f for f in found if f["rule"] in SETTINGS_RULES]
            settings[0] += 1
            settings[1] += changed_settings
            settings[2] += len(found)
            print(f"{name} {old_version} -> {new_version}: {changed_settings} settings files changed, "
                  f"{len(found)} settings findings")
            for finding in found:
                print(f"    {finding['rule']} {finding['path']}:{finding['line']} {finding['identifier']}: {finding['message']}")
            outcome = settings_recall_case(binary, old, new)
            if outcome is None:
                continue
            counts, missed, elsewhere = outcome
            for kind_name in ("deps", "keys"):
                for i in range(2):
                    settings_recall[kind_name][i] += counts[kind_name][i]
            settings_stray += len(elsewhere)
            print(f"    stale settings: {counts['deps'][1]} of {counts['deps'][0]} removed dependencies, "
                  f"{counts['keys'][1]} of {counts['keys'][0]} removed keys reported")
            report_misses(missed, elsewhere, "        ")

    for label, languages in [] if args.settings_only else [(language, [language]) for language in LANGUAGES] + [("all", LANGUAGES)]:
        merges, files, findings = (sum(precision[l][i] for l in languages) for i in range(3))
        cases, expected, found, stray = (sum(recall[l][i] for l in languages) for i in range(4))
        print(f"{label}: precision: {merges} merges, {files} changed files, {findings} findings "
              f"({100.0 * findings / max(merges, 1):.1f} per 100 merges; every one is a false alarm); "
              f"recall: {cases} merges, {found} of {expected} removed definitions reported "
              f"({100.0 * found / max(expected, 1):.1f}%); {stray} false alarms (correct resolutions, "
              f"and files kept as main had them)")
        cases, expected, found, stray = (sum(imports[l][i] for l in languages) for i in range(4))
        print(f"{label}: recall through imports: {cases} merges, {found} of {expected} imports of a "
              f"removed definition reported ({100.0 * found / max(expected, 1):.1f}%); {stray} false "
              f"alarms (imports of definitions the module still has)")
    (dep_want, dep_got), (key_want, key_got) = settings_recall["deps"], settings_recall["keys"]
    print(f"settings: precision: {settings[0]} merges, {settings[1]} changed settings files, "
          f"{settings[2]} CG006-CG008 findings (every one a false alarm); recall: {dep_got} of "
          f"{dep_want} removed dependencies ({100.0 * dep_got / max(dep_want, 1):.1f}%), {key_got} of "
          f"{key_want} removed keys ({100.0 * key_got / max(key_want, 1):.1f}%) reported; "
          f"{settings_stray} false alarms (correct resolutions, and files kept as main had them)")


if __name__ == "__main__":
    main()
