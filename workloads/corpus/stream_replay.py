#!/usr/bin/env python3
# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Every cache on real text cut anywhere: a replay for `flashtok verify --replay`.

    python3 workloads/corpus/stream_replay.py CORPUS_DIR OUT.jsonl [--seed 42] [--bytes 16000]

CORPUS_DIR is what build_corpus.sh wrote, or any folder of .txt files. From each of its texts
(for the built corpus: the five kinds and every per-script file of multilingual/, 100+
languages) an excerpt of about --bytes bytes goes through every cache, cut at random byte
offsets, inside UTF-8 characters too (the lines carry raw bytes as base64, so a cut character
stays cut):

- `append/NAME`: the excerpt appended in chunks of 1-48 bytes (an AppendOnlyTokenCache);
- `output/NAME`: a prompt of its first 0.5-4 KB, then the rest as model output in chunks of
  1-48 bytes, and every 30-60 chunks a new prompt that changes the session's last 1-300 bytes (a
  regenerated answer) or some bytes near its start (an edited system prompt), as chat servers
  send (the SessionTokenCache, per-call appends and updates);
- fixed-prefix requests: three prefixes of the excerpt, each cut at a random byte, with suffixes
  of 1-400 bytes (FixedPrefixTokenCache);
- whole texts for the shared prefix cache: three heads of the excerpt with random tails.

Lines of different sessions are interleaved at random (each session's own order kept), so many
sessions are open at once. `flashtok verify --replay OUT.jsonl` then checks every request of
every cache against a full encode, id for id and under all four encodings. Deterministic for a
given corpus and seed. The corpus keeps its licences: write the replay where you need it and do
not commit it.
"""
import argparse
import base64
import json
import os
import random
import sys


MIN_BYTES = 4096  # a text's excerpt: a prompt of up to 4 KB and the rest streamed


def b64(data):
    return base64.b64encode(data).decode("ascii")


def excerpt(data, size, rng):
    """About `size` bytes of `data` from a random line start (raw bytes, cut anywhere at the end)."""
    if len(data) <= size:
        return data
    start = data.find(b"\n", rng.randrange(len(data) - size)) + 1
    return data[start:start + size]


def file_excerpt(path, total, size, rng):
    """excerpt() of a file of `total` bytes, reading only the excerpt and the rest of the line before
    it, not the whole file: a user's corpus may hold a file of gigabytes."""
    try:
        with open(path, "rb") as f:
            if total <= size:
                return f.read()
            f.seek(rng.randrange(total - size))
            start = 0  # no line break after the offset: from the file's start
            while block := f.read(1 << 16):
                at = block.find(b"\n")
                if at >= 0:
                    start = f.tell() - len(block) + at + 1
                    break
            # A line break too near the end (one long last line) would leave an excerpt too short
            # to stream: the file's last `size` bytes instead.
            f.seek(min(start, total - size))
            return f.read(size)
    except OSError as e:
        sys.exit(f"stream_replay: cannot read {path}: {e}")


def chunked(data, rng, low=1, high=48):
    """`data` cut into chunks of low..high bytes at random offsets."""
    out, at = [], 0
    while at < len(data):
        step = rng.randint(low, high)
        out.append(data[at:at + step])
        at += step
    return out


def append_session(name, text, rng):
    return [{"session": f"append/{name}", "append_b64": b64(c)} for c in chunked(text, rng)]


def output_session(name, text, rng):
    """A prompt, then the rest as output chunks, with a changed prompt now and then."""
    session = f"output/{name}"
    head = rng.randint(512, min(4096, len(text) // 2))
    current = text[:head]
    lines = [{"session": session, "prompt_b64": b64(current)}]
    next_prompt = rng.randint(30, 60)
    for chunk in chunked(text[head:], rng):
        current += chunk
        lines.append({"session": session, "output_b64": b64(chunk)})
        next_prompt -= 1
        if next_prompt > 0:
            continue
        next_prompt = rng.randint(30, 60)
        if rng.random() < 0.5:  # the answer regenerated: its last bytes replaced
            cut = max(0, len(current) - rng.randint(1, 300))
            current = current[:cut] + excerpt(text, rng.randint(0, 200), rng)
        else:  # an edit near the start: a few bytes replaced
            at = rng.randrange(max(1, min(len(current), 2048)))
            current = current[:at] + excerpt(text, rng.randint(0, 16), rng) + current[at + rng.randint(0, 16):]
        lines.append({"session": session, "prompt_b64": b64(current)})
    return lines


def fixed_prefix_requests(text, rng):
    lines = []
    for _ in range(3):
        cut = rng.randrange(1, len(text))
        for _ in range(8):
            at = rng.randrange(len(text))
            suffix = text[at:at + rng.randint(1, 400)]
            lines.append({"prefix_b64": b64(text[:cut]), "suffix_b64": b64(suffix)})
    return lines


def shared_prefix_texts(text, rng):
    lines = []
    heads = [text[:rng.randrange(1, len(text))] for _ in range(3)]
    for _ in range(12):
        at = rng.randrange(len(text))
        lines.append({"text_b64": b64(rng.choice(heads) + text[at:at + rng.randint(0, 600)])})
    return lines


def sources(corpus):
    """(name, path, size) of every .txt file of the corpus folder and of its multilingual/, in name order.

    Any folder of texts will do (the files build_corpus.sh writes, or a user's own); files under
    MIN_BYTES are too short to stream and are named and left out.
    """
    names = []
    for sub in ("", "multilingual"):
        folder = os.path.join(corpus, sub)
        if os.path.isdir(folder):
            names += sorted(os.path.join(sub, f) for f in os.listdir(folder) if f.endswith(".txt"))
    out = []
    for name in names:
        path = os.path.join(corpus, name)
        try:
            size = os.path.getsize(path)
        except OSError as e:
            sys.exit(f"stream_replay: cannot read {path}: {e}")
        if size < MIN_BYTES:
            print(f"stream_replay: {path} holds {size} bytes, under {MIN_BYTES}: left out", file=sys.stderr)
            continue
        out.append((name[:-4], path, size))
    if not out:
        sys.exit(f"stream_replay: no .txt file of at least {MIN_BYTES} bytes in {corpus} "
                 "(build a corpus with workloads/corpus/build_corpus.sh)")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bytes", type=int, default=16000, help="bytes of each text's excerpt")
    args = parser.parse_args()
    if args.bytes < 4096:
        sys.exit("stream_replay: --bytes must be at least 4096")
    rng = random.Random(args.seed)
    streams = []  # each one's order is kept; they are interleaved below
    for name, path, size in sources(args.corpus):
        text = file_excerpt(path, size, args.bytes, rng)
        streams.append(append_session(name, text, rng))
        streams.append(output_session(name, text, rng))
        streams.append(fixed_prefix_requests(text, rng))
        streams.append(shared_prefix_texts(text, rng))
    lines = []
    at = [0] * len(streams)
    live = [i for i, s in enumerate(streams) if s]
    while live:
        k = rng.randrange(len(live))
        i = live[k]
        lines.append(streams[i][at[i]])
        at[i] += 1
        if at[i] == len(streams[i]):
            live[k] = live[-1]
            live.pop()
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    os.replace(tmp, args.out)
    print(f"stream_replay: {len(lines)} requests from {len(streams) // 4} texts written to {args.out}")


if __name__ == "__main__":
    main()
