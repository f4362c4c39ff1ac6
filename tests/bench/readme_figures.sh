#!/usr/bin/env bash
# readme_figures.sh — every benchmark figure quoted in the README's "Benchmarks"
# section (tests/bench/BENCHMARKS.md), on this machine. Not run by CI: it takes
# about 15-25 minutes on 2 cores. Run it on a quiet machine:
#
#   bash tests/bench/readme_figures.sh            # uses build/ekm, writes bench-out/
#   EKM=build-x/ekm OUT=/tmp/figs bash tests/bench/readme_figures.sh
#   PARTS="kernel numpy" bash tests/bench/readme_figures.sh   # a subset
#   QUIET_LOAD=0.5 bash tests/bench/readme_figures.sh  # wait (up to 30 min) before each
#                                                      # part until the load average is below
#
# Outputs in $OUT: machine.txt; study.{md,csv,png} (the study's figures 16-19
# re-run: K=3, N=50..800, every strategy); scaling.{md,csv,png,-scaling.png}
# (threads 1, 2, 4 at N=50, 200, 800); kernel.md (the issue-2/3 throughput and
# plan figures); numpy.txt (a numpy reproduction of EKM at N=400) with n400.{md,csv}
# (ekm on the same points); summary.md (the page BENCHMARKS.md quotes from).
# Every table says the load average it was measured under; wall-clock figures
# from a busy machine are noisy, the CPU-second columns much less so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
OUT=${OUT:-$root/bench-out}
PARTS=${PARTS:-"machine study scaling kernel numpy"}
REPEAT=${REPEAT:-5}
PY=${PY:-/usr/bin/python3}
[ -x "$EKM" ] || { echo "readme_figures: no ekm at $EKM (build it first)" >&2; exit 1; }
mkdir -p "$OUT"
say() { echo "readme_figures: $(date +%T) $*" >&2; }
QUIET_LOAD=${QUIET_LOAD:-}
want() {
    case " $PARTS " in *" $1 "*) ;; *) return 1 ;; esac
    # a shared machine: wait for the other work to end, so wall-clock figures mean something
    local waited=0
    while [ -n "$QUIET_LOAD" ] && [ "$waited" -lt 1800 ] &&
        awk -v q="$QUIET_LOAD" '{ exit !($1 >= q) }' /proc/loadavg; do
        [ $((waited % 60)) -eq 0 ] && say "waiting for load < $QUIET_LOAD (now $(cut -d' ' -f1 /proc/loadavg))"
        sleep 10
        waited=$((waited + 10))
    done
    say "$1: load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

if want machine; then
    {
        echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
        echo "cores: $(nproc)"
        echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
        echo "kernel: $(uname -sr)"
        echo "compiler: $(gcc --version | head -n1)"
        echo "ekm: $("$EKM" --version)"
        echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    } >"$OUT/machine.txt"
    cat "$OUT/machine.txt" >&2
fi

# The study's experiment: runtime against N for every strategy, K=3, on the
# machine's cores (seq and split run on one thread by definition).
if want study; then
    say "study grid (K=3, N=50..800, all strategies, T=2, $REPEAT runs per cell)"
    "$EKM" bench --gen uniform -k 3 --n 50,100,...,800 --strategies all --threads 2 \
        --repeat "$REPEAT" --warmup 1 --predict 1600 --markdown \
        --csv "$OUT/study.csv" --plot "$OUT/study.png" >"$OUT/study.md"
fi

# Thread scaling, with the parallel slowdown of tiny problems and oversubscription.
if want scaling; then
    say "thread scaling (N=50,200,800; T=1,2,4)"
    "$EKM" bench --gen uniform -k 3 --n 50,200,800 --strategies par1,par2,tree,fused,pruned \
        --threads 1,2,4 --repeat "$REPEAT" --warmup 1 --markdown \
        --csv "$OUT/scaling.csv" --plot "$OUT/scaling.png" >"$OUT/scaling.md"
fi

# Issues 2 and 3: seq and fused against a hand-written AVX2 loop; plans against time.
if want kernel; then
    say "kernel figures ($REPEAT runs each)"
    "$EKM" bench --kernel --repeat "$REPEAT" --markdown >"$OUT/kernel.md"
fi

# The numpy reproduction of EKM at N=400, K=3, next to ekm on the same points.
if want numpy; then
    "$EKM" gen uniform --n 400 --d 2 --seed 0 --out "$OUT/u400.csv"
    if "$PY" -c 'import numpy' 2>/dev/null; then
        say "numpy reproduction at N=400 (3 runs)"
        "$PY" "$here/ekm_numpy.py" "$OUT/u400.csv" 3 3 >"$OUT/numpy.txt"
    else
        echo "numpy not available for $PY (Debian: apt-get install python3-numpy)" >"$OUT/numpy.txt"
    fi
    "$EKM" bench --gen uniform --seed 0 -k 3 --n 400 --strategies seq,fused,pruned --threads 2 \
        --repeat "$REPEAT" --quiet --markdown --csv "$OUT/n400.csv" >"$OUT/n400.md"
fi

# One page with the figures the README quotes.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
    echo "# Benchmark figures ($(date -u +%Y-%m-%d))"
    echo
    [ -f "$OUT/machine.txt" ] && sed 's/^/    /' "$OUT/machine.txt"
    if [ -f "$OUT/numpy.txt" ] && [ -f "$OUT/n400.csv" ]; then
        echo
        echo "## N=400, K=3 (gen uniform --n 400 --d 2 --seed 0), medians"
        echo
        np=$(awk '$1 ~ /^[0-9.]+$/ { print $1 }' "$OUT/numpy.txt" | median)
        npc=$(awk '$2 ~ /^[0-9.]+$/ { print $2 }' "$OUT/numpy.txt" | median)
        echo "| program | wall s | CPU s |"
        echo "| --- | ---: | ---: |"
        [ -n "$np" ] && echo "| numpy reproduction (tests/bench/ekm_numpy.py), 3 runs | $np | $npc |"
        for s in seq fused pruned; do
            w=$(awk -F, -v s=$s 'NR > 1 && $1 == s { print $6 }' "$OUT/n400.csv" | median | awk '{ printf "%.4f", $1 }')
            c=$(awk -F, -v s=$s 'NR > 1 && $1 == s { print $17 }' "$OUT/n400.csv" | median | awk '{ printf "%.4f", $1 }')
            t=$(awk -F, -v s=$s 'NR > 1 && $1 == s { print $4; exit }' "$OUT/n400.csv")
            echo "| ekm $s, $t thread(s), $REPEAT runs | $w | $c |"
            [ "$s" = seq ] && { sw=$w; sc=$c; }
        done
        echo
        [ -n "$np" ] && awk -v a="$np" -v b="$sw" -v ac="$npc" -v bc="$sc" 'BEGIN {
            printf "ekm seq against numpy: %.0f× wall (eq. 19: %.2f %% less time), %.0f× CPU\n", a / b, (a - b) / a * 100, ac / bc }'
        awk -v b="$sw" 'BEGIN { printf "ekm seq against the study'"'"'s Python (about 50 s at N=400): %.0f×\n", 50 / b }'
    fi
    for f in kernel study scaling; do
        [ -f "$OUT/$f.md" ] && { echo; cat "$OUT/$f.md"; }
    done
} >"$OUT/summary.md"
say "done: $OUT/summary.md"
