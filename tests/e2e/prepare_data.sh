#!/usr/bin/env bash
# prepare_data.sh — preparing the data from the command line:
# - --standardize mad|zscore|range: the same optimum as solving the columns
#   standardised here with awk (R cluster's stand=TRUE for mad), said in the table
#   and in --json; a constant column refused (exit 2, one line naming the file
#   and the column); --standardize with --dissimilarity refused;
# - the class-column note: shown once for a glass-like file (a last column of a
#   few whole numbers), not for iris without its species, nor for a grid of whole
#   numbers, nor with --label-column none;
# - --out-data: the input rows as read (header, label) with a cluster column,
#   never written over the input;
# - --index-base 1: medoids and clusters counted from 1 in the table, --json and
#   the labels CSV, all agreeing with the 0-based default;
# - the default strategy auto runs pruned and says so.
. "$(dirname "$0")/lib.sh"
IRIS=$SRC/data/iris.csv
US=$SRC/data/USArrests.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ---- --standardize: the optimum of the columns standardised by awk ----------------
# awk computes each transform from its definition (in double) on the 4 numeric
# columns of USArrests; the exhaustive seq solves that file; ekm's --standardize
# must give the same medoids and objective.
standardize_awk() { # how, in, out
  awk -F, -v how="$1" 'NR == 1 { print "Murder,Assault,UrbanPop,Rape"; next }
    { n++; for (j = 1; j <= 4; j++) { x[n, j] = $j; s[j] += $j
        if (n == 1 || $j < lo[j]) lo[j] = $j; if (n == 1 || $j > hi[j]) hi[j] = $j } }
    END { for (j = 1; j <= 4; j++) { m[j] = s[j] / n; a[j] = 0; q[j] = 0
            for (i = 1; i <= n; i++) { e = x[i, j] - m[j]; a[j] += (e < 0 ? -e : e); q[j] += e * e }
            if (how == "mad") { c[j] = m[j]; sc[j] = a[j] / n }
            else if (how == "zscore") { c[j] = m[j]; sc[j] = sqrt(q[j] / (n - 1)) }
            else { c[j] = lo[j]; sc[j] = hi[j] - lo[j] } }
          for (i = 1; i <= n; i++) { line = ""
            for (j = 1; j <= 4; j++) line = line (j > 1 ? "," : "") sprintf("%.17g", (x[i, j] - c[j]) / sc[j])
            print line } }' "$2" >"$3"
}
for case in "mad 3 euclidean" "mad 2 manhattan" "zscore 3 euclidean" "range 4 sqeuclidean"; do
  set -- $case
  standardize_awk "$1" "$US" "$T/std.csv"
  want=$("$EKM" solve "$T/std.csv" -k "$2" --metric "$3" --strategy seq --json) || fail "seq on awk's $1"
  got=$("$EKM" solve "$US" -k "$2" --metric "$3" --standardize "$1" --json) || fail "--standardize $1"
  [ "$(jq -c .medoids <<<"$got")" = "$(jq -c .medoids <<<"$want")" ] && pass ||
    fail "$case: medoids $(jq -c .medoids <<<"$got"), awk's data $(jq -c .medoids <<<"$want")"
  jq -e -n --argjson a "$(jq .objective <<<"$got")" --argjson b "$(jq .objective <<<"$want")" \
    '(($a - $b) | fabs) <= 1e-9 * $b' >/dev/null && pass || fail "$case: objective"
  [ "$(jq -r .standardize <<<"$got")" = "$1" ] && pass || fail "$case: json standardize"
  [ "$(jq -r .standardize <<<"$want")" = none ] && pass || fail "json standardize none"
done
text=$("$EKM" solve "$US" -k 2 --standardize mad)
grep -q "standardize=mad" <<<"$text" && grep -q "(proven optimal) on the columns standardized by mad" <<<"$text" &&
  pass || fail "table says mad: $text"
# the medoids' coordinates in the table are the file's values (Murder of Nebraska 4.3)
grep -q "Nebraska .* 4.3 102 62 16.5" <<<"$text" && pass || fail "table shows the original values: $text"

# a checkpoint records the standardisation: resume solves the same standardised data
full=$("$EKM" solve "$US" -k 3 --standardize zscore --strategy fused --threads 2 --json)
"$EKM" solve "$US" -k 3 --standardize zscore --strategy fused --threads 2 --checkpoint "$T/z.ckpt" >/dev/null ||
  fail "solve --standardize --checkpoint"
"$EKM" resume "$T/z.ckpt" --info | grep -q "metric euclidean, standardize zscore" && pass || fail "resume --info: standardize"
res=$("$EKM" resume "$T/z.ckpt" --json) || fail "resume of a standardized run: $res"
[ "$(jq -c '[.medoids, .objective, .standardize]' <<<"$res")" = "$(jq -c '[.medoids, .objective, .standardize]' <<<"$full")" ] &&
  pass || fail "resume: $(jq -c '[.medoids, .objective, .standardize]' <<<"$res") vs $(jq -c '[.medoids, .objective, .standardize]' <<<"$full")"

# ---- a constant column is refused, naming the file and the column -------------------
printf 'a,b,c\n1,7,2\n2,7,5\n3,7,1\n' >"$T/const.csv"
for how in mad zscore range; do
  out=$("$EKM" solve "$T/const.csv" -k 2 --standardize $how 2>"$T/err"); rc=$?
  [ $rc -eq 2 ] && [ -z "$out" ] && [ "$(grep -c . "$T/err")" -eq 1 ] &&
    grep -q "^ekm: $T/const.csv: column 2 ('b') is constant (every value is 7)" "$T/err" && pass ||
    fail "constant column, $how: status $rc, $(cat "$T/err")"
done
out=$("$EKM" solve "$T/const.csv" -k 2 --standardize none) && pass || fail "none keeps a constant column"
"$EKM" solve "$T/const.csv" -k 2 --standardize bogus 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "is not one of mad, zscore, range, none" "$T/err" && pass || fail "bogus standardize"
printf '0,1,2\n1,0,1\n2,1,0\n' >"$T/m.csv"
"$EKM" solve --dissimilarity "$T/m.csv" -k 2 --standardize mad 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "does not apply to a dissimilarity matrix" "$T/err" && pass ||
  fail "standardize a matrix: $rc $(cat "$T/err")"

# ---- the class-column note -------------------------------------------------------
# glass-like: fractional measurements and a last column of classes 1..3
awk 'BEGIN { for (i = 0; i < 30; i++) printf "%.3f,%.2f,%d\n", 1.5 + i * 0.013, 13 + (i % 7) * 0.31, 1 + i % 3 }' >"$T/glassy.csv"
"$EKM" solve "$T/glassy.csv" -k 2 >/dev/null 2>"$T/err" || fail "glassy solve"
[ "$(grep -c 'label-column last' "$T/err")" -eq 1 ] &&
  grep -q "^ekm: note: the last column of $T/glassy.csv holds only the whole numbers 1..3 (3 values)" "$T/err" &&
  pass || fail "class note on a glass-like file: $(cat "$T/err")"
"$EKM" solve "$T/glassy.csv" -k 2 --label-column last >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] && pass || fail "note with the column dropped: $(cat "$T/err")"
"$EKM" solve "$T/glassy.csv" -k 2 --label-column none >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] && pass || fail "note with --label-column none: $(cat "$T/err")"
cut -d, -f1-4 "$IRIS" >"$T/iris4.csv"
"$EKM" solve "$T/iris4.csv" -k 3 >/dev/null 2>"$T/err" || fail "iris4 solve"
[ ! -s "$T/err" ] && pass || fail "note on iris without labels: $(cat "$T/err")"
awk 'BEGIN { for (i = 0; i < 40; i++) printf "%d,%d\n", i % 8, i % 5 }' >"$T/grid.csv"
"$EKM" solve "$T/grid.csv" -k 2 >/dev/null 2>"$T/err" || fail "grid solve"
[ ! -s "$T/err" ] && pass || fail "note on a grid of whole numbers: $(cat "$T/err")"
if have_shared "the note on glass.csv"; then
  "$EKM" solve "$SHARED/ren2022/glass.csv" -k 2 >/dev/null 2>"$T/err"
  grep -q "whole numbers 1..7 (6 values): if it is a class, --label-column last" "$T/err" &&
    pass || fail "note on glass: $(cat "$T/err")"
fi

# ---- --out-data --------------------------------------------------------------------
"$EKM" solve "$IRIS" -k 3 --out-data "$T/rows.csv" --labels "$T/l.csv" >/dev/null || fail "--out-data"
[ "$(head -1 "$T/rows.csv")" = "Sepal.Length,Sepal.Width,Petal.Length,Petal.Width,Species,cluster,silhouette" ] &&
  pass || fail "out-data header: $(head -1 "$T/rows.csv")"
[ "$(wc -l <"$T/rows.csv")" -eq 151 ] && pass || fail "out-data rows"
# every row as in the file, then its cluster, which is the labels CSV's
diff <(cut -d, -f1-5 "$T/rows.csv") "$IRIS" >/dev/null && pass || fail "out-data values differ from the input"
diff <(tail -n +2 "$T/rows.csv" | cut -d, -f6) <(tail -n +2 "$T/l.csv" | cut -d, -f2) >/dev/null &&
  pass || fail "out-data clusters differ from the labels CSV"
[ "$(tail -n +2 "$T/rows.csv" | cut -d, -f6 | sort -u | tr '\n' ' ')" = "0 1 2 " ] && pass || fail "clusters 0..2"
diff <(tail -n +2 "$T/rows.csv" | cut -d, -f7) <(tail -n +2 "$T/l.csv" | cut -d, -f5) >/dev/null &&
  pass || fail "out-data silhouettes differ from the labels CSV's"
# no header in, none out; standardized data is written with its original values
cut -d, -f1-4 "$US" | tail -n +2 >"$T/us_nohead.csv"
"$EKM" solve "$T/us_nohead.csv" -k 2 --standardize mad --out-data "$T/us_rows.csv" >/dev/null || fail "out-data no header"
diff <(cut -d, -f1-4 "$T/us_rows.csv") "$T/us_nohead.csv" >/dev/null && pass || fail "out-data of standardized data"
# never over the input, nor over a matrix
cp "$IRIS" "$T/in.csv"
sum=$(cksum <"$T/in.csv")
"$EKM" solve "$T/in.csv" -k 3 --out-data "$T/in.csv" >"$T/o" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "is the input data; refusing to write over it" "$T/err" && [ ! -s "$T/o" ] &&
  [ "$(cksum <"$T/in.csv")" = "$sum" ] && pass || fail "out-data over the input: $rc $(cat "$T/err")"
"$EKM" solve --dissimilarity "$T/m.csv" -k 2 --out-data "$T/mrows.csv" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$T/mrows.csv" ] && pass || fail "out-data of a matrix: $rc $(cat "$T/err")"
"$EKM" solve "$IRIS" -k 3 --out-data "$T/nodir/rows.csv" 2>"$T/err" >/dev/null; rc=$?
[ $rc -ne 0 ] && grep -q "nodir" "$T/err" && pass || fail "out-data into a missing folder: $rc"

# ---- --index-base 1 ---------------------------------------------------------------
j0=$("$EKM" solve "$IRIS" -k 3 --json --labels "$T/l0.csv")
j1=$("$EKM" solve "$IRIS" -k 3 --json --index-base 1 --labels "$T/l1.csv")
[ "$(jq -c '[.medoids[] + 1]' <<<"$j0")" = "$(jq -c .medoids <<<"$j1")" ] && pass || fail "json medoids base 1"
[ "$(jq .index_base <<<"$j0") $(jq .index_base <<<"$j1")" = "0 1" ] && pass || fail "json index_base"
awk -F, 'NR > 1 { print $1 + 1 "," $2 + 1 "," $3 + 1 "," $4 "," $5 }' "$T/l0.csv" >"$T/l0plus"
diff "$T/l0plus" <(tail -n +2 "$T/l1.csv") >/dev/null && pass || fail "labels CSV base 1"
[ "$(sed -n 2p "$T/l1.csv" | cut -d, -f1)" = 1 ] && pass || fail "first index is 1"
[ "$(tail -n +2 "$T/l1.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')" = "1 2 3 " ] && pass || fail "clusters 1..3"
m1=$(jq -r '.medoids | map(tostring) | join(" ")' <<<"$j1")
t1=$("$EKM" solve "$IRIS" -k 3 --index-base 1)
[ "$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF > 4 { printf "%s ", $2 }' <<<"$t1")" = "$m1 " ] && pass || fail "table medoids base 1: $t1"
[ "$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF > 4 { printf "%s ", $1 }' <<<"$t1")" = "1 2 3 " ] && pass || fail "table clusters base 1"
grep -q "numbered from 1" <<<"$t1" && pass || fail "table says base 1"
"$EKM" solve "$IRIS" -k 3 --index-base 2 2>"$T/err"; [ $? -eq 2 ] && grep -q "is not 0 or 1" "$T/err" && pass || fail "index-base 2"

# ---- the default strategy: auto runs pruned and says so ---------------------------
j=$("$EKM" solve "$IRIS" -k 3 --json)
[ "$(jq -r .strategy <<<"$j") $(jq -r .requested <<<"$j")" = "pruned auto" ] && pass || fail "auto in json: $j"
[ "$(jq -c .medoids <<<"$j")" = "[7,78,112]" ] && pass || fail "auto optimum"
"$EKM" solve "$IRIS" -k 3 | grep -q "strategy=pruned (auto)" && pass || fail "auto in the table"
j=$("$EKM" solve "$IRIS" -k 3 --strategy seq --json)
[ "$(jq -r .strategy <<<"$j") $(jq -r 'has("requested")' <<<"$j")" = "seq false" ] && pass || fail "explicit seq"
j=$("$EKM" solve "$IRIS" -k 3 --strategy auto --json)
[ "$(jq -r .requested <<<"$j")" = auto ] && pass || fail "--strategy auto"

# ---- the REPL: set standardize, set index-base, save data ---------------------------
out=$("$EKM" -c "load $US; set k 2; set standardize mad; set index-base 1; run; wait; result --json; save data $T/r.csv" 2>&1) ||
  fail "repl: $out"
grep -q '"standardize":"mad","index_base":1' <<<"$out" && pass || fail "repl json: $out"
grep -q '^started pruned on USArrests: N=50 K=2, .* (strategy auto);' <<<"$out" && pass || fail "repl run says auto: $out"
grep -q '"strategy":"pruned","requested":"auto"' <<<"$out" && pass || fail "repl json auto: $out"
grep -q '"medoids":\[27,31\]' <<<"$out" && pass || fail "repl medoids base 1: $out"
[ "$(head -1 "$T/r.csv")" = "Murder,Assault,UrbanPop,Rape,State,cluster,silhouette" ] && [ "$(wc -l <"$T/r.csv")" -eq 51 ] &&
  pass || fail "repl save data"
[ "$(tail -n +2 "$T/r.csv" | cut -d, -f6 | sort -u | tr '\n' ' ')" = "1 2 " ] && pass || fail "repl save data base 1"
out=$("$EKM" -c "load $T/glassy.csv" 2>&1)
[ "$(grep -c 'label-column last' <<<"$out")" -eq 1 ] && pass || fail "repl class note: $out"
out=$("$EKM" -c "load $T/const.csv; set standardize mad" 2>&1); rc=$?
[ $rc -ne 0 ] && grep -q "column 2 ('b') is constant" <<<"$out" && pass || fail "repl constant: $out"
finish
