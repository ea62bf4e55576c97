#!/usr/bin/env python3
"""Benchmark: whole-process time and peak memory of banmian on the example,
and the composer's time on its own.

    cargo build --release --bins --examples && python3 bench/render.py [RUNS]

Runs the release binary RUNS times (default 15, after 2 warm-up runs) for
each measured command and prints the median, min and max wall time and peak
resident memory (each process measured by wait4). Budgets on a 2-core
machine:
- `render --layout newspaper` (the page to PDF): median under 150 ms, peak
  under 100 MB;
- `check` (every layout laid out, every finding, nothing written): median
  under 100 ms, peak under 200 MB;
- composing the newspaper page (`examples/compose`: the search and the
  options it weighs, in-process, without loading or Typst), on the example
  with its placement hints and without them: median under 100 ms;
- `batch` of 50 copies of the example (both layouts): `--jobs 2` at least
  1.7× the throughput of `--jobs 1` (medians of 5 rounds, the two in
  turn);
- the brochure of the example's text repeated 1×, 4×, 16× and 64× (its
  sections and photos up to 16×, then longer sections): the 64× one under 8 s and 800 MB, and time and memory per
  page about flat from 1× to 64×;
- the newspaper render against Typst alone on a plain page of the same
  report (`examples/plain`: same paper, fonts and photos, the text flowed
  by Typst in eight columns, to PDF), measured in the same run, both
  through Typst's library in a process of its own and through Typst's own
  CLI 0.15.1 (installed into the target folder on the first run): under
  0.5× its time.

Programs are measured as installed (a copy of what the build wrote, as
`cargo install` makes one), and commands compared with each other are run
in turn, round by round (see `installed` and `measure_side_by_side`).
"""
import os
import random
import shutil
import statistics
import subprocess
import sys
import re
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILT = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release")
# Set by main() to the installed copy (see `installed`).
BIN = os.path.join(BUILT, "banmian")
DATA = os.path.join(ROOT, "data", "zhongzhan-2020.toml")


def timed(args):
    """Wall time (ms) and peak memory (MiB) of one process."""
    # Findings go to a file: a pipe nobody reads fills up and stops the
    # process.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 0:
            err.seek(0)
            sys.exit(f"{' '.join(args)} failed: {err.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB → MiB


def run_once(command, out):
    return timed([BIN, *(part.replace("{out}", out).replace("{data}", DATA) for part in command)])


COMMANDS = [
    ("render newspaper", ["render", "{data}", "--layout", "newspaper", "-o", "{out}"], 150, 100),
    ("check", ["check", "{data}"], 100, 200),
]


COMPOSE_BUDGET_MS = 100


def without_hints(text):
    """The example with every placement hint taken out."""
    keys = ("place =", "columns =", "column =", "line =", "shape =", "main =")
    return "\n".join(l for l in text.splitlines() if not l.startswith(keys) and l != "[newspaper]")


def compose(runs, tmp):
    example = os.path.join(BUILT, "examples", "compose")
    if not os.path.exists(example):
        sys.exit(f"{example} is missing: cargo build --release --examples")
    free = os.path.join(os.path.dirname(DATA), ".bench-without-hints.toml")
    with open(DATA, encoding="utf-8") as f, open(free, "w", encoding="utf-8") as g:
        g.write(without_hints(f.read()))
    try:
        for name, data in (("with its hints", DATA), ("without its hints", free)):
            out = subprocess.run([example, data, str(runs)], capture_output=True, text=True, check=True).stdout
            median = float(re.search(r"median (\d+)", out).group(1))
            verdict = "within" if median < COMPOSE_BUDGET_MS else "OVER"
            print(f"compose the example {name}: {out.strip().split(': ', 1)[1]}; budget {COMPOSE_BUDGET_MS} ms: {verdict}")
    finally:
        os.remove(free)


BATCH_COPIES = 50
BATCH_SPEEDUP = 1.7
# Runs of each, one job and two in turn.
BATCH_ROUNDS = 5


def batch(tmp):
    """Throughput of `batch` on copies of the example, one job and two."""
    folder = os.path.join(tmp, "batch")
    os.makedirs(folder)
    # A copy: banmian reads no photo through a link out of the folder.
    shutil.copytree(os.path.join(os.path.dirname(DATA), "photos"), os.path.join(folder, "photos"))
    with open(DATA, encoding="utf-8") as f:
        text = f.read()
    inputs = []
    for i in range(BATCH_COPIES):
        inputs.append(os.path.join(folder, f"r{i}.toml"))
        with open(inputs[-1], "w", encoding="utf-8") as g:
            g.write(text)
    # One job and two in turn, in a shuffled order each round, so that
    # both meet the same moments of a shared machine.
    times = {1: [], 2: []}
    for _ in range(BATCH_ROUNDS):
        for jobs in random.sample((1, 2), 2):
            out = os.path.join(tmp, f"batch-out-{jobs}")
            start = time.perf_counter()
            subprocess.run([BIN, "batch", *inputs, "--jobs", str(jobs), "-o", out, "--force"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[jobs].append(time.perf_counter() - start)
    medians = {jobs: statistics.median(t) for jobs, t in times.items()}
    speedup = medians[1] / medians[2]
    verdict = "within" if speedup >= BATCH_SPEEDUP else "OVER"
    print(f"batch of {BATCH_COPIES}: --jobs 1 {medians[1]:.2f} s ({BATCH_COPIES / medians[1]:.1f} reports/s), "
          f"--jobs 2 {medians[2]:.2f} s ({BATCH_COPIES / medians[2]:.1f} reports/s): {speedup:.2f}×; "
          f"budget {BATCH_SPEEDUP}×: {verdict}")


BROCHURE_SIZES = (1, 4, 16, 64)
BROCHURE_BUDGET = (8.0, 800)  # the 64× brochure: seconds, MB

# MB in a MiB: the budgets are in MB, the peaks measured in MiB.
MIB_IN_MB = 1.048576


def scaled(times, folder):
    """The example's text and photos `times` times over, as JSON in
    `folder` beside a copy of its photos: its sections repeated (ids made
    unique) up to 16 times — a report holds at most 100 sections — and
    beyond that each section's paragraphs repeated too."""
    import json
    import tomllib
    with open(DATA, "rb") as f:
        report = tomllib.load(f)
    copies = min(times, 16)
    longer = times // copies
    sections, photos = [], []
    for n in range(copies):
        for section in report["sections"]:
            sections.append(dict(section, id=f"{section['id']}-{n}",
                                 paragraphs=section["paragraphs"] * longer))
        for photo in report["photos"]:
            photos.append(dict(photo, section=f"{photo['section']}-{n}"))
    report = dict(report, sections=sections, photos=photos)
    report.pop("newspaper", None)
    path = os.path.join(folder, f"x{times}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False)
    return path


def brochure_scaling(runs, tmp):
    """The brochure of the example repeated 1× to 64×: time and memory per
    page should stay flat, and the 64× one within its budget."""
    folder = os.path.join(tmp, "scaled")
    shutil.copytree(os.path.join(os.path.dirname(DATA), "photos"), os.path.join(folder, "photos"))
    rows = []
    for times in BROCHURE_SIZES:
        data = scaled(times, folder)
        out = os.path.join(tmp, f"x{times}.pdf")
        ms, mb = measure([BIN, "render", data, "--layout", "brochure", "-o", out, "--force"],
                         max(3, runs // 3) if times < 64 else 3)
        pages = pages_of(out)
        rows.append((times, pages, ms, mb))
        print(f"brochure ×{times}: {pages} pages, {ms / 1000:.2f} s, {mb:.0f} MiB; "
              f"{ms / pages:.1f} ms and {mb / pages:.2f} MiB a page")
    times, pages, ms, mb = rows[-1]
    verdict = "within" if ms / 1000 < BROCHURE_BUDGET[0] and mb * MIB_IN_MB < BROCHURE_BUDGET[1] else "OVER"
    print(f"brochure ×{times}: budget {BROCHURE_BUDGET[0]:.0f} s and {BROCHURE_BUDGET[1]} MB: {verdict}")


def pages_of(pdf):
    """A PDF's page count, from its page tree's /Count."""
    with open(pdf, "rb") as f:
        counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", f.read())]
    return max(counts) if counts else 0


TYPST_RATIO = 0.5


def measure(args, runs):
    """Median wall time (ms) and peak memory (MiB) of a process."""
    return measure_side_by_side([args], runs)[0]


def measure_side_by_side(commands, runs):
    """[`measure`] of several commands, run in turn, in a shuffled order
    each round: the machine is shared, and its speed drifts over seconds,
    so commands compared with each other are measured over the same
    seconds."""
    samples = [[] for _ in commands]
    for round in range(runs + 2):
        order = list(range(len(commands)))
        random.shuffle(order)
        for i in order:
            sample = timed(commands[i])
            if round >= 2:
                samples[i].append(sample)
    return [
        (statistics.median(t for t, _ in s), statistics.median(m for _, m in s))
        for s in samples
    ]


TYPST_VERSION = "0.15.1"


def typst_cli():
    """The Typst CLI of the version banmian builds on: `typst` on PATH if it
    is that version, else installed once (10–15 minutes) into the target
    folder with `cargo install`."""
    found = shutil.which("typst")
    if found:
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
        if TYPST_VERSION in version:
            return found
    root = os.path.join(os.path.dirname(BUILT), "typst-cli")
    local = os.path.join(root, "bin", "typst")
    if not os.path.exists(local):
        print(f"installing typst-cli {TYPST_VERSION} into {root} (once)", file=sys.stderr)
        subprocess.run(["cargo", "install", "typst-cli", "--version", TYPST_VERSION, "--locked",
                        "--no-default-features", "--root", root], check=True)
    return local


def against_typst(runs, tmp):
    """The newspaper render against Typst alone on a plain page of the same
    report: its library in a process of its own (`examples/plain`, fonts in
    memory as banmian has them) and its CLI (fonts read from fonts/)."""
    plain = installed(os.path.join(BUILT, "examples", "plain"), tmp)
    project = os.path.join(tmp, "plain-project")
    subprocess.run([plain, DATA, "--project", project], check=True)
    cli = typst_cli()
    fonts = os.path.join(ROOT, "fonts")
    # The three side by side, round by round.
    (typst_ms, typst_mb), (cli_ms, cli_mb), (ours_ms, ours_mb) = measure_side_by_side([
        [plain, DATA, os.path.join(tmp, "plain.pdf")],
        [cli, "compile", "--root", project, "--ignore-system-fonts", "--font-path", fonts,
         os.path.join(project, "main.typ"), os.path.join(tmp, "plain-cli.pdf")],
        [BIN, "render", DATA, "--layout", "newspaper", "-o", os.path.join(tmp, "ours.pdf")],
    ], runs)
    for name, ms, mb in (("Typst's library", typst_ms, typst_mb), ("Typst's CLI", cli_ms, cli_mb)):
        ratio = ours_ms / ms
        verdict = "within" if ratio < TYPST_RATIO else "OVER"
        print(f"newspaper page against {name} alone on a plain page: banmian {ours_ms:.0f} ms, "
              f"{ours_mb:.0f} MiB; Typst {ms:.0f} ms, {mb:.0f} MiB: {ratio:.2f}×; "
              f"budget {TYPST_RATIO}×: {verdict}")


def installed(built, tmp):
    """A copy of a built program, as `cargo install` puts one on PATH (the
    Typst CLI of the comparison is such a copy). On this machine the file
    the linker wrote runs a render 5–8 ms slower than a copy of it, byte
    for byte the same (measured side by side; the page cache holds the
    two differently), so banmian and Typst are measured alike."""
    folder = os.path.join(tmp, "bin")
    os.makedirs(folder, exist_ok=True)
    copy = os.path.join(folder, os.path.basename(built))
    shutil.copy2(built, copy)
    return copy


def main():
    global BIN
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        BIN = installed(BIN, tmp)
        compose(runs, tmp)
        brochure_scaling(runs, tmp)
        against_typst(runs, tmp)
        batch(tmp)
        out = os.path.join(tmp, "page.pdf")
        for name, command, budget_ms, budget_mb in COMMANDS:
            for _ in range(2):
                run_once(command, out)
            samples = [run_once(command, out) for _ in range(runs)]
            times = [t for t, _ in samples]
            peaks = [m for _, m in samples]
            median_t, median_m = statistics.median(times), statistics.median(peaks)
            # The budgets are in MB (10^6 bytes); the peaks are measured in
            # MiB.
            verdict = "within" if median_t < budget_ms and max(peaks) * MIB_IN_MB < budget_mb else "OVER"
            print(f"{name}, {runs} runs: median {median_t:.0f} ms (min {min(times):.0f}, max {max(times):.0f}); "
                  f"peak memory median {median_m:.0f} MiB (max {max(peaks):.0f}); "
                  f"budget {budget_ms} ms, {budget_mb} MB: {verdict}")


if __name__ == "__main__":
    main()
