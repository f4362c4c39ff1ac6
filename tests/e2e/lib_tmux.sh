# lib_tmux.sh — a tmux server of the script's own, with the REPL in session "ekm"
# (sourced by the REPL's terminal tests; not a test itself). Sets tmp (a temporary
# folder, removed at exit) and defines T (tmux on that server), fail, pane,
# scrollback, wait_for and type_line. Exits 77 (skipped) without tmux.
command -v tmux >/dev/null 2>&1 || { echo "skipped: tmux is not installed"; exit 77; }

tmp=$(mktemp -d)
sock="ekm-$(basename "$0" .sh)-$$"
T() { tmux -L "$sock" "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock" # tmux leaves its socket behind
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    echo "---- the pane ----"
    T capture-pane -p -J -t ekm 2>/dev/null | grep -v '^$' | tail -25
    exit 1
}

pane() { T capture-pane -p -J -t ekm; }
# The pane with what scrolled off it (a report longer than the pane).
scrollback() { T capture-pane -p -J -S -1000 -t ekm; }

# Poll until the pane (or with $3 = scrollback, also what scrolled off) shows a line
# matching the extended regex $1 (at most $2 s); fail otherwise.
wait_for() {
    local pattern=$1 limit=${2:-30} source=${3:-pane} i
    for ((i = 0; i < limit * 20; i++)); do
        $source | grep -Eq -- "$pattern" && return 0
        sleep 0.05
    done
    fail "waited ${limit}s for /$pattern/"
}

# Type a line and press Enter.
type_line() { T send-keys -t ekm -l -- "$1" && T send-keys -t ekm Enter; }
