#!/usr/bin/env node
// Writes the golden test texts to tests/golden/texts/NAME.txt.
// Every odd character is written as a JS escape so that it is visible here.
// The texts are ours; golden.mjs then asks tiktoken for their ids.
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "texts");
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) unlinkSync(join(out, f));

// A deterministic generator (SplitMix64 on BigInt) so "random" texts never change.
function rng(seed) {
  let s = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  return (n) => {
    s = (s + 0x9E3779B97F4A7C15n) & mask;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & mask;
    z = z ^ (z >> 31n);
    return Number(z % BigInt(n));
  };
}
const pick = (r, xs) => xs[r(xs.length)];
const texts = {};

texts.empty = "";
texts.one_space = " ";

texts.prose_english = `The lighthouse keeper kept two logs. In the first she wrote the weather: wind from the north-east, \
force five, visibility eight miles, a swell that arrived before the storm did. In the second she wrote everything else \
-- the gulls that learned to open the bin, the ferry that was always four minutes late, the letter from her brother \
that said nothing and meant a great deal.

Nobody asked to read the second log. When the light was automated in 1987, the inspector took the first one away in a \
cardboard box and left the other on the kitchen table, as if it were a cup someone had forgotten to wash.

"It's yours," he said. "We don't keep that kind."

She didn't argue. She'd spent thirty-one years learning which things were worth arguing about; a notebook wasn't one \
of them. But that night, after the new lamp had swept its first indifferent circle over the water, she opened it at \
the last page and wrote: 3 a.m. -- the light is on; I am not needed. It's strange how little that hurts.
`;

texts.prose_numbers_and_units = `Order #40213 shipped on 2024-03-07 at 14:05 UTC: 3 × 250 g packs (750 g total), \
$19.99 each, subtotal $59.97, tax 8.25% ($4.95), total $64.92. Tracking: 1Z999AA10123456784. Call +1 (555) 010-4477 \
or +44 20 7946 0958. Coordinates 51.5074° N, 0.1278° W; elevation 11 m; temperature −3.5 °C; speed 120 km/h ≈ 74.6 mph. \
Version 3.14.159-rc.2, build 20240307.1, SHA 9f86d081884c7d65. Pi is 3.14159265358979323846264338327950288419716939937510.
`;

let digits = "";
for (let n = 1; n <= 40; n++) digits += "0123456789".repeat(4).slice(0, n) + " a" + "9".repeat(n) + "b " + "1".repeat(n) + ",\n";
digits += "1,234,567.89 1.234.567,89 ١٢٣٤٥٦٧ ०१२३४५६७८९ ０１２３４５ 12a34b567c8901d ½ ¾ ² ³ Ⅻ ⅷ";
texts.digits_every_length = digits;

// Digit runs over 128 bytes: one piece each under r50k_base and p50k_base,
// which the backtracking encoder takes through its digit tables.
let longDigits = "";
let state = 7;
for (const n of [129, 130, 200, 257, 500, 1000, 2048, 3001]) {
  let run = "";
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    run += String(Math.floor(state / 65536) % 10);
  }
  longDigits += run + " x\n" + "9".repeat(n) + "0 y\n";
}
texts.digit_runs_long = longDigits;

// Runs of random letters over 128 bytes, after a space as words come: one
// piece each under every encoding, which the backtracking encoder takes
// through its short tokens' pairs (one- and two-byte tokens of base64 bytes).
const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
let longLetters = "";
for (const n of [129, 200, 257, 1000, 3001]) {
  for (const alphabet of [letters, "abcdefghijklmnopqrstuvwxyz", "eatnoisr"]) {
    let run = "";
    for (let i = 0; i < n; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      run += alphabet[Math.floor(state / 65536) % alphabet.length];
    }
    longLetters += "x " + run + "\n" + run + ".\n";
  }
}
texts.letter_runs_long = longLetters;

texts.code_cpp = `#include <vector>
#include <string_view>

namespace demo {

// Returns the index of the first element greater than \`limit\`, or -1.
template <typename T>
int first_above(const std::vector<T>& xs, const T& limit) noexcept {
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (xs[i] > limit) return static_cast<int>(i);
  }
  return -1;
}

struct Point { double x{0.0}, y{0.0}; };
inline bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }

}  // namespace demo

int main(int argc, char** argv) {
\tstd::vector<int> v{3, 1, 4, 1, 5, 9, 2, 6};
\tauto i = demo::first_above(v, 4);   // -> 4
\tprintf("%d %s\\n", i, argc > 1 ? argv[1] : "none");
\treturn i >= 0 ? 0 : 1;
}
`;

texts.code_python = `import re
from dataclasses import dataclass, field


@dataclass
class Invoice:
    number: str
    lines: list[tuple[str, float]] = field(default_factory=list)

    def total(self) -> float:
        return round(sum(price for _, price in self.lines), 2)


def parse(text: str) -> Invoice:
    m = re.match(r"^INV-(\\d{4,})\\s*$", text.splitlines()[0])
    if not m:
        raise ValueError(f"not an invoice: {text[:20]!r}")
    inv = Invoice(number=m.group(1))
    for line in text.splitlines()[1:]:
        name, _, price = line.rpartition(" ")
        inv.lines.append((name.strip(), float(price)))
    return inv


if __name__ == "__main__":
    print(parse("INV-0042\\nwidget  3.50\\ngadget 12.25").total())  # 15.75
`;

texts.code_javascript = `'use strict';
const express = require('express');
const app = express();

app.get('/api/users/:id', async (req, res) => {
  try {
    const user = await db.users.findOne({ id: Number(req.params.id) });
    if (!user) return res.status(404).json({ error: 'not found' });
    res.json({ ...user, fullName: \`\${user.first} \${user.last}\` });
  } catch (err) {
    console.error(err?.message ?? err);
    res.sendStatus(500);
  }
});

app.listen(process.env.PORT || 3000, () => console.log('listening…'));
`;

texts.code_rust = `use std::collections::HashMap;

/// Counts words, ignoring case. Doesn't allocate per word when it can avoid it.
pub fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_counts() {
        let c = super::word_counts("a A b; B'b");
        assert_eq!(c["a"], 2);
    }
}
`;

texts.code_json_yaml_shell = `{"id": 7, "name": "Zoë", "tags": ["a", "b"], "nested": {"ok": true, "ratio": 0.125, "none": null},
 "escaped": "line\\nbreak \\"quoted\\" \\u00e9"}
---
server:
  host: 0.0.0.0
  port: 8080
  routes:
    - path: /health
      method: GET
    - path: "/items/{id}"
#!/usr/bin/env bash
set -euo pipefail
for f in ./*.log; do gzip -9 "$f" && echo "\${f%.log}.gz"; done 2>/dev/null || true
curl -fsSL https://example.invalid/install.sh | sh -s -- --prefix="$HOME/.local"
`;

texts.markdown_table = `# Release notes

| Version | Date       | Notes                              |
|---------|------------|------------------------------------|
| 1.2.0   | 2024-05-01 | Faster *parsing*; **breaking**: \`x\` |
| 1.1.3   | 2024-02-14 | Fix for issue #123 (crash on empty) |

> Note: see [the docs](https://docs.example.invalid/v1.2/) for details.

1. First item
   - nested item with \`code\`
2. Second item ~~struck~~

\`\`\`diff
- old line
+ new line
\`\`\`
`;

texts.cjk = `人工智能正在改变我们的工作方式。它可以帮助我们更快地写代码、翻译文件、总结长篇报告。
日本語の文章：東京は晴れ、明日は雨の予報です。カタカナ、ひらがな、漢字が混ざっています。ｶﾀｶﾅ（半角）も。
한국어 문장: 오늘은 날씨가 좋네요. 내일 다시 만나요! 값은 ₩12,000입니다.
中文標點：「你好」、『世界』……——《書名》〈篇名〉？！
`;

texts.cyrillic_greek = `Съешь же ещё этих мягких французских булок, да выпей чаю. ВСЕ ЗАГЛАВНЫЕ БУКВЫ. Ёжик в тумане.
Українська: Ґанок, їжак, є. Беларуская: ў. Српски: Љубав, Њива, Џеп.
Ελληνικά: Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ΣΑΣ, σας, ς. Ἀρχιμήδης, ᾠδή.
`;

texts.arabic_hebrew = `العربية: مرحبًا بكم في عالم الذكاء الاصطناعي! السعر ١٢٫٥ دينار. بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ
فارسی: این یک متن آزمایشی است. اردو: یہ ایک آزمائشی متن ہے۔
עברית: שָׁלוֹם עוֹלָם! המחיר הוא ₪45.90. ‏(סוגריים)‏
`;

texts.devanagari_thai_vietnamese = `हिन्दी: नमस्ते दुनिया! क्षत्रिय, ज्ञान, श्रृंगार, द्वित्व — संयुक्ताक्षर और मात्राएँ। ॐ।
मराठी: महाराष्ट्र. বাংলা: আমি বাংলায় গান গাই। தமிழ்: வணக்கம்.
ภาษาไทย: สวัสดีครับ ยินดีต้อนรับสู่ประเทศไทย ๑๒๓ ฿๕๐
Tiếng Việt (dựng sẵn): Tôi yêu tiếng nước tôi từ khi mới ra đời.
Tiếng Việt (tổ hợp): Tie\u0302\u0301ng Vie\u0323\u0302t co\u0301 da\u0302\u0301u.
`;

texts.emoji = `Emoji: 😀😃😄 👍🏽👍🏿 👩‍💻👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇸🇯🇵🇩🇪 1️⃣#️⃣*️⃣ ❤️‍🔥 🧑🏾‍🚀 😀x😀 a😀b 😀😀😀😀😀😀😀😀
Text-with-emoji:I'm 😀happy😀!! ✅done ⚠️warning 🚀🚀🚀 ©®™ ☃︎ ☃️
`;

let zalgo = "Z";
for (const c of "ALGO text") zalgo += c + "\u0300\u0301\u0302\u0303\u0304\u0336\u0337\u034f\u0489";
texts.combining_marks = `e\u0301 é a\u030a å n\u0303 ñ \u0301start ${zalgo}
Marks after capitals: A\u0301BC D\u0308E\u0308F; after digits: 1\u20e3 2\u0301; alone: \u0300\u0301\u0302; a\u200db\u200cc
`;

const spaces = ["\t", "\n", "\u000b", "\u000c", "\r", " ", "\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002",
  "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f",
  "\u205f", "\u3000"];
const notSpaces = ["\u180e", "\u200b", "\u2060", "\ufeff"];
let ws = "";
for (const s of [...spaces, ...notSpaces]) {
  ws += `[${s}] a${s}b ${s}x x${s} 1${s}2 .${s}, ${s}${s}y ${s}\n${s}z '${s}s\n`;
}
texts.unicode_spaces_everywhere = ws;
texts.unicode_spaces_runs = spaces.map((s, i) => s.repeat(1 + (i % 4)) + "w" + s.repeat(3) + "\n" + s + "!").join("");

texts.line_endings = "crlf line\r\nanother\r\n\r\nlone cr\rafter cr\r\rdouble\n\r\nmixed\n\r\r\n\n end\r\n" +
  "form\ffeed vertical\u000btab \r \n \r\n\t\r\n  \r\n";

texts.long_whitespace_runs = "start" + " ".repeat(300) + "middle" + "\t".repeat(120) + "x" + "\n".repeat(200) +
  "y" + " \n".repeat(100) + "z" + "\r\n  ".repeat(80) + "w" + " \t \u00a0 \u3000 ".repeat(50) + "end" +
  "\n\n   \n\t\n" + " ".repeat(257);

const cases = ["s", "S", "\u017f", "t", "T", "re", "RE", "Re", "rE", "ve", "VE", "Ve", "m", "M", "ll", "LL", "Ll", "lL", "d", "D"];
let contractions = "";
for (const c of cases) contractions += `x'${c} X'${c} '${c} ${c}'${c} 1'${c} .'${c} \u00e9'${c}\u00e9 I'${c} WE'${c}x\n`;
contractions += "I'm WE'RE don't DON'T y'all o'clock rock'n'roll it's IT'S they've We'Ve she'd he'll 'tis ''' '' 'x 'sa\n" +
  "Apostrophes: don’t it’s Oʼclock l'été aujourd'hui can't've 12's 80's\n" +
  "ends with I'";
texts.contractions = contractions;
texts.contraction_tail_r = "a partial contraction at the very end 'r";

texts.special_token_lookalikes = `<|endoftext|> <|fim_prefix|>x<|fim_middle|>y<|fim_suffix|> <|endofprompt|>
<|endof <|im_start|>system<|im_end|> <| |> <||> <|endoftext|><|endoftext|> <|ENDOFTEXT|> &lt;|endoftext|&gt;
`;

texts.ends_space = "ends with one space ";
texts.ends_two_spaces = "ends with two spaces  ";
texts.ends_tab = "ends with a tab\t";
texts.ends_newline = "ends with a newline\n";
texts.ends_two_newlines = "ends with two newlines\n\n";
texts.ends_space_newline = "ends with space and newline \n";
texts.ends_ideographic_space = "ends with U+3000\u3000";
texts.ends_nbsp = "ends with NBSP\u00a0";

texts.unicode_new_letters = `Unicode 14-16 letters in words:
a\u{10D50}b \u{10D50}\u{10D51} \u{10D50}'s \u{10D70}x A\u{10D70}
a\u{A7CB}b \u{A7CB}\u{A7CC}\u{A7CD} \u{A7DA}\u{A7DB} x\u{1C89}y \u{1C89}\u{1C8A}
a\u{2EBF0}b \u{2EBF0}\u{2EBF1} \u{11F04}\u{11F05} a\u{31350}b \u{16D40}\u{16D41}
Digits: \u{10D40} \u{10D40}\u{10D41} \u{10D40}\u{10D41}\u{10D42} \u{10D40}\u{10D41}\u{10D42}\u{10D43}\u{10D44}
\u{11F50}\u{11F51}\u{11F52}\u{11F53}\u{11F54} x\u{1E4F0}\u{1E4F1} \u{1E5F1}\u{1E5F2}
Not spaces next to letters: a\u180eb a\u200bb a\ufeffb a\u0085b
`;

texts.case_classes_o200k = `HTTPServer XMLHttpRequest iPhone McDonald macOS PostgreSQL JSONs ABCdef abcDEF aBcDeF
ΣΑΣ Σας ǅungla ǈudevit ǋ ʰello heʰllo ABʰ Aʰb 中文ABC abc中文 A中b ab\u0301c A\u0301B\u0301c
ﬁﬂ ǅ'S HELLO'S Hello's hello'S I'LL You'VE O'Neil D'Artagnan MCDONALD'S
`;

texts.punctuation_paths = `https://example.invalid/a/b/c?x=1&y=2#frag /usr/local/bin/ ./a/../b C:\\Windows\\System32
a//b a///b ...\n/// !!!\n\n/x ?!/\r\n/ --> <!-- --> => != === !== ::= /* */ // comment
(a[b]{c}) "quoted" 'single' «guillemets» “curly” ‘single curly’ …
`;

// Pseudo-random texts from a class alphabet, where the rare cases meet.
{
  const r = rng(20261122);
  const alphabet = ["A", "a", "s", "t", "r", "e", "v", "m", "l", "d", "S", "R", "E", "L", "I", "\u017f", "7", "\u0663",
    " ", "  ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u0085", "\u2028", "\u000b", "'", ".", "!", "/", "-", "(",
    "\u0301", "\u0416", "\u0436", "\u4e2d", "\u02b0", "\u01c5", "\u{1F600}", "\u200b", "\ufeff", "\u180e", "\u{10D50}",
    "\u{A7CB}", "\u{11F50}", "\u00df", "\u0130", "123456", " the", " The", "HTTP", "don't", "I'm", "WE'RE", "\r\n"];
  for (let k = 0; k < 6; k++) {
    let t = "";
    for (let i = 0; i < 2500; i++) t += pick(r, alphabet);
    texts[`random_classes_${k}`] = t;
  }
}

let total = 0;
for (const [name, text] of Object.entries(texts)) {
  const bytes = Buffer.from(text, "utf8");
  writeFileSync(join(out, `${name}.txt`), bytes);
  total += bytes.length;
}
console.log(`wrote ${Object.keys(texts).length} texts, ${total} bytes, to ${out}`);
