// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Any id sequence through StreamDecoder: the pieces add up to decode (and,
// losslessly, to decode_bytes), every replacing piece is valid UTF-8, and
// no more than a cut character's 3 bytes are ever held back.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "fuzz_check.h"

namespace {

const flashtok::Encoder& encoder_for(std::uint8_t selector) {
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  static std::shared_ptr<const flashtok::Encoder> encoders[4];
  auto& encoder = encoders[selector % 4];
  if (!encoder) encoder = flashtok::Encoder::builtin(kNames[selector % 4]);
  return *encoder;
}

// Three bytes per id: an odd first byte makes the second a one-byte token
// (which cuts characters anywhere), an even one any id of the vocabulary.
std::vector<flashtok::Rank> ids_of(const flashtok::Encoding& encoding, const std::uint8_t* data, std::size_t size) {
  std::vector<flashtok::Rank> ids;
  for (std::size_t i = 0; i + 3 <= size; i += 3) {
    const flashtok::Rank id =
        data[i] & 1 ? encoding.rank_of(std::string(1, static_cast<char>(data[i + 1])))
                    : (static_cast<flashtok::Rank>(data[i] >> 1) << 16 | data[i + 2] << 8 | data[i + 1]) % encoding.n_vocab();
    if (!encoding.token_bytes(id).empty()) ids.push_back(id);
  }
  return ids;
}

std::string streamed(const flashtok::Encoder& encoder, const std::vector<flashtok::Rank>& ids,
                     flashtok::StreamDecoder::Mode mode) {
  flashtok::StreamDecoder decoder(encoder.encoding_ptr(), mode);
  std::string out;
  for (const flashtok::Rank id : ids) {
    const std::string piece = decoder.push(id);
    if (mode == flashtok::StreamDecoder::Mode::kReplace) FUZZ_CHECK(!flashtok::first_invalid_utf8(piece));
    FUZZ_CHECK(decoder.pending_bytes() <= 3);
    out += piece;
  }
  return out + decoder.flush();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const flashtok::Encoder& encoder = encoder_for(data[0]);
  const std::vector<flashtok::Rank> ids = ids_of(encoder.encoding(), data + 1, size - 1);
  FUZZ_CHECK(streamed(encoder, ids, flashtok::StreamDecoder::Mode::kReplace) == encoder.decode(ids));
  FUZZ_CHECK(streamed(encoder, ids, flashtok::StreamDecoder::Mode::kBytes) == encoder.decode_bytes(ids));
  return 0;
}
