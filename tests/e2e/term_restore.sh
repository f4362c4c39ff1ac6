#!/usr/bin/env bash
# term_restore.sh — the terminal is given back on every way out of the REPL and the
# dashboard: a normal quit, SIGINT, SIGTERM, SIGHUP, SIGQUIT, and a crash (SIGSEGV,
# SIGABRT sent to the process). Each case runs ekm in a tmux pane (a real terminal);
# once ekm has taken the terminal (the prompt, the dashboard shown), the signal goes
# to ekm's pid; when ekm has ended, `stty -a` in that same pane must show echo and
# icanon (readline and ncurses turn both off), and the dashboard must have left the
# alternate screen. SIGINT does not end the REPL (it clears the line or cancels a
# job): there the REPL must survive it and then quit normally.
#
# Needs tmux (skipped, exit 77, without it). Waits poll for a marker with a limit.
set -u

command -v tmux >/dev/null 2>&1 || { echo "skipped: tmux is not installed"; exit 77; }
: "${EKM:?EKM must name the ekm binary}"
: "${EKM_SOURCE_DIR:?EKM_SOURCE_DIR must name the source folder}"

tmp=$(mktemp -d)
sock="ekm-term-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    rm -rf "$tmp" 2>/dev/null || { sleep 0.5; rm -rf "$tmp"; }
}
trap cleanup EXIT

# A session that lives as long as the test: the tmux server does not end (and race
# the next new-session) when a case's session is killed.
T new-session -d -s keep "sleep 100000" || { echo "FAIL: tmux new-session failed"; exit 1; }

term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=screen

passes=0
fails=0
last=""
bad() {
    echo "FAIL: $*"
    [ -n "$last" ] && { echo "--- last capture:"; printf '%s\n' "$last" | grep -v '^$' | tail -15; }
    fails=$((fails + 1))
}
grab() { last=$(T capture-pane -p -t "$1" 2>/dev/null); }
wait_for() { # SESSION REGEX SECONDS
    local deadline=$((SECONDS + $3))
    while :; do
        grab "$1"
        grep -qE -- "$2" <<<"$last" && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}
wait_file() { # FILE SECONDS
    local deadline=$((SECONDS + $2))
    until [ -s "$1" ] && grep -q '^END$' "$1"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}
# The pid of ekm: the one child of the pane's shell.
ekm_pid() {
    local shell_pid
    shell_pid=$(T display-message -p -t "$1" '#{pane_pid}')
    ps -o pid= --ppid "$shell_pid" | tr -d ' ' | head -n 1
}
sane() { # STTY-FILE: echo and icanon on
    grep -Eq '(^|[ ;])echo([ ;]|$)' "$1" && grep -Eq '(^|[ ;])icanon([ ;]|$)' "$1"
}

cp "$EKM_SOURCE_DIR/data/iris.csv" "$tmp/iris.csv"
n=0
# one_case FRONT SIGNAL: FRONT is repl or tui; SIGNAL a name, or "none" (normal quit)
one_case() {
    local front=$1 sig=$2 s out pid
    n=$((n + 1))
    s="c$n"
    out="$tmp/stty.$n"
    cat >"$tmp/run.$n.sh" <<EOS
ulimit -c 0
cd '$tmp'
stty sane
if [ $front = repl ]; then
    XDG_STATE_HOME='$tmp/state' '$EKM'
else
    '$EKM' tui iris.csv -k 3
fi
echo "exit=\$?"
stty -a >'$out' 2>&1
echo END >>'$out'
sleep 600
EOS
    T new-session -d -s "$s" -x 100 -y 30 "env TERM=$term LANG=C.UTF-8 sh '$tmp/run.$n.sh'" ||
        { bad "$front $sig: tmux new-session failed"; return; }
    if [ "$front" = repl ]; then
        wait_for "$s" '^ekm k=3>' 20 || { bad "$front $sig: no prompt"; return; }
        T send-keys -t "$s" -l "load iris.csv"
        # the half-typed line is on screen before any signal (send-keys does not wait)
        wait_for "$s" '^ekm k=3> load iris\.csv' 10 || { bad "$front $sig: the typed line did not show"; return; }
    else
        wait_for "$s" 'not started' 20 || { bad "$front $sig: the dashboard did not show"; return; }
    fi
    pid=$(ekm_pid "$s")
    [ -n "$pid" ] || { bad "$front $sig: no ekm process in the pane"; return; }
    if [ "$sig" = none ]; then
        if [ "$front" = repl ]; then T send-keys -t "$s" C-u; T send-keys -t "$s" -l quit; T send-keys -t "$s" Enter
        else T send-keys -t "$s" q; fi
    else
        kill -s "$sig" "$pid" || { bad "$front $sig: kill failed"; return; }
        if [ "$front" = repl ] && [ "$sig" = INT ]; then
            # Ctrl-C semantics: the line being edited is dropped, the REPL goes on.
            wait_for "$s" '\^C' 10 || { bad "repl INT: no ^C shown"; return; }
            sleep 0.2 # (not for correctness: the check below waits for its answer)
            T send-keys -t "$s" -l "status"
            T send-keys -t "$s" Enter
            wait_for "$s" 'no job has run yet' 10 || { bad "repl INT: the REPL did not answer after SIGINT"; return; }
            kill -0 "$pid" 2>/dev/null || { bad "repl INT: the REPL ended"; return; }
            T send-keys -t "$s" -l quit
            T send-keys -t "$s" Enter
        fi
    fi
    wait_file "$out" 30 || { grab "$s"; bad "$front $sig: ekm did not end (or the pane's stty did not run)"; return; }
    grab "$s"
    local status
    status=$(grep -o 'exit=[0-9]*' <<<"$last" | tail -n 1)
    if sane "$out"; then
        passes=$((passes + 1))
        echo "ok: $front, ${sig/none/normal quit}: $status, the terminal has echo and icanon"
    else
        bad "$front $sig ($status): the terminal was left without echo/icanon: $(grep -Eo -- '-?(echo|icanon)( |;)' "$out" | tr -d ' ;' | paste -sd' ' -)"
    fi
    if [ "$front" = tui ]; then
        # ncurses' alternate screen left: the shell's own lines are on the screen
        grep -q "exit=" <<<"$last" || bad "tui $sig: the pane still shows the alternate screen"
    fi
    T kill-session -t "$s" >/dev/null 2>&1
}

for front in ${EKM_TERM_FRONTS:-repl tui}; do
    for sig in ${EKM_TERM_SIGNALS:-none INT TERM HUP QUIT SEGV ABRT}; do
        one_case "$front" "$sig"
    done
done
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
