#!/usr/bin/env bash
# plot_close_stress.sh — closing the live plot window never ends the session.
#
# On a virtual X display (Xvfb), with the REPL and then the dashboard in tmux, each
# trial starts a long job (seq, K=3 on 1200 points, one thread), opens the window on
# it and waits until the window is mapped and has drawn. Half the trials cancel the
# job first (the way the bug was found: plot, cancel, Esc, type). Then, while a
# command is half typed, the window is closed at a random moment, in one of the
# ways users close it, taken in turn:
#   esc   Esc in the window (focused, then the key through XTEST, as typed)
#   q     q in the window
#   wm    a window manager's close button: a WM_DELETE_WINDOW message (python3)
#   xkill the X connection killed (xkill -id): the window's thread ends, ekm stays
# and the command is finished after another random delay. Every trial asserts that
# ekm still runs, answers that command, that the job is in the state it must be in
# (running when only the window closed, cancelled when it was cancelled), that the
# window is gone, and that no X error ended anything. After xkill no new window can
# open in that process: `plot` / g must say so; the trial then quits (exit status 0,
# terminal sane) and the next one starts a new ekm. Some dashboard trials quit with q
# right after the close (the dashboard's report: r, g, Esc, q).
#
# Trials per front end: EKM_STRESS_TRIALS (default 50; 10 when EKM_SANITIZED=1);
# EKM_STRESS_SEED fixes the random choices (printed); EKM_STRESS_WAYS="esc q" tries
# only those ways. Waits poll a condition with a
# deadline; the only sleeps that are not polls are the random delays, which are the
# point. Needs Xvfb, tmux, xdotool, xwininfo, xkill; python3 with libX11 for the
# window-manager close (that way is skipped, and said, without it). Exit 77 when a
# required tool is missing.
set -u

: "${EKM:?EKM must name the ekm binary}"
for tool in Xvfb tmux xdotool xwininfo xkill; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool is not installed"; exit 77; }
done
trials=${EKM_STRESS_TRIALS:-}
if [ -z "$trials" ]; then
    trials=50
    [ "${EKM_SANITIZED:-0}" = 1 ] && trials=10
fi
seed=${EKM_STRESS_SEED:-$$}
RANDOM=$seed
methods=(esc q wm xkill)
have_wm=1
python3 -c 'import ctypes, ctypes.util; assert ctypes.util.find_library("X11")' 2>/dev/null || {
    have_wm=0
    methods=(esc q xkill)
    echo "note: python3 with libX11 is missing: the window-manager close is not tried"
}
[ -n "${EKM_STRESS_WAYS:-}" ] && read -r -a methods <<<"$EKM_STRESS_WAYS" # e.g. "esc q"
echo "trials per front end: $trials, seed $seed, ways: ${methods[*]}"

tmp=$(mktemp -d)
sock="ekm-close-stress-$$"
xvfb_pid=
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    local i
    for ((i = 0; i < 50; i++)); do # the programs hold X connections: let them go first
        T has-session >/dev/null 2>&1 || break
        sleep 0.1
    done
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    rm -rf "$tmp" 2>/dev/null || { sleep 0.5; rm -rf "$tmp"; }
}
trap cleanup EXIT

sess=
last=""
fail() {
    echo "FAIL: $*"
    [ -n "$last" ] && { echo "--- last capture:"; printf '%s\n' "$last" | grep -v '^$' | tail -25; }
    [ -f "$tmp/$sess.trace" ] && { echo "--- trace (windows opened: $(grep -c '^frame 1 ' "$tmp/$sess.trace"), expected $windows; last lines):"; tail -5 "$tmp/$sess.trace"; }
    echo "--- the display: $(kill -0 "$xvfb_pid" 2>/dev/null && echo "Xvfb runs" || echo "Xvfb has ended"); its windows:"
    xwininfo -root -tree 2>&1 | grep -E '"|rror' | head -10
    tail -5 "$tmp/xvfb.log"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ -n "${EKM_STRESS_DEBUG:-}" ] && command -v gdb >/dev/null; then
        gdb -p "$pid" -batch -ex 'thread apply all bt' 2>/dev/null | grep -E '^(Thread|#)' | head -60
    fi
    exit 1
}
# The whole pane, history included (one REPL session's lines stay countable).
grab() { last=$(T capture-pane -p -J -S - -t "$sess" 2>/dev/null); }
count() { grep -cE -- "$1" <<<"$last"; }
# wait_count REGEX N SECONDS: the pane shows at least N lines matching
wait_count() {
    local deadline=$((SECONDS + $3))
    while :; do
        grab
        [ "$(count "$1")" -ge "$2" ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
wait_for() { wait_count "$1" 1 "$2"; }
type_line() { T send-keys -t "$sess" -l -- "$1" && T send-keys -t "$sess" Enter; }
ekm_pid() {
    local shell_pid
    shell_pid=$(T display-message -p -t "$sess" '#{pane_pid}')
    ps -o pid= --ppid "$shell_pid" | tr -d ' ' | head -n 1
}
jitter() { # a random delay of 0..$1 ms (the moment of the close varies: not a wait)
    local ms=$((RANDOM % ($1 + 1)))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

# A session that lives as long as the test: the tmux server does not end (and race
# the next new-session) when a trial's session is killed.
T new-session -d -s keep "sleep 100000" || { echo "FAIL: tmux new-session failed"; exit 1; }

# ---- a virtual display ----
exec 3>"$tmp/display"
# -noreset: between two trials every X client may be gone, and a server that resets
# then refuses the next connection for a moment (SDL would find no display).
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for ((i = 0; i < 100; i++)); do
    [ -s "$tmp/display" ] && break
    sleep 0.1
done
[ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
export DISPLAY=":$(head -n 1 "$tmp/display")"
export DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/ekm-no-session-bus" # see plot_window.sh

# the window called "ekm", or "ekm - VIEW: DATA" (its title names the view it shows)
window_id() {
    xwininfo -root -tree 2>/dev/null |
        sed -n 's/^ *\(0x[0-9a-fA-F]*\) "ekm\( - [^"]*\)\{0,1\}".*/\1/p' | head -n 1
}
window_mapped() {
    local id
    id=$(window_id)
    [ -n "$id" ] && xwininfo -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'
}
wait_window() { # mapped, and the new window (frame 1 number N in the trace) has drawn
    local deadline=$((SECONDS + $2))
    local n
    until window_mapped && n=$(grep -c '^frame 1 ' "$tmp/$sess.trace" 2>/dev/null) && [ "${n:-0}" -ge "$1" ]; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
wait_window_gone() {
    local deadline=$((SECONDS + $1))
    while [ -n "$(window_id)" ]; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
wm_close_py=$(cd "$(dirname "$0")" && pwd)/wm_close.py
wm_close() { python3 "$wm_close_py" "$1"; } # WM_DELETE_WINDOW, as a window manager sends it
# close_window WAY: the window goes away the way a user makes it go
close_window() {
    local id
    id=$(window_id)
    [ -n "$id" ] || fail "$who: no window to close"
    case $1 in
    esc) timeout 10 xdotool windowfocus --sync "$id" key Escape ;;
    q) timeout 10 xdotool windowfocus --sync "$id" key q ;;
    wm) wm_close "$id" ;;
    xkill) xkill -id "$id" >/dev/null 2>&1 ;;
    esac || fail "$who: closing the window ($1) failed"
}

# ---- the data: three clusters listed from the outside in (a long seq run) ----
awk -v m=400 'BEGIN {
    cx[0] = 0; cy[0] = 0; cx[1] = 12; cy[1] = 0; cx[2] = 6; cy[2] = 10
    print "x,y"
    for (i = 0; i < m; i++)
        for (c = 0; c < 3; c++) {
            r = 4 * (m - i) / m; a = i * 2.39996 + c
            printf "%.6f,%.6f\n", cx[c] + r * cos(a), cy[c] + r * sin(a)
        }
}' >"$tmp/big.csv"

tally_esc=0 tally_q=0 tally_wm=0 tally_xkill=0 restarts=0 closed_then_quit=0
passed=0 # trials that passed (a failure ends the script)
tally() { local v="tally_$1"; printf -v "$v" '%d' $((${!v} + 1)); passed=$((passed + 1)); }
nsess=0
pid=

# A new ekm in a new pane. $1: repl or tui.
start_front() {
    nsess=$((nsess + 1))
    sess="$1$nsess"
    # (the tmux server was started before these were set: they go in the script)
    cat >"$tmp/$sess.sh" <<EOS
ulimit -c 0
cd '$tmp'
export DISPLAY='$DISPLAY' DBUS_SESSION_BUS_ADDRESS='$DBUS_SESSION_BUS_ADDRESS'
if [ $1 = repl ]; then
    EKM_PLOT_TRACE='$tmp/$sess.trace' XDG_STATE_HOME='$tmp/state' '$EKM'
else
    EKM_PLOT_TRACE='$tmp/$sess.trace' '$EKM' tui big.csv -k 3 --strategy seq --threads 1
fi
echo "exit=\$?"
stty -a >'$tmp/$sess.stty' 2>&1
echo END >>'$tmp/$sess.stty'
sleep 600
EOS
    T new-session -d -s "$sess" -x 150 -y 50 "env LANG=C.UTF-8 sh '$tmp/$sess.sh'" ||
        fail "tmux new-session failed"
    T set-option -t "$sess" history-limit 50000 >/dev/null
    windows=0 # windows opened in this process
    if [ "$1" = repl ]; then
        wait_for '^ekm k=3>' 30 || fail "repl: no prompt"
        type_line "load big.csv"
        type_line "set strategy seq"
        type_line "set threads 1"
        wait_for '^threads=1$' 30 || fail "repl: the settings were not taken"
    else
        wait_for 'not started' 30 || fail "tui: the dashboard did not open"
    fi
    pid=$(ekm_pid)
    [ -n "$pid" ] || fail "$1: no ekm process in the pane"
}

# The front end has quit: status 0, the terminal sane, no X error printed.
check_quit() {
    local deadline=$((SECONDS + 60))
    until grep -q '^END$' "$tmp/$sess.stty" 2>/dev/null; do
        [ "$SECONDS" -ge "$deadline" ] && { grab; fail "$who: did not quit"; }
        sleep 0.05
    done
    grab
    grep -q '^exit=0$' <<<"$last" || fail "$who: quit with $(grep -o 'exit=[0-9]*' <<<"$last")"
    grep -Eq '(^|[ ;])echo([ ;]|$)' "$tmp/$sess.stty" && grep -Eq '(^|[ ;])icanon([ ;]|$)' "$tmp/$sess.stty" ||
        fail "$who: the terminal was left without echo or icanon"
    T kill-session -t "$sess" >/dev/null 2>&1
}

alive_and_clean() {
    kill -0 "$pid" 2>/dev/null || { grab; fail "$who: ekm is not running any more"; }
    grep -q 'X Error of failed request\|XIO: ' <<<"$last" && fail "$who: an X error was printed"
    return 0
}

# =============================== the REPL ===============================
fronts=${EKM_STRESS_FRONTS:-repl tui}
[[ $fronts == *repl* ]] && start_front repl
for ((t = 1; t <= trials; t++)); do
    [[ $fronts == *repl* ]] || break
    way=${methods[$((RANDOM % ${#methods[@]}))]}
    cancel_first=$((RANDOM % 2))
    who="repl trial $t ($way, $([ $cancel_first = 1 ] && echo cancelled first || echo job running))"
    grab
    started=$(count '^started seq on big')
    running=$(count '^running: ')
    cancelled=$(count '^cancelled: ')
    jobs_cancelled=$(count '^job cancelled: seq on big')
    type_line "run"
    wait_count '^started seq on big' $((started + 1)) 30 || fail "$who: run did not start"
    type_line "plot"
    windows=$((windows + 1))
    wait_window "$windows" 30 || fail "$who: the window did not open and draw"
    if [ "$cancel_first" = 1 ]; then
        type_line "cancel"
        wait_count '^job cancelled: seq on big' $((jobs_cancelled + 1)) 30 || fail "$who: cancel"
        jobs_cancelled=$((jobs_cancelled + 1))
        jitter 300
    else
        jitter 500
    fi
    T send-keys -t "$sess" -l "sta" # typing goes on while the window closes
    close_window "$way"
    jitter 400
    T send-keys -t "$sess" -l "tus"
    T send-keys -t "$sess" Enter
    if [ "$cancel_first" = 1 ]; then
        wait_count '^cancelled: ' $((cancelled + 1)) 30 || fail "$who: status did not say cancelled"
    else
        wait_count '^running: ' $((running + 1)) 30 || fail "$who: status did not say running"
    fi
    wait_window_gone 10 || fail "$who: the window is still there"
    alive_and_clean
    tally "$way"
    if [ "$cancel_first" = 0 ]; then
        type_line "cancel"
        wait_count '^job cancelled: seq on big' $((jobs_cancelled + 1)) 30 ||
            fail "$who: the job could not be cancelled after the window closed"
    fi
    if [ "$way" = xkill ]; then
        # Said once, above the prompt when the REPL next wakes (a key, a job's tick);
        # and no new window opens in this process.
        grab
        started=$(count '^started seq on big')
        jobs_cancelled=$(count '^job cancelled: seq on big')
        type_line "run"
        wait_count '^started seq on big' $((started + 1)) 30 || fail "$who: run after xkill"
        wait_for 'lost its connection to the X display and closed; the session goes on' 20 ||
            fail "$who: the lost connection was not reported"
        type_line "plot"
        wait_for 'no plot window: the connection to the X display was lost earlier' 20 ||
            fail "$who: plot after xkill did not say why there is no window"
        type_line "cancel"
        wait_count '^job cancelled: seq on big' $((jobs_cancelled + 1)) 30 || fail "$who: cancel after xkill"
        type_line "quit"
        check_quit
        restarts=$((restarts + 1))
        [ "$t" -lt "$trials" ] && start_front repl
    fi
done
if [[ $fronts == *repl* ]] && T has-session -t "$sess" 2>/dev/null; then
    who="repl, the end"
    type_line "quit"
    check_quit
fi
[[ $fronts == *repl* ]] && echo "ok: repl, $trials trials (esc $tally_esc, q $tally_q, wm $tally_wm, xkill $tally_xkill; $restarts new processes after xkill)"
r_esc=$tally_esc r_q=$tally_q r_wm=$tally_wm r_xkill=$tally_xkill
tally_esc=0 tally_q=0 tally_wm=0 tally_xkill=0 restarts=0

# =============================== the TUI ===============================
[[ $fronts == *tui* ]] && start_front tui
for ((t = 1; t <= trials; t++)); do
    [[ $fronts == *tui* ]] || break
    way=${methods[$((RANDOM % ${#methods[@]}))]}
    cancel_first=$((RANDOM % 2))
    quit_after=$((RANDOM % 4 == 0)) # q right after the close
    who="tui trial $t ($way, $([ $cancel_first = 1 ] && echo cancelled first || echo job running)$([ $quit_after = 1 ] && echo ', then q'))"
    T send-keys -t "$sess" r
    wait_for '^Job running' 30 || fail "$who: r did not start the job"
    T send-keys -t "$sess" g
    windows=$((windows + 1))
    wait_window "$windows" 30 || fail "$who: g did not open the window"
    if [ "$cancel_first" = 1 ]; then
        T send-keys -t "$sess" c
        wait_for '^Job cancelled' 30 || fail "$who: c did not cancel"
        jitter 300
    else
        jitter 500
    fi
    close_window "$way"
    jitter 400
    if [ "$quit_after" = 1 ]; then
        T send-keys -t "$sess" q
        # a job still running: the dashboard asks first, y quits
        if wait_for 'Quit anyway\? \(y/n\)' 5; then T send-keys -t "$sess" y; fi
        check_quit
        closed_then_quit=$((closed_then_quit + 1))
        wait_window_gone 10 || fail "$who: the window outlived the dashboard"
        tally "$way"
        [ "$t" -lt "$trials" ] && start_front tui
        continue
    fi
    wait_window_gone 10 || fail "$who: the window is still there"
    alive_and_clean
    if [ "$cancel_first" = 1 ]; then
        # It answers: a new job starts, and is cancelled.
        grab
        grep -q '^Job cancelled' <<<"$(T capture-pane -p -t "$sess")" || fail "$who: the job is not cancelled"
        T send-keys -t "$sess" r
        wait_for '^Job running' 30 || fail "$who: r after the close did not start a job"
    else
        grab
        grep -q '^Job running' <<<"$(T capture-pane -p -t "$sess")" ||
            fail "$who: the job stopped when the window closed"
    fi
    T send-keys -t "$sess" c
    wait_for '^Job cancelled' 30 || fail "$who: c after the close did not cancel"
    alive_and_clean
    tally "$way"
    if [ "$way" = xkill ]; then
        T send-keys -t "$sess" r
        wait_for '^Job running' 30 || fail "$who: r after xkill"
        T send-keys -t "$sess" g
        wait_for 'connection to the X display was lost' 20 ||
            fail "$who: g after xkill did not say why there is no window"
        T send-keys -t "$sess" c
        wait_for '^Job cancelled' 30 || fail "$who: c after xkill"
        T send-keys -t "$sess" q
        check_quit
        restarts=$((restarts + 1))
        [ "$t" -lt "$trials" ] && start_front tui
    fi
done
if [[ $fronts == *tui* ]] && T has-session -t "$sess" 2>/dev/null; then
    who="tui, the end"
    T send-keys -t "$sess" q
    check_quit
fi
[[ $fronts == *tui* ]] && echo "ok: tui, $trials trials (esc $tally_esc, q $tally_q, wm $tally_wm, xkill $tally_xkill; $restarts new processes after xkill, $closed_then_quit quit right after the close)"
echo "$passed passed, 0 failed"
