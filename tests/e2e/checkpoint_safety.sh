#!/usr/bin/env bash
# checkpoint_safety.sh — what `--checkpoint F` and `ekm resume` never do: overwrite
# a file that is not an ekm checkpoint (the input CSV itself, any other file; the
# content is compared by checksum afterwards), start over in a checkpoint of the
# same run or of another one without --force (and with --force they do), hang on
# a FIFO named as the data or as the checkpoint, start a run whose checkpoint can
# never be saved (a folder that takes no new file), or leave the temporary files
# of killed saves behind (removed on the next save or resume, only those of dead
# writers and of exactly that checkpoint). Every refusal is one line, exit 2,
# before any work. The REPL's run --checkpoint refuses the same way.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
cleanup() { chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
chmod 755 "$tmp"

sum() { md5sum <"$1" | cut -d' ' -f1; }

# one line on stderr, exit status 2, naming $4, nothing on stdout
refused() { # what status stderr-file pattern [stdout-file]
  if [ "$2" -eq 2 ] && [ "$(wc -l <"$3")" -eq 1 ] && grep -q -- "$4" "$3" &&
     { [ -z "${5:-}" ] || [ ! -s "$5" ]; }; then
    pass
  else
    fail "$1: status $2, stderr: $(cat "$3")${5:+, stdout: $(head -c 300 "$5")}"
  fi
}

"$EKM" gen uniform --n 60 --d 2 --seed 3 --out "$tmp/d.csv" >/dev/null || fail "gen"
data=$tmp/d.csv

# ---- the input CSV and other files are never overwritten, --force or not ----------
before=$(sum "$data")
for force in "" --force; do
  "$EKM" solve "$data" -k 3 --checkpoint "$data" $force >"$tmp/o" 2>"$tmp/e"; rc=$?
  refused "checkpoint = input CSV $force" "$rc" "$tmp/e" "not an ekm checkpoint; not overwriting" "$tmp/o"
  [ "$(sum "$data")" = "$before" ] && pass || fail "the input CSV changed ($force)"
done
printf 'my notes\n' >"$tmp/notes.txt"
notes=$(sum "$tmp/notes.txt")
"$EKM" solve "$data" -k 3 --checkpoint "$tmp/notes.txt" --force >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "checkpoint = another file" "$rc" "$tmp/e" "not an ekm checkpoint" "$tmp/o"
[ "$(sum "$tmp/notes.txt")" = "$notes" ] && pass || fail "notes.txt changed"
: >"$tmp/empty"
"$EKM" solve "$data" -k 3 --checkpoint "$tmp/empty" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "checkpoint = an empty file" "$rc" "$tmp/e" "not an ekm checkpoint" "$tmp/o"
[ ! -s "$tmp/empty" ] && pass || fail "the empty file was written"
# the REPL's run --checkpoint
"$EKM" -c "load $data; run -k 3 --checkpoint $data" >"$tmp/o" 2>"$tmp/e"; rc=$?
[ "$rc" -ne 0 ] && grep -q "not an ekm checkpoint" "$tmp/e" && pass ||
  fail "REPL run --checkpoint on the CSV: status $rc, stderr: $(cat "$tmp/e")"
[ "$(sum "$data")" = "$before" ] && pass || fail "the input CSV changed (REPL)"

# ---- a checkpoint of the same run: resume says how; --force starts over --------------
ck=$tmp/run.ckpt
"$EKM" solve "$data" -k 3 --strategy fused --threads 2 --checkpoint "$ck" >/dev/null 2>"$tmp/e" ||
  fail "first run: $(cat "$tmp/e")"
first=$(sum "$ck")
"$EKM" solve "$data" -k 3 --strategy fused --threads 2 --checkpoint "$ck" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "same run again" "$rc" "$tmp/e" "a checkpoint of this same run exists (100.0 % done): 'ekm resume $ck' continues it; --force starts over" "$tmp/o"
[ "$(sum "$ck")" = "$first" ] && pass || fail "the checkpoint changed without --force"
# another run (K=2) into it: refused, then --force
"$EKM" solve "$data" -k 2 --strategy fused --threads 2 --checkpoint "$ck" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "another run" "$rc" "$tmp/e" "a checkpoint of another run exists (.*K=3.*K=2" "$tmp/o"
[ "$(sum "$ck")" = "$first" ] && pass || fail "the checkpoint changed (another run, no --force)"
out=$("$EKM" solve "$data" -k 2 --strategy fused --threads 2 --checkpoint "$ck" --force --json 2>"$tmp/e"); rc=$?
[ "$rc" -eq 0 ] && [ "$(jq .k <<<"$out")" = 2 ] && pass || fail "--force: status $rc: $(cat "$tmp/e")"
"$EKM" resume "$ck" --info 2>&1 | grep -q "K=2" && pass || fail "--force did not start over: $("$EKM" resume "$ck" --info 2>&1)"
# same run with --force starts over too
"$EKM" solve "$data" -k 2 --strategy fused --threads 2 --checkpoint "$ck" --force >/dev/null 2>"$tmp/e" && pass ||
  fail "same run --force: $(cat "$tmp/e")"
# resume into its own file is the point; into another existing checkpoint is refused
cp "$ck" "$tmp/copy.ckpt"
"$EKM" resume "$ck" --json >"$tmp/o" 2>"$tmp/e" && [ "$(jq .k "$tmp/o")" = 2 ] && pass ||
  fail "resume into itself: $(cat "$tmp/e")"
"$EKM" resume "$ck" --checkpoint "$data" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "resume --checkpoint CSV" "$rc" "$tmp/e" "not an ekm checkpoint" "$tmp/o"
[ "$(sum "$data")" = "$before" ] && pass || fail "the input CSV changed (resume)"
"$EKM" resume "$ck" --checkpoint "$tmp/copy.ckpt" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "resume into another checkpoint of the run" "$rc" "$tmp/e" "this same run exists" "$tmp/o"

# ---- FIFOs: named as the data or as the checkpoint, nothing hangs ----------------------
mkdir "$tmp/fifo"
cp "$data" "$tmp/fifo/d.csv"
"$EKM" solve "$tmp/fifo/d.csv" -k 2 --checkpoint "$tmp/fifo/c.ckpt" >/dev/null 2>"$tmp/e" ||
  fail "fifo setup: $(cat "$tmp/e")"
rm "$tmp/fifo/d.csv"
mkfifo "$tmp/fifo/d.csv"
timeout 60 "$EKM" resume "$tmp/fifo/c.ckpt" >"$tmp/o" 2>"$tmp/e"; rc=$?
[ "$rc" -ne 124 ] || fail "resume hung on a FIFO named as its data"
refused "data is a FIFO" "$rc" "$tmp/e" "d.csv: not a regular file (a FIFO): not read" "$tmp/o"
mkfifo "$tmp/fifo/ck"
timeout 60 "$EKM" resume "$tmp/fifo/ck" >"$tmp/o" 2>"$tmp/e"; rc=$?
[ "$rc" -ne 124 ] || fail "resume hung on a FIFO named as the checkpoint"
refused "checkpoint is a FIFO" "$rc" "$tmp/e" "not a regular file" "$tmp/o"
timeout 60 "$EKM" solve "$data" -k 2 --checkpoint "$tmp/fifo/ck" >"$tmp/o" 2>"$tmp/e"; rc=$?
[ "$rc" -ne 124 ] || fail "solve hung on a FIFO named as the checkpoint"
refused "--checkpoint FIFO" "$rc" "$tmp/e" "not a regular file; not overwriting" "$tmp/o"

# ---- a folder that takes no new file: refused before the run ------------------------
mkdir "$tmp/ro"
cp "$data" "$tmp/ro/d.csv"
chmod 555 "$tmp/ro"
chmod 644 "$tmp/ro/d.csv"
as_user=()
if [ "$(id -u)" = 0 ]; then # root writes anywhere: run it as nobody
  if command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    as_user=(skip)
  fi
fi
if [ "${as_user[0]:-}" = skip ]; then
  echo "skipped: a read-only folder (root without setpriv)"
elif ! "${as_user[@]}" "$EKM" --version >/dev/null 2>&1; then
  echo "skipped: a read-only folder (nobody cannot run $EKM)"
else
  "${as_user[@]}" "$EKM" solve "$tmp/ro/d.csv" -k 3 --checkpoint "$tmp/ro/c.ckpt" >"$tmp/o" 2>"$tmp/e"; rc=$?
  refused "read-only folder" "$rc" "$tmp/e" "cannot save a checkpoint there: the folder .*ro does not take new files" "$tmp/o"
  [ -z "$(ls "$tmp/ro" | grep -v '^d.csv$')" ] && pass || fail "files left in the read-only folder: $(ls "$tmp/ro")"
fi
# a folder that does not exist
"$EKM" solve "$data" -k 3 --checkpoint "$tmp/nowhere/c.ckpt" >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "missing folder" "$rc" "$tmp/e" "does not exist" "$tmp/o"
# the kernel's folders take no file, even from root
"$EKM" solve "$data" -k 3 --checkpoint /proc/self/c.ckpt >"$tmp/o" 2>"$tmp/e"; rc=$?
refused "/proc" "$rc" "$tmp/e" "does not take new files" "$tmp/o"

# ---- temporary files of killed saves ---------------------------------------------------
mkdir "$tmp/stale"
sck=$tmp/stale/c.ckpt
cp "$ck" "$sck"
sh -c 'exit 0' &
dead=$!
wait "$dead"
while kill -0 "$dead" 2>/dev/null; do # only if the pid was reused already
  sh -c 'exit 0' & dead=$!; wait "$dead"
done
live=$$
touch "$sck.tmp.$dead.AbC123" "$sck.tmp.$dead.zzzzzz" \
      "$sck.tmp.$live.AbC123" \
      "$sck.tmp.XyZ789" "$sck.tmp.$dead.short" "$sck.tmp.$dead.AbC1234" \
      "$tmp/stale/other.ckpt.tmp.$dead.AbC123"
mkdir "$sck.tmp.$dead.dir123"
"$EKM" resume "$sck" --json >"$tmp/o" 2>"$tmp/e" || fail "resume with stale files: $(cat "$tmp/e")"
left=$(cd "$tmp/stale" && ls | sort | tr '\n' ' ')
want=$(printf '%s\n' c.ckpt "c.ckpt.tmp.$dead.AbC1234" "c.ckpt.tmp.$dead.dir123" \
         "c.ckpt.tmp.$dead.short" "c.ckpt.tmp.$live.AbC123" c.ckpt.tmp.XyZ789 \
         "other.ckpt.tmp.$dead.AbC123" | sort | tr '\n' ' ')
[ "$left" = "$want" ] && pass || fail "after resume: left [$left], want [$want]"
# on the next save of a new run
rm -f "$sck"
touch "$sck.tmp.$dead.QwErTy"
"$EKM" solve "$data" -k 2 --checkpoint "$sck" >/dev/null 2>"$tmp/e" || fail "solve: $(cat "$tmp/e")"
[ ! -e "$sck.tmp.$dead.QwErTy" ] && [ -e "$sck.tmp.$live.AbC123" ] && [ -s "$sck" ] && pass ||
  fail "after a save: $(ls "$tmp/stale" | tr '\n' ' ')"
finish
