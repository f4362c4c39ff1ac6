#!/usr/bin/env bash
# matrix_mode.sh — `--matrix auto|on|off`: pruned gives the same answer with and
# without the stored matrix (points with duplicates and ties, K=2..4, 1 and 2
# threads); other strategies refuse --matrix off with one line naming the
# option; a bad value is refused; `ekm info` names both forms.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# 90 points: a 5 x 6 grid three times over (duplicates, ties)
awk 'BEGIN { print "x,y"; for (r = 0; r < 3; r++) for (i = 0; i < 5; i++) for (j = 0; j < 6; j++) print i "," j * 2 }' >"$tmp/g.csv"
"$EKM" gen blobs --n 200 --d 3 --clusters 4 --seed 3 --out "$tmp/b.csv" >/dev/null || fail "gen"
med() { "$EKM" solve "$@" --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["medoids"], repr(d["objective"]), d["exact"])'; }
for f in g b; do
  for k in 2 3 4; do
    for t in 1 2; do
      on=$(med "$tmp/$f.csv" -k $k -s pruned -t $t --matrix on)
      off=$(med "$tmp/$f.csv" -k $k -s pruned -t $t --matrix off)
      seq=$(med "$tmp/$f.csv" -k $k -s seq)
      if [ -n "$on" ] && [ "$on" = "$off" ] && [ "$on" = "$seq" ] && [[ $off == *True ]]; then
        pass
      else
        fail "$f K=$k T=$t: on [$on] off [$off] seq [$seq]"
      fi
    done
  done
done
err=$("$EKM" solve "$tmp/g.csv" -k 2 -s fused --matrix off 2>&1 >/dev/null); st=$?
[ "$st" -ne 0 ] && [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] && grep -q -- "--matrix on" <<<"$err" && pass ||
  fail "fused --matrix off: status $st: $err"
err=$("$EKM" solve "$tmp/g.csv" -k 2 -s pruned --matrix sometimes 2>&1 >/dev/null); st=$?
[ "$st" -ne 0 ] && grep -q "auto, on, off" <<<"$err" && pass || fail "bad --matrix value: status $st: $err"
"$EKM" info "$tmp/g.csv" | grep -q -- "--matrix off" && pass || fail "ekm info does not name --matrix off"
finish
