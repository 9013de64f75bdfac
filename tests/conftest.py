"""Fixtures shared by every test suite."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

# Writers and CLI readers wait this long for a busy file (tracker/store/locks.py; 5 s by default): the
# tests that hold a lock on purpose would otherwise each wait 5 s. Child processes inherit it.
os.environ.setdefault("CLAIMTRACK_LOCK_WAIT", "1")

_HOLD_LOCK = textwrap.dedent("""
    import duckdb, sys
    con = duckdb.connect(sys.argv[1])  # a writable connection takes DuckDB's file lock
    print("locked", flush=True)
    sys.stdin.read()  # hold it until the test closes our stdin
""")


@contextmanager
def _hold_write_lock(db: Path) -> Iterator[None]:
    """Another process holds a writable connection to `db` for the duration of the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.fixture
def write_lock() -> Callable[[Path], AbstractContextManager[None]]:
    """`with write_lock(db): ...` runs the block while another process holds db's write lock."""
    return _hold_write_lock


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `pytest -n N --dist loadgroup` (make test), every test without its own xdist_group runs on the
    worker of its module: a module-scoped fixture (a loaded database, the benchmark smoke run) is then
    built once, not once per worker that happens to get one of the module's tests."""
    if not config.getoption("dist", "no") == "loadgroup":
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
