#!/usr/bin/env bash
# plot_bench.sh — `ekm bench --csv` rows read back by `ekm plot-bench`: both PNGs are
# written; a CSV that is not bench output is refused with one line and exit 2.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$EKM" bench -k 2 --n 20,30 --strategies seq,fused --threads 1,2 --repeat 1 --csv "$tmp/b.csv" --quiet >/dev/null 2>&1 \
  && pass || fail "bench --csv"
env -u DISPLAY "$EKM" plot-bench "$tmp/b.csv" --out "$tmp/c.png" >"$tmp/out" && pass || fail "plot-bench status"
for f in c.png c-scaling.png; do
  [ "$(head -c 4 "$tmp/$f" | od -An -c | tr -d ' ')" = '211PNG' ] && pass || fail "$f is not a PNG"
done
"$EKM" plot-bench "$SRC/data/iris.csv" --out "$tmp/x.png" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "not a CSV written by 'ekm bench --csv'" "$tmp/err" && pass || fail "refuses other CSV: $(cat "$tmp/err")"
finish
