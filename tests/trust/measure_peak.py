"""Run a command and report its exit status, stderr, wall time and peak RSS as one JSON line.

Why a separate process: `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the largest peak of every child
(and grandchild) a process has waited for, so it must be read in a process that ran nothing else.
A guard polls the RSS of the command's process tree and kills the tree above `--guard-mb`, so a
regression fails the test instead of eating the machine's memory.

    python measure_peak.py --guard-mb 3000 --timeout 90 -- CMD ARGS...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proc_util import descendants, rss_kb  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard-mb", type=int, required=True)
    ap.add_argument("--timeout", type=float, required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    guard = None
    while proc.poll() is None:
        tree = {proc.pid} | descendants(proc.pid)
        used = sum(rss_kb(p) for p in tree)
        if used > args.guard_mb * 1024:
            guard = f"RSS of the process tree reached {used // 1024} MB"
        elif time.monotonic() - t0 > args.timeout:
            guard = f"still running after {args.timeout:g} s"
        if guard:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    elapsed = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "returncode": proc.returncode, "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace"),
        "seconds": elapsed, "peak_mb": peak / 1024, "guard": guard,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
