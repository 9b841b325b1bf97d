#!/usr/bin/env python3
"""Seeds the fuzz corpus from fixtures/: one input per source file of each case, in the target's
format (selector byte, then base, ours, theirs and result separated by 0xFF)."""

import os
import sys

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
            if not name.endswith((".js", ".py", ".mjs", ".jsx", ".pyi")):
                continue
            relative = os.path.relpath(os.path.join(folder, name), result_dir)
            versions, selector = [], 1 if name.endswith((".py", ".pyi")) else 0
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
