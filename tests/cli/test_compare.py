"""`tracker compare MODEL...` and "did you mean" for unknown names (tracker/suggest.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.conftest import board
from tracker.cli import app
from tracker.suggest import close_names

runner = CliRunner()


BOARDS = {  # dataset -> (model, value, unit, published) on its top-1 board
    "ImageNet-1K": [("ViT-B/16", 81.5, "%", "2021-01-01"), ("DeiT-S", 79.8, "%", "2021-02-01"), ("Swin-T", 81.3, "%", "2021-03-01")],
    "ImageNet-V2": [("DeiT-S", 71.0, "%", "2021-02-01"), ("Swin-T", 73.5, "%", "2021-03-01")],
    "CIFAR-100": [("ViT-B/16", 90.1, "%", "2021-01-01")],
}


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    db = tmp_path / "c.duckdb"
    for prefix, (dataset, entries) in zip("pqr", BOARDS.items()):
        board(db, "top1_accuracy", entries, dataset=dataset, prefix=prefix)
    return db


def compare(db: Path, *args: str) -> list[dict[str, str]]:
    r = runner.invoke(app, ["compare", *args, "--db", str(db), "-f", "csv"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_compare_lists_every_board_where_they_meet(dbfile: Path) -> None:
    rows = compare(dbfile, "deit-s", "Swin-T")  # case does not matter
    assert [(r["dataset"], r["model"], r["rank"], r["board_size"]) for r in rows] == [
        ("ImageNet-1K", "Swin-T", "2", "3"), ("ImageNet-1K", "DeiT-S", "3", "3"),
        ("ImageNet-V2", "Swin-T", "1", "2"), ("ImageNet-V2", "DeiT-S", "2", "2"),
    ]  # fmt: skip
    assert all(r["quote"] and r["claim_id"] for r in rows)


def test_one_model_shows_all_its_boards_and_a_shared_one_only_where_both_are(dbfile: Path) -> None:
    assert {r["dataset"] for r in compare(dbfile, "ViT-B/16")} == {"ImageNet-1K", "CIFAR-100"}
    assert {r["dataset"] for r in compare(dbfile, "ViT-B/16", "DeiT-S")} == {"ImageNet-1K"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deit", "Swin-T"], "no model 'deit' on any leaderboard"),
        (["Swin_T"], "did you mean 'Swin-T'?"),
    ],
)
def test_unknown_model_is_one_line_with_a_suggestion(dbfile: Path, args: list[str], message: str) -> None:
    r = runner.invoke(app, ["compare", *args, "--db", str(dbfile)])
    assert r.exit_code == 1 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_leaderboard_says_did_you_mean(dbfile: Path) -> None:
    r = runner.invoke(app, ["leaderboard", "--dataset", "imagenet-v2", "--metric", "top1", "--db", str(dbfile)])
    assert r.exit_code == 1
    assert "dataset 'imagenet-v2'; did you mean 'ImageNet-V2'" in r.stderr
    assert "metric 'top1'; did you mean 'top1_accuracy'?" in r.stderr


@pytest.mark.parametrize(
    ("typed", "known", "first"),
    [
        ("imagenet", ["CIFAR-100", "ImageNet-1K", "ImageNet-V2", "COCO"], "ImageNet-1K"),
        ("coco", ["MS COCO", "COCO", "COCO-Stuff"], "COCO"),
        ("top1", ["top5_accuracy", "top1_accuracy", "box_ap"], "top1_accuracy"),
        ("swin transfomer", ["Swin Transformer", "SwinFace"], "Swin Transformer"),
    ],
)
def test_close_names(typed: str, known: list[str], first: str) -> None:
    assert close_names(typed, known)[0] == first


def test_nothing_close_says_nothing() -> None:
    assert close_names("xyzzy", ["ImageNet-1K", "COCO"]) == []
