#!/usr/bin/env bash
# optima.sh — `ekm solve` reproduces every proven optimum of ../shared/data/optima.json
# (medoids exactly, objective within 1e-9 relative). Skipped when ../shared is absent.
# Under sanitizers (EKM_SANITIZED=1) only the cases with N <= 300 run.
. "$(dirname "$0")/lib.sh"
need_shared
command -v jq >/dev/null || { echo "jq missing (setup.sh installs it)"; exit 1; }
limit=100000
[ "${EKM_SANITIZED:-0}" = 1 ] && limit=300
while IFS=$'\t' read -r file k metric n label missing want_obj want_med; do
  [ "$n" -le "$limit" ] || continue
  strategy=fused; [ "$n" -gt 300 ] && strategy=pruned
  out=$("$EKM" solve "$SHARED/$file" -k "$k" --metric "$metric" --label-column "$label" \
        --missing "$missing" --strategy "$strategy" --threads 2 --json) || { fail "$file k=$k: exit $?"; continue; }
  got=$(jq -r '[.n, (.medoids | tostring), .objective] | @tsv' <<<"$out")
  IFS=$'\t' read -r got_n got_med got_obj <<<"$got"
  close=$(awk -v a="$got_obj" -v b="$want_obj" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; print (d <= 1e-9 * m + 1e-12) ? "yes" : "no" }')
  if [ "$got_med" = "$want_med" ] && [ "$close" = yes ] && [ "$got_n" = "$n" ]; then
    pass
  else
    fail "$file k=$k $metric ($strategy): got n=$got_n $got_med $got_obj, want n=$n $want_med $want_obj"
  fi
done < <(jq -r '.[] | [.file, .k, .metric, .n, .label_column, (.missing // "refuse"), .objective, (.medoids | tostring)] | @tsv' "$SHARED/optima.json")
finish
