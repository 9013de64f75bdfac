"""The dashboard's cache of query results, bounded in bytes instead of entries.

Why not `st.cache_data(max_entries=...)`: an entry can be anything from 100 bytes to the size of a
query result (the SQL page returns up to 10,000 rows of any width), so a bound on entries is no bound
on memory: four 200 MB results of the SQL box held 1.4 GB. Here every entry is measured when it is
stored (`df.memory_usage(deep=True)` for frames, the pickled size otherwise) and the least recently
used entries are evicted while the total is over the budget; a single result larger than the
budget is returned but not kept.

    CLAIMTRACK_DASHBOARD_CACHE   256MB   the budget, shared by every page and session of one server

The database file's identity (size, mtime, inode of the file and its WAL) is part of every key, so a
result is never served for a file that has changed since (another load, a review applied). Callers
get a copy of the cached value, as from `st.cache_data`, so a page that edits a frame cannot change
what the next page gets.
"""

from __future__ import annotations

import copy
import functools
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from tracker.store.limits import parse_size

ENV_BUDGET = "CLAIMTRACK_DASHBOARD_CACHE"
DEFAULT_BUDGET = "256MB"
F = TypeVar("F", bound=Callable[..., Any])


def size_of(value: Any) -> int:
    """Bytes a cached value holds (deep for frames: object columns count their strings)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if isinstance(value, (tuple, list)) and value and any(isinstance(v, pd.DataFrame) for v in value):
        return sum(size_of(v) for v in value)
    if isinstance(value, (str, bytes)):
        return len(value)
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - unpicklable: count it as large rather than fail the page
        return 1 << 20


class ByteCache:
    """A thread-safe LRU mapping whose values together hold at most `budget` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict[bytes, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.total = 0

    def get(self, key: bytes) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._items:
                return False, None
            self._items.move_to_end(key)
            return True, self._items[key][0]

    def put(self, key: bytes, value: Any) -> None:
        size = size_of(value)
        if size > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.total -= old[1]
            self._items[key] = (value, size)
            self.total += size
            while self.total > self.budget:
                _, (_, evicted) = self._items.popitem(last=False)
                self.total -= evicted

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._items)


CACHE = ByteCache(parse_size(os.environ.get(ENV_BUDGET, DEFAULT_BUDGET), ENV_BUDGET))


def file_identity(path: str) -> tuple[tuple[int, int, int], ...]:
    """What changes when a database file changes: (size, mtime, inode) of the file and its WAL."""
    out = []
    for p in (path, path + ".wal"):
        try:
            st = os.stat(p)
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((-1, -1, -1))
    return tuple(out)


def cached(fn: F) -> F:
    """Cache `fn(path, *args, **kwargs)` in CACHE; the first argument is the database path.

    Exceptions are not cached (a retry after the database is free must work)."""

    @functools.wraps(fn)
    def wrapper(path: str, *args: Any, **kwargs: Any) -> Any:
        key = pickle.dumps((fn.__module__, fn.__qualname__, path, file_identity(path), args, sorted(kwargs.items())))
        hit, value = CACHE.get(key)
        if not hit:
            value = fn(path, *args, **kwargs)
            CACHE.put(key, value)
        return copy.deepcopy(value)

    return wrapper  # type: ignore[return-value]
