#!/usr/bin/env bash
# The flashtok command-line contract: round trips, exit codes, one-line errors.
# Usage: cli_test.sh PATH/TO/flashtok
set -u
flashtok=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"

# Round trips, text and binary, through every encoding.
printf 'Hello, world! \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\r\n  tabs\tand  spaces   \n' >"$work/text"
head -c 20000 /dev/urandom >"$work/random"
: >"$work/empty"
for enc in cl100k_base o200k_base r50k_base p50k_base gpt2; do
  for file in text random empty; do
    for format in ids u32; do
      if "$flashtok" encode --encoding "$enc" --format "$format" "$work/$file" >"$work/ids" &&
         "$flashtok" decode --encoding "$enc" --format "$format" "$work/ids" >"$work/back" &&
         cmp -s "$work/$file" "$work/back"; then
        pass
      else
        fail "round trip $enc $file $format"
      fi
    done
  done
done

# Standard input, count, and count == number of ids.
ids=$("$flashtok" encode --encoding o200k_base - <"$work/text" | wc -l)
count=$("$flashtok" count --encoding o200k_base <"$work/text")
[ "$ids" -eq "$count" ] && pass || fail "count $count != ids $ids"
[ "$("$flashtok" count "$work/empty")" = "0" ] && pass || fail "empty input count"

# Special tokens: ordinary text by default, the special id when allowed.
printf 'a<|endoftext|>b' >"$work/special"
"$flashtok" encode "$work/special" | grep -qx 100257 && fail "special id without --allowed-special" || pass
"$flashtok" encode --allowed-special all "$work/special" | grep -qx 100257 && pass || fail "--allowed-special all"
"$flashtok" encode --allowed-special '<|endoftext|>' --format count "$work/special" | grep -qx 3 && pass ||
  fail "--allowed-special count"
# An unknown special token is an error naming it and the encoding's own.
expect_exit 2 "--allowed-special with an unknown token" -- \
  "$flashtok" encode --allowed-special '<|endoftext|>,<|bogus|>' "$work/special"
expect_error_mentions "unknown special token" "'<|bogus|>'"
expect_error_mentions "the encoding's special tokens" "<|endoftext|>, <|fim_middle|>"

# Errors: exit 2 and one line.
expect_exit 2 "missing file" -- "$flashtok" encode "$work/nope"
expect_exit 2 "directory" -- "$flashtok" encode "$work"
expect_exit 2 "unknown encoding" -- "$flashtok" encode --encoding cl200k "$work/text"
expect_exit 2 "bad flag" -- "$flashtok" encode --frobnicate "$work/text"
expect_exit 2 "bad format" -- "$flashtok" encode --format json "$work/text"
expect_exit 2 "no subcommand" -- "$flashtok"
printf '100256\n' >"$work/gap"
expect_exit 2 "id in a vocabulary gap" -- "$flashtok" decode "$work/gap"
printf '5000000\n' >"$work/big"
expect_exit 2 "id out of range" -- "$flashtok" decode "$work/big"
printf '12 abc\n' >"$work/garbage"
expect_exit 2 "ids that are not numbers" -- "$flashtok" decode "$work/garbage"
printf 'abc' >"$work/odd"
expect_exit 2 "u32 input of odd length" -- "$flashtok" decode --format u32 "$work/odd"
printf 'ok \xff' >"$work/invalid"
expect_exit 2 "invalid UTF-8 with --strict-utf8" -- "$flashtok" encode --strict-utf8 "$work/invalid"
grep -q 'byte offset 3' "$work/err" && pass || fail "invalid UTF-8 message names the offset"
expect_exit 0 "invalid UTF-8 is encoded losslessly by default" -- "$flashtok" encode "$work/invalid"
expect_exit 2 "missing --encoding-file" -- "$flashtok" encode --encoding-file "$work/nope" --pattern-of cl100k_base "$work/text"
expect_exit 0 "help" -- "$flashtok" --help
# Output that cannot be written is an error, whatever wrote it: ids, help, version.
for args in "encode $work/text" "--help" "--version" "encode --help" "workloads list"; do
  expect_exit 2 "$args > /dev/full" -- bash -c "exec '$flashtok' $args >/dev/full"
  expect_error_mentions "$args > /dev/full" "flashtok: cannot write standard output: No space left on device"
done

# A user's own rank file with a built-in pattern gives the built-in's ids; a wrong hash is refused.
ranks="$(dirname "$0")/../../lib/data/encodings/r50k_base.tiktoken"
"$flashtok" encode --encoding r50k_base "$work/text" >"$work/builtin_ids"
"$flashtok" encode --encoding-file "$ranks" --pattern-of r50k_base "$work/text" >"$work/file_ids" &&
  cmp -s "$work/builtin_ids" "$work/file_ids" && pass || fail "--encoding-file with --pattern-of"
expect_exit 2 "wrong --sha256" -- "$flashtok" encode --encoding-file "$ranks" --pattern-of r50k_base --sha256 00 "$work/text"
expect_exit 2 "--pattern without --encoding-file" -- "$flashtok" encode --pattern 'x' "$work/text"
# A pattern that skips bytes: they become pieces of their own (tiktoken
# drops them), so encode | decode still gives the file back.
printf 'xAyB' >"$work/skipped"
"$flashtok" encode --encoding-file "$ranks" --pattern '(?i)A' "$work/skipped" |
  "$flashtok" decode --encoding-file "$ranks" --pattern '(?i)A' | cmp -s - "$work/skipped" && pass ||
  fail "bytes a --pattern skips do not round-trip"
# Corrupt rank files: each refused with the line at fault.
{ head -n 300 "$ranks"; echo 'not*base64 300'; } >"$work/bad_base64.tiktoken"
{ head -n 300 "$ranks"; head -n 1 "$ranks" | sed 's/ .*/ 300/'; } >"$work/dup_bytes.tiktoken"
{ head -n 300 "$ranks"; echo 'IQ== 299'; } >"$work/dup_rank.tiktoken"
head -c 1000 "$ranks" >"$work/truncated.tiktoken"
for bad in bad_base64 dup_bytes dup_rank truncated; do
  expect_exit 2 "corrupt rank file: $bad" -- "$flashtok" encode --encoding-file "$work/$bad.tiktoken" --pattern-of r50k_base "$work/text"
done
# Big and odd input: NUL bytes round-trip; input over --max-input-bytes is
# refused before it is read (a sparse 1 GiB file costs no disk), from a file or
# a pipe; a file that cannot be read is an error, not empty input.
head -c 5000 /dev/zero >"$work/nuls"
"$flashtok" encode "$work/nuls" | "$flashtok" decode | cmp -s - "$work/nuls" && pass || fail "NUL bytes round trip"
truncate -s 1G "$work/huge"
expect_exit 2 "1 GiB file over the default limit" -- "$flashtok" count "$work/huge"
grep -q 'larger than the limit of 268435456 bytes' "$work/err" && pass || fail "limit message: $(cat "$work/err")"
expect_exit 2 "piped input over --max-input-bytes" -- bash -c "head -c 3000000 /dev/zero | '$flashtok' count --max-input-bytes 2MiB -"
expect_exit 0 "input within --max-input-bytes" -- "$flashtok" count --max-input-bytes 5000 "$work/nuls"
expect_exit 2 "bad --max-input-bytes" -- "$flashtok" count --max-input-bytes lots "$work/nuls"
# --max-input-bytes is a size from 0 to 512MiB: "-1" and numbers past 2^64
# no longer turn the limit off.
for bad in -1 99999999999999999999999 1GiB 513MiB; do
  expect_exit 2 "--max-input-bytes $bad" -- "$flashtok" count --max-input-bytes "$bad" "$work/text"
done
expect_exit 0 "--max-input-bytes at its maximum" -- "$flashtok" count --max-input-bytes 512MiB "$work/text"
# The rank file of --encoding-file is held to the limit too, from a device as
# soon as the limit is passed.
expect_exit 2 "--encoding-file over --max-input-bytes" -- \
  timeout 20 "$flashtok" encode --encoding-file /dev/zero --pattern-of r50k_base --max-input-bytes 1MiB "$work/text"
expect_error_mentions "--encoding-file over the limit" "(see --max-input-bytes)"
if [ "$(id -u)" -ne 0 ]; then  # root reads any file
  cp "$work/text" "$work/locked" && chmod 000 "$work/locked"
  expect_exit 2 "unreadable file" -- "$flashtok" encode "$work/locked"
fi

# Progress on a terminal: escape codes to overwrite each step, none with TERM=dumb.
if command -v script >/dev/null; then
  for term in xterm dumb; do
    TERM=$term script -qec "'$flashtok' verify --quick --workload voice --encoding cl100k_base --out '$work/tty_$term'" \
      /dev/null >"$work/tty_$term.log" 2>&1
  done
  grep -q "verify: step 1 of 1 (voice cl100k_base)" "$work/tty_dumb.log" && ! grep -q $'\033' "$work/tty_dumb.log" && pass ||
    fail "TERM=dumb progress: $(head -c 200 "$work/tty_dumb.log" | od -c | head -3)"
  grep -q $'\033\\[K' "$work/tty_xterm.log" && pass || fail "no progress on a terminal"
  # bench counts its steps and, from the second on, says how long the rest should take.
  TERM=dumb script -qec "'$flashtok' bench --quick --workload voice,ide --encoding cl100k_base --no-plot --out '$work/tty_bench'" \
    /dev/null >"$work/tty_bench.log" 2>&1
  grep -q "bench: step 1 of 3 (voice cl100k_base)" "$work/tty_bench.log" &&
    grep -qE "bench: step 3 of 3 \(encoder throughput\), about [0-9]+ (s|min) left" "$work/tty_bench.log" &&
    ! grep -q $'\033' "$work/tty_bench.log" && pass || fail "bench progress: $(head -c 300 "$work/tty_bench.log")"
  # sweep counts the steps of its three parts together (quick, one encoding, one workload:
  # 10 backtrack values, 9 capacities, 9 sizes).
  TERM=dumb script -qec "'$flashtok' sweep --quick --workload voice --encoding cl100k_base --no-plot --out '$work/tty_sweep'" \
    /dev/null >"$work/tty_sweep.log" 2>&1
  grep -q "sweep: step 1 of 28 (voice cl100k_base backtrack 0)" "$work/tty_sweep.log" &&
    grep -qE "sweep: step 28 of 28 \(history cl100k_base 16384\), about [0-9]+ (s|min) left" "$work/tty_sweep.log" &&
    ! grep -q $'\033' "$work/tty_sweep.log" && pass || fail "sweep progress: $(tail -c 300 "$work/tty_sweep.log")"
fi

finish
