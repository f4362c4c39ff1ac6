#!/usr/bin/env bash
# tui_load_tmux.sh — the dashboard's load prompt in a real terminal (tmux): Tab
# completes a file name (a unique one whole, a folder with its '/'), options after
# the name apply to the load (--label-column last, --metric manhattan,
# --standardize mad) and are shown; without --label-column the class-column note
# appears; a bad option is one status line and leaves the data loaded before.
# Every wait polls the screen for what it expects, on a generous deadline.
# Exit 77 (skipped) without tmux.
set -u

ekm="${EKM:?EKM must name the ekm binary}"
. "$(dirname "$0")/lib_tmux.sh"

mkdir -p "$tmp/work/samples"
awk 'BEGIN { for (i = 0; i < 30; i++) printf "%.3f,%.2f,%d\n", 1.5 + i * 0.013, 13 + (i % 7) * 0.31, 1 + i % 3 }' \
    >"$tmp/work/samples/glassy.csv"
cp "$tmp/work/samples/glassy.csv" "$tmp/work/samples/other.csv"
cat >"$tmp/run.sh" <<EOF
cd '$tmp/work' || exit 9
HOME='$tmp' XDG_STATE_HOME='$tmp/state' '$ekm' tui
echo \$? >'$tmp/exit-status.new'
mv '$tmp/exit-status.new' '$tmp/exit-status'
EOF
T -f /dev/null new-session -d -s ekm -x 120 -y 32 "env LANG=C.UTF-8 TERM=screen sh '$tmp/run.sh'; sleep 600" ||
    fail "tmux new-session failed"
wait_for '^rRun' 20

# l, "sam" + Tab: the folder, with its slash; "g" + Tab: the one file in it
T send-keys -t ekm l
wait_for 'Load CSV file:' 10
T send-keys -t ekm -l -- "sam"
T send-keys -t ekm Tab
wait_for 'Load CSV file: samples/ *$' 10
T send-keys -t ekm -l -- "g"
T send-keys -t ekm Tab
wait_for 'Load CSV file: samples/glassy.csv *$' 10
# options after the name
T send-keys -t ekm -l -- " --label-column last --metric manhattan --standardize mad"
T send-keys -t ekm Enter
wait_for 'loaded glassy: 30 points, 2 dimensions, standardized by mad' 20
wait_for '^Data glassy +N 30 +D 2 +manhattan' 10

# the options of a load stay for the next (as the REPL's load): back to
# --label-column auto, the last column is a coordinate, and the note says so
T send-keys -t ekm l
wait_for 'Load CSV file:' 10
T send-keys -t ekm -l -- "samples/other.csv --label-column auto"
T send-keys -t ekm Enter
wait_for 'the last column of samples/other.csv holds only the whole numbers 1\.\.3' 20
wait_for '^Data other +N 30 +D 3' 10

# a bad option: one status line, the data stays
T send-keys -t ekm l
wait_for 'Load CSV file:' 10
T send-keys -t ekm -l -- "samples/glassy.csv --standardize bogus"
T send-keys -t ekm Enter
wait_for "load: --standardize: 'bogus' is not one of mad, zscore, range, none" 10
pane | grep -qE '^Data other +N 30 +D 3' || fail "the data loaded before was replaced"

T send-keys -t ekm q
for ((i = 0; i < 400; i++)); do
    [ -f "$tmp/exit-status" ] && break
    sleep 0.05
done
[ -f "$tmp/exit-status" ] || fail "the dashboard did not exit after q"
[ "$(cat "$tmp/exit-status")" = "0" ] || fail "the dashboard exited $(cat "$tmp/exit-status")"
echo "ok: the load prompt completes names and takes options"
