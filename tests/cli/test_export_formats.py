"""`tracker export --format csv|parquet|json` (issue 15 §6): the same rows in every format, each with paper_id and url."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.trust.conftest import DEV_ABSTRACTS, run_tracker
from tracker.export import BOARD_COLUMNS, INDEX_COLUMNS

BOARD = ("--dataset", "ImageNet-1K", "--metric", "top1_accuracy")
IMAGENET_PAPERS = ("d148", "d042", "d106")  # dev abstracts that report ImageNet-1K top-1 numbers


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    d = tmp_path_factory.mktemp("fmt")
    urls = {}
    with (d / "papers.jsonl").open("w", encoding="utf-8") as out:
        for line in DEV_ABSTRACTS.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if r["id"] in IMAGENET_PAPERS:
                urls[r["id"]] = f"https://arxiv.org/abs/2401.{len(urls):05d}"
                rec = {"id": r["id"], "title": r["title"], "abstract": r["abstract"], "url": urls[r["id"]]}
                out.write(json.dumps(rec) + "\n")
    proc = run_tracker("load", d / "papers.jsonl", "--db", d / "f.duckdb", "-q")
    assert proc.returncode == 0, proc.stderr
    return d / "f.duckdb", urls


def read(path: Path) -> list[dict]:
    """Rows of an exported file as dicts of strings (None for an empty cell), whatever its format."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(f)]
    if path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    else:
        rows = pq.read_table(path).to_pylist()
    norm = lambda v: None if v is None else str(v) if not isinstance(v, float) else repr(v)  # noqa: E731
    return [{k: norm(v) for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_one_board_in_each_format_has_the_same_rows_with_paper_id_and_url(db, tmp_path, fmt):
    path, urls = db
    out = tmp_path / f"board.{fmt}"
    proc = run_tracker("export", "--db", path, *BOARD, "-o", out, "-f", fmt)
    assert proc.returncode == 0, proc.stderr
    rows = read(out)
    assert rows and list(rows[0]) == list(BOARD_COLUMNS)
    assert {r["paper_id"] for r in rows} <= set(urls) and all(r["url"] == urls[r["paper_id"]] for r in rows)
    ref = tmp_path / "ref.csv"
    assert run_tracker("export", "--db", path, *BOARD, "-o", ref).returncode == 0
    assert rows == read(ref)


def test_parquet_keeps_the_column_types(db, tmp_path):
    out = tmp_path / "b.parquet"
    assert run_tracker("export", "--db", db[0], *BOARD, "-o", out, "-f", "parquet").returncode == 0
    types = {f.name: str(f.type) for f in pq.read_schema(out)}
    assert types["rank"] == "int64" and types["value"] == "double" and types["published"].startswith("date32")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_all_writes_one_file_per_board_and_an_index_in_the_format(db, tmp_path, fmt):
    out = tmp_path / "all"
    proc = run_tracker("export", "--db", db[0], "--out", out, "-f", fmt)
    assert proc.returncode == 0, proc.stderr
    index = read(out / f"index.{fmt}")
    assert index and list(index[0]) == list(INDEX_COLUMNS)
    assert sorted(p.name for p in out.iterdir()) == sorted([r["file"] for r in index] + [f"index.{fmt}"])
    for r in index:
        assert r["file"].endswith(f".{fmt}") and len(read(out / r["file"])) == int(r["models"])
