"""Smoke run of the benchmark: 1,000 records and 20k claims produce every row of the table.

Checks that the harness runs end to end (generators, `tracker load` as a subprocess, reload, 1%-changed
reload, extraction alone, quantulum3 when installed, the query benchmarks) - not the targets, which
only mean something at full size on a quiet machine (see benchmarks/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "benchmarks" / "run.py"

# The table's rows at one input size, in the order run.py prints them (prefixes of the figure column).
ROWS = [
    "`tracker load` end to end, 1k records",
    "extraction alone, one core",
    "quantulum3 on the same abstracts",
    "tracker extraction / quantulum3 speed",
    "floor: one regex pass for numbers, one core",
    "vocabulary load + phrase indexes, one new process",
    "CPU of `tracker extract --jobs 1` (1k records): full generated vocabulary vs curated alone",
    "loading the same 1k snapshot again",
    "loading a 1k snapshot with 1% of abstracts changed",
    "peak resident memory of the load, 1k records",
    "leaderboard query (one task/dataset/metric), 20k claims",
    "dashboard leaderboard page data, 20k claims",
]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict, float]:
    out = tmp_path_factory.mktemp("bench")
    cmd = [sys.executable, str(RUN), "--size", "1000", "--claims", "20000", "--jobs", "2",
           "--extract-sample", "500", "--quantulum-sample", "10", "--cli-extract-records", "1000", "--repeats", "3", "--out", str(out)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600, env={**os.environ, "PYTHONHASHSEED": "0"})
    seconds = time.perf_counter() - t0
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    return proc, results, seconds


def test_runs_and_exits_with_the_table(smoke: tuple[subprocess.CompletedProcess[str], dict, float]) -> None:
    proc, results, _ = smoke
    assert proc.returncode in (0, 1), proc.stderr[-3000:]  # 1 = some target missed, fine at smoke size
    assert results, f"no results.json\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-3000:]}"
    assert proc.stdout.startswith("| figure | target | measured | result |")


@pytest.mark.parametrize("figure", ROWS)
def test_every_row_is_there(smoke: tuple[subprocess.CompletedProcess[str], dict, float], figure: str) -> None:
    proc, results, _ = smoke
    rows = [r for r in results.get("rows", []) if r["figure"].startswith(figure)]
    assert len(rows) == 1, f"row {figure!r} missing\n{proc.stdout[-3000:]}"
    row = rows[0]
    assert row["measured"] and row["result"] in ("PASS", "FAIL", "—")
    assert f"| {row['figure']} |" in proc.stdout


def test_correctness_checks_hold(smoke: tuple[subprocess.CompletedProcess[str], dict, float]) -> None:
    """Whatever the speed, reloading re-extracts nothing and the 1%-changed load replaces exactly."""
    _, results, _ = smoke
    by = {r["figure"]: r for r in results["rows"]}
    reload = next(r for f, r in by.items() if f.startswith("loading the same"))
    changed = next(r for f, r in by.items() if f.startswith("loading a 1k snapshot with 1%"))
    assert reload["details"]["summary"]["new"] == 0 and reload["details"]["summary"]["changed"] == 0
    assert changed["details"]["changed"] == 10
    assert changed["details"]["summary"]["changed"] == 10
    assert changed["details"]["exact"] and changed["details"]["others_kept"] and changed["details"]["rehashed"]

