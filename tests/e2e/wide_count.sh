#!/usr/bin/env bash
# wide_count.sh — K-subset counts beyond 64 bits through the ekm program.
# `pruned` solves jobs whose C(N,K) exceeds 2^64 and reports every count as an
# exact integer: in --json (checked with Python's exact integers and math.comb)
# and in the text report (thousands separators). The answer is checked
# independently: on ten rings of 199 points around a centre point each (rings
# 1000 apart, so the optimum takes the ten centres and costs the rings' radii),
# and on blobs by the solver's certificate, checked by `ekm verify`. The
# enumerating strategies refuse such a job with the count and a pointer to
# pruned; `ekm explain` shows the exact count of K=5 at N=99,999.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 is absent"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ten rings: C(2000,10) = 275898785946005613288829800 > 2^64
awk 'BEGIN { print "x,y"; pi = atan2(0, -1)
  for (c = 0; c < 10; c++) { cx = (c % 5) * 1000; cy = int(c / 5) * 1000; printf "%d,%d\n", cx, cy
    for (i = 0; i < 199; i++) { a = 2 * pi * i / 199; printf "%.17g,%.17g\n", cx + cos(a), cy + sin(a) } } }' \
  >"$T/rings.csv"

check_rings() { # what, extra options...
  local what=$1 json
  shift
  if ! json=$(timeout 600 "$EKM" solve "$T/rings.csv" -k 10 --threads 2 --json "$@" 2>"$T/err"); then
    fail "$what: exit $?: $(head -3 "$T/err")"
    return
  fi
  if python3 - "$json" "$T/rings.csv" <<'PY'; then pass; else fail "$what: $json"; fi
import csv, json, math, sys
j = json.loads(sys.argv[1])
pts = [tuple(map(float, r)) for r in list(csv.reader(open(sys.argv[2])))[1:]]
centres = [c * 200 for c in range(10)]
optimum = sum(math.dist(pts[c], pts[c + 1 + i]) for c in centres for i in range(199))
total = math.comb(2000, 10)
assert total > 2**64
assert j["exact"] is True, j["exact"]
assert j["medoids"] == centres, j["medoids"]
assert abs(j["objective"] - optimum) <= 1e-9 * optimum, (j["objective"], optimum)
assert j["total"] == total, j["total"]
assert j["evaluated"] + j["pruned"] == total, (j["evaluated"], j["pruned"])
assert j["evaluated"] >= 1
st = j["stages"]
assert len(st) == 1 and st[0]["total"] == total and st[0]["done"] == total, st
assert st[0]["pruned"] == j["pruned"], st
PY
}
check_rings "rings, matrix"
check_rings "rings, matrix-free" --matrix off

# the text report: the same exact counts, with separators
out=$(timeout 600 "$EKM" solve "$T/rings.csv" -k 10 --threads 2 2>&1)
if python3 - "$out" <<'PY'; then pass; else fail "rings, text: $out"; fi
import math, re, sys
out = sys.argv[1]
assert "(proven optimal)" in out, out
m = re.search(r"^([\d,]+) K-subsets evaluated, ([\d,]+) pruned of ([\d,]+) in ", out, re.M)
assert m, out
e, p, t = (int(x.replace(",", "")) for x in m.groups())
assert t == math.comb(2000, 10) and e + p == t, (e, p, t)
assert m.group(3) == f"{math.comb(2000, 10):,}", m.group(3)
PY

# blobs: C(3000,8) ≈ 1.6e23; the certificate proves the optimum independently
"$EKM" gen blobs --n 3000 --d 2 --clusters 8 --seed 3 --out "$T/blobs.csv" >/dev/null
if json=$(timeout 600 "$EKM" solve "$T/blobs.csv" -k 8 --threads 2 --json \
    --certificate "$T/blobs.cert" 2>"$T/err"); then
  if python3 - "$json" <<'PY'; then pass; else fail "blobs: $json"; fi
import json, math, sys
j = json.loads(sys.argv[1])
total = math.comb(3000, 8)
assert j["exact"] is True and j["total"] == total, j
assert j["evaluated"] + j["pruned"] == total, (j["evaluated"], j["pruned"])
PY
  obj=$(python3 -c 'import json, sys; print(repr(json.loads(sys.argv[1])["objective"]))' "$json")
  verified=$("$EKM" verify "$T/blobs.cert" "$T/blobs.csv" 2>&1)
  if grep -q "^certificate verified: objective $obj is optimal for K=8" <<<"$verified"; then
    pass
  else
    fail "blobs certificate (objective $obj): $verified"
  fi
else
  fail "blobs: $(head -3 "$T/err")"
fi

# across processes (when ekm-mpi and mpirun are there; not under the sanitizers,
# whose leak checks mpi.sh sets up for Open MPI): the same answer and exact counts
MPI_BIN=${EKM_MPI:-${EKM_BUILD_DIR:-$(dirname "$EKM")}/ekm-mpi}
if [ -x "$MPI_BIN" ] && command -v mpirun >/dev/null && [ "${EKM_SANITIZED:-0}" != 1 ] &&
  [ -n "${obj:-}" ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader
  json=$(timeout 600 mpirun -q --oversubscribe --bind-to none -np 2 "$MPI_BIN" solve \
    "$T/blobs.csv" -k 8 --json 2>"$T/err")
  if python3 - "$json" "$obj" <<'PY'; then pass; else fail "ekm-mpi blobs: $json $(head -3 "$T/err")"; fi
import json, math, sys
j = json.loads(sys.argv[1])
total = math.comb(3000, 8)
assert j["exact"] is True and j["total"] == total, j
assert j["evaluated"] + j["pruned"] == total, (j["evaluated"], j["pruned"])
assert repr(j["objective"]) == sys.argv[2], (j["objective"], sys.argv[2])
PY
else
  echo "not checked: ekm-mpi (absent, no mpirun, or a sanitizer build)"
fi

# the enumerating strategies refuse beyond 64 bits, with the count and pruned named
for s in seq fused tree; do
  err=$("$EKM" solve "$T/rings.csv" -k 10 --strategy "$s" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -eq 2 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
    grep -q "C(2000,10) = 275898785946005613288829800 K-subsets do not fit in 64 bits: far too many for $s to enumerate (pruned may close them by its bounds)" <<<"$err"; then
    pass
  else
    fail "--strategy $s: status $status: $err"
  fi
done

# explain: K=5 at N=99,999 is a pruned plan with its exact count
out=$("$EKM" explain --strategy pruned -k 5 --n 99999)
if grep -q "C(99999,5) = 83,320,834,041,647,916,894,999 K-subsets" <<<"$out"; then pass; else fail "explain: $out"; fi
json=$("$EKM" explain --strategy pruned -k 5 --n 99999 --json)
if python3 -c '
import json, math, sys
j = json.loads(sys.argv[1])
assert j["total"] == math.comb(99999, 5) == 83320834041647916894999, j["total"]
assert j["stages"][0]["total"] == j["total"]
' "$json"; then pass; else fail "explain --json: $json"; fi

finish
