"""Shared helpers of the trust tests: run the real CLI, snapshot a database, real abstracts.

The trust tests check what a user sees when things go wrong (bad files, a killed load, hostile
SQL, two processes on one database), always through the real entry points: `python -m tracker`
as a subprocess, `connect_readonly` / `run_user_sql` on a real loaded database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bad_inputs"
DEV_ABSTRACTS = Path("/work/shared/data/dev_abstracts.jsonl")
SAMPLE_TEXT = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"

# A "record" as readers name it: "line 12", "entry 3", "paper 7" (ARCHITECTURE.md, ReaderError).
RECORD_RE = r"\b(?:line|entry|paper|record|row|item)\s+\d+"


def tracker_env(code_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CLAIMTRACK_VOCAB", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    return env


def frozen_code(dest: Path) -> Path:
    """A copy of the packages, so that every subprocess of one test runs the same code even while the
    shared working tree is being edited; run with cwd=dest and tracker_env(dest)."""
    for pkg in ("tracker", "extractors"):
        shutil.copytree(ROOT / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def run_tracker(
    *args: str | os.PathLike, timeout: float = 120, code_dir: Path | None = None, **kw
) -> subprocess.CompletedProcess:
    """`python -m tracker ARGS` in a subprocess, as a user runs it (stdout/stderr captured as text)."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", *map(str, args)],
        cwd=code_dir or ROOT,
        env=tracker_env(code_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def tracker_cmd(*args: str | os.PathLike) -> list[str]:
    return [sys.executable, "-m", "tracker", *map(str, args)]


def stderr_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if ln.strip()]


def assert_one_line_error(proc: subprocess.CompletedProcess, *must_contain: str, what: str = "") -> str:
    """Exit 1, exactly one non-empty stderr line, no traceback; returns the line."""
    ctx = f"{what}\nexit={proc.returncode}\nstdout={proc.stdout[-2000:]!r}\nstderr={proc.stderr[-4000:]!r}"
    assert proc.returncode == 1, f"expected exit code 1, got {proc.returncode}: {ctx}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, f"traceback shown: {ctx}"
    lines = stderr_lines(proc)
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}: {ctx}"
    for s in must_contain:
        assert s.lower() in lines[0].lower(), f"stderr line does not name {s!r}: {ctx}"
    return lines[0]


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copy2(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, dst.with_name(dst.name + ".wal"))
    return dst


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def db_snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, opened read-only with plain duckdb (not the code under test)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in base_tables(con)}
    finally:
        con.close()


def volatile_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Columns that legitimately differ between two loads of the same input (load time, run ids)."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? AND database_name = current_database()",
        [table],
    ).fetchall()
    out = set()
    for name, dtype in rows:
        if dtype.upper().startswith("TIMESTAMP") or re.search(r"(loaded|created|updated|inserted)_at|load_id|run_id|batch", name):
            out.add(name)
    return out


def stable_rows(con: duckdb.DuckDBPyConnection, table: str, where: str = "", params=()) -> list[tuple]:
    """Rows of `table` without its volatile columns, sorted."""
    cols = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = current_database() "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    ]
    keep = [c for c in cols if c not in volatile_columns(con, table)]
    sel = ", ".join(f'"{c}"' for c in keep)
    return con.execute(f'SELECT {sel} FROM "{table}" {where} ORDER BY ALL', list(params)).fetchall()


def load_real_abstracts() -> list[tuple[str, str]]:
    """(title, abstract) pairs: the 150 dev abstracts and the papers of the shipped daily-papers sample."""
    out: list[tuple[str, str]] = []
    with DEV_ABSTRACTS.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.append((r["title"], r["abstract"]))
    # The daily-papers page text: a title line, a blank line, then the abstract as one long paragraph.
    lines = [ln.strip() for ln in SAMPLE_TEXT.read_text(encoding="utf-8").splitlines()]
    nonblank = [ln for ln in lines if ln]
    for i, ln in enumerate(nonblank):
        if len(ln) > 300 and i > 0 and 10 < len(nonblank[i - 1]) < 300:
            out.append((nonblank[i - 1], ln))
    return out


@pytest.fixture(scope="session")
def real_abstracts() -> list[tuple[str, str]]:
    return load_real_abstracts()


def load_good(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A database holding good.jsonl, loaded by the real CLI (a module fixture of several trust tests)."""
    path = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return path
