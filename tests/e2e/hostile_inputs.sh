#!/usr/bin/env bash
# hostile_inputs.sh — what an attacker (or an unlucky user) hands `ekm solve`:
# huge lines, a million columns, NUL bytes, quoted fields with line ends and
# separators inside, unterminated quotes, bad exponents, absurd K/T/P values,
# N beyond memory, files that are not files. Every refused input must give
# exactly one line on stderr starting "ekm: ", nothing on stdout, exit status 2
# (1 only for a genuine runtime failure: the result cannot be written), no crash
# (status >= 128) and an end within 20 s (60 s in the sanitizer builds). Inputs
# that are odd but valid (labels with line ends in quotes, a million columns on a
# few rows, --partitions 0) must solve.
. "$(dirname "$0")/lib.sh"
SRC=${EKM_SOURCE_DIR:?}
iris=$SRC/data/iris.csv
[ -r "$iris" ] || { echo "skipped: $iris is absent"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ekm_hostile.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
LIMIT=20 # seconds; the sanitizer builds run 5-20x slower
[ "${EKM_SANITIZED:-0}" = 1 ] && LIMIT=60

# run CMD...: sets status, out (stdout), err (stderr), lines (stderr lines).
run() {
  local t0=$SECONDS
  timeout -k 5 "$LIMIT" "$@" >"$T/.out" 2>"$T/.err"
  status=$?
  [ -z "${HOSTILE_TIMES:-}" ] || echo "$((SECONDS - t0))s: ${*:0:4}" >&2
  out=$(head -c 2000 "$T/.out")
  err=$(head -c 2000 "$T/.err")
  lines=$(grep -c '' "$T/.err")
}
# refused DESCRIPTION STATUS PATTERN CMD...: one "ekm: " line matching PATTERN, no stdout.
refused() {
  local what=$1 want=$2 pattern=$3
  shift 3
  run "$@"
  local why=
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then why="no answer within ${LIMIT}s"
  elif [ "$status" -ge 128 ]; then why="crashed (status $status)"
  elif [ "$status" -ne "$want" ]; then why="status $status, expected $want"
  elif [ -s "$T/.out" ]; then why="wrote to stdout: ${out:0:200}"
  elif [ "$lines" -ne 1 ]; then why="$lines lines on stderr"
  elif [[ $err != "ekm: "* ]]; then why="stderr does not start with 'ekm: '"
  elif ! grep -Eq -- "$pattern" <<<"$err"; then why="message does not match /$pattern/"
  fi
  if [ -n "$why" ]; then fail "$what: $why; stderr: ${err:0:300}"; else pass; fi
}
# solves DESCRIPTION CMD...: status 0, a result on stdout, within the time limit.
solves() {
  local what=$1
  shift
  run "$@"
  if [ "$status" -ne 0 ] || ! grep -q 'objective' <<<"$out"; then
    fail "$what: status $status, expected a result; stderr: ${err:0:300}"
  else
    pass
  fi
}
csv() { refused "$1" 2 "$2" "$EKM" solve "$3" -k 3 "${@:4}"; }
mat() { refused "$1 (matrix)" 2 "$2" "$EKM" solve --dissimilarity "$3" -k 2 "${@:4}"; }
# n copies of string s (no separator) on stdout, quickly.
rep() { head -c "$(( $1 * ${#2} ))" < <(yes "$2" | tr -d '\n'); }

# ---- huge lines --------------------------------------------------------------------------
rep 10000000 1 >"$T/long_number.csv"; echo >>"$T/long_number.csv"
csv "10 MB number" 'long_number\.csv:1:1: .*out of range' "$T/long_number.csv"
{ printf '1,2\n3,4\n5,'; rep 10000000 a; printf '\n7,8\n'; } >"$T/long_text.csv"
csv "10 MB text field" "long_text\.csv:3:2: field 2: 'aaaa.*' is not a number" "$T/long_text.csv"
{ printf '0,0\n1,1\n2,'; printf '0.'; rep 10000000 0; printf '1\n'; } >"$T/long_tiny.csv"
solves "10 MB number underflowing to 0" "$EKM" solve "$T/long_tiny.csv" -k 3
{ printf '"'; rep 10000000 x; } >"$T/long_quote.csv"
csv "10 MB unterminated quote" 'long_quote\.csv:1:1: unterminated' "$T/long_quote.csv"
{ printf '1,2\n3,4\n'; yes '' | head -n 5000000; } >"$T/blank_tail.csv"
csv "5 M blank lines after 2 rows" 'blank_tail\.csv: K=3 exceeds the number of points N=2' \
  "$T/blank_tail.csv"

# ---- a million columns -------------------------------------------------------------------
row=$(yes 1 | head -n 1000000 | paste -sd, -)
printf '%s\n%s\n' "$row" "${row%,1}" >"$T/mcols_ragged.csv"
csv "a million columns, ragged" 'mcols_ragged\.csv:2:1000000: field 1000000 is missing' \
  "$T/mcols_ragged.csv"
printf '%s\n' "$row" >"$T/mcols_one.csv"
printf '0%s\n' "${row#1}" >"$T/mrow.csv"
csv "a million columns, one row" 'K=3 exceeds the number of points N=1' "$T/mcols_one.csv"
printf '%s\n%s%s\n%s%s\n%s%s\n' "$row" 2 "${row#1}" 3 "${row#1}" 5 "${row#1}" >"$T/mcols.csv"
solves "a million columns, 4 rows" "$EKM" solve "$T/mcols.csv" -k 3
mat "a million columns" 'mrow\.csv:1:2: .*not square' "$T/mrow.csv"
printf '1,2\n3,4\n,,,' >"$T/empties.csv"; rep 1000000 , >>"$T/empties.csv"
csv "a million empty fields" 'empties\.csv:3:3: field 3 is extra' "$T/empties.csv"

# ---- NUL bytes, quotes -------------------------------------------------------------------
printf '1,2\n3,4\n5,\0006\n7,8\n' >"$T/nul.csv"
csv "NUL byte mid-file" 'nul\.csv:3:3: NUL byte' "$T/nul.csv"
mat "NUL byte mid-file" 'nul\.csv:3:3: NUL byte' "$T/nul.csv"
printf '1,2\n"3,5",4\n5,6\n7,8\n' >"$T/q_sep.csv"
csv "separator inside a quoted number" "q_sep\.csv:2:1: field 1: '3,5' is not a number" "$T/q_sep.csv"
printf '1,2\n"3\n",4\n5,6\n7,8\n' >"$T/q_nl.csv"
csv "line end inside a quoted number" 'q_nl\.csv:2:1: field 1: .* is not a number' "$T/q_nl.csv"
printf '1,2,"a,\nb"\n3,4,"c""d"\n5,6,"e\r\nf"\n7,8,g\n' >"$T/q_labels.csv"
solves "labels with separators, quotes and line ends" "$EKM" solve "$T/q_labels.csv" -k 3
printf '1,2\n3,"4\n5,6\n7,8\n' >"$T/q_open.csv"
csv "unterminated quote" 'q_open\.csv:2:3: unterminated quoted field' "$T/q_open.csv"
mat "unterminated quote" 'q_open\.csv:2:3: unterminated quoted field' "$T/q_open.csv"
printf '1,2\n3,"4"5\n' >"$T/q_after.csv"
csv "text after a closing quote" 'q_after\.csv:2:6: unexpected character' "$T/q_after.csv"
printf '""\n' >"$T/q_empty.csv"
csv "one empty quoted field" 'q_empty\.csv:1:1: .*missing value' "$T/q_empty.csv"
printf '1,2\n3,\033[2J\033[31mred\n5,6\n7,8\n' >"$T/escape.csv"
csv "terminal escapes in a field" "escape\.csv:2:2: field 2: '\\\\x1b\[2J\\\\x1b\[31mred' is not a number" \
  "$T/escape.csv"

# ---- bad numbers -------------------------------------------------------------------------
i=0
for bad in 1e 1e+ --1 1.2.3 0x10 +-3 . - + e5 1_000 '1 2' 1e99999 -1e400 nan -inf 0x1p3 $'\xef\xbc\x91'; do
  i=$((i + 1))
  printf '1,2\n3,%s\n5,6\n7,8\n' "$bad" >"$T/num$i.csv"
  csv "number '$bad'" "num$i\.csv:2:2: field 2: " "$T/num$i.csv"
  printf '0,%s\n%s,0\n' "$bad" "$bad" >"$T/mnum$i.csv"
  mat "number '$bad'" "mnum$i\.csv:1:2: field 2: " "$T/mnum$i.csv"
done

# ---- files that are not CSV files --------------------------------------------------------
csv "/dev/null" '/dev/null: the file is empty' /dev/null
mat "/dev/null" '/dev/null: the file is empty' /dev/null
mkdir "$T/dir.csv"
csv "a directory" 'dir\.csv: cannot read: Is a directory' "$T/dir.csv"
mat "a directory" 'dir\.csv: cannot read: Is a directory' "$T/dir.csv"
csv "a missing file" 'nope\.csv: cannot open: No such file' "$T/nope.csv"
mat "a missing file" 'nope\.csv: cannot open: No such file' "$T/nope.csv"
ln -s loop.csv "$T/loop.csv"
csv "a symlink loop" 'loop\.csv: cannot open: Too many levels of symbolic links' "$T/loop.csv"
if [ "$(id -u)" -ne 0 ]; then # root reads anything: only meaningful for a user
  printf '1,2\n3,4\n5,6\n' >"$T/secret.csv"
  chmod 000 "$T/secret.csv"
  csv "an unreadable file" 'secret\.csv: cannot open: Permission denied' "$T/secret.csv"
fi
# An endless stream: its first byte is a NUL, so it should be refused at once (or
# at a size limit), not read until memory runs out. The address-space limit keeps
# a failure harmless; the sanitizers reserve terabytes of address space: skipped.
if [ "${EKM_SANITIZED:-0}" != 1 ] && [ -r /dev/zero ]; then
  refused "/dev/zero" 2 '/dev/zero(:1:1: NUL byte|: .*(too large|larger than))' \
    bash -c 'ulimit -v 3000000; exec "$@"' _ \
    "$EKM" solve /dev/zero -k 3
fi
printf '\357\273\277' >"$T/bom.csv"
csv "only a byte-order mark" 'bom\.csv: the file is empty' "$T/bom.csv"
printf '\r\r\r\n \t \n' >"$T/blank.csv"
csv "only line ends and blanks" 'blank\.csv: the file has only blank lines' "$T/blank.csv"
printf 'x,y\nNA,1\n2,?\n,3\n' >"$T/alldrop.csv"
csv "every row dropped" 'alldrop\.csv: no data rows left' "$T/alldrop.csv" --missing drop
long=$T/$(printf 'f%.0s' {1..300}).csv
csv "a file name longer than NAME_MAX" 'cannot open: File name too long' "$long"
csv "a file name with a line end" 'cannot open: No such file' "$T/two"$'\n'"lines.csv"

# ---- N beyond memory: refused before the matrix is allocated -----------------------------
mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
big_n=$(awk -v m="$mem_kib" 'BEGIN { n = int(sqrt(m * 1024 / 4) * 1.3); print (n > 120000 ? n : 120000) }')
awk -v n="$big_n" 'BEGIN { for (i = 0; i < n; i++) printf "%d,%d\n", i % 977, i % 613 }' >"$T/big.csv"
# (seq needs the matrix; the default, auto, is pruned, which may run without one)
csv "N=$big_n points (matrix beyond memory)" "big\.csv: the $big_n x $big_n dissimilarity matrix needs .* GiB, more than" "$T/big.csv" --strategy seq
csv "N=$big_n points, heuristic" "big\.csv: the $big_n x $big_n dissimilarity matrix needs" "$T/big.csv" --strategy pam
awk -v n="$big_n" 'BEGIN { printf "0"; for (i = 1; i < n; i++) printf ",1"; printf "\n" }' >"$T/bigrow.csv"
mat "first row of $big_n entries, then the end" 'bigrow\.csv:1:2: field 2: not square' "$T/bigrow.csv"

# ---- absurd option values ----------------------------------------------------------------
opt() { refused "$1" 2 "$2" "$EKM" solve "$iris" "${@:3}"; }
opt "-k -1" "^ekm: solve: K: '-1' is not a whole number" -k -1
opt "-k 2^64+" "^ekm: solve: K must be between 1 and 64" -k 99999999999999999999
opt "-k 2^64-1" "^ekm: solve: K must be between 1 and 64" -k 18446744073709551615
opt "-k 2^32+3" "^ekm: solve: K must be between 1 and 64" -k 4294967299
opt "-k 0" "^ekm: solve: K must be between 1 and 64" -k 0
opt "-k ''" "^ekm: solve: K: '' is not a whole number" -k ''
opt "-k 3.0" "^ekm: solve: K: '3.0' is not a whole number" -k 3.0
opt "-k 0x3" "^ekm: solve: K: '0x3' is not a whole number" -k 0x3
opt "-k 1e1" "^ekm: solve: K: '1e1' is not a whole number" -k 1e1
opt "-k without a value" "^ekm: solve: -k needs a value" -k
opt "-k 65" "^ekm: solve: K must be between 1 and 64" -k 65
opt "-k 151 (K > N)" "iris\.csv: K=151 exceeds|K must be between" -k 151
opt "--threads 0" "threads must be between 1 and" -k 3 --threads 0
opt "--threads 100000" "threads must be between 1 and" -k 3 --threads 100000
opt "--threads -1" "threads: '-1' is not a whole number" -k 3 --threads -1
opt "--threads 2^64+" "threads must be between 1 and" -k 3 --threads 99999999999999999999
# --partitions 0 and --leaf 0 mean "the default" (2 x threads leaves): valid.
solves "--partitions 0 (the default)" "$EKM" solve "$iris" -k 2 --strategy tree --partitions 0
solves "--leaf 0 (the default)" "$EKM" solve "$iris" -k 2 --strategy tree --leaf 0
opt "--partitions -1" "partitions: '-1' is not a whole number" -k 3 --strategy tree --partitions -1
opt "--partitions 100000" "partitions must be between [01] and 128" -k 3 --strategy tree --partitions 100000
refused "--partitions > N" 2 "partitions need at least" \
  "$EKM" solve "$SRC/data/women.csv" -k 3 --strategy tree --partitions 20
opt "--leaf 2^64+" "leaf must be between [01] and" -k 3 --strategy tree --leaf 99999999999999999999
opt "--seed -1" "seed: '-1' is not a whole number" -k 3 --strategy pam --seed -1
opt "--restarts 0" "restarts must be between 1 and" -k 3 --strategy pam --restarts 0
opt "--strategy ''" "unknown strategy ''" -k 3 --strategy ''
opt "--metric ''" "unknown metric ''" -k 3 --metric ''
opt "--separator x" "separator: 'x' is not one of" -k 3 --separator x
opt "--labels ''" "labels: an empty path" -k 3 --labels ''
opt "-k 45 overflow" "C\\(150,45\\) K-subsets do not fit in 128 bits" -k 45
refused "matrix -k -1" 2 "K: '-1' is not a whole number" "$EKM" solve --dissimilarity "$T/mnum1.csv" -k -1
refused "matrix --label-column last" 2 "no label column" \
  "$EKM" solve --dissimilarity "$SRC/tests/fuzz/corpus/matrix/good3" -k 2 --label-column last
# An unwritable --labels file is known before the run: refuse it before solving.
opt "--labels in a missing folder" "labels.*No such file" -k 3 --labels "$T/no/such/dir/out.csv"

# ---- genuine runtime failures: status 1 --------------------------------------------------
if [ -w /dev/full ]; then
  # The result cannot be written: the run happened, the output is lost.
  timeout -k 5 "$LIMIT" "$EKM" solve "$iris" -k 2 >/dev/full 2>"$T/.err"
  status=$?
  lines=$(grep -c '' "$T/.err")
  if [ "$status" -eq 1 ] && [ "$lines" -eq 1 ] && grep -q '^ekm: ' "$T/.err"; then
    pass
  else
    fail "stdout is /dev/full: status $status, $lines lines: $(head -c 300 "$T/.err")"
  fi
fi
finish
