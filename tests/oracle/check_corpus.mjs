#!/usr/bin/env node
// Checks flashtok's ids against real tiktoken's, id for id, on every .txt file
// of the folders given (the real-text corpus workloads/corpus/build_corpus.sh
// builds, and its multilingual/ folder of one script per file), under each
// encoding of --encodings (default: all four). The golden fixtures are
// short texts chosen by hand; this runs the same comparison over megabytes of
// text nobody chose, in 100+ languages.
//
//   node tests/oracle/check_corpus.mjs [--encodings A,B] FLASHTOK DIR...
//
// FLASHTOK is the `flashtok` program; its `encode --format u32` gives the
// ids. Exit 0 when every file matched under every encoding; 1 on the first
// difference (printed with its position and the text around it) or a failed
// encode; 2 on bad use, a FLASHTOK that cannot run, a folder with nothing to
// compare or a tiktoken other than the one package.json pins. A file that is
// not valid UTF-8 cannot reach tiktoken unchanged (JavaScript strings would
// replace its bytes), so it is named and left out, never compared as
// something else.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { get_encoding } from "tiktoken";

const args = process.argv.slice(2);
let encodings = ["cl100k_base", "o200k_base", "r50k_base", "p50k_base"];
if (args[0] === "--encodings") {
  encodings = (args[1] || "").split(",").filter((e) => e);
  args.splice(0, 2);
}
const [flashtok, ...dirs] = args;
if (!flashtok || dirs.length === 0 || encodings.length === 0) {
  console.error("usage: check_corpus.mjs [--encodings A,B] FLASHTOK DIR...");
  process.exit(2);
}
const strict = new TextDecoder("utf-8", { fatal: true });

// The tiktoken that answers must be the one package.json pins: a stale
// node_modules would otherwise check flashtok against another version.
const here = dirname(fileURLToPath(import.meta.url));
const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies.tiktoken;
const installed = JSON.parse(readFileSync(join(here, "node_modules", "tiktoken", "package.json"), "utf8")).version;
if (installed !== pinned) {
  console.error(`check_corpus: node_modules holds tiktoken ${installed}, package.json pins ${pinned}: ` +
                `run npm install in ${here}`);
  process.exit(2);
}
console.log(`check_corpus: tiktoken ${installed} (npm, WebAssembly)`);

const paths = [];
for (const dir of dirs) {
  let names;
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".txt") && statSync(join(dir, f)).isFile());
  } catch (e) {
    console.error(`check_corpus: cannot list ${dir}: ${e.message}`);
    process.exit(2);
  }
  if (names.length === 0) {
    console.error(`check_corpus: no .txt file in ${dir}`);
    process.exit(2);
  }
  paths.push(...names.sort().map((f) => join(dir, f)));
}

// flashtok's ids for one file, as written by `encode --format u32`
// (little-endian, read as such whatever the buffer's alignment).
function flashtokIds(encoding, path) {
  const run = spawnSync(flashtok, ["encode", "--encoding", encoding, "--format", "u32", path], {
    maxBuffer: 1 << 30,
  });
  if (run.error) {  // not started (a wrong path), or more output than maxBuffer holds
    console.error(`check_corpus: ${flashtok} encode on ${path} (${encoding}): ${run.error.message}`);
    process.exit(2);
  }
  const out = run.stdout;
  if (run.status !== 0 || out.length % 4 !== 0) {
    const how = run.status !== 0 ? `exit ${run.status ?? run.signal}` : `${out.length} bytes, not whole ids`;
    console.error(`check_corpus: ${flashtok} encode failed on ${path} (${encoding}): ${how}`);
    console.error(String(run.stderr));
    process.exit(1);
  }
  const ids = new Uint32Array(out.length / 4);
  for (let i = 0; i < ids.length; ++i) ids[i] = out.readUInt32LE(4 * i);
  return ids;
}

let compared = 0;
let tokens = 0;
for (const encoding of encodings) {
  const enc = get_encoding(encoding);
  for (const path of paths) {
    const bytes = readFileSync(path);
    let text;
    try {
      text = strict.decode(bytes);
    } catch {
      console.log(`${encoding} ${path}: not valid UTF-8, left out`);
      continue;
    }
    const want = enc.encode_ordinary(text);
    const got = flashtokIds(encoding, path);
    const n = Math.min(want.length, got.length);
    let i = 0;
    while (i < n && want[i] === got[i]) ++i;
    if (i < n || want.length !== got.length) {
      const around = (ids) => Array.from(ids.slice(Math.max(0, i - 3), i + 4)).join(" ");
      console.error(`check_corpus: ${encoding} ${path}: ids differ at token ${i} ` +
                    `(tiktoken ${want.length} tokens, flashtok ${got.length})`);
      console.error(`  tiktoken from token ${Math.max(0, i - 3)}: ${around(want)}`);
      console.error(`  flashtok from token ${Math.max(0, i - 3)}: ${around(got)}`);
      const prefix = new TextDecoder().decode(enc.decode(want.slice(0, i)));
      console.error(`  near text: ${JSON.stringify(text.slice(prefix.length, prefix.length + 60))}`);
      process.exit(1);
    }
    console.log(`${encoding} ${path}: ${bytes.length} bytes, ${want.length} tokens, identical`);
    compared += 1;
    tokens += want.length;
  }
  enc.free();
}
if (compared === 0) {
  console.error("check_corpus: nothing compared (no file was valid UTF-8)");
  process.exit(2);
}
console.log(`check_corpus: ${compared} file x encoding pairs, ${tokens} tokens, all identical to tiktoken`);
