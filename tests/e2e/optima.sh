#!/usr/bin/env bash
# optima.sh — `ekm solve` reproduces every proven optimum of ../shared/data/optima.json
# (medoids exactly, objective within 1e-9 relative). Skipped when ../shared is absent.
# Under sanitizers (EKM_SANITIZED=1) only the cases with N <= 300 run.
. "$(dirname "$0")/lib.sh"
need_shared
command -v jq >/dev/null || { echo "jq missing (setup.sh installs it)"; exit 1; }
limit=100000
[ "${EKM_SANITIZED:-0}" = 1 ] && limit=300
count=$(jq length "$SHARED/optima.json")
for ((i = 0; i < count; i++)); do
  row=$(jq -c ".[$i]" "$SHARED/optima.json")
  file=$(jq -r .file <<<"$row"); k=$(jq -r .k <<<"$row"); metric=$(jq -r .metric <<<"$row")
  n=$(jq -r .n <<<"$row"); label=$(jq -r .label_column <<<"$row"); missing=$(jq -r '.missing // "refuse"' <<<"$row")
  want_obj=$(jq -r .objective <<<"$row"); want_med=$(jq -c .medoids <<<"$row")
  [ "$n" -le "$limit" ] || continue
  strategy=fused; [ "$n" -gt 700 ] && strategy=pruned
  out=$("$EKM" solve "$SHARED/$file" -k "$k" --metric "$metric" --label-column "$label" \
        --missing "$missing" --strategy "$strategy" --threads 2 --json) || { fail "$file k=$k: exit $?"; continue; }
  got_med=$(jq -c .medoids <<<"$out"); got_obj=$(jq -r .objective <<<"$out"); got_n=$(jq -r .n <<<"$out")
  ok=$(jq -n --argjson a "$got_obj" --argjson b "$want_obj" '(($a - $b) | fabs) <= 1e-9 * ($b | fabs) + 1e-12')
  if [ "$got_med" = "$want_med" ] && [ "$ok" = true ] && [ "$got_n" = "$n" ]; then
    pass
  else
    fail "$file k=$k $metric: got n=$got_n $got_med $got_obj, want n=$n $want_med $want_obj"
  fi
done
finish
