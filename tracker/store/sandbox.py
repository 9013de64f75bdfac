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
   `safe_sql.execute_user_sql`;
3. the caller waits `timeout_s` from that byte, plus `KILL_GRACE_S` for the interrupt to work, then
   SIGKILLs the child: the timeout holds within about a second whatever the query does.

The result comes back pickled (column names, rows, truncated) from a process running our own code;
the rows are the Python values DuckDB returns, as `run_user_sql` has them. `tracker sql` (read-only)
and the dashboard's SQL page use this; the dashboard's own queries are ours and run in-process on
its shared connection (which has the same DuckDB limits).
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.store.limits import SQLLimits
from tracker.store.safe_sql import QueryTimeoutError, SQLError, UnsafeSQLError, result_frame

if TYPE_CHECKING:
    import pandas as pd

KILL_GRACE_S = 1.0  # after the timeout: time for DuckDB's own interrupt before the child is killed
START_TIMEOUT_S = 60.0  # to start Python and open the database (a loaded machine is slow, not stuck)
READY = b"R"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory that holds `tracker/`


def _error_classes() -> dict[str, type[ValueError]]:
    from tracker.store.store import StoreError

    return {c.__name__: c for c in (SQLError, UnsafeSQLError, QueryTimeoutError, StoreError)}


def _memory_message(limits: SQLLimits) -> str:
    return (
        f"the query needs more memory than the {limits.memory} limit "
        f"(raise it with --memory-limit or CLAIMTRACK_SQL_MEMORY, or add a LIMIT / select fewer columns)"
    )


def run_readonly_sql(
    path: str | Path,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    limits: SQLLimits | None = None,
) -> pd.DataFrame:
    """The result of one read-only statement, as `safe_sql.run_user_sql` gives it, computed in a child.

    Raises the same one-line errors (UnsafeSQLError, QueryTimeoutError, SQLError, StoreError).
    """
    limits = limits or SQLLimits.from_env()
    request = {
        "path": str(Path(path).resolve()), "sql": sql, "timeout_s": timeout_s, "max_rows": max_rows,
        "limits": limits.as_dict(), "owner": os.getpid(),
    }  # fmt: skip
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker.store.sandbox"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(request).encode("utf-8"))
        proc.stdin.close()
        proc.stdin = None  # sent; communicate() below must not flush it again
        if not _wait_ready(proc, START_TIMEOUT_S):
            raise SQLError(f"the query process did not start within {START_TIMEOUT_S:g} s")
        wait = timeout_s + KILL_GRACE_S if timeout_s and timeout_s > 0 else None
        try:
            out, err = proc.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise QueryTimeoutError(f"query stopped after {timeout_s:g} s") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return _result(out, err, proc.returncode, limits, max_rows)


def _wait_ready(proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Read the child's ready byte; False when it did not come in time (or the child died first)."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout_s):
            return False
    return os.read(proc.stdout.fileno(), 1) == READY


def _result(out: bytes, err: bytes, returncode: int, limits: SQLLimits, max_rows: int) -> pd.DataFrame:
    try:
        payload = pickle.loads(out) if out else None
    except Exception:  # noqa: BLE001 - a child killed mid-write: say what happened below
        payload = None
    if not isinstance(payload, dict):
        detail = " ".join(err.decode("utf-8", "replace").strip().splitlines()[-1:])
        if returncode < 0 or "MemoryError" in detail or "bad_alloc" in detail:
            raise SQLError(f"{_memory_message(limits)} [the query process ended with status {returncode}]")
        raise SQLError(f"the query process failed (status {returncode}): {detail or 'no message'}")
    if "error" in payload:
        kind, message = payload["error"]
        raise _error_classes().get(kind, SQLError)(message)
    names, rows, truncated = payload["ok"]
    return result_frame(names, rows, truncated, max_rows)


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


def _child() -> None:
    req = json.loads(sys.stdin.buffer.read())
    from tracker.lifetime import bind_to

    bind_to(int(req["owner"]))
    limits = SQLLimits(**req["limits"])
    out = sys.stdout.buffer
    ready = False
    try:
        from tracker.store.safe_sql import execute_user_sql
        from tracker.store.store import StoreError, connect_readonly

        try:
            con = connect_readonly(req["path"], limits)
        except StoreError as e:
            payload: dict[str, Any] = {"error": ("StoreError", str(e))}
        else:
            _cap_address_space(limits.memory_bytes)
            out.write(READY)
            out.flush()
            ready = True
            result = execute_user_sql(con, req["sql"], timeout_s=float(req["timeout_s"]), max_rows=int(req["max_rows"]))
            payload = {"ok": result}
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except SQLError as e:
        data = pickle.dumps({"error": (type(e).__name__, str(e))})
    except MemoryError:
        data = pickle.dumps({"error": ("SQLError", _memory_message(limits))})
    if not ready:
        out.write(READY)
    out.write(data)
    out.flush()
    os._exit(0)  # no interpreter teardown: the connection and its threads just end


if __name__ == "__main__":
    _child()
