"""`tracker pwc import` on the archive's formats: the real tables of paperswithcode/sota-extractor and
hand-written files in the published shapes (tests/fixtures/pwc/README.md), bad records, truncated files,
re-imports, reviews of archived claims, the check against the abstracts and the conflicts."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tracker import export, pipeline
from tracker.cli import app
from tracker.pwc.importer import import_archive
from tracker.pwc.values import parse_value
from tracker.readers.pwc import read_results
from tracker.store import connect_readonly
from tracker.store import pwc_queries as pq
from tracker.store import queries

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "pwc"
REAL = FIX / "real"
ALL = [FIX / n for n in ("evaluation-tables.json", "papers-with-abstracts.json", "datasets.json", "methods.json")]
TABLES = ("papers", "claims", "pwc_results", "pwc_aliases", "metrics", "leaderboard_best", "leaderboard_points", "leaderboards")
runner = CliRunner()


def snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def imp(db: Path, *files: Path, **kw):
    return import_archive(list(files), db, jobs=1, progress=False, **kw)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pwc") / "a.duckdb"
    imp(path, *ALL)
    return path


def q(db: Path, sql: str, params=None) -> list[tuple]:
    con = connect_readonly(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --- the real tables (paperswithcode/sota-extractor data/tasks) ---


def _cells(obj) -> list:
    """Every metric cell of a tasks file, walked with the json module (not the reader under test)."""
    out: list = []

    def ds(d):
        for r in (d.get("sota") or {}).get("rows", []):
            out.extend(r.get("metrics", {}).values())
        for s in d.get("subdatasets", []):
            ds(s)

    def task(t):
        for d in t.get("datasets", []):
            ds(d)
        for s in t.get("subtasks", []):
            task(s)

    for t in obj if isinstance(obj, list) else [obj]:
        task(t)
    return out


@pytest.mark.parametrize(
    ("name", "results", "numbers", "problems"),
    [
        ("ogb.json.gz", 732, 717, {"not a number": 15}),  # "Please tell us" in 15 cells
        ("nlp-progress.json.gz", 1218, 1116, {"no value": 77, "not a number": 13, "more than a number": 12}),
        ("snli.json", 192, 188, {"no value": 4}),
        ("redditsota.json", 32, 28, {"not a number": 4}),  # "(32.76 32.07 26.26 ...)" and friends
    ],
)
def test_real_tables_counts(name, results, numbers, problems):
    path = REAL / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig") as f:
        cells = _cells(json.load(f))
    found = list(read_results(path))
    assert len(found) == len(cells) == results
    assert [r.raw for r in found] == cells  # every cell, in file order, as typed
    got = Counter(parse_value(r.raw).problem for r in found)
    assert got.pop(None) == numbers
    assert dict(got) == problems


def test_real_tables_import(tmp_path):
    db = tmp_path / "real.duckdb"
    res = imp(db, REAL / "ogb.json.gz", REAL / "snli.json")
    assert [(t.results, t.numbers) for t in res.tables] == [(732, 717), (192, 188)]
    assert q(db, "SELECT count(*), count(value) FROM pwc_results") == [(924, 905)]
    assert q(db, "SELECT count(*) FROM claims_effective WHERE origin = 'pwc'") == [(905,)]
    # "0.8428 ± 0.0014": value, original text and spread kept
    assert q(db, "SELECT value, value_text, conditions FROM pwc_results WHERE value_text = '0.8428 ± 0.0014'") == [
        (0.8428, "0.8428 ± 0.0014", "± 0.0014")
    ]
    # the vocabulary files ogbn-products under OGB: its boards are OGB's
    assert q(db, "SELECT DISTINCT dataset FROM pwc_results WHERE pwc_dataset = 'ogbn-products'") == [("OGB",)]
    assert q(db, "SELECT count(*) > 0 FROM leaderboard_best WHERE dataset = 'OGB' AND origin = 'pwc'") == [(True,)]


def test_example_file_that_is_not_json(tmp_path):
    db = tmp_path / "x.duckdb"
    with pytest.raises(pipeline.LoadError, match=r"example_json_format\.json: task 1: invalid JSON: parse error: invalid object key"):
        imp(db, REAL / "example_json_format.json")


# --- the hand-written archive ---


def test_results_become_claims_with_origin_pwc(db):
    rows = q(db, "SELECT model, dataset, metric, value, unit, origin FROM claims_effective WHERE origin = 'pwc' ORDER BY ALL")
    assert ("ShortcutNet-50", "ImageNet-1K", "top1_accuracy", 77.2, "%", "pwc") in rows
    assert ("ShortcutNet-50", "ImageNet-1K", "params", 25.6, "M", "pwc") in rows
    assert ("Pruned ViT-S", "ImageNet-1K", "flops", 3.2, "G", "pwc") in rows  # GFLOPs: unit from the name
    assert ("(proposed)", "CUB-200-2011", "accuracy", 88.1, None, "pwc") not in rows
    assert ("BirdNet", "CUB-200-2011", "accuracy", 88.1, None, "pwc") in rows  # "\ufeff88.1", subtask
    assert ("ShortcutNet-50", "ImageNet-ReaL", "accuracy", 83.0, None, "pwc") in rows  # a subdataset
    assert ("SparseMixer", "SST-2", "latency", 12.5, "ms", "pwc") in rows
    assert len(rows) == 14  # 17 results, 3 not numbers
    unparsed = q(db, "SELECT value_text, problem FROM pwc_results WHERE value IS NULL ORDER BY 1")
    assert unparsed == [("-", "no value"), ("93.0/92.8", "more than a number"), ("N/A", "no value")]


def test_papers_are_matched_by_arxiv_id_url_and_title(db):
    got = dict(q(db, "SELECT model || ' ' || pwc_metric, matched_by || ' ' || paper_id FROM pwc_results"))
    assert got["ShortcutNet-50 Top 1 Accuracy"] == "arxiv_id 1601.00001"  # .../abs/1601.00001v2
    assert got["SparseMixer Accuracy"] == "url sparse-mixers-for-text-classification"  # no arXiv id
    assert got["Pruned ViT-S Top 1 Accuracy"] == "title 2203.00003"  # no URL, title only
    assert got["ResNet-50 Top 1 Accuracy"] == "archive_only 1701.00005"  # a paper only in the tables
    assert got["BirdNet Accuracy"] == "archive_only pwc-no-paper"
    # the paper without an abstract is not loaded; the archive-only papers have an empty one
    assert q(db, "SELECT count(*) FROM papers WHERE paper_id = '2204.00004'") == [(0,)]
    assert q(db, "SELECT title, abstract, published, source FROM papers WHERE paper_id = '1701.00005'") == [
        ("Baselines Revisited", "", __import__("datetime").date(2017, 1, 10), "pwc")
    ]


def test_papers_of_the_abstracts_file_get_extracted_claims(db):
    assert q(db, "SELECT source, count(*) FROM papers GROUP BY 1 ORDER BY 1") == [("pwc", 4), ("pwc_papers", 3)]
    quotes = [r[0] for r in q(db, "SELECT quote FROM claims WHERE paper_id = '1601.00001' ORDER BY start_offset")]
    assert "77.2% top-1 accuracy" in quotes


def test_additional_data_in_conditions_and_aliases(db):
    assert q(db, "SELECT conditions FROM pwc_results WHERE model = 'ResNet50' AND pwc_metric = 'Top 1 Accuracy'") == [
        ("uses additional data",)
    ]
    assert ("dataset", "SST-2 Binary classification", "SST") in q(db, "SELECT kind, alias, name FROM pwc_aliases")
    assert ("method", "Sparse Token Mixer", "SparseMixer") in q(db, "SELECT kind, alias, name FROM pwc_aliases")


def test_reimport_changes_nothing(db, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copy(db, copy)
    before = snapshot(copy)
    res = imp(copy, *reversed(ALL))  # any order of arguments
    assert res.papers[0].new == res.papers[0].changed == 0
    assert snapshot(copy) == before


def test_gz_reads_like_plain(db, tmp_path):
    other = tmp_path / "gz.duckdb"
    imp(other, FIX / "evaluation-tables.json.gz", *ALL[1:])
    assert snapshot(other)["pwc_results"] == snapshot(db)["pwc_results"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_tables_row.json", r"bad_tables_row\.json: task 1 'Image Classification' > dataset 1 'ImageNet' > row 3: missing 'model_name'"),
        ("bad_tables_metrics.json", r"bad_tables_metrics\.json: task 2 'Text Classification' > dataset 1 'SST-2 Binary classification' > row 1 > metrics: expected a JSON object, got an array"),
        ("bad_papers.json", r"bad_papers\.json: paper 3: 'title' is a number, expected text"),
        ("bad_datasets.json", r"bad_datasets\.json: dataset 2: missing 'name'"),
        ("bad_methods.json", r"bad_methods\.json: method 1: 'name' is blank"),
        ("truncated_tables.json", r"truncated_tables\.json: task 1: invalid JSON: the file ends in the middle of a value"),
        ("truncated_papers.json.gz", r"truncated_papers\.json\.gz: (item|paper) \d+: truncated gzip stream"),
    ],
)
def test_bad_records_write_nothing(db, tmp_path, name, message):
    copy = tmp_path / "bad.duckdb"
    shutil.copy(db, copy)
    before = snapshot(copy)
    with pytest.raises(pipeline.LoadError, match=message) as e:
        imp(copy, *ALL, FIX / name)
    assert "\n" not in str(e.value)
    assert snapshot(copy) == before


def test_cli_bad_record_is_one_line(tmp_path):
    r = runner.invoke(app, ["pwc", "import", str(FIX / "bad_tables_row.json"), "--db", str(tmp_path / "c.duckdb"), "-q", "-j", "1"])
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0 and "row 3: missing 'model_name'" in r.output


# --- reviews, leaderboards, the check against the abstracts, conflicts ---


def test_reviews_apply_to_archived_claims(db, tmp_path):
    copy = tmp_path / "rev.duckdb"
    shutil.copy(db, copy)
    cid_reject = q(copy, "SELECT claim_id FROM pwc_results WHERE model = 'ResNet50' AND pwc_metric = 'Top 1 Accuracy'")[0][0]
    cid_fix = q(copy, "SELECT claim_id FROM pwc_results WHERE model = 'ResNet-50' AND pwc_metric = 'Top 1 Accuracy'")[0][0]
    for args in (["reject", cid_reject], ["correct", cid_fix, "--set", "value=76.2"]):
        r = runner.invoke(app, ["review", *args, "--db", str(copy), "--reviewer", "t"])
        assert r.exit_code == 0, r.output
    con = connect_readonly(copy)
    try:
        board = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")
    finally:
        con.close()
    assert "ResNet50" not in set(board["model"])
    assert board.set_index("model").loc["ResNet-50", "value"] == 76.2
    # importing the archive again keeps the claim ids, so the reviews still apply, and changes nothing
    before = snapshot(copy)
    imp(copy, *ALL)
    assert snapshot(copy) == before
    assert q(copy, "SELECT value, origin FROM claims_effective WHERE claim_id = ?", [cid_fix]) == [(76.2, "pwc")]
    assert q(copy, "SELECT count(*) FROM claims_effective WHERE claim_id = ?", [cid_reject]) == [(0,)]


def test_board_merges_both_origins_without_listing_a_paper_twice(db):
    con = connect_readonly(db)
    try:
        board = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")
    finally:
        con.close()
    by_paper = Counter(board["paper_id"])
    assert by_paper["2203.00003"] == 1  # "Pruned ViT-S" (archive) = "ViT-S" (abstract, same value): one row
    row = board[board["paper_id"] == "2203.00003"].iloc[0]
    assert (row["model"], row["origin"], row["quote"]) == ("Pruned ViT-S", "pwc", "79.1% top-1 accuracy")
    assert set(board["origin"]) == {"pwc"}
    # an extracted claim the archive does not confirm stays on its board as 'extracted'
    assert q(db, "SELECT origin FROM leaderboard_best WHERE dataset = 'COCO' AND scope = 'all' ORDER BY 1") == [("extracted",), ("pwc",)]


def test_diff_statuses_and_recall(db):
    con = connect_readonly(db)
    try:
        counts = pq.diff_counts(con).set_index(["dataset", "metric"])
        recall = pq.extractor_recall(con)
        differs = pq.diff_rows(con, statuses=("value differs",))
    finally:
        con.close()
    assert counts.loc[("ImageNet-1K", "top1_accuracy"), "confirmed"] == 2
    assert counts.loc[("SST-2", "accuracy"), "confirmed"] == 1  # 91.30 = 91.3 within rounding
    assert counts.loc[("ImageNet-1K", "top5_accuracy"), "only_in_archive"] == 1
    assert list(zip(differs["pwc_value_text"], differs["extracted_value"])) == [("41.5", 41.0)]
    # numbers of archived results found in the abstracts: 77.2, 25.6 (ShortcutNet), 79.1, 91.3; all extracted
    assert (recall["in_abstract"], recall["found"], recall["recall"]) == (4, 4, 1.0)


def test_conflicts(db):
    con = connect_readonly(db)
    try:
        c = pq.conflicts(con)
        claims = pq.conflict_claims(con, model_key="resnet50", dataset="ImageNet-1K", metric="top1_accuracy")
    finally:
        con.close()
    row = c[(c["model_key"] == "resnet50") & (c["metric"] == "top1_accuracy")].iloc[0]
    assert (row["papers"], row["distinct_values"], row["reported"]) == (3, 2, "76.1 in 2 papers, 79.8 in 1 paper")
    assert sorted(claims["value"]) == [76.1, 76.1, 79.8]
    assert set(claims["paper_id"]) == {"1701.00005", "1801.00006", "1901.00007"}


def test_cli_commands(db):
    for args in (["pwc", "diff"], ["pwc", "unmapped"], ["conflicts", "--dataset", "ImageNet-1K"]):
        r = runner.invoke(app, [*args, "--db", str(db), "-f", "csv"])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["conflicts", "--db", str(db), "-f", "csv"])
    assert "ResNet-50,ImageNet-1K,top1_accuracy,3" in r.output
    r = runner.invoke(app, ["pwc", "diff", "--db", str(db)])
    assert "extractor recall on archived results whose number is in the abstract: 100.0% (4 of 4)" in r.output


def test_a_later_load_of_the_paper_keeps_its_archived_results(db, tmp_path):
    copy = tmp_path / "later.duckdb"
    shutil.copy(db, copy)
    src = tmp_path / "p.jsonl"
    src.write_text(json.dumps({"id": "1701.00005", "title": "Baselines Revisited",
                               "abstract": "A plain ResNet-50 reaches 76.1% top-1 accuracy on ImageNet."}) + "\n")  # fmt: skip
    pipeline.load([src], copy, jobs=1, progress=False)
    assert q(copy, "SELECT source FROM papers WHERE paper_id = '1701.00005'") == [("jsonl",)]
    assert q(copy, "SELECT count(*) FROM claims_effective WHERE paper_id = '1701.00005' AND origin = 'pwc'") == [(1,)]
    assert q(copy, "SELECT status FROM pwc_diff WHERE paper_id = '1701.00005' AND metric = 'top1_accuracy'") == [("confirmed",)]


def test_as_reported_by_other_papers(db):
    con = connect_readonly(db)
    try:
        got = pq.reported_by(con, dataset="ImageNet-1K", metric="top1_accuracy")
    finally:
        con.close()
    row = got[got["model"] == "ResNet50"].iloc[0]  # its row: 79.8 from 1801.00006; two other papers say 76.1
    assert (row["value"], row["other_papers"], row["other_min"], row["other_max"]) == (79.8, 2, 76.1, 76.1)
    assert "ShortcutNet-50" not in set(got["model"])  # no other paper reports it


# --- continued: a paper published after the archive on the archive's board (issue 13, section 3) ---

LATER = {"id": "2608.01234", "title": "GlideNet: Faster Image Classifiers", "published": "2026-08-03",
         "abstract": "GlideNet-L reaches 83.4% top-1 accuracy on ImageNet with half the compute of its predecessors."}  # fmt: skip


@pytest.fixture(scope="module")
def continued(db, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("later") / "c.duckdb"
    shutil.copy(db, copy)
    src = copy.parent / "later.jsonl"
    src.write_text(json.dumps(LATER) + "\n")
    pipeline.load([src], copy, jobs=1, progress=False)
    return copy


def test_board_runs_from_the_archive_into_later_papers(continued):
    con = connect_readonly(continued)
    try:
        board = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")
        csv_text = export.leaderboard_csv(con, dataset="ImageNet-1K", metric="top1_accuracy")
    finally:
        con.close()
    assert set(board["origin"]) == {"pwc", "extracted"}
    top = board.iloc[0]
    assert (top["rank"], top["model"], top["value"], top["origin"]) == (1, "GlideNet-L", 83.4, "extracted")
    assert len(board) == len(set(board["paper_id"] + "|" + board["model"]))  # no paper's result twice
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {r["origin"] for r in rows} == {"pwc", "extracted"} and len(rows) == len(board)


@pytest.mark.parametrize(("origins", "expected"), [
    ((), {"pwc", "extracted"}),
    (("pwc",), {"pwc"}),
    (("extracted",), {"extracted"}),
])  # fmt: skip
def test_sota_over_time_says_each_points_origin_and_filters_by_it(continued, origins, expected):
    con = connect_readonly(continued)
    try:
        points = queries.sota_over_time(con, dataset="ImageNet-1K", metric="top1_accuracy", origins=origins)
        thin = queries.sota_over_time(con, dataset="ImageNet-1K", metric="top1_accuracy", origins=origins, max_points=1)
    finally:
        con.close()
    assert set(points["origin"]) == expected
    assert list(points["published"]) == sorted(points["published"])
    # the running best and the records are those of the chosen origins alone
    best = points["value"].cummax()
    assert list(points["running_best"]) == list(best)
    assert list(points["is_record"]) == [i == 0 or v > best.iloc[i - 1] for i, v in enumerate(points["value"])]
    assert set(thin["origin"]) <= expected and thin.iloc[-1]["paper_id"] == points.iloc[-1]["paper_id"]
    last = points.iloc[-1]
    if "extracted" in expected:  # the later paper ends the timeline with a record
        assert (last["model"], last["origin"], bool(last["is_record"])) == ("GlideNet-L", "extracted", True)


@pytest.mark.parametrize("origins", [("pwc",), ("extracted",), ("pwc", "extracted")])
def test_explore_claims_by_origin(db, origins):
    con = connect_readonly(db)
    try:
        options = queries.claim_filter_options(con)["origin"]
        found = queries.explore_claims(con, origins=origins)
    finally:
        con.close()
    assert options == ["extracted", "pwc"]
    assert set(found["origin"]) == set(origins)
    assert len(found) == q(db, "SELECT count(*) FROM claims_effective WHERE list_contains(?, origin)", [list(origins)])[0][0]


def test_recall_counts_a_miss_and_missed_lists_it(db, tmp_path):
    """Rejecting the extracted claim that confirms an archived number written in the abstract makes it a miss."""
    copy = tmp_path / "miss.duckdb"
    shutil.copy(db, copy)
    pwc_id, ext_id = q(copy, "SELECT pwc_claim_id, extracted_claim_id FROM pwc_diff WHERE status = 'confirmed' "
                             "AND value_in_abstract AND pwc_value = 79.1")[0]  # fmt: skip
    r = runner.invoke(app, ["review", "reject", ext_id, "--db", str(copy), "--reviewer", "t"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["pwc", "diff", "--db", str(copy), "--missed", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "75.0% (3 of 4)" in r.output
    rows = csv.DictReader(io.StringIO(r.output[r.output.index("status,dataset"):]))  # after the counts
    assert [(x["status"], x["pwc_claim_id"], x["value_in_abstract"]) for x in rows if x.get("pwc_claim_id")] == [
        ("only in archive", pwc_id, "True")
    ]
