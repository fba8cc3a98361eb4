# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""tiktoken's module functions and Encoding attributes."""
import importlib.util

import pytest

import flashtok


def test_get_encoding_is_shared_and_names_are_listed():
    assert flashtok.get_encoding("cl100k_base") is flashtok.get_encoding("cl100k_base")
    assert set(flashtok.list_encoding_names()) >= {"cl100k_base", "o200k_base", "r50k_base", "p50k_base", "gpt2"}
    with pytest.raises(ValueError, match="Unknown encoding"):
        flashtok.get_encoding("no_such_encoding")


@pytest.mark.parametrize("model,name", [
    ("gpt-4o", "o200k_base"), ("gpt-4o-2024-08-06", "o200k_base"), ("o1", "o200k_base"),
    ("gpt-4", "cl100k_base"), ("gpt-4-0613", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
    ("text-embedding-3-small", "cl100k_base"), ("text-davinci-003", "p50k_base"),
    ("davinci", "r50k_base"), ("gpt2", "gpt2"),
])
def test_encoding_for_model(model, name):
    assert flashtok.encoding_for_model(model).name == name


def test_unknown_model_is_a_key_error():
    with pytest.raises(KeyError):
        flashtok.encoding_for_model("not-a-model")


def test_attributes(enc):
    assert enc.eot_token == enc._special_tokens["<|endoftext|>"]
    assert "<|endoftext|>" in enc.special_tokens_set
    assert enc.n_vocab == enc.max_token_value + 1
    assert enc.n_vocab > max(enc._special_tokens.values())
    assert enc.decode_single_token_bytes(enc.eot_token) == b"<|endoftext|>"


def test_prepare_builds_ahead_and_changes_no_id(enc):
    text = "go " + "abcdefghijklmnopqrstuvwxyz" * 20 + " done"  # a 520-byte piece: the long-piece encoder
    assert enc.prepare() is None
    assert enc.prepare() is None
    assert enc.encode_ordinary(text) == flashtok.get_encoding(enc.name).encode_ordinary(text)
    assert enc.decode(enc.encode_ordinary(text)) == text


def test_gpt2_is_r50k_base():
    assert flashtok.get_encoding("gpt2").encode("hello world") == flashtok.get_encoding("r50k_base").encode("hello world")


def test_single_tokens(enc):
    ids = enc.encode_ordinary("hello")
    assert len(ids) == 1
    assert enc.encode_single_token("hello") == ids[0]
    assert enc.encode_single_token(b"hello") == ids[0]
    assert enc.encode_single_token("<|endoftext|>") == enc.eot_token
    with pytest.raises(KeyError):
        enc.encode_single_token("hello world, not one token")


def test_unknown_token_is_a_key_error(enc):
    with pytest.raises(KeyError):
        enc.decode([enc.n_vocab + 10])
    with pytest.raises(KeyError):
        enc.decode_single_token_bytes(enc.n_vocab + 10)


def test_decode_replaces_invalid_utf8_and_honours_errors(enc):
    ids = enc.encode_ordinary("中")
    cut = [enc.encode_single_token(bytes([b])) for b in "中".encode("utf-8")[:2]]
    assert enc.decode_bytes(cut) == "中".encode("utf-8")[:2]
    assert enc.decode(cut) == "\ufffd"
    with pytest.raises(UnicodeDecodeError):
        enc.decode(cut, errors="strict")
    assert enc.decode(ids) == "中"


def test_non_str_is_a_type_error(enc):
    with pytest.raises(TypeError):
        enc.encode_ordinary(b"bytes")
    with pytest.raises(TypeError):
        enc.encode(42)


def test_lone_surrogates_become_replacement_characters(enc):
    # tiktoken re-encodes through UTF-16 with surrogatepass, back with replace.
    assert enc.encode("a\ud800b") == enc.encode("a\ufffdb")
    assert enc.encode_ordinary("x \udfff") == enc.encode_ordinary("x \ufffd")
    assert enc.count("\ud800") == len(enc.encode_ordinary("\ufffd"))
    # A pair of surrogates is the character they encode.
    assert enc.encode_ordinary("\ud83d\ude00") == enc.encode_ordinary("😀")


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="numpy is not installed")
def test_encode_to_numpy(enc):
    import numpy as np

    text = "hello <|endoftext|> world"
    array = enc.encode_to_numpy(text, allowed_special="all")
    assert array.dtype == np.uint32
    assert array.tolist() == enc.encode(text, allowed_special="all")
    with pytest.raises(ValueError):
        enc.encode_to_numpy(text)
