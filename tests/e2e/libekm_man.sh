#!/usr/bin/env bash
# libekm_man.sh — libekm(3) renders without a warning, names every public header,
# lists every function those headers declare, and names no function they do not
# (a renamed or added function fails here until the page follows).
set -u
. "$(dirname "$0")/lib.sh"
SRC=${EKM_SOURCE_DIR:?the source directory}
page=$SRC/engine/doc/libekm.3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -f "$page" ] && pass || fail "$page is missing"
if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
  echo "skipped: man or groff is not installed"
  exit 77
fi
warn=$(groff -man -ww -z "$page" 2>&1)
[ -z "$warn" ] && pass || fail "groff warns: $warn"
warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
[ -z "$warn" ] && pass || fail "man --warnings: $warn"
MANWIDTH=80 man -l "$page" >"$tmp/page.txt" 2>/dev/null && pass || fail "man -l failed"
width=$(LC_ALL=C.UTF-8 wc -L <"$tmp/page.txt")
[ "$width" -le 80 ] && pass || fail "lines wider than MANWIDTH=80: $width columns"

# The functions each header declares: a name followed by '(' at the start of a
# declaration (after its return type), not in a comment.
for h in "$SRC"/engine/include/ekm/*.h; do
  base=$(basename "$h")
  grep -q "<ekm/$base>" "$tmp/page.txt" && pass || fail "the page does not name <ekm/$base>"
  sed -e 's|/\*.*\*/||g' -e '/\/\*/,/\*\//d' "$h" |
    grep -E '^[A-Za-z_][A-Za-z0-9_ ]*[ *]ekm_[a-z0-9_]+\(' |
    sed -E 's/.*[ *](ekm_[a-z0-9_]+)\(.*/\1/' >>"$tmp/declared"
done
sort -u "$tmp/declared" -o "$tmp/declared"
[ "$(wc -l <"$tmp/declared")" -ge 100 ] && pass || fail "only $(wc -l <"$tmp/declared") functions found in the headers (parser broken?)"
tr -c 'A-Za-z0-9_\n' '\n' <"$tmp/page.txt" | sed 's/‐//g' | grep -E '^ekm_[a-z0-9_]+$' | sort -u >"$tmp/named"
# man may hyphenate a long name at a line end: join "ekm_dataset_stan‐\n dardize"
tr -d '\n' <"$tmp/page.txt" | sed 's/‐ *//g' | grep -oE 'ekm_[a-z0-9_]+' | sort -u >>"$tmp/named"
sort -u "$tmp/named" -o "$tmp/named"
missing=$(comm -23 "$tmp/declared" "$tmp/named" | tr '\n' ' ')
[ -z "$missing" ] && pass || fail "declared but not in libekm(3): $missing"
# every name the page gives is a function, type or constant of the headers
cat "$SRC"/engine/include/ekm/*.h | grep -oE 'ekm_[a-z0-9_]+' | sort -u >"$tmp/known"
# (CMake's target names ekm::ekm and ekm::ekm_static are not API names)
stale=$(comm -23 <(sed 's/ekm::ekm[a-z_]*//g' "$page" | tr -c 'A-Za-z0-9_\n' '\n' |
                   grep -E '^ekm_[a-z0-9_]+$' | sort -u) "$tmp/known" | tr '\n' ' ')
[ -z "$stale" ] && pass || fail "named in libekm(3) but not in the headers: $stale"
finish
