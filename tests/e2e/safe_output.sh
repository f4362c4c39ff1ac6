#!/usr/bin/env bash
# safe_output.sh — labels, column names and file names holding terminal escapes
# (ESC ]0;title BEL retitles the window, ESC [2J clears the screen, C1 CSI, bytes
# that are not UTF-8) are shown escaped by every human-readable output: no control
# byte but the line end, no C1 control, no invalid UTF-8 ever reaches the terminal
# from ekm solve, info, compare, plot, bench, errors naming the file, or the REPL.
# JSON stays JSON (\u escapes); files ekm writes keep the data as it is.
source "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

esc=$'\033' bel=$'\007'
F="$T/evil${esc}]0;file${bel}${esc}[2J.csv"
{
  printf 'x,y%s[31m,name\n' "$esc"
  printf '0,0,%s]0;pwned%s%s[2J\n' "$esc" "$bel" "$esc"
  printf '1,0,a\n'
  printf '10,0,\xc2\x9b31m\x9b\x7fz\n'
  printf '11,0,b\n'
  printf '0,10,\xff\xfe caf\xc3\xa9 \xe2\x86\x92\t!\n'
  printf '0,11,c\n'
} >"$F"

# shown NAME FILE...: the files hold no control byte but LF, no C1 (raw or UTF-8), and
# are valid UTF-8
shown() {
  local name=$1; shift
  if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$@"; then
    fail "$name: a control character reached the terminal: $(cat -v "$@" | head -c 400)"
  elif ! cat "$@" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
    fail "$name: output is not valid UTF-8: $(cat -v "$@" | head -c 400)"
  else
    pass
  fi
}
run() { # run NAME CMD...: stdout and stderr both checked
  local name=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  shown "$name" "$T/out" "$T/err"
}

# ---- ekm solve: the table shows the labels escaped, readable ----
run "solve" "$EKM" solve "$F" -k 3
grep -qF 'evil\x1b]0;file\x07\x1b[2J.csv: N=6' "$T/out" && pass || fail "solve: file name: $(cat -v "$T/out")"
grep -qF '\x1b]0;pwned\x07' "$T/out" && pass || fail "solve: label 1: $(cat -v "$T/out")"
grep -qF '\u009b31m\x9b' "$T/out" && pass || fail "solve: label 2: $(cat -v "$T/out")"
grep -qF "\\xff\\xfe café" "$T/out" && pass || fail "solve: label 3 (UTF-8 kept): $(cat -v "$T/out")"
# --json: valid JSON holding the same strings
run "solve --json" "$EKM" solve "$F" -k 3 --json
grep -qF '"\u001b]0;pwned\u0007\u001b[2J"' "$T/out" && pass || fail "json label: $(cat "$T/out")"
grep -qF '"\u009b31m\ufffd\u007fz"' "$T/out" && pass || fail "json C1: $(cat "$T/out")"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["medoid_labels"][0]=="\x1b]0;pwned\x07\x1b[2J", d' \
    "$T/out" && pass || fail "solve --json is not JSON holding the label"
fi
# --labels: the file holds the data as data
"$EKM" solve "$F" -k 3 --labels "$T/labels.csv" >/dev/null 2>&1 || fail "solve --labels"
grep -qF "$esc]0;pwned$bel$esc[2J" "$T/labels.csv" && pass || fail "--labels file lost the label"

# ---- errors naming the file, the column, a field ----
run "error: K too large" "$EKM" solve "$F" -k 7
grep -qF 'evil\x1b]0;file\x07\x1b[2J.csv: K=7 exceeds' "$T/err" && pass || fail "K error: $(cat -v "$T/err")"
run "error: missing file" "$EKM" solve "$T/no${esc}[2J.csv" -k 2
grep -qF 'no\x1b[2J.csv' "$T/err" && pass || fail "missing file error: $(cat -v "$T/err")"
printf '1,2\n3,\xc2\x9b2J\xff\n5,6\n' >"$T/badnum.csv"
run "error: a field with C1 and a bad byte" "$EKM" solve "$T/badnum.csv" -k 2
grep -qF "'\\u009b2J\\xff' is not a number" "$T/err" && pass || fail "field error: $(cat -v "$T/err")"

# ---- info, compare, plot, bench ----
run "info" "$EKM" info "$F"
grep -qF 'y\x1b[31m' "$T/out" && pass || fail "info: column name: $(cat -v "$T/out")"
run "compare" "$EKM" compare "$F" -k 3
run "plot" env -u DISPLAY "$EKM" plot "$F" -k 3 --out "$T/pic${esc}[2J.png"
grep -qF 'pic\x1b[2J.png' "$T/out" && pass || fail "plot: wrote line: $(cat -v "$T/out")"
run "bench" "$EKM" bench "$F" -k 2 --n 4,6 --strategies seq --repeat 1 --warmup 0
grep -qF 'evil\x1b]0;file' "$T/out" "$T/err" && pass || fail "bench: dataset name: $(cat -v "$T/out")"

# ---- the REPL: notes, the result table, info, history, errors ----
run "REPL" "$EKM" -c "load '$F'; set k 3; run; wait; result; info; history; status; \
save labels '$T/saved${esc}[2J.csv'; load '$T/none${esc}[2J.csv'; plot --out '$T/p${esc}c.png'"
grep -qF 'loaded evil\x1b]0;file\x07\x1b[2J' "$T/out" && pass || fail "REPL load: $(cat -v "$T/out")"
grep -qF '\x1b]0;pwned\x07' "$T/out" && pass || fail "REPL result label: $(cat -v "$T/out")"
grep -qF 'saved\x1b[2J.csv' "$T/out" && pass || fail "REPL save note: $(cat -v "$T/out")"
grep -qF 'none\x1b[2J.csv' "$T/err" && pass || fail "REPL load error: $(cat -v "$T/err")"
# and the file saved holds the raw label
grep -qF "$esc]0;pwned$bel" "$T/saved${esc}[2J.csv" && pass || fail "REPL save labels lost the label"

finish
