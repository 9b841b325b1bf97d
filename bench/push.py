#!/usr/bin/env python3
"""Time of the server's pre-receive hook against GitHub Enterprise Server's 5-second budget.

Generates, deterministically, a server (a bare repository, the hook installed with `conflictguard
install --server`) holding a large repository: 10,000 JavaScript and Python files (2-40 KB) and a
`main` with 200 recent commits, a fifth of which remove a name (CG005 reads them). Then pushes to
it, over file://, a history of 1,000 commits with 100 merges onto main: 100 rounds of a topic branch
of 8 commits, one commit on main, and the merge of the topic into main.

Each run pushes into a fresh copy of the server, so every push brings all 1,000 commits; the hook's
deadline is raised to 60 s so that the whole check is timed. Times, interleaved and repeated
(median of 5): the push with the hook, the same push without it, and the hook's own time as it
reports it; and says how many of the checks would have fitted in the default 4-second deadline.

Usage: bench/push.py [--binary target/release/conflictguard] [--work DIR] [--files 10000]
Build first: cargo build --release
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf import ENV, FastImport, path, source  # noqa: E402  (the generator perf.py uses)

REPEAT = 5
BUDGET = 5.0  # GitHub Enterprise Server stops a pre-receive hook after 5 seconds.


RECENT = 200


def recent_changes(files):
    """The files main's recent commits change, in order, and whether each drops its LEGACY name."""
    rng = random.Random(11)
    return [(rng.randrange(files), n % 5 == 0) for n in range(RECENT)]


def build_server_side(repo, files):
    """The repository as the server has it: `files` files, then 200 commits on main, every fifth
    removing a LEGACY name from a file."""
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=ENV, check=True)
    fi = FastImport(repo)
    base = {}
    for index in range(files):
        data, ext = source(index)
        base[path(index, ext)] = data
    tip = fi.commit("main", "base", base)
    for n, (index, drop) in enumerate(recent_changes(files)):
        data, ext = source(index, variant=n + 1, drop=drop)
        tip = fi.commit("main", f"main change {n}", {path(index, ext): data}, parents=[tip])
    fi.close()


def build_push(repo, files, rounds=100, topic_commits=8):
    """On top of main: `rounds` times a topic of `topic_commits` commits, a commit on main, and
    the merge of the topic (1,000 commits, 100 merges with the defaults)."""
    # A file main dropped a name from keeps it dropped: the push brings nothing back.
    dropped = {index for index, drop in recent_changes(files) if drop}
    fi = FastImport(repo)
    tip = "refs/heads/main^0"
    rng = random.Random(23)
    edit = 1000
    for n in range(rounds):
        topic = tip
        changed = {}
        for k in range(topic_commits):
            index = rng.randrange(files)
            data, ext = source(index, variant=edit, drop=index in dropped)
            edit += 1
            changed[path(index, ext)] = data
            topic = fi.commit(f"topic{n}", f"topic {n} change {k}", {path(index, ext): data},
                              parents=[topic])
        index = rng.randrange(files)
        data, ext = source(index, variant=edit, drop=index in dropped)
        edit += 1
        main_tip = fi.commit("main", f"main change {n}", {path(index, ext): data}, parents=[tip])
        merged = {name: data for name, data in changed.items() if name != path(index, ext)}
        tip = fi.commit("main", f"Merge topic {n}", merged, parents=[main_tip, topic])
    fi.close()


def git(args, cwd, **kwargs):
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True,
                          text=True, **kwargs).stdout.strip()


def push_once(client, pristine, scratch, hook, env):
    """Pushes main into a fresh copy of the server; wall seconds, the hook's own seconds, output."""
    server = os.path.join(scratch, "server.git")
    shutil.rmtree(server, ignore_errors=True)
    shutil.copytree(pristine, server, symlinks=True)
    if not hook:
        os.remove(os.path.join(server, "hooks", "pre-receive"))
    started = time.perf_counter()
    done = subprocess.run(["git", "push", "-q", f"file://{server}", "main"], cwd=client, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the push failed:\n{done.stderr[-3000:]}")
    reported = None
    found = re.search(r"analysed in ([\d.]+) (ms|s)", done.stderr)
    if found:
        reported = float(found.group(1)) / (1000 if found.group(2) == "ms" else 1)
    return elapsed, reported, done.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/conflictguard")
    parser.add_argument("--work", default=None)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = args.work or tempfile.mkdtemp(prefix="conflictguard-push-bench-")
    env = dict(ENV, PATH=os.path.dirname(binary) + os.pathsep + ENV.get("PATH", ""))

    client = os.path.join(work, "client")
    pristine = os.path.join(work, "pristine.git")
    if not os.path.exists(pristine):
        build_server_side(client, args.files)
        subprocess.run(["git", "clone", "-q", "--bare", client, pristine], env=ENV, check=True)
        subprocess.run([binary, "-C", pristine, "install", "--server"], env=env, check=True,
                       capture_output=True)
        git(["config", "conflictguard.deadline", "60s"], pristine)
        build_push(client, args.files)
    server_tip = git(["rev-parse", "main"], pristine)
    commits = git(["rev-list", "--count", "main", "--not", server_tip], client)
    merges = git(["rev-list", "--count", "--merges", "main", "--not", server_tip], client)
    print(f"server: {args.files} files, {git(['rev-list', '--count', 'main'], pristine)} commits on main;"
          f" push: {commits} commits, {merges} merges")

    with_hook, without_hook, reported = [], [], []
    output = ""
    scratch = os.path.join(work, "scratch")
    os.makedirs(scratch, exist_ok=True)
    for _ in range(REPEAT):
        elapsed, seconds, output = push_once(client, pristine, scratch, True, env)
        with_hook.append(elapsed)
        if seconds is not None:
            reported.append(seconds)
        elapsed, _, _ = push_once(client, pristine, scratch, False, env)
        without_hook.append(elapsed)
    hook_line = next((line for line in output.splitlines() if "analysed in" in line), "")
    push_median = statistics.median(with_hook)
    bare_median = statistics.median(without_hook)
    hook_median = statistics.median(reported) if reported else float("nan")
    print(f"push with the hook     {push_median:7.2f} s (median of {REPEAT})")
    print(f"push without the hook  {bare_median:7.2f} s")
    print(f"the hook, as it says   {hook_median:7.2f} s   ({hook_line.strip()})")
    verdict = "inside" if push_median - bare_median <= BUDGET else "OVER"
    print(f"hook's share of the push {push_median - bare_median:.2f} s: {verdict} the {BUDGET:.0f}-second budget")


if __name__ == "__main__":
    main()
