// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// SharedPrefixTokenCache against a full encode, and frequent_prefixes.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <unordered_map>

#include "cache/block_index.h"

#include "flashtok/frequent_prefixes.h"
#include "flashtok/shared_prefix_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class SharedPrefixTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// Few-shot style texts: a handful of shared templates, each with many endings.
std::vector<std::string> templated_texts(workloads::SplitMix64& rng, std::size_t count) {
  std::vector<std::string> templates;
  for (int i = 0; i < 4; ++i) templates.push_back(random_class_text(rng, 20 + rng.uniform(60)));
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    texts.push_back(templates[rng.uniform(templates.size())] + random_class_text(rng, rng.uniform(20)));
  }
  return texts;
}

TEST_P(SharedPrefixTest, EveryLookupIsExactWhateverTheBlockSize) {
  const auto enc = encoder();
  for (std::size_t block : {1, 3, 8, 32}) {
    SharedPrefixTokenCache::Options options;
    options.block_bytes = block;
    options.max_blocks = 200 / block;  // small, so evictions happen ...
    SharedPrefixTokenCache cache(enc, options);
    workloads::SplitMix64 rng(block);
    for (int phase = 0; phase < 2; ++phase) {  // ... when new templates take over from old ones
      for (const auto& text : templated_texts(rng, 1500)) {
        ASSERT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text)) << "block " << block;
      }
    }
    const auto stats = cache.stats();
    EXPECT_GT(stats.hits, 0u);
    EXPECT_GT(stats.evictions, 0u);
    EXPECT_LE(cache.block_count(), options.max_blocks);
  }
}

TEST_P(SharedPrefixTest, PrebuiltTemplatesAreReused) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 16;
  options.max_new_blocks = 0;  // read-only after prebuild
  SharedPrefixTokenCache cache(enc, options);
  const std::string system = "You are a careful assistant. Answer in one sentence, citing the source.\n\n";
  cache.prebuild({system});
  EXPECT_EQ(cache.block_count(), system.size() / 16);
  const std::string text = system + "Question: what is 2+2?";
  EXPECT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_GT(cache.stats().tokens_reused, 5u);
}

TEST_P(SharedPrefixTest, ConcurrentRequestsAreExact) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 4;
  options.max_blocks = 50;
  SharedPrefixTokenCache cache(enc, options);
  workloads::SplitMix64 seed_rng(9);
  const auto texts = templated_texts(seed_rng, 400);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < texts.size() * 3; i += 4) {
        const std::string& text = texts[i % texts.size()];
        if (cache.encode_ordinary(text) != enc->encode_ordinary(text)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

// Texts that share random prefixes of random lengths, of ordinary text or of
// the hostile alphabet (invalid UTF-8, odd whitespace): a block boundary
// falls anywhere, in a piece, a character or a run of spaces.
std::vector<std::string> random_shared_prefix_texts(workloads::SplitMix64& rng, std::size_t count) {
  std::vector<std::string> prefixes;
  for (int i = 0; i < 5; ++i) {
    const std::size_t symbols = 1 + rng.uniform(400);
    prefixes.push_back(rng.uniform(2) ? random_hostile_text(rng, symbols) : random_class_text(rng, symbols));
  }
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& prefix = prefixes[rng.uniform(prefixes.size())];
    const std::size_t keep = rng.uniform(4) == 0 ? rng.uniform(prefix.size() + 1) : prefix.size();
    texts.push_back(prefix.substr(0, keep) + random_hostile_text(rng, rng.uniform(60)));
  }
  return texts;
}

TEST_P(SharedPrefixTest, RandomBlockSizesAndCapacitiesMatchAFullEncode) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(2024);
  std::uint64_t hits = 0, deferred = 0;
  for (int round = 0; round < 24; ++round) {
    SharedPrefixTokenCache::Options options;
    options.block_bytes = 1 + rng.uniform(512);
    options.max_blocks = rng.uniform(3) == 0 ? rng.uniform(5) : 1 + rng.uniform(300);  // tiny ones too
    options.max_new_blocks = rng.uniform(12);
    SharedPrefixTokenCache cache(enc, options);
    const std::string where = "block " + std::to_string(options.block_bytes) + " capacity " +
                              std::to_string(options.max_blocks) + " new " + std::to_string(options.max_new_blocks);
    if (rng.uniform(2)) {
      const auto warm = random_shared_prefix_texts(rng, 3);
      cache.prebuild(warm);
    }
    for (const auto& text : random_shared_prefix_texts(rng, 120)) {
      ASSERT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text)) << where;
      ASSERT_LE(cache.block_count(), options.max_blocks) << where;
    }
    hits += cache.stats().hits;
    deferred += cache.stats().blocks_deferred;
  }
  EXPECT_GT(hits, 0u);      // the prefixes were reused ...
  EXPECT_GT(deferred, 0u);  // ... and full caches turned first sightings away
}

TEST_P(SharedPrefixTest, AFullCacheAdmitsABlockOnItsSecondSightingAtTheEarliest) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 16;
  options.max_blocks = 2;
  SharedPrefixTokenCache cache(enc, options);
  const std::string first = "The first block.";  // 16 bytes: one block
  const std::string second = "Another template entirely, three whole blocks of it.";  // 52 bytes: three
  cache.encode_ordinary(first + first);  // room: both blocks admitted at once
  ASSERT_EQ(cache.stats().blocks_inserted, 2u);

  EXPECT_EQ(cache.encode_ordinary(second), enc->encode_ordinary(second));  // full, first sighting
  EXPECT_EQ(cache.stats().blocks_inserted, 2u);
  EXPECT_EQ(cache.stats().evictions, 0u);
  EXPECT_EQ(cache.stats().blocks_deferred, 3u);

  // The second sighting admits its first block (one per call when full; seen
  // twice, more than the victim's once), the third the next one.
  EXPECT_EQ(cache.encode_ordinary(second), enc->encode_ordinary(second));
  EXPECT_EQ(cache.stats().blocks_inserted, 3u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  const std::string question = second + " Which one?";
  EXPECT_EQ(cache.encode_ordinary(question), enc->encode_ordinary(question));
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().bytes_reused, 16u);
  EXPECT_EQ(cache.stats().blocks_inserted, 4u);
  EXPECT_EQ(cache.encode_ordinary(question), enc->encode_ordinary(question));
  EXPECT_EQ(cache.stats().bytes_reused, 16u + 32u);
  EXPECT_EQ(cache.block_count(), 2u);
}

TEST_P(SharedPrefixTest, AFullCacheAdmitsOnlyABlockSeenMoreOftenThanItsVictim) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 16;
  options.max_blocks = 2;
  SharedPrefixTokenCache cache(enc, options);
  const std::string cached = std::string("The first block.") + "A second block. ";
  cache.encode_ordinary(cached);  // room: both blocks admitted, the cache is full
  ASSERT_EQ(cache.block_count(), 2u);
  for (int i = 0; i < 4; ++i) cache.encode_ordinary(cached);  // hits: each block now seen 5 times
  ASSERT_EQ(cache.stats().hits, 4u);

  // Another block must be seen a sixth time to displace the least recently
  // used one (seen five times); until then it leaves the cache alone.
  const std::string other = "Another template, of one block";
  for (int sighting = 1; sighting <= 5; ++sighting) {
    EXPECT_EQ(cache.encode_ordinary(other), enc->encode_ordinary(other));
    EXPECT_EQ(cache.stats().blocks_inserted, 2u) << "sighting " << sighting;
  }
  EXPECT_EQ(cache.stats().evictions, 0u);
  EXPECT_EQ(cache.encode_ordinary(other), enc->encode_ordinary(other));
  EXPECT_EQ(cache.stats().blocks_inserted, 3u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.block_count(), 2u);
  const std::string asked = other + "?";
  EXPECT_EQ(cache.encode_ordinary(asked), enc->encode_ordinary(asked));
  EXPECT_EQ(cache.stats().hits, 5u);
}

TEST_P(SharedPrefixTest, CyclingThroughMorePrefixesThanFitLeavesAFullCacheAlone) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 8;
  options.max_blocks = 4;
  SharedPrefixTokenCache cache(enc, options);
  std::vector<std::string> prefixes;
  for (int p = 0; p < 12; ++p) prefixes.push_back("Template " + std::to_string(100 + p) + " says hello.");  // 3 blocks
  for (int round = 0; round < 20; ++round) {
    for (const auto& prefix : prefixes) {
      const std::string text = prefix + " Round " + std::to_string(round);
      ASSERT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
    }
  }
  // Equally popular prefixes do not out-rank the cached ones, so the cache
  // is not churned once per call (240 calls): only when the counts halve
  // just after the cached ones' hits can another prefix get ahead.
  EXPECT_LE(cache.stats().evictions, 8u);
  EXPECT_GT(cache.stats().hits, 0u);
}

TEST_P(SharedPrefixTest, TextsSeenOnceNeverEvictAFullCache) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 8;
  options.max_blocks = 16;
  SharedPrefixTokenCache cache(enc, options);
  const std::string system = "You are terse. Answer with one word only, then stop.\n";
  cache.prebuild({system});
  ASSERT_EQ(cache.block_count(), 6u);
  workloads::SplitMix64 rng(77);
  for (int i = 0; i < 200; ++i) {
    const std::string text = random_class_text(rng, 20 + rng.uniform(40)) + std::to_string(i);
    ASSERT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
  }
  EXPECT_EQ(cache.stats().evictions, 0u);
  const std::string asked = system + "Why?";
  EXPECT_EQ(cache.encode_ordinary(asked), enc->encode_ordinary(asked));
  EXPECT_EQ(cache.stats().bytes_reused, system.size() / 8 * 8);
}

TEST_P(SharedPrefixTest, TextsShorterThanABlockAreCounted) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 64;
  SharedPrefixTokenCache cache(enc, options);
  const std::string text = "short text";
  EXPECT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
  EXPECT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
  EXPECT_EQ(cache.stats().short_texts, 2u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(cache.block_count(), 0u);
}

TEST_P(SharedPrefixTest, ConcurrentLookupsPrebuildsAndEvictionsAreExact) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 7;
  options.max_blocks = 6;  // full at once: admissions and evictions race with lookups
  SharedPrefixTokenCache cache(enc, options);
  workloads::SplitMix64 seed_rng(31);
  const auto texts = random_shared_prefix_texts(seed_rng, 200);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < texts.size() * 2; i += 3) {
        const std::string& text = texts[i % texts.size()];
        if (i % 25 == 0) cache.prebuild({text});
        if (cache.encode_ordinary(text) != enc->encode_ordinary(text)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.block_count(), options.max_blocks);
  EXPECT_GT(cache.stats().hits, 0u);
}

// A base text of ordinary words with long runs of spaces and newlines (so
// that cuts fall inside white space), or of the hostile alphabet (inside
// broken and multibyte characters).
std::string partial_match_base(workloads::SplitMix64& rng) {
  std::string text;
  while (text.size() < 40 + rng.uniform(300)) {
    switch (rng.uniform(4)) {
      case 0: text += std::string(1 + rng.uniform(40), rng.uniform(2) ? ' ' : '\n'); break;
      case 1: text += random_hostile_text(rng, 1 + rng.uniform(20)); break;
      default: text += random_class_text(rng, 1 + rng.uniform(30)); break;
    }
  }
  return text;
}

// Texts that agree with a cached text up to a random byte (anywhere: inside a
// piece, a character or a run of white space) and then go on differently, so
// the lookup leaves the trie inside a block and reuses part of it.
TEST_P(SharedPrefixTest, TextsLeavingACachedBlockMidwayMatchAFullEncode) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(4242);
  std::uint64_t partial_hits = 0;
  for (int round = 0; round < 40; ++round) {
    SharedPrefixTokenCache::Options options;
    options.block_bytes = 1 + rng.uniform(96);
    options.max_blocks = rng.uniform(4) == 0 ? 1 + rng.uniform(8) : 4096;
    SharedPrefixTokenCache cache(enc, options);
    const std::string where = "block " + std::to_string(options.block_bytes) + " capacity " +
                              std::to_string(options.max_blocks);
    std::vector<std::string> cached;
    for (int i = 0; i < 3; ++i) {
      cached.push_back(partial_match_base(rng));
      if (rng.uniform(2)) {
        cache.prebuild({cached.back()});
      } else {
        ASSERT_EQ(cache.encode_ordinary(cached.back()), enc->encode_ordinary(cached.back())) << where;
      }
    }
    for (int i = 0; i < 60; ++i) {
      const std::string& base = cached[rng.uniform(cached.size())];
      const std::size_t cut = rng.uniform(base.size() + 1);
      std::string tail;
      if (rng.uniform(4)) tail = rng.uniform(2) ? random_hostile_text(rng, rng.uniform(8)) : partial_match_base(rng);
      const std::string text = base.substr(0, cut) + tail;
      ASSERT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text))
          << where << " cut " << cut << " of " << base.size();
    }
    partial_hits += cache.stats().partial_hits;
  }
  EXPECT_GT(partial_hits, 500u);  // the path under test ran
}

// A few-shot template whose end falls inside a block: a second question after
// it reuses the template's pieces in that block (those that looked at no byte
// of the first question), not only the whole blocks before it.
TEST_P(SharedPrefixTest, ASecondQuestionReusesTheTemplatesPiecesInsideItsLastBlock) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 64;
  SharedPrefixTokenCache cache(enc, options);
  const std::string templ =
      "The following are multiple choice questions (with answers) about astronomy.\n\n"
      "What is the closest star to Earth?\nA. Sirius\nB. The Sun\nC. Vega\nD. Polaris\nAnswer: B\n\n";
  const std::string first = templ + "Which planet has rings? A. Saturn B. Mars\nAnswer:";
  const std::string second = templ + "How hot is the Sun's surface?\nAnswer:";
  EXPECT_EQ(cache.encode_ordinary(first), enc->encode_ordinary(first));
  EXPECT_EQ(cache.encode_ordinary(second), enc->encode_ordinary(second));
  const auto stats = cache.stats();
  EXPECT_EQ(stats.partial_hits, 1u);
  EXPECT_GT(stats.bytes_reused, templ.size() / 64 * 64);  // past the whole blocks
  EXPECT_GE(stats.bytes_reused, templ.size() - 12);       // up to the template's last pieces
  EXPECT_LE(stats.bytes_reused, templ.size());
}

TEST_P(SharedPrefixTest, TextsShorterThanABlockReusePartOfOne) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 64;
  SharedPrefixTokenCache cache(enc, options);
  const std::string system = "You are a careful assistant. Answer in one sentence, citing sources.\n\n";
  cache.prebuild({system});
  const std::string text = "You are a careful assistant. Be brief.";
  EXPECT_EQ(cache.encode_ordinary(text), enc->encode_ordinary(text));
  EXPECT_EQ(cache.stats().partial_hits, 1u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_GT(cache.stats().tokens_reused, 5u);
}

// While the cache has room, what follows a known point is inserted only on
// its second sighting once that point has a child: the question after a
// template is inserted once (the first, whose block serves partial
// matches), not on every call.
TEST_P(SharedPrefixTest, UniqueTextBelowAKnownPathIsInsertedOnlyOnItsSecondSighting) {
  const auto enc = encoder();
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 8;
  SharedPrefixTokenCache cache(enc, options);
  const std::string templ = "Template: answer briefly and well.\n";  // 4 whole blocks and 3 bytes
  const std::string first = templ + "What is a pulsar, exactly?";
  ASSERT_EQ(cache.encode_ordinary(first), enc->encode_ordinary(first));  // the root had no child: all learned
  const std::size_t learned = cache.block_count();
  EXPECT_EQ(learned, first.size() / 8);
  const std::string second = templ + "Why is the sky blue at noon?";
  ASSERT_EQ(cache.encode_ordinary(second), enc->encode_ordinary(second));
  EXPECT_EQ(cache.block_count(), learned);  // its question is new, below a node with a child
  ASSERT_EQ(cache.encode_ordinary(second), enc->encode_ordinary(second));
  EXPECT_GT(cache.block_count(), learned);  // seen twice
  const std::string other = "A different start entirely, seen once.";
  ASSERT_EQ(cache.encode_ordinary(other), enc->encode_ordinary(other));
  EXPECT_GT(cache.stats().blocks_deferred, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, SharedPrefixTest, ::testing::ValuesIn(all_encodings()));

// The trie's open-addressing index against std::unordered_map, through
// growth and many erasures: keys drawn from a small range collide in their
// home slots, so erasing shifts runs back across the table's end too.
TEST(BlockIndex, AgreesWithAMapThroughInsertsAndErasures) {
  internal::BlockIndex<int> index;
  std::unordered_map<std::uint64_t, int*> map;
  std::vector<int> values(64);
  workloads::SplitMix64 rng(11);
  for (int step = 0; step < 20000; ++step) {
    // Small keys, or keys whose top bits (the home slot) agree.
    const std::uint64_t key = rng.uniform(2) ? rng.uniform(48) : (rng.uniform(6) << 58) | rng.uniform(4);
    if (rng.uniform(3) == 0 || map.count(key)) {
      index.erase(key);
      map.erase(key);
    } else {
      int* value = &values[rng.uniform(values.size())];
      index.insert(key, value);
      map[key] = value;
    }
    ASSERT_EQ(index.size(), map.size());
    if (step % 16 == 0) {
      for (std::uint64_t k = 0; k < 48; ++k) ASSERT_EQ(index.find(k), map.count(k) ? map[k] : nullptr) << k;
      for (const auto& [k, v] : map) ASSERT_EQ(index.find(k), v) << k;
    }
  }
  EXPECT_LE(index.memory_bytes(), 4 * (map.size() + 48) * internal::BlockIndex<int>::kSlotBytes + 1024);
}

TEST(FrequentPrefixes, RanksSharedPrefixesByCountTimesLength) {
  const std::string a = "System prompt A, long and shared by many. ";
  const std::string b = "Prompt B. ";
  std::vector<std::string> texts;
  for (int i = 0; i < 10; ++i) texts.push_back(a + "question " + std::to_string(i));
  for (int i = 0; i < 3; ++i) texts.push_back(b + "other " + std::to_string(i));
  const auto found = frequent_prefixes(texts, 4, 1000, 2, 2, 5);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].count, 10u);
  EXPECT_EQ(found[0].text.substr(0, a.size()), a);
  EXPECT_LE(found.size(), 5u);
  for (const auto& p : found) EXPECT_GE(p.count, 2u);
  // Prefixes with the same count and a longer cover are dropped.
  for (std::size_t i = 0; i < found.size(); ++i) {
    for (std::size_t j = 0; j < found.size(); ++j) {
      if (i != j && found[i].count == found[j].count && found[j].text.size() > found[i].text.size()) {
        EXPECT_NE(found[j].text.compare(0, found[i].text.size(), found[i].text), 0);
      }
    }
  }
}

TEST(FrequentPrefixes, CutsAtCharacterBoundaries) {
  const std::vector<std::string> texts = {"\xE4\xB8\xAD\xE6\x96\x87 x", "\xE4\xB8\xAD\xE6\x96\x87 y"};
  for (const auto& p : frequent_prefixes(texts, 1, 100, 1, 2, 100)) {
    EXPECT_EQ(p.text.size() % 3, p.text.size() > 6 ? 1u : 0u) << p.text;
  }
}

}  // namespace
}  // namespace flashtok::testing
