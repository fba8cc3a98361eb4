# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Which encoding an OpenAI model uses, as tiktoken's encoding_for_model knows it.

Only models whose encoding flashtok ships are listed (the *_edit and
o200k_harmony encodings are not built in).
"""

_O200K = "o200k_base"
_CL100K = "cl100k_base"
_P50K = "p50k_base"
_R50K = "r50k_base"

# Exact model names.
ENCODING_OF_MODEL = {
    # reasoning and chat models on o200k_base
    **dict.fromkeys(["o1", "o3", "o4-mini", "gpt-5", "gpt-4.1", "gpt-4o", "gpt-4.5"], _O200K),
    # chat and embeddings on cl100k_base
    **dict.fromkeys(["gpt-4", "gpt-3.5-turbo", "gpt-3.5", "gpt-35-turbo", "davinci-002", "babbage-002",
                     "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large"], _CL100K),
    # completion and code models on p50k_base
    **dict.fromkeys(["text-davinci-003", "text-davinci-002", "code-davinci-002", "code-davinci-001",
                     "code-cushman-002", "code-cushman-001", "davinci-codex", "cushman-codex"], _P50K),
    # GPT-3 and its search and similarity models on r50k_base
    **dict.fromkeys(["text-davinci-001", "text-curie-001", "text-babbage-001", "text-ada-001",
                     "davinci", "curie", "babbage", "ada",
                     "text-similarity-davinci-001", "text-similarity-curie-001",
                     "text-similarity-babbage-001", "text-similarity-ada-001",
                     "text-search-davinci-doc-001", "text-search-curie-doc-001",
                     "text-search-babbage-doc-001", "text-search-ada-doc-001",
                     "code-search-babbage-code-001", "code-search-ada-code-001"], _R50K),
    "gpt2": "gpt2",
}

# Name prefixes of dated or fine-tuned variants (gpt-4o-2024-08-06,
# ft:gpt-4o:..., gpt-4-0613), tried in this order when no exact name matches.
ENCODING_OF_MODEL_PREFIX = [
    ("o1-", _O200K), ("o3-", _O200K), ("o4-mini-", _O200K),
    ("gpt-5-", _O200K), ("gpt-4.1-", _O200K), ("gpt-4.5-", _O200K),
    ("chatgpt-4o-", _O200K), ("gpt-4o-", _O200K),
    ("gpt-4-", _CL100K), ("gpt-3.5-turbo-", _CL100K), ("gpt-35-turbo-", _CL100K),
    ("ft:gpt-4o", _O200K), ("ft:gpt-4", _CL100K), ("ft:gpt-3.5-turbo", _CL100K),
    ("ft:davinci-002", _CL100K), ("ft:babbage-002", _CL100K),
]


def encoding_name_for_model(model_name: str) -> str:
    """The encoding name of a model; KeyError for a model it does not know."""
    if model_name in ENCODING_OF_MODEL:
        return ENCODING_OF_MODEL[model_name]
    for prefix, encoding_name in ENCODING_OF_MODEL_PREFIX:
        if model_name.startswith(prefix):
            return encoding_name
    raise KeyError(
        f"Could not automatically map {model_name} to a tokeniser. "
        "Name its encoding with flashtok.get_encoding instead."
    )
