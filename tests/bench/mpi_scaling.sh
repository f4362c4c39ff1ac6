#!/usr/bin/env bash
# mpi_scaling.sh — ekm-mpi's scaling figure: R ranks x 1 thread against 1 rank x 1
# thread (and `ekm solve --threads 1`) on `ekm gen uniform --n 800 --d 2 --seed 1`,
# K=3, medians of REPEAT runs taken in turn. Not run by CI (about a minute per
# repeat). Prints a Markdown table: the solve's own seconds (the JSON `seconds`:
# from the data loaded to the result, the distributed wall time) and the whole
# mpirun's wall time (process start-up and loading included), the speedups, and the
# CPU seconds of all processes (the cost of the distribution, whatever the load).
#
#   bash tests/bench/mpi_scaling.sh                       # build/ekm, build/ekm-mpi
#   EKM=build-mpi/ekm EKM_MPI=build-mpi/ekm-mpi REPEAT=7 RANKS="2 3" \
#     STRATEGY=pruned N=1500 bash tests/bench/mpi_scaling.sh
#   QUIET_LOAD=0.5 bash tests/bench/mpi_scaling.sh   # wait (up to 30 min) for a quiet machine
#   STRATEGY=pruned MATRIX=off N=20000 bash tests/bench/mpi_scaling.sh  # matrix-free: the
#     root's passes shared by candidate blocks
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
EKM_MPI=${EKM_MPI:-$(dirname "$EKM")/ekm-mpi}
N=${N:-800}
K=${K:-3}
STRATEGY=${STRATEGY:-fused}
MATRIX=${MATRIX:-auto} # --matrix of every run (off: pruned only)
REPEAT=${REPEAT:-5}
RANKS=${RANKS:-2}
QUIET_LOAD=${QUIET_LOAD:-}
[ -x "$EKM" ] || { echo "mpi_scaling: no ekm at $EKM (build it first)" >&2; exit 1; }
[ -x "$EKM_MPI" ] || { echo "mpi_scaling: no ekm-mpi at $EKM_MPI (needs MPI at build time)" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "mpi_scaling: mpirun is not installed" >&2; exit 1; }
command -v jq >/dev/null || { echo "mpi_scaling: jq is not installed" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none

waited=0
while [ -n "$QUIET_LOAD" ] && [ "$waited" -lt 1800 ] &&
    awk -v q="$QUIET_LOAD" '{ exit !($1 >= q) }' /proc/loadavg; do
    sleep 10
    waited=$((waited + 10))
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$tmp/uniform$N.csv
"$EKM" gen uniform --n "$N" --d 2 --seed 1 --out "$data" >/dev/null

# one run: "solve-seconds wall-seconds cpu-seconds objective medoids" on stdout (CPU:
# user + system of every process of the run, mpirun's start-up included)
run() {
    local TIMEFORMAT='%R %U %S' wall user sys
    if [ "$1" = solve ]; then
        { time "$EKM" solve "$data" -k "$K" --strategy "$STRATEGY" --matrix "$MATRIX" --threads 1 --json \
            > "$tmp/run.json"; } 2> "$tmp/run.time"
    else
        { time mpirun -q --oversubscribe --bind-to none -np "$1" "$EKM_MPI" solve "$data" \
            -k "$K" --strategy "$STRATEGY" --matrix "$MATRIX" --threads 1 --json > "$tmp/run.json"; } 2> "$tmp/run.time"
    fi
    read -r wall user sys < <(tail -1 "$tmp/run.time")
    jq -r --arg wall "$wall" --arg cpu "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
        '"\(.seconds) \($wall) \($cpu) \(.objective) \(.medoids | tostring)"' "$tmp/run.json"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

configs="solve 1 $RANKS"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
run 1 >/dev/null # warm the page cache and Open MPI's start-up
for rep in $(seq "$REPEAT"); do
    for c in $configs; do
        run "$c" >> "$tmp/$c.txt"
    done
    echo "mpi_scaling: repeat $rep of $REPEAT done" >&2
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

answers=$(for c in $configs; do cut -d' ' -f4,5 "$tmp/$c.txt"; done | sort -u | wc -l)
base_solve=$(cut -d' ' -f1 "$tmp/1.txt" | median)
base_wall=$(cut -d' ' -f2 "$tmp/1.txt" | median)
echo "$STRATEGY (--matrix $MATRIX), N=$N, K=$K, uniform --seed 1, 1 thread per rank, median of $REPEAT" \
     "($(nproc) cores; load average $load0 before, $load1 after)"
echo
echo "| run | solve s (median, min-max) | speedup | wall s incl. start-up | speedup | CPU s |"
echo "|---|---|---|---|---|---|"
for c in $configs; do
    s=$(cut -d' ' -f1 "$tmp/$c.txt" | median)
    w=$(cut -d' ' -f2 "$tmp/$c.txt" | median)
    cpu=$(cut -d' ' -f3 "$tmp/$c.txt" | median)
    range=$(cut -d' ' -f1 "$tmp/$c.txt" | sort -g | sed -n '1p;$p' | xargs printf '%.3f-%.3f' )
    name="mpirun -np $c ekm-mpi"
    [ "$c" = solve ] && name="ekm solve --threads 1"
    printf '| %s | %.3f (%s) | %.2fx | %.3f | %.2fx | %.2f |\n' "$name" "$s" "$range" \
        "$(awk -v a="$base_solve" -v b="$s" 'BEGIN { print a / b }')" "$w" \
        "$(awk -v a="$base_wall" -v b="$w" 'BEGIN { print a / b }')" "$cpu"
done
echo
[ "$answers" = 1 ] && echo "every run gave the same objective and medoids" ||
    { echo "mpi_scaling: the runs disagree on the answer" >&2; exit 1; }
