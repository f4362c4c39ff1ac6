#!/usr/bin/env bash
# public_headers.sh — every public header of the engine (engine/include/ekm/*.h)
# compiles alone, as the first and only include of a translation unit, as C11
# and as C++17, with the warnings the project builds with; and the version
# macros in ekm.h are the project's version in CMakeLists.txt.
source "$(dirname "$0")/lib.sh"
root=$SRC
inc="$root/engine/include"
cc=${CC:-cc}
cxx=${CXX:-c++}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

n=0
for h in "$inc"/ekm/*.h; do
  name=ekm/$(basename "$h")
  n=$((n + 1))
  printf '#include "%s"\n' "$name" >"$T/one.c"
  cp "$T/one.c" "$T/one.cpp"
  if "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$inc" "$T/one.c" \
      2>"$T/err"; then pass; else fail "$name as C11: $(head -5 "$T/err")"; fi
  if "$cxx" -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$T/one.cpp" \
      2>"$T/err"; then pass; else fail "$name as C++17: $(head -5 "$T/err")"; fi
done
[ "$n" -ge 10 ] && pass || fail "only $n public headers found in $inc/ekm"

# the version macros agree with the project's version
want=$(sed -nE 's/^project\(ekm VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$root/CMakeLists.txt")
cat >"$T/v.c" <<'C'
#include <stdio.h>
#include "ekm/ekm.h"
int main(void)
{
    printf("%d.%d.%d %s\n", EKM_VERSION_MAJOR, EKM_VERSION_MINOR, EKM_VERSION_PATCH,
           EKM_VERSION_STRING);
    return 0;
}
C
if "$cc" -std=c11 -I"$inc" -o "$T/v" "$T/v.c" 2>"$T/err"; then
  got=$("$T/v")
  [ -n "$want" ] && [ "$got" = "$want $want" ] && pass ||
    fail "ekm.h says version '$got', CMakeLists.txt '$want'"
else
  fail "the version probe did not compile: $(head -3 "$T/err")"
fi

finish
