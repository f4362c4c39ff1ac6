#!/usr/bin/env bash
# write_errors.sh — every file ekm writes for the user: a failed write (/dev/full, a
# file that may not grow past ulimit -f) is an error naming the file and the reason,
# a non-zero status from the command line, an error line in the REPL, never "wrote";
# a user's existing file survives a failed write untouched, no temporary file is left
# next to it, and the input data is never written over.
source "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
iris="$SRC/data/iris.csv"
[ -w /dev/full ] || { echo "skipped: /dev/full is not writable"; exit 77; }
cp "$iris" "$T/data.csv"
sum_data=$(cksum <"$T/data.csv")

# failed NAME WANT_STATUS CMD...: exits WANT_STATUS, says why on stderr, never "wrote"
failed() {
  local name=$1 want=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, want $want ($(head -c 300 "$T/err"))"
  elif ! grep -q "No space left on device\|File too large\|refusing to write over it" "$T/err"; then
    fail "$name: no reason given: $(head -c 300 "$T/err")"
  elif grep -qi "wrote" "$T/out" "$T/err"; then
    fail "$name: says it wrote: $(cat "$T/out" "$T/err" | head -c 300)"
  else
    pass
  fi
}
# the data never changes and no temporary file is ever left in $T
clean() {
  [ "$(cksum <"$T/data.csv")" = "$sum_data" ] && pass || fail "$1: the input data changed"
  local left
  left=$(find "$T" -name '*.tmp.*')
  [ -z "$left" ] && pass || fail "$1: temporary files left: $left"
}

# ---- the command line on /dev/full ----
failed "plot --out /dev/full" 1 env -u DISPLAY "$EKM" plot "$T/data.csv" -k 3 --out /dev/full
failed "solve --labels /dev/full" 1 "$EKM" solve "$T/data.csv" -k 2 --labels /dev/full
failed "gen --out /dev/full" 1 "$EKM" gen blobs --n 50 --d 2 --out /dev/full
failed "bench --csv /dev/full" 1 "$EKM" bench --gen uniform -k 2 --n 10,12 --strategies seq \
  --repeat 1 --warmup 0 --quiet --csv /dev/full
failed "bench --plot /dev/full" 1 env -u DISPLAY "$EKM" bench --gen uniform -k 2 --n 10,12 \
  --strategies seq --repeat 1 --warmup 0 --quiet --plot /dev/full
"$EKM" bench --gen uniform -k 2 --n 10,12 --strategies seq --threads 1,2 --repeat 1 --warmup 0 \
  --quiet --csv "$T/rows.csv" >/dev/null 2>&1 || fail "bench --csv to a file"
failed "plot-bench --out /dev/full" 1 env -u DISPLAY "$EKM" plot-bench "$T/rows.csv" --out /dev/full
failed "solve > /dev/full" 1 sh -c '"$0" solve "$1" -k 2 >/dev/full' "$EKM" "$T/data.csv"
failed "solve --json > /dev/full" 1 sh -c '"$0" solve "$1" -k 2 --json >/dev/full' "$EKM" "$T/data.csv"
failed "gen > /dev/full" 1 sh -c '"$0" gen uniform --n 20 --d 2 >/dev/full' "$EKM"
clean "command line, /dev/full"

# ---- a file that cannot grow: the user's old file stays whole ----
# (ulimit -f counts blocks of 1024 bytes; SIGXFSZ ignored, so write() fails EFBIG)
printf 'old picture\n' >"$T/old.png"
printf 'old labels\n' >"$T/old_labels.csv"
printf 'old rows\n' >"$T/old_rows.csv"
limited() { (trap '' XFSZ; ulimit -f 1; exec "$@"); }
failed "plot --out over a file, no room" 1 limited env -u DISPLAY "$EKM" plot "$T/data.csv" -k 3 \
  --out "$T/old.png"
failed "solve --labels over a file, no room" 1 limited "$EKM" solve "$T/data.csv" -k 2 \
  --labels "$T/old_labels.csv"
failed "bench --csv over a file, no room" 1 limited "$EKM" bench --gen uniform -k 2 \
  --n 10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25 --strategies seq,par1 --repeat 1 \
  --warmup 0 --quiet --csv "$T/old_rows.csv"
failed "bench --csv to a new file, no room" 1 limited "$EKM" bench --gen uniform -k 2 \
  --n 10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25 --strategies seq,par1 --repeat 1 \
  --warmup 0 --quiet --csv "$T/new_rows.csv"
[ ! -e "$T/new_rows.csv" ] && pass || fail "a partial new_rows.csv was left"
[ "$(cat "$T/old.png")" = "old picture" ] && pass || fail "old.png was changed"
[ "$(cat "$T/old_labels.csv")" = "old labels" ] && pass || fail "old_labels.csv was changed"
[ "$(cat "$T/old_rows.csv")" = "old rows" ] && pass || fail "old_rows.csv was changed"
clean "command line, no room"

# ---- the input data is never written over ----
failed "plot --out the data" 2 env -u DISPLAY "$EKM" plot "$T/data.csv" -k 3 --out "$T/data.csv"
failed "solve --labels the data" 2 "$EKM" solve "$T/data.csv" -k 2 --labels "$T/data.csv"
ln -s data.csv "$T/alias.csv"
failed "solve --labels a link to the data" 2 "$EKM" solve "$T/data.csv" -k 2 \
  --labels "$T/alias.csv"
failed "plot-bench --out its rows" 1 env -u DISPLAY "$EKM" plot-bench "$T/rows.csv" \
  --out "$T/rows.csv"
head -1 "$T/rows.csv" | grep -q '^strategy,N,K,' && pass || fail "plot-bench wrote over its rows"
clean "inputs"

# ---- and a good write still works, atomically in place of the old file ----
"$EKM" solve "$T/data.csv" -k 2 --labels "$T/old_labels.csv" >/dev/null 2>"$T/err" &&
  [ "$(wc -l <"$T/old_labels.csv")" -eq 151 ] && pass ||
  fail "solve --labels to a file: $(cat "$T/err")"
env -u DISPLAY "$EKM" plot "$T/data.csv" -k 3 --out "$T/old.png" >"$T/out" 2>"$T/err" &&
  grep -q "^wrote $T/old.png" "$T/out" && [ "$(head -c 4 "$T/old.png" | tail -c 3)" = PNG ] &&
  pass || fail "plot to a file: $(cat "$T/out" "$T/err")"
clean "good writes"

# ---- the REPL: each writer an error line, never "wrote"; the script fails ----
for cmd in "save labels /dev/full" "save result /dev/full" "result --labels /dev/full" \
           "plot --out /dev/full" "plot curves --out /dev/full" \
           "bench -k 2 --n 10,12 --strategies seq --repeat 1 --warmup 0 --csv /dev/full" \
           "bench -k 2 --n 10,12 --strategies seq --repeat 1 --warmup 0 --plot /dev/full" \
           "save labels $T/data.csv" "plot --out $T/data.csv"; do
  failed "REPL: $cmd" 1 env -u DISPLAY "$EKM" -c "load $T/data.csv; set k 2; run; wait; $cmd"
done
# each failing command says so on its own line, and the script goes on
env -u DISPLAY "$EKM" -c "load $T/data.csv; set k 2; run; wait; save labels /dev/full; \
save result $T/ok.json; plot --out /dev/full" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && pass || fail "REPL script with failed writes: exit status"
[ "$(grep -c 'write failed: No space left on device' "$T/err")" -eq 2 ] && pass ||
  fail "REPL: want two error lines: $(cat "$T/err")"
grep -q "^wrote the result to $T/ok.json" "$T/out" && grep -q '"objective"' "$T/ok.json" &&
  pass || fail "REPL: the good save between failures: $(cat "$T/out")"
failed "REPL output > /dev/full" 1 sh -c '"$0" -c "load $1; set k 2; run; wait; result" >/dev/full' \
  "$EKM" "$T/data.csv"
clean "REPL"

finish
