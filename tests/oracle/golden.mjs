#!/usr/bin/env node
// Writes tests/golden/golden.jsonl: for every tests/golden/texts/NAME.txt and
// every encoding, one line {"encoding", "name", "text", "ids"} with tiktoken's
// encode_ordinary ids; and tests/golden/manifest.json. The CLI embeds the
// JSONL so that `flashtok verify` can check the encoder from any directory.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { get_encoding } from "tiktoken";

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, "..", "golden");
const encodings = ["cl100k_base", "o200k_base", "r50k_base", "p50k_base"];
const version = JSON.parse(readFileSync(join(here, "node_modules", "tiktoken", "package.json"), "utf8")).version;
const strict = new TextDecoder("utf-8", { fatal: true });

const names = readdirSync(join(golden, "texts")).filter((f) => f.endsWith(".txt")).map((f) => f.slice(0, -4)).sort();
const manifest = { generator: "tiktoken (npm, WebAssembly build of OpenAI's Rust core)", version, encodings, texts: {} };
const texts = {};
for (const name of names) {
  const bytes = readFileSync(join(golden, "texts", `${name}.txt`));
  // JS would silently replace invalid bytes; golden texts must be exact.
  texts[name] = strict.decode(bytes);
  manifest.texts[name] = { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}
let lines = "";
for (const encoding of encodings) {
  const enc = get_encoding(encoding);
  for (const name of names) {
    const ids = Array.from(enc.encode_ordinary(texts[name]));
    lines += JSON.stringify({ encoding, name, text: texts[name], ids }) + "\n";
  }
  enc.free();
}
writeFileSync(join(golden, "golden.jsonl"), lines);
writeFileSync(join(golden, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`tiktoken ${version}: ids for ${names.length} texts x ${encodings.length} encodings`);
