"""Build the dashboard tests' database: the real pipeline on the bundled sample when it exists, plus a
few hand-checked papers and claims written through the store's own `Store` class.

Why both: the pipeline gives the demo database a user sees; the hand-checked claims (real abstracts,
quotes verified to be substrings) make the ranking tests independent of what the extractor finds.
The browser tests import this file too (by path: test directories are not packages).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "papers.jsonl"
APP = ROOT / "dashboard" / "app.py"
FIXTURE_VERSION = "dashboard-fixture"


@dataclass(frozen=True)
class Demo:
    """The demo database and what the store says about it, read before the app opens the file.

    Why before: DuckDB shares one database instance per file within a process, and the dashboard's
    cached connection locks its configuration, so a second `connect_readonly` in the test process
    would fail once the app has run.
    """

    db: Path
    index: pd.DataFrame
    imagenet_csv: str


def fixture_records() -> list[dict[str, Any]]:
    """The hand-checked papers: {"in_sample": bool, "paper": {...}, "claims": [{quote, value, ...}]}."""
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _claims(paper: Any, raw: list[dict[str, Any]]) -> list[Any]:
    """Claims with offsets found in the abstract (the fixture names only the quote)."""
    from tracker.models import Claim

    out = []
    for c in raw:
        start = paper.abstract.index(c["quote"])
        fields = {k: v for k, v in c.items() if v is not None}
        out.append(
            Claim(paper_id=paper.id, paper=paper.title, start=start, end=start + len(c["quote"]),
                  extractor_version=FIXTURE_VERSION, **fields)  # fmt: skip
        )
    return out


def write_fixture(db: Path, records: list[dict[str, Any]]) -> None:
    """Insert `records` in one transaction through Store (the same write path as the loader)."""
    from tracker.models import Paper
    from tracker.store.store import Store, claim_rows, claims_table, papers_table
    from tracker.vocab import load_vocab

    papers = [Paper(**{**r["paper"], "published": date.fromisoformat(r["paper"]["published"])}) for r in records]
    rows = [row for p, r in zip(papers, records) for row in claim_rows(_claims(p, r["claims"]))]
    with Store(db) as store, store.transaction():
        store.sync_vocab(load_vocab())
        replace = list(store.existing([p.id for p in papers]))
        table = papers_table(papers, extractor_version=FIXTURE_VERSION, vocab_hash="fixture", loaded_at=datetime.now())
        store.write_batch(table, claims_table(rows), replace)
        store.add_unknown_metrics()


def load_sample(db: Path) -> None:
    """`python -m tracker load --sample --db DB`, as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "load", "--sample", "--db", str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"tracker load --sample failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def build_demo_db(db: Path) -> None:
    """Create the test database at `db` the way a user does, plus two hand-checked FID papers.

    The sample is loaded with the real pipeline, never a stand-in: a broken pipeline must fail the
    dashboard tests rather than let them pass on hand-written data. The extra papers make sure an
    FID leaderboard has at least two models, whatever the extractor finds in the sample.
    """
    load_sample(db)
    write_fixture(db, [r for r in fixture_records() if not r["in_sample"]])


# A `tracker load` that stops after opening the database for writing (its staging begun, as every load
# does) until a line arrives on its stdin, then loads and publishes as usual: a long load, on demand.
# Written to a file named `tracker` so that its command line reads like the user's (`tracker load ...`).
PAUSED_LOAD = """
import sys
from tracker import pipeline
from tracker.cli import main

_load_file = pipeline._load_file


def paused(*args, **kwargs):
    print("loading", flush=True)
    sys.stdin.readline()
    return _load_file(*args, **kwargs)


pipeline._load_file = paused
main()
"""


def start_paused_load(tmp: Path, db: Path, *inputs: Path) -> subprocess.Popen[str]:
    """`tracker load INPUTS --db DB` holding the database (written: its staging begun) until `finish_load`."""
    script = tmp / "bin" / "tracker"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(PAUSED_LOAD, encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), "load", *map(str, inputs), "--db", str(db), "--jobs", "1", "--quiet"],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "loading":
        proc.kill()
        raise RuntimeError(f"the paused load did not start: {line!r} {proc.communicate()[1][-3000:]}")
    return proc


def finish_load(proc: subprocess.Popen[str]) -> str:
    """Let the paused load go on; its summary line (it must succeed)."""
    out, err = proc.communicate("go\n", timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"the paused load failed ({proc.returncode}): {err[-3000:]}")
    return out.strip().splitlines()[-1]
