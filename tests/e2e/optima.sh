#!/usr/bin/env bash
# optima.sh — `ekm solve` reproduces proven optima (medoids exactly, objective within
# 1e-9 relative): those of the shipped data/ files (tests/data/optima.json, always),
# and the ren2022 rows of ../shared/data/optima.json when that folder is there (the
# shipped rows are then checked to be the shared ones). Under sanitizers
# (EKM_SANITIZED=1) only the cases with N <= 300 run.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq missing (setup.sh installs it)"; exit 1; }
limit=100000
[ "${EKM_SANITIZED:-0}" = 1 ] && limit=300
rows='.[] | [.file, .k, .metric, .n, .label_column, (.missing // "refuse"), .objective, (.medoids | tostring)] | @tsv'
check_optima() { # folder the files are relative to, rows (TSV)
  local dir=$1 file k metric n label missing want_obj want_med
  while IFS=$'\t' read -r file k metric n label missing want_obj want_med; do
    [ "$n" -le "$limit" ] || continue
    strategy=fused; [ "$n" -gt 300 ] && strategy=pruned
    out=$("$EKM" solve "$dir/$file" -k "$k" --metric "$metric" --label-column "$label" \
          --missing "$missing" --strategy "$strategy" --threads 2 --json) || { fail "$file k=$k: exit $?"; continue; }
    got=$(jq -r '[.n, (.medoids | tostring), .objective] | @tsv' <<<"$out")
    IFS=$'\t' read -r got_n got_med got_obj <<<"$got"
    close=$(awk -v a="$got_obj" -v b="$want_obj" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; print (d <= 1e-9 * m + 1e-12) ? "yes" : "no" }')
    if [ "$got_med" = "$want_med" ] && [ "$close" = yes ] && [ "$got_n" = "$n" ]; then
      pass
    else
      fail "$file k=$k $metric ($strategy): got n=$got_n $got_med $got_obj, want n=$n $want_med $want_obj"
    fi
  done <<<"$2"
}
shipped=$(jq -r "$rows" "$DATA/optima.json")
[ "$(grep -c . <<<"$shipped")" -eq 23 ] && pass || fail "tests/data/optima.json: $(grep -c . <<<"$shipped") rows, expected 23"
check_optima "$SRC" "$shipped"
if have_shared "the optima of the ren2022 files"; then
  # the shipped rows are the shared file's rows for r/ (the same files as data/)
  same=$(jq -r '[.[] | select(.file | startswith("r/")) | .file |= "data/" + ltrimstr("r/")]' "$SHARED/optima.json" |
         jq -r "$rows")
  [ "$same" = "$shipped" ] && pass || fail "tests/data/optima.json differs from the r/ rows of $SHARED/optima.json"
  for f in "$SRC"/data/*.csv; do
    cmp -s "$f" "$SHARED/r/$(basename "$f")" && pass || fail "data/$(basename "$f") differs from $SHARED/r/"
  done
  check_optima "$SHARED" "$(jq -r '[.[] | select(.file | startswith("r/") | not)]' "$SHARED/optima.json" | jq -r "$rows")"
fi
finish
