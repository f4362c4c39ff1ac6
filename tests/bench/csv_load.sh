#!/usr/bin/env bash
# csv_load.sh — how fast the CSV loader is, in CPU seconds of `ekm info FILE` (load,
# column statistics, memory estimate) less those of a 3-row file (start-up). Not run
# by ctest: timings belong to a quiet machine, not to a test. Claims checked (exit 1
# when one fails; both hold by a wide margin in a release build):
#   - 100,000 rows x 2 columns (urbanGB_L_10 from ../shared/data/ren2022 when present,
#     else `ekm gen uniform --n 100000 --d 2`) load in under 0.5 s;
#   - one row of 200,000 fields loads in under 3 s, and twice the fields take about
#     twice the time (linear in the line length; flagged when the ratio exceeds 3).
#
#   bash tests/bench/csv_load.sh                  # uses build/ekm
#   EKM=build-x/ekm REPEAT=9 bash tests/bench/csv_load.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
SHARED=${EKM_SHARED_DATA:-$root/../shared/data}
REPEAT=${REPEAT:-5}
[ -x "$EKM" ] || { echo "csv_load: no ekm at $EKM (build it first)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "csv_load: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

cpu() { # median CPU seconds (user + sys) of `ekm info FILE [options]` over REPEAT runs
  local i
  for ((i = 0; i < REPEAT; i++)); do
    /usr/bin/time -f '%U %S' -o "$tmp/t" "$EKM" info "$@" >/dev/null
    awk '{ print $1 + $2 }' "$tmp/t"
  done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

printf 'x,y\n1,2\n3,4\n' >"$tmp/tiny.csv"
base=$(cpu "$tmp/tiny.csv")
if [ -r "$SHARED/ren2022/urbanGB_L_10.csv" ]; then
  rows=$SHARED/ren2022/urbanGB_L_10.csv; opts=(--label-column last)
else
  "$EKM" gen uniform --n 100000 --d 2 --seed 1 --out "$tmp/rows.csv"; rows=$tmp/rows.csv; opts=()
fi
wide() { # FIELDS: two rows of FIELDS integers
  awk -v d="$1" 'BEGIN { for (r = 0; r < 2; r++) { for (j = 0; j < d; j++) printf "%s%d", (j ? "," : ""), 2 * j + r; printf "\n" } }' >"$tmp/w$1.csv"
}
wide 200000
wide 400000
t_rows=$(cpu "$rows" "${opts[@]}")
t_w1=$(cpu "$tmp/w200000.csv")
t_w2=$(cpu "$tmp/w400000.csv")
echo "CPU seconds, median of $REPEAT, start-up ($base s) subtracted; load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
report() { # what seconds limit
  local s
  s=$(awk -v t="$2" -v b="$base" 'BEGIN { d = t - b; if (d < 0) d = 0; printf "%.3f", d }')
  if awk -v s="$s" -v l="$3" 'BEGIN { exit !(s < l) }'; then
    printf '  %-44s %8s s  (limit %s s)\n' "$1" "$s" "$3"
  else
    printf '  %-44s %8s s  OVER the limit of %s s\n' "$1" "$s" "$3"; status=1
  fi
}
report "$(basename "$rows"): 100,000 rows" "$t_rows" 0.5
report "one row of 200,000 fields" "$t_w1" 3
report "one row of 400,000 fields" "$t_w2" 6
ratio=$(awk -v a="$t_w1" -v b="$t_w2" -v c="$base" 'BEGIN { x = a - c; y = b - c; r = (x > 0.005) ? y / x : 0; printf "%.2f", r }')
if awk -v r="$ratio" 'BEGIN { exit !(r <= 3) }'; then
  echo "  400,000 / 200,000 fields: ${ratio}x (linear: about 2)"
else
  echo "  400,000 / 200,000 fields: ${ratio}x: NOT linear in the line length"; status=1
fi
exit "$status"
