# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""flashtok: an exact tiktoken-compatible tokenizer with prefix caches.

The module-level functions and the Encoding methods have tiktoken's names,
arguments and results (token ids identical to tiktoken's); count() and the
caches are flashtok's own.
"""

import threading

from ._flashtok import (
    AppendOnlyTokenCache,
    FixedPrefixTokenCache,
    SessionHeldError,
    SessionOutputStream,
    SessionTokenCache,
    SharedPrefixTokenCache,
    StreamDecoder,
    __version__,
    _CoreEncoding,
)
from .models import encoding_name_for_model

__all__ = [
    "AppendOnlyTokenCache",
    "Encoding",
    "FixedPrefixTokenCache",
    "SessionHeldError",
    "SessionOutputStream",
    "SessionTokenCache",
    "SharedPrefixTokenCache",
    "StreamDecoder",
    "encoding_for_model",
    "get_encoding",
    "list_encoding_names",
]

_ENCODING_NAMES = ["gpt2", "r50k_base", "p50k_base", "cl100k_base", "o200k_base"]


class Encoding(_CoreEncoding):
    """A tokenizer: tiktoken.Encoding's methods, on flashtok's encoder.

    Immutable and thread-safe; the native methods release the GIL while
    they encode or decode long inputs, and the *_batch methods encode on
    num_threads threads.
    """

    def __init__(self, name):
        super().__init__(name)
        self._name = name  # "gpt2" is r50k_base's data under its own name, as in tiktoken

    @property
    def name(self):
        return self._name

    def __repr__(self):
        return f"<Encoding {self.name!r}>"

    @property
    def special_tokens_set(self):
        return set(self._special_tokens)

    @property
    def eot_token(self):
        return self._special_tokens["<|endoftext|>"]

    def decode(self, tokens, errors="replace"):
        """The text of tokens; invalid UTF-8 handled by errors as bytes.decode does."""
        return self.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_batch(self, batch, *, errors="replace", num_threads=8):
        return [self.decode(tokens, errors=errors) for tokens in batch]

    def decode_tokens_bytes(self, tokens):
        return [self.decode_single_token_bytes(token) for token in tokens]

    def encode_single_token(self, text_or_bytes):
        """The id of the one token that is exactly this text or these bytes."""
        if isinstance(text_or_bytes, str):
            if text_or_bytes in self._special_tokens:
                return self._special_tokens[text_or_bytes]
            text_or_bytes = text_or_bytes.encode("utf-8")
        return self._rank_of(bytes(text_or_bytes))

    def encode_to_numpy(self, text, *, allowed_special=frozenset(), disallowed_special="all"):
        """encode(), as a numpy array of uint32."""
        import numpy as np

        buffer = self._encode_to_uint32_bytes(text, allowed_special, disallowed_special)
        return np.frombuffer(buffer, dtype=np.uint32)


_encodings = {}
_encodings_lock = threading.Lock()


def get_encoding(encoding_name):
    """The encoding of that name, made once per process and then shared."""
    with _encodings_lock:
        encoding = _encodings.get(encoding_name)
        if encoding is None:
            if encoding_name not in _ENCODING_NAMES:
                raise ValueError(
                    f"Unknown encoding {encoding_name}. Known encodings: {', '.join(_ENCODING_NAMES)}"
                )
            encoding = _encodings[encoding_name] = Encoding(encoding_name)
        return encoding


def list_encoding_names():
    return list(_ENCODING_NAMES)


def encoding_for_model(model_name):
    """The encoding an OpenAI model uses (KeyError for an unknown model)."""
    return get_encoding(encoding_name_for_model(model_name))
