#!/usr/bin/env bash
# plot_live.sh — the plot window follows a running job's best medoids, from the REPL's
# prompt and from the dashboard, on a virtual X display with the programs in tmux.
#
# The data: three clusters of 400 points, listed from the outside in (each point
# closer to its cluster's centre than the ones before it), so that the generator
# keeps finding better medoids for most of a seq run instead of only at its start.
# What the window draws comes from its trace (EKM_PLOT_TRACE: one line per picture
# with the medoids, the objective and the status line).
#
#  A. REPL: `run` (seq, K=3, N=1200: a minute or more), then `plot` opens the window
#     mid-run (this used to fail for want of a finished result); the window draws at
#     least three different medoid sets while the job runs, each no worse than the one
#     before. Closing the window as a window manager does (WM_DELETE_WINDOW) leaves
#     the prompt and the job running; `plot` opens it again and it follows again,
#     also while `wait` blocks the prompt; Ctrl-C cancels, and the window says so.
#     xkill (the X connection killed) leaves the REPL and a new job running too.
#  B. TUI: the same with r and g; then, the window still open, a short job on
#     N=300 runs to its end and the window shows its result: the proven optimum,
#     with the medoids `ekm solve` finds.
#
# Needs Xvfb, tmux and python3 (which sends the close request through libX11's C
# API); exit 77 (skipped) without them.
set -u

: "${EKM:?EKM must name the ekm binary}"
for tool in Xvfb tmux python3 xwininfo; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool is not installed"; exit 77; }
done
python3 -c 'import ctypes, ctypes.util; assert ctypes.util.find_library("X11")' 2>/dev/null ||
    { echo "skipped: python3 cannot load libX11"; exit 77; }

tmp=$(mktemp -d)
sock="ekm-plot-live-$$"
xvfb_pid=
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1 # the programs first: they hold X connections
    sleep 0.3
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp" 2>/dev/null || { sleep 0.5; rm -rf "$tmp"; }
}
trap cleanup EXIT

last=""
fail() {
    echo "FAIL: $*"
    [ -n "$last" ] && { echo "--- last capture:"; printf '%s\n' "$last" | grep -v '^$' | tail -25; }
    for f in "$tmp"/*.trace; do
        [ -f "$f" ] && { echo "--- $(basename "$f") (last lines):"; tail -5 "$f"; }
    done
    exit 1
}

grab() { last=$(T capture-pane -p -J -t "$1" 2>/dev/null); }

# wait_for SESSION EXTENDED-REGEX SECONDS
wait_for() {
    local deadline=$((SECONDS + $3))
    while :; do
        grab "$1"
        grep -qE -- "$2" <<<"$last" && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}

# ---- a virtual display ----
exec 3>"$tmp/display"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for ((i = 0; i < 100; i++)); do
    [ -s "$tmp/display" ] && break
    sleep 0.1
done
[ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
export DISPLAY=":$(head -n 1 "$tmp/display")"
# No D-Bus session on Xvfb: an address that does not exist keeps SDL from
# autolaunching one (see plot_window.sh).
export DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/ekm-no-session-bus"

# The id of the window called "ekm", or nothing.
# the window called "ekm", or "ekm - VIEW: DATA" (its title names the view it shows)
window_id() {
    xwininfo -root -tree 2>/dev/null |
        sed -n 's/^ *\(0x[0-9a-fA-F]*\) "ekm\( - [^"]*\)\{0,1\}".*/\1/p' | head -n 1
}

# Close the window the way a window manager does: a WM_DELETE_WINDOW message.
wm_close_py=$(cd "$(dirname "$0")" && pwd)/wm_close.py
close_window() { python3 "$wm_close_py" "$1"; }

# wait_window_gone SECONDS
wait_window_gone() {
    local deadline=$((SECONDS + $1))
    while [ -n "$(window_id)" ]; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}

# The medoid sets a trace shows while the job runs, one "m1 m2 m3<TAB>objective"
# line per distinct consecutive set, counting from the last "frame 1" (the newest
# window) when $2 is "newest".
running_sets() {
    local from=1
    [ "${2:-}" = newest ] && from=$(grep -n '^frame 1 ' "$1" | tail -n 1 | cut -d: -f1)
    tail -n +"${from:-1}" "$1" | grep ' status running: ' |
        sed -E 's/.* medoids ([0-9 ]+) objective ([^ ]+) status.*/\1\t\2/' | uniq
}

# wait_reopened TRACE WINDOWS SECONDS: the trace shows more than WINDOWS windows
wait_reopened() {
    local deadline=$((SECONDS + $3))
    while [ "$(grep -c '^frame 1 ' "$1")" -le "$2" ]; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}

# wait_sets TRACE COUNT SECONDS [newest]: at least COUNT different sets drawn
wait_sets() {
    local deadline=$((SECONDS + $3))
    while [ "$(running_sets "$1" "${4:-}" | wc -l)" -lt "$2" ]; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

# The best so far never gets worse: each set drawn is no worse than the one before.
check_improving() {
    running_sets "$1" | awk -F'\t' '
        NR > 1 && $2 > prev * (1 + 1e-9) { print "objective went up from " prev " to " $2; bad = 1 }
        { prev = $2 }
        END { exit bad }' || fail "$2: the medoids drawn got worse"
}

# ---- the data ----
make_data() { # make_data POINTS_PER_CLUSTER
    awk -v m="$1" 'BEGIN {
        cx[0] = 0; cy[0] = 0; cx[1] = 12; cy[1] = 0; cx[2] = 6; cy[2] = 10
        print "x,y"
        for (i = 0; i < m; i++)
            for (c = 0; c < 3; c++) {
                r = 4 * (m - i) / m; a = i * 2.39996 + c
                printf "%.6f,%.6f\n", cx[c] + r * cos(a), cy[c] + r * sin(a)
            }
    }'
}
make_data 400 >"$tmp/big.csv"
make_data 100 >"$tmp/mid.csv"

# =============================== A. the REPL ===============================
cat >"$tmp/repl.sh" <<EOF
trap '' INT
cd '$tmp'
EKM_PLOT_TRACE='$tmp/repl.trace' XDG_STATE_HOME='$tmp/state' '$EKM'
echo "exit=\$?"
EOF
T new-session -d -s repl -x 120 -y 40 "sh '$tmp/repl.sh'; sleep 600" || fail "tmux new-session failed"
type_line() { T send-keys -t "$1" -l -- "$2" && T send-keys -t "$1" Enter; }
wait_for repl '^ekm k=3> $' 20 || fail "repl: no prompt"
type_line repl "load big.csv"
wait_for repl '^loaded big: N=1200 D=2' 20 || fail "repl: load failed"
type_line repl "set strategy seq"
type_line repl "set threads 1"
wait_for repl '^threads=1$' 10 || fail "repl: set threads"
type_line repl "run"
wait_for repl '^started seq on big: N=1200 K=3, 1 thread' 10 || fail "repl: run did not start"
type_line repl "plot"
wait_for repl 'the plot window follows the job.s best medoids until it ends' 20 ||
    fail "repl: plot while the job runs did not open the window"
wait_sets "$tmp/repl.trace" 3 90 || fail "repl: the window did not draw 3 medoid sets while the job ran"
grab repl
grep -qE '^\[seq [^]]*%' <<<"$last" || fail "repl: the job is not running any more"
check_improving "$tmp/repl.trace" repl
echo "repl: $(running_sets "$tmp/repl.trace" | wc -l) medoid sets drawn while the job ran:"
running_sets "$tmp/repl.trace" | head -n 3
grep -q ' view clusters k 3 medoids .* status running: the best medoids so far, after ' \
    "$tmp/repl.trace" || fail "repl: no running status in the window"

# Closed by the window manager: the prompt and the job go on.
id=$(window_id)
[ -n "$id" ] || fail "repl: no window called ekm on $DISPLAY"
close_window "$id" || fail "repl: cannot send WM_DELETE_WINDOW"
wait_window_gone 10 || fail "repl: the window did not close"
frames=$(wc -l <"$tmp/repl.trace")
# `status` gives the exact count of K-subsets done (287,280,400 in all): it grows.
type_line repl "status"
wait_for repl '^running: ' 10 || fail "repl: the job is not running after the window closed"
done_count() { grep -Eo '[0-9]+/287280400' <<<"$last" | tail -n 1 | cut -d/ -f1; }
c1=$(done_count)
c2=$c1
deadline=$((SECONDS + 60))
while [ -n "$c1" ] && [ "$c2" = "$c1" ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 1
    T send-keys -t repl C-l # a fresh screen, so that the last count is the new one
    type_line repl "status"
    wait_for repl '^running: .*' 10
    c2=$(done_count)
done
[ -n "$c1" ] && [ -n "$c2" ] && [ "$c2" -gt "$c1" ] ||
    fail "repl: the job did not advance after the window closed ($c1 -> $c2 K-subsets)"
echo "repl: window closed, the job went on: $c1 -> $c2 K-subsets"
[ "$(wc -l <"$tmp/repl.trace")" -eq "$frames" ] || fail "repl: a closed window drew"

# Opened again: it follows the same job.
type_line repl "plot"
wait_reopened "$tmp/repl.trace" 1 30 || fail "repl: plot did not open the window again"
wait_sets "$tmp/repl.trace" 1 30 newest || fail "repl: the reopened window shows no medoids"
[ -n "$(window_id)" ] || fail "repl: no window called ekm after plot"
# `wait` blocks the prompt, not the window: it goes on drawing the job.
running_frames() { grep -c ' status running: ' "$tmp/repl.trace"; }
type_line repl "wait"
n0=$(running_frames)
deadline=$((SECONDS + 30))
while [ "$(running_frames)" -lt $((n0 + 2)) ]; do
    [ "$SECONDS" -ge "$deadline" ] && fail "repl: the window stopped following during wait"
    sleep 0.1
done
# the wait's own status line (drawn on its first tick) is the pane's last line
deadline=$((SECONDS + 30))
until grab repl; tail -n 1 <<<"$(grep -v '^$' <<<"$last")" | grep -qE '^\[seq .* ETA .*best'; do
    [ "$SECONDS" -ge "$deadline" ] && fail "repl: wait is not waiting"
    sleep 0.1
done
# Ctrl-C (in wait) cancels: the window keeps the best medoids and says so.
T send-keys -t repl C-c
wait_for repl '^job cancelled: seq on big' 20 || fail "repl: Ctrl-C did not cancel"
deadline=$((SECONDS + 10))
until grep -q ' status cancelled after .* not proven optimal' "$tmp/repl.trace"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "repl: the window does not say the job was cancelled"
    sleep 0.1
done

# The X connection killed under the window (xkill, a window manager's force-quit):
# Xlib's default would exit the whole process; the REPL and a new job go on, and
# `plot` says why there is no window any more (in the sanitizer builds too: the
# window thread leaves Xlib without returning through it, see x_guard).
if command -v xkill >/dev/null 2>&1; then
    cancelled=$(grep -c ' status cancelled after ' "$tmp/repl.trace")
    type_line repl "run"
    deadline=$((SECONDS + 30)) # the open window follows the new job
    until tail -n 1 "$tmp/repl.trace" | grep -q ' status running: ' &&
        [ "$(grep -c ' status cancelled after ' "$tmp/repl.trace")" -eq "$cancelled" ]; do
        [ "$SECONDS" -ge "$deadline" ] && fail "repl: the window does not follow the new job"
        sleep 0.1
    done
    xkill -id "$(window_id)" >/dev/null 2>&1 || fail "repl: xkill failed"
    wait_window_gone 10 || fail "repl: the killed window is still there"
    sleep 0.5
    T send-keys -t repl C-l
    type_line repl "status"
    wait_for repl '^running: ' 10 || fail "repl: the REPL or its job did not survive xkill"
    type_line repl "plot"
    wait_for repl 'connection to the X display was lost' 10 || fail "repl: plot after xkill"
    T send-keys -t repl C-c
    wait_for repl '^job cancelled: seq on big' 20 || fail "repl: Ctrl-C after xkill"
    echo "repl: survived xkill of its window; the job went on"
fi
type_line repl "quit"
wait_for repl '^exit=0$' 20 || fail "repl: quit did not end the REPL with status 0"
echo "ok: the REPL's plot window followed the job, closed without stopping it, reopened"

# =============================== B. the TUI ===============================
cat >"$tmp/tui.sh" <<EOF
cd '$tmp'
EKM_PLOT_TRACE='$tmp/tui.trace' '$EKM' tui big.csv -k 3 --strategy seq --threads 1
echo "exit=\$?"
EOF
T new-session -d -s tui -x 120 -y 40 "env LANG=C.UTF-8 sh '$tmp/tui.sh'; sleep 600" ||
    fail "tmux new-session failed"
wait_for tui 'not started' 20 || fail "tui: the dashboard did not open"
T send-keys -t tui g
wait_for tui 'no result to plot yet' 10 || fail "tui: g without a result or a job"
T send-keys -t tui r
wait_for tui '^Job running' 20 || fail "tui: r did not start the job"
T send-keys -t tui g
wait_for tui 'plot window open: it follows the job.s best medoids' 20 ||
    fail "tui: g did not open the window on the running job"
wait_sets "$tmp/tui.trace" 3 90 || fail "tui: the window did not draw 3 medoid sets while the job ran"
grab tui
grep -q '^Job running' <<<"$last" || fail "tui: the job is not running any more"
check_improving "$tmp/tui.trace" tui
echo "tui: $(running_sets "$tmp/tui.trace" | wc -l) medoid sets drawn while the job ran"

id=$(window_id)
[ -n "$id" ] || fail "tui: no window called ekm"
close_window "$id" || fail "tui: cannot send WM_DELETE_WINDOW"
wait_window_gone 10 || fail "tui: the window did not close"
# The plan view's exact count of K-subsets done: it grows.
done_count() { grep -Eo '[0-9,]+/287,280,400' <<<"$last" | head -n 1 | cut -d/ -f1 | tr -d ,; }
grab tui
c1=$(done_count)
c2=$c1
deadline=$((SECONDS + 60))
while [ -n "$c1" ] && [ "$c2" = "$c1" ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.5
    grab tui
    c2=$(done_count)
done
grep -q '^Job running' <<<"$last" && [ -n "$c1" ] && [ -n "$c2" ] && [ "$c2" -gt "$c1" ] ||
    fail "tui: the job did not advance after the window closed ($c1 -> $c2 K-subsets)"
echo "tui: window closed, the job went on: $c1 -> $c2 K-subsets"

T send-keys -t tui g
wait_reopened "$tmp/tui.trace" 1 30 || fail "tui: g did not open the window again"
wait_sets "$tmp/tui.trace" 1 30 newest || fail "tui: the reopened window shows no medoids"
T send-keys -t tui c
wait_for tui '^Job cancelled' 20 || fail "tui: c did not cancel"
deadline=$((SECONDS + 10))
until grep -q ' status cancelled after .* not proven optimal' "$tmp/tui.trace"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "tui: the window does not say the job was cancelled"
    sleep 0.1
done

# A job that ends while the window is open: its result stays on show.
want=$("$EKM" solve "$tmp/mid.csv" -k 3 --json | grep -o '"medoids":\[[^]]*\]' | grep -Eo '[0-9]+' |
    paste -sd' ' -)
[ -n "$want" ] || fail "ekm solve gave no medoids"
T send-keys -t tui l
wait_for tui 'Load CSV file:' 10 || fail "tui: l did not ask for a file"
T send-keys -t tui -l "mid.csv"
T send-keys -t tui Enter
wait_for tui 'loaded mid: 300 points' 10 || fail "tui: mid.csv did not load"
T send-keys -t tui r
wait_for tui 'seq done in' 300 || fail "tui: the job on mid.csv did not finish"
deadline=$((SECONDS + 10))
until tail -n 1 "$tmp/tui.trace" | grep -q " view clusters k 3 medoids $want objective .* status exact: the proven optimum"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "tui: the window does not show the result (medoids $want)"
    sleep 0.1
done
[ -n "$(window_id)" ] || fail "tui: the window closed at the job's end"
T send-keys -t tui q
wait_for tui '^exit=0$' 20 || fail "tui: q did not end the dashboard with status 0"
wait_window_gone 10 || fail "tui: the window outlived the dashboard"
echo "ok: the dashboard's plot window followed the job, closed without stopping it, showed the result"
