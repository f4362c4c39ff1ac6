#!/usr/bin/env bash
# checkpoint.sh — `ekm solve --checkpoint` and `ekm resume`: for fused, par2 and
# pruned a run is killed with SIGKILL once its checkpoint holds some finished work,
# then resumed: the same medoids and objective as an uninterrupted run, and
# evaluated + pruned = C(N,K). SIGINT saves a last checkpoint and exits 130 (SIGTERM
# 143); the REPL resumes it. A checkpoint for a changed dataset, a damaged file and
# bad options are refused with one line (exit 2). Sizes shrink under the
# sanitizers (EKM_SANITIZED=1).
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
pids=()
sock=
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  if [ -n "$sock" ]; then
    tmux -L "$sock" kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
san=${EKM_SANITIZED:-0}
# ThreadSanitizer slows the enumeration ~100x, AddressSanitizer far less: sizes per build
tsan=0
[ "$san" = 1 ] && ldd "$EKM" 2>/dev/null | grep -q libtsan && tsan=1

# units done in a checkpoint ("" when it cannot be read yet)
units_done() { "$EKM" resume "$1" --info 2>/dev/null | sed -n 's/^units \([0-9]*\) of \([0-9]*\) done.*/\1 \2/p'; }

# wait (up to 90 s) until checkpoint $1 of process $2 holds finished units
wait_for_units() {
  local i u
  for ((i = 0; i < 900; i++)); do
    u=$(units_done "$1")
    if [ -n "$u" ] && [ "${u%% *}" -gt 0 ]; then echo "$u"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# same medoids and objective as the reference JSON, and every K-subset closed
same_result() { # name json ref
  local m1 m2 o1 o2
  m1=$(jq -c .medoids <<<"$2"); m2=$(jq -c .medoids <<<"$3")
  o1=$(jq .objective <<<"$2"); o2=$(jq .objective <<<"$3")
  [ -n "$m1" ] && [ "$m1" = "$m2" ] && [ "$o1" = "$o2" ] && pass || fail "$1: resumed $m1 $o1, uninterrupted $m2 $o2"
  [ "$(jq '.evaluated + .pruned == .total and .exact' <<<"$2")" = true ] && pass ||
    fail "$1: counts $(jq -c '[.evaluated, .pruned, .total, .exact]' <<<"$2")"
}

# one line on stderr, exit status 2, naming $3
refused() { # what status stderr-file name
  [ "$2" -eq 2 ] && [ "$(wc -l <"$3")" -eq 1 ] && grep -q -- "$4" "$3" && pass ||
    fail "$1: status $2, stderr: $(cat "$3")"
}

# kill -9 mid-way, resume, compare
kill_and_resume() { # name data k strategy ref-json [resume options]
  local name=$1 data=$2 k=$3 strategy=$4 ref=$5; shift 5
  local ck="$tmp/$name.ckpt"
  rm -f "$ck"
  "$EKM" solve "$data" -k "$k" --strategy "$strategy" --threads 2 --checkpoint "$ck" \
    --every 0.2 --json >"$tmp/$name.out" 2>"$tmp/$name.err" &
  local pid=$!
  pids+=("$pid")
  local u
  if ! u=$(wait_for_units "$ck" "$pid"); then
    wait "$pid"
    fail "$name: no checkpoint with finished work before the run ended (status $?): $(cat "$tmp/$name.err")"
    return
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local after
  after=$(units_done "$ck")
  if [ -n "$after" ] && [ "${after%% *}" -lt "${after##* }" ]; then
    pass
  elif [ "${may_retry:-0}" = 1 ]; then
    return 3 # the run won the race against kill -9: the caller tries larger data
  else
    fail "$name: the run ended before kill -9 (units $after): make it larger"
  fi
  local out rc
  out=$("$EKM" resume "$ck" --json "$@" 2>"$tmp/$name.resume.err"); rc=$?
  [ "$rc" -eq 0 ] && pass || fail "$name: resume exit $rc: $(cat "$tmp/$name.resume.err")"
  same_result "$name (killed at units $u)" "$out" "$ref"
}

if [ "$tsan" = 1 ]; then n=220; elif [ "$san" = 1 ]; then n=420; else n=700; fi
"$EKM" gen uniform --n "$n" --d 2 --seed 3 --out "$tmp/u.csv" || { fail gen; finish; exit; }
ref3=$("$EKM" solve "$tmp/u.csv" -k 3 --strategy pruned --threads 2 --json)
kill_and_resume fused "$tmp/u.csv" 3 fused "$ref3"
kill_and_resume par2 "$tmp/u.csv" 3 par2 "$ref3" --threads 1

# pruned needs weak bounds to run for seconds: K=5 on uniform points in 6 dimensions
# (about 3 s here at N=1500, 211 root subtrees). Its largest subtrees come first and
# the rest goes fast, so on a fast machine the run may end between the first
# checkpoint with finished work and the kill: then the same on more points.
if [ "$tsan" = 1 ]; then sizes="600 900 1300"
elif [ "$san" = 1 ]; then sizes="1000 1500 2200"
else sizes="1500 2200 3000"; fi
last=${sizes##* }
for pn in $sizes; do
  "$EKM" gen uniform --n "$pn" --d 6 --seed 5 --out "$tmp/h.csv"
  refp=$("$EKM" solve "$tmp/h.csv" -k 5 --strategy pruned --threads 2 --json)
  rc=0
  may_retry=$([ "$pn" = "$last" ] && echo 0 || echo 1) \
    kill_and_resume pruned "$tmp/h.csv" 5 pruned "$refp" || rc=$?
  [ "$rc" -eq 3 ] || break
  echo "pruned: N=$pn ended before kill -9; trying more points"
done

# SIGINT (once a checkpoint holds some work): a last checkpoint, one line saying
# how to resume, exit 130; the REPL resumes it
# A run that ends before the signal lands (a loaded machine polls slowly) is tried
# again on more points, with the reference of those points.
ck="$tmp/int.ckpt"
sig_data="$tmp/u.csv"
sig_ref=$ref3
for attempt in 1 2 3; do
  rm -f "$ck"
  "$EKM" solve "$sig_data" -k 3 --strategy fused --threads 1 --checkpoint "$ck" --every 0.2 \
    --progress >"$tmp/int.out" 2>"$tmp/int.err" &
  pid=$!
  pids+=("$pid")
  wait_for_units "$ck" "$pid" >/dev/null && kill -INT "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  [ "$rc" -eq 0 ] && [ "$attempt" -lt 3 ] || break
  sig_n=$((attempt == 1 ? 900 : 1600))
  echo "SIGINT: the run ended before the signal; trying N=$sig_n"
  mkdir -p "$tmp/sig$attempt"
  sig_data="$tmp/sig$attempt/u.csv" # named u like the first, for the notes checked below
  "$EKM" gen uniform --n "$sig_n" --d 2 --seed 9 --out "$sig_data" >/dev/null
  sig_ref=$("$EKM" solve "$sig_data" -k 3 --strategy pruned --threads 2 --json)
done
[ "$rc" -eq 130 ] && pass || fail "SIGINT exit $rc: $(cat "$tmp/int.err")"
grep -v '^stage ' "$tmp/int.err" >"$tmp/int.msg"
[ "$(wc -l <"$tmp/int.msg")" -eq 1 ] && grep -q "^ekm: interrupted; [0-9.]* % of the work saved in $ck — resume with: ekm resume $ck\$" "$tmp/int.msg" && pass ||
  fail "SIGINT message: $(cat "$tmp/int.err")"
[ ! -s "$tmp/int.out" ] && pass || fail "SIGINT printed a result"
u=$(units_done "$ck")
[ -n "$u" ] && [ "${u%% *}" -lt "${u##* }" ] && pass || fail "SIGINT checkpoint: units $u"
out=$("$EKM" -c "resume $ck --threads 2; wait; result --json" 2>"$tmp/repl.err"); rc=$?
[ "$rc" -eq 0 ] && pass || fail "REPL resume exit $rc: $(cat "$tmp/repl.err")"
grep -q "^resumed fused on u from $ck" <<<"$out" && pass || fail "REPL resume note: $out"
grep -q "^checkpoint: the whole run saved in $ck" <<<"$out" && pass || fail "REPL final checkpoint: $out"
same_result "REPL resume after SIGINT" "$(sed -n '/^{/,$p' <<<"$out")" "$sig_ref"
u=$(units_done "$ck")
[ -n "$u" ] && [ "${u%% *}" = "${u##* }" ] && pass || fail "complete checkpoint after the REPL: $u"

# SIGTERM, once a checkpoint holds some work (so the run is under way): exit 143
# with a last checkpoint saved. K=4 takes minutes here: it cannot end before the signal.
ck="$tmp/term.ckpt"
"$EKM" solve "$tmp/u.csv" -k 4 --strategy par2 --threads 2 --checkpoint "$ck" --every 0.2 \
  >/dev/null 2>"$tmp/term.err" &
pid=$!
pids+=("$pid")
before=$(wait_for_units "$ck" "$pid")
kill -TERM "$pid"
wait "$pid"; rc=$?
u=$(units_done "$ck")
[ "$rc" -eq 143 ] && [ -n "$before" ] && [ -n "$u" ] && [ "${u%% *}" -ge "${before%% *}" ] &&
  [ "${u%% *}" -lt "${u##* }" ] && grep -q "^ekm: interrupted; [0-9.]* % of the work saved in $ck" "$tmp/term.err" &&
  pass || fail "SIGTERM exit $rc, units $before then $u: $(cat "$tmp/term.err")"

# a finished run leaves a complete checkpoint: resume prints the result at once
"$EKM" gen uniform --n 120 --d 2 --seed 9 --out "$tmp/s.csv"
s1=$("$EKM" solve "$tmp/s.csv" -k 3 --strategy par1 --threads 2 --checkpoint "$tmp/s.ckpt" --json)
s2=$("$EKM" resume "$tmp/s.ckpt" --json) && pass || fail "resume of a finished run"
same_result "finished run" "$s2" "$s1"
text=$("$EKM" resume "$tmp/s.ckpt")
grep -q "proven optimal" <<<"$text" && pass || fail "resume text output: $text"
"$EKM" resume --help | grep -q "usage: ekm resume" && pass || fail "resume --help"
"$EKM" --help | grep -q "^  resume " && pass || fail "--help lists resume"

# refused: a changed dataset, a damaged or foreign file, bad options
cp "$tmp/s.ckpt" "$tmp/s2.ckpt"
"$EKM" gen uniform --n 120 --d 2 --seed 10 --out "$tmp/s.csv"
"$EKM" resume "$tmp/s2.ckpt" 2>"$tmp/e" >/dev/null; refused "changed dataset" $? "$tmp/e" s2.ckpt
rm "$tmp/s.csv"
"$EKM" resume "$tmp/s2.ckpt" 2>"$tmp/e" >/dev/null; refused "dataset gone" $? "$tmp/e" s.csv
head -c 100 "$tmp/s2.ckpt" >"$tmp/cut.ckpt"
"$EKM" resume "$tmp/cut.ckpt" 2>"$tmp/e" >/dev/null; refused "truncated file" $? "$tmp/e" cut.ckpt
cp "$tmp/s2.ckpt" "$tmp/flip.ckpt"
printf '\x5a' | dd of="$tmp/flip.ckpt" bs=1 seek=60 conv=notrunc status=none
"$EKM" resume "$tmp/flip.ckpt" 2>"$tmp/e" >/dev/null; refused "flipped byte" $? "$tmp/e" flip.ckpt
"$EKM" resume "$tmp/u.csv" 2>"$tmp/e" >/dev/null; refused "not a checkpoint" $? "$tmp/e" u.csv
"$EKM" resume "$tmp/none.ckpt" 2>"$tmp/e" >/dev/null; refused "missing file" $? "$tmp/e" none.ckpt
"$EKM" resume "$tmp/s2.ckpt" -k 4 2>"$tmp/e" >/dev/null; refused "resume -k" $? "$tmp/e" "only --threads"
"$EKM" solve "$tmp/u.csv" -k 3 --checkpoint "$tmp/x.ckpt" --every 0 2>"$tmp/e"; refused "--every 0" $? "$tmp/e" "--every"
"$EKM" solve "$tmp/u.csv" -k 3 --checkpoint "$tmp/x.ckpt" --every soon 2>"$tmp/e"; refused "--every soon" $? "$tmp/e" "--every"
"$EKM" solve "$tmp/u.csv" -k 3 --every 5 2>"$tmp/e"; refused "--every alone" $? "$tmp/e" "--checkpoint"
"$EKM" solve "$tmp/u.csv" -k 3 --strategy pam --checkpoint "$tmp/x.ckpt" 2>"$tmp/e"; refused "heuristic" $? "$tmp/e" heuristic
"$EKM" solve "$tmp/u.csv" -k 3 --checkpoint "$tmp/no/dir/x.ckpt" 2>"$tmp/e"; refused "unwritable" $? "$tmp/e" "no/dir"
"$EKM" solve "$tmp/u.csv" -k 3 --checkpoint "$tmp" 2>"$tmp/e"; refused "a folder" $? "$tmp/e" "Is a directory"

# the REPL asks before a run estimated over an hour; a script refuses without --yes
out=$("$EKM" -c "gen uniform --n 1500 --d 2 --seed 1; run -k 5 --strategy seq" 2>&1); rc=$?
[ "$rc" -eq 1 ] && grep -q "hours estimated.*add --yes" <<<"$out" && ! grep -q "^started" <<<"$out" && pass ||
  fail "long run in a script: status $rc: $out"
out=$("$EKM" -c "gen uniform --n 1500 --d 2 --seed 1; run -k 5 --strategy seq --yes; cancel" 2>&1)
grep -q "^started seq" <<<"$out" && grep -q "job cancelled" <<<"$out" && pass || fail "run --yes: $out"
out=$("$EKM" -c "gen uniform --n 60 --d 2 --seed 1; run -k 3 --strategy pam --checkpoint $tmp/p.ckpt" 2>&1); rc=$?
[ "$rc" -eq 2 ] && grep -q "heuristic" <<<"$out" && pass || fail "REPL run --checkpoint pam: $rc $out"

# the REPL's generated data: its checkpoint regenerates it for `ekm resume`
out=$("$EKM" -c "gen uniform --n 120 --d 2 --seed 9; run -k 3 --strategy seq --checkpoint $tmp/g.ckpt --every 0.1; wait" 2>&1)
grep -q "^checkpoint: the whole run saved in $tmp/g.ckpt" <<<"$out" && pass || fail "REPL run --checkpoint: $out"
"$EKM" resume "$tmp/g.ckpt" --info | grep -q "^data: gen uniform --n 120 --d 2 --clusters 3 --seed 9, metric euclidean" &&
  pass || fail "gen note: $("$EKM" resume "$tmp/g.ckpt" --info)"
g=$("$EKM" resume "$tmp/g.ckpt" --json) && pass || fail "resume of a REPL checkpoint"
"$EKM" gen uniform --n 120 --d 2 --seed 9 --out "$tmp/g.csv"
same_result "REPL generated data" "$g" "$("$EKM" solve "$tmp/g.csv" -k 3 --json)"

# on a terminal (tmux): the question before an hour-long run, periodic checkpoints
# from the prompt's loop, Ctrl-C saves, `resume` finishes
if command -v tmux >/dev/null 2>&1; then
  sock="ekm-ckpt-$$"
  T() { tmux -L "$sock" "$@"; }
  pane() { T capture-pane -p -J -t ekm; }
  seen() { # pattern seconds
    local i
    for ((i = 0; i < $2 * 20; i++)); do pane | grep -Eq -- "$1" && return 0; sleep 0.05; done
    return 1
  }
  type_line() { T send-keys -t ekm -l -- "$1" && T send-keys -t ekm Enter; }
  printf "trap '' INT\nXDG_STATE_HOME='%s' '%s'\n" "$tmp/state" "$EKM" >"$tmp/run.sh"
  mkdir -p "$tmp/state"
  T -f /dev/null new-session -d -s ekm -x 160 -y 40 "sh '$tmp/run.sh'"
  seen "'help' lists the commands" 20 && pass || fail "tmux: no prompt"
  type_line "gen uniform --n 1500 --d 2 --seed 1"
  seen "^generated uniform" 20 || fail "tmux: gen"
  type_line "run -k 5 --strategy seq"
  seen "hours estimated .*start it\? \[y/N\] $" 20 && pass || fail "tmux: no question: $(pane | tail -5)"
  type_line "n"
  seen "^not started$" 20 && pass || fail "tmux: answer n: $(pane | tail -5)"
  type_line "run -k 5 --strategy seq"
  seen "start it\? \[y/N\] $" 20 || fail "tmux: second question"
  type_line "y"
  seen "^started seq on uniform" 20 && pass || fail "tmux: answer y: $(pane | tail -5)"
  type_line "cancel"
  seen "^job cancelled" 20 || fail "tmux: cancel"
  type_line "gen uniform --n $n --d 2 --seed 3"
  seen "^generated uniform\(n=$n" 20 || fail "tmux: gen $n"
  type_line "run -k 3 --strategy seq --checkpoint $tmp/t.ckpt --every 0.2"
  seen "^checkpoints go to $tmp/t.ckpt every 0.2 s" 20 && pass || fail "tmux: run --checkpoint: $(pane | tail -5)"
  for ((i = 0; i < 600; i++)); do
    u=$(units_done "$tmp/t.ckpt")
    [ -n "$u" ] && [ "${u%% *}" -gt 0 ] && break
    sleep 0.1
  done
  [ -n "$u" ] && [ "${u%% *}" -gt 0 ] && [ "${u%% *}" -lt "${u##* }" ] && pass ||
    fail "tmux: no periodic checkpoint while the job runs: units $u"
  T send-keys -t ekm C-c
  seen "^checkpoint: [0-9.]+ % of the work saved in $tmp/t.ckpt; 'resume $tmp/t.ckpt' continues" 30 && pass ||
    fail "tmux: Ctrl-C checkpoint: $(pane | tail -5)"
  type_line "resume $tmp/t.ckpt"
  seen "^resumed seq on uniform\(n=$n,d=2,seed=3\) from $tmp/t.ckpt" 20 && pass || fail "tmux: resume: $(pane | tail -5)"
  type_line "wait"
  seen "^checkpoint: the whole run saved in $tmp/t.ckpt" 120 && pass || fail "tmux: resume end: $(pane | tail -5)"
  t=$("$EKM" resume "$tmp/t.ckpt" --json)
  same_result "tmux resume" "$t" "$ref3"
  type_line "quit"
fi
finish
