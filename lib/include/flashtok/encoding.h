// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_ENCODING_H_
#define FLASHTOK_ENCODING_H_

#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/export.h"
#include "flashtok/rank.h"

namespace flashtok {
namespace internal {
class RankTable;
struct EncodingAccess;
}  // namespace internal

// The data that defines a tokenizer: ranks, special tokens, and the
// pre-tokenization pattern, in tiktoken's format.
//
// Built-in encodings (cl100k_base, o200k_base, r50k_base, p50k_base, and gpt2
// as r50k_base's alias) are embedded in the library, so they load from any
// working directory with no files beside the program; their SHA-256 is checked
// against the published hash when they are loaded. Immutable; thread-safe.
class FLASHTOK_EXPORT Encoding {
 public:
  // Options for an encoding loaded from a user's own .tiktoken file.
  struct FileOptions {
    std::string name;                          // defaults to the file's stem
    std::string pattern;                       // required: tiktoken's pat_str
    std::map<std::string, Rank> special_tokens;
    std::string expected_sha256;               // hex; empty: not checked
    std::size_t max_bytes = std::numeric_limits<std::size_t>::max();  // from_file: a larger file is refused
  };

  // A built-in encoding by name, loaded once per process and then shared.
  // Throws Error(kInvalidArgument) for an unknown name, listing the known ones.
  static std::shared_ptr<const Encoding> builtin(std::string_view name);
  static std::vector<std::string> builtin_names();

  // Loads a .tiktoken file (lines of `base64(token) rank`). Throws
  // Error(kNotFound / kIo) for an unreadable file, Error(kTooLarge) for one
  // over options.max_bytes (before reading it), and Error(kCorruptData) for a
  // malformed one (the message names the line) or a SHA-256 mismatch.
  static std::shared_ptr<const Encoding> from_file(const std::string& path,
                                                   FileOptions options);
  // The same, from the file's contents already in memory.
  static std::shared_ptr<const Encoding> from_tiktoken_text(std::string_view text,
                                                            FileOptions options);

  const std::string& name() const noexcept { return name_; }
  const std::string& pattern() const noexcept { return pattern_; }
  const std::string& sha256() const noexcept { return sha256_; }
  const std::map<std::string, Rank>& special_tokens() const noexcept { return special_tokens_; }

  // One past the largest id, ordinary or special.
  Rank n_vocab() const noexcept { return n_vocab_; }
  // The bytes of an ordinary or special token; empty if the id is unknown.
  std::string_view token_bytes(Rank id) const noexcept;
  bool is_special(Rank id) const noexcept { return special_by_id_.count(id) != 0; }
  // The id of the ordinary token that is exactly these bytes, or kNoRank.
  Rank rank_of(std::string_view bytes) const noexcept;
  // Heap bytes the vocabulary holds (its lookup tables included, and the
  // tables encodes build on first use once they have: where long pieces may
  // be cut, the characters a merge starts from whole, and the long-piece
  // encoder's 11 MB for cl100k_base, 21 MB for o200k_base), for memory
  // budgets. Builds nothing itself.
  std::size_t memory_bytes() const;

  ~Encoding();
  Encoding(const Encoding&) = delete;
  Encoding& operator=(const Encoding&) = delete;

 private:
  // Only the loaders above can make one (the key is private); it is public
  // for std::make_shared.
  struct Key {
    explicit Key() = default;
  };

 public:
  FLASHTOK_NO_EXPORT Encoding(Key, std::string name, std::string pattern, std::string sha256,
                              std::unique_ptr<const internal::RankTable> ranks,
                              std::map<std::string, Rank> special_tokens);

 private:
  friend struct internal::EncodingAccess;  // the library's own layers read the rank table

  std::string name_;
  std::string pattern_;
  std::string sha256_;
  std::unique_ptr<const internal::RankTable> ranks_;  // never null
  std::map<std::string, Rank> special_tokens_;
  std::map<Rank, std::string> special_by_id_;
  Rank n_vocab_ = 0;
};

}  // namespace flashtok

#endif  // FLASHTOK_ENCODING_H_
