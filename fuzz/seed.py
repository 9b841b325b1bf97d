#!/usr/bin/env python3
"""Seeds the fuzz corpus from fixtures/: one input per source or settings file of each case, in the
target's format (selector byte, then base, ours, theirs and result separated by 0xFF; a settings
file or TypeScript sets bit 7 and its kind's index in OTHER_KINDS of the target in bits 3 to 6)."""

import os
import sys

# The fuzz target's OTHER_KINDS, by what a fixture's file name says.
OTHER_KINDS = ["f.ts", "f.tsx", "f.json", "f.yaml", "f.toml", ".env", "requirements.txt",
               "package.json", "pyproject.toml", "docker-compose.yml"]


def kind_selector(name):
    if name.endswith((".js", ".mjs", ".jsx")):
        return 0
    if name.endswith((".py", ".pyi")):
        return 1
    if name in OTHER_KINDS:
        kind = OTHER_KINDS.index(name)
    elif name.startswith(".env"):
        kind = OTHER_KINDS.index(".env")
    elif name.startswith("requirements") and name.endswith(".txt"):
        kind = OTHER_KINDS.index("requirements.txt")
    elif name.endswith((".ts", ".mts", ".cts")):
        kind = 0
    elif name.endswith(".tsx"):
        kind = 1
    elif name.endswith(".json"):
        kind = 2
    elif name.endswith((".yaml", ".yml")):
        kind = 3
    elif name.endswith(".toml"):
        kind = 4
    else:
        return None
    return 0x80 | (kind << 3)


fixtures, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
count = 0
for case in sorted(os.listdir(fixtures)):
    root = os.path.join(fixtures, case)
    result_dir = os.path.join(root, "result")
    if not os.path.isdir(result_dir):
        continue
    for folder, _, files in os.walk(result_dir):
        for name in files:
            selector = kind_selector(name)
            if selector is None:
                continue
            relative = os.path.relpath(os.path.join(folder, name), result_dir)
            versions = []
            for bit, side in ((0, "base"), (2, "ours"), (4, "theirs"), (0, "result")):
                path = os.path.join(root, side, relative)
                if os.path.isfile(path):
                    with open(path, "rb") as handle:
                        versions.append(handle.read().replace(b"\xff", b""))
                else:
                    versions.append(b"")
                    selector |= bit
            with open(os.path.join(out, f"{case}-{relative.replace('/', '_')}"), "wb") as handle:
                handle.write(bytes([selector]) + b"\xff".join(versions))
            count += 1
print(f"{count} seeds from {fixtures}")
