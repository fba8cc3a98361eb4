#!/usr/bin/env node
// Piece statistics of a text that do not depend on any encoder's speed: how many pre-tokenizer
// pieces it has, how many are distinct, how many are one whole token, and how often flashtok's
// piece memo (2,048 direct-mapped slots, pieces of at most 40 bytes, the hash of byte_hash.h)
// would find a piece that is not a whole token. The memo is simulated on whole pieces only
// (the chunks of pieces the splitter cuts also take slots, so the real hit rate is a little lower).
//   node piece_stats.mjs ENCODING FILE...        (prints one JSON line per file)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, "../../lib/data/encodings");
const [encoding, ...files] = process.argv.slice(2);
if (!encoding || files.length === 0) {
  console.error("usage: node piece_stats.mjs ENCODING FILE...");
  process.exit(2);
}
const meta = JSON.parse(readFileSync(join(data, "encodings.json"), "utf8"))[encoding];
// V8 has no (?i:...) groups: spell the contractions' case out.
const pattern = meta.pat_str.replace(/\(\?i:([^)]*)\)/g, (_, alts) =>
  "(?:" + alts.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`) + ")");
const regex = new RegExp(pattern, "gu");
const ranks = new Map();
for (const line of readFileSync(join(data, `${encoding}.tiktoken`), "utf8").split("\n")) {
  const [b64, rank] = line.split(" ");
  if (b64) ranks.set(Buffer.from(b64, "base64").toString("latin1"), Number(rank));
}

const M64 = (1n << 64n) - 1n;
const K1 = 0x9E3779B97F4A7C15n, K2 = 0xD6E8FEB86659FD93n, MIX = 0xBF58476D1CE4E5B9n;
const word = (b, at, n) => { let w = 0n; for (let i = n - 1; i >= 0; i--) w = (w << 8n) | BigInt(b[at + i]); return w; };
const mix = (h) => { h = (h * MIX) & M64; return h ^ (h >> 31n); };
function hashBytes(b) {           // byte_hash.h's hash_bytes
  const n = b.length;
  if (n > 8) {
    let h = (K1 * BigInt(n)) & M64;
    for (let i = 0; i + 8 < n; i += 8) h = mix(h ^ word(b, i, 8));
    return mix(h ^ word(b, n - 8, 8));
  }
  let p = 0n;
  if (n >= 4) p = word(b, 0, 4) | (word(b, n - 4, 4) << BigInt(8 * (n - 4)));
  else if (n > 0) p = BigInt(b[0]) | (BigInt(b[n >> 1]) << BigInt(8 * (n >> 1))) | (BigInt(b[n - 1]) << BigInt(8 * (n - 1)));
  const h = ((p ^ ((BigInt(n) * K1) & M64)) * K2) & M64;
  return h ^ (h >> 32n);
}

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const slots = new Array(2048).fill(null);
  let pieces = 0, whole = 0, memoLookups = 0, memoHits = 0, tooLong = 0, bytesMerged = 0;
  const distinct = new Set();
  const mergedLengths = [0, 0, 0, 0];   // bytes of pieces merged: <=8, <=16, <=40, >40
  for (const m of text.matchAll(regex)) {
    const bytes = Buffer.from(m[0], "utf8");
    const key = bytes.toString("latin1");
    pieces++;
    distinct.add(key);
    if (ranks.has(key)) { whole++; continue; }
    if (bytes.length > 40) { tooLong++; bytesMerged += bytes.length; mergedLengths[3]++; continue; }
    memoLookups++;
    const slot = Number(hashBytes(bytes) & 2047n);
    if (slots[slot] === key) { memoHits++; continue; }
    slots[slot] = key;
    bytesMerged += bytes.length;
    mergedLengths[bytes.length <= 8 ? 0 : bytes.length <= 16 ? 1 : 2]++;
  }
  const r = (x) => Math.round(x * 10000) / 10000;
  console.log(JSON.stringify({
    file, encoding, bytes: Buffer.byteLength(text, "utf8"), pieces, distinct_pieces: distinct.size,
    distinct_share: r(distinct.size / pieces), whole_token_share: r(whole / pieces),
    memo_lookups: memoLookups, memo_hit_rate: r(memoHits / Math.max(1, memoLookups)),
    over_40_bytes: tooLong, merged_pieces: memoLookups - memoHits + tooLong,
    merged_share_of_pieces: r((memoLookups - memoHits + tooLong) / pieces),
    merged_bytes_share: r(bytesMerged / Buffer.byteLength(text, "utf8")),
    merged_by_length: { "<=8": mergedLengths[0], "9-16": mergedLengths[1], "17-40": mergedLengths[2], ">40": mergedLengths[3] },
  }));
}
