"""`tracker extract --engine dask` on a real local Dask cluster of 2 workers, then `tracker load DIR`.

The cluster path must give exactly the single-machine claims (byte for byte after sorting, on the
bundled sample and the dev abstracts), write Parquet that says which extractor and vocabulary made
it, and load with every guarantee of a load: one transaction, a re-load changes nothing, a changed
paper is replaced without extracting anything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractors import EXTRACTOR_VERSION
from tracker import pipeline
from tracker.distributed import EngineError, extract_to_dir
from tracker.extracted import MANIFEST, claim_dicts
from tracker.store.parquet import connect_extracted
from tracker.store.safe_sql import UnsafeSQLError, run_user_sql
from tracker.store.store import fingerprint
from tracker.vocab import load_vocab

pytest.importorskip("dask.distributed")
# Under `make test` (pytest-xdist, --dist loadgroup) the whole module runs in one process: one cluster, one extraction.
pytestmark = pytest.mark.xdist_group("dask-cluster")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"
DEV = ROOT / "tests" / "fixtures" / "big_corpora" / "dev_abstracts.jsonl"
BIG = ROOT / "tests" / "fixtures" / "big_corpora"
PAPER_COLS = "paper_id, title, abstract, published, authors, url, source, categories, content_hash, extractor_version, vocab_hash"


@pytest.fixture(scope="module")
def cluster() -> str:
    """A real LocalCluster: 2 worker processes of 1 thread, as `make test` promises."""
    import logging

    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR, memory_limit=0) as lc:  # fmt: skip
        yield lc.scheduler_address


@pytest.fixture(scope="module")
def out_dir(cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cluster") / "extracted"
    res = extract_to_dir([SAMPLE, DEV], out, cluster=cluster)
    assert res.workers == 2 and [p["papers"] for p in res.partitions] == [96, 150]
    return out


_SINGLE: dict[tuple[Path, ...], list[str]] = {}


def single_machine_lines(inputs: list[Path]) -> list[str]:
    """What `tracker extract INPUTS -o FILE` writes, one line per claim (computed once per input list)."""
    key = tuple(inputs)
    if key not in _SINGLE:
        _SINGLE[key] = [json.dumps(c, ensure_ascii=False) for c in pipeline.extract(inputs, jobs=1)]
    return _SINGLE[key]


def cluster_lines(out: Path, part: int | None = None) -> list[str]:
    """The claims of an extracted directory (or of one of its parts) as `tracker extract` lines."""
    return [json.dumps(c, ensure_ascii=False) for c in claim_dicts(out, part)]


@pytest.mark.parametrize("inputs, part", [([SAMPLE], 0), ([DEV], 1), ([SAMPLE, DEV], None)], ids=["sample", "dev", "both"])
def test_cluster_claims_equal_single_machine_byte_for_byte(inputs: list[Path], part: int | None, out_dir: Path) -> None:
    """Each input was one task on one of the 2 workers: its part holds exactly its single-machine claims."""
    want = single_machine_lines(inputs)
    assert len(want) > (50 if inputs == [SAMPLE] else 100)
    assert sorted(cluster_lines(out_dir, part)) == sorted(want)


def test_parquet_parts_carry_extractor_version_and_vocabulary_fingerprint(out_dir: Path) -> None:
    manifest = json.loads((out_dir / MANIFEST).read_text())
    vhash = fingerprint(load_vocab())
    assert (manifest["extractor_version"], manifest["vocab_hash"]) == (EXTRACTOR_VERSION, vhash)
    files = sorted(out_dir.glob("*/part-*.parquet"))
    assert [f.relative_to(out_dir).as_posix() for f in files] == [
        "claims/part-00000.parquet", "claims/part-00001.parquet", "papers/part-00000.parquet", "papers/part-00001.parquet",
    ]  # fmt: skip
    for f in files:
        meta = pq.read_schema(f).metadata
        assert meta[b"claimtrack.extractor_version"].decode() == EXTRACTOR_VERSION
        assert meta[b"claimtrack.vocab_hash"].decode() == vhash
        assert meta[b"claimtrack.input"].decode() == str(SAMPLE if "00000" in f.name else DEV)


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(sql).fetchall(), key=repr)
    finally:
        con.close()


def test_load_of_the_directory_equals_a_single_machine_load_and_reload_changes_nothing(out_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single, cluster_db = tmp_path / "single.duckdb", tmp_path / "cluster.duckdb"
    pipeline.load([SAMPLE, DEV], single, jobs=1, progress=False)
    n_claims = len(single_machine_lines([SAMPLE, DEV]))

    def no_extraction(*a: object, **k: object) -> None:
        raise AssertionError("a load of an extracted directory must not extract")

    monkeypatch.setattr(pipeline, "_extract_chunk", no_extraction)
    res = pipeline.load([out_dir], cluster_db, progress=False)
    assert (res.total("new"), res.total("claims")) == (246, n_claims)
    for sql in ("SELECT * FROM claims", f"SELECT {PAPER_COLS} FROM papers", "SELECT * FROM leaderboards"):
        assert _rows(cluster_db, sql) == _rows(single, sql)
    before = _rows(cluster_db, "SELECT paper_id, loaded_at FROM papers")
    again = pipeline.load([out_dir], cluster_db, progress=False)
    assert (again.total("unchanged"), again.total("new"), again.total("changed"), again.total("claims")) == (246, 0, 0, 0)
    assert _rows(cluster_db, "SELECT paper_id, loaded_at FROM papers") == before


def test_one_changed_paper_is_replaced_with_its_cluster_claims_and_nothing_is_extracted(out_dir: Path, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.duckdb"
    pipeline.load([out_dir], db, progress=False)
    recs = [json.loads(ln) for ln in DEV.read_text("utf-8").splitlines()]
    recs[9]["abstract"] = recs[9]["abstract"].replace("2.5", "3.5", 1) + " We reach 91.2% top-1 accuracy on ImageNet-1K."
    changed = tmp_path / "dev.jsonl"
    changed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    out2 = extract_to_dir([changed], tmp_path / "out2", cluster=cluster).out_dir
    monkeypatch.setattr(pipeline, "_extract_chunk", lambda *a, **k: pytest.fail("extracted during a load"))
    res = pipeline.load([out2], db, progress=False)
    assert (res.total("changed"), res.total("unchanged"), res.total("new")) == (1, 149, 0)
    quotes = [r[0] for r in _rows(db, f"SELECT quote FROM claims WHERE paper_id = '{recs[9]['id']}'")]
    assert "91.2% top-1 accuracy" in " ".join(quotes)


def test_a_damaged_part_rolls_the_whole_load_back(out_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(out_dir, broken)
    (broken / "claims" / "part-00001.parquet").write_bytes(b"PAR1 not really")
    db = tmp_path / "c.duckdb"
    pipeline.load([SAMPLE], db, jobs=1, progress=False)
    before = _rows(db, "SELECT count(*) FROM papers UNION ALL SELECT count(*) FROM claims")
    with pytest.raises(ValueError) as e:
        pipeline.load([broken], db, progress=False)
    assert str(e.value).startswith(f"{broken / 'claims' / 'part-00001.parquet'}: file: not a readable Parquet file")
    assert _rows(db, "SELECT count(*) FROM papers UNION ALL SELECT count(*) FROM claims") == before


def test_a_bad_record_on_a_worker_is_one_line_and_leaves_no_directory(cluster: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = DEV.read_text("utf-8").splitlines()[:3]
    bad.write_text("\n".join([*lines[:2], '{"id": "x", "title": "T" "abstract": "a"}', lines[2]]) + "\n")
    with pytest.raises(ValueError) as e:
        extract_to_dir([SAMPLE, bad], tmp_path / "out", cluster=cluster)
    assert str(e.value) == f"{bad}: line 3: invalid JSON: Expecting ',' delimiter at column 26"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_single_machine_extract_of_an_extracted_directory_says_what_to_do(out_dir: Path) -> None:
    with pytest.raises(ValueError, match="already extracted"):
        list(pipeline.extract([out_dir], jobs=1))


def test_output_directory_that_is_not_an_extraction_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(EngineError, match="exists and is not an extracted directory"):
        extract_to_dir([SAMPLE], tmp_path)


def test_tracker_sql_reads_the_parquet_in_place_and_nothing_else(out_dir: Path) -> None:
    con = connect_extracted(out_dir)
    try:
        n = run_user_sql(con, "SELECT count(*) AS n FROM claims").iloc[0, 0]
        assert n == len(single_machine_lines([SAMPLE, DEV]))
        top = run_user_sql(con, "SELECT p.title FROM claims c JOIN papers p USING (paper_id) WHERE c.metric = 'top1_accuracy' LIMIT 1")
        assert len(top) == 1
        with pytest.raises((UnsafeSQLError, ValueError)):
            run_user_sql(con, "SELECT * FROM read_csv('/etc/passwd')")
    finally:
        con.close()


def test_cli_extract_starts_its_own_local_cluster_then_load_and_sql(cluster: str, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "c.duckdb"
    tracker = [sys.executable, "-m", "tracker"]
    r = subprocess.run([*tracker, "extract", str(BIG / "openalex_part_000.jsonl"), str(BIG / "s2"), "--engine", "dask",
                        "--workers", "2", "-o", str(out)], capture_output=True, text=True, timeout=240)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # the summary; no cluster log
    assert "wrote 6 papers and 26 claims in 2 partitions" in r.stderr and "on 2 workers" in r.stderr
    assert "2 records without an abstract skipped" in r.stderr
    r = subprocess.run([*tracker, "load", str(out), "--db", str(db), "-q"], capture_output=True, text=True, check=True)
    assert "loaded 6 papers (4 new, 0 changed, 2 unchanged), 18 claims" in r.stdout
    r = subprocess.run([*tracker, "sql", "SELECT count(*) AS n FROM claims", "--db", str(out), "-f", "csv"],
                       capture_output=True, text=True, check=True)  # fmt: skip
    assert r.stdout.splitlines() == ["n", "26"]
    bad = tmp_path / "part_001"
    bad.write_text((BIG / "openalex_part_000.jsonl").read_text().splitlines()[0][:300] + "\n")
    r = subprocess.run([*tracker, "extract", str(bad), "--engine", "dask", "--cluster", cluster, "-o", str(tmp_path / "o2")],
                       capture_output=True, text=True, timeout=240)  # fmt: skip
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith(f"error: {bad}: line 1: invalid JSON: Unterminated string starting at column ")
    assert not (tmp_path / "o2").exists()


def _refusal_case(where: str, tmp_path: Path) -> tuple[Path, Path, str]:
    """(input directory, OUT_DIR, what the one-line error says) of one refused OUT_DIR."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(DEV, inputs / "dev.jsonl")
    if where == "the input directory":
        return inputs, inputs, "refusing to write the output over an input"
    if where == "inside the input directory":
        return inputs, inputs / "out", "refusing to write the output inside the input directory"
    if where == "a symlink to the input directory":
        (tmp_path / "link").symlink_to(inputs)
        return inputs, tmp_path / "link", "refusing to write the output over an input"
    if where == "the default database":
        shutil.copy(DEV, tmp_path / "claimtrack.duckdb")  # what is in it does not matter: it is refused by name
        return inputs, Path("claimtrack.duckdb"), "refusing to write the output over the database"
    out = tmp_path / "out"  # an earlier extraction, then a database loaded into it: replacing it would delete the database
    (out / "papers").mkdir(parents=True)
    (out / "claims").mkdir()
    (out / MANIFEST).write_text("{}")
    (out / "claims.duckdb").write_bytes(b"DUCK")
    return inputs, out, "holds claims.duckdb, which no extraction wrote: refusing to replace the directory"


@pytest.mark.parametrize("where", ["the input directory", "inside the input directory", "a symlink to the input directory",
                                   "the default database", "an extraction holding a database"])  # fmt: skip
def test_cli_refuses_an_output_directory_that_would_destroy_an_input_or_a_database(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    inputs, out, said = _refusal_case(where, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    r = CliRunner().invoke(app, ["extract", str(inputs), "--engine", "dask", "-o", str(out)])
    assert r.exit_code == 1 and said in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_earlier_extraction_is_replaced_whole(cluster: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    extract_to_dir([SAMPLE, BIG / "openalex_part_000.jsonl"], out, cluster=cluster)
    extract_to_dir([BIG / "plain.jsonl"], out, cluster=cluster)
    assert sorted(f.relative_to(out).as_posix() for f in out.rglob("*.parquet")) == ["claims/part-00000.parquet", "papers/part-00000.parquet"]
    assert json.loads((out / MANIFEST).read_text())["partitions"][0]["input"] == str(BIG / "plain.jsonl")
    assert sorted(cluster_lines(out)) == sorted(single_machine_lines([BIG / "plain.jsonl"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging or old directory left


def test_a_worker_with_another_extractor_version_refuses_and_writes_nothing(tmp_path: Path) -> None:
    from tracker.distributed import extract_partition

    with pytest.raises(EngineError, match=rf"has extractor version {EXTRACTOR_VERSION}, the command 0\.0\.1: install the same claimtrack"):
        extract_partition(0, DEV, load_vocab(), str(tmp_path), None, "0.0.1", fingerprint(load_vocab()))
    assert list(tmp_path.iterdir()) == []


def test_sql_write_on_an_extracted_directory_is_refused_and_changes_nothing(out_dir: Path) -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    before = {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    r = CliRunner().invoke(app, ["sql", "DELETE FROM claims", "--db", str(out_dir), "--write"])
    assert r.exit_code == 1 and "an extracted directory is read in place: --write needs a database" in r.output, r.output
    assert {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()} == before
