# lib.sh — helpers for the end-to-end scripts (sourced, not run by ctest: no .sh test
# is named lib; see tests/CMakeLists.txt).
set -u
EKM=${EKM:?the path of the ekm binary}
SRC=${EKM_SOURCE_DIR:?}
SHARED=${EKM_SHARED_DATA:-$SRC/../shared/data}
DATA=$SRC/tests/data # what the core tests need, shipped: bad inputs, optima of data/
fails=0
passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
need_shared() { [ -d "$SHARED" ] || { echo "skipped: $SHARED is absent"; exit 77; }; }
# true when the large shared sets are there; otherwise says which checks it skips
have_shared() { # what is skipped without them
  [ -d "$SHARED/ren2022" ] && return 0
  echo "skipped: $1 ($SHARED/ren2022 is absent)"
  return 1
}
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
