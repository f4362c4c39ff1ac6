#!/usr/bin/env bash
# valgrind.sh — memcheck on one end-to-end run (iris, par2 on two threads, JSON) and
# on one refused input: no invalid access, no use of uninitialised memory, no
# definite leak. Skipped (77) without valgrind and under the sanitizer builds
# (valgrind and ASan/TSan cannot share a process).
. "$(dirname "$0")/lib.sh"
[ "${EKM_SANITIZED:-0}" = 1 ] && { echo "skipped: sanitizer build"; exit 77; }
command -v valgrind >/dev/null || { echo "skipped: valgrind is not installed"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ekm_valgrind.XXXXXX")
trap 'rm -rf "$T"' EXIT
vg() { # LOG CMD...: memcheck, exit 99 on any error
  local log=$1
  shift
  valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes \
    --log-file="$log" "$@"
}
errors() { grep -E 'ERROR SUMMARY|definitely lost' "$1" | head -5; }

vg "$T/solve.log" "$EKM" solve "$SRC/data/iris.csv" -k 3 --strategy par2 --threads 2 --json \
  >"$T/out.json" 2>"$T/err"
status=$?
if [ "$status" -ne 0 ]; then
  fail "iris par2 under memcheck: status $status: $(head -c 300 "$T/err") $(errors "$T/solve.log")"
  sed -n '1,60p' "$T/solve.log" >&2
elif ! grep -q '"objective"' "$T/out.json" || ! grep -q '"medoids"' "$T/out.json"; then
  fail "iris par2 under memcheck: no JSON result: $(head -c 300 "$T/out.json")"
else
  pass
fi

printf '1,2\n3,4\n5,"6\n' >"$T/bad.csv"
vg "$T/bad.log" "$EKM" solve "$T/bad.csv" -k 2 >"$T/out" 2>"$T/err"
status=$?
if [ "$status" -ne 2 ] || ! grep -q 'bad.csv:3:3: unterminated' "$T/err"; then
  fail "bad input under memcheck: status $status: $(head -c 300 "$T/err") $(errors "$T/bad.log")"
  sed -n '1,60p' "$T/bad.log" >&2
else
  pass
fi
finish
