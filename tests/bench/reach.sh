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
# ESTIMATE=1 runs only START and 2·START for each cell (each capped at LIMIT)
# and extrapolates the reach within TARGET seconds (default LIMIT) from them:
# t = c·N^p through the two runs, p at least 2 since a root pass reads N²
# pairs; printed as an estimate. Minutes per cell instead of hours.
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
ESTIMATE=${ESTIMATE:-0}
TARGET=${TARGET:-$LIMIT}
[ "$ESTIMATE" = 1 ] && MAXN=$((2 * START))
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
            n=$START reach=none fit=""
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
                fit="$fit $n $secs"
                n=$((n * 2))
            done
            if [ "$ESTIMATE" = 1 ] && [ "$(echo $fit | wc -w)" = 4 ]; then
                python3 - "$TARGET" $fit <<'PY'
import math, sys
limit, n1, t1, n2, t2 = map(float, sys.argv[1:])
# a root pass alone reads N^2 pairs: never extrapolate slower growth than that
p = max(2.0, math.log(t2 / t1) / math.log(n2 / n1))
print("estimated reach: about %d points within %d s (t = c*N^%.2f through N=%d and %d)"
      % (round(n2 * (limit / t2) ** (1 / p), -3), limit, p, n1, n2))
PY
            fi
            printf '%-8s %2s %2s reach: %s points within %s s\n' "$kind" "$d" "$k" "$reach" "$LIMIT"
        done
    done
done
