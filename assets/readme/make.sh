#!/usr/bin/env bash
# make.sh — regenerate the pictures the README shows, from build/ekm.
set -euo pipefail
cd "$(dirname "$0")/../.."
build/ekm plot data/iris.csv -k 3 --out assets/readme/iris.png --width 1280 --height 800
build/ekm plot data/ruspini.csv -k 4 --out assets/readme/ruspini.png --width 1000 --height 640
