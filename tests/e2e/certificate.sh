#!/usr/bin/env bash
# certificate.sh — `ekm solve --strategy pruned --certificate FILE` and `ekm verify
# FILE DATA`: certificates of small sets (K=2..4, Euclidean and Manhattan, with
# duplicates and ties, with and without the stored matrix, 1 and 2 threads)
# verify, with the objective of an independent exact strategy (seq); a tampered
# certificate (objective lowered, a multiplier raised, a subtree or an end
# removed, a point named twice), the wrong data and other data options are
# rejected with the reason; the option is refused where it cannot apply and a
# failed write is an error.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ties=$DATA/certificate_ties.csv
# 90 points: a 5 x 6 grid three times over
awk 'BEGIN { print "x,y"; for (r = 0; r < 3; r++) for (i = 0; i < 5; i++) for (j = 0; j < 6; j++) print i "," j * 2 }' >"$tmp/g.csv"
obj() { "$EKM" solve "$@" --json 2>/dev/null | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["objective"]))'; }
same() { python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(a - b) <= 1e-12 * max(1.0, abs(b)) else 1)' "$1" "$2"; }

# 1. valid certificates verify, with seq's objective
for f in "$ties" "$tmp/g.csv" "$SRC/data/iris.csv"; do
  for m in euclidean manhattan; do
    for k in 2 3 4; do
      want=$(obj "$f" -k $k -s seq --metric $m)
      for mx in on off; do
        t=$((k % 2 + 1)) # 1 or 2 threads
        c=$tmp/c.txt
        rm -f "$c"
        if ! "$EKM" solve "$f" -k $k -s pruned -t $t --metric $m --matrix $mx --certificate "$c" >/dev/null 2>"$tmp/err"; then
          fail "solve $f K=$k $m --matrix $mx: $(cat "$tmp/err")"; continue
        fi
        out=$("$EKM" verify "$c" "$f" --metric $m 2>&1); st=$?
        got=$(sed -n 's/^certificate verified: objective \([^ ]*\) is optimal for K='$k' on .*/\1/p' <<<"$out")
        if [ $st -eq 0 ] && [ -n "$got" ] && same "$got" "$want"; then pass
        else fail "verify $(basename "$f") K=$k $m --matrix $mx: status $st, want $want: $out"; fi
      done
    done
  done
done

# a certificate where the search branched (nodes, leaves, multipliers of its own)
"$EKM" solve "$ties" -k 4 -s pruned -t 2 --certificate "$tmp/t.txt" >/dev/null || fail "solve ties K=4"
grep -q '^o ' "$tmp/t.txt" && grep -q '^l ' "$tmp/t.txt" && grep -q '^L$' "$tmp/t.txt" && pass ||
  fail "ties K=4: the certificate has no searched node, evaluated set or own multipliers"
"$EKM" verify "$tmp/t.txt" "$ties" >/dev/null && pass || fail "ties K=4 does not verify"

# 2. tampering is caught, with the reason on one line and status 1
reject() { # name, expected words, certificate, data [options]
  local name=$1 want=$2 cert=$3; shift 3
  out=$("$EKM" verify "$cert" "$@" 2>&1 >/dev/null); st=$?
  if [ $st -eq 1 ] && [ "$(grep -c . <<<"$out")" -eq 1 ] && grep -q -- "$want" <<<"$out"; then pass
  else fail "$name: status $st, want '$want': $out"; fi
}
# the objective lowered (by a part in a million)
awk '/^objective /{ printf "objective %.17g\n", $3 * (1 - 1e-6); next } { print }' "$tmp/t.txt" >"$tmp/low.txt"
reject "objective lowered" "is not the cost of the claimed medoids" "$tmp/low.txt" "$ties"
# the objective lowered together with medoids that are not the optimum
awk '/^medoids /{ print "medoids 0 1 2 3"; next } { print }' "$tmp/t.txt" >"$tmp/med.txt"
reject "other medoids" "is not the cost of the claimed medoids" "$tmp/med.txt" "$ties"
# one root multiplier raised far: the root's bound drops below the objective
awk 'f == 1 { print "0x1p+20"; f = 2; next } /^lambda$/ { f = 1 } { print }' "$tmp/t.txt" >"$tmp/lam.txt"
reject "multiplier raised" "closed subtree .* its bound .* is below the claimed objective" "$tmp/lam.txt" "$ties"
# the first searched root child removed (its o through its matching e): the root's
# tail then holds it, and its bound cannot close it (0.2 % short: beyond the
# float-rounding window where the checker would evaluate the sets instead)
"$EKM" gen uniform --n 120 --d 3 --seed 9 --out "$tmp/u.csv" >/dev/null || fail "gen"
"$EKM" solve "$tmp/u.csv" -k 3 -s pruned --certificate "$tmp/u.txt" >/dev/null || fail "solve u K=3"
"$EKM" verify "$tmp/u.txt" "$tmp/u.csv" >/dev/null && pass || fail "u K=3 does not verify"
awk 'BEGIN { d = 0; state = 0 }
     state == 0 && /^tree$/ { print; state = 1; next }
     state == 1 && /^o / { state = 2; d = 1; next }
     state == 2 { if ($1 == "o") d++; else if ($1 == "e") d--; if (d == 0) state = 3; next }
     { print }' "$tmp/u.txt" >"$tmp/sub.txt"
[ "$(wc -l <"$tmp/sub.txt")" -lt "$(wc -l <"$tmp/u.txt")" ] && pass || fail "no subtree removed"
reject "subtree removed" "closed subtree .* its bound .* is below the claimed objective" "$tmp/sub.txt" "$tmp/u.csv"
# a node's e removed: the walk no longer ends where the file does
awk '!done && /^e$/ { done = 1; next } { print }' "$tmp/t.txt" >"$tmp/end.txt"
reject "end removed" "certificate rejected: .*end.txt:[0-9]*: " "$tmp/end.txt" "$ties"
# a point named twice in a node: the subsets would be counted twice and others never
awk '!done && /^[xl] / { print; print; done = 1; next } { print }' "$tmp/t.txt" >"$tmp/twice.txt"
reject "point named twice" "is not a candidate of its node" "$tmp/twice.txt" "$ties"
# text after the end, a negative multiplier
{ cat "$tmp/t.txt"; echo "o 3"; } >"$tmp/after.txt"
reject "text after the end" 'text after "end"' "$tmp/after.txt" "$ties"
awk '/^lambda$/ { print; getline; print "-1"; next } { print }' "$tmp/t.txt" >"$tmp/neg.txt"
reject "negative multiplier" "expected a finite number >= 0" "$tmp/neg.txt" "$ties"
# not a certificate, another version
reject "not a certificate" "not an ekm certificate" "$ties" "$ties"
sed '1s/.*/ekm-certificate 9/' "$tmp/t.txt" >"$tmp/v9.txt"
reject "other version" "reads version 1" "$tmp/v9.txt" "$ties"
# the wrong data: other N; same N with one value changed; other data options
reject "other N" "the certificate is for N=68 points, the data has 90" "$tmp/t.txt" "$tmp/g.csv"
awk -F, 'NR == 5 { $1 = $1 + 3 } { print }' OFS=, "$ties" >"$tmp/changed.csv"
reject "changed data" "is not the cost of the claimed medoids" "$tmp/t.txt" "$tmp/changed.csv"
out=$("$EKM" verify "$tmp/t.txt" "$ties" --metric manhattan 2>&1 >/dev/null); st=$?
[ $st -eq 2 ] && grep -q "was made with metric=euclidean, these data options give metric=manhattan" <<<"$out" &&
  pass || fail "other metric: status $st: $out"
out=$("$EKM" verify "$tmp/t.txt" "$ties" --standardize mad 2>&1 >/dev/null); st=$?
[ $st -eq 2 ] && grep -q "standardize=mad" <<<"$out" && pass || fail "standardized: status $st: $out"

# 3. where the option cannot apply, and writing
out=$("$EKM" solve "$ties" -k 2 -s seq --certificate "$tmp/x.txt" 2>&1 >/dev/null); st=$?
[ $st -eq 2 ] && grep -q "only --strategy pruned" <<<"$out" && [ ! -e "$tmp/x.txt" ] && pass ||
  fail "seq --certificate: status $st: $out"
cp "$ties" "$tmp/in.csv"
out=$("$EKM" solve "$tmp/in.csv" -k 2 -s pruned --certificate "$tmp/in.csv" 2>&1 >/dev/null); st=$?
[ $st -ne 0 ] && cmp -s "$ties" "$tmp/in.csv" && pass || fail "certificate over the input: status $st: $out"
out=$("$EKM" solve "$ties" -k 2 -s pruned --certificate "$tmp/no/such/dir/c.txt" 2>&1 >/dev/null); st=$?
[ $st -eq 2 ] && grep -q "cannot write there" <<<"$out" && pass || fail "no folder: status $st: $out"
if [ -w /dev/full ]; then
  out=$("$EKM" solve "$ties" -k 2 -s pruned --certificate /dev/full 2>&1 >/dev/null); st=$?
  [ $st -eq 1 ] && grep -q "certificate.*write failed\|No space" <<<"$out" && pass ||
    fail "/dev/full: status $st: $out"
fi

# 4. the shared large sets (slow; only with them)
if [ "${EKM_CERT_LARGE:-0}" = 1 ] && have_shared "a 50,000-point certificate"; then
  :
fi
finish
