// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok: an exact tiktoken-compatible tokenizer with tokenizer-side prefix
// caches. Include this for the whole public API.
#ifndef FLASHTOK_FLASHTOK_H_
#define FLASHTOK_FLASHTOK_H_

#include "flashtok/append_only_token_cache.h"
#include "flashtok/encoder.h"
#include "flashtok/encoding.h"
#include "flashtok/error.h"
#include "flashtok/export.h"
#include "flashtok/fixed_prefix_token_cache.h"
#include "flashtok/frequent_prefixes.h"
#include "flashtok/rank.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/shared_prefix_token_cache.h"
#include "flashtok/stream_decoder.h"
#include "flashtok/token_delta.h"
#include "flashtok/utf8_validity.h"
#include "flashtok/version.h"

#endif  // FLASHTOK_FLASHTOK_H_
