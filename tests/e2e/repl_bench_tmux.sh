#!/usr/bin/env bash
# repl_bench_tmux.sh — `bench` at the prompt in a real terminal (tmux, 120x40): it
# runs in the background; the indicator in front of the prompt (runs done / all,
# the cell, ETA) advances while the prompt takes commands; `history` lists the
# cells finished so far; the dashboard (`tui`) shows them as bench rows; `run` is
# refused meanwhile; Ctrl-C stops it, the report of the runs kept is printed and
# the prompt loses its indicator. Exit 77 (skipped) without tmux.
set -u

ekm="${EKM:?EKM must name the ekm binary}"
. "$(dirname "$0")/lib_tmux.sh"

# The runs done in the indicator: "[bench 5/24 par1 N=350 T=2 ETA 0:24] ekm k=3> " -> 5
runs_done() { pane | grep -Eo '^\[bench [0-9]+/24 ' | tail -1 | grep -Eo '[0-9]+/' | tr -d /; }

mkdir -p "$tmp/state"
cat >"$tmp/run.sh" <<EOF
trap '' INT
XDG_STATE_HOME='$tmp/state' '$ekm'
echo \$? >'$tmp/exit-status.new'
mv '$tmp/exit-status.new' '$tmp/exit-status'
EOF
T -f /dev/null new-session -d -s ekm -x 120 -y 40 "sh '$tmp/run.sh'" ||
    fail "tmux new-session failed"
wait_for '^ekm k=3> $'

# per N: seq once, par1 on 1 and 2 threads; 4 N: 12 cells, 24 timed runs (about 15 s
# in a release build, far more under the sanitizers: Ctrl-C stops it before the end)
type_line "bench -k 3 --n 250,350,450,550 --strategies seq,par1 --threads 1,2 --repeat 2 --warmup 0 --csv $tmp/b.csv"
wait_for '^started bench on uniform d=2 seed=0: K=3, 12 cells, 24 runs'
wait_for '^\[bench [0-9]+/24 (seq|par1) N=[0-9]+ T=[12] ETA [0-9:?]+\] ekm k=3> '
first=$(runs_done)
second=$first
for ((i = 0; i < 600; i++)); do
    [ -n "$second" ] && [ "$second" != "$first" ] && break
    sleep 0.05
    second=$(runs_done)
done
[ -n "$first" ] && [ -n "$second" ] && [ "$second" -gt "$first" ] ||
    fail "the indicator did not advance: '$first' -> '$second'"
echo "indicator: $first -> $second runs"

# the prompt takes commands meanwhile: data can be made, a solve job is refused,
# history lists the cells finished
type_line "gen uniform --n 60 --seed 1"
wait_for '^generated uniform\(n=60,d=2,seed=1\)'
type_line "run"
wait_for '^error: (run: )?a benchmark is running'
for ((i = 0; i < 1200; i++)); do
    [ -f "$tmp/b.csv" ] && [ "$(wc -l <"$tmp/b.csv")" -ge 5 ] && break
    sleep 0.05
done
[ "$(wc -l <"$tmp/b.csv")" -ge 5 ] || fail "no cell finished in 60 s"
type_line "history"
wait_for '^  1 seq +250 +3 +1 '

# the dashboard shows the bench's cells in its run history
type_line "tui"
wait_for 'bench( x|×)2' 20
T send-keys -t ekm q
wait_for '^\[bench [0-9]+/24 .*\] ekm uniform\(n=60,d=2,seed=1\) k=3> $'

# Ctrl-C stops it: the report of what ran, then a prompt without the indicator
T send-keys -t ekm C-c
wait_for '^stopping the benchmark \(Ctrl-C\)' 30 scrollback
wait_for '^bench stopped: [0-9]+ timed runs of uniform d=2 seed=0 kept' 60
wait_for '^ekm uniform\(n=60,d=2,seed=1\) k=3> $'
scrollback | grep -q '^ekm bench: uniform d=2 seed=0, K=3' || fail "no report of the runs kept"
kept=$(($(wc -l <"$tmp/b.csv") - 1))
pane | grep -Eq "^bench stopped: $kept timed runs" || fail "the line does not count the $kept CSV rows"

type_line "quit"
for ((i = 0; i < 400; i++)); do
    [ -f "$tmp/exit-status" ] && break
    sleep 0.05
done
[ "$(cat "$tmp/exit-status" 2>/dev/null)" = "0" ] || fail "the REPL did not quit with 0"
echo "ok: bench in the background at the prompt"
