#!/usr/bin/env bash
# repl_start_tmux.sh — the REPL in a real terminal (tmux) whose history file is a
# FIFO: it starts at once with one warning line (no hang, no history kept); pruned
# runs without a question; a long seq run (K=64 of 70 lattice points) is asked
# about and "n" leaves it not started; quit exits 0. Exit 77 (skipped) without tmux.
set -u

ekm="${EKM:?EKM must name the ekm binary}"
src="${EKM_SOURCE_DIR:-$(dirname "$0")/../..}"
iris="$src/data/iris.csv"
. "$(dirname "$0")/lib_tmux.sh"

mkdir -p "$tmp/state/ekm"
mkfifo "$tmp/state/ekm/history"
{
    echo "x,y"
    for i in $(seq 0 69); do echo "$((i % 7)),$((i / 7))"; done
} >"$tmp/lattice.csv"
cat >"$tmp/run.sh" <<EOF
trap '' INT
XDG_STATE_HOME='$tmp/state' '$ekm'
echo \$? >'$tmp/exit-status.new'
mv '$tmp/exit-status.new' '$tmp/exit-status'
EOF
T -f /dev/null new-session -d -s ekm -x 160 -y 40 "sh '$tmp/run.sh'" ||
    fail "tmux new-session failed"

wait_for "^warning: history not kept \($tmp/state/ekm/history is not a regular file\)$"
wait_for "'help' lists the commands"
wait_for '^ekm k=3> $'
[ "$(pane | grep -c 'history not kept')" -eq 1 ] || fail "not one warning line"

# pruned: no estimate, no question
type_line "load $iris"
wait_for '^loaded iris: N=150 D=4'
type_line "run -k 5 --strategy pruned"
wait_for '^started pruned on iris: N=150 K=5'
type_line "wait"
wait_for '^job done: pruned on iris \(N=150 K=5, [0-9]+ threads?\) in [0-9.]+ s, objective 79.09252712 \(proven optimal\)'
pane | grep -q 'start it?' && fail "pruned was asked about"

# a long run: asked, and "n" does not start it
type_line "load $tmp/lattice.csv"
wait_for '^loaded lattice: N=70 D=2'
type_line "run -k 64 --strategy seq"
wait_for 'about .* estimated \(1.31e\+08 K-subsets x 70 points, .*start it\? \[y/N\] $'
T send-keys -t ekm -l -- "n"
T send-keys -t ekm Enter
wait_for '^not started$'
wait_for '^ekm lattice k=5> $' # K stays: the run did not start

type_line "quit"
for ((i = 0; i < 400; i++)); do
    [ -f "$tmp/exit-status" ] && break
    sleep 0.05
done
[ -f "$tmp/exit-status" ] || fail "the REPL did not exit after quit"
[ "$(cat "$tmp/exit-status")" = "0" ] || fail "the REPL exited $(cat "$tmp/exit-status")"
[ -p "$tmp/state/ekm/history" ] || fail "the FIFO was replaced"
echo "ok: the REPL starts with a FIFO history file; pruned is not asked about, a long run is"
