#!/usr/bin/env python3
"""Which files does banmian open while the bad-input suite runs?

Runs `tests/bad_input.rs` (already built: `cargo test --release --no-run`)
under strace and lists every file a banmian process opened outside the
test's own folder and the system's libraries. Needs strace (Debian:
strace). Not part of the test command: an audit for a person to read.

    python3 tools/audit_reads.py

Expected: nothing. (Relative paths are the test's folder: the report, its
photos, out/, and a `fonts` link the suite points at /proc on purpose as
a --font-path; what `setpriv`, which runs banmian as another user, reads
before it starts banmian is left out.)
"""

import collections
import glob
import os
import re
import subprocess
import sys

ALLOWED = (
    "/lib", "/usr/lib", "/etc/ld.so.cache", "/proc/self/", "/sys/devices/system/cpu",
    "/sys/fs/cgroup", "/dev/null", "/dev/urandom", "/proc/sys/kernel/",
)


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binaries = [b for b in glob.glob(os.path.join(root, "target/release/deps/integration-*"))
                if not b.endswith(".d")]
    if not binaries:
        print("build the tests first: cargo test --release --no-run", file=sys.stderr)
        return 2
    suite = max(binaries, key=os.path.getmtime)
    log = "/tmp/banmian-audit.strace"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=openat,open,execve", "-o", log,
                    suite, "bad_input::", "--test-threads", "2"], check=True, cwd=root)
    banmian, before, opened = set(), set(), collections.defaultdict(list)
    for line in open(log, encoding="utf-8", errors="replace"):
        m = re.match(r"(\d+)\s+(\w+)\((.*)", line)
        if not m:
            continue
        pid, call, rest = m.groups()
        if call == "execve" and "release/banmian\"" in rest:
            banmian.add(pid)
            # What the process opened before it became banmian (setpriv).
            before.update((pid, p) for p, _ in opened[pid])
        elif call in ("openat", "open"):
            path = re.search(r'"([^"]*)"', rest)
            if path:
                opened[pid].append((path.group(1), rest))
    outside = collections.Counter()
    for pid in banmian:
        for path, _ in opened[pid]:
            if (pid, path) in before or path.startswith(ALLOWED) or path.startswith("/tmp/.tmp"):
                continue
            if not path.startswith("/"):
                continue  # relative to the test's folder
            outside[path] += 1
    print(f"{len(banmian)} banmian processes; opened outside their test folder:")
    for path, count in sorted(outside.items()):
        print(f"  {count:3}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
