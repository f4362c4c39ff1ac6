#!/usr/bin/env bash
# make.sh — regenerate the pictures the README shows, from build/ekm.
set -euo pipefail
cd "$(dirname "$0")/../.."
build/ekm plot data/iris.csv -k 3 --out assets/readme/iris.png --width 1280 --height 800
build/ekm plot data/ruspini.csv -k 4 --out assets/readme/ruspini.png --width 1000 --height 640
build/ekm sweep data/iris.csv --k 2..8 --plot assets/readme/iris-sweep.png --width 1000 --height 700 >/dev/null
build/ekm plot data/iris.csv -k 3 --silhouette assets/readme/iris-silhouette.png --width 1000 --height 640 >/dev/null
# the lesson plan's pictures: strong scaling (each plan's bound, Amdahl and
# Gustafson fitted per strategy) and weak scaling (N grown with T); their
# timings are the machine's of the moment, flagged when it was busy
build/ekm gen uniform --n 400 --d 2 --seed 1 --out /tmp/ekm-lesson.csv
build/ekm bench /tmp/ekm-lesson.csv -k 3 --n 300 --strategies seq,par1,par2,fused --threads 1,2 \
    --repeat 3 --quiet --plot /tmp/ekm-lesson-strong.png >/dev/null
mv /tmp/ekm-lesson-strong-scaling.png assets/readme/lesson-strong.png
build/ekm bench --gen uniform -k 3 --n 200 --weak --threads 1,2 --strategies par1,fused \
    --repeat 3 --quiet --plot /tmp/ekm-lesson-weak.png >/dev/null
mv /tmp/ekm-lesson-weak-scaling.png assets/readme/lesson-weak.png
build/ekm timeline data/iris.csv -k 4 --strategy par1 --threads 2 \
    --out assets/readme/lesson-timeline.png --width 1000 --height 400 >/dev/null
rm -f /tmp/ekm-lesson.csv /tmp/ekm-lesson-strong.png /tmp/ekm-lesson-weak.png
