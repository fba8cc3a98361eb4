// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/workloads/text_generator.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "languages.h"

namespace flashtok::workloads {
namespace {

using Words = std::vector<std::string>;

const Words kNames = {"Maya", "Tomás", "Aiko", "Priya", "Olusegun", "Greta", "Dmitri", "Fatima", "Liam", "Chen Wei"};
const Words kPlaces = {"Lisbon", "Osaka", "the Denver office", "gate B14", "Nairobi", "the warehouse in Leeds",
                       "São Paulo", "Kraków", "the downtown clinic", "terminal 2"};
const Words kObjects = {"the invoice", "a refund", "the booking", "your prescription", "the router", "the contract",
                        "the deployment", "a replacement card", "the seat upgrade", "the delivery window"};
const Words kVerbs = {"confirm", "reschedule", "cancel", "update", "check", "escalate", "verify", "transfer", "review",
                      "extend"};
const Words kAdverbs = {"carefully", "right away", "politely", "again", "briefly", "in writing", "before noon",
                        "step by step"};
const Words kOpeners = {"Please", "Always", "Never", "If the caller asks to", "When you need to", "Before you",
                        "After you", "Do not"};
const Words kFillers = {"um", "uh", "like", "you know", "so", "I mean", "okay so", "right", "well"};
const Words kNumberWords = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                            "ten", "twelve", "fifteen", "twenty", "forty two", "a hundred"};
const Words kMultilingual = {
    "请把会议改到明天下午三点，谢谢。", "この資料を日本語で要約してください。", "Подскажите, где мой заказ №5521?",
    "هل يمكنك مساعدتي في حجز موعد؟", "मुझे अपना पासवर्ड बदलना है।", "¿Puedes enviarme la factura de marzo?",
    "Können Sie mir die Öffnungszeiten sagen?", "Merci beaucoup, c'était très utile ! 🙏", "감사합니다! 다음 주에 봬요 😊",
    "Ça marche 👍 — à demain.", "Tôi muốn đổi vé sang thứ Sáu.", "ขอบคุณมากครับ 🙂"};
const Words kEmoji = {"🙂", "👍", "🚀", "✅", "⚠️", "🎉", "😅", "🔧", "📦", "👩‍💻"};
const Words kTopics = {"rate limiting", "the login flow", "a memory leak", "database migrations", "unit tests",
                       "the CSV export", "error handling", "caching", "the build pipeline", "time zones"};

struct CodeStyle {
  std::string extension;
  std::string comment;
  std::vector<std::string> lines;
};

const std::vector<CodeStyle> kCode = {
    {"cc", "//",
     {"#include <vector>", "namespace app {", "struct Entry { std::string key; int value = 0; };",
      "int score(const std::vector<Entry>& entries) {", "  int total = 0;",
      "  for (const auto& e : entries) total += e.value * 2;", "  if (total > 100) return -1;  // overflow guard",
      "  return total;", "}", "}  // namespace app",
      "static_assert(sizeof(int) >= 4, \"need 32-bit ints\");", "auto it = std::find_if(v.begin(), v.end(), pred);"}},
    {"py", "#",
     {"import json", "from pathlib import Path", "def load(path: Path) -> dict:",
      "    with path.open(encoding=\"utf-8\") as f:", "        return json.load(f)", "class Cache:",
      "    def __init__(self, size=128):", "        self._items = {}", "        self.size = size",
      "    def get(self, key, default=None):", "        return self._items.get(key, default)",
      "if __name__ == \"__main__\":", "    print(f\"loaded {len(data)} rows in {elapsed:.2f}s\")"}},
    {"ts", "//",
     {"import { useState } from 'react';", "export interface User { id: number; name: string; email?: string }",
      "export async function fetchUser(id: number): Promise<User> {",
      "  const res = await fetch(`/api/users/${id}`);", "  if (!res.ok) throw new Error(`HTTP ${res.status}`);",
      "  return (await res.json()) as User;", "}", "const [count, setCount] = useState(0);",
      "items.filter((x) => x.active).map((x) => x.id);"}},
    {"rs", "//",
     {"use std::collections::HashMap;", "pub fn parse(line: &str) -> Option<(u32, &str)> {",
      "    let (id, rest) = line.split_once(':')?;", "    Some((id.trim().parse().ok()?, rest.trim()))", "}",
      "#[derive(Debug, Clone, PartialEq)]", "pub struct Config { pub retries: u8, pub timeout_ms: u64 }",
      "impl Default for Config { fn default() -> Self { Self { retries: 3, timeout_ms: 2_500 } } }",
      "let mut seen: HashMap<String, usize> = HashMap::new();"}},
    {"go", "//",
     {"package server", "import (", "\t\"context\"", "\t\"net/http\"", ")",
      "func (s *Server) Health(w http.ResponseWriter, r *http.Request) {", "\tw.WriteHeader(http.StatusOK)",
      "\t_, _ = w.Write([]byte(\"ok\\n\"))", "}", "ctx, cancel := context.WithTimeout(ctx, 5*time.Second)",
      "defer cancel()", "if err != nil {\n\treturn fmt.Errorf(\"query failed: %w\", err)\n}"}},
    {"sql", "--",
     {"SELECT u.id, u.email, COUNT(o.id) AS orders", "FROM users u", "LEFT JOIN orders o ON o.user_id = u.id",
      "WHERE u.created_at >= '2024-01-01'", "GROUP BY u.id, u.email", "HAVING COUNT(o.id) > 3",
      "ORDER BY orders DESC", "LIMIT 50;", "CREATE INDEX idx_orders_user ON orders(user_id);"}},
};

const Words kDirs = {"src/net", "src/core", "lib/util", "app/api", "internal/store", "web/components", "db/migrations"};
const Words kStems = {"http_client", "cache", "parser", "session", "billing", "router", "schema", "auth", "queue"};

}  // namespace

std::string TextGenerator::sentence() {
  switch (rng_.uniform(6)) {
    case 0:
      return rng_.pick(kNames) + " asked us to " + rng_.pick(kVerbs) + " " + rng_.pick(kObjects) + " for " +
             rng_.pick(kPlaces) + " by " + std::to_string(1 + rng_.uniform(28)) + " March.";
    case 1:
      return "The total came to $" + std::to_string(10 + rng_.uniform(990)) + "." +
             std::to_string(10 + rng_.uniform(90)) + ", which includes a " + std::to_string(5 + rng_.uniform(20)) +
             "% service fee.";
    case 2:
      return "We shipped " + std::to_string(1 + rng_.uniform(500)) + " units to " + rng_.pick(kPlaces) +
             " last week, and " + std::to_string(rng_.uniform(12)) + " came back damaged.";
    case 3:
      return "If you can't " + rng_.pick(kVerbs) + " " + rng_.pick(kObjects) + " " + rng_.pick(kAdverbs) +
             ", tell the customer what happens next and when.";
    case 4:
      return "It's " + std::to_string(1 + rng_.uniform(12)) + ":" + std::to_string(10 + rng_.uniform(50)) +
             " in " + rng_.pick(kPlaces) + " and the queue has " + std::to_string(rng_.uniform(40)) + " people in it.";
    default:
      return "Remember: " + rng_.pick(kNames) + "'s team owns " + rng_.pick(kTopics) + ", so route those questions there.";
  }
}

std::string TextGenerator::paragraph(int sentences) {
  std::string out;
  for (int i = 0; i < sentences; ++i) out += (i ? " " : "") + sentence();
  return out;
}

std::string TextGenerator::policy_section(int index) {
  std::string out = "## " + std::to_string(index) + ". " + rng_.pick(kTopics) + "\n\n";
  const int rules = 3 + static_cast<int>(rng_.uniform(4));
  for (int i = 1; i <= rules; ++i) {
    out += std::to_string(i) + ". " + rng_.pick(kOpeners) + " " + rng_.pick(kVerbs) + " " + rng_.pick(kObjects) +
           " " + rng_.pick(kAdverbs) + ". " + sentence() + "\n";
  }
  return out + "\n" + paragraph(2) + "\n\n";
}

std::string TextGenerator::spoken_turn() {
  std::string out;
  const int clauses = 1 + static_cast<int>(rng_.uniform(3));
  for (int i = 0; i < clauses; ++i) {
    if (rng_.chance(1, 2)) out += rng_.pick(kFillers) + " ";
    switch (rng_.uniform(4)) {
      case 0:
        out += "my number is " + rng_.pick(kNumberWords) + " " + rng_.pick(kNumberWords) + "- sorry, " +
               rng_.pick(kNumberWords) + " " + std::to_string(rng_.uniform(10000));
        break;
      case 1:
        out += "i need to " + rng_.pick(kVerbs) + " " + rng_.pick(kObjects) + " for " + rng_.pick(kPlaces);
        break;
      case 2:
        out += "it was like " + rng_.pick(kNumberWords) + " dollars no wait " + std::to_string(rng_.uniform(200)) +
               " fifty";
        break;
      default:
        out += "can you " + rng_.pick(kVerbs) + " uh " + rng_.pick(kObjects);
        break;
    }
    out += rng_.chance(1, 3) ? ". " : " ";
  }
  return out;
}

std::string TextGenerator::short_reply() {
  static const Words starts = {"Sure.", "Got it.", "Of course!", "Thanks for waiting.", "Okay,", "I see."};
  return rng_.pick(starts) + " I'll " + rng_.pick(kVerbs) + " " + rng_.pick(kObjects) + " " + rng_.pick(kAdverbs) +
         ". Anything else?";
}

std::string TextGenerator::markdown_reply() {
  std::string out = "Here's what I found about **" + rng_.pick(kTopics) + "**:\n\n";
  const int items = 2 + static_cast<int>(rng_.uniform(4));
  for (int i = 0; i < items; ++i) out += "- " + sentence() + "\n";
  if (rng_.chance(1, 3)) {
    const CodeStyle& style = rng_.pick(kCode);
    out += "\n```" + style.extension + "\n";
    for (int i = 0; i < 4; ++i) out += rng_.pick(style.lines) + "\n";
    out += "```\n";
  }
  if (rng_.chance(1, 4)) out += "\n" + rng_.pick(kMultilingual) + "\n";
  out += "\n" + paragraph(1 + static_cast<int>(rng_.uniform(2)));
  if (rng_.chance(1, 3)) out += " " + rng_.pick(kEmoji);
  return out + "\n";
}

std::string TextGenerator::code_file(int lines) {
  const CodeStyle& style = rng_.pick(kCode);
  std::string out = style.comment + " File: " + rng_.pick(kDirs) + "/" + rng_.pick(kStems) + "." + style.extension +
                    "\n" + style.comment + " " + sentence() + "\n\n";
  for (int i = 0; i < lines; ++i) {
    out += rng_.pick(style.lines);
    out += rng_.chance(1, 40) ? "   \n" : "\n";  // the odd trailing space
    if (rng_.chance(1, 8)) out += "\n";
  }
  return out + "\n";
}

std::string TextGenerator::multilingual_line() {
  return rng_.pick(kMultilingual) + (rng_.chance(1, 2) ? " " + rng_.pick(kEmoji) : std::string());
}

std::string TextGenerator::multilingual_paragraph() {
  const Language& language = rng_.pick(languages());
  std::string out;
  const int sentences = 2 + static_cast<int>(rng_.uniform(4));
  for (int s = 0; s < sentences; ++s) {
    if (s > 0 && language.spaces) out += " ";
    const int words = 4 + static_cast<int>(rng_.uniform(10));
    for (int w = 0; w < words; ++w) {
      if (w > 0 && language.spaces) out += " ";
      out += rng_.pick(language.words);
      if (rng_.chance(1, 30)) out += (language.spaces ? " " : "") + std::to_string(rng_.uniform(2000));
    }
    out += rng_.chance(1, 6) ? "?" : language.full_stop;
    if (rng_.chance(1, 12)) out += " " + rng_.pick(kEmoji);
  }
  return out;
}

std::string TextGenerator::question() {
  static const Words asks = {"Why does", "How can I fix", "Can you explain", "What's the fastest way to test",
                             "Is it safe to refactor"};
  return rng_.pick(asks) + " " + rng_.pick(kTopics) + " in " + rng_.pick(kStems) + "? " +
         (rng_.chance(1, 4) ? rng_.pick(kMultilingual) : sentence());
}

const std::vector<std::string>& corpus_kinds() {
  static const std::vector<std::string> kinds = {"prose", "code", "multilingual", "chat"};
  return kinds;
}

std::string corpus(std::string_view kind, std::size_t bytes, std::uint64_t seed) {
  TextGenerator gen(seed);
  std::string out;
  while (out.size() < bytes) {
    if (kind == "prose") {
      out += gen.paragraph(5) + "\n\n";
    } else if (kind == "code") {
      out += gen.code_file(60);
    } else if (kind == "multilingual") {
      out += gen.multilingual_paragraph() + "\n";
    } else if (kind == "chat") {
      out += "User: " + gen.question() + "\nAssistant: " + gen.markdown_reply() + "\n";
    } else {
      throw WorkloadError("unknown corpus kind '" + std::string(kind) + "' (known: prose, code, multilingual, chat)");
    }
  }
  return out;
}

}  // namespace flashtok::workloads
