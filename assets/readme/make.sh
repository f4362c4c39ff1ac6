#!/usr/bin/env bash
# make.sh — regenerate the pictures the README shows, from build/ekm.
set -euo pipefail
cd "$(dirname "$0")/../.."
build/ekm plot data/iris.csv -k 3 --out assets/readme/iris.png --width 1280 --height 800
build/ekm plot data/ruspini.csv -k 4 --out assets/readme/ruspini.png --width 1000 --height 640
build/ekm sweep data/iris.csv --k 2..8 --plot assets/readme/iris-sweep.png --width 1000 --height 700 >/dev/null
build/ekm plot data/iris.csv -k 3 --silhouette assets/readme/iris-silhouette.png --width 1000 --height 640 >/dev/null
