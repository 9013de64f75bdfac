"""Store: schema, value_si, leaderboard direction and ranking, read-only connections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.store.conftest import board, make_claim, make_paper, write
from tracker.store import queries
from tracker.store.store import SCHEMA_VERSION, Store, StoreError, claim_rows, connect_readonly, value_si


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (21.5, "M", 21.5e6), (1.1, "B", 1.1e9), (4.5, "G", 4.5e9), (2.0, "T", 2e12), (300, "K", 3e5),
        (1.6, "ms", 1.6e-3), (0.2, "s", 0.2), (5, "min", 300), (81.5, "%", 81.5), (2.6, "x", 2.6),
        (30, "fps", 30), (3.1, None, 3.1), (12, "GB", 12e9),
    ],
)  # fmt: skip
def test_value_si(value, unit, expected):
    assert value_si(value, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    "metric, entries, expected",
    [
        ("top1_accuracy", [("A", 81.5, "%"), ("B", 83.3, "%"), ("C", 80.8, "%")], ["B", "A", "C"]),
        ("fid", [("A", 2.1, None), ("B", 3.5, None), ("C", 1.9, None)], ["C", "A", "B"]),
        ("latency", [("A", 1.6, "ms"), ("B", 0.002, "s"), ("C", 1.2, "ms")], ["C", "A", "B"]),
        ("params", [("A", 21.5, "M"), ("B", 1.1, "B"), ("C", 86, "M")], ["A", "C", "B"]),
        ("error_rate", [("A", 3.1, "%"), ("B", 2.4, "%")], ["B", "A"]),
        ("other:cider", [("A", 120.1, None), ("B", 131.0, None)], ["B", "A"]),  # unknown metric: higher first
    ],
)  # fmt: skip
def test_leaderboard_direction(db, metric, entries, expected):
    board(db, metric, [(m, v, u, "2021-01-01") for m, v, u in entries])
    with connect_readonly(db) as con:
        lb = queries.leaderboard(con, dataset="ImageNet-1K", metric=metric)
    assert lb["model"].tolist() == expected
    assert lb["rank"].tolist() == list(range(1, len(expected) + 1))
    assert list(lb.columns) == [
        "rank", "model", "value", "unit", "paper_id", "title", "published", "conditions", "quote", "claim_id", "origin",
        "role", "other_papers", "other_min", "other_max",
    ]  # fmt: skip
    assert set(lb["role"]) == {"own"}  # one named model per abstract, compared with nothing: its own result


def test_best_claim_per_model_and_ties(db):
    board(db, "top1_accuracy", [
        ("ViT", 80.0, "%", "2021-01-01"), ("ViT", 82.0, "%", "2021-06-01"), ("DeiT", 82.0, "%", "2021-03-01"),
        ("vit", 81.0, "%", "2021-02-01"), ("(proposed)", 79.0, "%", "2021-01-01"), ("(proposed)", 78.0, "%", "2021-01-01"),
    ])  # fmt: skip
    with connect_readonly(db) as con:
        lb = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")
        idx = queries.leaderboard_index(con)
    # ViT/vit are one model (best 82.0), equal values share rank 1; each paper's (proposed) is its own entry.
    assert lb[["rank", "model", "value"]].values.tolist() == [
        [1, "DeiT", 82.0], [1, "ViT", 82.0], [3, "(proposed)", 79.0], [4, "(proposed)", 78.0],
    ]  # fmt: skip
    assert idx[["dataset", "metric", "higher_is_better", "unit", "models", "claims"]].values.tolist() == [
        ["ImageNet-1K", "top1_accuracy", True, "%", 4, 6]
    ]


def test_sota_over_time_in_usual_unit(db):
    board(db, "params", [("A", 1.1, "B", "2020-01-01"), ("B", 86, "M", "2021-01-01"), ("C", 300, "M", "2022-01-01"),
                         ("D", 21.5, "M", "2023-01-01")])  # fmt: skip
    with connect_readonly(db) as con:
        s = queries.sota_over_time(con, dataset="ImageNet-1K", metric="params")
    assert s["model"].tolist() == ["A", "B", "C", "D"]
    assert s["value"].tolist() == pytest.approx([1100, 86, 300, 21.5])  # in M, the usual unit
    assert s["running_best"].tolist() == pytest.approx([1100, 86, 86, 21.5])
    assert s["is_record"].tolist() == [True, True, False, True]


def test_changed_paper_replaces_claims(db):
    p = make_paper("x", "X gets 80.1% top-1 and 5M params.")
    write(db, [p], [make_claim(p, "80.1%", 80.1, "%", "top1_accuracy", "X"), make_claim(p, "5M", 5, "M", "params", "X")])
    p2 = make_paper("x", "X gets 81.0% top-1.")
    write(db, [p2], [make_claim(p2, "81.0%", 81.0, "%", "top1_accuracy", "X")], replace=["x"])
    with connect_readonly(db) as con:
        rows = con.execute("SELECT paper_id, value FROM claims ORDER BY value").fetchall()
        papers = con.execute("SELECT paper_id, abstract FROM papers").fetchall()
    assert rows == [("x", 81.0)]
    assert papers == [("x", "X gets 81.0% top-1.")]


def test_claim_rows_keep_ids_unique():
    p = make_paper("x", "X gets 80.1% top-1.")
    a = make_claim(p, "80.1%", 80.1, "%", "top1_accuracy", "X", dataset="ImageNet-1K")
    b = make_claim(p, "80.1%", 80.1, "%", "top1_accuracy", "X", dataset="CIFAR-100")  # same id, other dataset
    rows = claim_rows([a, a, b])  # exact repeat dropped, clash suffixed
    assert [r[0] for r in rows] == [a.claim_id, a.claim_id + "-2"]


def test_schema_reopen_is_idempotent(db):
    board(db, "fid", [("A", 2.0, None, "2021-01-01")])
    with Store(db):
        pass
    with connect_readonly(db) as con:
        assert con.execute("SELECT app, version FROM schema_version").fetchall() == [("claimtrack", SCHEMA_VERSION)]
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
        assert con.execute("SELECT higher_is_better FROM metrics WHERE metric = 'fid'").fetchone()[0] is False


def _not_claimtrack(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE other (a INT)")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such database file"),
        (lambda p: p.write_text("hello " * 200), "not a claimtrack database"),
        (_not_claimtrack, "not a claimtrack database"),
    ],
)
def test_connect_readonly_errors(tmp_path, setup, message):
    path = tmp_path / "x.duckdb"
    setup(path)
    with pytest.raises(StoreError, match=message) as e:
        connect_readonly(path)
    assert "\n" not in str(e.value) and str(path) in str(e.value)


def test_store_refuses_foreign_database(tmp_path):
    path = tmp_path / "x.duckdb"
    _not_claimtrack(path)
    with pytest.raises(StoreError, match="not a claimtrack database"):
        Store(path)


def test_connect_readonly_locked_by_writer(db, write_lock):
    board(db, "fid", [("A", 2.0, None, "2021-01-01")])
    with write_lock(db), pytest.raises(StoreError, match=r"locked: held by process \d+ "):
        connect_readonly(db)


def test_schema_doc_covers_every_column(db):
    board(db, "fid", [("A", 2.0, None, "2021-01-01")])
    doc_md = (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text(encoding="utf-8")
    with connect_readonly(db) as con:
        doc = queries.schema_doc(con)
    assert set(doc["table_name"]) == set(queries.COLUMN_DOCS)
    undocumented = doc[doc["description"] == ""][["table_name", "column_name"]].values.tolist()
    assert undocumented == []
    for table, column in doc[["table_name", "column_name"]].values.tolist():
        assert f"### `{table}`" in doc_md
        assert f"| `{column}` |" in doc_md


def test_example_queries_run(db):
    board(db, "top1_accuracy", [("A", 80.0, "%", "2021-01-01")])
    from tracker.store.safe_sql import run_user_sql

    with connect_readonly(db) as con:
        for title, sql in queries.EXAMPLE_QUERIES:
            run_user_sql(con, sql)  # raises on any error


def test_query_functions_shapes(db):
    p = make_paper("a1", "ViT-B gets 81.5% top-1 and FID 2.5 on FFHQ.", published=date(2022, 5, 1), title="A Vision Paper")
    write(db, [p], [
        make_claim(p, "81.5%", 81.5, "%", "top1_accuracy", "ViT-B"),
        make_claim(p, "2.5", 2.5, None, "fid", "ViT-B", dataset="FFHQ", task="image_generation"),
    ])  # fmt: skip
    with connect_readonly(db) as con:
        assert queries.overview_counts(con) == {"papers": 1, "claims": 2, "datasets": 2, "tasks": 2, "metrics": 2, "models": 1}
        assert list(queries.recent_papers(con).columns) == ["paper_id", "title", "published", "claims", "loaded_at"]
        assert queries.search_papers(con, "vision%")["paper_id"].tolist() == []  # % is literal
        assert queries.search_papers(con, "VISION")["paper_id"].tolist() == ["a1"]
        assert queries.get_paper(con, "a1")["title"] == "A Vision Paper"
        assert queries.get_paper(con, "nope") is None
        assert queries.paper_claims(con, "a1")["start_offset"].tolist() == [11, 31]
        assert queries.claim_filter_options(con)["metric"] == ["fid", "top1_accuracy"]
        assert len(queries.explore_claims(con, metrics=["fid"], text="vit")) == 1
        assert len(queries.explore_claims(con, datasets=["COCO"])) == 0
        assert queries.claims_per_metric(con).values.tolist() == [["fid", 1], ["top1_accuracy", 1]]
