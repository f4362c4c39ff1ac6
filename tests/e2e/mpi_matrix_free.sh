#!/usr/bin/env bash
# mpi_matrix_free.sh — `mpirun -np 2|3 ekm-mpi solve --strategy pruned --matrix off`
# (no rank stores the N x N matrix; the root's full passes are shared out by
# blocks of candidate columns) gives the answer of `ekm solve --strategy pruned
# --matrix on` and of the plain enumeration (`--strategy seq`, the brute force):
# same objective, same medoids (the tie rule included), proven optimal — on
# seeded points, on points that all come twice and on an integer grid full of
# exact ties, K=1..4, euclidean and manhattan. --progress says how many passes
# went to the ranks. --matrix auto is accepted; --matrix off refuses the other
# strategies in one line, exit 2. SIGINT to mpirun during a matrix-free root
# phase ends every rank soon. Skipped (77) without ekm-mpi or mpirun, like mpi.sh.
. "$(dirname "$0")/lib.sh"
MPI_TIMEOUT=300
. "$(dirname "$0")/lib_mpi.sh"
"$EKM" gen uniform --n 90 --d 2 --seed 7 --out "$tmp/uniform.csv" >/dev/null
"$EKM" gen blobs --n 80 --d 3 --clusters 4 --seed 5 --out "$tmp/blobs.csv" >/dev/null
# every point twice: many medoid sets share the optimum, the tie rule picks one
{ head -1 "$tmp/uniform.csv"; tail -n +2 "$tmp/uniform.csv" | head -35;
  tail -n +2 "$tmp/uniform.csv" | head -35; } > "$tmp/twice.csv"
# a 7 x 8 integer grid: exact ties everywhere, in both metrics
awk 'BEGIN { print "x,y"; for (i = 0; i < 7; i++) for (j = 0; j < 8; j++) print i "," j }' \
  > "$tmp/grid.csv"

answer() { jq -c '[.n, .k, .exact, .objective, .medoids]'; }

# file k metric ranks...
cases=("uniform.csv 3 euclidean 2 3" "uniform.csv 1 manhattan 2" "blobs.csv 4 euclidean 2"
       "blobs.csv 2 manhattan 3" "twice.csv 3 euclidean 2 3" "twice.csv 2 manhattan 2"
       "grid.csv 3 manhattan 2 3" "grid.csv 4 euclidean 2" "grid.csv 1 euclidean 3")
[ "${EKM_SANITIZED:-0}" = 1 ] && # slow there: the tie-heavy cases only
  cases=("twice.csv 3 euclidean 2 3" "grid.csv 3 manhattan 2")
for case in "${cases[@]}"; do
  read -r file k metric ranks <<<"$case"
  brute=$("$EKM" solve "$tmp/$file" -k "$k" --metric "$metric" --strategy seq --threads 1 \
    --json | answer)
  want=$("$EKM" solve "$tmp/$file" -k "$k" --metric "$metric" --strategy pruned --matrix on \
    --threads 1 --json | answer)
  if [ -n "$want" ] && [ "$want" = "$brute" ] && [ "$(jq '.[2]' <<<"$want")" = true ]; then pass
  else fail "$file k=$k $metric: ekm solve pruned gave $want, seq $brute"; continue; fi
  for np in $ranks; do
    mpi "$np" solve "$tmp/$file" -k "$k" --metric "$metric" --strategy pruned --matrix off \
      --threads 1 --json --progress > "$tmp/out" 2> "$tmp/err"
    rc=$?
    got=$(answer < "$tmp/out")
    # the root's passes went to the ranks: at least one, over all np of them
    shared=$(sed -n "s/^ekm-mpi: root phase done in .*, \([0-9]*\) full passes shared by candidate blocks over $np ranks$/\1/p" "$tmp/err")
    if [ "$rc" = 0 ] && [ "$got" = "$want" ] && [ "${shared:-0}" -ge 1 ] &&
       ! grep -qv '^ekm-mpi: ' "$tmp/err"; then pass; else
      fail "$file k=$k $metric -np $np --matrix off: exit $rc, got $got, want $want, passes '${shared}'; $(grep -v '^ekm-mpi: root phase  ' "$tmp/err" | head -3)"; fi
  done
done

# --matrix auto: the matrix on data this small (no shared passes), the same answer
want=$("$EKM" solve "$tmp/grid.csv" -k 3 --strategy pruned --matrix on --json | answer)
mpi 2 solve "$tmp/grid.csv" -k 3 --strategy pruned --matrix auto --threads 1 --json --progress \
  > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" = 0 ] && [ "$(answer < "$tmp/out")" = "$want" ] && ! grep -q 'full passes' "$tmp/err"
then pass; else fail "--matrix auto: exit $rc, got $(answer < "$tmp/out"), want $want"; fi

# without the matrix only pruned runs: one line naming the option, exit 2, no output
mpi 2 solve "$tmp/grid.csv" -k 2 --strategy fused --matrix off > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
   grep -q -- 'fused strategy needs the dissimilarity matrix (--matrix on)' "$tmp/err"; then pass
else fail "fused --matrix off: exit $rc, stderr: $(head -3 "$tmp/err")"; fi
mpi 2 solve "$tmp/grid.csv" -k 2 --strategy pruned --matrix sometimes > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
   grep -q 'auto, on, off' "$tmp/err"; then pass
else fail "--matrix sometimes: exit $rc, stderr: $(head -3 "$tmp/err")"; fi

# SIGINT to mpirun while the ranks share a long matrix-free root phase (rank 0 says
# "root phase" once a second, once it has run for a second): every rank ends soon,
# nothing on stdout. The root of 20000 points takes a minute or more here.
"$EKM" gen uniform --n 20000 --d 2 --seed 3 --out "$tmp/big.csv" >/dev/null
timeout 300 mpirun -q --oversubscribe --bind-to none -np 2 "$MPI_BIN" solve "$tmp/big.csv" \
  -k 3 --strategy pruned --matrix off --threads 1 --json --progress > "$tmp/out" 2> "$tmp/err" &
runner=$!
working=
for _ in $(seq 1200); do # up to 120 s
  if grep -q '^ekm-mpi: root phase ' "$tmp/err"; then working=1; break; fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.1
done
ranks=$(pgrep -P "$(pgrep -P "$runner" | head -1)" 2>/dev/null) # timeout > mpirun > ranks
start=$(date +%s)
kill -INT "$runner" 2>/dev/null
wait "$runner"
rc=$?
alive=$ranks
for _ in $(seq 300); do # every rank gone (up to 30 s)
  alive=$(for pid in $ranks; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done)
  [ -z "$alive" ] && break
  sleep 0.1
done
took=$(($(date +%s) - start))
if [ -n "$working" ] && [ -n "$ranks" ] && [ "$rc" != 0 ] && [ "$rc" != 124 ] &&
   [ "$took" -lt 30 ] && [ -z "$alive" ] && [ ! -s "$tmp/out" ]; then pass; else
  fail "SIGINT in the root phase (under way: '${working:-no}'): exit $rc, ranks '$ranks' ('$alive' left) ${took}s after it, stdout $(wc -c < "$tmp/out") bytes, stderr: $(grep -v '^ekm-mpi: root phase ' "$tmp/err" | head -3)"; fi
finish
