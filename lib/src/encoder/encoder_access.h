// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_ENCODER_ACCESS_H_
#define FLASHTOK_SRC_ENCODER_ENCODER_ACCESS_H_

#include "flashtok/encoder.h"
#include "pretokenizer/pretokenizer.h"

namespace flashtok::internal {

// What the library's layers above the encoder read of an Encoder that is not
// public API (a friend of Encoder).
struct EncoderAccess {
  static const Pretokenizer& pretokenizer(const Encoder& encoder) noexcept { return *encoder.pretokenizer_; }
};

// The pre-tokenizer an encoder splits text with.
inline const Pretokenizer& pretokenizer_of(const Encoder& encoder) noexcept {
  return EncoderAccess::pretokenizer(encoder);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_ENCODER_ACCESS_H_
