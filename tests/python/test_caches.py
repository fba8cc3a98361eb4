# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Every cache's result and delta against a full encode of the same text."""
import random

import pytest

import flashtok
from conftest import random_text


def apply(ids, rollback, new_ids):
    del ids[len(ids) - rollback:]
    ids.extend(new_ids)


@pytest.mark.parametrize("backtrack", ["auto"])
def test_append_only_delta_matches_full_encode(enc, backtrack):
    rng = random.Random(7)
    for _ in range(40):
        start = random_text(rng, rng.randrange(20))
        cache = flashtok.AppendOnlyTokenCache(enc, start, backtrack_pieces=backtrack)
        text, ids = start, enc.encode_ordinary(start)
        assert cache.tokens() == ids
        for _ in range(15):
            more = random_text(rng, rng.randrange(8))
            rollback, new_ids = cache.append(more)
            text += more
            apply(ids, rollback, new_ids)
            assert ids == enc.encode_ordinary(text)
            assert cache.tokens() == ids
            assert cache.text == text
            assert len(cache) == len(ids)


def test_append_only_fixed_backtrack_and_bad_argument(enc):
    cache = flashtok.AppendOnlyTokenCache(enc, "hello", backtrack_pieces=3)
    cache.append(" world")
    assert cache.tokens() == enc.encode_ordinary("hello world")
    with pytest.raises(ValueError):
        flashtok.AppendOnlyTokenCache(enc, "", backtrack_pieces="sometimes")


def test_append_only_reset(enc):
    cache = flashtok.AppendOnlyTokenCache(enc, "one two")
    cache.reset("three")
    assert cache.tokens() == enc.encode_ordinary("three")


def test_fixed_prefix_matches_full_encode(enc):
    rng = random.Random(8)
    for _ in range(30):
        prefix = random_text(rng, rng.randrange(40))
        cache = flashtok.FixedPrefixTokenCache(enc, prefix)
        assert cache.prefix == prefix
        for _ in range(10):
            suffix = random_text(rng, rng.randrange(30))
            assert cache.encode(suffix) == enc.encode_ordinary(prefix + suffix)
            assert cache.count(suffix) == len(enc.encode_ordinary(prefix + suffix))
            rollback, append = cache.encode_delta(suffix)
            ids = cache.prefix_tokens()
            assert ids == enc.encode_ordinary(prefix)
            assert ids[: len(ids) - rollback] + append == enc.encode_ordinary(prefix + suffix)


def test_fixed_prefix_ending_in_a_long_run(enc):
    prefix = "The log follows:" + " " * 5000
    cache = flashtok.FixedPrefixTokenCache(enc, prefix)
    ids = cache.prefix_tokens()
    for suffix in [" ", " " * 10, "x", "\n", "   done\n"]:
        rollback, append = cache.encode_delta(suffix)
        assert rollback <= 3  # the run's ids stay but for its last few
        assert ids[: len(ids) - rollback] + append == enc.encode_ordinary(prefix + suffix)


@pytest.mark.parametrize("shards", [1, 3])
def test_session_cache_deltas_match_full_encode(enc, shards):
    rng = random.Random(9)
    cache = flashtok.SessionTokenCache(enc, max_sessions=3, max_bytes=1 << 20, shards=shards)
    texts, ids = {}, {}
    for _ in range(300):
        session = f"s{rng.randrange(5)}"  # more sessions than it holds: evictions restart them
        if rng.random() < 0.5 and session in texts:
            more = random_text(rng, rng.randrange(10))
            rollback, new_ids, restart = cache.append_output(session, more)
            # An evicted session restarts from the output alone.
            texts[session] = more if restart else texts[session] + more
        else:
            base = texts.get(session, "")
            keep = base[:rng.randrange(len(base) + 1)] if rng.random() < 0.3 else base  # an edit
            texts[session] = keep + random_text(rng, rng.randrange(12))
            rollback, new_ids, restart = cache.update(session, texts[session])
        mine = [] if restart else ids.setdefault(session, [])
        apply(mine, rollback, new_ids)
        ids[session] = mine
        assert mine == enc.encode_ordinary(texts[session])
        assert cache.tokens(session) == mine
    assert len(cache) <= 3
    assert cache.erase("s0") in (True, False)


def test_session_output_stream_is_append_output(enc):
    rng = random.Random(21)
    streamed = flashtok.SessionTokenCache(enc)
    called = flashtok.SessionTokenCache(enc)
    text = "User: hi\nAssistant:"
    streamed.update("s", text)
    called.update("s", text)
    ids = enc.encode_ordinary(text)
    with streamed.open_output("s") as out:
        with pytest.raises(flashtok.SessionHeldError):
            streamed.update("s", text)  # this thread holds it: an error, not a wait for itself
        with pytest.raises(RuntimeError):  # the error's base class, as before it had its own
            streamed.open_output("s")
        for _ in range(200):
            chunk = " " * rng.randrange(1, 30) if rng.random() < 0.3 else random_text(rng, rng.randrange(8))
            delta = out.append_output(chunk)
            assert delta == called.append_output("s", chunk)
            text += chunk
            apply(ids, delta[0], delta[1])
            assert ids == enc.encode_ordinary(text)
    assert not out.open
    with pytest.raises(RuntimeError):
        out.append_output("more")
    assert streamed.tokens("s") == ids
    assert streamed.stats() == called.stats()


def test_session_cache_splices_match_full_encode(enc):
    rng = random.Random(12)
    cache = flashtok.SessionTokenCache(enc)
    text = random_text(rng, 400)
    ids = []
    for _ in range(100):
        cut = rng.randrange(len(text) + 1)
        end = min(len(text), cut + rng.randrange(20))
        # An edit in the middle and new text at the end, as a chat template's turn does.
        text = text[:cut] + random_text(rng, rng.randrange(8)) + text[end:] + random_text(rng, rng.randrange(10))
        for first, replaced, new_ids, restart in cache.update_splices("s", text):
            if restart:
                ids = []
            ids[first:first + replaced] = new_ids
        assert ids == enc.encode_ordinary(text)
    assert cache.update_splices("s", text) == []  # nothing changed
    stats = cache.stats()
    assert stats["updates"] == 101 and stats["misses"] >= 1
    assert stats["partial_hits"] > 0 and stats["bytes_reused"] > 0  # the edits reused old pieces


def test_shared_prefix_matches_full_encode(enc):
    rng = random.Random(10)
    system = random_text(rng, 300)
    cache = flashtok.SharedPrefixTokenCache(enc, block_bytes=64, max_blocks=100)
    cache.prebuild([system])
    assert len(cache) > 0
    for _ in range(50):
        text = system[:rng.randrange(len(system) + 1)] + random_text(rng, rng.randrange(40))
        assert cache.encode(text) == enc.encode_ordinary(text)
    stats = cache.stats()
    assert stats["lookups"] >= 50 and stats["hits"] + stats["partial_hits"] > 0  # prebuild may look up too
    assert stats["bytes_reused"] > 0
