#!/usr/bin/env bash
# flashtok decode --stream: the same bytes as decode, written as ids arrive.
# Usage: decode_stream_test.sh PATH/TO/flashtok
set -u
flashtok=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"

# Byte for byte what decode writes, for text and for random bytes (cut
# characters and invalid sequences), one id per line or many on a line.
printf 'Hello \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\xa6\x9c\xf0\x9f\x98\x80 end\n' >"$work/text"
head -c 5000 /dev/urandom >"$work/random"
for enc in cl100k_base o200k_base r50k_base; do
  for file in text random; do
    "$flashtok" encode --encoding "$enc" "$work/$file" >"$work/ids"
    "$flashtok" decode --stream --encoding "$enc" <"$work/ids" | cmp -s - "$work/$file" && pass ||
      fail "$enc $file: decode --stream differs from the input"
    tr '\n' ' ' <"$work/ids" | "$flashtok" decode --stream --encoding "$enc" | cmp -s - "$work/$file" && pass ||
      fail "$enc $file: decode --stream of ids on one line differs"
  done
done

# Output before the input ends: the first id's text arrives while the
# writer still waits to send the second.
first=$(printf 'a' | "$flashtok" encode)
reply=$({ echo "$first"; sleep 3; echo "$first"; } | "$flashtok" decode --stream | { IFS= read -r -n1 -t 2 c; printf '%s' "${c-}"; })
[ "$reply" = a ] && pass || fail "decode --stream did not write the first id's text before its input ended"

# A character cut across ids is written once whole: its first byte alone writes nothing.
lead=$(printf '\xf0' | "$flashtok" encode)
reply=$({ echo "$lead"; sleep 3; } | "$flashtok" decode --stream | { IFS= read -r -n1 -t 2 c && echo got; })
[ -z "$reply" ] && pass || fail "decode --stream wrote part of a cut character"

printf '100256\n' >"$work/gap"
expect_exit 2 "an id not in the encoding" -- sh -c "\"$flashtok\" decode --stream <\"$work/gap\""
expect_exit 2 "ids that are not numbers" -- sh -c "printf '12\n13 x\n' | \"$flashtok\" decode --stream"
expect_error_mentions "the line of a bad id" "line 2"
# A stream with no newline is refused once a line passes the limit, in
# bounded memory (std::getline would buffer /dev/zero until memory ran out).
expect_exit 2 "a line over --max-input-bytes" -- \
  bash -c "head -c 3000000 /dev/zero | timeout 20 '$flashtok' decode --stream --max-input-bytes 1MiB"
expect_error_mentions "a line over --max-input-bytes" "line 1 is over --max-input-bytes"
expect_exit 2 "--stream with a file" -- "$flashtok" decode --stream "$work/ids"
expect_exit 2 "--stream with --format u32" -- "$flashtok" decode --stream --format u32

finish
