# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""encode()'s special-token rules, as tiktoken applies them."""
import pytest

EOT = "<|endoftext|>"


def test_disallowed_by_default_with_tiktokens_message(enc):
    with pytest.raises(ValueError, match=r"^Encountered text corresponding to disallowed special token '<\|endoftext\|>'\."):
        enc.encode(f"hello {EOT}")


def test_the_first_disallowed_token_in_the_text_is_named():
    import flashtok

    enc = flashtok.get_encoding("cl100k_base")
    with pytest.raises(ValueError, match="'<\\|fim_prefix\\|>'"):
        enc.encode("a <|fim_prefix|> b <|endoftext|>")


def test_allowed_all_and_allowed_set(enc):
    text = f"hello {EOT} world"
    with_special = enc.encode(text, allowed_special="all")
    assert enc.eot_token in with_special
    assert enc.encode(text, allowed_special={EOT}) == with_special
    assert enc.decode(with_special) == text


def test_not_disallowed_is_ordinary_text(enc):
    text = f"hello {EOT} world"
    assert enc.encode(text, disallowed_special=()) == enc.encode_ordinary(text)
    assert enc.eot_token not in enc.encode(text, disallowed_special=())


def test_allowed_but_absent_changes_nothing(enc):
    assert enc.encode("plain text", allowed_special="all") == enc.encode_ordinary("plain text")


def test_disallowed_any_string(enc):
    # tiktoken searches for whatever strings disallowed_special names.
    with pytest.raises(ValueError, match="'forbidden'"):
        enc.encode("a forbidden word", disallowed_special={"forbidden"})


def test_batch_applies_the_same_rules(enc):
    with pytest.raises(ValueError, match="disallowed special token"):
        enc.encode_batch(["fine", f"not {EOT}"])
    assert enc.encode_batch(["a", f"b {EOT}"], allowed_special="all") == [
        enc.encode("a"), enc.encode(f"b {EOT}", allowed_special="all")]
