#!/usr/bin/env bash
# make.sh — regenerate the seed corpora csv/ and matrix/ (small files). The first
# byte of every seed is the fuzz target's option byte (see ../fuzz_check.h); 0x00
# means "detect everything, refuse missing values". Run from anywhere; needs the
# bad inputs shipped in tests/data/bad.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
bad=$src/tests/data/bad
csv=$here/csv matrix=$here/matrix
rm -rf "$csv" "$matrix"
mkdir -p "$csv" "$matrix"
# seed DIR NAME OPTBYTE(octal escape for printf) TEXT(printf format)
# shellcheck disable=SC2059 # the texts are printf formats on purpose (escapes)
seed() { { printf -- "$3"; printf -- "$4"; } >"$1/$2"; }

for f in "$bad"/*.csv; do
  b=$(basename "$f" .csv)
  case $b in
    dissim_*) { printf '\000'; cat "$f"; } >"$matrix/bad_$b" ;;
    *) { printf '\000'; cat "$f"; } >"$csv/bad_$b" ;;
  esac
done
head -12 "$src/data/iris.csv" | { printf '\000'; cat; } >"$csv/iris_head"
head -6 "$src/data/mtcars.csv" | { printf '\000'; cat; } >"$csv/mtcars_head"

# CSV variants (option byte: bits 0-1 header, 2-3 label, 4 missing, 5-7 separator)
seed "$csv" bom_crlf '\000' '\357\273\277x,y\r\n1,2\r\n3,4\r\n'
seed "$csv" cr_only '\000' 'a;b;c\r1;2;3\r4;5;6\r'
seed "$csv" quotes '\000' '"x","y,z","lab"\n"1","2","a ""q"" b"\n3,4,"line\nbreak, sep"\n'
seed "$csv" tabs '\000' 'x\ty\n1.5\t2.5\n-3\t4e2\n'
seed "$csv" semicolons '\000' '1,5;2,5;x\n3;4;y\n'
seed "$csv" blanks '\000' '  1   2   3\n\n  4 5 6  \n\t7\t8 9\n'
seed "$csv" pipes '\240' '1|2\n3|4\n'
seed "$csv" colons '\300' '1:2\n3:4\n'
seed "$csv" missing_drop '\020' 'a,b\n1,NA\n2,3\n?,4\n5,\n6,7\n'
seed "$csv" missing_refuse '\000' 'a,b\n1,NA\n'
seed "$csv" numbers '\002' '-0,+0.5,.5,5.,1e-320,1E+308\n4.9e-324,2.2250738585072014e-308,-1.7976931348623157e308,0\n'
seed "$csv" long_number '\002' '0.10000000000000000555111512312578270211815834045410156250000000000000000000000000001,2\n3,4\n'
seed "$csv" bad_exponents '\000' '1e,1e+\n--1,1.2.3\n0x10,+-3\n'
seed "$csv" hex_float '\000' '0x1p3,1\n2,3\n'
seed "$csv" nan_spellings '\000' '1,-nan(0x1)\n2,Infinity\n'
seed "$csv" labels_last '\010' 'x,y,class\n1,2,1\n3,4,2\n'
seed "$csv" labels_text '\000' '1,2,setosa\n3,4,"vir,ginica"\n'
seed "$csv" label_none '\004' '1,2,a\n'
seed "$csv" header_yes '\001' '1,2\n3,4\n'
seed "$csv" header_no '\002' 'x,y\n3,4\n'
seed "$csv" unterminated '\000' '1,"2\n3,4\n'
seed "$csv" after_quote '\000' '1,"2"x\n3,4\n'
seed "$csv" single_column '\000' 'v\n1\n2\n3\n'
seed "$csv" ragged_blank_lines '\000' '\n\n1,2\n   \n\r\n3,4,5\n'
seed "$csv" bad_separator '\340' '1x2\n3x4\n'
seed "$csv" utf8_header '\000' 'l\303\244nge,h\303\266he\n1,2\n'

# matrix variants (option byte: bits 0-1 header, 2-4 separator, 5-7 labels/missing)
seed "$matrix" good3 '\000' '0,1,2\n1,0,3\n2,3,0\n'
seed "$matrix" header '\000' 'a,b,c\n0,1,2\n1,0,3\n2,3,0\n'
seed "$matrix" tabs_crlf '\000' '0\t1.5\r\n1.5\t0\r\n'
seed "$matrix" semicolons_bom '\000' '\357\273\277a;b\r0;2,5\r2,5;0\r'
seed "$matrix" one '\000' '0\n'
seed "$matrix" huge '\000' '0,3e38\n3e38,0\n'
seed "$matrix" too_huge '\000' '0,3.5e38\n3.5e38,0\n'
seed "$matrix" quoted '\000' '"0","1"\n"1","0"\n'
seed "$matrix" nonzero_diagonal '\000' '1,1\n1,0\n'
seed "$matrix" too_many_rows '\000' '0,1\n1,0\n1,0\n'
seed "$matrix" missing '\000' '0,\n,0\n'
seed "$matrix" blanks '\020' '0 1 2\n1 0 3\n2 3 0\n'
seed "$matrix" labels_last '\300' '0,1\n1,0\n'
seed "$matrix" missing_drop '\340' '0,1\n1,0\n'
echo "seeds: $(ls "$csv" | wc -l) csv, $(ls "$matrix" | wc -l) matrix"
