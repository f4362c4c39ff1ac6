#!/usr/bin/env bash
# plot_bench_rows.sh — `ekm plot-bench` on 50,000 rows (2,000 N x 4 strategies x 4
# thread counts, 1 or 2 repeats each) draws both pictures. Grouping rows into cells
# sorts them once, so this takes well under a second; the 300 s limit only guards
# against a hang (no timing assertion).
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
{
  echo "strategy,N,K,threads,repeat,seconds,evaluated,pruned,plan_bound,total,plan_makespan,plan_speedup,rate,objective,medoids,dataset,cpu_seconds"
  awk 'BEGIN { split("seq fused pruned tree", S, " "); s = 7
    for (i = 0; i < 50000; i++) {
      st = S[i % 4 + 1]; n = 20 + int(i / 16) % 2000; t = 1 + int(i / 4) % 4
      s = (s * 1103515245 + 12345) % 2147483648
      sec = n * n * 1e-7 * (1 + s / 2147483648 / 10) / t
      printf "%s,%d,2,%d,1,%.6g,190,0,1,190,190,1,1000,5.5,4 7,uniform d=2 seed=0,%.6g\n", st, n, t, sec, sec } }'
} >"$T/rows.csv"
[ "$(wc -l <"$T/rows.csv")" -eq 50001 ] && pass || fail "rows.csv has $(wc -l <"$T/rows.csv") lines"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY timeout 300 "$EKM" plot-bench "$T/rows.csv" --out "$T/c.png" 2>&1)
status=$?
if [ "$status" -eq 0 ] && [ "$out" = "wrote $T/c.png and $T/c-scaling.png" ]; then pass; else
  fail "plot-bench on 50,000 rows: status $status: $out"
fi
for f in c.png c-scaling.png; do
  [ "$(head -c 4 "$T/$f" | od -An -c | tr -d ' ')" = '211PNG' ] && pass || fail "$f is not a PNG"
done
finish
