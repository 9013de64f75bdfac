"""The process table from /proc (Linux): who descends from whom, how much memory each holds."""

from __future__ import annotations

import os
from pathlib import Path


def parents() -> dict[int, int]:
    """pid -> parent pid of every process on the machine."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        out[int(name)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, grandchildren, ...)."""
    table = parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in table.items() if pp in frontier and p not in found}
        found |= frontier
    return found


def rss_kb(pid: int) -> int:
    """Resident memory of `pid` in KB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
