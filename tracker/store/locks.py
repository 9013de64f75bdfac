"""Who holds a database file, and opening one that is briefly busy.

Why a module of its own: DuckDB lets one process write a file, or any number read it, never both, and
its error only says "Conflicting lock is held in /usr/bin/python3 (PID 1234)". A user needs to know
*what* holds the file (a `tracker load`, the dashboard, a `--write` session) and what to do, and a
writer that meets a short read (the dashboard answering a click) should wait a moment, not fail.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import duckdb

ENV_LOCK_WAIT = "CLAIMTRACK_LOCK_WAIT"
DEFAULT_LOCK_WAIT_S = 5.0
RETRY_EVERY_S = 0.1
_PID_RE = re.compile(r"\(PID (\d+)\)")
# DuckDB's two ways of saying "someone else has this file": another process's lock, or this process's
# own connection of the other kind (a dashboard session reading while another one saves a review).
LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "different configuration than existing connections")
T = TypeVar("T")


def is_lock_error(e: BaseException) -> bool:
    return any(m in str(e) for m in LOCK_MARKERS)


def lock_wait_s() -> float:
    """How long a writer waits for a busy file: $CLAIMTRACK_LOCK_WAIT seconds, else 5."""
    raw = os.environ.get(ENV_LOCK_WAIT, "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_LOCK_WAIT_S
    except ValueError:
        return DEFAULT_LOCK_WAIT_S


@dataclass(frozen=True)
class Holder:
    """The process that holds a database file, as far as /proc tells."""

    pid: int | None
    command: str | None  # "tracker load papers.jsonl", "tracker dashboard", ...
    since: datetime | None  # when that process started

    @property
    def kind(self) -> str:
        """dashboard, load, sql-write, review, tracker, other or unknown (what to advise)."""
        cmd = self.command or ""
        if self.pid is None and not cmd:
            return "unknown"
        if cmd.startswith("tracker dashboard"):
            return "dashboard"
        if cmd.startswith("tracker load"):
            return "load"
        if cmd.startswith("tracker sql") and "--write" in cmd:
            return "sql-write"
        if cmd.startswith(("tracker review", "tracker reviews")):
            return "review"
        if cmd.startswith("tracker"):
            return "tracker"
        return "other"

    def describe(self) -> str:
        """"process 1234 (`tracker load big.json.gz`)", or what is known of it."""
        if self.pid is None:
            return "another process"
        return f"process {self.pid}" + (f" (`{self.command}`)" if self.command else "")

    def advice(self) -> str:
        """What to do about it, by what the holder is."""
        return {
            "dashboard": "the dashboard only holds the file while it answers a query; try again in a moment "
            "(a long query on its SQL page holds it until it ends)",
            "load": "a load writes until it has published everything; wait for it to finish, "
            "or stop it (Ctrl-C: nothing is half-written)",
            "sql-write": "a `tracker sql --write` session holds it; end that session",
        }.get(self.kind, "try again when it has finished")


def _short_command(argv: list[str]) -> str | None:
    """A process's command line as a user typed it (`tracker ...` for claimtrack's own processes), on one
    line and at most 100 characters."""
    args = [" ".join(a.split()) for a in argv if a]
    if not args:
        return None
    if "streamlit" in " ".join(args) and any(a.endswith(("dashboard/app.py", "dashboard\\app.py")) for a in args):
        return "tracker dashboard"
    words = [os.path.basename(args[0]), *args[1:]]
    for i, a in enumerate(args):
        if os.path.basename(a) == "tracker":
            words = ["tracker", *args[i + 1 :]]
            break
        if a == "-m" and i + 1 < len(args) and args[i + 1] == "tracker":
            words = ["tracker", *args[i + 2 :]]
            break
        if a == "-c" and i + 1 < len(args):  # python -c CODE: the code is no name a user knows
            words = [os.path.basename(args[0]), "-c", "..."]
            break
    text = " ".join(words)
    return text if len(text) <= 100 else text[:99] + "…"


def _start_time(pid: int) -> datetime | None:
    """The process's start time from /proc (Linux); None where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat[stat.rindex(")") + 2 :].split()[19])  # field 22: starttime, in clock ticks since boot
        btime = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
        return datetime.fromtimestamp(btime + ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def holder_of(error: BaseException | str) -> Holder:
    """The holder named in a DuckDB lock error (its PID), with its command line and start time."""
    text = str(error)
    m = _PID_RE.search(text)
    if m is None:
        if "different configuration" in text:  # this very process holds it (another dashboard session)
            return describe_pid(os.getpid())
        return Holder(None, None, None)
    return describe_pid(int(m.group(1)))


def describe_pid(pid: int) -> Holder:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        argv = []
    return Holder(pid, _short_command(argv), _start_time(pid))


def retry_while_locked(open_fn: Callable[[], T], wait_s: float) -> T:
    """open_fn(), tried again every 0.1 s for up to `wait_s` seconds while the file is locked."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_fn()
        except duckdb.Error as e:
            if not is_lock_error(e) or time.monotonic() >= deadline:
                raise
        time.sleep(RETRY_EVERY_S)
