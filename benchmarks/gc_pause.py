"""Does pausing the garbage collector speed the checks up? Paired, alternating, in one process.

    python benchmarks/gc_pause.py benchmarks/out/bundle-10000.json [PAIRS]

Reads the input once, then times ``engine.run_checks`` (one process, parse cache cleared before
each run) with and without ``engine.collector_paused`` (the model frozen, the collector off),
the order alternating pair by pair, and prints both medians, the median of the per-pair ratios
and the load average.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import nullcontext

from rulelint.language import api
from rulelint.pipeline import engine
from rulelint.readers import read_paths


def main(argv: list[str]) -> int:
    path, pairs = argv[0], int(argv[1]) if len(argv) > 1 else 5
    configuration = read_paths([path]).configuration

    def timed(paused: bool) -> float:
        if hasattr(api.parse, "cache_clear"):
            api.parse.cache_clear()
        start = time.perf_counter()
        with engine.collector_paused() if paused else nullcontext():
            engine.run_checks(configuration, jobs=1)
        return time.perf_counter() - start

    timed(True)  # warm-up: imports, lazy tables
    paused, running = [], []
    for i in range(pairs):
        order = [(True, paused), (False, running)] if i % 2 else [(False, running), (True, paused)]
        for pause, out in order:
            out.append(timed(pause))
    ratio = statistics.median(a / b for a, b in zip(paused, running))
    print(f"{path}: checks with the collector paused {statistics.median(paused):.3f} s, running "
          f"{statistics.median(running):.3f} s, paired ratio {ratio:.2f} ({pairs} pairs), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
