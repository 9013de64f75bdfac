"""The resource limits of read-only connections: DuckDB memory, spill size and threads.

Why here and not in DuckDB's defaults: DuckDB lets a connection take 80% of the machine's RAM, spill
without bound and use every core; a user query on the SQL box or `tracker sql` could then starve the
machine. The limits below are applied to every `connect_readonly` connection (DuckDB settings, fixed
before the configuration is locked), and the SQL child (`sandbox.py`) also caps its address space
with them, because some DuckDB operators (`list()` of a huge range, say) allocate outside the
memory DuckDB accounts for.

Defaults, and how to change them (environment, or `tracker sql --memory-limit/--threads`):
    CLAIMTRACK_SQL_MEMORY   1GB   DuckDB memory_limit, and the query child's extra address space
    CLAIMTRACK_SQL_TEMP     1GB   DuckDB max_temp_directory_size (what a query may spill to disk)
    CLAIMTRACK_SQL_THREADS  2     DuckDB threads
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass

ENV_MEMORY = "CLAIMTRACK_SQL_MEMORY"
ENV_TEMP = "CLAIMTRACK_SQL_TEMP"
ENV_THREADS = "CLAIMTRACK_SQL_THREADS"
DEFAULT_MEMORY = "1GB"
DEFAULT_TEMP = "1GB"
DEFAULT_THREADS = 2

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b|bytes?)?\s*$", re.IGNORECASE)
_UNIT = {"": 1, "b": 1, "byte": 1, "bytes": 1}
for _i, _p in enumerate("kmgt", start=1):
    _UNIT |= {_p: 1000**_i, f"{_p}b": 1000**_i, f"{_p}i": 1024**_i, f"{_p}ib": 1024**_i}


class LimitError(ValueError):
    """A limit given by the user that cannot be read; one line naming the setting."""


def parse_size(text: str, what: str) -> int:
    """Bytes of "1GB", "512MB", "2GiB", "1.5gb" (DuckDB's spellings: KB/MB/GB are powers of 1000)."""
    m = _SIZE_RE.match(str(text))
    if not m:
        raise LimitError(f"{what}: cannot read {text!r} as a size (examples: 512MB, 1GB, 2GiB)")
    n = float(m.group(1)) * _UNIT[(m.group(2) or "").lower()]
    if n < 16 * 1024 * 1024:
        raise LimitError(f"{what}: {text!r} is below the 16MB minimum")
    return int(n)


@dataclass(frozen=True)
class SQLLimits:
    """Limits of one read-only connection; sizes as DuckDB spells them ("1GB")."""

    memory: str = DEFAULT_MEMORY
    temp: str = DEFAULT_TEMP
    threads: int = DEFAULT_THREADS

    @classmethod
    def from_env(cls, *, memory: str | None = None, temp: str | None = None, threads: int | None = None) -> SQLLimits:
        """Explicit values first (CLI flags), then the environment, then the defaults; checked."""
        raw_threads = threads if threads is not None else os.environ.get(ENV_THREADS, DEFAULT_THREADS)
        try:
            n_threads = int(raw_threads)
        except (TypeError, ValueError):
            raise LimitError(f"{ENV_THREADS}: {raw_threads!r} is not a whole number") from None
        if n_threads < 1:
            raise LimitError(f"threads: {n_threads} is below 1")
        limits = cls(
            memory=str(memory or os.environ.get(ENV_MEMORY) or DEFAULT_MEMORY).strip(),
            temp=str(temp or os.environ.get(ENV_TEMP) or DEFAULT_TEMP).strip(),
            threads=n_threads,
        )
        limits.memory_bytes  # noqa: B018 - validates
        parse_size(limits.temp, ENV_TEMP)
        return limits

    @property
    def memory_bytes(self) -> int:
        return parse_size(self.memory, f"memory limit ({ENV_MEMORY} or --memory-limit)")

    def duckdb_config(self) -> dict[str, str]:
        """The DuckDB settings, passed at connect time (before the configuration is locked)."""
        return {
            "memory_limit": self.memory,
            "max_temp_directory_size": self.temp,
            "threads": str(self.threads),
        }

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
