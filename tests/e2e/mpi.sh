#!/usr/bin/env bash
# mpi.sh — `mpirun -np 2|3 ekm-mpi solve` gives what `ekm solve` gives (medoids,
# objective, tie-break, counts) for fused, pruned, par2 and tree on seeded data,
# including data full of exact ties; the faithful strategies put their leaves on
# different ranks; bad input is one line and exit 2; a killed rank ends the job
# with an error, quickly. Skipped (77) when ekm-mpi was not built (no MPI found)
# or mpirun is missing. Runs under the sanitizer builds too (Open MPI's own leaks
# suppressed, see below).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_mpi.sh"
"$EKM" gen uniform --n 150 --d 2 --seed 3 --out "$tmp/uniform.csv" >/dev/null
"$EKM" gen blobs --n 120 --d 3 --clusters 4 --seed 5 --out "$tmp/blobs.csv" >/dev/null
# every point twice: many medoid sets share the optimum, the tie rule picks one
{ head -1 "$tmp/uniform.csv"; tail -n +2 "$tmp/uniform.csv" | head -60;
  tail -n +2 "$tmp/uniform.csv" | head -60; } > "$tmp/ties.csv"

# the fields that must agree; counts exactly, except pruned's split of its work
# between evaluated and pruned, which depends on when incumbents arrive
fields() {
  if [ "$1" = pruned ]; then
    jq -c '[.n, .k, .strategy, .exact, .objective, .medoids, .total, (.evaluated + .pruned)]'
  else
    jq -c '[.n, .k, .strategy, .exact, .objective, .medoids, .total, .evaluated, .pruned]'
  fi
}

cases=("uniform.csv 3" "blobs.csv 4" "ties.csv 3")
[ "${EKM_SANITIZED:-0}" = 1 ] && cases=("ties.csv 3") # slow there: the hardest case only
for case in "${cases[@]}"; do
  read -r file k <<<"$case"
  for strategy in fused pruned par2 tree; do
    want=$("$EKM" solve "$tmp/$file" -k "$k" --strategy "$strategy" --threads 2 --json | fields "$strategy")
    [ -n "$want" ] || { fail "ekm solve $file k=$k $strategy gave nothing"; continue; }
    for np in 2 3; do
      mpi "$np" solve "$tmp/$file" -k "$k" --strategy "$strategy" --threads 1 --json \
        > "$tmp/out" 2> "$tmp/err"
      rc=$?
      got=$(fields "$strategy" < "$tmp/out")
      if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && [ "$got" = "$want" ]; then pass; else
        fail "$file k=$k $strategy -np $np: exit $rc, got $got, want $want; $(head -3 "$tmp/err")"; fi
    done
  done
done

# the human-readable output and the labels file are those of ekm solve (the time aside)
"$EKM" solve "$tmp/blobs.csv" -k 4 --strategy fused --threads 1 --labels "$tmp/want-labels.csv" |
  grep -v ' in [0-9.]* s (' > "$tmp/want.txt"
mpi 2 solve "$tmp/blobs.csv" -k 4 --strategy fused --threads 1 --labels "$tmp/got-labels.csv" \
  > "$tmp/out" 2> "$tmp/err"
rc=$?
grep -v ' in [0-9.]* s (' "$tmp/out" > "$tmp/got.txt"
if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/want.txt" "$tmp/got.txt" &&
   cmp -s "$tmp/want-labels.csv" "$tmp/got-labels.csv"; then pass; else fail "text output or labels differ from ekm solve: $(diff "$tmp/want.txt" "$tmp/got.txt" | head -5)"; fi

# stages mapped to ranks: par2's first two leaves run on different ranks (--progress
# says so, and the JSON's stages carry the rank as their `thread`), every merge on
# a rank, and --progress reports every rank
mpi 2 solve "$tmp/uniform.csv" -k 3 --strategy par2 --threads 1 --progress --json \
  > "$tmp/par2.json" 2> "$tmp/progress.txt"
rc=$?
leaf0=$(sed -n 's/^ekm-mpi: stage 0 .* -> rank \([0-9]*\) .*/\1/p' "$tmp/progress.txt")
leaf1=$(sed -n 's/^ekm-mpi: stage 1 .* -> rank \([0-9]*\) .*/\1/p' "$tmp/progress.txt")
ranks=$(jq -c '[.stages[].thread]' "$tmp/par2.json")
if [ "$rc" = 0 ] && ! grep -qv '^ekm-mpi: ' "$tmp/progress.txt" &&
   [ -n "$leaf0" ] && [ -n "$leaf1" ] && [ "$leaf0" != "$leaf1" ] &&
   [ "$(jq -c '[.stages[0].thread, .stages[1].thread]' "$tmp/par2.json")" = "[$leaf0,$leaf1]" ] &&
   jq -e '[.stages[].thread] | all(. == 0 or . == 1)' "$tmp/par2.json" >/dev/null &&
   grep -q '^ekm-mpi: done 100.0% .*; rank 0: .*; rank 1: ' "$tmp/progress.txt"; then pass; else
  fail "par2 -np 2: leaves on ranks '$leaf0' and '$leaf1', stages on $ranks; $(tail -2 "$tmp/progress.txt")"; fi

# bad input: one line naming the file and the problem, exit 2, nothing on stdout
expect_usage() {
  local what=$1; shift
  mpi 2 "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
     grep -qF -- "$what" "$tmp/err"; then pass; else
    fail "$*: exit $rc, stderr: $(head -3 "$tmp/err")"; fi
}
expect_usage "$tmp/absent.csv" solve "$tmp/absent.csv" -k 3
printf 'x,y\n1,2\n3,oops\n' > "$tmp/bad.csv"
expect_usage "$tmp/bad.csv:3" solve "$tmp/bad.csv" -k 1
head -6 "$tmp/uniform.csv" > "$tmp/five.csv"
expect_usage "K=6 exceeds the number of points N=5" solve "$tmp/five.csv" -k 6
expect_usage "heuristic" solve "$tmp/uniform.csv" -k 3 --strategy pam
expect_usage "how many medoids" solve "$tmp/uniform.csv"
expect_usage "--labels: $tmp/nowhere/labels.csv: cannot write there" solve "$tmp/uniform.csv" \
  -k 3 --labels "$tmp/nowhere/labels.csv"
expect_usage "strategy" solve "$tmp/uniform.csv" -k 3 --strategy nonsense

# a problem on one rank only: rank 0 names that rank and its host, every rank exits 2
cp "$tmp/uniform.csv" "$tmp/data0.csv"
cp "$tmp/blobs.csv" "$tmp/data1.csv"
per_rank() { # FILE is data<rank>.csv: each rank reads its own
  timeout 120 mpirun -q --oversubscribe --bind-to none -np 2 bash -c \
    "exec \"$MPI_BIN\" solve \"$tmp/data\$OMPI_COMM_WORLD_RANK.csv\" -k 3 --threads 1" \
    > "$tmp/out" 2> "$tmp/err"
}
per_rank
rc=$?
if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
   grep -q "rank 1 (.*) read different data" "$tmp/err"; then pass; else
  fail "different data on rank 1: exit $rc, stderr: $(head -3 "$tmp/err")"; fi
rm "$tmp/data1.csv"
per_rank
rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
   grep -q "rank 1 (.*): $tmp/data1.csv" "$tmp/err"; then pass; else
  fail "no file on rank 1: exit $rc, stderr: $(head -3 "$tmp/err")"; fi

# a rank killed mid-run: the job ends soon with an error naming it, never hangs.
# Rank 1 is killed once rank 0's progress shows it has closed K-subsets (so the
# run is under way on both ranks); K=4 takes minutes: it cannot end before that.
"$EKM" gen uniform --n 700 --d 2 --seed 1 --out "$tmp/big.csv" >/dev/null
timeout 120 mpirun --oversubscribe --bind-to none -np 2 "$MPI_BIN" solve "$tmp/big.csv" -k 4 \
  --strategy fused --threads 1 --json --progress > "$tmp/out" 2> "$tmp/err" &
runner=$!
victim=
for _ in $(seq 600); do # rank 1 among the children of this run's mpirun (up to 60 s)
  for pid in $(pgrep -P "$(pgrep -P "$runner" | head -1)" 2>/dev/null || true); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then
      victim=$pid
    fi
  done
  [ -n "$victim" ] && break
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.1
done
working=
for _ in $(seq 900); do # up to 90 s
  if grep -Eq '^ekm-mpi: running .*; rank 1: [1-9]' "$tmp/err"; then working=1; break; fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.1
done
start=$(date +%s)
if [ -n "$victim" ] && [ -n "$working" ]; then kill -9 "$victim"; else kill "$runner" 2>/dev/null; fi
wait "$runner"
rc=$?
took=$(($(date +%s) - start))
if [ -n "$victim" ] && [ -n "$working" ] && [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$took" -lt 30 ] &&
   [ ! -s "$tmp/out" ] && grep -v '^ekm-mpi: running ' "$tmp/err" | grep -q 'rank 1'; then pass; else
  fail "killed rank 1 (pid '$victim', at work: '${working:-no}'): exit $rc ${took}s after the kill, stdout $(wc -c < "$tmp/out") bytes, stderr: $(grep -v '^ekm-mpi: running ' "$tmp/err" | head -5)"; fi
finish
