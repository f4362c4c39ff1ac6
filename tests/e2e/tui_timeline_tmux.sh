#!/usr/bin/env bash
# tui_timeline_tmux.sh — the dashboard's Timeline panel in a real terminal (tmux):
# a par1 run on 2 threads (N=1000, K=3: long enough to be caught running, cancelled
# once seen) shows one row per thread, t0 and t1 with L0 and L1 side by side (either
# thread may take either leaf) while
# the leaves run, then M2 on one of them; the rows stay after the run (cancelled).
# At 120x40 the panel shows by itself; at 80x24 it is hidden until t, which the key
# bar names. Waits poll the screen with generous limits; exit 77 without tmux.
set -u

ekm="${EKM:?EKM must name the ekm binary}"
. "$(dirname "$0")/lib_tmux.sh"

"$ekm" gen uniform --n 1000 --d 2 --seed 3 --out "$tmp/u.csv" >/dev/null || fail "ekm gen failed"

# A session that lives as long as the test: the tmux server does not end (and race
# the next new-session) when the first size's session is killed.
T -f /dev/null new-session -d -s keep "sleep 100000" || fail "tmux new-session failed"

# wait_all SECONDS REGEX...: poll until one capture of the pane matches every regex
wait_all() {
    local limit=$1 i p ok r
    shift
    for ((i = 0; i < limit * 20; i++)); do
        p=$(pane)
        ok=1
        for r in "$@"; do
            grep -Eq -- "$r" <<<"$p" || { ok=0; break; }
        done
        [ "$ok" = 1 ] && return 0
        sleep 0.05
    done
    fail "waited ${limit}s for one screen showing: $*"
}

# The timeline's rows: "t0" then idle dots or nothing, then the stage (the thread
# meters also start with " t0 " but go on with "["). Either thread may take
# either leaf: each row starts with a leaf, and both leaves are there.
leaves=('^ t0 [·.]*L[01]' '^ t1 [·.]*L[01]' '^ t[01] [·.]*L0' '^ t[01] [·.]*L1')
merge='^ t[01] [^[]*M2'

session() {
    local cols=$1 rows=$2
    T kill-session -t ekm >/dev/null 2>&1
    T -f /dev/null new-session -d -s ekm -x "$cols" -y "$rows" \
        "cd '$tmp' && '$ekm' tui u.csv -k 3 --strategy par1 --threads 2; sleep 600" ||
        fail "tmux new-session failed"
    wait_for 'not started' 30
}

# 120x40: shown by itself once something runs
session 120 40
T send-keys -t ekm r
wait_all 300 '^Job running' '── Timeline · par1 · 2 threads' "${leaves[@]}"
wait_all 600 '^Job running' "$merge"
T send-keys -t ekm c
wait_for '^Job cancelled' 60
wait_all 30 '── Timeline · par1 · 2 threads' "${leaves[@]}" "$merge" # kept after the run
T send-keys -t ekm q

# 80x24: behind the t key, named on the key bar
session 80 24
pane | grep -q 'Timeline ·' && fail "80x24: the timeline shows before t"
pane | grep -Eq 'tTime(line)? ' || fail "80x24: the key bar does not name t"
T send-keys -t ekm r
wait_for '^Job running' 60
pane | grep -q 'Timeline ·' && fail "80x24: the timeline shows without t"
T send-keys -t ekm t
wait_all 300 '^Job running' '── Timeline · par1' "${leaves[@]}"
wait_all 600 '^Job running' "$merge"
T send-keys -t ekm c
wait_for '^Job cancelled' 60
wait_all 30 '── Timeline · par1' "$merge"
T send-keys -t ekm t
for ((i = 0; i < 600; i++)); do # t hides it again (the status line may say something else)
    pane | grep -q 'Timeline ·' || break
    sleep 0.05
done
pane | grep -q 'Timeline ·' && fail "80x24: t did not hide the timeline"
T send-keys -t ekm q
echo "ok: the timeline's rows seen during par1 runs at 120x40 and 80x24"
