#!/usr/bin/env bash
# input_conventions.sh — `-` reads the CSV from standard input, and gzip-compressed
# CSV (found by its magic bytes, whatever the name) is read by every command that
# loads data, with the same answer as the plain file; bad .gz input and an empty
# standard input are one clear line naming the input (file:line for a bad row).
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gzip >/dev/null 2>&1 || { echo "skipped: gzip is not installed"; exit 77; }

# the answer of a run without its first line (the input's name) and last (timing)
answer() { sed -n '2,/^[0-9,]* K-subsets/p' "$1" | sed '$d'; }

"$EKM" gen uniform --n 100 --d 2 --seed 7 --out "$tmp/u.csv" >/dev/null || fail "gen"
"$EKM" solve "$tmp/u.csv" -k 3 >"$tmp/file.out" 2>&1 || fail "solve file: $(cat "$tmp/file.out")"
answer "$tmp/file.out" >"$tmp/want"
grep -q '^objective .*(proven optimal)' "$tmp/want" && [ "$(wc -l <"$tmp/want")" -eq 5 ] && pass ||
  fail "reference answer: $(cat "$tmp/file.out")"

# - : standard input, from a pipe (the README's example) and from a redirect
"$EKM" gen uniform --n 100 --d 2 --seed 7 | "$EKM" solve - -k 3 >"$tmp/pipe.out" 2>&1
[ $? -eq 0 ] && answer "$tmp/pipe.out" | cmp -s - "$tmp/want" && pass ||
  fail "gen | solve - differs: $(cat "$tmp/pipe.out")"
grep -q '^<stdin>: N=100 D=2 K=3' "$tmp/pipe.out" && pass || fail "stdin name: $(head -1 "$tmp/pipe.out")"
"$EKM" solve - -k 3 <"$tmp/u.csv" >"$tmp/redir.out" 2>&1
answer "$tmp/redir.out" | cmp -s - "$tmp/want" && pass || fail "solve - <file: $(cat "$tmp/redir.out")"

# .csv.gz, a gzip file under another name, gzip data on standard input, two members
gzip -c "$tmp/u.csv" >"$tmp/u.csv.gz"
cp "$tmp/u.csv.gz" "$tmp/u-compressed.data"
head -n 40 "$tmp/u.csv" | gzip -c >"$tmp/two.csv.gz"
tail -n +41 "$tmp/u.csv" | gzip -c >>"$tmp/two.csv.gz"
for input in "$tmp/u.csv.gz" "$tmp/u-compressed.data" "$tmp/two.csv.gz"; do
  "$EKM" solve "$input" -k 3 >"$tmp/gz.out" 2>&1
  [ $? -eq 0 ] && answer "$tmp/gz.out" | cmp -s - "$tmp/want" && pass ||
    fail "solve $(basename "$input") differs: $(cat "$tmp/gz.out")"
done
"$EKM" solve - -k 3 <"$tmp/u.csv.gz" >"$tmp/gzin.out" 2>&1
answer "$tmp/gzin.out" | cmp -s - "$tmp/want" && pass || fail "gzip on stdin: $(cat "$tmp/gzin.out")"

# the other commands that load data: info, compare, plot, the REPL's load
"$EKM" info "$tmp/u.csv" >"$tmp/info.plain" 2>&1
"$EKM" info "$tmp/u.csv.gz" >"$tmp/info.gz" 2>&1 || fail "info .gz: $(cat "$tmp/info.gz")"
grep -q 'N=100' "$tmp/info.gz" 2>/dev/null || grep -q '100' "$tmp/info.gz" && pass || fail "info .gz: $(cat "$tmp/info.gz")"
diff <(sed 1d "$tmp/info.plain") <(sed 1d "$tmp/info.gz") >/dev/null && pass ||
  fail "info .gz differs: $(diff <(sed 1d "$tmp/info.plain") <(sed 1d "$tmp/info.gz"))"
want_obj=$(grep '^objective' "$tmp/want")
"$EKM" -c "load $tmp/u.csv.gz; set k 3; run; wait; result" >"$tmp/repl.out" 2>&1
grep -qF "$want_obj" "$tmp/repl.out" && pass || fail "REPL load .gz: $(cat "$tmp/repl.out")"
"$EKM" compare "$tmp/u.csv.gz" -k 3 >"$tmp/cmp.out" 2>&1 && pass || fail "compare .gz: $(cat "$tmp/cmp.out")"
env -u DISPLAY -u WAYLAND_DISPLAY "$EKM" plot "$tmp/u.csv.gz" -k 3 --out "$tmp/u.png" >/dev/null 2>"$tmp/err" &&
  [ "$(head -c 4 "$tmp/u.png" | od -An -c | tr -d ' ')" = '211PNG' ] && pass || fail "plot .gz: $(cat "$tmp/err")"

# errors: one line, exit 2, naming the input
one_error() { # name expected-regex command...
  local name=$1 re=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -Eq -- "$re" "$tmp/err" && pass ||
    fail "$name: exit $rc, stderr: $(cat "$tmp/err")"
}
head -c 60 "$tmp/u.csv.gz" >"$tmp/trunc.csv.gz"
one_error "truncated .gz" "trunc\.csv\.gz: truncated gzip data" "$EKM" solve "$tmp/trunc.csv.gz" -k 3
cp "$tmp/u.csv.gz" "$tmp/bad.csv.gz"
size=$(stat -c %s "$tmp/bad.csv.gz")
printf '\377\377\377\377\377\377\377\377' | dd of="$tmp/bad.csv.gz" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
one_error "corrupt .gz" "bad\.csv\.gz: corrupt gzip data" "$EKM" solve "$tmp/bad.csv.gz" -k 3
printf '\037\213' >"$tmp/magic.csv.gz"
one_error "gzip magic only" "magic\.csv\.gz: truncated gzip data" "$EKM" solve "$tmp/magic.csv.gz" -k 3
{ cat "$tmp/u.csv.gz"; printf 'junk after the stream'; } >"$tmp/junk.csv.gz"
one_error "trailing junk" "junk\.csv\.gz: corrupt gzip data" "$EKM" solve "$tmp/junk.csv.gz" -k 3
printf '1,2\n3,4\n5,oops\n6,7\n' | gzip -c >"$tmp/row.csv.gz"
one_error "bad row in .gz" "row\.csv\.gz:3:[0-9]+: field 2" "$EKM" solve "$tmp/row.csv.gz" -k 2
one_error "checkpoint of stdin" "^ekm: <stdin>: a checkpoint needs a data file" \
  "$EKM" solve - -k 3 --checkpoint "$tmp/ck" <"$tmp/u.csv"
[ ! -e "$tmp/ck" ] && pass || fail "a checkpoint of stdin was written"
one_error "empty stdin" "^ekm: <stdin>: standard input is empty" "$EKM" solve - -k 3 </dev/null
printf '' | gzip -c >"$tmp/empty.csv.gz"
one_error "empty .gz" "empty\.csv\.gz" "$EKM" solve "$tmp/empty.csv.gz" -k 3
one_error "REPL-free info of a truncated .gz" "trunc\.csv\.gz: truncated gzip data" "$EKM" info "$tmp/trunc.csv.gz"
"$EKM" -c "load $tmp/trunc.csv.gz" >"$tmp/out" 2>&1
grep -q "trunc.csv.gz: truncated gzip data" "$tmp/out" && pass || fail "REPL load truncated: $(cat "$tmp/out")"

finish
