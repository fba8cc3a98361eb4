# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Batches on native threads, and concurrent calls from Python threads."""
import concurrent.futures
import random
import threading

import flashtok
from conftest import random_text


def texts_for(seed, n):
    rng = random.Random(seed)
    # Long texts too, so that calls release the GIL and really overlap.
    return [random_text(rng, rng.choice([5, 50, 2000])) for _ in range(n)]


def test_batch_equals_one_by_one(enc):
    texts = texts_for(11, 200)
    expected = [enc.encode_ordinary(t) for t in texts]
    for threads in (1, 2, 8):
        assert enc.encode_ordinary_batch(texts, num_threads=threads) == expected
        assert enc.encode_batch(texts, num_threads=threads) == expected
    assert enc.encode_ordinary_batch([]) == []


def test_concurrent_calls_from_python_threads(enc):
    texts = texts_for(12, 120)
    expected = {t: enc.encode_ordinary(t) for t in texts}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(enc.encode_ordinary, texts * 3))
        counts = list(pool.map(enc.count, texts))
        batches = list(pool.map(lambda chunk: enc.encode_batch(chunk, num_threads=2), [texts[:40], texts[40:80]]))
    assert results == [expected[t] for t in texts * 3]
    assert counts == [len(expected[t]) for t in texts]
    assert batches == [[expected[t] for t in texts[:40]], [expected[t] for t in texts[40:80]]]


def test_shared_caches_from_python_threads(enc):
    session_cache = flashtok.SessionTokenCache(enc, max_sessions=16)
    shared = flashtok.SharedPrefixTokenCache(enc, block_bytes=64)
    system = random_text(random.Random(13), 500)
    failures = []

    def conversation(worker):
        rng = random.Random(100 + worker)
        text, ids = "", []
        for _ in range(30):
            text += random_text(rng, rng.randrange(1, 40))
            rollback, new_ids, restart = session_cache.update(f"w{worker}", text)
            if restart:
                ids = []
            del ids[len(ids) - rollback:]
            ids.extend(new_ids)
            if ids != enc.encode_ordinary(text) or shared.encode(system + text) != enc.encode_ordinary(system + text):
                failures.append(worker)

    threads = [threading.Thread(target=conversation, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
