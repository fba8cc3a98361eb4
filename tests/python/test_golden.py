# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Every golden text through the Python API gives real tiktoken's ids."""
import collections

import pytest

import flashtok
from conftest import ENCODINGS, golden_records

RECORDS = golden_records()


def test_golden_file_covers_every_encoding():
    counts = collections.Counter(r["encoding"] for r in RECORDS)
    assert set(counts) == set(ENCODINGS)
    assert min(counts.values()) > 10


@pytest.mark.parametrize("record", RECORDS, ids=[f"{r['encoding']}-{r['name']}" for r in RECORDS])
def test_golden_text(record):
    enc = flashtok.get_encoding(record["encoding"])
    text, ids = record["text"], record["ids"]
    assert enc.encode_ordinary(text) == ids
    assert enc.encode(text, disallowed_special=()) == ids
    assert enc.count(text) == len(ids)
    assert enc.decode(ids) == text
    assert b"".join(enc.decode_tokens_bytes(ids)) == text.encode("utf-8")


@pytest.mark.parametrize("name", ENCODINGS)
def test_golden_texts_in_one_batch(name):
    records = [r for r in RECORDS if r["encoding"] == name]
    enc = flashtok.get_encoding(name)
    texts = [r["text"] for r in records]
    expected = [r["ids"] for r in records]
    assert enc.encode_ordinary_batch(texts, num_threads=3) == expected
    assert enc.encode_batch(texts, num_threads=2, disallowed_special=()) == expected
