#!/usr/bin/env bash
# timeline_cli.sh — `ekm timeline`: a par1 run's timeline and its simulation on 8
# threads as PNG files (valid PNGs of the size asked), the stages printed with their
# threads and times (M2 after both leaves), the predicted speedups; bad arguments
# give a one-line error and exit 2, and write nothing.
set -u
ekm="${EKM:?EKM must name the ekm binary}"
src="${EKM_SOURCE_DIR:?EKM_SOURCE_DIR must name the source folder}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# png_size FILE: "W H" from the PNG header (the IHDR chunk)
png_size() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || return 1
    local w h
    w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    echo "$w $h"
}

out=$("$ekm" timeline "$src/data/iris.csv" -k 3 --threads 2 --out "$tmp/timeline.png" \
      --width 900 --height 500 --speedup "$tmp/speedup.png") || fail "timeline failed: $out"
[ "$(png_size "$tmp/timeline.png")" = "900 500" ] || fail "timeline.png is not a 900x500 PNG"
[ "$(png_size "$tmp/speedup.png")" = "900 500" ] || fail "speedup.png is not a 900x500 PNG"
grep -q '^wrote .*timeline.png (900x500): par1 on 2 threads' <<<"$out" || fail "no wrote line: $out"
# the stages with their times: M2 starts once both leaves have ended
read -r l0 l1 m2 < <(awk '$1=="L0"{a=$6} $1=="L1"{b=$6} $1=="M2"{c=$3} END{print a, b, c}' <<<"$out")
[ -n "$m2" ] || fail "the stages are not listed: $out"
awk -v a="$l0" -v b="$l1" -v c="$m2" 'BEGIN{exit !(c >= a && c >= b)}' ||
    fail "M2 starts before its children end: $out"
grep -Eq '^predicted speedup, simulated from the measured stage times: T=1 1\.00x, T=2 ' <<<"$out" ||
    fail "no predicted speedups: $out"

out=$("$ekm" timeline "$src/data/iris.csv" -k 3 --strategy par2 --threads 2 --simulate 8 \
      --out "$tmp/sim.png") || fail "timeline --simulate failed: $out"
grep -q 'par2 on 8 threads (simulated)' <<<"$out" || fail "not said to be simulated: $out"
[ "$(png_size "$tmp/sim.png")" = "1280 800" ] || fail "sim.png is not a 1280x800 PNG"
[ "$(grep -c '^  [LM][0-9]' <<<"$out")" = 7 ] || fail "not the 7 stages of par2: $out"

# bad arguments: one line, status 2, nothing written
for args in "--simulate 0" "--simulate 65" "--simulate x" "--simulate" "--strategy pam"; do
    # shellcheck disable=SC2086
    err=$("$ekm" timeline "$src/data/iris.csv" -k 3 $args --out "$tmp/bad.png" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" = 2 ] || fail "timeline $args: exit status $rc, not 2"
    [ "$(wc -l <<<"$err")" = 1 ] || fail "timeline $args: not one line: $err"
    grep -q '^ekm: timeline: ' <<<"$err" || fail "timeline $args: $err"
    [ -e "$tmp/bad.png" ] && fail "timeline $args wrote a file"
done
err=$("$ekm" timeline "$src/data/iris.csv" -k 3 2>&1 >/dev/null)
[ $? = 2 ] && grep -q -- '--out' <<<"$err" || fail "no --out: $err"
echo "ok: timeline PNGs, stages and predicted speedups; bad arguments refused"
