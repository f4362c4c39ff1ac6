#!/usr/bin/env bash
# repl_script.sh — the REPL without a terminal: `ekm -c "..."` and `ekm < script`
# on data/iris.csv give the same objective and medoids as `ekm solve --json`; saved
# labels and JSON are right; a bad command gets one line and the script goes on;
# the exit status is 0, 1 (a command failed) or 2 (a bad command or argument).
# `bench` in a script runs to its end before the next command, its cells in
# `history`; Ctrl-C stops it, keeping the runs finished, and the script goes on.
# A script ending with a running job exits 1. pruned runs (and resumes) without
# --yes; K=64 of 70 lattice points is refused without it. A result belongs to its
# data; a cancelled run keeps its best set, said not proven optimal (also in the
# JSON of an interrupted `ekm solve`).
set -u

ekm="${EKM:?EKM must name the ekm binary}"
src="${EKM_SOURCE_DIR:-$(dirname "$0")/../..}"
iris="$src/data/iris.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# "objective":98.13,... -> 98.13 ; "medoids":[7,78,112] -> 7,78,112
json_field() { grep -o "\"$1\":[^,]*" | head -1 | cut -d: -f2; }
json_medoids() { grep -o '"medoids":\[[0-9,]*\]' | head -1 | sed 's/.*\[\(.*\)\]/\1/'; }

# ---- the reference: the batch solver ----
"$ekm" solve "$iris" -k 3 --json >"$tmp/solve.json" || fail "ekm solve failed"
ref_obj=$(json_field objective <"$tmp/solve.json")
ref_med=$(json_medoids <"$tmp/solve.json")
[ -n "$ref_obj" ] && [ -n "$ref_med" ] || fail "no objective/medoids in ekm solve --json"

# ---- ekm -c ----
"$ekm" -c "load $iris; set k 3; set strategy par2; set threads 2; run; wait; result --json" \
    >"$tmp/c.out" 2>"$tmp/c.err"
rc=$?
[ $rc -eq 0 ] || fail "ekm -c exited $rc: $(cat "$tmp/c.err")"
[ -s "$tmp/c.err" ] && fail "ekm -c wrote to stderr: $(cat "$tmp/c.err")"
grep -q '^started par2 on iris: N=150 K=3, 2 threads, 551,300 K-subsets' "$tmp/c.out" ||
    fail "no 'started' line: $(cat "$tmp/c.out")"
grep -q '^job done: par2 on iris' "$tmp/c.out" || fail "no 'job done' line"
c_json=$(grep '^{' "$tmp/c.out")
[ "$(echo "$c_json" | json_field objective)" = "$ref_obj" ] ||
    fail "ekm -c objective $(echo "$c_json" | json_field objective) != solve's $ref_obj"
[ "$(echo "$c_json" | json_medoids)" = "$ref_med" ] ||
    fail "ekm -c medoids $(echo "$c_json" | json_medoids) != solve's $ref_med"
# no escape sequences without a terminal
grep -q $'\033' "$tmp/c.out" && fail "colour codes in ekm -c output"

# ---- ekm < script: comments, several commands on a line, saves ----
cat >"$tmp/tour.ekm" <<EOF
# the README tour as a script
load $iris      # 150 flowers
set k 3; set strategy par2
set threads 2
run
wait
result
save labels $tmp/labels.csv
save result $tmp/result.json
history
EOF
"$ekm" <"$tmp/tour.ekm" >"$tmp/s.out" 2>"$tmp/s.err"
rc=$?
[ $rc -eq 0 ] || fail "ekm < script exited $rc: $(cat "$tmp/s.err")"
grep -q "^objective $(printf '%.10g' "$ref_obj") (proven optimal)" "$tmp/s.out" ||
    fail "result text lacks the objective: $(cat "$tmp/s.out")"
[ "$(json_field objective <"$tmp/result.json")" = "$ref_obj" ] || fail "saved JSON objective"
[ "$(json_medoids <"$tmp/result.json")" = "$ref_med" ] || fail "saved JSON medoids"
[ "$(wc -l <"$tmp/labels.csv")" -eq 151 ] || fail "labels: $(wc -l <"$tmp/labels.csv") lines"
[ "$(head -1 "$tmp/labels.csv")" = "index,cluster,medoid,label,silhouette" ] || fail "labels header"
# every point's medoid is one of the medoids, and each medoid is in its own cluster
medoids_in_labels=$(tail -n +2 "$tmp/labels.csv" | cut -d, -f3 | sort -un | paste -sd, -)
[ "$medoids_in_labels" = "$(echo "$ref_med" | tr , '\n' | sort -n | paste -sd, -)" ] ||
    fail "labels name medoids $medoids_in_labels, not $ref_med"
for m in $(echo "$ref_med" | tr , ' '); do
    line=$(sed -n "$((m + 2))p" "$tmp/labels.csv")
    [ "$(echo "$line" | cut -d, -f3)" = "$m" ] || fail "medoid $m is not in its own cluster"
done
grep -q '^  1 par2 ' "$tmp/s.out" || fail "history lacks the run"

# ---- errors: one line each, the script goes on, exit status ----
printf 'lod %s\nload %s\nset k 3; set stratgy par2\nrun; wait\nresult\n' "$iris" "$iris" \
    >"$tmp/bad.ekm"
"$ekm" <"$tmp/bad.ekm" >"$tmp/b.out" 2>"$tmp/b.err"
rc=$?
[ $rc -eq 2 ] || fail "a script with a bad command exited $rc, not 2"
[ "$(wc -l <"$tmp/b.err")" -eq 2 ] || fail "expected 2 error lines: $(cat "$tmp/b.err")"
grep -qx "ekm: line 1: unknown command 'lod' (did you mean 'load'?)" "$tmp/b.err" ||
    fail "misspelt command: $(cat "$tmp/b.err")"
grep -qx "ekm: line 3: set: unknown setting 'stratgy' (did you mean 'strategy'?)" "$tmp/b.err" ||
    fail "misspelt setting: $(cat "$tmp/b.err")"
grep -q "^objective $(printf '%.10g' "$ref_obj")" "$tmp/b.out" || fail "the script did not go on"

"$ekm" -c "result" >/dev/null 2>"$tmp/e.err"
rc=$?
[ $rc -eq 1 ] || fail "'result' without a run exited $rc, not 1"
grep -qx "ekm: no result yet: 'run' computes one" "$tmp/e.err" || fail "$(cat "$tmp/e.err")"
"$ekm" -c "load /nonexistent/ekm.csv" >/dev/null 2>"$tmp/e.err"
rc=$?
[ $rc -eq 2 ] || fail "loading a missing file exited $rc, not 2"
grep -q "/nonexistent/ekm.csv" "$tmp/e.err" || fail "the error does not name the file"
"$ekm" -c "set k 0" >/dev/null 2>&1
[ $? -eq 2 ] || fail "set k 0 did not exit 2"
"$ekm" -c 'load "unterminated' >/dev/null 2>"$tmp/e.err"
[ $? -eq 2 ] || fail "an unterminated quote did not exit 2"
grep -q 'unterminated " quote' "$tmp/e.err" || fail "$(cat "$tmp/e.err")"
"$ekm" -c >/dev/null 2>&1
[ $? -eq 2 ] || fail "ekm -c without commands did not exit 2"
"$ekm" -c "help; help load" >"$tmp/h.out" 2>&1 || fail "help failed"
grep -q '^usage: load FILE \[options\]' "$tmp/h.out" || fail "help load: $(cat "$tmp/h.out")"
"$ekm" -c "set k 2; quit; set k 0" >/dev/null 2>&1 || fail "commands after quit ran"

# ---- a long job cancelled from the script: wait fails, status 1 ----
"$ekm" -c "gen uniform --n 1500 --d 2 --seed 3; set k 3; set strategy par2; set threads 2; run;
           status; cancel; wait" >"$tmp/x.out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "a cancelled job: exit $rc, not 1"
grep -q '^job cancelled: par2 on uniform(n=1500,d=2,seed=3)' "$tmp/x.out" ||
    fail "no 'job cancelled' line: $(cat "$tmp/x.out")"
grep -q 'M6 \[0,750)+\[750,1500)' "$tmp/x.out" || fail "status did not show the merge stages"

# ---- a job still running when the script ends is cancelled: prompt exit, status 1 ----
start=$(date +%s)
"$ekm" -c "gen uniform --n 1500 --d 2 --seed 3; set k 3; run" >"$tmp/y.out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "a script ending with a running job exited $rc, not 1"
[ $(($(date +%s) - start)) -le 10 ] || fail "the running job was not cancelled at the end"
grep -q 'a job was still running: it was cancelled' "$tmp/y.out" || fail "no note that the job was cancelled"

# ---- bench in a script: it runs to its end before the next command ----
# per N: seq once, par1 on 1 and 2 threads = 3 cells; 2 N: 6 cells, 12 timed runs
grid="-k 2 --n 20,30 --strategies seq,par1 --threads 1,2 --repeat 2 --warmup 0"
"$ekm" -c "bench $grid --csv $tmp/bench.csv --quiet; history" >"$tmp/bench.out" 2>"$tmp/bench.err"
rc=$?
[ $rc -eq 0 ] || fail "bench in a script exited $rc: $(cat "$tmp/bench.err")"
[ -s "$tmp/bench.err" ] && fail "bench --quiet in a script wrote to stderr: $(cat "$tmp/bench.err")"
[ -f "$tmp/bench.csv" ] && [ "$(wc -l <"$tmp/bench.csv")" -eq 13 ] ||
    fail "bench --csv: not a header and 12 rows"
report=$(grep -n '^ekm bench: uniform d=2 seed=0, K=2' "$tmp/bench.out" | head -1 | cut -d: -f1)
ended=$(grep -n '^bench done: 6 cells of uniform d=2 seed=0 in ' "$tmp/bench.out" | cut -d: -f1)
listed=$(grep -n '^  # strategy ' "$tmp/bench.out" | cut -d: -f1)
if [ -n "$report" ] && [ -n "$ended" ] && [ -n "$listed" ]; then
    [ "$report" -lt "$ended" ] && [ "$ended" -lt "$listed" ] ||
        fail "bench's report, its end and 'history' are out of order: $(cat "$tmp/bench.out")"
else
    fail "bench in a script: no report, end line or history: $(cat "$tmp/bench.out")"
fi
grep -q '^data uniform d=2 seed=0 (euclidean)$' "$tmp/bench.out" ||
    fail "history does not name the data: $(cat "$tmp/bench.out")"
[ "$(grep -cE '^ +[1-6] (seq|par1) +(20|30) +2 +[12] ' "$tmp/bench.out")" -eq 6 ] ||
    fail "history does not list the 6 cells: $(cat "$tmp/bench.out")"
"$ekm" -c "bench -k 2 --n 20 --strategis seq; history" >"$tmp/bench.out" 2>"$tmp/bench.err"
rc=$?
[ $rc -eq 2 ] || fail "bench with a misspelt option exited $rc, not 2"
[ "$(wc -l <"$tmp/bench.err")" -eq 1 ] && grep -q "did you mean --strategies" "$tmp/bench.err" ||
    fail "bench with a misspelt option: $(cat "$tmp/bench.err")"

# ---- Ctrl-C stops a script's bench: the runs finished are kept, the script goes on ----
grid="-k 3 --n 200,300,400,500 --strategies seq,par1 --threads 1,2 --repeat 2 --warmup 0"
"$ekm" -c "bench $grid --csv $tmp/int.csv --quiet; history" >"$tmp/int.out" 2>"$tmp/int.err" &
pid=$!
for _ in $(seq 1 2400); do # up to 120 s (the sanitizer builds on a busy machine)
    [ -f "$tmp/int.csv" ] && [ "$(wc -l <"$tmp/int.csv")" -ge 5 ] && break
    sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ $rc -eq 1 ] || fail "a bench stopped by Ctrl-C: exit $rc, not 1"
kept=$(($(wc -l <"$tmp/int.csv") - 1))
grep -q "^bench stopped: $kept timed runs of uniform d=2 seed=0 kept" "$tmp/int.out" ||
    fail "no 'bench stopped' line for the $kept rows of the CSV: $(cat "$tmp/int.out")"
grep -q '^ekm bench: uniform d=2 seed=0, K=3' "$tmp/int.out" || fail "no report of the runs kept"
cells=$(grep -cE '^ +[0-9]+ (seq|par1) +(200|300|400|500) +3 ' "$tmp/int.out")
[ "$cells" -ge 2 ] && [ "$cells" -lt 12 ] || fail "history after Ctrl-C lists $cells cells"

# ---- pruned has no run-time estimate: it runs from a script without --yes ----
"$ekm" -c "load $iris; run -k 3 --strategy pruned; wait; result" >"$tmp/p.out" 2>"$tmp/p.err"
rc=$?
[ $rc -eq 0 ] || fail "pruned from a script exited $rc: $(cat "$tmp/p.err")"
[ -s "$tmp/p.err" ] && fail "pruned from a script wrote to stderr: $(cat "$tmp/p.err")"
grep -q "^objective $(printf '%.10g' "$ref_obj") (proven optimal)" "$tmp/p.out" ||
    fail "pruned from a script: $(cat "$tmp/p.out")"
# ... and a script resumes a pruned checkpoint
"$ekm" solve "$iris" -k 5 --strategy pruned --checkpoint "$tmp/p.ekmc" >/dev/null 2>&1 ||
    fail "pruned with --checkpoint failed"
"$ekm" -c "resume $tmp/p.ekmc; wait; result" >"$tmp/p.out" 2>"$tmp/p.err"
rc=$?
[ $rc -eq 0 ] || fail "resume of a pruned checkpoint from a script exited $rc: $(cat "$tmp/p.err")"
grep -q '(proven optimal)' "$tmp/p.out" || fail "resume of pruned: $(cat "$tmp/p.out")"

# ---- K's cost counts: K=64 of 70 lattice points (many equal objectives, every
# set re-checked: over an hour) is refused without --yes; pruned starts at once ----
{
    echo "x,y"
    for i in $(seq 0 69); do echo "$((i % 7)),$((i / 7))"; done
} >"$tmp/lattice.csv"
"$ekm" -c "load $tmp/lattice.csv; run -k 64" >"$tmp/l.out" 2>"$tmp/l.err"
rc=$?
[ $rc -eq 1 ] || fail "K=64 of 70 points without --yes exited $rc, not 1"
grep -q "^ekm: run: about .* estimated (1.31e+08 K-subsets x 70 points, .*add --yes" \
    "$tmp/l.err" || fail "K=64 of 70 points was not refused: $(cat "$tmp/l.err")"
grep -q '^started' "$tmp/l.out" && fail "K=64 of 70 points started without --yes"
"$ekm" -c "load $tmp/lattice.csv; run -k 64 --strategy pruned; cancel" >"$tmp/l.out" 2>"$tmp/l.err"
rc=$?
[ $rc -eq 0 ] || fail "pruned K=64 of 70 points exited $rc: $(cat "$tmp/l.err")"
grep -q '^started pruned on lattice: N=70 K=64' "$tmp/l.out" ||
    fail "pruned K=64 did not start: $(cat "$tmp/l.out") $(cat "$tmp/l.err")"
grep -q 'estimated' "$tmp/l.out" "$tmp/l.err" && fail "pruned was given an estimate"
"$ekm" solve "$tmp/lattice.csv" -k 64 --strategy fused --threads 1 --json >/dev/null 2>"$tmp/w.err" &
pid=$!
for _ in $(seq 1 600); do [ -s "$tmp/w.err" ] && break; sleep 0.05; done
kill -INT "$pid" 2>/dev/null
# the warning says Ctrl-C cancels: the run must end (a lost signal would run for hours)
for _ in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null
    fail "ekm solve ignored the SIGINT sent after its long-run warning"
fi
wait "$pid"
grep -q '^ekm: warning: about .* estimated (1.31e+08 K-subsets x 70 points' "$tmp/w.err" ||
    fail "ekm solve K=64 of 70 points did not warn: $(cat "$tmp/w.err")"

# ---- a result belongs to its data; a cancelled run keeps its best set, not proven ----
"$ekm" gen uniform --n 400 --d 2 --seed 4 --out "$tmp/u400.csv" || fail "gen"
mkfifo "$tmp/in"
"$ekm" <"$tmp/in" >"$tmp/r.out" 2>"$tmp/r.err" &
pid=$!
exec 3>"$tmp/in"
echo "load $iris; run -k 5 --strategy pruned; wait; load $tmp/u400.csv" >&3
echo "result; save labels $tmp/stale.csv; run -k 4 --strategy seq" >&3
seen=0
for _ in $(seq 1 3000); do # until the run has a best set (deadline ~5 minutes)
    echo status >&3
    sleep 0.1
    if grep -A3 '^running: seq' "$tmp/r.out" | grep -q '^  best [0-9]'; then seen=1; break; fi
done
[ $seen -eq 1 ] || fail "the seq run on 400 points showed no best set"
echo "cancel; result; save labels $tmp/best.csv; result --json; history" >&3
exec 3>&-
wait "$pid"
rc=$?
[ $rc -eq 1 ] || fail "the script with a stale result exited $rc, not 1 ('result' failed)"
[ -e "$tmp/stale.csv" ] && fail "save labels wrote iris's result for u400"
[ "$(grep -c 'no result for the current data (u400 K=5): the last one is of iris K=5' \
    "$tmp/r.err")" -eq 2 ] || fail "result/save after load: $(cat "$tmp/r.err")"
grep -q '^job cancelled: seq on u400 after .*; best found so far .*, not proven optimal' \
    "$tmp/r.out" || fail "no best found in the cancel line: $(cat "$tmp/r.out")"
grep -q '^objective .* (best found before the cancel, not proven optimal)$' "$tmp/r.out" ||
    fail "result after cancel: $(cat "$tmp/r.out")"
grep '(proven optimal)' "$tmp/r.out" | grep -qv '^job done: pruned on iris' &&
    fail "a cancelled run called proven optimal: $(cat "$tmp/r.out")"
grep -q '^warning: not proven optimal: the best set found before the cancel' "$tmp/r.out" ||
    fail "save labels of a cancelled run: no warning"
[ "$(wc -l <"$tmp/best.csv")" -eq 401 ] || fail "labels after cancel: not u400's 400 points"
grep -q '"exact":false,"cancelled":true,"done":[1-9]' "$tmp/r.out" ||
    fail "result --json after cancel: $(grep '^{' "$tmp/r.out")"

# ---- ekm solve --json on SIGINT: the best set so far, "exact": false, how far ----
"$ekm" solve "$tmp/u400.csv" -k 4 --strategy split --progress --json >"$tmp/j.out" \
    2>"$tmp/j.err" &
pid=$!
for _ in $(seq 1 6000); do # until its first leaf is done (deadline ~5 minutes)
    grep -q '^stage L0 ' "$tmp/j.err" && break
    sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ $rc -eq 1 ] || fail "ekm solve interrupted exited $rc, not 1"
grep -q '^{.*"exact":false,"cancelled":true,"done":[1-9][0-9]*,"fraction_done":[0-9][0-9.e+-]*,' \
    "$tmp/j.out" || fail "interrupted solve --json: $(cat "$tmp/j.out")"
grep -q '"medoids":\[[0-9]*,[0-9]*,[0-9]*,[0-9]*\]' "$tmp/j.out" || fail "no medoids in it"

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "ok: ekm -c and ekm < script agree with ekm solve"
