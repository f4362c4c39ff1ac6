#!/usr/bin/env bash
# repl_tmux.sh — the REPL in a real terminal (tmux, 120x40), following the README
# tour: generate N=1500 points, run K=3 with par2 on 2 threads, watch the live
# indicator in the prompt change, cancel with Ctrl-C (the REPL stays), then load
# iris, run, wait, read the result, save labels and quit. Also: Ctrl-C without a
# job clears the line, Tab completes, the history file is kept (mode 0600).
# Exit 77 (skipped) without tmux.
set -u

ekm="${EKM:?EKM must name the ekm binary}"
src="${EKM_SOURCE_DIR:-$(dirname "$0")/../..}"
iris="$src/data/iris.csv"
. "$(dirname "$0")/lib_tmux.sh"

# The live indicator in front of the prompt: "[par2 ....  3.1% 6.2s] ekm ...".
indicator() { pane | grep -Eo '^\[par2 [^]]*[0-9.]+% [0-9.]+s\] ekm uniform' | tail -1; }

# The reference objective, as the REPL prints it (%.10g).
ref_obj=$("$ekm" solve "$iris" -k 3 --json | grep -o '"objective":[^,]*' | cut -d: -f2)
[ -n "$ref_obj" ] || fail "ekm solve gave no objective"
ref_obj=$(printf '%.10g' "$ref_obj")

mkdir -p "$tmp/state"
# The REPL runs under a small shell that writes its exit status to a file. That
# shell ignores SIGINT (the REPL installs its own handler), or the test's Ctrl-C
# would end it too. -f /dev/null: no user configuration.
cat >"$tmp/run.sh" <<EOF
trap '' INT
XDG_STATE_HOME='$tmp/state' '$ekm'
echo \$? >'$tmp/exit-status.new'
mv '$tmp/exit-status.new' '$tmp/exit-status'
EOF
T -f /dev/null new-session -d -s ekm -x 120 -y 40 "sh '$tmp/run.sh'" ||
    fail "tmux new-session failed"

wait_for "'help' lists the commands"
wait_for '^ekm k=3> $'

# ---- a long par2 run: the indicator moves, Ctrl-C cancels, the REPL stays ----
type_line "gen uniform --n 1500 --d 2 --seed 3"
wait_for '^generated uniform\(n=1500,d=2,seed=3\): N=1500 D=2'
type_line "set k 3"
wait_for '^k=3$'
type_line "set strategy par2"
wait_for '^strategy=par2$'
type_line "set threads 2"
wait_for '^threads=2$'
type_line "run"
wait_for '^started par2 on uniform\(n=1500,d=2,seed=3\): N=1500 K=3, 2 threads, 561,375,500 K-subsets in 7 stages'
wait_for '^\[par2 [^]]*[0-9.]+% [0-9.]+s\] ekm uniform'
first=$(indicator)
second=$first
for ((i = 0; i < 200; i++)); do
    [ "$second" != "$first" ] && break
    sleep 0.05
    second=$(indicator)
done
[ -n "$first" ] && [ "$second" != "$first" ] || fail "the live indicator did not change: '$first'"
t1=$(echo "$first" | grep -Eo '[0-9.]+s\]' | tr -d 's]')
t2=$(echo "$second" | grep -Eo '[0-9.]+s\]' | tr -d 's]')
awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b > a) }' || fail "elapsed went from $t1 to $t2"
echo "indicator: '$first' -> '$second'"

# the line being edited survives a redraw of the indicator
T send-keys -t ekm -l -- "sho"
wait_for '\] ekm uniform\(n=1500,d=2,seed=3\) k=3> sho$'
T send-keys -t ekm C-c
wait_for '^cancelling the job \(Ctrl-C\)'
wait_for '^job cancelled: par2 on uniform\(n=1500,d=2,seed=3\) after [0-9.]+ s'
wait_for '^ekm uniform\(n=1500,d=2,seed=3\) k=3> sho$' # no indicator any more, line kept
T send-keys -t ekm -l -- "w"
T send-keys -t ekm Enter
wait_for '^strategy +par2 '
wait_for '^threads +2 '

# ---- Ctrl-C with no job clears the line ----
T send-keys -t ekm -l -- "some half-typed words"
wait_for 'k=3> some half-typed words$'
T send-keys -t ekm C-c
wait_for 'k=3> some half-typed words\^C$'
wait_for '^ekm uniform\(n=1500,d=2,seed=3\) k=3> $'

# ---- the README tour on iris ----
type_line "load $iris"
wait_for '^loaded iris: N=150 D=4 metric=euclidean'
wait_for '^ekm iris k=3> $'
type_line "run"
wait_for '^started par2 on iris: N=150 K=3, 2 threads, 551,300 K-subsets in 7 stages'
type_line "wait"
wait_for '^job done: par2 on iris \(N=150 K=3, 2 threads\) in [0-9.]+ s, objective '"$ref_obj"' \(proven optimal\)'
type_line "result"
wait_for "^objective $ref_obj \(proven optimal\)"
wait_for '^plan: 7 stages, Amdahl bound'
type_line "save labels $tmp/labels.csv"
wait_for "^wrote the clusters of 150 points to $tmp/labels.csv"
[ "$(wc -l <"$tmp/labels.csv")" -eq 151 ] || fail "labels.csv has $(wc -l <"$tmp/labels.csv") lines"
[ "$(head -1 "$tmp/labels.csv")" = "index,cluster,medoid,label,silhouette" ] || fail "labels.csv header"
[ "$(tail -n +2 "$tmp/labels.csv" | cut -d, -f2 | sort -u | paste -sd' ' -)" = "1 2 3" ] ||
    fail "labels.csv clusters are not 1 2 3"
type_line "history"
wait_for '^  2 par2 +150 +3 +2 '

# ---- Tab completion ----
T send-keys -t ekm -l -- "set strat"
T send-keys -t ekm Tab
wait_for 'k=3> set strategy $'
T send-keys -t ekm C-u

# ---- quit, and the history file ----
type_line "quit"
for ((i = 0; i < 400; i++)); do
    [ -f "$tmp/exit-status" ] && break
    sleep 0.05
done
[ -f "$tmp/exit-status" ] || fail "the REPL did not exit after quit"
[ "$(cat "$tmp/exit-status")" = "0" ] || fail "the REPL exited $(cat "$tmp/exit-status")"
hist="$tmp/state/ekm/history"
[ -f "$hist" ] || fail "no history file at $hist"
[ "$(stat -c %a "$hist")" = "600" ] || fail "history file mode $(stat -c %a "$hist")"
[ "$(stat -c %a "$tmp/state/ekm")" = "700" ] || fail "history folder mode"
grep -qx 'set strategy par2' "$hist" || fail "history lacks 'set strategy par2'"
grep -qx 'quit' "$hist" || fail "history lacks 'quit'"
echo "ok: the REPL tour in tmux"
