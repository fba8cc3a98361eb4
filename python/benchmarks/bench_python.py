#!/usr/bin/env python3
# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""What flashtok costs from Python: the per-call overhead on short strings
(what a serving stack pays per request) and encode_batch's throughput.
Beside tiktoken when it is importable. A benchmark, not a test.

Text: the natural golden texts (tests/golden/texts: prose, code, markdown,
CJK, Cyrillic, Arabic, Devanagari, emoji; not the random and pathological
ones), cut into short strings for the per-call figures and repeated into
4 KB documents for the batch figures.

Usage: PYTHONPATH=<build>/python python3 python/benchmarks/bench_python.py [--encoding NAME] [--repeat N]
"""
import argparse
import pathlib
import statistics
import time

import flashtok

ROOT = pathlib.Path(__file__).resolve().parents[2]


NATURAL = ("prose_", "code_", "markdown_", "cjk", "cyrillic_", "arabic_", "devanagari_", "emoji")


def golden_text():
    paths = sorted((ROOT / "tests/golden/texts").glob("*.txt"))
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p.name.startswith(NATURAL))


def short_strings(text, n, length):
    step = max(1, (len(text) - length) // n)
    return [text[i:i + length] for i in range(0, step * n, step)]


def documents(text, size, total_bytes):
    docs, i = [], 0
    while sum(len(d) for d in docs) < total_bytes:
        doc = (text[i:] + text)[:size]
        docs.append(doc)
        i = (i + size) % len(text)
    return docs


def median_seconds(fn, repeat):
    """Median wall and process CPU seconds of fn() (its result kept, as a caller keeps it)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
        del result
    return statistics.median(wall), statistics.median(cpu)


def per_call(name, encoders, strings, repeat):
    """Median CPU ns per call of each method over the strings, the methods
    interleaved (CPU time of this thread: other processes' load does not count)."""
    results = {label: [] for label in encoders}
    for _ in range(repeat):
        for label, method in encoders.items():
            start = time.thread_time_ns()
            for s in strings:
                method(s)
            results[label].append((time.thread_time_ns() - start) / len(strings))
    for label, samples in results.items():
        print(f"| {name} | {label} | {statistics.median(samples):.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoding", default="cl100k_base")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    enc = flashtok.get_encoding(args.encoding)
    try:
        import tiktoken

        tik = tiktoken.get_encoding(args.encoding)
    except ImportError:
        tik = None
    text = golden_text()

    print(f"flashtok {flashtok.__version__}, {args.encoding}, median of {args.repeat}"
          f"{'' if tik else ' (tiktoken is not installed: flashtok only)'}\n")
    print("| call | library | CPU ns per call |\n|---|---|---:|")
    for length in (1, 12, 64):
        strings = short_strings(text, 2000, length)
        calls = {"flashtok encode_ordinary": enc.encode_ordinary, "flashtok encode": enc.encode,
                 "flashtok count": enc.count}
        if tik:
            calls.update({"tiktoken encode_ordinary": tik.encode_ordinary, "tiktoken encode": tik.encode})
        per_call(f"{length}-character strings", calls, strings, args.repeat)

    docs = documents(text, 4096, 8 << 20)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"\n| {len(docs)} documents of 4 KB ({mb:.1f} MB) | library | MB/s (wall) | MB/s per CPU second |"
          "\n|---|---|---:|---:|")
    runs = {("encode_ordinary, one by one", "flashtok"): lambda: [enc.encode_ordinary(d) for d in docs]}
    for threads in (1, 2, 4):
        runs[(f"encode_ordinary_batch, {threads} threads", "flashtok")] = (
            lambda t=threads: enc.encode_ordinary_batch(docs, num_threads=t))
    if tik:
        runs[("encode_ordinary, one by one", "tiktoken")] = lambda: [tik.encode_ordinary(d) for d in docs]
        for threads in (1, 2, 4):
            runs[(f"encode_ordinary_batch, {threads} threads", "tiktoken")] = (
                lambda t=threads: tik.encode_ordinary_batch(docs, num_threads=t))
    for (what, library), run in runs.items():
        wall, cpu = median_seconds(run, max(3, args.repeat // 2))
        print(f"| {what} | {library} | {mb / wall:.1f} | {mb / cpu:.1f} |")


if __name__ == "__main__":
    main()
