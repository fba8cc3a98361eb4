# Shared by the CLI tests (source it after setting $work, a scratch folder):
# counters, expect_exit, json_get and the final verdict.
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# json_get FILE EXPR: EXPR evaluated in Python with the parsed FILE as d.
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND (stdin from
# /dev/null, stdout to $work/out, stderr to $work/err) and checks its exit
# code and, for exit 2, that stderr is exactly one line starting with
# "flashtok: " (docs/CLI.md "Exit codes").
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err" </dev/null
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, expected $want; stderr: $(tail -c 400 "$work/err")"
  elif [ "$want" -eq 2 ] && { [ "$(wc -l <"$work/err")" -ne 1 ] || ! grep -q '^flashtok: ' "$work/err"; }; then
    fail "$what: stderr is not one 'flashtok: ...' line: $(head -c 400 "$work/err")"
  else
    pass
  fi
}

# expect_error_mentions DESCRIPTION TEXT: the last command's stderr contains TEXT.
expect_error_mentions() {
  grep -qF -- "$2" "$work/err" && pass || fail "$1: stderr does not mention '$2': $(head -c 400 "$work/err")"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
