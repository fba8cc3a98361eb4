// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The caches' cost must not grow with the history or prefix length. Each case
// runs next to a full encode of the same text and an encode of the new text
// alone, so the ratios come from one run.
//   ./cache_benchmark --benchmark_filter='Append|FullEncode'
// AppendOverChunkAlone measures such a ratio itself, in pairs of batches.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"
#include "flashtok/flashtok.h"
#include "flashtok/workloads/generator.h"

namespace flashtok::bench {
namespace {

constexpr std::size_t kAppendBytes = 100;
constexpr std::size_t kSuffixBytes = 200;
constexpr int kAppendsPerReset = 4096;

std::shared_ptr<const Encoder> encoder_for(const char* name) { return Encoder::builtin(name); }

// About `tokens` tokens of corpus text.
std::string text_of_tokens(const Encoder& encoder, std::size_t tokens) {
  // Scale a first guess by the measured bytes per token, then grow to reach the target.
  const std::string probe = corpus_prefix(tokens * 4);
  const double bytes_per_token = static_cast<double>(probe.size()) / static_cast<double>(encoder.count(probe));
  std::string text = corpus_prefix(static_cast<std::size_t>(static_cast<double>(tokens) * bytes_per_token));
  while (encoder.count(text) < tokens) text = corpus_prefix(text.size() + text.size() / 64 + 16);
  return text;
}

// Distinct turns of about `bytes` bytes to append, cut from a part of the
// corpus far from the history. Like chat messages, each ends where a word
// does (before a space or line break), unless `mid_word`: then the cut is at
// any character, the cache's worst case, as the word cut in two must be
// re-encoded whole with the next turn.
std::vector<std::string> turns(std::size_t count, std::size_t bytes, bool mid_word = false) {
  const std::string source = corpus_prefix(count * bytes * 3 + 8192).substr(4096);
  auto continues_char = [&](std::size_t i) { return is_utf8_continuation(source[i]); };
  auto inside_word = [&](std::size_t i) { return source[i] != ' ' && source[i] != '\n'; };
  std::vector<std::string> out;
  for (std::size_t at = 0; out.size() < count;) {
    std::size_t end = at + bytes;
    while (continues_char(end) || (!mid_word && inside_word(end) && end < at + 2 * bytes)) ++end;
    out.push_back(source.substr(at, end - at));
    at = end;
  }
  return out;
}

void AppendToHistory(benchmark::State& state, const char* encoding, bool mid_word) {
  const auto encoder = encoder_for(encoding);
  const std::string history = text_of_tokens(*encoder, static_cast<std::size_t>(state.range(0)));
  const auto appends = turns(kAppendsPerReset, kAppendBytes, mid_word);
  AppendOnlyTokenCache cache(encoder, history);
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cache.append_ordinary(appends[i]).tokens_to_append.data());
    if (++i == kAppendsPerReset) {  // keep the history at its nominal length
      state.PauseTiming();
      cache.reset(history);
      i = 0;
      state.ResumeTiming();
    }
  }
  state.counters["history_tokens"] = static_cast<double>(encoder->count(history));
}

void FullEncodeOfHistory(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const std::string text = text_of_tokens(*encoder, static_cast<std::size_t>(state.range(0))) + turns(1, kAppendBytes)[0];
  std::vector<Rank> ids;
  for (auto _ : state) {
    ids.clear();
    encoder->encode_ordinary(text, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
}

// A session's first request: a full encode that also records each piece (the
// cold path of every cache), on the same text as FullEncodeOfHistory.
void FirstRequestOfSession(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const std::string text = text_of_tokens(*encoder, static_cast<std::size_t>(state.range(0))) + turns(1, kAppendBytes)[0];
  SessionTokenCache cache(encoder);
  for (auto _ : state) {
    cache.erase("s");
    benchmark::DoNotOptimize(cache.update("s", text).tokens_to_append.data());
  }
}

void EncodeAppendedTextAlone(benchmark::State& state, const char* encoding, bool mid_word) {
  const auto encoder = encoder_for(encoding);
  const auto appends = turns(kAppendsPerReset, kAppendBytes, mid_word);
  std::vector<Rank> ids;
  int i = 0;
  for (auto _ : state) {
    ids.clear();
    encoder->encode_ordinary(appends[i], &ids);
    benchmark::DoNotOptimize(ids.data());
    i = (i + 1) % kAppendsPerReset;
  }
}

void FixedPrefixTail(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const FixedPrefixTokenCache cache(encoder, text_of_tokens(*encoder, static_cast<std::size_t>(state.range(0))));
  const auto suffixes = turns(8, kSuffixBytes);
  std::vector<Rank> tail;
  int i = 0;
  for (auto _ : state) {
    cache.encode_tail(suffixes[i], &tail);
    benchmark::DoNotOptimize(tail.data());
    i = (i + 1) % 8;
  }
}

void FixedPrefixWithCopy(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const FixedPrefixTokenCache cache(encoder, text_of_tokens(*encoder, static_cast<std::size_t>(state.range(0))));
  const auto suffixes = turns(8, kSuffixBytes);
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cache.encode_ordinary(suffixes[i]).data());
    i = (i + 1) % 8;
  }
}

void EncodeSuffixAlone(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const auto suffixes = turns(8, kSuffixBytes);
  std::vector<Rank> ids;
  int i = 0;
  for (auto _ : state) {
    ids.clear();
    encoder->encode_ordinary(suffixes[i], &ids);
    benchmark::DoNotOptimize(ids.data());
    i = (i + 1) % 8;
  }
}

// The prompts of the `edits` workload (100-200 KB, edited at the start and
// in the middle every turn), one per iteration, through a session cache or
// (cached false) a full encode each. Each prompt goes to the cache as the
// next one, so each update also encodes the previous turn's output.
void EditedPrompts(benchmark::State& state, const char* encoding, bool cached) {
  const auto encoder = encoder_for(encoding);
  std::vector<std::string> prompts;
  for (const auto& r : workloads::generate("edits", 42).requests) {
    if (r.kind == workloads::RequestKind::kPrompt) prompts.push_back(r.text);
  }
  SessionTokenCache cache(encoder);
  cache.update("s", prompts[0]);
  std::vector<Rank> ids;
  std::size_t i = 1;
  double bytes = 0;
  for (auto _ : state) {
    if (cached) {
      benchmark::DoNotOptimize(cache.update("s", prompts[i]).tokens_to_append.data());
    } else {
      ids.clear();
      encoder->encode_ordinary(prompts[i], &ids);
      benchmark::DoNotOptimize(ids.data());
    }
    bytes += static_cast<double>(prompts[i].size());
    if (++i == prompts.size()) {  // start the conversation again, untimed
      state.PauseTiming();
      cache.update("s", prompts[0]);
      i = 1;
      state.ResumeTiming();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// The `edits` workload as `flashtok bench` replays it, timing the prompt
// updates alone (update_splices, as in bench's "prompt updates alone"): each
// turn's output is appended untimed, and untimed full encodes of the prompt
// run after the update and after the output, as bench runs a full encode
// after every request; they leave the session's text and ids out of the
// faster caches, as a server's other work would; the prompt itself is read
// before the update, as a server that has just received it has it in cache.
// A pass's first request (a full encode) is untimed.
void EditedPromptsAsServed(benchmark::State& state, const char* encoding) {
  const auto encoder = encoder_for(encoding);
  const auto requests = workloads::generate("edits", 42).requests;
  std::vector<Rank> ids;
  double bytes = 0;
  auto cache = std::make_unique<SessionTokenCache>(encoder);
  std::size_t i = requests.size();
  const auto append_outputs = [&] {
    for (; i < requests.size() && requests[i].kind != workloads::RequestKind::kPrompt; ++i) {
      cache->append_output("s", requests[i].text);
    }
  };
  for (auto _ : state) {
    state.PauseTiming();
    if (i == requests.size()) {  // a new pass: a fresh session and its first request
      cache = std::make_unique<SessionTokenCache>(encoder);
      cache->update_splices("s", requests[0].text);
      i = 1;
      append_outputs();
    }
    const std::string& prompt = requests[i++].text;
    benchmark::DoNotOptimize(std::accumulate(prompt.begin(), prompt.end(), 0u));  // just received: in cache
    state.ResumeTiming();
    benchmark::DoNotOptimize(cache->update_splices("s", prompt).data());
    state.PauseTiming();
    ids.clear();
    encoder->encode_ordinary(prompt, &ids);
    bytes += static_cast<double>(prompt.size());
    append_outputs();
    ids.clear();
    encoder->encode_ordinary(prompt, &ids);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// A history that ends inside a megabyte of one kind of text, streamed into in
// chunks of 10 bytes of the same kind (issue 14: an append must not pay for
// the long piece it extends). Kinds: 0 spaces, 1 one letter, 2 base64
// without padding, 3 a long word (random lowercase letters: one piece under
// every encoding); then long pieces that are no ASCII run, as real tables and
// CJK text have them: 4 lines of 300 box-drawing characters, 5 lines of 300
// Han characters (each line one piece of 900 bytes; chunks cut characters);
// and 6 a megabyte of Han characters with no line break, one piece. Kind 7
// is the contrast, no long piece at all: common English words, each one
// token, so an append costs what a cache's call costs on any text.
constexpr std::size_t kLongRunBytes = 1 << 20;
constexpr std::size_t kChunkBytes = 10;
constexpr int kChunksPerReset = 4096;
// The chunks come from a stream 16 resets long, so that a benchmark does not
// cycle through the same 4,096 chunks: random words and base64 would then
// partly come back from the piece memo, which a stream of new text does not.
constexpr int kStreamChunks = 16 * kChunksPerReset;

// `s` without the bytes of characters it cuts at either end.
std::string_view whole_characters(std::string_view s) {
  while (!s.empty() && is_utf8_continuation(s.front())) s.remove_prefix(1);
  std::size_t lead = s.size();  // the last character's first byte
  while (lead > 0 && is_utf8_continuation(s[lead - 1])) --lead;
  if (lead == 0) return s;
  const auto first = static_cast<unsigned char>(s[lead - 1]);
  const std::size_t length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
  return s.size() - (lead - 1) < length ? s.substr(0, lead - 1) : s;
}

// `bytes` of lines of `per_line` characters (0: one line) drawn from `chars`,
// cut where a character ends.
std::string lines_of_characters(const std::vector<std::string_view>& chars, std::size_t bytes, std::uint64_t seed,
                                int per_line = 300) {
  std::string s;
  for (int n = 0; s.size() < bytes; ++n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    s += chars[(seed >> 33) % chars.size()];
    if (per_line != 0 && n % per_line == per_line - 1) s += '\n';
  }
  return std::string(whole_characters(std::string_view(s).substr(0, bytes)));
}

std::string long_run_text(int kind, std::size_t bytes, std::uint64_t seed) {
  if (kind == 7) {
    return lines_of_characters({" the", " of", " and", " to", " in", " is", " it", " that", " for", " on"}, bytes,
                               seed, 0);
  }
  if (kind == 0) return std::string(bytes, ' ');
  if (kind == 1) return std::string(bytes, 'a');
  if (kind == 4) return lines_of_characters({"─", "━", "┼", "┤", "├", "═", "│"}, bytes, seed);
  if (kind == 5 || kind == 6) {
    return lines_of_characters({"的", "一", "是", "不", "了", "人", "我", "在", "有", "他", "这", "中", "大", "来"}, bytes,
                               seed, kind == 5 ? 300 : 0);
  }
  static const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string_view alphabet = kind == 2 ? std::string_view(kBase64) : std::string_view(kBase64 + 26, 26);
  std::string s(bytes, 'A');
  for (char& c : s) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    c = alphabet[(seed >> 33) % alphabet.size()];
  }
  return s;
}

// A history that ends inside a megabyte of `kind`, and the stream of
// distinct chunks that goes on from it, through one cache. via: 0
// AppendOnlyTokenCache::append_ordinary, 1 SessionTokenCache::append_output,
// both into one reused TokenDelta; 2 and 3 the same calls returning a new
// one; 4 SessionTokenCache::OutputStream::append_output into one reused
// TokenDelta; 5 FixedPrefixTokenCache::encode_delta of the chunk as a
// suffix of the history (its whole characters: a suffix is a request of its
// own). After kChunksPerReset appends the history is encoded again
// (restart(), which a benchmark leaves out of its time), so the text stays
// near a megabyte.
class LongRunStream {
 public:
  LongRunStream(const char* encoding, int kind, int via)
      : history_("The log follows:" + long_run_text(kind, kLongRunBytes, 1)),
        stream_(long_run_text(kind, kChunkBytes * kStreamChunks, 2)),
        encoder_(encoder_for(encoding)),
        cache_(encoder_),
        sessions_(encoder_),
        output_(sessions_.open_output("s")),
        via_(via) {
    if (via == 5) fixed_ = std::make_unique<FixedPrefixTokenCache>(encoder_, history_);
    restart();
  }

  // The stream's n-th chunk from the next one append() takes.
  std::string_view next_chunk(int n = 0) const {
    return std::string_view(stream_).substr(static_cast<std::size_t>((first_ + i_ + n) % kStreamChunks) * kChunkBytes,
                                            kChunkBytes);
  }
  // Appends left before restart() is due.
  int left() const { return kChunksPerReset - i_; }

  const TokenDelta& append() {
    append(next_chunk());
    ++i_;
    return delta_;
  }

  // The history encoded again, and a first chunk that finds the run; the
  // stream goes on from where it was. Both caches encode all of it, so that
  // both start with the piece memo the history left (an update that only
  // cut the text back would keep the last round's stream in the memo: on
  // base64, a fifth off the session's appends).
  void restart() {
    first_ = (first_ + i_) % kStreamChunks;
    i_ = 0;
    output_.close();  // the session's own calls below would wait for it
    if (via_ == 5) return;  // the prefix never changes
    if (via_ == 0 || via_ == 2) {
      cache_.reset(history_);
    } else {
      sessions_.reset("s");
      sessions_.update("s", history_);
      if (via_ == 4) output_ = sessions_.open_output("s");
    }
    append();
  }

 private:
  void append(std::string_view chunk) {
    switch (via_) {
      case 0: cache_.append_ordinary(chunk, &delta_); break;
      case 1: sessions_.append_output("s", chunk, &delta_); break;
      case 2: delta_ = cache_.append_ordinary(chunk); break;
      case 3: delta_ = sessions_.append_output("s", chunk); break;
      case 4: output_.append_output(chunk, &delta_); break;
      default: fixed_->encode_delta(whole_characters(chunk), &delta_); break;
    }
  }

  const std::string history_;
  const std::string stream_;
  std::shared_ptr<const Encoder> encoder_;
  AppendOnlyTokenCache cache_;
  SessionTokenCache sessions_;
  SessionTokenCache::OutputStream output_;
  std::unique_ptr<const FixedPrefixTokenCache> fixed_;  // via 5 only
  TokenDelta delta_;  // reused, as a streaming caller would: no allocation per chunk
  const int via_;
  int first_ = 0;  // where the stream stood at the last restart
  int i_ = 0;      // chunks appended since
};

void StreamIntoLongRun(benchmark::State& state, const char* encoding, int kind, int via) {
  LongRunStream stream(encoding, kind, via);
  for (auto _ : state) {
    benchmark::DoNotOptimize(stream.append().tokens_to_append.data());
    if (stream.left() == 0) {
      state.PauseTiming();
      stream.restart();
      state.ResumeTiming();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunkBytes));
}

// Issue 14's measure, an append against the same chunk encoded alone, as a
// ratio that survives a noisy machine: each iteration times a batch of
// kBatch appends and a batch of the same chunks encoded alone, one right
// after the other (which goes first alternates), so that whatever slows the
// machine for a few milliseconds slows both. Counters: the median and 90th
// percentile of the batches' ratios, and the median ns per append and per
// chunk alone. via as in LongRunStream (0, 1, 4, 5); ASCII kinds only (the
// runs, and words for contrast), so that the fixed prefix's suffix is the
// whole chunk.
void AppendOverChunkAlone(benchmark::State& state, const char* encoding, int kind, int via) {
  constexpr int kBatch = 256;
  using Clock = std::chrono::steady_clock;
  LongRunStream stream(encoding, kind, via);
  const auto encoder = encoder_for(encoding);
  std::vector<std::string_view> chunks(kBatch);
  std::vector<Rank> ids;
  std::vector<double> ratios, append_ns, alone_ns;
  auto ns_per_chunk = [](Clock::time_point start) {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / kBatch;
  };
  auto time_appends = [&] {
    const auto start = Clock::now();
    for (int n = 0; n < kBatch; ++n) benchmark::DoNotOptimize(stream.append().tokens_to_append.data());
    return ns_per_chunk(start);
  };
  auto time_alone = [&] {
    const auto start = Clock::now();
    for (std::string_view chunk : chunks) {
      ids.clear();
      encoder->encode_ordinary(chunk, &ids);
      benchmark::DoNotOptimize(ids.data());
    }
    return ns_per_chunk(start);
  };
  for (auto _ : state) {
    if (stream.left() < kBatch) {  // restarts between batches, untimed
      state.PauseTiming();
      stream.restart();
      state.ResumeTiming();
    }
    for (int n = 0; n < kBatch; ++n) chunks[static_cast<std::size_t>(n)] = stream.next_chunk(n);
    const bool alone_first = ratios.size() % 2 == 0;
    const double alone_before = alone_first ? time_alone() : 0;
    const double append = time_appends();
    const double alone = alone_first ? alone_before : time_alone();
    ratios.push_back(append / alone);
    append_ns.push_back(append);
    alone_ns.push_back(alone);
  }
  auto quantile = [](std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[static_cast<std::size_t>(k)];
  };
  state.counters["ratio"] = quantile(ratios, 0.5);
  state.counters["ratio_p90"] = quantile(ratios, 0.9);
  state.counters["append_ns"] = quantile(append_ns, 0.5);
  state.counters["alone_ns"] = quantile(alone_ns, 0.5);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBatch * kChunkBytes));
}

// The same prefix as a FixedPrefixTokenCache and each chunk as a suffix:
// via 0 encode_delta (what changed against the prefix's ids), 1 encode_tail
// (which copies the run's kept ids). A suffix is a request of its own, so it
// holds whole characters (of 7 to 10 bytes for the multi-byte kinds).
void FixedPrefixInLongRun(benchmark::State& state, const char* encoding, int kind, int via) {
  const auto encoder = encoder_for(encoding);
  const FixedPrefixTokenCache cache(encoder, "The log follows:" + long_run_text(kind, kLongRunBytes, 1));
  const std::string stream = long_run_text(kind, kChunkBytes * kStreamChunks, 2);
  TokenDelta delta;
  std::vector<Rank> tail;
  std::int64_t bytes = 0;
  int i = 0;
  for (auto _ : state) {
    const std::string_view chunk = whole_characters(std::string_view(stream).substr(i * kChunkBytes, kChunkBytes));
    bytes += static_cast<std::int64_t>(chunk.size());
    if (via == 0) {
      cache.encode_delta(chunk, &delta);
      benchmark::DoNotOptimize(delta.tokens_to_append.data());
    } else {
      cache.encode_tail(chunk, &tail);
      benchmark::DoNotOptimize(tail.data());
    }
    i = (i + 1) % kStreamChunks;
  }
  state.SetBytesProcessed(bytes);
}

// Each 10-byte chunk of `stream` encoded alone: what the streams above and
// below are compared with.
void encode_chunks_alone(benchmark::State& state, const char* encoding, const std::string& stream) {
  const auto encoder = encoder_for(encoding);
  std::vector<Rank> ids;
  int i = 0;
  for (auto _ : state) {
    ids.clear();
    encoder->encode_ordinary(std::string_view(stream).substr(i * kChunkBytes, kChunkBytes), &ids);
    benchmark::DoNotOptimize(ids.data());
    i = (i + 1) % kStreamChunks;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunkBytes));
}

// The corpus streamed in 10-byte chunks cut at any byte, as a model's output
// arrives, into one text (emptied every 64K chunks, 640 KB): via 0
// AppendOnlyTokenCache::append_ordinary, 1 SessionTokenCache::append_output,
// 2 SessionTokenCache::OutputStream::append_output, all into one reused
// TokenDelta. With FLASHTOK_CORPUS=chat.txt this is the streaming case on
// real text.
void StreamCorpus(benchmark::State& state, const char* encoding, int via) {
  const auto encoder = encoder_for(encoding);
  const std::string stream = corpus_prefix(kChunkBytes * kStreamChunks + kChunkBytes);
  AppendOnlyTokenCache cache(encoder);
  SessionTokenCache sessions(encoder);
  SessionTokenCache::OutputStream output = sessions.open_output("s");
  if (via != 2) output.close();  // the session's own calls would wait for it
  TokenDelta delta;
  int i = 0;
  for (auto _ : state) {
    const std::string_view chunk = std::string_view(stream).substr(i * kChunkBytes, kChunkBytes);
    if (via == 0) {
      cache.append_ordinary(chunk, &delta);
    } else if (via == 1) {
      sessions.append_output("s", chunk, &delta);
    } else {
      output.append_output(chunk, &delta);
    }
    benchmark::DoNotOptimize(delta.tokens_to_append.data());
    if (++i == kStreamChunks) {
      state.PauseTiming();
      cache.reset("");
      output.close();  // reset waits for the session the stream holds
      sessions.reset("s");
      if (via == 2) output = sessions.open_output("s");
      i = 0;
      state.ResumeTiming();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunkBytes));
}

// Many responses streaming at once, as a server interleaves them: range(0)
// sessions per thread of one SessionTokenCache, each streaming its own
// stretch of the same 640 KB in 10-byte chunks, round robin, so that each
// append finds its session's state gone cold in the CPU's caches. Via 1
// SessionTokenCache::append_output, 2 an OutputStream per session. Compare
// with StreamCorpus (one session) and EncodeCorpusChunkAlone. Run on more
// than one thread, the threads share the cache, as a server's workers do:
// its lock is what they contend for, unless it is split into range(1)
// shards (Options::shards), each with a lock of its own.
void StreamCorpusManySessions(benchmark::State& state, const char* encoding, int via) {
  // Built by thread 0 before the loop, whose start every thread waits for.
  static std::shared_ptr<SessionTokenCache> shared;
  const auto encoder = encoder_for(encoding);
  const std::string stream = corpus_prefix(kChunkBytes * kStreamChunks + kChunkBytes);
  const int count = static_cast<int>(state.range(0));
  const int chunks_each = kStreamChunks / count;
  std::vector<std::string> ids(static_cast<std::size_t>(count));
  for (int s = 0; s < count; ++s) ids[static_cast<std::size_t>(s)] = std::to_string(state.thread_index()) + "/s" + std::to_string(s);
  if (state.thread_index() == 0) {
    SessionTokenCache::Options options;  // room for every session in any shard: no eviction
    options.shards = static_cast<std::size_t>(state.range(1));
    shared = std::make_shared<SessionTokenCache>(encoder, options);
  }
  std::shared_ptr<SessionTokenCache> sessions;  // this thread's hold on `shared`, taken in the loop
  std::vector<SessionTokenCache::OutputStream> outputs;
  auto open_all = [&] {
    if (via == 2) {
      for (const std::string& id : ids) outputs.push_back(sessions->open_output(id));
    }
  };
  TokenDelta delta;
  int step = 0;
  for (auto _ : state) {
    if (sessions == nullptr) {
      state.PauseTiming();
      sessions = shared;
      open_all();
      state.ResumeTiming();
    }
    const int s = step % count;
    const std::size_t chunk = static_cast<std::size_t>(s * chunks_each + step / count);
    const std::string_view text = std::string_view(stream).substr(chunk * kChunkBytes, kChunkBytes);
    if (via == 1) {
      sessions->append_output(ids[static_cast<std::size_t>(s)], text, &delta);
    } else {
      outputs[static_cast<std::size_t>(s)].append_output(text, &delta);
    }
    benchmark::DoNotOptimize(delta.tokens_to_append.data());
    if (++step == count * chunks_each) {
      state.PauseTiming();
      outputs.clear();  // closes the streams: reset waits for a held session
      for (const std::string& id : ids) sessions->reset(id);
      open_all();
      step = 0;
      state.ResumeTiming();
    }
  }
  outputs.clear();
  // Every thread has left the loop: none reads `shared` again.
  if (state.thread_index() == 0) shared.reset();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunkBytes));
}

void EncodeChunkAlone(benchmark::State& state, const char* encoding, int kind) {
  encode_chunks_alone(state, encoding, long_run_text(kind, kChunkBytes * kStreamChunks, 2));
}

void EncodeCorpusChunkAlone(benchmark::State& state, const char* encoding) {
  encode_chunks_alone(state, encoding, corpus_prefix(kChunkBytes * kStreamChunks + kChunkBytes));
}

void register_all() {
  for (const char* e : {"cl100k_base", "o200k_base"}) {
    const std::string s = e;
    auto sizes = [](benchmark::internal::Benchmark* b) {
      for (int tokens : {1 << 10, 1 << 13, 1 << 15, 1 << 17}) b->Arg(tokens);
    };
    benchmark::RegisterBenchmark(("AppendToHistory/" + s).c_str(), AppendToHistory, e, false)->Apply(sizes);
    benchmark::RegisterBenchmark(("AppendMidWordToHistory/" + s).c_str(), AppendToHistory, e, true)->Apply(sizes);
    benchmark::RegisterBenchmark(("FullEncodeOfHistory/" + s).c_str(), FullEncodeOfHistory, e)->Apply(sizes);
    benchmark::RegisterBenchmark(("FirstRequestOfSession/" + s).c_str(), FirstRequestOfSession, e)->Apply(sizes);
    benchmark::RegisterBenchmark(("EncodeAppendedTextAlone/" + s).c_str(), EncodeAppendedTextAlone, e, false);
    benchmark::RegisterBenchmark(("EncodeAppendedMidWordTextAlone/" + s).c_str(), EncodeAppendedTextAlone, e, true);
    benchmark::RegisterBenchmark(("FixedPrefixTail/" + s).c_str(), FixedPrefixTail, e)->Apply(sizes);
    benchmark::RegisterBenchmark(("FixedPrefixWithCopy/" + s).c_str(), FixedPrefixWithCopy, e)->Apply(sizes);
    benchmark::RegisterBenchmark(("EncodeSuffixAlone/" + s).c_str(), EncodeSuffixAlone, e);
    benchmark::RegisterBenchmark(("EditedPromptsSession/" + s).c_str(), EditedPrompts, e, true);
    benchmark::RegisterBenchmark(("EditedPromptsFullEncode/" + s).c_str(), EditedPrompts, e, false);
    benchmark::RegisterBenchmark(("EditedPromptsAsServed/" + s).c_str(), EditedPromptsAsServed, e);
    benchmark::RegisterBenchmark(("StreamCorpus/" + s).c_str(), StreamCorpus, e, 0);
    benchmark::RegisterBenchmark(("StreamCorpusSession/" + s).c_str(), StreamCorpus, e, 1);
    benchmark::RegisterBenchmark(("StreamCorpusOutputStream/" + s).c_str(), StreamCorpus, e, 2);
    benchmark::RegisterBenchmark(("EncodeCorpusChunkAlone/" + s).c_str(), EncodeCorpusChunkAlone, e);
    for (int via : {1, 2}) {
      const std::string name = via == 1 ? "StreamCorpusManySessions/" : "StreamCorpusManySessionsOutputStream/";
      benchmark::RegisterBenchmark((name + s).c_str(), StreamCorpusManySessions, e, via)
          ->ArgNames({"sessions", "shards"})->Args({16, 1})->Args({256, 1});
      benchmark::RegisterBenchmark((name + s).c_str(), StreamCorpusManySessions, e, via)
          ->ArgNames({"sessions", "shards"})->ArgsProduct({{16, 256}, {1, 16}})->Threads(2)->UseRealTime();
    }
    const char* const kinds[] = {"spaces", "letter", "base64", "word", "boxdraw", "han", "hanpiece", "words"};
    for (int kind = 0; kind < 7; ++kind) {
      const std::string k = std::string(kinds[kind]) + "/" + s;
      benchmark::RegisterBenchmark(("StreamIntoLongRun/" + k).c_str(), StreamIntoLongRun, e, kind, 0);
      benchmark::RegisterBenchmark(("StreamIntoLongRunSession/" + k).c_str(), StreamIntoLongRun, e, kind, 1);
      benchmark::RegisterBenchmark(("StreamIntoLongRunByValue/" + k).c_str(), StreamIntoLongRun, e, kind, 2);
      benchmark::RegisterBenchmark(("StreamIntoLongRunSessionByValue/" + k).c_str(), StreamIntoLongRun, e, kind, 3);
      benchmark::RegisterBenchmark(("StreamIntoLongRunOutputStream/" + k).c_str(), StreamIntoLongRun, e, kind, 4);
      benchmark::RegisterBenchmark(("FixedPrefixInLongRunDelta/" + k).c_str(), FixedPrefixInLongRun, e, kind, 0);
      benchmark::RegisterBenchmark(("FixedPrefixInLongRunTail/" + k).c_str(), FixedPrefixInLongRun, e, kind, 1);
      benchmark::RegisterBenchmark(("EncodeChunkAlone/" + k).c_str(), EncodeChunkAlone, e, kind);
    }
    // The ratio issue 14 sets (at most 3x), on the ASCII runs, and on words
    // (no long piece) for contrast.
    const char* const vias[] = {"append_only", "session", "", "", "output_stream", "fixed_prefix"};
    for (int kind : {0, 1, 2, 3, 7}) {
      for (int via : {0, 1, 4, 5}) {
        const std::string name = std::string("AppendOverChunkAlone/") + vias[via] + "/" + kinds[kind] + "/" + s;
        benchmark::RegisterBenchmark(name.c_str(), AppendOverChunkAlone, e, kind, via);
      }
    }
  }
}

}  // namespace
}  // namespace flashtok::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  flashtok::bench::register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
