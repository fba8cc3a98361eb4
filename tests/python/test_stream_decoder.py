# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""flashtok.StreamDecoder: pieces add up to decode() and never split a character."""
import random

import flashtok
from conftest import random_text


def byte_tokens(enc, data):
    return [enc.encode_single_token(bytes([b])) for b in data]


def test_pieces_add_up_to_decode(enc):
    rng = random.Random(14)
    for _ in range(300):
        ids = enc.encode_ordinary(random_text(rng, rng.randrange(20)))
        ids += byte_tokens(enc, rng.randbytes(rng.randrange(6)))  # invalid UTF-8 too
        ids += [rng.randrange(enc.n_vocab) for _ in range(rng.randrange(3))]
        ids = [i for i in ids if _is_token(enc, i)]
        rng.shuffle(ids)
        decoder = flashtok.StreamDecoder(enc)
        pieces = [decoder.push(i) for i in ids] + [decoder.flush()]
        assert "".join(pieces) == enc.decode(ids)
        assert decoder.pending_bytes == 0


def _is_token(enc, i):
    try:
        enc.decode_single_token_bytes(i)
        return True
    except KeyError:
        return False


def test_emoji_split_across_tokens_comes_out_once_whole(enc):
    decoder = flashtok.StreamDecoder(enc)
    pieces = [decoder.push(i) for i in byte_tokens(enc, "🦜".encode("utf-8"))]
    assert pieces == ["", "", "", "🦜"]
    assert decoder.flush() == ""


def test_invalid_sequence_is_released_at_once(enc):
    decoder = flashtok.StreamDecoder(enc)
    assert decoder.push(byte_tokens(enc, b"\xe4")[0]) == ""
    assert decoder.push(byte_tokens(enc, b"x")[0]) == "\ufffdx"
    assert decoder.push(byte_tokens(enc, b"\xf0")[0]) == ""
    assert decoder.flush() == "\ufffd"
