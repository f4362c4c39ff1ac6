#!/usr/bin/env bash
# plot_pca.sh — the projection of `ekm plot` on wide data is bounded and can be
# interrupted:
# - 20 points of 6,000 coordinates (the Gram matrix is 20 x 20) draw a PNG (a
#   generous hang guard, no timing assertion);
# - on data whose projection takes a long time (1,000 points, 500 axes with
#   nearly equal variances: the subspace iteration converges slowly), Ctrl-C
#   (SIGINT) once the command runs its projection stops it with one line and exit
#   1 (cancelled), and no picture is written. The signal is sent once the process has
#   installed its handler (SigCgt in /proc) and spent CPU time after it, never
#   after a fixed sleep.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SDL_VIDEODRIVER=dummy
unset DISPLAY WAYLAND_DISPLAY

awk 'BEGIN { n = 20; d = 6000; s = 12345
  for (j = 0; j < d; j++) printf "%sc%d", j ? "," : "", j; print ""
  for (i = 0; i < n; i++) {
    for (j = 0; j < d; j++) { s = (s * 1103515245 + 12345) % 2147483648
      printf "%s%.4f", j ? "," : "", (i % 3) + s / 2147483648 }
    print "" } }' >"$T/wide.csv"
out=$(timeout 300 "$EKM" plot "$T/wide.csv" -k 3 --out "$T/wide.png" 2>&1)
status=$?
if [ "$status" -eq 0 ] && [ -s "$T/wide.png" ] && grep -q "^wrote .*wide.png" <<<"$out"; then
  pass
else
  fail "wide data: status $status: $out"
fi

awk 'BEGIN { d = 500; n = 2 * d
  for (j = 0; j < d; j++) printf "%sc%d", j ? "," : "", j; print ""
  for (i = 0; i < n; i++) { j = int(i / 2); v = (i % 2 ? -1 : 1) * sqrt(1 - j * 1e-4)
    for (c = 0; c < d; c++) printf "%s%s", c ? "," : "", c == j ? sprintf("%.12f", v) : "0"
    print "" } }' >"$T/slow.csv"
"$EKM" plot "$T/slow.csv" -k 1 --out "$T/slow.png" >"$T/out" 2>"$T/err" &
pid=$!
# the SIGINT handler is installed after loading (bit 2 of SigCgt), before the solve
caught() {
  local hex
  hex=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
  [ -n "$hex" ] && (((16#$hex & 2) != 0))
}
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null; }
for _ in $(seq 600); do caught && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
start=$(cpu)
# 50 ticks (0.5 s) of CPU after that: the solve (K=1) is long over, the projection runs
for _ in $(seq 1200); do
  now=$(cpu); [ -n "$now" ] && [ -n "$start" ] && [ $((now - start)) -ge 50 ] && break
  kill -0 "$pid" 2>/dev/null || break; sleep 0.05
done
kill -INT "$pid" 2>/dev/null
# it must end promptly: far sooner than the projection would (tens of seconds)
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
  fail "Ctrl-C: still running 10 s after the signal"
  kill -KILL "$pid"
fi
wait "$pid"
status=$?
err=$(cat "$T/err")
if [ "$status" -eq 1 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] &&
  grep -q "^ekm: plot: interrupted (Ctrl-C); no picture written$" <<<"$err" &&
  [ ! -e "$T/slow.png" ] && [ ! -s "$T/out" ]; then
  pass
else
  fail "Ctrl-C: status $status, stderr '$err', stdout '$(cat "$T/out")'"
fi
finish
