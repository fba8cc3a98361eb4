#!/usr/bin/env python3
# Copyright flashtok authors. SPDX-License-Identifier: MIT
#
# The library's layers, and that its includes only point down them:
#   util -> unicode -> vocab -> bpe -> pretokenizer -> encoder -> cache -> c_api
# A file in lib/src/<layer>/ may include its own layer's headers, those of
# lower layers, and the public headers (flashtok/...). The public headers
# include public headers only.
# Usage: check_layers.py LIB_DIR
import pathlib
import re
import sys

RANK = {"util": 0, "unicode": 1, "vocab": 2, "bpe": 3, "pretokenizer": 4, "encoder": 5, "cache": 6, "c_api": 7}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)

lib = pathlib.Path(sys.argv[1])
errors = []
for path in sorted((lib / "include").rglob("*.h*")):
    for target in INCLUDE.findall(path.read_text()):
        if not target.startswith("flashtok/"):
            errors.append(f"{path.relative_to(lib)}: public header includes internal {target}")
for path in sorted((lib / "src").rglob("*")):
    if path.suffix not in (".h", ".cc", ".inc"):
        continue
    layer = path.relative_to(lib / "src").parts[0]
    if layer not in RANK:
        errors.append(f"{path.relative_to(lib)}: not in a layer folder ({', '.join(RANK)})")
        continue
    for target in INCLUDE.findall(path.read_text()):
        folder = target.split("/")[0]
        if folder == "flashtok" or folder == layer:
            continue
        if folder not in RANK:
            errors.append(f"{path.relative_to(lib)}: includes {target}, in no layer")
        elif RANK[folder] >= RANK[layer]:
            errors.append(f"{path.relative_to(lib)} ({layer}) includes {target} ({folder}): not a lower layer")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
