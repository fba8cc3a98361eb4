// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_ENCODER_H_
#define FLASHTOK_ENCODER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/encoding.h"
#include "flashtok/export.h"
#include "flashtok/rank.h"

namespace flashtok {
namespace internal {
class Pretokenizer;
struct EncoderAccess;
}  // namespace internal

// A set of special-token names, or all of them (tiktoken's "all").
struct FLASHTOK_EXPORT SpecialTokenSet {
  bool all_tokens = false;  // every special token of the encoding, whatever names says
  std::vector<std::string> names;

  static SpecialTokenSet all() { return {true, {}}; }
  static SpecialTokenSet none() { return {}; }
  bool contains(std::string_view name) const;
};

// How an Encoder splits text into pieces.
enum class PretokenizerChoice {
  kFastest,  // a hand-written scanner when the pattern is a known one, else RE2
  kRegex,    // always RE2 (the reference the scanners are tested against)
};

// A tiktoken-compatible encoder: pre-tokenize with the encoding's pattern,
// then byte-pair merge each piece by rank.
//
// encode_ordinary() returns exactly the ids of tiktoken's encode_ordinary for
// every valid UTF-8 input. For input that is not valid UTF-8 the encoding is
// lossless instead of an error: decode_bytes(encode_ordinary(x)) == x for
// every byte string x. A byte that does not start a valid sequence is scanned
// as one character of its own with the class U+FFFD has, and every single
// byte is a token, so BPE sees and keeps every byte.
//
// A pattern other than the built-in ones runs on RE2 after a rewrite that
// makes it agree with tiktoken; constructing the Encoder throws
// Error(kUnsupportedPattern) for constructs that cannot be emulated.
//
// Immutable after construction; every method is const and thread-safe.
//
// Memory per thread: each thread that encodes (through an Encoder or any
// cache) keeps its own working memory, about 2.5 MB, most of it a memo of
// recently merged pieces (a word seen again is then a copy, not a merge). It
// is reserved on the thread's first encode (its pages are used, and count in
// the process's resident memory, as the memo fills), reused by every encoder
// and cache on that thread, never shared, and freed when the thread exits.
class FLASHTOK_EXPORT Encoder {
 public:
  explicit Encoder(std::shared_ptr<const Encoding> encoding,
                   PretokenizerChoice choice = PretokenizerChoice::kFastest);
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  // Shorthand for Encoder(Encoding::builtin(name)).
  static std::shared_ptr<const Encoder> builtin(std::string_view name);

  std::vector<Rank> encode_ordinary(std::string_view text) const;
  // Appends the ids of text to *out (reuses its capacity).
  void encode_ordinary(std::string_view text, std::vector<Rank>* out) const;
  // The number of ids encode_ordinary would return, without building them.
  std::size_t count(std::string_view text) const;

  // Like tiktoken's encode(): text of an allowed special token becomes its id;
  // text of a disallowed one (default: every special not allowed) throws
  // Error(kDisallowedSpecial); special text neither allowed nor disallowed is
  // encoded as ordinary text.
  std::vector<Rank> encode(std::string_view text,
                           const SpecialTokenSet& allowed = SpecialTokenSet::none(),
                           const SpecialTokenSet& disallowed = SpecialTokenSet::all()) const;

  // encode_ordinary over many texts, in parallel with OpenMP. threads <= 0
  // uses OpenMP's default. The result is in input order.
  std::vector<std::vector<Rank>> encode_batch(const std::vector<std::string>& texts,
                                              int threads = 0) const;

  // The bytes of ids, special tokens included. Throws Error(kInvalidToken)
  // naming the first id the encoding does not have.
  std::string decode_bytes(const Rank* ids, std::size_t n) const;
  std::string decode_bytes(const std::vector<Rank>& ids) const {
    return decode_bytes(ids.data(), ids.size());
  }
  // decode_bytes, then invalid UTF-8 replaced by U+FFFD (tiktoken's decode).
  std::string decode(const std::vector<Rank>& ids) const;

  // Builds now what encodes otherwise build on first use, so that no request
  // pays for it: the long-piece encoder's tables (the first piece over 128
  // bytes would wait tens of milliseconds for them), where long pieces may
  // be cut, the characters a merge starts from whole, and the calling
  // thread's working memory (each thread has its own), its 2.5 MB memo made
  // resident rather than faulted in page by page as the thread's first
  // requests fill it. Call it once at startup (and on each worker thread
  // whose first requests should not pay for those pages); the tables live
  // as long as the encoding (memory_bytes() counts them), the working memory
  // as long as the thread, and later calls find them built. The cost: the
  // long-piece tables' memory (about 11 MB for cl100k_base, 21 MB for
  // o200k_base) even if no long piece ever comes, and 2.5 MB per thread
  // that calls it.
  void prepare() const;

  // How the calling thread's memo of merged pieces served a text: its
  // pieces, those of them that are no token of their own (the ones a merge
  // would build, so the ones the memo is asked for), and of those the ones
  // the memo held when the walk reached them.
  struct MemoUse {
    std::size_t pieces = 0;
    std::size_t merged = 0;
    std::size_t memo_hits = 0;
    // memo_hits / merged; NaN when nothing was merged (no rate to give).
    double hit_rate() const noexcept;
  };
  // Encodes text as encode_ordinary does, on this thread's memo (which
  // learns as it would), and counts how the memo served it. For reports: an
  // encode's speed depends on this hit rate (memo_hits / merged) more than on
  // anything else about the text, so a throughput figure should name it.
  MemoUse memo_use(std::string_view text) const;

  const Encoding& encoding() const noexcept { return *encoding_; }
  const std::shared_ptr<const Encoding>& encoding_ptr() const noexcept { return encoding_; }

 private:
  friend struct internal::EncoderAccess;  // the caches walk its pieces

  std::shared_ptr<const Encoding> encoding_;
  std::unique_ptr<const internal::Pretokenizer> pretokenizer_;
};

}  // namespace flashtok

#endif  // FLASHTOK_ENCODER_H_
