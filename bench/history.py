#!/usr/bin/env python3
"""Audits real merge commits of public projects, one conflictguard process per merge.

    python3 bench/history.py --repos DIR [DIR ...] [--sample N] [--labels bench/history-labels.tsv]
    python3 bench/history.py --repos repos.txt --sample 0      # every merge

Each DIR is a local git directory (a clone, bare or not) of a public project; `--repos` also takes
a file with one DIR a line (`owner/name=DIR` names the project; otherwise the name is read from the
`origin` remote, or the folder: `pallets+click.git` is `pallets/click`). The merges are the
two-parent merge commits reachable from the branches and from the pull-request heads
(`refs/pull/*/head`, where a snapshot has them) — merges people made; GitHub's own trial merges
(`refs/pull/*/merge`) are left out. Newest first (`git rev-list --date-order`), every k-th so that
N are taken: the same snapshot gives the same sample.

With `--range`, each repository's whole default-branch history is also audited in one process
and timed against `git log --merges --remerge-diff -p` of the same range (median of 3).

For each merge, as a hook or CI job runs it: `conflictguard audit <sha> --format json` (timed), then
`git show --remerge-diff --format= <sha>` (timed), the cost of git re-doing the merge and showing
what the resolution changed. Each finding is printed with its context — the removing commit, the
origin of the line, the line itself — and the label reviewed for it in the labels file: a TSV of
repo, merge sha, rule, path, identifier, label (true / intended / false) and a one-line reason.
A finding without a label is UNREVIEWED and counted apart, never as true or false. A merge that
conflictguard could not audit (exit 2, for example a blob the snapshot lacks) is listed with the
reason and counted apart.
"""

import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import time

ENV = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1",
           LC_ALL="C")
LABELS = ("true", "intended", "false")


def git(repo, *args, check=True):
    return subprocess.run(["git", "-C", repo, *args], env=ENV, check=check,
                          capture_output=True).stdout.decode(errors="replace")


def repo_name(path):
    url = git(path, "config", "--get", "remote.origin.url", check=False).strip()
    for candidate in (url, os.path.abspath(path)):
        match = re.search(r"([\w.-]+)\+([\w.-]+?)(?:\.git)?(?:/repo)?/?$", candidate) or \
            re.search(r"github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", candidate)
        if match:
            return f"{match.group(1)}/{match.group(2)}"
    return os.path.basename(os.path.abspath(path).rstrip("/")).removesuffix(".git")


def read_repos(items):
    repos = []
    for item in items:
        if os.path.isfile(item):
            with open(item) as handle:
                lines = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
            repos.extend(read_repos(lines))
            continue
        name, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        repos.append((name or repo_name(path), path))
    return repos


def sample_merges(repo, count):
    heads = git(repo, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/pull").split()
    heads = [ref for ref in heads if not ref.startswith("refs/pull/") or ref.endswith("/head")]
    merges = git(repo, "rev-list", "--date-order", "--min-parents=2", "--max-parents=2",
                 *heads).split()
    step = max(1, len(merges) // count) if count else 1
    return len(merges), merges[::step][:count] if count else merges


def read_labels(path):
    labels = {}
    if not path or not os.path.exists(path):
        return labels
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 6 or fields[5] not in LABELS:
                raise SystemExit(f"{path}:{number}: want repo, sha, rule, path, identifier, "
                                 f"label ({'/'.join(LABELS)}), reason")
            repo, sha, rule, file, identifier, label = fields[:6]
            labels[(repo, sha, rule, file, identifier)] = (label, fields[6] if len(fields) > 6 else "")
    return labels


def label_of(labels, repo, sha, finding):
    for (l_repo, l_sha, rule, path, identifier), value in labels.items():
        if (l_repo == repo and sha.startswith(l_sha) and rule == finding["rule"]
                and path == finding["path"] and identifier == finding["identifier"]):
            return value
    return None


def timed(command, cwd):
    start = time.perf_counter()
    output = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True)
    return time.perf_counter() - start, output


def source_line(repo, sha, path, line):
    text = git(repo, "show", f"{sha}:{path}", check=False).splitlines()
    return text[line - 1].strip() if 0 < line <= len(text) else ""


def audit(binary, name, repo, sha):
    cg_time, output = timed([binary, "audit", sha, "--format", "json"], repo)
    git_time, shown = timed(["git", "show", "--remerge-diff", "--format=", sha], repo)
    result = {"repo": name, "sha": sha, "cg_time": cg_time, "git_time": git_time,
              "git_ok": shown.returncode == 0, "exit": output.returncode,
              "remerge_conflicts": shown.stdout.count(b"\nremerge CONFLICT")}
    if output.returncode not in (0, 1):
        text = output.stderr.decode(errors="replace")
        lines = []
        for line in text.splitlines():
            if line.strip().startswith("help:"):
                break
            if line.strip() and not line.startswith("conflictguard::"):
                lines.append(re.sub(r"^[\s×│]+", "", line).strip())
        reason = " ".join(lines) or f"exit {output.returncode}"
        if not result["git_ok"]:
            reason += "; git show: " + shown.stderr.decode(errors="replace").strip().splitlines()[-1]
        result["error"] = reason
        return result
    report = json.loads(output.stdout)
    result["findings"] = report["findings"]
    result["notes"] = [note for merge in report["merges"] for note in merge.get("notes", [])]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="target/release/conflictguard")
    parser.add_argument("--repos", nargs="+", required=True,
                        help="local git directories, or files listing them (owner/name=DIR allowed)")
    parser.add_argument("--sample", type=int, default=200, help="merges per repository (0: all)")
    parser.add_argument("--labels", default="bench/history-labels.tsv")
    parser.add_argument("--save", help="write every merge's result to this JSON file")
    parser.add_argument("--range", action="store_true",
                        help="also time one audit of each repository's whole default-branch "
                             "history against git log --merges --remerge-diff -p of the same range")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    labels = read_labels(args.labels)

    results = []
    for name, path in read_repos(args.repos):
        total, sample = sample_merges(path, args.sample)
        print(f"{name}: {len(sample)} of {total} two-parent merges", file=sys.stderr)
        for number, sha in enumerate(sample, 1):
            results.append(audit(binary, name, path, sha))
            if sys.stderr.isatty():
                print(f"\r{name}: {number}/{len(sample)}", end="", file=sys.stderr, flush=True)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        results[-len(sample):] = [dict(r, path=path, total=total) for r in results[-len(sample):]]
    if args.save:
        with open(args.save, "w") as handle:
            json.dump(results, handle, indent=1)

    counts = collections.Counter()
    per_repo = collections.defaultdict(collections.Counter)
    print("| repo | merge | rule | path:line | identifier | message | label |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        for finding in result.get("findings", []):
            value = label_of(labels, result["repo"], result["sha"], finding)
            label = value[0] if value else "UNREVIEWED"
            counts[label] += 1
            per_repo[result["repo"]][label] += 1
            message = finding["message"].replace("\n", " ").replace("|", "\\|")
            print(f"| {result['repo']} | {result['sha'][:12]} | {finding['rule']} | "
                  f"{finding['path']}:{finding['line']} | `{finding['identifier']}` | {message} | "
                  f"{label}{': ' + value[1] if value and value[1] else ''} |")
            removed = finding.get("removed_by") or {}
            line = source_line(result["path"], result["sha"], finding["path"], finding["line"])
            print(f"|  |  |  | origin {finding.get('origin')} | removed by {removed.get('side')} "
                  f"{(removed.get('commit') or '')[:12]} | {removed.get('summary') or ''} | "
                  f"`{line[:100]}` |".replace("\n", " "))

    failed = [r for r in results if "error" in r]
    audited = [r for r in results if "error" not in r]
    if failed:
        print("\ncould not audit:")
        for result in failed:
            print(f"  {result['repo']} {result['sha']}: {result['error']}")
    notes = collections.Counter(re.split(r"[:(]", note["message"])[0].strip()
                                for r in audited for note in r["notes"])

    def per100(n):
        return 100.0 * n / max(len(audited), 1)

    print("\nper repository:")
    for name in dict.fromkeys(r["repo"] for r in results):
        mine = [r for r in audited if r["repo"] == name]
        found = sum(len(r["findings"]) for r in mine)
        c = per_repo[name]
        print(f"  {name}: {len(mine)} merges audited of {mine[0]['total'] if mine else 0}, "
              f"{len([r for r in failed if r['repo'] == name])} could not, {found} findings "
              f"(true {c['true']}, intended {c['intended']}, false {c['false']}, "
              f"unreviewed {c['UNREVIEWED']})")

    findings = sum(counts.values())
    reviewed = counts["true"] + counts["intended"] + counts["false"]
    cg = [r["cg_time"] for r in audited]
    gt = [r["git_time"] for r in audited]
    conflicted = [r for r in audited if r["remerge_conflicts"]]
    print(f"\nmerges: {len(audited)} audited, {len(failed)} could not be audited; "
          f"{len(conflicted)} of the audited had conflicts when git re-did them (remerge CONFLICT), "
          f"with {sum(1 for r in conflicted if r['findings'])} of the "
          f"{sum(1 for r in audited if r['findings'])} merges with findings")
    print(f"findings: {findings} ({per100(findings):.1f} per 100 merges); "
          f"true {counts['true']} ({per100(counts['true']):.1f}), "
          f"intended {counts['intended']} ({per100(counts['intended']):.1f}), "
          f"false {counts['false']} ({per100(counts['false']):.1f}) per 100 merges; "
          f"unreviewed {counts['UNREVIEWED']}")
    print(f"false share: {counts['false']} of {reviewed} reviewed findings "
          f"({100.0 * counts['false'] / max(reviewed, 1):.0f}%)")
    if notes:
        print("notes: " + ", ".join(f"{k} {v}" for k, v in notes.most_common()) +
              f" (mass deletion in {sum(1 for r in audited if any(n['message'].startswith('mass deletion') for n in r['notes']))} merges)")
    if audited:
        print(f"time: conflictguard median {statistics.median(cg) * 1000:.0f} ms, total {sum(cg):.1f} s; "
              f"git show --remerge-diff median {statistics.median(gt) * 1000:.0f} ms, "
              f"total {sum(gt):.1f} s ({sum(cg) / max(sum(gt), 1e-9):.1f}x)")
        ratios = [r["cg_time"] / r["git_time"] for r in audited if r["git_time"] > 0]
        print(f"  per merge: median ratio {statistics.median(ratios):.1f}x, "
              f"{sum(1 for x in ratios if x <= 3) * 100 // max(len(ratios), 1)}% of merges within 3x")
        # Where the rest of the time goes: the merges that cost most over three times git's.
        over = sorted(audited, key=lambda r: r["cg_time"] - 3 * r["git_time"], reverse=True)[:5]
        print("  most over 3x git (profile one with CONFLICTGUARD_TIMINGS=1 conflictguard audit SHA):")
        for r in over:
            print(f"    {r['repo']} {r['sha'][:12]}: {r['cg_time'] * 1000:.0f} ms against "
                  f"{r['git_time'] * 1000:.0f} ms")
        bad = sum(1 for r in audited if not r["git_ok"])
        if bad:
            print(f"  (git show --remerge-diff failed on {bad} of them)")
    if args.range:
        time_ranges(binary, read_repos(args.repos))


def time_ranges(binary, repos, repeat=3):
    """One audit of each repository's default-branch history (root..HEAD, every merge in it)
    against `git log --merges --remerge-diff -p` of the same range, interleaved, median of
    `repeat`: the work a range audit shares across merges, as git shares it."""
    print("\nwhole history, one process (median of 3):")
    totals = [0.0, 0.0]
    for name, path in repos:
        head = git(path, "rev-parse", "HEAD").strip()
        root = git(path, "rev-list", "--max-parents=0", head).split()[-1]
        merges = len(git(path, "rev-list", "--merges", f"{root}..{head}").split())
        ours, theirs = [], []
        for _ in range(repeat):
            elapsed, done = timed([binary, "audit", f"{root}..{head}", "--format", "json"], path)
            if done.returncode not in (0, 1):
                print(f"  {name}: audit failed: {done.stderr.decode(errors='replace')[-300:]}")
                break
            ours.append(elapsed)
            theirs.append(timed(["git", "log", "--merges", "--remerge-diff", "-p",
                                 f"{root}..{head}"], path)[0])
        if not ours:
            continue
        cg, gt = statistics.median(ours), statistics.median(theirs)
        totals[0] += cg
        totals[1] += gt
        print(f"  {name}: {merges} merges: conflictguard audit {cg:.2f} s, "
              f"git log --merges --remerge-diff -p {gt:.2f} s ({cg / max(gt, 1e-9):.2f}x)")
    print(f"  all: {totals[0]:.2f} s against {totals[1]:.2f} s "
          f"({totals[0] / max(totals[1], 1e-9):.2f}x)")


if __name__ == "__main__":
    main()
