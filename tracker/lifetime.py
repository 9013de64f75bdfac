"""Helper processes end with the process they work for, even when that one is SIGKILLed.

Why: a killed `tracker load` used to leave its forkserver, its resource tracker and two ~100 MB
extraction workers alive for minutes (a worker blocks forever on a queue whose other end nobody will
ever write again), and a query child of `tracker sql` would run on after its parent. Two mechanisms,
both cheap:

* `die_with_parent()`: Linux's `prctl(PR_SET_PDEATHSIG, SIGKILL)`, so the kernel kills this process
  the moment its parent thread's process exits (called in the forkserver, in every extraction worker
  and in the SQL child; a no-op elsewhere).
* `watch_process(pid)`: a daemon thread that polls whether `pid` (the process the helper works for,
  which is not always its direct parent: forkserver workers are children of the forkserver) still
  runs, and ends this process when it does not. The fallback where prctl is unavailable, and the
  guard against a parent that died before prctl was called.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL_S = 0.5


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent exits; True when that is in place."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return True


def process_alive(pid: int) -> bool:
    """Whether `pid` runs: exists and is not a zombie (a killed process stays a zombie until reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return True  # no /proc (not Linux): the kill(0) above is all we know
    # "pid (comm) S ...": the state follows the last ')' (comm may contain parentheses).
    state = stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3]
    return state not in (b"Z", b"X")


def watch_process(pid: int, interval_s: float = WATCH_INTERVAL_S) -> threading.Thread:
    """Start a daemon thread that ends this process (exit status 1) once `pid` no longer runs."""

    def _watch() -> None:
        while process_alive(pid):
            time.sleep(interval_s)
        os._exit(1)

    t = threading.Thread(target=_watch, name=f"watch-{pid}", daemon=True)
    t.start()
    return t


def bind_to(pid: int) -> None:
    """Both mechanisms: die with the direct parent, and end once `pid` is gone (checked right away too)."""
    die_with_parent()
    if not process_alive(pid):
        os._exit(1)
    watch_process(pid)
