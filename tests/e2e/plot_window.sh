#!/usr/bin/env bash
# plot_window.sh — run the live plot window's unit tests on a virtual X display.
#
# tests/unit/test_plot_window_*.c skip its display tests when there is no display;
# here it gets one from xvfb-run, and this script fails unless they really ran.
# Exit 77 (skipped) when xvfb-run is not installed.
set -u

build="${EKM_BUILD_DIR:-$(dirname "$0")/../../build}"
bins="$build/tests/test_plot_window_draw $build/tests/test_plot_window_follow"
bins="$bins $build/tests/test_plot_window_silhouette"

if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "skipped: xvfb-run is not installed (Debian package xvfb)"
    exit 77
fi
for bin in $bins; do
    if [ ! -x "$bin" ]; then
        echo "FAIL: $bin is missing (build the $(basename "$bin") target)"
        exit 1
    fi
done

# Xvfb has no D-Bus session bus; without an address libdbus (through SDL) tries to
# autolaunch one, which spawns dbus-launch and leaks a buffer inside libdbus that
# LeakSanitizer reports. An address that does not exist makes SDL do without.
export DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-unix:path=/nonexistent/ekm-no-session-bus}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -a: a free display number; a screen larger than the test's windows; -noreset: the
# server must not reset when the test's last window closes (it would refuse the next
# window's connection for a moment, and the window would say no display answers).
for bin in $bins; do
    CMOCKA_MESSAGE_OUTPUT=STDOUT timeout 120 \
        xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp -noreset" "$bin" >>"$log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
        cat "$log"
        echo "FAIL: $(basename "$bin") exited with $rc under xvfb-run"
        exit 1
    fi
done
cat "$log"
for t in test_no_display_is_an_error test_window_draw_update_save_close test_follow_running_job \
         test_x_error_is_reported_not_fatal test_silhouette_view; do
    if ! grep -q "\[       OK \] $t" "$log"; then
        echo "FAIL: $t did not run to OK under xvfb-run (skipped?)"
        exit 1
    fi
done
echo "ok: the plot window opened, drew, followed a job, saved and closed on a virtual display"
