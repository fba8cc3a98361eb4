#!/usr/bin/env python3
"""Prints the path of the wall-time baseline recorded on this machine's kind of CPU.

Wall-time ratios travel between machines of one kind, not between kinds: the
shared prefix cache's p50 speedup on shared-prefix-many is 7.0x on the Xeon
bench.json was recorded on and 4-5x on an AMD EPYC running the same code (the
cause was not measured). So each kind of CPU the gate runs on keeps its own baseline:
bench.json, plus bench.<cpu>.json for every other kind, each naming in
machine.cpu the CPU it was recorded on (flashtok's report writes it from
/proc/cpuinfo's first "model name" line, as this script reads it).

Usage: for_this_cpu.py            the baseline recorded on this CPU (exit 0); if
                                  there is none, bench.json, with a warning on
                                  stderr, and exit 10 (NO_BASELINE_FOR_THIS_CPU);
                                  exit 2 if a baseline cannot be read
       for_this_cpu.py --target   where record.sh writes this CPU's baseline:
                                  the file recorded on it, else bench.<cpu>.json
"""
import glob
import json
import os
import re
import sys

NO_BASELINE_FOR_THIS_CPU = 10  # apart from 1, a crash's exit code


def this_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip(" \t\n")
    except OSError:
        pass
    return "unknown"


class BadBaseline(Exception):
    pass


def recorded_cpu(path):
    try:
        with open(path) as f:
            run = json.load(f)
    except (OSError, ValueError) as e:  # unreadable, or not JSON
        raise BadBaseline(f"{path}: {e}") from e
    machine = run.get("machine") if isinstance(run, dict) else None
    if not isinstance(machine, dict) or not isinstance(machine.get("cpu"), str):
        raise BadBaseline(f"{path}: no machine.cpu (not a flashtok bench report?)")
    return machine["cpu"]


def main():
    if sys.argv[1:] not in ([], ["--target"]):
        print(f"usage: {sys.argv[0]} [--target]", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "bench.json")
    cpu = this_cpu()
    candidates = [default] + sorted(glob.glob(os.path.join(here, "bench.*.json")))
    for path in candidates:
        if os.path.exists(path) and recorded_cpu(path) == cpu:
            print(path)
            return 0
    if sys.argv[1:] == ["--target"]:
        slug = re.sub(r"[^a-z0-9]+", "-", cpu.lower()).strip("-") or "unknown"
        print(default if not os.path.exists(default) else os.path.join(here, f"bench.{slug}.json"))
        return 0
    recorded = [recorded_cpu(p) for p in candidates if os.path.exists(p)]
    print(f"baseline: none recorded on '{cpu}' (recorded on: {', '.join(map(repr, recorded))}); "
          f"only {os.path.relpath(default)} is left to compare with, and its ratios may not travel to this CPU",
          file=sys.stderr)
    print(default)
    return NO_BASELINE_FOR_THIS_CPU


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BadBaseline as e:
        print(f"for_this_cpu: {e}", file=sys.stderr)
        sys.exit(2)
