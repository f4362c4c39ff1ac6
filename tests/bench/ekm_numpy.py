#!/usr/bin/env python3
"""ekm_numpy.py — a numpy reproduction of EKM, the baseline ekm is compared with.

The same exhaustive search as `ekm solve --strategy seq`: every K-subset of the N
points, in lexicographic order, evaluated as the sum over all points of the
distance to the nearest medoid. As a numpy user would write it: the prefix's
nearest-medoid vector is kept (np.minimum), and the last index is vectorised —
one np.minimum(...).sum(axis=1) over all remaining rows at once.

usage: ekm_numpy.py POINTS.csv K [REPEAT]   (the CSV that `ekm gen` writes)
prints one line per run: wall seconds, CPU seconds, objective, medoids (0-based).
Needs Debian's python3-numpy (/usr/bin/python3).
"""
import itertools
import sys
import time

import numpy as np


def load(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def ekm(d, k):
    """Exact K-medoids by enumeration; d is the N×N distance matrix (float64)."""
    n = d.shape[0]
    best, best_set = np.inf, None
    if k == 1:
        costs = d.sum(axis=1)
        i = int(np.argmin(costs))
        return float(costs[i]), (i,)
    for prefix in itertools.combinations(range(n - 1), k - 1):
        last0 = prefix[-1] + 1
        if last0 >= n:
            continue
        m = d[list(prefix)].min(axis=0)
        costs = np.minimum(m[None, :], d[last0:]).sum(axis=1)
        j = int(np.argmin(costs))
        if costs[j] < best:
            best, best_set = float(costs[j]), prefix + (last0 + j,)
    return best, best_set


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    x = load(sys.argv[1])
    k = int(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        diff = x[:, None, :] - x[None, :, :]
        d = np.sqrt((diff * diff).sum(axis=2))
        obj, medoids = ekm(d, k)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        print(f"{t:.3f} {c:.3f} {obj:.12g} {' '.join(map(str, medoids))}", flush=True)


if __name__ == "__main__":
    main()
