"""Helpers of the review tests: run `tracker` commands and read what a user would see.

(A module of its own, not conftest.py: test directories are not packages, and several conftest
modules would collide under one name.)"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.store import connect_readonly, queries

ROOT = Path(__file__).resolve().parents[2]
IMAGENET = ("ImageNet-1K", "top1_accuracy")


def tracker_subprocess(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m tracker ARGS` exactly as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout[-500:]!r}, stderr={self.stderr[-500:]!r})"


def tracker(*args: Any) -> Result:
    """`tracker ARGS` in-process (Typer's runner): the same code path as the console script, faster."""
    res = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return Result(res.exit_code, res.stdout, res.stderr)


def ok(*args: Any) -> Result:
    res = tracker(*args)
    assert res.code == 0, res
    return res


@contextmanager
def ro(db: Path) -> Iterator[Any]:
    con = connect_readonly(db)
    try:
        yield con
    finally:
        con.close()


def board(db: Path, dataset: str = IMAGENET[0], metric: str = IMAGENET[1], *, with_baselines: bool = False) -> pd.DataFrame:
    with ro(db) as con:
        return queries.leaderboard(con, dataset=dataset, metric=metric, with_baselines=with_baselines)


def exported(db: Path, tmp_path: Path, dataset: str = IMAGENET[0], metric: str = IMAGENET[1],
             *options: str) -> list[dict[str, str]]:  # fmt: skip
    """The rows `tracker export --dataset --metric -o FILE [options]` writes."""
    out = tmp_path / f"export-{dataset}-{metric}.csv"
    res = tracker("export", "--db", db, "--dataset", dataset, "--metric", metric, "-o", out, *options)
    if res.code != 0:
        return []
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def effective(db: Path) -> list[tuple[Any, ...]]:
    """Every effective claim, sorted: what leaderboards and exports are made of."""
    with ro(db) as con:
        return con.execute("SELECT * FROM claims_effective ORDER BY claim_id").fetchall()


def sql(db: Path, query: str, params: Any = None) -> list[tuple[Any, ...]]:
    with ro(db) as con:
        return con.execute(query, params).fetchall() if params is not None else con.execute(query).fetchall()


def journal_lines(db: Path) -> list[str]:
    path = Path(f"{db}.reviews.jsonl")
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
