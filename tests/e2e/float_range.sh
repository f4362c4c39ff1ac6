#!/usr/bin/env bash
# float_range.sh — "proven optimal" at the ends of the float range, through the
# CLI and ekm-mpi: sums of dissimilarities near 1e38 that overflow float, squared
# distances near 1e-44 below float's normal range, and a precomputed matrix
# beyond float's range. Every exact strategy on 1-3 threads (and ekm-mpi on 2
# ranks, when built) must give the optimum an exhaustive awk search finds
# independently (in double, over every medoid set), and the tie rule's medoids.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq missing (setup.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the reported reproducer: 64 points, 8e37 on every 8th row, 4e37 on row 1
for i in $(seq 0 63); do
  if [ $((i % 8)) -eq 0 ]; then echo "8e37,0"; elif [ "$i" -eq 1 ]; then echo "4e37,0";
  else echo "0,$((i % 5))"; fi
done > "$tmp/over.csv"
# 40 points near 3e-22 (squared distances near 1e-44)
awk 'BEGIN { srand(11); for (i = 0; i < 40; i++) printf "%.17g,%.17g\n", 3e-22 * (1 + rand()), 3e-22 * (1 + rand()) }' > "$tmp/small.csv"
# a 12x12 matrix with entries up to 3e38 and down to 1e-30
awk 'BEGIN { srand(5); n = 12;
  for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) { v = (rand() < 0.5) ? 3e38 * rand() : 1e-30 * rand(); m[i, j] = m[j, i] = v }
  for (i = 0; i < n; i++) { line = ""; for (j = 0; j < n; j++) line = line (j ? "," : "") (i == j ? 0 : sprintf("%.17g", m[i, j])); print line } }' > "$tmp/matrix.csv"

# Independent optimum: every K-subset in awk (double), ties within 1e-10 relative
# to the lexicographically smallest. Input: coordinates (metric) or a matrix.
brute() { # file k metric(euclidean|sqeuclidean|matrix)
  awk -F, -v K="$2" -v M="$3" '
    { for (j = 1; j <= NF; j++) x[NR - 1, j] = $j + 0; d = NF; n = NR }
    function dist(a, b,   s, t, j) {
      if (M == "matrix") return x[a, b + 1]
      s = 0; for (j = 1; j <= d; j++) { t = x[a, j] - x[b, j]; s += t * t }
      return M == "euclidean" ? sqrt(s) : s }
    function obj(   p, c, best, v, tot) {
      tot = 0
      for (p = 0; p < n; p++) { best = -1
        for (c = 0; c < K; c++) { v = D[p, s[c]]; if (best < 0 || v < best) best = v }
        tot += best }
      return tot }
    END {
      for (a = 0; a < n; a++) for (b = 0; b < n; b++) D[a, b] = dist(a, b)
      for (c = 0; c < K; c++) s[c] = c
      bestv = -1
      while (1) {
        v = obj()
        if (bestv < 0 || v < bestv * (1 - 1e-10)) { bestv = v; key = "" ; for (c = 0; c < K; c++) key = key (c ? "," : "") s[c] }
        else if (v <= bestv * (1 + 1e-10) && v < bestv) bestv = v
        i = K - 1; while (i >= 0 && s[i] == n - K + i) i--
        if (i < 0) break
        s[i]++; for (c = i + 1; c < K; c++) s[c] = s[c - 1] + 1
      }
      printf "%s %.17g\n", key, bestv }' "$1"
}

check() { # name file k metric-option brute-metric
  local name=$1 file=$2 k=$3 mopt=$4 bm=$5 want wmed wobj got
  want=$(brute "${file:-$tmp/matrix.csv}" "$k" "$bm"); wmed=${want% *}; wobj=${want#* }
  for s in seq split par1 par2 tree fused pruned; do
    for t in 1 2 3; do
      # shellcheck disable=SC2086
      if ! got=$("$EKM" solve $file -k "$k" $mopt --strategy "$s" --threads "$t" --json 2>"$tmp/err"); then
        fail "$name $s T=$t: $(cat "$tmp/err")"; continue
      fi
      check_json "$name $s T=$t" "$got" "$wmed" "$wobj"
    done
  done
  if [ -n "${MPI_BIN:-}" ]; then
    for s in fused pruned par2; do
      # shellcheck disable=SC2086
      if ! got=$(timeout 120 mpirun -q --oversubscribe --bind-to none -np 2 "$MPI_BIN" solve $file -k "$k" $mopt --strategy "$s" --json 2>"$tmp/err"); then
        fail "$name ekm-mpi $s: $(cat "$tmp/err")"; continue
      fi
      check_json "$name ekm-mpi $s" "$got" "$wmed" "$wobj"
    done
  fi
}

check_json() { # what json medoids objective
  local med obj exact
  med=$(jq -r '.medoids | map(tostring) | join(",")' <<<"$2")
  obj=$(jq -r '.objective' <<<"$2"); exact=$(jq -r '.exact' <<<"$2")
  if [ "$med" = "$3" ] && [ "$exact" = true ] &&
     awk -v a="$obj" -v b="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * b) }'; then
    pass
  else
    fail "$1: medoids [$med] objective $obj exact $exact; want [$3] $4"
  fi
}

MPI_BIN=${EKM_MPI:-${EKM_BUILD_DIR:-$(dirname "$EKM")}/ekm-mpi}
if [ -x "$MPI_BIN" ] && command -v mpirun >/dev/null && [ "${EKM_SANITIZED:-0}" != 1 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader
else
  echo "note: ekm-mpi cases not run (not built, no mpirun, or a sanitizer build: mpi.sh covers ekm-mpi there)"
  MPI_BIN=
fi

check overflow "$tmp/over.csv" 1 "" euclidean
check overflow "$tmp/over.csv" 2 "" euclidean
check small "$tmp/small.csv" 3 "--metric sqeuclidean" sqeuclidean
check matrix "" 3 "--dissimilarity $tmp/matrix.csv" matrix
finish
