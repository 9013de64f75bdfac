"""Whose number a board row is (issue 15 section 2, issue 13 "As reported by"): the paper's own result or a
number it quotes for a baseline. Abstracts in tests/fixtures/boards/roles.jsonl, loaded through the pipeline;
the boards, the SOTA timeline, exports and compare rank own results unless --with-baselines."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import export, pipeline
from tracker.cli import app
from tracker.store import connect_readonly, queries

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "boards" / "roles.jsonl"
BOARD = ["--dataset", "ImageNet-1K", "--metric", "top1_accuracy"]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("roles") / "r.duckdb"
    pipeline.load([FIX], path, jobs=1, progress=False)
    return path


def run(db: Path, *args: str) -> list[dict[str, str]]:
    r = runner.invoke(app, [*args, "--db", str(db), "-f", "csv"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


@pytest.mark.parametrize(
    ("paper", "model", "value", "role", "why"),
    [
        ("r-001", "GlideNet-L", 83.4, "own", "'We present GlideNet' and the title's name begin it"),
        ("r-001", "ResNet-50", 76.1, "baseline", "'outperforming ResNet-50 (76.1%)'"),
        ("r-002", "ResNet-50", 80.4, "own", "the one model of an abstract that compares with nothing"),
        ("r-003", "SwiftViT-S", 81.0, "own", "'We propose SwiftViT'"),
        ("r-003", "DeiT-S", 79.8, "baseline", "the comparator of the paper's delta ('1.2% higher than DeiT-S')"),
        ("r-004", "Swin-T", 81.3, "own", "the title's name 'Swin Transformer:' begins it"),
        ("r-004", "Swin-B", 83.5, "own", "the title's name 'Swin Transformer:' begins it"),
        ("r-005", "(proposed)", 82.0, "own", "the paper's unnamed method ('Our method')"),
        ("r-005", "GlideNet-L", 83.4, "baseline", "another model in a paper that reports its own method"),
    ],
)  # fmt: skip
def test_role_of_each_board_claim(db: Path, paper: str, model: str, value: float, role: str, why: str) -> None:
    con = connect_readonly(db)
    try:
        got = con.execute("SELECT role FROM leaderboard_claims WHERE paper_id = ? AND model = ? AND value = ?",
                          [paper, model, value]).fetchall()  # fmt: skip
    finally:
        con.close()
    assert got == [(role,)], why


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [("1", "Swin-B", "83.5", "own"), ("2", "GlideNet-L", "83.4", "own"), ("3", "(proposed)", "82.0", "own"),
              ("4", "Swin-T", "81.3", "own"), ("5", "SwiftViT-S", "81.0", "own"), ("6", "ResNet-50", "80.4", "own")]),
        (["--with-baselines"],
         [("1", "Swin-B", "83.5", "own"), ("2", "GlideNet-L", "83.4", "own"), ("3", "(proposed)", "82.0", "own"),
          ("4", "Swin-T", "81.3", "own"), ("5", "SwiftViT-S", "81.0", "own"), ("6", "ResNet-50", "80.4", "own"),
          ("7", "DeiT-S", "79.8", "baseline")]),
        (["--since", "2021-06-01"], [("1", "(proposed)", "82.0", "own"), ("2", "SwiftViT-S", "81.0", "own"),
                                     ("3", "ResNet-50", "80.4", "own")]),
        (["--since", "2021-06-01", "--with-baselines"],
         [("1", "GlideNet-L", "83.4", "baseline"), ("2", "(proposed)", "82.0", "own"), ("3", "SwiftViT-S", "81.0", "own"),
          ("4", "ResNet-50", "80.4", "own"), ("5", "DeiT-S", "79.8", "baseline")]),
    ],
)  # fmt: skip
def test_leaderboard_ranks_own_results_unless_asked(db: Path, args: list[str], expected: list[tuple[str, ...]]) -> None:
    rows = run(db, "leaderboard", *BOARD, *args)
    assert [(r["rank"], r["model"], r["value"], r["role"]) for r in rows] == expected


def test_reported_by_other_papers_beside_the_own_row(db: Path) -> None:
    """ResNet-50's own row is 80.4 (r-002); r-001 quotes it at 76.1: one other paper, spread 76.1-76.1."""
    rows = {r["model"]: r for r in run(db, "leaderboard", *BOARD)}
    assert (rows["ResNet-50"]["other_papers"], rows["ResNet-50"]["other_min"], rows["ResNet-50"]["other_max"]) == (
        "1", "76.1", "76.1")  # fmt: skip
    # GlideNet-L's own row is r-001's 83.4; r-005 quotes the same 83.4
    assert (rows["GlideNet-L"]["other_papers"], rows["GlideNet-L"]["other_min"]) == ("1", "83.4")
    assert (rows["Swin-B"]["other_papers"], rows["Swin-B"]["other_min"]) == ("0", "")  # nobody else reports it


def test_only_baselines_says_so(tmp_path: Path) -> None:
    src = tmp_path / "b.jsonl"
    src.write_text(json.dumps({"id": "b-1", "title": "A Study of Augmentation", "published": "2022-02-02",
                               "abstract": "We propose a new augmentation. Our method improves accuracy, and it "
                               "outperforms ResNet-50 (76.1% top-1 accuracy on ImageNet)."}) + "\n")  # fmt: skip
    db = tmp_path / "b.duckdb"
    pipeline.load([src], db, jobs=1, progress=False)
    r = runner.invoke(app, ["leaderboard", *BOARD, "--db", str(db)])
    assert r.exit_code == 1 and "only numbers papers quote for baselines (add --with-baselines" in r.stderr, r.output
    assert [x["model"] for x in run(db, "leaderboard", *BOARD, "--with-baselines")] == ["ResNet-50"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [("2021-03-02", "GlideNet-L", "83.4"), ("2021-03-25", "Swin-B", "83.5"), ("2021-03-25", "Swin-T", "81.3"),
              ("2021-10-04", "ResNet-50", "80.4"), ("2022-01-17", "SwiftViT-S", "81.0"), ("2022-06-20", "(proposed)", "82.0")]),
        (["--with-baselines"],
         [("2021-03-02", "GlideNet-L", "83.4"), ("2021-03-02", "ResNet-50", "76.1"), ("2021-03-25", "Swin-B", "83.5"),
          ("2021-03-25", "Swin-T", "81.3"), ("2021-10-04", "ResNet-50", "80.4"), ("2022-01-17", "DeiT-S", "79.8"),
          ("2022-01-17", "SwiftViT-S", "81.0"), ("2022-06-20", "(proposed)", "82.0"), ("2022-06-20", "GlideNet-L", "83.4")]),
        (["--since", "2021-10-01"], [("2021-10-04", "ResNet-50", "80.4"), ("2022-01-17", "SwiftViT-S", "81.0"),
                                     ("2022-06-20", "(proposed)", "82.0")]),
    ],
)  # fmt: skip
def test_sota_over_time(db: Path, args: list[str], expected: list[tuple[str, ...]]) -> None:
    rows = run(db, "sota", *BOARD, *args)
    got = [(r["published"], r["model"], r["value"]) for r in rows]
    assert [g[0] for g in got] == sorted(g[0] for g in got)  # in date order
    assert sorted(got) == expected  # (claims of one date in claim-id order)


def test_sota_running_best_starts_at_since(db: Path) -> None:
    rows = run(db, "sota", *BOARD, "--since", "2021-10-01")
    assert [(r["model"], r["running_best"], r["is_record"]) for r in rows] == [
        ("ResNet-50", "80.4", "True"), ("SwiftViT-S", "81.0", "True"), ("(proposed)", "82.0", "True")]  # fmt: skip


def test_sota_records_only_and_until(db: Path) -> None:
    rows = run(db, "sota", *BOARD, "--until", "2021-12-31", "--records")
    assert [(r["model"], r["running_best"]) for r in rows] == [("GlideNet-L", "83.4"), ("Swin-B", "83.5")]


@pytest.mark.parametrize(
    ("board", "models"),
    [
        (export.Selection(), ["Swin-B", "GlideNet-L", "(proposed)", "Swin-T", "SwiftViT-S", "ResNet-50"]),
        (export.Selection(with_baselines=True),
         ["Swin-B", "GlideNet-L", "(proposed)", "Swin-T", "SwiftViT-S", "ResNet-50", "DeiT-S"]),
        (export.Selection(since=date(2022, 1, 1)), ["(proposed)", "SwiftViT-S"]),
        (export.Selection(until=date(2021, 3, 31), with_baselines=True), ["Swin-B", "GlideNet-L", "Swin-T", "ResNet-50"]),
    ],
)  # fmt: skip
def test_export_selection(db: Path, tmp_path: Path, board: export.Selection, models: list[str]) -> None:
    """export_all (what `tracker export --out` writes) keeps the board's selection; its index counts those rows."""
    con = connect_readonly(db)
    try:
        paths = export.export_all(con, tmp_path / "out", board=board)
    finally:
        con.close()
    board_file = next(p for p in paths if "top1_accuracy" in p.name)
    rows = list(csv.DictReader(board_file.open()))
    assert [r["model"] for r in rows] == models
    index = {r["file"]: r for r in csv.DictReader((tmp_path / "out" / "index.csv").open())}
    assert index[board_file.name]["models"] == str(len(models))


def test_export_cli_options(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    r = runner.invoke(app, ["export", *BOARD, "--db", str(db), "-o", str(out), "-f", "json", "--with-baselines",
                            "--since", "2022-01-01", "--until", "2022-03-01"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert [(x["model"], x["role"]) for x in json.loads(out.read_text())] == [("SwiftViT-S", "own"), ("DeiT-S", "baseline")]
    r = runner.invoke(app, ["export", *BOARD, "--db", str(db), "-o", str(out), "--since", "2030-01-01"])
    assert r.exit_code == 1 and "from papers published in that range" in r.stderr, r.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["DeiT-S", "ResNet-50"], 1),  # DeiT-S has no own result: on the own boards it meets nobody
        (["DeiT-S", "ResNet-50", "--with-baselines"], 0),
    ],
)  # fmt: skip
def test_compare_own_or_with_baselines(db: Path, args: list[str], expected: int) -> None:
    r = runner.invoke(app, ["compare", *args, "--db", str(db), "-f", "csv"])
    assert r.exit_code == expected, r.output
    if expected == 0:
        assert sorted(x["model"] for x in csv.DictReader(io.StringIO(r.stdout))) == ["DeiT-S", "ResNet-50"]


def test_queries_default_to_own(db: Path) -> None:
    """The dashboard and the CLI call the same functions: the default is the own board everywhere."""
    con = connect_readonly(db)
    try:
        own = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")
        size = queries.leaderboard_size(con, dataset="ImageNet-1K", metric="top1_accuracy")
        size_all = queries.leaderboard_size(con, dataset="ImageNet-1K", metric="top1_accuracy", with_baselines=True)
        index = queries.leaderboard_index(con)
    finally:
        con.close()
    assert set(own["role"]) == {"own"} and (len(own), size, size_all) == (6, 6, 7)
    assert index[index["metric"] == "top1_accuracy"][["models", "own_models"]].values.tolist() == [[7, 6]]
