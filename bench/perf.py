#!/usr/bin/env python3
"""Speed and memory of conflictguard against git doing the same work.

Generates, deterministically, repositories of about 1,000, 10,000 and 50,000 JavaScript and Python
files (2-40 KB, most of them small) with a `main` and a `feature` branch whose merge touches the
same files at every size: 300 changed on each side, 40 of them on both (some conflicting), with
deletions on main and stale copies on feature. Then times, interleaved and repeated (median of 5):

  conflictguard check feature --format json   vs   git merge-tree --write-tree main feature
  conflictguard audit A..B (1,000 merges)     vs   git log --merges --remerge-diff -p A..B

and peak memory of each (/usr/bin/time -v). Beside each `check`, the floor: what parsing alone costs
for the versions of the paths the merge leaves conflicted (a dry run must list, for each, the names
one side removed there, which only a parse of its versions tells), with tree-sitter's parser and
nothing else, on every core (examples/parse_floor.rs), and reading the blobs of every other file a
side changed (CG003 asks of each whether it removed a name the other side's new lines use), at
`git cat-file --batch`'s speed spread over every core; git's time plus those is as fast as any
implementation can be. Then the same merge over 1,000 files that are all
JavaScript, then all TypeScript with the same code and its types, at two sizes (100 and 300 files
changed on both sides), to show what a changed byte costs in each: the slope between the two sizes is the cost
per changed byte, and what is left at zero bytes the fixed cost of a run (opening the repository,
compiling the language's query). Prints a table and a last line of ratios.

Usage: bench/perf.py [--binary target/release/conflictguard] [--work DIR] [--sizes 1000,10000,50000]
Build first: cargo build --release && cargo build --release --example parse_floor
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

ENV = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")
REPEAT = 5


def source(index, variant=0, drop=False):
    """A file of 2-40 KB: mostly small, a few large. `variant` edits it, `drop` removes a name."""
    rng = random.Random(index)
    python = index % 3 == 0
    size = int(min(40_000, max(2_000, rng.lognormvariate(8.3, 0.7))))
    lines = [f"# module {index}" if python else f"// module {index}"]
    if not drop:
        lines.append(f"LEGACY_{index} = {index}" if python else f"const LEGACY_{index} = {index};")
    k = 0
    while sum(len(l) + 1 for l in lines) < size:
        if python:
            lines += [f"def helper_{index}_{k}(value, scale={k}):",
                      f"    total = value * scale + {variant}",
                      f"    return total if total > {k} else helper_{index}_{max(k - 1, 0)}(total)", ""]
        else:
            lines += [f"function helper{index}_{k}(value, scale = {k}) {{",
                      f"  const total = value * scale + {variant};",
                      f"  return total > {k} ? total : helper{index}_{max(k - 1, 0)}(total);", "}", ""]
        k += 1
    if not drop:
        lines.append(f"print(LEGACY_{index})" if python else f"module.exports = {{ LEGACY_{index} }};")
    return ("\n".join(lines) + "\n").encode(), ("py" if python else "js")


def typed_source(index, typescript, variant=0, drop=False):
    """A JavaScript or TypeScript file of 2-40 KB with the same code; TypeScript adds the types."""
    rng = random.Random(index)
    size = int(min(40_000, max(2_000, rng.lognormvariate(8.3, 0.7))))
    num = ": number" if typescript else ""
    lines = [f"// module {index}"]
    if typescript:
        lines += [f"export interface Options{index} {{ scale: number; label?: string }}", ""]
    if not drop:
        lines.append(f"export const LEGACY_{index}{num} = {index};")
    k = 0
    while sum(len(l) + 1 for l in lines) < size:
        lines += [f"export function helper{index}_{k}(value{num}, scale{num} = {k}){num} {{",
                  f"  const total{num} = value * scale + {variant};",
                  f"  return total > {k} ? total : helper{index}_{max(k - 1, 0)}(total);", "}", ""]
        k += 1
    return ("\n".join(lines) + "\n").encode(), ("ts" if typescript else "js")


def build_language_repo(repo, typescript, per_side, files=1000):
    """The merge of build_merge_repo over files of one language: all JavaScript or all TypeScript
    with the same code, to compare what a changed byte costs in each. Both sides change the same
    `per_side` files (main drops a name, feature edits every function), so that every changed file
    is parsed in all its versions: the bytes measured are bytes parsed and queried."""
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=ENV, check=True)
    fi = FastImport(repo)
    base = {}
    for index in range(files):
        data, ext = typed_source(index, typescript)
        base[path(index, ext)] = data
    root = fi.commit("main", "base", base)
    main_files, feature_files = {}, {}
    for index in range(0, per_side):
        data, ext = typed_source(index, typescript, drop=True)
        main_files[path(index, ext)] = data
    for index in range(0, per_side):
        data, ext = typed_source(index, typescript, variant=1)
        feature_files[path(index, ext)] = data
    fi.commit("main", "main removes LEGACY names", main_files, parents=[root])
    fi.commit("feature", "feature edits", feature_files, parents=[root])
    fi.close()
    changed = sum(len(d) for d in main_files.values()) + sum(len(d) for d in feature_files.values())
    return changed


def path(index, ext):
    return f"pkg{index % 97}/sub{index % 13}/m{index}.{ext}"


class FastImport:
    """Writes commits with `git fast-import`: fast, and deterministic."""

    def __init__(self, repo):
        self.proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, env=ENV,
                                     stdin=subprocess.PIPE)
        self.mark = 0
        self.clock = 1_700_000_000

    def write(self, data):
        self.proc.stdin.write(data)

    def commit(self, branch, message, files, parents=(), deletes=(), replace_all=False):
        self.mark += 1
        self.clock += 60
        message = message.encode()
        self.write(f"commit refs/heads/{branch}\nmark :{self.mark}\n"
                   f"committer Bench <bench@example.com> {self.clock} +0000\n"
                   f"data {len(message)}\n".encode() + message + b"\n")
        for i, parent in enumerate(parents):
            self.write(f"{'from' if i == 0 else 'merge'} {parent}\n".encode())
        if replace_all:
            self.write(b"deleteall\n")
        for name in deletes:
            self.write(f"D {name}\n".encode())
        for name, data in files.items():
            self.write(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
        self.write(b"\n")
        return f":{self.mark}"

    def close(self):
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def build_merge_repo(repo, files):
    """Base with `files` files; main and feature touch the same 600 files at every size."""
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=ENV, check=True)
    fi = FastImport(repo)
    base = {}
    for index in range(files):
        data, ext = source(index)
        base[path(index, ext)] = data
    root = fi.commit("main", "base", base)
    main_files, feature_files = {}, {}
    main_deletes = []
    for index in range(0, 300):            # main: drops LEGACY_i from 300 files
        data, ext = source(index, drop=True)
        main_files[path(index, ext)] = data
    for index in range(260, 560):          # feature: edits 300 files, 40 shared with main
        data, ext = source(index, variant=1)
        feature_files[path(index, ext)] = data
    for index in range(560, 580):          # main deletes 20 files feature also edits
        _, ext = source(index)
        main_deletes.append(path(index, ext))
        data, ext = source(index, variant=1)
        feature_files[path(index, ext)] = data
    fi.commit("main", "main removes LEGACY names", main_files, parents=[root], deletes=main_deletes)
    fi.commit("feature", "feature edits", feature_files, parents=[root])
    fi.close()


def build_history_repo(repo, merges=1000):
    """1,000 merge commits over a 1,000-file tree, each merging a one-commit topic branch."""
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=ENV, check=True)
    fi = FastImport(repo)
    base = {}
    for index in range(1000):
        data, ext = source(index)
        base[path(index, ext)] = data
    tip = fi.commit("main", "base", base)
    first = tip
    rng = random.Random(7)
    for n in range(merges):
        a, b = rng.randrange(1000), rng.randrange(1000)
        data_a, ext_a = source(a, variant=n + 2)
        main_tip = fi.commit("main", f"main change {n}", {path(a, ext_a): data_a}, parents=[tip])
        data_b, ext_b = source(b, variant=n + 3)
        topic = fi.commit(f"topic{n % 10}", f"topic change {n}", {path(b, ext_b): data_b}, parents=[tip])
        merged = {path(b, ext_b): data_b} if a != b else {}
        tip = fi.commit("main", f"Merge topic {n}", merged, parents=[main_tip, topic])
    fi.close()
    first_sha = subprocess.run(["git", "rev-list", "--max-parents=0", "main"], cwd=repo, env=ENV,
                               capture_output=True, text=True, check=True).stdout.split()[0]
    return first_sha


def measure(command, cwd):
    """Wall seconds and peak resident MB of one run."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, env=ENV,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {done.stderr.decode()[-2000:]}")
    peak = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return elapsed, (int(peak.group(1)) / 1024 if peak else float("nan")), done.stdout


CODE = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".py")


def parse_floor(binary, repo, ours, theirs):
    """Milliseconds that tree-sitter's parser alone takes, on every core, over the versions of the
    code paths `git merge-tree` leaves conflicted (its stage entries); and how many there are."""
    # Beside the binary measured, or this checkout's build (the floor does not depend on it).
    candidates = [os.path.join(os.path.dirname(binary), "examples", "parse_floor"),
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target",
                               "release", "examples", "parse_floor")]
    floor = next((path for path in candidates if os.path.exists(path)), None)
    if floor is None:
        raise SystemExit("examples/parse_floor is not built: cargo build --release --example parse_floor")
    listing = subprocess.run(["git", "merge-tree", "--write-tree", ours, theirs], cwd=repo, env=ENV,
                             capture_output=True, text=True).stdout
    blobs = []
    for line in listing.splitlines()[1:]:
        if not line:
            break
        info, _, name = line.partition("\t")
        if name.endswith(CODE):
            blobs.append((info.split()[1], os.path.splitext(name)[1]))
    if not blobs:
        return 0.0, 0
    with tempfile.TemporaryDirectory() as scratch:
        files = []
        for n, (oid, ext) in enumerate(blobs):
            data = subprocess.run(["git", "cat-file", "blob", oid], cwd=repo, env=ENV,
                                  capture_output=True, check=True).stdout
            files.append(os.path.join(scratch, f"{n}{ext}"))
            with open(files[-1], "wb") as f:
                f.write(data)
        out = subprocess.run([floor, *files], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"all-threads-ms ([\d.]+)", out).group(1)), len(blobs)


def read_floor(repo, ours, theirs, repeat=REPEAT):
    """Seconds that `git cat-file --batch` takes to read the code blobs each side changed (both
    versions) outside the paths both sides changed, which the merge reads itself; and how many.
    CG003 asks of every file a side changed whether it removed a name the other side's new lines
    use, so a dry run reads them all; git merge-tree reads none of them."""
    base = subprocess.run(["git", "merge-base", ours, theirs], cwd=repo, env=ENV,
                          capture_output=True, text=True, check=True).stdout.strip()
    changed = {}
    for side in (ours, theirs):
        listing = subprocess.run(["git", "diff-tree", "-r", "--no-renames", base, side], cwd=repo,
                                 env=ENV, capture_output=True, text=True, check=True).stdout
        for line in listing.splitlines():
            info, _, name = line.partition("\t")
            if name.endswith(CODE):
                fields = info.split()
                changed.setdefault(name, []).append((fields[2], fields[3]))
    blobs = {oid for versions in changed.values() if len(versions) == 1
             for pair in versions for oid in pair if set(oid) != {"0"}}
    batch = "".join(f"{oid}\n" for oid in sorted(blobs)).encode()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(["git", "cat-file", "--batch"], cwd=repo, env=ENV, input=batch,
                       stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(blobs)


def compare(label, ours, git, cwd, repeat=REPEAT, statistic=statistics.median):
    """Times `ours` and `git` interleaved, `repeat` times each; reports `statistic` of each."""
    times = {"conflictguard": [], "git": []}
    memory = {"conflictguard": 0.0, "git": 0.0}
    output = b""
    for _ in range(repeat):
        for name, command in (("conflictguard", ours), ("git", git)):
            elapsed, peak, out = measure(command, cwd)
            times[name].append(elapsed)
            memory[name] = max(memory[name], peak)
            if name == "conflictguard":
                output = out
    cg, gt = statistic(times["conflictguard"]), statistic(times["git"])
    print(f"{label:<34} {cg:>8.3f} s {memory['conflictguard']:>7.1f} MB   "
          f"{gt:>8.3f} s {memory['git']:>7.1f} MB   {cg / gt:>6.2f}x")
    return cg, gt, memory["conflictguard"], output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/conflictguard")
    parser.add_argument("--work", default=None)
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = args.work or tempfile.mkdtemp(prefix="conflictguard-bench-")
    print(f"{'case':<34} {'conflictguard':>22}   {'git':>22}   ratio")
    check_times = {}
    ratios = []
    peaks = []
    floors = []
    for size in (int(s) for s in args.sizes.split(",")):
        repo = os.path.join(work, f"merge-{size}")
        if not os.path.exists(repo):
            build_merge_repo(repo, size)
        subprocess.run(["git", "checkout", "-q", "-f", "feature"], cwd=repo, env=ENV, check=True)
        cg, gt, peak, out = compare(
            f"check, {size} files",
            [binary, "check", "main", "--format", "json"],
            ["git", "merge-tree", "--write-tree", "feature", "main"],
            repo,
        )
        summary = re.search(rb'"parsed_blobs": (\d+)', out)
        print(f"{'':<34} parsed blobs: {summary.group(1).decode() if summary else '?'} "
              f"(each at most once: the cache counts parses)")
        floor_ms, versions = parse_floor(binary, repo, "feature", "main")
        read_s, read_blobs = read_floor(repo, "feature", "main")
        cores = os.cpu_count() or 1
        floor = (gt + read_s / cores + floor_ms / 1000) / gt
        print(f"{'':<34} floor: git reads the {read_blobs} blobs of the files one side changed in "
              f"{read_s * 1000:.1f} ms ({cores} cores: {read_s * 1000 / cores:.1f} ms); parsing "
              f"the {versions} versions of the conflicted paths alone takes {floor_ms:.1f} ms; "
              f"git + both = {floor:.2f}x git")
        floors.append((size, floor))
        check_times[size] = cg
        ratios.append(("check", size, cg / gt))
        peaks.append(peak)
    history = os.path.join(work, "history")
    if not os.path.exists(history):
        first = build_history_repo(history)
    else:
        first = subprocess.run(["git", "rev-list", "--max-parents=0", "main"], cwd=history, env=ENV,
                               capture_output=True, text=True, check=True).stdout.split()[0]
    cg, gt, peak, _ = compare(
        "audit, 1000 merges",
        [binary, "audit", f"{first}..main", "--format", "json"],
        ["git", "log", "--merges", "--remerge-diff", "-p", f"{first}..main"],
        history,
    )
    ratios.append(("audit", 1000, cg / gt))
    peaks.append(peak)
    # What a changed byte costs in TypeScript against JavaScript: the same merge, the same code,
    # at two sizes; the slope is the cost per changed byte, the intercept the fixed cost of a run.
    # Both are from the best of 9 runs at each size.
    cost = {}
    for language, typescript in (("javascript", False), ("typescript", True)):
        points = []
        for per_side in (100, 300):
            repo = os.path.join(work, f"language-{language}-{per_side}")
            marker = repo + ".bytes"
            if not os.path.exists(repo):
                changed = build_language_repo(repo, typescript, per_side)
                with open(marker, "w") as f:
                    f.write(str(changed))
            with open(marker) as f:
                changed = int(f.read())
            subprocess.run(["git", "checkout", "-q", "-f", "feature"], cwd=repo, env=ENV, check=True)
            cg, gt, peak, _ = compare(
                f"check, {per_side} changed, {language}",
                [binary, "check", "main", "--format", "json"],
                ["git", "merge-tree", "--write-tree", "feature", "main"],
                repo,
                # The best of 9: a slope from two timings magnifies their noise, and the fastest
                # run is the one least disturbed by the machine.
                repeat=9,
                statistic=min,
            )
            points.append((changed / 1e6, cg))
            peaks.append(peak)
        (small_mb, small_s), (large_mb, large_s) = points
        per_mb = (large_s - small_s) / (large_mb - small_mb)
        cost[language] = (per_mb, small_s - per_mb * small_mb)
    (js_mb, js_fixed), (ts_mb, ts_fixed) = cost["javascript"], cost["typescript"]
    print(f"{'':<34} per changed MB: javascript {js_mb * 1000:.0f} ms, typescript {ts_mb * 1000:.0f} ms "
          f"({ts_mb / js_mb:.2f}x); fixed: javascript {js_fixed * 1000:.0f} ms, "
          f"typescript {ts_fixed * 1000:.0f} ms")
    sizes = sorted(check_times)
    flat = check_times[sizes[-1]] / check_times[sizes[0]] if len(sizes) > 1 else 1.0
    print("ratios: " + ", ".join(f"{kind} {size}: {ratio:.2f}x git" for kind, size, ratio in ratios)
          + f"; check {sizes[-1]} vs {sizes[0]} files: {flat:.2f}x; peak memory {max(peaks):.0f} MB")
    print("floors: " + ", ".join(f"check {size}: {floor:.2f}x git" for size, floor in floors))


if __name__ == "__main__":
    main()
