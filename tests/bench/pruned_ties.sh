#!/usr/bin/env bash
# pruned_ties.sh — pruned against fused on degenerate inputs: masses of equal
# distances and equal objectives, an optimum of 0, where the bounds of `pruned`
# prune little and the tie rule decides the answer. The families:
#   identical      N identical points, K = 2..5
#   D distinct     D = 2, 3, 4, 5, 10 distinct points with N/D copies each
#   two groups     two far groups of identical points (N/2 each)
#   line           N equally spaced points on a line (massive ties in the sums)
#   grid           an integer grid (many equal distances)
#   named          300 identical K=3, 4 points x 30 copies K=5 (and with
#                  FULL=1: 3 points x 200 copies K=4, whose fused run alone
#                  takes minutes)
# with the metrics euclidean, manhattan, sqeuclidean and a precomputed matrix
# (--dissimilarity; a subset of the families), on 1 and 2 threads; pruned runs
# with --matrix on and --matrix off (not for a precomputed matrix). N is chosen
# per K so that fused takes about 0.1-5 s on 2 threads.
#
# Each run is the wall clock of a whole `ekm solve FILE -k K --strategy S
# --threads T` process, the median of RUNS (default 3). Prints a markdown table
# (README-ready): the seconds of fused, of pruned with and without the matrix,
# the ratios pruned / fused, and whether all three returned the same medoids
# and objective (exit status 1 if any differ). Not run by CI; a few minutes on
# 2 cores.
#
#   bash tests/bench/pruned_ties.sh                 # uses build/ekm
#   EKM=build-x/ekm THREADS="2" RUNS=1 bash tests/bench/pruned_ties.sh
#   ONLY=line bash tests/bench/pruned_ties.sh       # the rows whose input contains "line"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EKM=${EKM:-$root/build/ekm}
[ -x "$EKM" ] || { echo "pruned_ties: no ekm at $EKM (build it first)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export EKM TMPD="$tmp" THREADS=${THREADS:-"1 2"} RUNS=${RUNS:-3} FULL=${FULL:-0} ONLY=${ONLY:-}

python3 - <<'PY'
import json, math, os, statistics, subprocess, sys, time

ekm, tmp = os.environ["EKM"], os.environ["TMPD"]
threads = [int(t) for t in os.environ["THREADS"].split()]
runs = max(1, int(os.environ["RUNS"]))
only = os.environ["ONLY"]

# N per K: fused about 0.1-1 s on 2 threads
N_FOR_K = {2: 1200, 3: 360, 4: 150, 5: 90}
N_TIED_FOR_K = {2: 600, 3: 150, 4: 75}
BASE = [(0, 0), (3, 1), (7, 5), (2, 9), (11, 4), (5, 13), (14, 12), (9, 2), (1, 6), (12, 8)]

def points(kind, n, d=0):
    if kind == "identical":
        return [(1, 2)] * n
    if kind == "distinct":
        return [BASE[i % d] for i in range(n)]
    if kind == "groups":
        return [(0, 0) if i % 2 == 0 else (1000, 1000) for i in range(n)]
    if kind == "line":
        return [(i,) for i in range(n)]
    if kind == "grid":
        s = math.ceil(math.sqrt(n))
        return [(i % s, i // s) for i in range(n)]
    raise ValueError(kind)

def dist(a, b, metric):
    if metric == "manhattan":
        return sum(abs(x - y) for x, y in zip(a, b))
    sq = sum((x - y) ** 2 for x, y in zip(a, b))
    return sq if metric == "sqeuclidean" else math.sqrt(sq)

def write(name, pts, precomputed):
    path = os.path.join(tmp, name + ".csv")
    if os.path.exists(path):
        return path
    with open(path, "w") as f:
        if precomputed:  # the euclidean matrix of the points
            for a in pts:
                f.write(",".join(repr(dist(a, b, "euclidean")) for b in pts) + "\n")
        else:
            f.write(",".join("xy"[: len(pts[0])]) + "\n")
            for p in pts:
                f.write(",".join(str(v) for v in p) + "\n")
    return path

def n_for(kind, d, k):
    if kind == "distinct" and k < d <= 5:
        # fewer medoids than distinct points: masses of sets tie at a positive
        # optimum, and fused re-evaluates each of them in double
        return N_TIED_FOR_K[k]
    return N_FOR_K[k]

def cases():
    out = []
    fams = [("identical", 0)] + [("distinct", d) for d in (2, 3, 4, 5, 10)] + \
           [("groups", 0), ("line", 0), ("grid", 0)]
    for kind, d in fams:
        for k in (2, 3, 4, 5):
            out.append((kind, d, n_for(kind, d, k), k, "euclidean"))
    for metric in ("manhattan", "sqeuclidean", "precomputed"):
        for kind, d in (("identical", 0), ("distinct", 3), ("distinct", 4), ("distinct", 10),
                        ("groups", 0), ("line", 0), ("grid", 0)):
            for k in (3, 5):
                out.append((kind, d, n_for(kind, d, k), k, metric))
    out.append(("identical", 0, 300, 3, "euclidean"))
    out.append(("distinct", 4, 120, 5, "euclidean"))
    if os.environ["FULL"] == "1":
        out.append(("distinct", 3, 600, 4, "euclidean"))
    return out

def label(kind, d, n):
    if kind == "identical":
        return "%d identical" % n
    if kind == "distinct":
        return "%d points x %d copies" % (d, n // d)
    if kind == "groups":
        return "two groups x %d" % (n // 2)
    if kind == "line":
        return "line of %d" % n
    return "grid of %d" % n

def run(path, k, strategy, t, metric, matrix=None):
    cmd = [ekm, "solve"]
    if metric == "precomputed":
        cmd += ["--dissimilarity", path]
    else:
        cmd += [path, "--metric", metric]
    cmd += ["-k", str(k), "--strategy", strategy, "--threads", str(t), "--json"]
    if matrix:
        cmd += ["--matrix", matrix]
    times, res = [], None
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        times.append(time.monotonic() - t0)
        if p.returncode != 0:
            sys.exit("pruned_ties: %s failed: %s" % (" ".join(cmd), p.stderr.strip()))
        d = json.loads(p.stdout)
        res = (tuple(d["medoids"]), d["objective"])
    return statistics.median(times), res

def fmt(s):
    return "%.3f" % s

print("pruned / fused, wall clock of the whole process, median of %d; %s" %
      (runs, os.path.basename(ekm)))
print()
print("| input | metric | N | K | threads | fused s | pruned s | ratio | pruned --matrix off s | ratio | same |")
print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
def family(kind, d, n, k, named):
    if named:
        return label(kind, d, n) + ", K=%d" % k
    if kind == "identical":
        return "all identical"
    if kind == "distinct":
        return "2-5 distinct points, K >= distinct" if k >= d else \
               ("2-5 distinct points, K < distinct" if d <= 5 else "10 distinct points")
    return {"groups": "two far groups of identical points", "line": "equally spaced line",
            "grid": "integer grid"}[kind]

summary = {}  # family -> [rows, worst on, worst off, metrics]
worst, bad = 0.0, 0
all_cases = cases()
for ci, (kind, d, n, k, metric) in enumerate(all_cases):
    named = ci >= len(all_cases) - (3 if os.environ["FULL"] == "1" else 2)
    n = n // d * d if d else n
    lab = label(kind, d, n)
    if only and only not in lab and only != metric:
        continue
    pts = points(kind, n, d)
    name = "%s_%d_%d%s" % (kind, d, n, "_m" if metric == "precomputed" else "")
    path = write(name, pts, metric == "precomputed")
    for t in threads:
        fs, fr = run(path, k, "fused", t, metric)
        ps, pr = run(path, k, "pruned", t, metric, "on")
        ratio = ps / fs
        worst = max(worst, ratio)
        same = pr == fr
        off = ratio_off = "—"
        fam = summary.setdefault(family(kind, d, n, k, named), [0, 0.0, None, []])
        fam[0] += 1
        fam[1] = max(fam[1], ratio)
        if metric not in fam[3]:
            fam[3].append(metric)
        if metric != "precomputed":
            os_, orr = run(path, k, "pruned", t, metric, "off")
            worst = max(worst, os_ / fs)
            fam[2] = max(fam[2] or 0.0, os_ / fs)
            same = same and orr == fr
            off, ratio_off = fmt(os_), "%.2f" % (os_ / fs)
        bad += not same
        print("| %s | %s | %d | %d | %d | %s | %s | %.2f | %s | %s | %s |" %
              (lab, metric, n, k, t, fmt(fs), fmt(ps), ratio, off, ratio_off,
               "yes" if same else "**NO**"), flush=True)
print()
print("Summary (README-ready): the largest ratio pruned / fused per family, over its")
print("rows (K, threads %s, metrics); wall clock, median of %d:" %
      ("/".join(map(str, threads)), runs))
print()
print("| input | rows | metrics | pruned / fused, at most | with --matrix off, at most |")
print("|---|--:|---|--:|--:|")
for name, (rows, won, woff, metrics) in summary.items():
    print("| %s | %d | %s | %.2f | %s |" % (name, rows, ", ".join(metrics), won,
                                         "%.2f" % woff if woff is not None else "—"))
print()
print("worst ratio pruned / fused: %.2f; %s" %
      (worst, "all answers equal" if not bad else "%d rows with different answers" % bad))
sys.exit(1 if bad else 0)
PY
