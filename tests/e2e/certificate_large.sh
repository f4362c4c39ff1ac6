#!/usr/bin/env bash
# certificate_large.sh — (slow; only with the shared sets) a certificate of a
# large shared set, written by pruned without the matrix, verifies; and the same
# certificate with its objective lowered is refused. The 10,000-point rds_cnt
# always (when present); the 50,000-point rds when EKM_CERT_50K=1 (minutes).
. "$(dirname "$0")/lib.sh"
have_shared "the large certificates" || exit 77
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sets="rds_cnt"
[ "${EKM_CERT_50K:-0}" = 1 ] && sets="$sets rds"
for name in $sets; do
  f=$SHARED/ren2022/$name.csv
  if ! "$EKM" solve "$f" -k 3 -s pruned --matrix off --certificate "$tmp/c.txt" >"$tmp/out" 2>"$tmp/err"; then
    fail "$name: solve: $(cat "$tmp/err")"; continue
  fi
  want=$(sed -n 's/^objective \([0-9.e+-]*\) (proven optimal).*/\1/p' "$tmp/out")
  out=$("$EKM" verify "$tmp/c.txt" "$f" 2>&1); st=$?
  got=$(sed -n 's/^certificate verified: objective \([^ ]*\) is optimal for K=3 .*/\1/p' <<<"$out")
  [ $st -eq 0 ] && [ -n "$want" ] && [ -n "$got" ] &&
    python3 -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(abs(a - b) > 1e-9 * b)' "$got" "$want" &&
    pass ||
    fail "$name: verify: status $st, want $want: $out"
  awk '/^objective /{ printf "objective %.17g\n", $3 * (1 - 1e-6); next } { print }' "$tmp/c.txt" >"$tmp/low.txt"
  out=$("$EKM" verify "$tmp/low.txt" "$f" 2>&1); st=$?
  [ $st -eq 1 ] && grep -q "is not the cost of the claimed medoids" <<<"$out" && pass ||
    fail "$name: lowered objective: status $st: $out"
done
finish
