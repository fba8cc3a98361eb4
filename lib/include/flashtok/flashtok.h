// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok: an exact tiktoken-compatible tokenizer with tokenizer-side prefix
// caches. Include this for the whole public API.
#ifndef FLASHTOK_FLASHTOK_H_
#define FLASHTOK_FLASHTOK_H_

#include "flashtok/append_only_piece_token_cache.h"
#include "flashtok/encoder.h"
#include "flashtok/encoding.h"
#include "flashtok/error.h"
#include "flashtok/fixed_prefix_token_cache.h"
#include "flashtok/frequent_prefixes.h"
#include "flashtok/io.h"
#include "flashtok/pretokenizer.h"
#include "flashtok/rank_table.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/shared_prefix_cache.h"
#include "flashtok/tokenized_text.h"
#include "flashtok/utf8.h"

#endif  // FLASHTOK_FLASHTOK_H_
