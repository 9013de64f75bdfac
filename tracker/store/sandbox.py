"""Run one read-only user query in a child process whose time and memory limits hold.

Why a child: DuckDB's interrupt is a request that some operators never look at
(`SELECT len(list(range(2e8::BIGINT)))` ran 40 s past a 2 s timeout), and such operators allocate
outside the memory DuckDB accounts for (14 GB with `memory_limit` at 1 GB). Neither can be stopped
from inside the process; a process can be killed, and its address space capped. So
`run_readonly_sql`:

1. starts `python -m tracker.store.sandbox` and sends it the request on stdin;
2. the child ties its life to the caller (`tracker.lifetime`), opens the database with
   `connect_readonly` (DuckDB `memory_limit`, `max_temp_directory_size`, `threads` from `SQLLimits`),
   caps its address space at what it uses once open plus the memory limit (RLIMIT_AS, so any
   allocation past it fails: DuckDB reports "Out of Memory", Python raises MemoryError), writes one
   byte to say it is ready, and runs the query with the in-process checks and interrupt timer of
   `safe_sql.user_query`, sending the rows back in batches as DuckDB produces them (streamed: neither
   process holds the whole result; the pipe's back-pressure keeps the child at most a batch ahead);
3. the caller waits at most `timeout_s` from that byte, plus `KILL_GRACE_S` for the interrupt to work,
   for the query and every batch, then SIGKILLs the child: the timeout holds within about a second
   whatever the query does.

Frames are length-prefixed pickles from a process running our own code: the column names, batches of
rows (the Python values DuckDB returns, as `run_user_sql` has them), then an end or an error.
`tracker sql` (read-only; `readonly_query` to stream csv/json, `run_readonly_sql` for a table) and the
dashboard's SQL page use this; the dashboard's own queries are ours and run in-process on its shared
connection (which has the same DuckDB limits).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import selectors
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tracker.store.limits import SQLLimits
from tracker.store.safe_sql import QueryTimeoutError, SQLError, UnsafeSQLError, result_frame

if TYPE_CHECKING:
    import pandas as pd

KILL_GRACE_S = 1.0  # after the timeout: time for DuckDB's own interrupt before the child is killed
START_TIMEOUT_S = 60.0  # to start Python and open the database (a loaded machine is slow, not stuck)
BATCH_ROWS = 2048  # at most this many rows a frame ...
FRAME_BYTES = 4 * 1024 * 1024  # ... and about this many bytes: wide rows go in smaller frames
FIRST_BATCH_ROWS = 64  # before a row's width is known
READY = b"R"
_HEADER = struct.Struct("!I")  # the byte length of the pickle that follows
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory that holds `tracker/`


def _error_classes() -> dict[str, type[ValueError]]:
    from tracker.store.store import StoreError

    return {c.__name__: c for c in (SQLError, UnsafeSQLError, QueryTimeoutError, StoreError)}


def _memory_message(limits: SQLLimits) -> str:
    return (
        f"the query needs more memory than the {limits.memory} limit "
        f"(raise it with --memory-limit or CLAIMTRACK_SQL_MEMORY, or add a LIMIT / select fewer columns)"
    )


class SandboxCursor:
    """The running query of a SQL child, read like a DuckDB cursor (`description`, `fetchmany`).

    `description` is None for a statement without a result. Every read waits at most until the
    deadline (the time limit counted from the child's ready byte, plus KILL_GRACE_S); past it the
    child is killed and QueryTimeoutError raised."""

    def __init__(
        self, proc: subprocess.Popen[bytes], stderr: IO[bytes], limits: SQLLimits, timeout_s: float, max_bytes: int | None
    ) -> None:
        self._proc, self._stderr, self._limits, self._timeout_s = proc, stderr, limits, timeout_s
        self._max_bytes, self._received = max_bytes, 0
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._buf = bytearray()
        self._rows: list[tuple[Any, ...]] = []
        self._done = False
        if not self._wait_readable(START_TIMEOUT_S):
            raise SQLError(f"the query process did not start within {START_TIMEOUT_S:g} s")
        if os.read(self._fd, 1) != READY:
            self._failed()
        self._deadline = time.monotonic() + timeout_s + KILL_GRACE_S if timeout_s and timeout_s > 0 else None
        names = self._frame()
        self.description = None if names is None else [(n,) for n in names]

    def fetchmany(self, n: int) -> list[tuple[Any, ...]]:
        while len(self._rows) < n and not self._done:
            batch = self._frame()
            if batch is None:
                self._done = True
            else:
                self._rows.extend(batch)
        out, self._rows = self._rows[:n], self._rows[n:]
        return out

    # -- frames --

    def _frame(self) -> Any:
        """The next frame's value: column names first, then row batches, None at the end."""
        size = _HEADER.unpack(self._read(_HEADER.size))[0]
        self._received += size
        if self._max_bytes is not None and self._received > self._max_bytes:
            self._proc.kill()  # the caller holds every row (a table): the limit holds on this side too
            raise SQLError(f"{_memory_message(self._limits)}; -f csv or -f json streams rows without holding them")
        kind, value = pickle.loads(self._read(size))
        if kind == "error":
            name, message, *holder = value
            if name == "DatabaseLocked":  # the caller says who holds the file and waits, as for its own opens
                from tracker.store.store import DatabaseLocked

                raise DatabaseLocked(message, holder[0])
            raise _error_classes().get(name, SQLError)(message)
        return value

    def _read(self, n: int) -> bytes:
        while len(self._buf) < n:
            left = None if self._deadline is None else self._deadline - time.monotonic()
            if (left is not None and left <= 0) or not self._wait_readable(left):
                self._proc.kill()
                raise QueryTimeoutError(f"query stopped after {self._timeout_s:g} s")
            chunk = os.read(self._fd, 1 << 16)
            if not chunk:
                self._failed()
            self._buf += chunk
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def _wait_readable(self, timeout_s: float | None) -> bool:
        with selectors.DefaultSelector() as sel:
            sel.register(self._fd, selectors.EVENT_READ)
            return bool(sel.select(timeout_s))

    def _failed(self) -> None:
        """The child's output ended before its last frame: it crashed or was killed (out of memory)."""
        returncode = self._proc.wait()
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        detail = " ".join(lines[-1:])
        if returncode < 0 or "MemoryError" in detail or "bad_alloc" in detail:
            raise SQLError(f"{_memory_message(self._limits)} [the query process ended with status {returncode}]")
        raise SQLError(f"the query process failed (status {returncode}): {detail or 'no message'}")


@contextlib.contextmanager
def readonly_query(
    path: str | Path,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int | None = None,
    limits: SQLLimits | None = None,
    hold: bool = False,
) -> Iterator[SandboxCursor]:
    """One read-only statement running in a SQL child; fetch from the cursor inside the block.

    Raises the same one-line errors as `safe_sql.user_query` (UnsafeSQLError, QueryTimeoutError,
    SQLError, StoreError). The child sends at most `max_rows + 1` rows (None: all), so a caller can
    tell a cut result; it is killed when the block ends. `hold=True` (the caller keeps every row, to
    show a table) caps the rows received at the memory limit too."""
    limits = limits or SQLLimits.from_env()
    request = {
        "path": str(Path(path).resolve()), "sql": sql, "timeout_s": timeout_s,
        "max_rows": None if max_rows is None else int(max_rows) + 1, "limits": limits.as_dict(), "owner": os.getpid(),
    }  # fmt: skip
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker.store.sandbox"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env,
        )  # fmt: skip
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(request).encode("utf-8"))
            proc.stdin.close()
            yield SandboxCursor(proc, stderr, limits, timeout_s, limits.memory_bytes if hold else None)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            assert proc.stdout is not None
            proc.stdout.close()


def run_readonly_sql(
    path: str | Path,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    limits: SQLLimits | None = None,
) -> pd.DataFrame:
    """The result of one read-only statement, as `safe_sql.run_user_sql` gives it, computed in a child."""
    with readonly_query(path, sql, timeout_s=timeout_s, max_rows=max_rows, limits=limits, hold=True) as cur:
        names = None if cur.description is None else [d[0] for d in cur.description]
        rows = cur.fetchmany(max_rows + 1) if names is not None else []
    return result_frame(names, rows[:max_rows], len(rows) > max_rows, max_rows)


# --- the child ---------------------------------------------------------------------------------


def _cap_address_space(extra_bytes: int) -> None:
    """RLIMIT_AS = what this process maps now (Python, DuckDB, the open database) + `extra_bytes`."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            vm_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return  # not Linux: DuckDB's memory_limit and the watchdog still apply
    cap = vm_kb * 1024 + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _send(out: IO[bytes], kind: str, value: Any) -> int:
    data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)))
    out.write(data)
    out.flush()
    return len(data)


def _stream(con: Any, req: dict[str, Any], out: IO[bytes]) -> None:
    """Run the query and send its column names, then its rows in frames of about FRAME_BYTES (so that a
    result of wide rows streams under the memory limit too), at most req["max_rows"] rows in all."""
    from tracker.store.safe_sql import user_query

    left, n = req["max_rows"], FIRST_BATCH_ROWS
    with user_query(con, req["sql"], timeout_s=float(req["timeout_s"])) as cur:
        if cur.description is None:
            _send(out, "names", None)
        else:
            _send(out, "names", [d[0] for d in cur.description])
            while left is None or left > 0:
                batch = cur.fetchmany(n if left is None else min(n, left))
                if not batch:
                    break
                if left is not None:
                    left -= len(batch)
                size = _send(out, "rows", batch)
                n = max(1, min(BATCH_ROWS, len(batch) * FRAME_BYTES // max(size, 1)))
                del batch
    _send(out, "end", None)


def _child() -> None:
    req = json.loads(sys.stdin.buffer.read())
    from tracker.lifetime import bind_to

    bind_to(int(req["owner"]))
    limits = SQLLimits(**req["limits"])
    # The frames get a descriptor of their own; fd 1 goes to stderr, so that nothing else writing to
    # stdout (a DuckDB progress bar, a library's print) can land inside a frame.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        from tracker.extracted import ExtractedError
        from tracker.store.parquet import connect_extracted, is_extracted_dir
        from tracker.store.store import DatabaseLocked, StoreError, connect_readonly

        try:
            if is_extracted_dir(req["path"]):  # `tracker extract --engine` output: its Parquet, read in place
                con = connect_extracted(req["path"])
            else:
                con = connect_readonly(req["path"], limits=limits)
        except DatabaseLocked as e:
            out.write(READY)
            _send(out, "error", ("DatabaseLocked", str(e), e.holder))
        except (StoreError, ExtractedError) as e:
            out.write(READY)
            _send(out, "error", ("StoreError", str(e)))
        else:
            _cap_address_space(limits.memory_bytes)
            out.write(READY)
            out.flush()
            _stream(con, req, out)
    except SQLError as e:
        _send(out, "error", (type(e).__name__, str(e)))
    except MemoryError:
        _send(out, "error", ("SQLError", _memory_message(limits)))
    except BrokenPipeError:
        pass  # the caller stopped reading (it had the rows it wanted)
    os._exit(0)  # no interpreter teardown: the connection and its threads just end


if __name__ == "__main__":
    _child()
