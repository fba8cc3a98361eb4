#!/usr/bin/env node
// Times tiktoken's encode_ordinary on a file, for the side-by-side comparison.
//   node time_tiktoken.mjs ENCODING FILE [--repeat N] [--impl wasm|native]
// wasm: the `tiktoken` package (OpenAI's Rust core compiled to WebAssembly).
// native: `@anysphere/tiktoken-node` (the same core as a native Node addon;
// cl100k_base and o200k_base only), when its optional install succeeded.
// Prints one JSON line (mb_per_s: wall-clock; cpu_mb_per_s: the process's CPU time). Load time is
// reported apart from encoding time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const repeat = Number(option("--repeat", "5"));
const impl = option("--impl", "wasm");
const [encoding, file] = args;
if (!encoding || !file) {
  console.error("usage: node time_tiktoken.mjs ENCODING FILE [--repeat N] [--impl wasm|native]");
  process.exit(2);
}
const text = readFileSync(file, "utf8");
const bytes = Buffer.byteLength(text, "utf8");

async function encoderFor(kind) {
  if (kind === "wasm") {
    const { get_encoding, version } = await import("tiktoken");
    const enc = get_encoding(encoding);
    return { version: "tiktoken 1.0.22 (wasm)", encode: async (t) => enc.encode_ordinary(t) };
  }
  const require = createRequire(import.meta.url);
  const native = require("@anysphere/tiktoken-node");
  const which = { cl100k_base: native.SupportedEncoding.Cl100k, o200k_base: native.SupportedEncoding.O200k }[encoding];
  if (which === undefined) throw new Error(`the native binding has no ${encoding}`);
  const tokenizer = native.getTokenizer();
  // NormalText: special-token text is ordinary text, as in encode_ordinary.
  return {
    version: "@anysphere/tiktoken-node 0.2.1 (native)",
    encode: (t) => tokenizer.encode(t, which, native.SpecialTokenAction.NormalText, []),
  };
}

const t0 = process.hrtime.bigint();
const enc = await encoderFor(impl);
let ids = await enc.encode("warm up the encoder and its regex");  // loading is lazy in both
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
ids = await enc.encode(text);  // warm-up on the file
const seconds = [];
const cpuSeconds = [];  // user + system time of the process: less disturbed by a busy machine
for (let i = 0; i < repeat; i++) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  ids = await enc.encode(text);
  const cpu = process.cpuUsage(cpuStart);
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  cpuSeconds.push((cpu.user + cpu.system) / 1e6);
}
seconds.sort((a, b) => a - b);
cpuSeconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)];
const cpuMedian = cpuSeconds[Math.floor(cpuSeconds.length / 2)];
console.log(JSON.stringify({ tool: enc.version, impl, encoding, bytes, tokens: ids.length, load_ms: loadMs,
  median_s: median, mb_per_s: bytes / 1e6 / median, cpu_median_s: cpuMedian, cpu_mb_per_s: bytes / 1e6 / cpuMedian }));
