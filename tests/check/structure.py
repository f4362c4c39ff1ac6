#!/usr/bin/env python3
"""structure.py [SOURCE_DIR] — the tree's shape rules, checked on every .c and .h file
under engine/, ui/, app/ and tests/:

  * no file over 700 lines (a file that long holds more than one idea: split it);
  * no include cycle between folders: from the `#include "..."` lines, the folders
    (engine/src, ui/common, ui/repl, ...) form a graph; a cycle in it (ui/common
    includes bench/bench.h, ui/bench includes common/*.h) means neither folder can
    be built, read or tested without the other. Cycles inside one folder are
    allowed.

Prints each breach on its own line (the file and its length; the folders of a cycle
and the include lines that close it) and exits 1 when there is any, 0 otherwise.
"""
import os
import re
import sys

LIMIT = 700
ROOTS = ["engine", "ui", "app", "tests"]
# where `#include "x.h"` is looked up after the including file's own folder
INCLUDE_DIRS = ["engine/include", "engine/src", "ui", "tests/support", "tests/fuzz"]
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def sources(src):
    for root in ROOTS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(src, root)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for f in sorted(filenames):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, f), src)


def resolve(src, including, name):
    for base in [os.path.dirname(including)] + INCLUDE_DIRS:
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(src, cand)):
            return cand
    return None


def cycles(graph):
    """Strongly connected components with more than one folder (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                          os.path.join(os.path.dirname(__file__), "..", ".."))
    breaches = 0
    graph, witness = {}, {}
    for rel in sources(src):
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
        if len(lines) > LIMIT:
            print(f"{rel}: {len(lines)} lines (over {LIMIT}: split it by idea)")
            breaches += 1
        here = os.path.dirname(rel)
        for no, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = resolve(src, rel, m.group(1))
            if target is None:
                continue
            there = os.path.dirname(target)
            if there != here:
                graph.setdefault(here, set()).add(there)
                witness.setdefault((here, there), []).append(f"{rel}:{no}: #include \"{m.group(1)}\"")
    for comp in cycles(graph):
        members = set(comp)
        print(f"include cycle between folders: {' <-> '.join(comp)}")
        for a in comp:
            for b in sorted(graph.get(a, ())):
                if b in members:
                    w = witness[(a, b)]
                    more = f" (and {len(w) - 1} more)" if len(w) > 1 else ""
                    print(f"  {a} -> {b}: {w[0]}{more}")
        breaches += 1
    if breaches:
        print(f"structure: {breaches} breach(es)")
        return 1
    print("structure: every file within 700 lines, no include cycle between folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
