"""Every dashboard page under streamlit.testing.v1.AppTest, on the demo database.

What a user relies on: each page renders without an exception; leaderboards rank by the metric's
direction and download exactly `tracker export`'s CSV; the paper page marks the evidence; the SQL
page refuses what it must and runs what it may; an unusable database gives a clear message.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard_testdb import Demo
from dashboard.nav import PAGES
from tracker.store import Store

PAGE_TITLES = {
    "views/overview.py": "Benchmark claims",
    "views/leaderboards.py": "Leaderboards",
    "views/sota.py": "State of the art over time",
    "views/paper.py": "Paper",
    "views/explorer.py": "Claims explorer",
    "views/review.py": "Review claims",
    "views/sql.py": "SQL",
    "views/conflicts.py": "Conflicts",
    "views/compare.py": "Compare models",
}
LOAD_HINT = "tracker load --sample"


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# --- every page ---


@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_page_renders_without_exception(app: AppTest, page: str) -> None:
    open_page(app, page)
    assert errors(app) == []
    assert [t.value for t in app.title] == [PAGE_TITLES[page]]


def test_every_registered_page_is_tested() -> None:
    assert {p.file for p in PAGES} == set(PAGE_TITLES)


@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_page_renders_in_under_a_second(app: AppTest, page: str) -> None:
    open_page(app, page)  # warms the imports and the connection
    start = time.perf_counter()
    open_page(app, page)  # AppTest gives every run fresh st.cache_data storage: this is a cold query run
    assert time.perf_counter() - start < 1.0


def test_overview_counts_and_charts(app: AppTest) -> None:
    open_page(app, "views/overview.py")
    labels = [m.label for m in app.metric]
    assert labels == ["Papers", "Claims", "Datasets", "Tasks", "Metrics"]
    assert int(app.metric[0].value.replace(",", "")) > 0
    assert len(app.get("vega_lite_chart")) == 2
    assert not app.dataframe[0].value.empty


# --- leaderboards ---


def choose_leaderboard(at: AppTest, dataset: str, metric: str) -> pd.DataFrame:
    """Pick a leaderboard through the three boxes, as a user does; returns the ranked table."""
    open_page(at, "views/leaderboards.py")
    at.selectbox(key="lb_task").set_value(None).run()
    at.selectbox(key="lb_dataset").set_value(dataset).run()
    at.selectbox(key="lb_metric").set_value(metric).run()
    assert not at.exception, [e.value for e in at.exception]
    return at.dataframe[0].value


@pytest.mark.parametrize(
    ("dataset", "metric", "direction"),
    [
        ("ImageNet-1K", "top1_accuracy", "Higher is better"),
        ("CIFAR-10", "fid", "Lower is better"),
    ],
)
def test_leaderboard_ranks_by_metric_direction(app: AppTest, dataset: str, metric: str, direction: str) -> None:
    board = choose_leaderboard(app, dataset, metric)
    assert len(board) >= 2
    values = list(board["value"])
    best = max(values) if direction.startswith("Higher") else min(values)
    assert values[0] == best
    assert values == sorted(values, reverse=direction.startswith("Higher"))
    assert list(board["rank"]) == sorted(board["rank"])
    assert board["model"].is_unique
    assert any(direction in m.value for m in app.markdown)
    for column in ("model", "value", "unit", "title", "published", "conditions", "quote"):
        assert column in board.columns


def test_leaderboard_boxes_offer_only_combinations_with_claims(app: AppTest, demo: Demo) -> None:
    open_page(app, "views/leaderboards.py")
    index = demo.index
    assert set(app.selectbox(key="lb_dataset").options) == set(index["dataset"])
    app.selectbox(key="lb_dataset").set_value("CIFAR-10").run()
    expected = set(index.loc[index["dataset"] == "CIFAR-10", "metric"])
    assert set(app.selectbox(key="lb_metric").options) == expected
    app.selectbox(key="lb_task").set_value("image_classification").run()
    expected = set(index.loc[index["task"] == "image_classification", "dataset"])
    assert set(app.selectbox(key="lb_dataset").options) == expected


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bytes, str | None]]]:
    """Records what each download button serves: (data, file name). A button with deferred data (built on
    click) is clicked here: its callable runs, as the media manager runs it when the user clicks."""
    served: list[tuple[bytes, str | None]] = []
    original, original_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):  # type: ignore[no-untyped-def]  # noqa: E501
        served.append((data if isinstance(data, bytes) else str(data).encode(), file_name))
        return original(self, data, mimetype, coordinates, file_name, is_for_static_download)

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # type: ignore[no-untyped-def]
        data = data_callable()
        served.append((data if isinstance(data, bytes) else str(data).encode(), file_name))
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    yield served


def test_leaderboard_download_is_exactly_the_export_csv(
    app: AppTest, demo: Demo, downloads: list[tuple[bytes, str | None]]
) -> None:
    choose_leaderboard(app, "ImageNet-1K", "top1_accuracy")
    served = [data for data, name in downloads if name and name.endswith(".csv")]
    assert served and served[-1] == demo.imagenet_csv.encode("utf-8")


def test_leaderboard_chart_title_names_the_unit(app: AppTest) -> None:
    choose_leaderboard(app, "ImageNet-1K", "top1_accuracy")
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert spec["title"].startswith("ImageNet-1K — top1_accuracy (%)")


# --- state of the art ---


def test_sota_draws_points_and_a_step_line(app: AppTest) -> None:
    open_page(app, "views/sota.py")
    app.selectbox(key="sota_dataset").set_value("CIFAR-10").run()
    app.selectbox(key="sota_metric").set_value("fid").run()
    assert not app.exception
    spec = app.get("vega_lite_chart")[0].proto.spec
    assert '"step-after"' in spec and '"circle"' in spec
    records = app.dataframe[0].value
    assert list(records["value"]) == sorted(records["value"], reverse=True)  # each FID record is lower


# --- paper ---


@pytest.mark.parametrize(
    ("search", "quote"),
    [
        ("Denoising Diffusion", "state-of-the-art FID score of 3.17"),
        ("Stochastic Differential", "FID of 2.20"),
        ("Stochastic Differential", "Inception score of 9.89"),
    ],
)
def test_paper_page_marks_evidence_spans(app: AppTest, search: str, quote: str) -> None:
    open_page(app, "views/paper.py")
    app.text_input(key="paper_search").input(search).run()
    assert not app.exception
    abstract = next(m.value for m in app.markdown if "claimtrack-abstract" in m.value)
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", abstract)
    assert any(html.escape(quote) in m for m in marked), marked
    claims = app.dataframe[0].value
    assert quote in set(claims["quote"])
    assert {"start_offset", "end_offset", "metric", "value", "model", "kind"} <= set(claims.columns)


def test_paper_search_without_match_says_so(app: AppTest) -> None:
    open_page(app, "views/paper.py")
    app.text_input(key="paper_search").input("no title contains this zzqx").run()
    assert not app.exception
    assert any("No paper title" in i.value for i in app.info)


# --- claims explorer ---


def test_explorer_filters_narrow_the_table(app: AppTest) -> None:
    open_page(app, "views/explorer.py")
    total = len(app.dataframe[0].value)
    app.multiselect(key="ex_metric").set_value(["fid"]).run()
    fid = app.dataframe[0].value
    assert 0 < len(fid) < total and set(fid["metric"]) == {"fid"}
    app.text_input(key="ex_text").input("DDPM").run()
    ddpm = app.dataframe[0].value
    assert len(ddpm) >= 1 and all(
        "ddpm" in f"{m} {q}".lower() for m, q in zip(ddpm["model"], ddpm["quote"])
    )
    assert app.metric[0].value == str(len(ddpm))


# --- SQL ---


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "Refused"),
        ("SELECT * FROM read_text('/etc/hostname')", "Refused"),
        ("DROP TABLE papers", "Refused"),
        ("SET enable_external_access = true", "Refused"),
        ("SELECT 1; SELECT 2", "Refused"),
        ("SELEC nonsense", "Query failed"),
        ("SELECT * FROM no_such_table", "Query failed"),
    ],
)
def test_sql_page_refuses_with_a_clear_message(app: AppTest, sql: str, message: str) -> None:
    open_page(app, "views/sql.py")
    app.text_area(key="sql_text").input(sql)
    app.button(key="sql_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    errs = errors(app)
    assert len(errs) == 1 and errs[0].startswith(f"**{message}:**"), errs
    assert "Traceback" not in errs[0] and "\n" not in errs[0]


@pytest.mark.parametrize(
    ("sql", "column"),
    [
        ("SELECT count(*) AS n FROM papers", "n"),
        ("SELECT model, value FROM leaderboard WHERE dataset = 'ImageNet-1K' ORDER BY rank", "model"),
    ],
)
def test_sql_page_runs_a_select(app: AppTest, sql: str, column: str) -> None:
    open_page(app, "views/sql.py")
    app.text_area(key="sql_text").input(sql)
    app.button(key="sql_submit").click().run()
    assert not app.exception and errors(app) == []
    results = [d.value for d in app.dataframe if column in d.value.columns]
    assert results and len(results[0]) > 0


def test_sql_example_button_fills_and_runs(app: AppTest) -> None:
    open_page(app, "views/sql.py")
    app.button(key="sql_example_1").click().run()
    assert not app.exception and errors(app) == []
    assert "leaderboard" in app.text_area(key="sql_text").value


# --- an unusable database ---


@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[Path]:
    """A database held open for writing by another process (as during `tracker load`)."""
    db = tmp_path / "locked.duckdb"
    Store(db).close()
    code = (
        "import sys, time; from tracker.store import Store; s = Store(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(120)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield db
    finally:
        proc.kill()
        proc.wait()


def _missing(tmp: Path) -> Path:
    return tmp / "missing.duckdb"


def _empty(tmp: Path) -> Path:
    Store(tmp / "empty.duckdb").close()
    return tmp / "empty.duckdb"


def _not_duckdb(tmp: Path) -> Path:
    (tmp / "notes.duckdb").write_text("these are not the claims you are looking for\n")
    return tmp / "notes.duckdb"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_missing, "no such database file"),
        (_empty, "is empty"),
        (_not_duckdb, "not a claimtrack database"),
    ],
)
@pytest.mark.parametrize("page", ["views/overview.py", "views/leaderboards.py", "views/sql.py"])
def test_unusable_database_gives_a_clear_message(
    app_on: Callable[[Path], AppTest], tmp_path: Path, make: Callable[[Path], Path], says: str, page: str
) -> None:
    at = app_on(make(tmp_path))
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    errs = errors(at)
    assert len(errs) == 1 and says in errs[0] and LOAD_HINT in errs[0], errs
    assert not at.title  # the page itself did not run


def test_locked_database_says_who_holds_it(app_on: Callable[[Path], AppTest], locked_db: Path) -> None:
    """A writer holds the file before anything was read: no error, the page says who holds it."""
    at = app_on(locked_db)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert errors(at) == []
    said = [i.value for i in at.info]
    assert len(said) == 1 and "holds" in said[0] and re.search(r"process \d+", said[0]), said


def test_a_running_load_is_named_as_such(app_on: Callable[[Path], AppTest], tmp_path: Path) -> None:
    """While `tracker load` holds the file (it is stopped mid-load here with SIGSTOP), the page says a load runs."""
    import signal

    db = tmp_path / "loading.duckdb"
    Store(db).close()
    big = tmp_path / "many.jsonl"
    row = '{"id": "p%d", "title": "T %d", "abstract": "Our model reaches %d.1%% top-1 accuracy on ImageNet."}\n'
    big.write_text("".join(row % (i, i, 50 + i % 40) for i in range(20000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "load", str(big), "--db", str(db), "-q"],
                            stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        wal = Path(f"{db}.wal")  # the load writes its staging tables: it holds the file (never probed with a
        while not wal.exists() and time.monotonic() < deadline:  # connection, which could take the lock first)
            assert proc.poll() is None, "the load ended before it was seen writing"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGSTOP)
        at = app_on(db)
        at.run()
        assert not at.exception and errors(at) == [], errors(at)
        said = [i.value for i in at.info]
        assert len(said) == 1 and f"process {proc.pid}" in said[0] and "tracker load" in said[0], said
        assert LOAD_HINT not in said[0]
    finally:
        proc.kill()
        proc.wait()
