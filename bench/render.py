#!/usr/bin/env python3
"""Benchmark: whole-process time and peak memory of `banmian render`.

    cargo build --release && python3 bench/render.py [RUNS] [-- extra render args]

Runs the release binary RUNS times (default 15, after 2 warm-up runs) on the
example report and prints the median, min and max wall time and peak
resident memory (each process measured by wait4). Budget for the newspaper
page on a 2-core machine: median under 150 ms, peak under 200 MB.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "banmian")
DATA = os.path.join(ROOT, "data", "zhongzhan-2020.toml")
BUDGET_MS, BUDGET_MB = 150, 200


def run_once(args, out):
    start = time.perf_counter()
    proc = subprocess.Popen([BIN, "render", DATA, "--layout", "newspaper", "-o", out, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 0:
        sys.exit(f"render failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB → MiB


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    runs = int(argv[0]) if argv and argv[0] != "--" else 15
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "page.pdf")
        for _ in range(2):
            run_once(extra, out)
        samples = [run_once(extra, out) for _ in range(runs)]
    times = [t for t, _ in samples]
    peaks = [m for _, m in samples]
    median_t, median_m = statistics.median(times), statistics.median(peaks)
    print(f"render newspaper, {runs} runs: median {median_t:.0f} ms (min {min(times):.0f}, max {max(times):.0f}); "
          f"peak memory median {median_m:.0f} MiB (max {max(peaks):.0f})")
    print(f"budget: {BUDGET_MS} ms, {BUDGET_MB} MB -> "
          f"{'within' if median_t < BUDGET_MS and max(peaks) < BUDGET_MB else 'OVER'}")


if __name__ == "__main__":
    main()
