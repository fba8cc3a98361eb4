// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/stream_decoder.h"

#include <utility>

#include "encoder/utf8_replace.h"
#include "flashtok/error.h"

namespace flashtok {

StreamDecoder::StreamDecoder(std::shared_ptr<const Encoding> encoding, Mode mode)
    : encoding_(std::move(encoding)), mode_(mode) {
  if (!encoding_) throw Error(ErrorCode::kInvalidArgument, "StreamDecoder needs an encoding");
}

std::string StreamDecoder::push(Rank id) {
  const std::string_view bytes = encoding_->token_bytes(id);
  if (bytes.empty()) {
    throw Error(ErrorCode::kInvalidToken, "token id " + std::to_string(id) + " is not in " + encoding_->name());
  }
  std::string unread = pending_;  // a copy (at most 3 bytes): pending_ stays as it was if this throws
  unread += bytes;
  std::string out;
  const std::size_t consumed = mode_ == Mode::kReplace
                                   ? internal::append_replacing_invalid(unread, internal::CutTail::kHold, &out)
                                   : internal::append_holding_cut_tail(unread, &out);
  pending_ = unread.substr(consumed);
  return out;
}

std::string StreamDecoder::flush() {
  std::string out;
  if (mode_ == Mode::kReplace) {
    internal::append_replacing_invalid(pending_, internal::CutTail::kReplace, &out);
  } else {
    out = pending_;
  }
  pending_.clear();
  return out;
}

}  // namespace flashtok
