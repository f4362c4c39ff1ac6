#!/usr/bin/env bash
# pruned_ties.sh — pruned against fused on the inputs with an optimum of 0 or
# masses of equal objectives (all points identical; a few distinct points with
# many copies each), where the tie rule decides the answer. Prints one line per
# input: the seconds of each strategy (wall clock, one run each), the ratio
# pruned / fused, and whether both returned the same medoids. Not run by CI;
# about 10 minutes on 2 cores, nearly all of it fused on 3 points x 200 copies
# (C(600,4) = 5.3e9 sets); SKIP_BIG=1 leaves that one out (then under a minute).
#
#   bash tests/bench/pruned_ties.sh             # uses build/ekm
#   EKM=build-x/ekm THREADS=2 bash tests/bench/pruned_ties.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
THREADS=${THREADS:-2}
[ -x "$EKM" ] || { echo "pruned_ties: no ekm at $EKM (build it first)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make NAME DISTINCT COPIES: the first DISTINCT of four fixed points, cycled
make() {
    awk -v d="$2" -v c="$3" 'BEGIN {
        split("0 3 7 2", x, " "); split("0 1 5 9", y, " ");
        print "x,y"; for (i = 0; i < d * c; i++) print x[i % d + 1] "," y[i % d + 1] }' >"$tmp/$1.csv"
}
make ident300 1 300
make p3x200 3 200
make p4x30 4 30
make p3x40 3 40

run() { # FILE K STRATEGY -> "seconds medoids"
    "$EKM" solve "$tmp/$1.csv" -k "$2" -s "$3" -t "$THREADS" --json 2>/dev/null |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f" % d["seconds"], ",".join(map(str, d["medoids"])))'
}

printf '%-28s %3s %10s %10s %8s  %s\n' input K "fused s" "pruned s" ratio "same medoids"
cases="ident300:3:300_identical_points p3x40:4:3_points_x_40_copies p4x30:5:4_points_x_30_copies"
[ "${SKIP_BIG:-0}" = 1 ] || cases="$cases p3x200:4:3_points_x_200_copies"
for c in $cases; do
    IFS=: read -r file k label <<<"$c"
    read -r fs fm < <(run "$file" "$k" fused)
    read -r ps pm < <(run "$file" "$k" pruned)
    ratio=$(awk -v p="$ps" -v f="$fs" 'BEGIN { printf "%.2f", (f > 0 ? p / f : 0) }')
    same=no
    [ "$fm" = "$pm" ] && same=yes
    printf '%-28s %3s %10s %10s %8s  %s (%s)\n' "${label//_/ }" "$k" "$fs" "$ps" "$ratio" "$same" "$pm"
done
