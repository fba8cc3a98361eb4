#!/usr/bin/env python3
"""Validates flashtok results.json files against results.schema.json (beside this script)."""
import json
import pathlib
import sys

import jsonschema

schema = json.loads((pathlib.Path(__file__).parent / "results.schema.json").read_text())
failed = False
for path in sys.argv[1:]:
    try:
        jsonschema.validate(json.loads(pathlib.Path(path).read_text()), schema)
        print(f"valid: {path}")
    except (jsonschema.ValidationError, json.JSONDecodeError) as error:
        print(f"INVALID: {path}: {error}", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
