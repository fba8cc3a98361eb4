# Copyright flashtok authors. SPDX-License-Identifier: MIT
import json
import os
import pathlib

import pytest

import flashtok

ENCODINGS = ["cl100k_base", "o200k_base", "r50k_base", "p50k_base"]
TESTS_DIR = pathlib.Path(os.environ.get("FLASHTOK_TEST_DATA_DIR", pathlib.Path(__file__).resolve().parent.parent))


@pytest.fixture(params=ENCODINGS)
def enc(request):
    return flashtok.get_encoding(request.param)


def golden_records():
    """tests/golden/golden.jsonl: real tiktoken's ids of every golden text, for every encoding."""
    with open(TESTS_DIR / "golden" / "golden.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def random_text(rng, length):
    """Text that stresses the patterns: letters of several scripts, digits,
    spaces, newlines, contractions, punctuation, emoji and CJK (which split
    across byte-level tokens)."""
    alphabet = ["a", "B", "z", "é", "ß", "Σ", "中", "文", "ア", "😀", "🦜", "1", "9", " ", "  ", "\n", "\t",
                "'s", "'LL", "!", ".", ",", "-", "/", "<", "|", "\u0301", "\u200d"]
    return "".join(rng.choice(alphabet) for _ in range(length))
