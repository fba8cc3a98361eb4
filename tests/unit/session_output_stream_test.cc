// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// SessionTokenCache::OutputStream: appends through a held session against a
// full encode and against the cache's own append_output, its hold on the
// session (other threads wait, its own thread gets an error), and what it
// reports when it closes.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class OutputStreamTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// Output of every shape the appends take (runs of spaces that grow into long
// pieces, words cut anywhere, invalid bytes), through a stream with one
// reused delta and through append_output on a second cache, between prompts
// that extend, edit or replace the text: the same deltas, and a mirror of
// them is a full encode of the text at every step.
TEST_P(OutputStreamTest, AppendsAreAppendOutputs) {
  const auto enc = encoder();
  SessionTokenCache streamed(enc);
  SessionTokenCache called(enc);
  workloads::SplitMix64 rng(0x5712ea);
  std::string text;
  std::vector<Rank> mirror;
  TokenDelta delta = stale_delta();
  for (int turn = 0; turn < 300; ++turn) {
    if (turn % 7 == 0) text.clear();  // a new conversation: cold, a restart
    text = text.substr(0, text.size() - std::min<std::size_t>(text.size(), rng.uniform(3))) + random_class_text(rng, rng.uniform(30));
    const TokenDelta prompt_delta = streamed.update("s", text);
    expect_same_delta(prompt_delta, called.update("s", text));
    apply_delta(prompt_delta, &mirror);
    if (rng.chance(1, 10)) {  // a cold stream: the session is new again
      streamed.reset("s");
      called.reset("s");
      mirror.clear();
      text.clear();
    }
    SessionTokenCache::OutputStream stream = streamed.open_output("s");
    const int chunks = static_cast<int>(rng.uniform(20));
    for (int c = 0; c < chunks; ++c) {
      const std::string chunk = rng.chance(1, 3) ? std::string(1 + rng.uniform(40), ' ') : random_class_text(rng, rng.uniform(9));
      text += chunk;
      stream.append_output(chunk, &delta);
      expect_same_delta(delta, called.append_output("s", chunk));
      if (HasFatalFailure()) return;
      apply_delta(delta, &mirror);
      ASSERT_EQ(mirror, enc->encode_ordinary(text)) << "turn " << turn << ", chunk " << c;
    }
  }
  EXPECT_EQ(streamed.tokens("s"), called.tokens("s"));
  const auto a = streamed.stats();
  const auto b = called.stats();
  EXPECT_EQ(a.updates, b.updates);
  EXPECT_EQ(a.hits, b.hits);
  EXPECT_EQ(a.partial_hits, b.partial_hits);
  EXPECT_EQ(a.misses, b.misses);
  EXPECT_EQ(a.bytes_reused, b.bytes_reused);
  EXPECT_EQ(a.bytes_encoded, b.bytes_encoded);
  EXPECT_EQ(streamed.memory_bytes(), called.memory_bytes());
}

// The stream's appends reach stats() when it closes, not before (its bytes
// count as they grow: ItsGrowthCountsTowardTheBoundsWhileItStreams); a
// closed or moved-from stream appends nothing and says so.
TEST_P(OutputStreamTest, CountsWhenItCloses) {
  SessionTokenCache cache(encoder());
  cache.update("s", "Assistant:");
  const auto before = cache.stats();
  const std::size_t bytes_before = cache.memory_bytes();
  SessionTokenCache::OutputStream stream = cache.open_output("s");
  for (int i = 0; i < 50; ++i) stream.append_output(" word" + std::to_string(i));
  EXPECT_EQ(cache.stats().updates, before.updates);
  SessionTokenCache::OutputStream moved = std::move(stream);
  EXPECT_FALSE(stream.is_open());
  EXPECT_THROW(stream.append_output("x"), std::logic_error);
  moved.close();
  moved.close();  // idempotent
  EXPECT_FALSE(moved.is_open());
  EXPECT_THROW(moved.append_output("x"), std::logic_error);
  EXPECT_EQ(cache.stats().updates, before.updates + 50);
  EXPECT_EQ(cache.stats().hits, before.hits + 50);
  EXPECT_GT(cache.memory_bytes(), bytes_before);
  std::string text = "Assistant:";
  for (int i = 0; i < 50; ++i) text += " word" + std::to_string(i);
  EXPECT_EQ(cache.tokens("s"), encoder()->encode_ordinary(text));
  EXPECT_FALSE(cache.update("s", text + "\nUser:").restart);
}

// A call on the session from the thread that holds it in an open stream
// would wait for itself: it throws SessionHeldError (a std::logic_error, as
// documented) instead, and changes nothing. Other sessions and erase()
// (which only forgets it) still work.
static_assert(std::is_base_of_v<std::logic_error, SessionHeldError>);
TEST(OutputStream, ItsOwnThreadGetsAnErrorNotADeadlock) {
  SessionTokenCache cache(Encoder::builtin("cl100k_base"));
  cache.update("s", "hello");
  {
    SessionTokenCache::OutputStream stream = cache.open_output("s");
    stream.append_output(" world");
    EXPECT_THROW(cache.update("s", "hello world!"), SessionHeldError);
    EXPECT_THROW(cache.append_output("s", "!"), SessionHeldError);
    EXPECT_THROW(cache.tokens("s"), SessionHeldError);
    EXPECT_THROW(cache.reset("s"), SessionHeldError);
    EXPECT_THROW(cache.open_output("s"), SessionHeldError);
    cache.update("other", "another session");
    stream.append_output("!");
  }
  EXPECT_EQ(cache.tokens("s"), Encoder::builtin("cl100k_base")->encode_ordinary("hello world!"));
  EXPECT_EQ(cache.stats().updates, 4u);

  SessionTokenCache::OutputStream orphan = cache.open_output("s");
  EXPECT_TRUE(cache.erase("s"));  // the stream goes on with its own copy of the text
  const TokenDelta delta = orphan.append_output(" more");
  EXPECT_FALSE(delta.restart);
  orphan.close();
  EXPECT_TRUE(cache.tokens("s").empty());
  EXPECT_TRUE(cache.update("s", "hello world! more").restart);
}

// A stream moved to another thread, as an async server resumes a response
// on another worker: once it appends there, that thread's own calls on the
// session throw (they would wait for themselves), and the thread that
// opened it waits for the stream instead of getting an error. Without the
// hand-over both threads wait on the worker (each test's watchdog ends it).
TEST(OutputStreamConcurrent, AStreamMovedToAnotherThreadHoldsTheSessionThere) {
  const auto enc = Encoder::builtin("cl100k_base");
  SessionTokenCache cache(enc);
  cache.update("s", "User: hi\nAssistant:");
  SessionTokenCache::OutputStream stream = cache.open_output("s");
  stream.append_output(" Hel");
  std::atomic<bool> appended{false};
  std::atomic<bool> opener_returned{false};
  bool worker_got_the_error = false;
  bool opener_waited = false;
  std::thread worker([&, moved = std::move(stream)]() mutable {
    moved.append_output("lo");
    try {
      cache.tokens("s");
    } catch (const SessionHeldError&) {
      worker_got_the_error = true;
    }
    appended = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    opener_waited = !opener_returned;
    moved.append_output(" there");
  });  // the stream closes as the worker ends
  while (!appended) std::this_thread::yield();
  std::vector<Rank> ids;
  EXPECT_NO_THROW(ids = cache.tokens("s"));
  opener_returned = true;
  worker.join();
  EXPECT_TRUE(worker_got_the_error);
  EXPECT_TRUE(opener_waited);
  EXPECT_EQ(ids, enc->encode_ordinary("User: hi\nAssistant: Hello there"));
}

// A session evicted while a stream holds it: the bounds hold at once, the
// stream's deltas stay exact, and after it closes the session is gone (its
// next update is a restart) and nothing leaks (AddressSanitizer in CI).
TEST_P(OutputStreamTest, EvictedWhileOpenStaysExact) {
  const auto enc = encoder();
  SessionTokenCache::Options options;
  options.max_sessions = 2;
  SessionTokenCache cache(enc, options);
  std::vector<Rank> mirror;
  std::string text = "User: count to ten\nAssistant:";
  apply_delta(cache.update("s", text), &mirror);
  SessionTokenCache::OutputStream stream = cache.open_output("s");
  for (int i = 1; i <= 10; ++i) {
    if (i == 4) {
      cache.update("a", "one");
      cache.update("b", "two");  // "s" is the least recently used
      EXPECT_EQ(cache.session_count(), 2u);
      EXPECT_EQ(cache.stats().evictions, 1u);
    }
    const std::string chunk = " " + std::to_string(i) + (i % 3 == 0 ? std::string(20, ' ') : ",");
    text += chunk;
    apply_delta(stream.append_output(chunk), &mirror);
    ASSERT_EQ(mirror, enc->encode_ordinary(text)) << "after " << i;
  }
  stream.close();
  EXPECT_EQ(cache.session_count(), 2u);
  EXPECT_TRUE(cache.tokens("s").empty());
  EXPECT_TRUE(cache.update("s", text).restart);
}

// The stream's growth counts toward the bounds as it happens, not when it
// closes: memory_bytes() stays within max_bytes after every append; an older
// session is evicted to make room while the stream is still open; once the
// streamed session alone outgrows max_bytes it is dropped (Stats::oversized)
// while the stream goes on, exact, and its next update after the stream
// closes is a restart.
TEST_P(OutputStreamTest, ItsGrowthCountsTowardTheBoundsWhileItStreams) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(11);
  const std::string older = random_class_text(rng, 20000);
  // The older session takes 60% of max_bytes: the streamed one must pass
  // through (40%, 100%] of it, where the older is evicted, before it alone
  // is over, and its bytes grow at most about twofold in one step.
  SessionTokenCache::Options options;
  {
    SessionTokenCache probe(enc);
    probe.update("older", older);
    options.max_bytes = probe.memory_bytes() * 5 / 3;
  }
  SessionTokenCache cache(enc, options);
  cache.update("older", older);
  std::vector<Rank> mirror;
  std::string text;
  SessionTokenCache::OutputStream stream = cache.open_output("s");
  bool evicted_before_dropped = false;
  while (cache.stats().oversized == 0 && text.size() < (1u << 20)) {
    const std::string chunk = random_class_text(rng, 1 + rng.uniform(30));
    text += chunk;
    apply_delta(stream.append_output(chunk), &mirror);
    ASSERT_LE(cache.memory_bytes(), options.max_bytes);
    if (cache.stats().evictions == 1 && cache.stats().oversized == 0) evicted_before_dropped = true;
  }
  EXPECT_TRUE(evicted_before_dropped);
  EXPECT_EQ(cache.stats().oversized, 1u);
  EXPECT_EQ(cache.session_count(), 0u);
  EXPECT_EQ(cache.memory_bytes(), 0u);
  for (int i = 0; i < 20; ++i) {  // a dropped session's stream stays exact
    const std::string chunk = random_class_text(rng, 1 + rng.uniform(30));
    text += chunk;
    apply_delta(stream.append_output(chunk), &mirror);
  }
  EXPECT_EQ(mirror, enc->encode_ordinary(text));
  stream.close();
  EXPECT_EQ(cache.memory_bytes(), 0u);
  EXPECT_TRUE(cache.update("s", text).restart);
}

// Streams into one session from several threads in turn (open, six
// appends, close), while a meddler reads, resets, erases and rewrites it and
// other sessions evict it. A stream that starts on a cold session (its first
// delta restarts) knows the session's text from there on, since no one else
// changes it while the stream is open: each of its deltas must then lead to
// a full encode of that text. Run under ThreadSanitizer in CI.
TEST_P(OutputStreamTest, ConcurrentStreamsAndUpdatesOfOneSession) {
  const auto enc = encoder();
  SessionTokenCache::Options options;
  options.max_sessions = 2;
  SessionTokenCache cache(enc, options);
  std::atomic<int> failures{0};
  std::atomic<int> checked{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      workloads::SplitMix64 rng(7000 + t);
      for (int i = 0; i < 300; ++i) {
        SessionTokenCache::OutputStream stream = cache.open_output("shared");
        std::string text;
        std::vector<Rank> ids;
        bool known = false;  // whether `text` and `ids` are the session's
        for (int c = 0; c < 6; ++c) {
          const std::string chunk = rng.chance(1, 3) ? std::string(1 + rng.uniform(20), ' ') : random_class_text(rng, 1 + rng.uniform(8));
          const TokenDelta delta = stream.append_output(chunk);
          if (delta.restart) {  // the session was cold: the delta holds every id
            known = true;
            text.clear();
            ids.clear();
          }
          text += chunk;
          if (known) {
            apply_delta(delta, &ids);
            if (ids != enc->encode_ordinary(text)) ++failures;
            ++checked;
          }
        }
        if (rng.chance(1, 4)) cache.update("other" + std::to_string(t), random_class_text(rng, 30));
      }
    });
  }
  std::thread meddler([&] {
    workloads::SplitMix64 rng(7100);
    while (!done.load()) {
      switch (rng.uniform(4)) {
        case 0: cache.tokens("shared"); break;
        case 1: cache.reset("shared"); break;
        case 2: cache.erase("shared"); break;
        default: cache.update("shared", random_class_text(rng, 40)); break;
      }
    }
  });
  for (auto& writer : writers) writer.join();
  done = true;
  meddler.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(checked.load(), 0) << "no stream started on a cold session";
  EXPECT_LE(cache.session_count(), options.max_sessions);
  const std::string last = "after the threads: one more prompt";
  cache.update("shared", last);
  EXPECT_EQ(cache.tokens("shared"), enc->encode_ordinary(last));
}

// A reader that waits for a held session while the session is evicted gets
// the session it waited for, not whatever the cache's map holds by then:
// this thread holds "s" in a stream; another calls tokens("s") and waits;
// "s" is evicted (its map entry erased) and the stream closes. The reader
// must come back with the stream's ids (AddressSanitizer in CI: no use of
// the erased entry). If the reader looked for "s" only after the eviction it
// finds nothing; the wait before the eviction doubles until it did not.
TEST(OutputStreamConcurrent, AReaderWaitingThroughAnEvictionGetsTheSessionItWaitedFor) {
  const auto enc = Encoder::builtin("cl100k_base");
  bool waited_through = false;
  for (int wait_ms = 20; wait_ms <= 2560 && !waited_through; wait_ms *= 2) {
    SessionTokenCache::Options options;
    options.max_sessions = 2;
    SessionTokenCache cache(enc, options);
    cache.update("s", "User: hi\nAssistant:");
    SessionTokenCache::OutputStream stream = cache.open_output("s");
    std::vector<Rank> seen;
    std::thread reader([&] { seen = cache.tokens("s"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    stream.append_output(" hello there");
    cache.update("a", "one");
    cache.update("b", "two");  // evicts "s"
    EXPECT_EQ(cache.stats().evictions, 1u);
    stream.close();
    reader.join();
    if (!seen.empty()) {
      EXPECT_EQ(seen, enc->encode_ordinary("User: hi\nAssistant: hello there"));
      waited_through = true;
    }
    EXPECT_TRUE(cache.tokens("s").empty());
  }
  EXPECT_TRUE(waited_through) << "the reader never reached the session before it was evicted";
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, OutputStreamTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
