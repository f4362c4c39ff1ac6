#!/usr/bin/env bash
# bench_tiny.sh — `ekm bench` on a tiny grid, end to end: the CSV (exact header,
# 19 fields on every row, one row per timed run, evaluated = C(N,K)), the report's
# sections (plain and --markdown), --plot writing two PNG files, usage errors
# (exit 2), and Ctrl-C keeping the finished rows (exit 1).
set -euo pipefail
EKM=${EKM:?set EKM to the ekm binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "bench_tiny: $*" >&2; exit 1; }

# ---- the grid: N=20,30; K=2; seq, par1, fused; threads 1,2; repeat 2 ----
"$EKM" bench --gen uniform -k 2 --n 20,30 --strategies seq,par1,fused --threads 1,2 \
    --repeat 2 --csv "$tmp/b.csv" --predict 100 >"$tmp/out.txt" 2>"$tmp/err.txt" ||
    fail "bench exited $? ($(cat "$tmp/err.txt"))"

header='strategy,N,K,threads,repeat,seconds,evaluated,pruned,plan_bound,total,plan_makespan,plan_speedup,rate,objective,medoids,dataset,cpu_seconds,load,timing'
[ "$(head -n1 "$tmp/b.csv")" = "$header" ] || fail "CSV header: $(head -n1 "$tmp/b.csv")"
# per N: seq (T=1 only), par1 and fused on T=1 and T=2 = 5 cells, 2 timed runs each
rows=$(($(wc -l <"$tmp/b.csv") - 1))
[ "$rows" -eq 20 ] || fail "expected 20 rows, got $rows"
awk -F, -v want=19 'NR > 1 {
        if (NF != want) { printf "row %d has %d fields\n", NR, NF; bad = 1 }
        c = ($2 == 20) ? 190 : ($2 == 30) ? 435 : -1          # C(N,2)
        if ($3 != 2 || $7 != c || $8 != 0 || $10 != c) { printf "row %d counts: %s\n", NR, $0; bad = 1 }
        if ($6 <= 0 || $9 < 1 || $12 < 1) { printf "row %d values: %s\n", NR, $0; bad = 1 }
        if ($1 == "seq" && $4 != 1) { printf "seq on %d threads\n", $4; bad = 1 }
        n[$1 " " $2 " " $4]++
        obj[$2] = obj[$2] == "" ? $14 : obj[$2]
        if ($14 != obj[$2]) { printf "objective differs: %s\n", $0; bad = 1 }
    }
    END {
        if (length(n) != 10) { printf "%d cells, want 10\n", length(n); bad = 1 }
        for (c in n) if (n[c] != 2) { printf "cell %s has %d runs\n", c, n[c]; bad = 1 }
        exit bad
    }' "$tmp/b.csv" || fail "CSV rows are wrong"

for section in "Median time" "Every cell" "Fits of median time" "Speedup against seq T=1" \
    "Thread scaling" "Fitted parallel fraction"; do
    grep -q "$section" "$tmp/out.txt" || fail "report lacks '$section'"
done
grep -Eq '^ *20 ' "$tmp/out.txt" || fail "no row for N=20 in the runtime table"

# ---- markdown, and the plots ----
"$EKM" bench --gen blobs -k 2 --n 24,32 --strategies par1,fused --threads 1,2 --repeat 1 \
    --warmup 0 --markdown --quiet --plot "$tmp/curves.png" >"$tmp/md.txt" 2>"$tmp/err.txt" ||
    fail "bench --markdown --plot exited $? ($(cat "$tmp/err.txt"))"
grep -q '^| *N | par1 T=1 | par1 T=2 | fused T=1 | fused T=2 |$' "$tmp/md.txt" ||
    fail "no Markdown runtime table: $(head -n 8 "$tmp/md.txt")"
grep -q '^| -' "$tmp/md.txt" || fail "no Markdown separator row"
for png in "$tmp/curves.png" "$tmp/curves-scaling.png"; do
    [ -s "$png" ] || fail "$png not written"
    [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$png is not a PNG"
done

# ---- usage errors exit 2 with one line ----
for args in "--strategies pam" "--n 0" "--threads 1,x" "--repeat 0" "--bogus" "--n 5 -k 9" \
    "--kernel --csv x.csv"; do
    set +e
    # shellcheck disable=SC2086
    "$EKM" bench $args --quiet >/dev/null 2>"$tmp/err.txt"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "'bench $args' exited $rc, want 2"
    [ "$(wc -l <"$tmp/err.txt")" -eq 1 ] || fail "'bench $args' printed: $(cat "$tmp/err.txt")"
done
grep -q "did you mean" <("$EKM" bench --strategis seq 2>&1) || fail "no suggestion for --strategis"

# ---- FILE: --n takes the first N rows ----
"$EKM" gen uniform --n 40 --d 3 --seed 7 --out "$tmp/pts.csv"
"$EKM" bench "$tmp/pts.csv" -k 2 --n 10,40 --strategies seq --repeat 1 --warmup 0 --quiet \
    --csv "$tmp/f.csv" >/dev/null
[ "$(cut -d, -f2,7 "$tmp/f.csv" | tail -n +2 | tr '\n' ' ')" = "10,45 40,780 " ] ||
    fail "file rows: $(cat "$tmp/f.csv")"
set +e
"$EKM" bench "$tmp/pts.csv" -k 2 --n 41 --quiet >/dev/null 2>"$tmp/err.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "has 40 rows" "$tmp/err.txt" || fail "N beyond the file: rc $rc $(cat "$tmp/err.txt")"

# ---- Ctrl-C keeps the finished rows ----
"$EKM" bench --gen uniform -k 3 --n 150,160,170,180 --strategies seq,fused --threads 1 \
    --repeat 50 --warmup 0 --quiet --csv "$tmp/int.csv" >"$tmp/int.txt" 2>"$tmp/int.err" &
pid=$!
for _ in $(seq 1 1200); do # up to 60 s (the sanitizer builds on a busy machine)
    [ -f "$tmp/int.csv" ] && [ "$(wc -l <"$tmp/int.csv")" -ge 4 ] && break
    sleep 0.05
done
[ -f "$tmp/int.csv" ] && [ "$(wc -l <"$tmp/int.csv")" -ge 4 ] || { kill "$pid"; fail "no 3 rows in 60 s"; }
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "interrupted bench exited $rc, want 1"
grep -q "interrupted" "$tmp/int.err" || fail "no 'interrupted' message: $(cat "$tmp/int.err")"
kept=$(($(wc -l <"$tmp/int.csv") - 1))
[ "$kept" -ge 3 ] && [ "$kept" -lt 400 ] || fail "kept $kept rows"
awk -F, 'NR > 1 && NF != 19 { exit 1 }' "$tmp/int.csv" || fail "a torn CSV row after Ctrl-C"
grep -q "interrupted" "$tmp/int.txt" || fail "the report does not say it was interrupted"
grep -q "Median time" "$tmp/int.txt" || fail "no report of the rows kept"

# --weak: N grows with T so that C(N,K)·N per thread stays; the N are printed
# (K=2, N_1=60: W(76) and W(95) are nearest 2·W(60) and 4·W(60))
"$EKM" bench --gen uniform -k 2 --n 60 --weak --threads 2,4 --strategies seq,fused --repeat 1 \
    --warmup 0 --quiet --csv "$tmp/weak.csv" >"$tmp/weak.txt" || fail "bench --weak exited $?"
grep -q "T=1 N=60, T=2 N=76, T=4 N=95" "$tmp/weak.txt" || fail "weak sizes: $(grep 'T=1' "$tmp/weak.txt")"
grep -q "Gustafson fit" "$tmp/weak.txt" || fail "no Gustafson fit"
[ "$(awk -F, 'NR > 1 && $1 == "fused" { print $2 "/" $4 }' "$tmp/weak.csv" | tr '\n' ' ')" = \
    "60/1 76/2 95/4 " ] || fail "weak rows: $(cut -d, -f1-4 "$tmp/weak.csv")"
"$EKM" bench --gen uniform -k 2 --n 60,70 --weak --quiet >/dev/null 2>"$tmp/err" &&
    fail "--weak with two N was accepted"
grep -q "one N" "$tmp/err" || fail "--weak with two N: $(cat "$tmp/err")"
echo "bench_tiny: ok"
