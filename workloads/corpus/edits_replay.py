#!/usr/bin/env python3
# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""The `edits` workload's shape, on real text: a replay for `flashtok bench/verify --replay`.

    python3 workloads/corpus/edits_replay.py CORPUS_DIR OUT.jsonl [--seed 42] [--turns 24]

CORPUS_DIR is what build_corpus.sh wrote (prose.txt, chat.txt, code.txt). One session of long
prompts sent whole every turn, edited as chat templates and agents edit them (as the built-in
`edits`, whose text is generated from word lists):

- a date line at the very start, a few seconds later each turn;
- a system prompt of ~16 KB of real prose;
- 50 retrieved passages of ~1.5 KB of prose, chat or code; each turn one of the second half is
  swapped for a new one;
- 40 earlier answers (a question and a reply of real text), then one per turn; only the newest
  answer keeps its think block, so each turn strips the one before;
- each turn's model output (think block and reply) as an `output` line.

Prompts grow from ~160 KB to ~200 KB (UTF-8 bytes). Deterministic for a given corpus and seed. The corpus keeps
its licences: write the replay where you need it and do not commit it.
"""
import argparse
import json
import random
import sys


def chunks(text, size, rng, count):
    """`count` pieces of about `size` bytes from random places, cut at line ends."""
    out = []
    for _ in range(count):
        start = text.find("\n", rng.randrange(len(text) - 4 * size)) + 1
        end = text.find("\n", start + size)
        out.append(text[start:end if end >= 0 else len(text)])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--turns", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kinds = {}
    for kind in ("prose", "chat", "code"):
        path = f"{args.corpus}/{kind}.txt"
        try:
            with open(path, encoding="utf-8") as f:
                kinds[kind] = f.read()
        except (OSError, UnicodeDecodeError) as e:
            sys.exit(f"edits_replay: cannot read {path}: {e} (build the corpus with workloads/corpus/build_corpus.sh)")
        if len(kinds[kind]) < 100_000:
            sys.exit(f"edits_replay: {path} holds {len(kinds[kind])} characters; the replay needs at least 100,000")

    def passage_text():
        return chunks(kinds[rng.choice(("prose", "chat", "code"))], 1500, rng, 1)[0]

    def answer():
        question = chunks(kinds["prose"], 120, rng, 1)[0].strip().replace("\n", " ")
        return {"question": question, "think": chunks(kinds["prose"], 500, rng, 1)[0],
                "reply": chunks(kinds[rng.choice(("chat", "prose"))], 1200, rng, 1)[0]}

    def output_of(a, with_think):
        return (f" <think>{a['think']}</think>" if with_think else "") + " " + a["reply"]

    system = "# Role\n\nYou are a research assistant.\n\n" + "\n\n".join(chunks(kinds["prose"], 4000, rng, 4))
    passages = [(i + 1, passage_text()) for i in range(50)]  # (id, text)
    next_id = len(passages) + 1
    answers = [answer() for _ in range(40)]
    lines = []
    for turn in range(args.turns):
        question = answer()["question"]
        passages[len(passages) // 2 + rng.randrange(len(passages) // 2)] = (next_id, passage_text())
        next_id += 1
        t = 9 * 3600 + turn * 47 + rng.randrange(40)
        date = f"Current date: 2026-12-01 {t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d} UTC\n"
        prompt = date + system + "\n\n# Retrieved passages\n\n"
        prompt += "".join(f'<passage id="doc-{i}">\n{p}\n</passage>\n' for i, p in passages)
        prompt += "\n# Conversation"
        for i, a in enumerate(answers):
            prompt += f"\n\nUser: {a['question']}\nAssistant:" + output_of(a, i + 1 == len(answers))
        prompt += f"\n\nUser: {question}\nAssistant:"
        lines.append({"session": "r", "prompt": prompt})
        new = answer()
        new["question"] = question
        lines.append({"session": "r", "output": output_of(new, True)})
        answers.append(new)
    with open(args.out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
