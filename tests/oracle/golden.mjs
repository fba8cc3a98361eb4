#!/usr/bin/env node
// Writes tests/golden/ids/ENCODING/NAME.ids (one id per line) with tiktoken's
// encode_ordinary for every tests/golden/texts/NAME.txt, and tests/golden/manifest.json.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
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
rmSync(join(golden, "ids"), { recursive: true, force: true });
for (const encoding of encodings) {
  const enc = get_encoding(encoding);
  mkdirSync(join(golden, "ids", encoding), { recursive: true });
  for (const name of names) {
    const ids = enc.encode_ordinary(texts[name]);
    writeFileSync(join(golden, "ids", encoding, `${name}.ids`), ids.length ? Array.from(ids).join("\n") + "\n" : "");
  }
  enc.free();
}
writeFileSync(join(golden, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`tiktoken ${version}: ids for ${names.length} texts x ${encodings.length} encodings`);
