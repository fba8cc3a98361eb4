// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_STREAM_DECODER_H_
#define FLASHTOK_STREAM_DECODER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "flashtok/encoding.h"
#include "flashtok/export.h"
#include "flashtok/rank.h"

namespace flashtok {

// Decodes ids that arrive one at a time (a model's output) into text that
// never splits a character. A token may end inside a UTF-8 character (one
// half of an emoji or a CJK character is a byte-level token of its own);
// decoding each id alone would print U+FFFD for both halves.
//
// push() returns the bytes that now form whole characters and holds back a
// tail that begins a valid sequence but is cut short (at most 3 bytes). A
// held tail is released as soon as a byte arrives that shows it can never
// be valid, so invalid input is never held for longer than that one byte.
// flush() returns what is still held, at the end of the stream.
//
// Concatenating every push() and the final flush() gives, for any ids:
//   Mode::kReplace: exactly Encoder::decode(ids) (tiktoken's decode: each
//     invalid sequence becomes one U+FFFD), and every piece is valid UTF-8;
//   Mode::kBytes: exactly Encoder::decode_bytes(ids), byte for byte (the
//     invalid bytes pass through as they are).
//
// Not thread-safe: one decoder per stream. Cheap to make; it shares the
// encoding.
class FLASHTOK_EXPORT StreamDecoder {
 public:
  enum class Mode { kReplace, kBytes };

  explicit StreamDecoder(std::shared_ptr<const Encoding> encoding, Mode mode = Mode::kReplace);

  // Adds the bytes of one token (ordinary or special) and returns the text
  // that is now complete; empty while a character is still cut short.
  // Throws Error(kInvalidToken) for an id the encoding does not have, and
  // then changes nothing.
  std::string push(Rank id);
  // Returns the held tail (one U+FFFD in kReplace mode) and starts over.
  std::string flush();

  // Bytes held back, waiting for the rest of a character (0 to 3).
  std::size_t pending_bytes() const noexcept { return pending_.size(); }
  Mode mode() const noexcept { return mode_; }
  const Encoding& encoding() const noexcept { return *encoding_; }

 private:
  std::shared_ptr<const Encoding> encoding_;
  Mode mode_;
  std::string pending_;  // the held tail, a valid but unfinished sequence
};

}  // namespace flashtok

#endif  // FLASHTOK_STREAM_DECODER_H_
