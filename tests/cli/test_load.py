"""`tracker load` / `extract` / `eval` end to end on real-format inputs (readers + extractor + store)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tracker import pipeline
from tracker.cli import app
from tracker.models import Claim

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "cli"
SCORE = ROOT / "tests" / "fixtures" / "shared" / "score.py"  # vendored copies of ../shared/
GOLD = ROOT / "tests" / "fixtures" / "shared" / "seed.jsonl"
TABLES = ("papers", "claims", "metrics", "datasets", "tasks", "units", "schema_version")

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def claims_of(db: Path, paper_id: str) -> list:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT * EXCLUDE (claim_id) FROM claims WHERE paper_id = ? ORDER BY start_offset, value", [paper_id]
        ).fetchall()


@pytest.fixture
def loaded(tmp_path) -> Path:
    db = tmp_path / "l.duckdb"
    r = run("load", FIX / "papers.jsonl", "--db", db, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("loaded 5 papers (5 new, 0 changed, 0 unchanged), ")
    return db


def test_load_twice_changes_nothing(loaded):
    before = snapshot(loaded)
    assert len(before["papers"]) == 5 and len(before["claims"]) > 0
    r = run("load", FIX / "papers.jsonl", "--db", loaded, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("loaded 5 papers (0 new, 0 changed, 5 unchanged), 0 claims in ")
    assert snapshot(loaded) == before


def test_changed_paper_claims_replaced(loaded, tmp_path):
    r = run("load", FIX / "papers_changed.jsonl", "--db", loaded, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("loaded 4 papers (1 new, 1 changed, 2 unchanged), ")
    fresh = tmp_path / "fresh.duckdb"
    assert run("load", FIX / "papers_changed.jsonl", "--db", fresh, "--jobs", "1").exit_code == 0
    for pid in ("cli-000", "cli-001", "cli-002", "cli-new"):
        assert claims_of(loaded, pid) == claims_of(fresh, pid), pid
    assert any(c[4] == 91.7 for c in claims_of(loaded, "cli-001"))  # the new sentence's number


def test_reextract_counts_every_paper_as_changed(loaded):
    before = snapshot(loaded)
    r = run("load", FIX / "papers.jsonl", "--db", loaded, "--jobs", "1", "--reextract")
    assert r.exit_code == 0 and r.stdout.startswith("loaded 5 papers (0 new, 5 changed, 0 unchanged)")
    assert snapshot(loaded)["claims"] == before["claims"]


def test_vocab_change_reextracts(loaded, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("metrics:\n  other:sparkle:\n    higher_is_better: false\n    aliases: [sparkle score]\n")
    r = run("load", FIX / "papers.jsonl", "--db", loaded, "--jobs", "1", "--vocab", extra)
    assert r.exit_code == 0 and "(0 new, 5 changed, 0 unchanged)" in r.stdout
    with duckdb.connect(str(loaded), read_only=True) as con:
        assert con.execute("SELECT higher_is_better FROM metrics WHERE metric = 'other:sparkle'").fetchone() == (False,)


@pytest.mark.parametrize(
    "files, record",
    [
        (["papers_changed.jsonl", "bad_line3.jsonl"], "line 3"),  # the good file before it is not kept either
        (["bad_line3.jsonl", "papers.jsonl"], "line 3"),
    ],
)
def test_bad_file_leaves_db_unchanged(loaded, files, record):
    before = snapshot(loaded)
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "load", *[str(FIX / f) for f in files], "--db", str(loaded)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad_line3.jsonl" in lines[0] and record in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(loaded) == before


def test_duplicate_id_with_other_content(tmp_path):
    recs = [json.loads(ln) for ln in (FIX / "papers.jsonl").read_text().splitlines()]
    bad = tmp_path / "dup.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in [recs[0], recs[1], {**recs[0], "abstract": recs[2]["abstract"]}]))
    db = tmp_path / "d.duckdb"
    r = run("load", bad, "--db", db)
    assert r.exit_code == 1
    assert "dup.jsonl: line 3: id 'cli-000' appears again" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])  # the repeat in the same batch or a later one
def test_duplicates_across_batches(tmp_path, batch_size):
    """An exact repeat is taken once; a conflicting repeat names both records, wherever the batches split."""
    recs = [json.loads(ln) for ln in (FIX / "papers.jsonl").read_text().splitlines()]
    ok = tmp_path / "repeat.jsonl"
    ok.write_text("".join(json.dumps(r) + "\n" for r in [recs[0], recs[1], recs[2], recs[0], recs[1]]))
    res = pipeline.load([ok], tmp_path / "ok.duckdb", jobs=1, batch_size=batch_size, progress=False)
    assert (res.total("papers"), res.total("new")) == (3, 3)
    bad = tmp_path / "dup.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in [recs[0], recs[1], recs[2], {**recs[1], "title": "Other"}]))
    with pytest.raises(pipeline.LoadError, match=r"dup.jsonl: line 4: id 'cli-001' appears again .* \(first at line 2\)"):
        pipeline.load([bad], tmp_path / "bad.duckdb", jobs=1, batch_size=batch_size, progress=False)


def test_directory_reports_per_file(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(FIX / "papers.jsonl", d / "a.jsonl")
    shutil.copy(FIX / "papers_changed.jsonl", d / "b.jsonl")
    r = run("load", d, "--db", tmp_path / "x.duckdb", "--jobs", "1")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].endswith("a.jsonl: 5 papers (5 new, 0 changed, 0 unchanged), " + lines[0].split(", ")[-1])
    assert "b.jsonl: 4 papers (1 new, 1 changed, 2 unchanged)" in lines[1]
    assert lines[2].startswith("loaded 9 papers (6 new, 1 changed, 2 unchanged)")


def test_parallel_equals_in_process(tmp_path):
    """jobs=2 in worker processes writes exactly the rows jobs=1 writes (order-independent)."""
    snaps = []
    for jobs in (1, 2):
        db = tmp_path / f"j{jobs}.duckdb"
        pipeline.load([FIX / "papers.jsonl", FIX / "papers_changed.jsonl"], db, jobs=jobs, progress=False,
                      batch_size=2, min_parallel=1)  # fmt: skip
        snap = snapshot(db)
        snap["papers"] = [r[:-1] for r in snap["papers"]]  # loaded_at differs
        snap.pop("schema_version")  # so does applied_at
        snaps.append(snap)
    assert snaps[0] == snaps[1]


def test_load_sample(tmp_path):
    db = tmp_path / "s.duckdb"
    r = run("load", "--sample", "--db", db, "--jobs", "1")
    assert r.exit_code == 0, r.output
    with duckdb.connect(str(db), read_only=True) as con:
        papers, claims = con.execute("SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM claims)").fetchone()
        boards = con.execute("SELECT count(*) FROM leaderboards").fetchone()[0]
    assert papers >= 90 and claims > papers and boards > 0


def test_extract_writes_claim_lines(tmp_path):
    out = tmp_path / "claims.jsonl"
    r = run("extract", FIX / "papers.jsonl", "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    claims = [Claim.model_validate(json.loads(ln)) for ln in out.read_text().splitlines()]
    titles = {json.loads(ln)["title"] for ln in (FIX / "papers.jsonl").read_text().splitlines()}
    assert claims and {c.paper for c in claims} <= titles
    r2 = run("extract", FIX / "papers.jsonl", "--jobs", "1")
    assert r2.stdout == out.read_text()


@pytest.mark.parametrize("as_json", [False, True])
def test_eval_equals_score_py_on_sample(tmp_path, as_json):
    pred = tmp_path / "pred.jsonl"
    assert run("extract", pipeline.sample_path(), "-o", pred, "--jobs", "1").exit_code == 0
    flag = ["--json"] if as_json else []
    expected = subprocess.run([sys.executable, str(SCORE), str(GOLD), str(pred), *flag], capture_output=True, text=True, check=True).stdout
    r = run("eval", GOLD, "--jobs", "1", *flag)
    assert r.exit_code == 0, r.output
    assert r.stdout == expected


def test_database_error_is_one_line_and_nothing_is_written(loaded, monkeypatch):
    """A DuckDB failure (here: out of memory at every cap while publishing) is one stderr line, exit 1."""
    from tracker.store.store import Store

    def oom(self):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block of size 256.0 KiB\n\nPossible solutions: ...")

    before = snapshot(loaded)
    monkeypatch.setattr(Store, "add_unknown_metrics", oom)
    r = run("load", FIX / "papers_changed.jsonl", "--db", loaded, "--jobs", "1")
    assert r.exit_code == 1
    assert r.stderr.strip() == "error: database error: Out of Memory Error: failed to pin block of size 256.0 KiB"
    monkeypatch.undo()
    assert snapshot(loaded) == before
