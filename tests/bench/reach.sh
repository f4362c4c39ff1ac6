#!/usr/bin/env bash
# reach.sh — how far N goes within a time limit for the matrix-free `pruned`
# (--matrix off): for each data kind (uniform, blobs), dimension and K, N
# doubles from START until a run does not prove the optimum within LIMIT
# seconds (wall clock); the last N proven is the reach. One line per run.
# Not run by CI; hours on 2 cores with the defaults.
#
#   bash tests/bench/reach.sh                       # uses build/ekm
#   LIMIT=600 START=25000 KS="3 4 5" DS="2 8" KINDS="uniform blobs" THREADS=2 bash tests/bench/reach.sh
#
# Every run is `ekm gen KIND --n N --d D --seed 1` then `ekm solve FILE -k K
# --strategy pruned --matrix off --threads THREADS --json` under `timeout
# LIMIT`, timed by GNU time (seconds and peak RSS).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-600}
START=${START:-25000}
MAXN=${MAXN:-4096000}
KS=${KS:-"3 4 5"}
DS=${DS:-"2 8"}
KINDS=${KINDS:-"uniform blobs"}
[ -x "$EKM" ] || { echo "reach: no ekm at $EKM (build it first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "reach: needs GNU time at /usr/bin/time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-8s %2s %2s %9s %9s %9s  %s\n' kind D K N seconds "peak MiB" result
for kind in $KINDS; do
    for d in $DS; do
        for k in $KS; do
            n=$START reach=none
            while [ "$n" -le "$MAXN" ]; do
                extra=()
                [ "$kind" = blobs ] && extra=(--clusters 3)
                "$EKM" gen "$kind" --n "$n" --d "$d" --seed 1 "${extra[@]}" --out "$tmp/data.csv" \
                    >/dev/null || exit 1
                label=()
                [ "$kind" = blobs ] && label=(--label-column last)
                /usr/bin/time -f '%e %M' -o "$tmp/time" timeout "$LIMIT" "$EKM" solve \
                    "$tmp/data.csv" -k "$k" -s pruned --matrix off -t "$THREADS" --json \
                    "${label[@]}" >"$tmp/out.json" 2>"$tmp/err"
                rc=$?
                read -r secs kb < <(tail -n 1 "$tmp/time")
                if [ "$rc" = 124 ]; then
                    res=timeout
                elif [ "$rc" != 0 ]; then
                    res="error $rc: $(head -c 80 "$tmp/err")"
                else
                    res=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("proven" if d["exact"] else "not-exact")' "$tmp/out.json")
                fi
                printf '%-8s %2s %2s %9s %9s %9s  %s\n' "$kind" "$d" "$k" "$n" "$secs" \
                    "$((kb / 1024))" "$res"
                [ "$res" = proven ] || break
                reach=$n
                n=$((n * 2))
            done
            printf '%-8s %2s %2s reach: %s points within %s s\n' "$kind" "$d" "$k" "$reach" "$LIMIT"
        done
    done
done
