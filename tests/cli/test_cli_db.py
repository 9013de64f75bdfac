"""CLI commands on a database: sql (table/csv/json, read-only), leaderboard, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.conftest import board
from tracker.cli import app
from tracker.export import CSV_COLUMNS, leaderboard_csv, safe_name
from tracker.store.store import connect_readonly

runner = CliRunner()


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    db = tmp_path / "c.duckdb"
    board(db, "top1_accuracy", [("ViT-B", 81.5, "%", "2021-01-01"), ("DeiT-S", 79.8, "%", "2021-02-01"),
                                ("Swin-T", 81.3, "%", "2021-03-01")])  # fmt: skip
    return db


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    "fmt, check",
    [
        ("csv", lambda out: list(csv.reader(io.StringIO(out))) == [["metric", "n"], ["top1_accuracy", "3"]]),
        ("json", lambda out: [json.loads(l) for l in out.splitlines()] == [{"metric": "top1_accuracy", "n": 3}]),
        ("table", lambda out: "top1_accuracy" in out and "(1 row)" in out),
    ],
)
def test_sql_formats(dbfile, fmt, check):
    r = run("sql", "SELECT metric, count(*) AS n FROM claims GROUP BY 1", "--db", dbfile, "--format", fmt)
    assert r.exit_code == 0, r.output
    assert check(r.stdout), r.stdout


@pytest.mark.parametrize(
    "sql, message",
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file and network access is disabled"),
        ("DELETE FROM claims", "only read queries"),
        ("SELECT * FROM nope", "Table with name nope does not exist"),
    ],
)
def test_sql_user_errors(dbfile, sql, message):
    r = run("sql", sql, "--db", dbfile)
    assert r.exit_code == 1
    assert message in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.output


def test_sql_write_mode_and_truncation(dbfile):
    r = run("sql", "DELETE FROM claims WHERE model = 'DeiT-S'", "--db", dbfile, "--write")
    assert r.exit_code == 0, r.output
    r = run("sql", "SELECT * FROM range(5)", "--db", dbfile, "--max-rows", "2", "--format", "csv")
    assert r.stdout.splitlines() == ["range", "0", "1"] and "first 2 rows" in r.stderr
    r = run("sql", "SELECT count(*) FROM claims", "--db", dbfile, "--format", "csv")
    assert r.stdout.splitlines()[1] == "2"


def test_missing_db_is_one_line(tmp_path):
    r = run("sql", "SELECT 1", "--db", tmp_path / "nope.duckdb")
    assert r.exit_code == 1 and "no such database file" in r.stderr and r.stderr.count("\n") == 1


def test_leaderboard(dbfile):
    r = run("leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy", "--db", dbfile, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert [(x["rank"], x["model"], x["value"], x["published"]) for x in rows] == [
        (1, "ViT-B", 81.5, "2021-01-01"), (2, "Swin-T", 81.3, "2021-03-01"), (3, "DeiT-S", 79.8, "2021-02-01"),
    ]  # fmt: skip
    r = run("leaderboard", "--dataset", "COCO", "--metric", "box_ap", "--db", dbfile)
    assert r.exit_code == 1 and "no leaderboard for dataset 'COCO'" in r.stderr


def test_export_all_and_one(dbfile, tmp_path):
    board(dbfile, "params", [("ViT-B", 86, "M", "2021-01-01"), ("ViT-H", 0.632, "B", "2021-01-02")], prefix="q")
    out = tmp_path / "boards"
    r = run("export", "--db", dbfile, "--out", out)
    assert r.exit_code == 0, r.output
    index = list(csv.DictReader((out / "index.csv").open()))
    assert sorted(x["file"] for x in index) == [
        "image_classification__ImageNet-1K__params.csv", "image_classification__ImageNet-1K__top1_accuracy.csv",
    ]  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == sorted([x["file"] for x in index] + ["index.csv"])
    params = list(csv.DictReader((out / "image_classification__ImageNet-1K__params.csv").open()))
    assert list(params[0]) == list(CSV_COLUMNS)
    assert [(x["rank"], x["model"], x["value"], x["unit"]) for x in params] == [("1", "ViT-B", "86.0", "M"), ("2", "ViT-H", "0.632", "B")]
    one = tmp_path / "one.csv"
    r = run("export", "--db", dbfile, "--dataset", "ImageNet-1K", "--metric", "params", "-o", one)
    assert r.exit_code == 0, r.output
    with connect_readonly(dbfile) as con:
        assert one.read_text() == leaderboard_csv(con, dataset="ImageNet-1K", metric="params")
    r = run("export", "--db", dbfile, "--dataset", "ImageNet-1K", "-o", one)
    assert r.exit_code == 1 and "--metric" in r.stderr


@pytest.mark.parametrize(
    "parts, name",
    [
        (("image_classification", "ImageNet-1K", "top1_accuracy"), "image_classification__ImageNet-1K__top1_accuracy.csv"),
        ((None, "COCO test-dev", "other:pass@1"), "none__COCO_test-dev__other_pass_1.csv"),
        (("x", "../../etc", "y/z"), "x__etc__y_z.csv"),
    ],
)
def test_safe_name(parts, name):
    assert safe_name(*parts) == name


@pytest.mark.parametrize("command", ["load", "sql", "leaderboard", "export", "extract", "eval", "dashboard"])
def test_help(command):
    r = run(command, "--help")
    assert r.exit_code == 0 and "Usage" in r.output
