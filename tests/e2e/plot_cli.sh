#!/usr/bin/env bash
# plot_cli.sh — `ekm plot` writes a PNG of the requested size without a display, and
# refuses bad usage with one line and exit 2.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
env -u DISPLAY -u WAYLAND_DISPLAY "$EKM" plot "$SRC/data/iris.csv" -k 3 --out "$tmp/a.png" --width 800 --height 600 >"$tmp/out" \
  && pass || fail "plot exit status"
[ "$(head -c 8 "$tmp/a.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] && pass || fail "not a PNG"
[ "$(png_size "$tmp/a.png")" = 800x600 ] && pass || fail "size $(png_size "$tmp/a.png")"
grep -q "medoids 7 78 112" "$tmp/out" && pass || fail "medoids: $(cat "$tmp/out")"
"$EKM" plot "$SRC/data/iris.csv" -k 3 2>"$tmp/err"; [ $? -eq 2 ] && grep -q -- "--out" "$tmp/err" && pass || fail "no --out"
"$EKM" plot "$SRC/data/iris.csv" -k 3 --out "$tmp/b.png" --width 10 2>"$tmp/err"; [ $? -eq 2 ] && pass || fail "tiny width"
"$EKM" plot "$SRC/data/iris.csv" -k 3 --out /nonexistent/dir/x.png 2>"$tmp/err"; [ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && pass || fail "unwritable: $(cat "$tmp/err")"
finish
