"""`tracker vocab stats|find` and the vocabulary tables of a freshly loaded database."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.store.store import Store
from tracker.vocab import load_vocab

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_stats_names_sources_and_collisions():
    r = run("vocab", "stats", "--show", "3")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    for kind in ("datasets", "tasks", "metrics"):
        line = next(x for x in lines if x.startswith(f"{kind}: "))
        assert int(line.split()[1].replace(",", "")) >= {"datasets": 3000, "tasks": 1000, "metrics": 400}[kind]
        assert "curated" in line and "pwc" in line
    assert any(x.startswith("metric directions: ") and "without a direction: 0" in x for x in lines)
    assert any(x.startswith("collisions (one matched name, two entries): ") for x in lines)


def test_stats_json():
    r = run("vocab", "stats", "--json")
    s = json.loads(r.output)
    assert s["metrics"]["by_source"]["lm-eval"] > 0 and s["metrics"]["by_source"]["torchmetrics"] > 0
    assert s["datasets"]["by_source"]["mteb"] > 0 and s["metrics_without_direction"] == 0
    assert all(len(owners) >= 2 for _, owners in s["collisions"])


@pytest.mark.parametrize("text, expect", [
    ("COCO test-dev", "dataset 'COCO': alias 'COCO test-dev'"),
    ("Kinetics-400 (val)", "dataset 'Kinetics-400' with condition 'val': split of 'Kinetics-400'"),
    ("APS", "metric 'box_ap' with condition 'small objects': variant 'APS'"),
    ("Overall", "ambiguous name"),
])  # fmt: skip
def test_find(text, expect):
    r = run("vocab", "find", text)
    assert r.exit_code == 0 and expect in r.output, r.output


def test_find_json_and_unknown():
    r = run("vocab", "find", "CIFAR-100, 40% Symmetric Noise", "--json")
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert {"kind": "dataset", "name": "CIFAR-100", "how": "split", "condition": "40% Symmetric Noise"}.items() <= rows[0].items()
    r = run("vocab", "find", "no such benchmark xqzzy")
    assert r.exit_code == 1 and "not in the vocabulary" in r.output


def test_fresh_database_holds_the_whole_vocabulary(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    r = run("load", "--sample", "--db", str(db), "--jobs", "1")
    assert r.exit_code == 0, r.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("datasets", "tasks", "metrics")}
        assert n["datasets"] >= 3000 and n["tasks"] >= 1000 and n["metrics"] >= 400
        assert con.execute("SELECT count(*) FROM metrics WHERE higher_is_better IS NULL").fetchone()[0] == 0
        row = con.execute("SELECT task, sources, list_contains(conditions, 'test-dev') FROM datasets WHERE dataset = 'COCO'").fetchone()
        assert row[0] == "object_detection" and row[1][0] == "curated" and "pwc" in row[1] and row[2]
        cifar = con.execute("SELECT conditions FROM datasets WHERE dataset = 'CIFAR-100'").fetchone()[0]
        assert "40% Symmetric Noise" in cifar
        assert ("APS", "small objects") in [
            (v["name"], v["condition"]) for v in con.execute("SELECT variants FROM metrics WHERE metric = 'box_ap'").fetchone()[0]
        ]
        area, parent = con.execute("SELECT area, parent FROM tasks WHERE task = 'few_shot_object_detection'").fetchone()
        assert (area, parent) == ("Computer Vision", "object_detection")
    finally:
        con.close()


def test_vocab_sync_replaces_changed_rows_only(tmp_path: Path):
    v = load_vocab()
    changed = replace(v, datasets={**v.datasets, "COCO": replace(v.datasets["COCO"], task="instance_segmentation")}, digest="x")
    with Store(tmp_path / "s.duckdb") as s:
        with s.transaction():
            s.sync_vocab(v)
        with s.transaction():
            s.sync_vocab(changed)
        assert s.con.execute("SELECT task FROM datasets WHERE dataset = 'COCO'").fetchone()[0] == "instance_segmentation"
        assert s.con.execute("SELECT count(*) FROM datasets").fetchone()[0] == len(v.datasets)
