#!/usr/bin/env bash
# mpi_options.sh — ekm-mpi ranks started with different options (mpirun's MPMD
# syntax: `mpirun -n 1 ekm-mpi solve A : -n 1 ekm-mpi solve B`) refuse to start:
# every rank compares its options with rank 0's before any work is shared out, and
# the job ends with one line naming the rank and the option, exit 2 and nothing on
# stdout — for -k (pruned would otherwise use rank 0's K), --strategy, --metric and
# --partitions. Different --threads per rank are fine and give `ekm solve`'s answer.
# Skipped (77) without ekm-mpi or mpirun, like mpi.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_mpi.sh"
# rank 0 gets the first argument list, rank 1 (and 2 when n1=2) the second
mpmd() { # n1 "args of rank 0" "args of the others"
  local n1=$1 a=$2 b=$3
  # shellcheck disable=SC2086 # the argument lists are split on purpose
  timeout 120 mpirun -q --oversubscribe --bind-to none -n 1 "$MPI_BIN" solve $a : \
    -n "$n1" "$MPI_BIN" solve $b
}
"$EKM" gen uniform --n 60 --d 2 --seed 3 --out "$tmp/u.csv" >/dev/null
D=$tmp/u.csv

refused() { # description, pattern, n1, args0, args1
  local what=$1 pattern=$2
  mpmd "$3" "$4" "$5" >"$tmp/out" 2>"$tmp/err"
  local status=$? err
  err=$(grep -v '^\s*$' "$tmp/err")
  if [ "$status" -eq 2 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
    grep -Eq "$pattern" <<<"$err"; then
    pass
  else
    fail "$what: status $status, stderr '$err', stdout '$(cat "$tmp/out")'"
  fi
}
same="every rank needs the same options \(only --threads may differ\)$"
refused "pruned, -k 2 and 3" "^ekm-mpi: rank 1 \(.*\) was given different options: -k 3 \(rank 0: -k 2\); $same" \
  1 "$D -k 2 --strategy pruned --threads 1" "$D -k 3 --strategy pruned --threads 1"
refused "fused, -k 3 and 2 on 3 ranks" "^ekm-mpi: rank 1 \(.*\) was given different options: -k 2 \(rank 0: -k 3\); $same" \
  2 "$D -k 3 --strategy fused --threads 1" "$D -k 2 --strategy fused --threads 1"
refused "fused and tree" "^ekm-mpi: rank 1 \(.*\) was given different options: --strategy tree \(rank 0: --strategy fused\); $same" \
  1 "$D -k 2 --strategy fused --threads 1" "$D -k 2 --strategy tree --threads 1"
refused "metrics" "^ekm-mpi: rank 1 \(.*\) was given different options: --metric manhattan \(rank 0: --metric euclidean\); $same" \
  1 "$D -k 2 --strategy pruned --threads 1" "$D -k 2 --strategy pruned --threads 1 --metric manhattan"
refused "tree partitions" "^ekm-mpi: rank 1 \(.*\) was given different options: --partitions 6 \(rank 0: --partitions 4\); $same" \
  1 "$D -k 2 --strategy tree -p 4 --threads 1" "$D -k 2 --strategy tree -p 6 --threads 1"

# only the thread counts differ: it runs, and gives ekm solve's answer
for strategy in pruned fused; do
  want=$("$EKM" solve "$D" -k 3 --strategy "$strategy" --threads 2 --json | jq -c '[.objective, .medoids]')
  got=$(mpmd 1 "$D -k 3 --strategy $strategy --threads 1 --json" "$D -k 3 --strategy $strategy --threads 2" |
    jq -c '[.objective, .medoids]')
  if [ -n "$want" ] && [ "$got" = "$want" ]; then pass; else fail "$strategy, threads 1 and 2: '$got', want '$want'"; fi
done
# standard input cannot be shared by the ranks: '-' is refused with one line
timeout 120 "$MPI_BIN" solve - -k 2 <"$D" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "standard input ('-') cannot be shared" "$tmp/err" &&
  pass || fail "ekm-mpi solve -: $(cat "$tmp/err")"
# --out-data, --standardize, --index-base: what ekm solve writes and prints
"$EKM" solve "$D" -k 3 --standardize mad --index-base 1 --json --out-data "$tmp/want.csv" >"$tmp/want.json"
mpmd 1 "$D -k 3 --standardize mad --index-base 1 --threads 1 --json --out-data $tmp/got.csv" \
  "$D -k 3 --standardize mad --index-base 1 --threads 1" >"$tmp/got.json" 2>"$tmp/err"
cmp -s "$tmp/want.csv" "$tmp/got.csv" && pass || fail "ekm-mpi --out-data differs: $(cat "$tmp/err")"
[ "$(jq -c '[.medoids, .standardize, .index_base]' "$tmp/got.json")" = "$(jq -c '[.medoids, .standardize, .index_base]' "$tmp/want.json")" ] &&
  pass || fail "ekm-mpi --standardize --index-base: $(cat "$tmp/got.json")"
cp "$D" "$tmp/in.csv"
refused "out-data over the input" "^ekm-mpi: --out-data: .*in.csv: is the input data; refusing to write over it$" \
  1 "$tmp/in.csv -k 2 --threads 1 --out-data $tmp/in.csv" "$tmp/in.csv -k 2 --threads 1 --out-data $tmp/in.csv"
cmp -s "$D" "$tmp/in.csv" && pass || fail "the input was changed"
finish
