#!/usr/bin/env bash
# matrix_free.sh — the matrix-free `pruned` (--matrix off) on the large sets of
# the README's targets: seconds (wall clock) and peak RSS (GNU time) per run,
# one line each. Not run by CI. NEVER run the matrix path (--matrix on) on these:
# rds alone needs 9.3 GiB.
#
#   bash tests/bench/matrix_free.sh                 # uses build/ekm and ../shared/data
#   EKM=build-x/ekm DATA=/path/to/ren2022 THREADS=2 LIMIT=3600 bash tests/bench/matrix_free.sh
#   PARTS="rds urban" bash tests/bench/matrix_free.sh    # a subset: rds urban gt blobs ties
#
# Each run is capped at LIMIT seconds (default 3600; a capped run prints
# "timeout"). About 20 minutes in all on 2 cores at the time of writing (the
# million blobs 11 of them): the matrix-free path computes each row it needs
# from the coordinates, and the root bound reads every row a few times (N²·D
# operations each), plus the search.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
DATA=${DATA:-$root/../shared/data/ren2022}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-3600}
PARTS=${PARTS:-"ties rds urban gt blobs"}
[ -x "$EKM" ] || { echo "matrix_free: no ekm at $EKM (build it first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "matrix_free: needs GNU time at /usr/bin/time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

printf '%-44s %2s %10s %10s  %-10s %s\n' data K seconds "peak MiB" result "objective / medoids"
run() { # LABEL K FILE ARGS...
    local label=$1 k=$2 file=$3
    shift 3
    /usr/bin/time -f '%e %M' -o "$tmp/time" timeout "$LIMIT" "$EKM" solve "$file" -k "$k" \
        -s pruned --matrix off -t "$THREADS" --json "$@" >"$tmp/out.json" 2>"$tmp/err"
    local rc=$? secs kb res obj
    read -r secs kb < <(tail -n 1 "$tmp/time")
    if [ "$rc" = 124 ]; then
        res=timeout obj=-
    elif [ "$rc" != 0 ]; then
        res="error $rc" obj=$(head -c 80 "$tmp/err")
    else
        res=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("proven" if d["exact"] else "not-exact")' "$tmp/out.json")
        obj=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["objective"], d["medoids"])' "$tmp/out.json")
    fi
    printf '%-44s %2s %10s %10s  %-10s %s\n' "$label" "$k" "$secs" "$((kb / 1024))" "$res" "$obj"
}

if want ties; then
    awk 'BEGIN { print "x,y"; for (i = 0; i < 300; i++) print "1.5,2.5" }' >"$tmp/ident.csv"
    run "300 identical points" 3 "$tmp/ident.csv"
fi
if want rds; then
    [ -f "$DATA/rds.csv" ] && run "rds (N=50,000, D=3)" 3 "$DATA/rds.csv" --label-column last
fi
if want urban; then
    for k in 3 4 5; do
        [ -f "$DATA/urbanGB_L_10.csv" ] &&
            run "urbanGB_L_10 (N=100,000, D=2)" "$k" "$DATA/urbanGB_L_10.csv" --label-column last
    done
fi
if want gt; then
    [ -f "$DATA/GT_FL.csv" ] && run "GT_FL (N=36,733, D=11)" 3 "$DATA/GT_FL.csv" --label-column last
fi
if want blobs; then
    for n in 100000 200000 1000000; do
        "$EKM" gen blobs --n "$n" --d 2 --clusters 3 --seed 1 --out "$tmp/blobs.csv" >/dev/null
        run "gen blobs --n $n --d 2 --clusters 3" 3 "$tmp/blobs.csv" --label-column last
    done
    "$EKM" gen uniform --n 100000 --d 2 --seed 1 --out "$tmp/uniform.csv" >/dev/null
    run "gen uniform --n 100000 --d 2" 3 "$tmp/uniform.csv"
fi
