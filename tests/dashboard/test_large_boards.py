"""Pages on a database whose boards are larger than a page should draw: the table shows the best rows and
says how many there are, the chart keeps its bars and points bounded, the CSV still holds the whole board."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker.export import leaderboard_csv
from tracker.store import connect_readonly, queries

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import write_claims_db  # noqa: E402

DATASET, METRIC = "ImageNet-1K", "top1_accuracy"


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100k synthetic claims: the ImageNet-1K board ranks ~1,500 models, over the page's 1,000 rows."""
    db = tmp_path_factory.mktemp("big") / "big.duckdb"
    write_claims_db(db, 100_000)
    return db


@pytest.fixture(scope="module")
def truth(big_db: Path) -> dict[str, object]:
    con = connect_readonly(big_db)
    try:
        return {
            "models": queries.leaderboard_size(con, dataset=DATASET, metric=METRIC),
            "board": queries.leaderboard(con, dataset=DATASET, metric=METRIC),
            "points": queries.sota_over_time(con, dataset=DATASET, metric=METRIC),
            "csv": leaderboard_csv(con, dataset=DATASET, metric=METRIC, task=None),
        }
    finally:
        con.close()


@pytest.fixture
def big_app(started_on: Callable[[Path], AppTest], big_db: Path) -> AppTest:
    return started_on(big_db)


def test_the_board_is_larger_than_a_page(truth: dict[str, object]) -> None:
    from dashboard.views.leaderboards import TABLE_ROWS

    assert truth["models"] == len(truth["board"]) > TABLE_ROWS  # type: ignore[arg-type]


def test_leaderboard_page_shows_the_best_rows_and_says_how_many(big_app: AppTest, truth: dict[str, object]) -> None:
    from dashboard.views.leaderboards import CHART_BARS, TABLE_ROWS

    big_app.switch_page("views/leaderboards.py").run()
    big_app.selectbox(key="lb_task").set_value(None).run()
    big_app.selectbox(key="lb_dataset").set_value(DATASET).run()
    big_app.selectbox(key="lb_metric").set_value(METRIC).run()
    assert not big_app.exception, big_app.exception
    shown = big_app.dataframe[0].value
    full = truth["board"]
    assert len(shown) == TABLE_ROWS
    assert list(shown["claim_id"]) == list(full["claim_id"][:TABLE_ROWS])  # type: ignore[index]
    models = truth["models"]
    assert any(f"of {models:,} models" in c.value for c in big_app.caption)
    assert any(f"{models} models ranked" in m.value for m in big_app.markdown)
    spec = big_app.get("vega_lite_chart")[0].proto.spec
    assert f"(best {CHART_BARS} of {models:,})" in spec


def test_sota_page_draws_every_record_and_counts_all_points(big_app: AppTest, truth: dict[str, object]) -> None:
    from dashboard.views.sota import MAX_POINTS

    big_app.switch_page("views/sota.py").run()
    big_app.selectbox(key="sota_dataset").set_value(DATASET).run()
    big_app.selectbox(key="sota_metric").set_value(METRIC).run()
    assert not big_app.exception, big_app.exception
    points = truth["points"]
    assert len(points) > MAX_POINTS  # type: ignore[arg-type]
    assert any(f"{len(points):,} dated claims, of which the chart draws" in c.value for c in big_app.caption)  # type: ignore[arg-type]
    records = big_app.dataframe[0].value
    assert len(records) == int(points["is_record"].sum())  # type: ignore[index]


def test_thinned_sota_keeps_every_record_and_the_last_point(truth: dict[str, object], big_db: Path) -> None:
    points = truth["points"]
    con = connect_readonly(big_db)
    try:
        thin = queries.sota_over_time(con, dataset=DATASET, metric=METRIC, max_points=200)
    finally:
        con.close()
    assert len(thin) <= 200 + int(points["is_record"].sum()) + 1  # type: ignore[index]
    full_records = points[points["is_record"]]  # type: ignore[index]
    assert list(thin[thin["is_record"]]["paper_id"]) == list(full_records["paper_id"])
    assert thin.iloc[-1]["running_best"] == points.iloc[-1]["running_best"]  # type: ignore[union-attr]
    assert set(thin["dated_claims"]) == {len(points)}  # type: ignore[arg-type]
