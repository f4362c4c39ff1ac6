#!/usr/bin/env bash
# explain.sh — `ekm explain` prints the plan a run executes: for every exact
# strategy and a few N, K, T, partitions and leaf lengths, the stage totals,
# critical path, bound and makespan of `explain --json` equal those that
# `ekm solve --json` reports after running the same plan; the text view shows
# the numbers worked out by hand for par1 and par2 at N=800, K=3.
set -euo pipefail
EKM=${EKM:?set EKM to the ekm binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "explain: $*" >&2; exit 1; }

# The plan's numbers in a JSON object, one per line, in order: the top-level total,
# critical path, makespan and bound, then each stage's id, kind, lo, hi and total.
plan_numbers() {
    grep -oE '"(total|critical_path|plan_makespan|amdahl_bound|id|kind|lo|hi)":("[a-z]+"|[0-9.e+-]+)' "$1"
}

check() { # N K strategy [extra solve/explain options]
    local n=$1 k=$2 s=$3
    shift 3
    [ -f "$tmp/p$n.csv" ] || "$EKM" gen uniform --n "$n" --d 2 --seed "$n" --out "$tmp/p$n.csv"
    "$EKM" explain --strategy "$s" -k "$k" --n "$n" "$@" --json >"$tmp/e.json" ||
        fail "explain $s N=$n K=$k $* exited $?"
    "$EKM" solve "$tmp/p$n.csv" --strategy "$s" -k "$k" "$@" --json >"$tmp/s.json" ||
        fail "solve $s N=$n K=$k $* exited $?"
    plan_numbers "$tmp/e.json" >"$tmp/e.txt"
    plan_numbers "$tmp/s.json" >"$tmp/s.txt"
    [ -s "$tmp/e.txt" ] || fail "explain printed no plan numbers"
    diff "$tmp/e.txt" "$tmp/s.txt" >/dev/null ||
        fail "$s N=$n K=$k $*: explain and solve differ: $(diff "$tmp/e.txt" "$tmp/s.txt" | head -n 8)"
    # the stage totals add up to C(N,K)
    local sum total
    sum=$(grep -oE '"total":[0-9]+' "$tmp/e.json" | tail -n +2 | cut -d: -f2 |
        awk '{ s += $1 } END { printf "%d", s }')
    total=$(grep -oE '"total":[0-9]+' "$tmp/e.json" | head -n1 | cut -d: -f2)
    [ "$sum" = "$total" ] || fail "$s N=$n K=$k: stages add up to $sum, not $total"
}

for s in seq split par1 par2 fused pruned; do
    check 60 3 "$s" --threads 2
    check 41 2 "$s" --threads 3
done
check 57 3 tree --threads 2 --partitions 5
check 57 3 tree --threads 3 --leaf 7
check 64 4 tree --threads 2
check 33 1 par2 --threads 2

# ---- the text view, against numbers worked out by hand ----
# par1, N=800, K=3: leaves C(400,3) = 10,586,800; merge C(800,3) - 2·C(400,3) = 63,840,000;
# critical path 74,426,800; bound 85,013,600 / 74,426,800 = 1.1422
LANG=C "$EKM" explain --strategy par1 -k 3 --n 800 --threads 2 >"$tmp/t.txt"
grep -q "C(800,3) = 85,013,600 K-subsets" "$tmp/t.txt" || fail "par1 header: $(head -n1 "$tmp/t.txt")"
grep -Eq '^#2 merge \[0,400\)\+\[400,800\) +63,840,000 +75\.1 %  \*' "$tmp/t.txt" || fail "par1 merge line"
[ "$(grep -c '10,586,800' "$tmp/t.txt")" -eq 2 ] || fail "par1 leaves"
grep -q "= 74,426,800 K-subsets (87.5 % of the work)" "$tmp/t.txt" || fail "par1 critical path"
grep -q "bound on 2 threads (min(T, total / critical path)): 1.1422" "$tmp/t.txt" || fail "par1 bound"
grep -q "predicted speedup on 2 threads: 1.1422" "$tmp/t.txt" || fail "par1 predicted speedup"
# par2: the critical path runs leaf -> merge of quarters -> final merge
LANG=C "$EKM" explain --strategy par2 -k 3 --n 800 --threads 2 >"$tmp/t.txt"
grep -q "#0 -> #4 -> #6 = 73,113,400 K-subsets" "$tmp/t.txt" || fail "par2 critical path"
grep -q '^|  |- #0 leaf \[0,200)' "$tmp/t.txt" || fail "par2 tree drawing: $(cat "$tmp/t.txt")"
# fused: one shared stage, nothing waits
LANG=C "$EKM" explain --strategy fused -k 3 --n 800 --threads 2 >"$tmp/t.txt"
grep -q "one shared stage" "$tmp/t.txt" || fail "fused text"
grep -q "predicted speedup on 2 threads: 2.0000" "$tmp/t.txt" || fail "fused speedup"

# ---- usage errors exit 2 ----
for args in "-k 3" "--n 10 -k 11" "--n 10 -k 3 --strategy pam" "--n 10 --partitions 20 --strategy tree" \
    "--n x"; do
    set +e
    # shellcheck disable=SC2086
    "$EKM" explain $args >/dev/null 2>"$tmp/err.txt"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "'explain $args' exited $rc, want 2"
    [ "$(wc -l <"$tmp/err.txt")" -eq 1 ] || fail "'explain $args' printed: $(cat "$tmp/err.txt")"
done
echo "explain: ok"
