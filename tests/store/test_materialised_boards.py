"""Materialised leaderboards (leaderboard_best, leaderboard_merged, leaderboard_points, leaderboards):
after ANY sequence of writes they equal a from-scratch computation (see store_boards_lib).

Each scenario is a list of steps run on a private copy of a database; every step does one kind of
write (a load, a review, `tracker sql --write`, a vocabulary change, an old-format file reopened...),
checks that the write did what it should to the boards (so a step that silently did nothing fails),
and then the boards are compared with the references."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml

from store_boards_lib import (
    BEST_COLS, PAPERS, PAPERS_CHANGED, SAMPLE, assert_boards_fresh, biggest_board, board_rows, copy_db, counts,
    load, ok, query, read_jsonl, staging_tables, write_jsonl,
)  # fmt: skip
from tests.store.conftest import make_claim, make_paper, write
from tracker.reviews import make_review
from tracker.store import connect_readonly, queries
from tracker.store.store import MATERIALISED, Store, submit_reviews
from tracker.vocab import load_vocab


# --- databases shared by the scenarios (loaded once, copied per test) ---


@pytest.fixture(scope="session")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """'sample': the bundled sample loaded; 'base': then tests/fixtures/cli/papers.jsonl too."""
    d = tmp_path_factory.mktemp("boards")
    sample = d / "sample.duckdb"
    assert counts(load(sample, SAMPLE))[1] > 50
    assert_boards_fresh(sample, min_boards=5)
    base = copy_db(sample, d / "base.duckdb")
    assert counts(load(base, PAPERS)) == (5, 5, 0, 0)
    assert_boards_fresh(base, min_boards=5)
    return {"sample": sample, "base": base}


@dataclass
class Ctx:
    db: Path
    tmp: Path
    write_lock: Callable[[Path], Any]
    notes: dict[str, Any] = field(default_factory=dict)


# --- steps ---


def _edited_papers(tmp: Path) -> Path:
    """papers.jsonl with cli-002's numbers and date changed and one number of cli-004 removed: a second
    file that replaces two papers of the first."""
    recs = read_jsonl(PAPERS)
    for r in recs:
        if r["id"] == "cli-002":
            assert "**78.9%**" in r["abstract"] and "**80.2%**" in r["abstract"]
            r["abstract"] = r["abstract"].replace("**78.9%**", "**79.4%**").replace("**80.2%**", "**84.6%**")
            r["published"] = "2019-07-01"
        if r["id"] == "cli-004":
            assert "ImageNet-R (53.92%), and " in r["abstract"]
            r["abstract"] = r["abstract"].replace("ImageNet-R (53.92%), and ", "and ")
    return write_jsonl(tmp / "papers_edited.jsonl", recs)


def step_load_sample(c: Ctx) -> None:
    res = load(c.db, SAMPLE)
    assert res.total("papers") > 50


def step_load_cli(c: Ctx) -> None:
    load(c.db, PAPERS)
    assert query(c.db, "SELECT count(*) FROM papers WHERE paper_id LIKE 'cli-%'")[0][0] >= 5


def step_load_changed(c: Ctx) -> None:
    before = dict(query(c.db, "SELECT paper_id, content_hash FROM papers"))
    res = load(c.db, PAPERS_CHANGED)
    after = dict(query(c.db, "SELECT paper_id, content_hash FROM papers"))
    assert res.total("new") + res.total("changed") >= 1
    assert "cli-new" in after and after != before


def step_load_edited(c: Ctx) -> None:
    """A second file replacing papers of the first (cli-002 and cli-004 changed)."""
    res = load(c.db, _edited_papers(c.tmp))
    assert res.total("changed") == 2, res.summary()
    # the old numbers are gone from the claims and from every board
    assert not query(c.db, "SELECT claim_id FROM claims WHERE paper_id = 'cli-002' AND value IN (78.9, 80.2)")
    assert not query(c.db, "SELECT claim_id FROM leaderboard_best WHERE paper_id = 'cli-002' AND value IN (78.9, 80.2)")
    assert not query(c.db, "SELECT claim_id FROM leaderboard_points WHERE paper_id = 'cli-004' AND value_si = 53.92")
    pub = query(c.db, "SELECT DISTINCT published FROM leaderboard_points WHERE paper_id = 'cli-002'")
    assert pub in ([], [(date(2019, 7, 1),)])


def _target(c: Ctx, rank_from_top: int) -> dict[str, Any]:
    """An extracted claim of the biggest board: the rank_from_top-th (0 = best, -1 = last)."""
    task, dataset, metric = biggest_board(c.db)
    rows = [r for r in board_rows(c.db, dataset, metric, task) if r["origin"] == "extracted"]
    assert len(rows) >= 4, f"the biggest board ({dataset}, {metric}) has too few extracted claims: {rows}"
    return rows[rank_from_top]


def _review(c: Ctx, action: str, claim_id: str, *sets: str) -> None:
    args = ["review", action, claim_id, "--db", c.db, "--reviewer", "tester"]
    for s in sets:
        args += ["--set", s]
    ok(*args)


def _on_boards(c: Ctx, claim_id: str) -> list[tuple[Any, ...]]:
    return query(c.db, "SELECT dataset, metric, task, rank, origin FROM leaderboard_best WHERE claim_id = ? AND scope = 'all'", [claim_id])


def step_review_reject(c: Ctx) -> None:
    t = _target(c, 0)
    _review(c, "reject", t["claim_id"])
    assert _on_boards(c, t["claim_id"]) == []
    assert not query(c.db, "SELECT 1 FROM leaderboard_points WHERE claim_id = ?", [t["claim_id"]])


def step_review_accept(c: Ctx) -> None:
    t = _target(c, 1)
    _review(c, "accept", t["claim_id"])
    assert query(c.db, "SELECT origin FROM leaderboard_claims WHERE claim_id = ?", [t["claim_id"]]) == [("reviewed",)]
    assert [r[4] for r in _on_boards(c, t["claim_id"])] == ["reviewed"]


def step_review_correct_value(c: Ctx) -> None:
    """The last claim of the board corrected to beat the best: it becomes rank 1."""
    task, dataset, metric = biggest_board(c.db)
    rows = board_rows(c.db, dataset, metric, task)
    best, t = rows[0], [r for r in rows if r["origin"] == "extracted"][-1]
    scale = dict(query(c.db, "SELECT unit, scale FROM units")).get(t["unit"], 1.0) if t["unit"] else 1.0
    new_si = best["value_si"] + 0.5 if best["higher_is_better"] else best["value_si"] * 0.5
    value = round(new_si / scale, 6)
    _review(c, "correct", t["claim_id"], f"value={value}")
    after = [r for r in board_rows(c.db, dataset, metric, task) if r["claim_id"] == t["claim_id"]]
    assert [(r["rank"], r["value"], r["origin"]) for r in after] == [(1, value, "reviewed")]


def step_review_correct_dataset(c: Ctx) -> None:
    """A claim moved to a new dataset: it leaves its board and makes a new one."""
    t = _target(c, 2)
    _review(c, "correct", t["claim_id"], "dataset=ReviewBench-X")
    assert [(r[0], r[4]) for r in _on_boards(c, t["claim_id"])] == [("ReviewBench-X", "reviewed")]
    idx = query(c.db, "SELECT metric, models, claims FROM leaderboards WHERE dataset = 'ReviewBench-X'")
    assert idx == [(t["metric"], 1, 1)]


def step_review_correct_metric(c: Ctx) -> None:
    """A claim moved to a lower-is-better metric (error_rate) on the same dataset."""
    t = _target(c, 3)
    _review(c, "correct", t["claim_id"], "metric=error_rate")
    assert [(r[0], r[1]) for r in _on_boards(c, t["claim_id"])] == [(t["dataset"], "error_rate")]
    hib = query(c.db, "SELECT DISTINCT higher_is_better FROM leaderboards WHERE dataset = ? AND metric = 'error_rate'",
                [t["dataset"]])  # fmt: skip
    assert hib == [(False,)]


def step_review_add(c: Ctx) -> None:
    """A human claim on a paper of papers.jsonl, on a dataset no board has yet."""
    ok("review", "add", "cli-002", "--quote", "78.9%", "--value", "78.9", "--unit", "%", "--metric", "top1_accuracy",
       "--kind", "absolute", "--model", "HumanNet", "--dataset", "ReviewBench-Y", "--task", "image_classification",
       "--db", c.db, "--reviewer", "tester")  # fmt: skip
    rows = query(c.db, "SELECT model, value, origin, claim_id FROM leaderboard_best WHERE dataset = 'ReviewBench-Y' AND scope = 'all'")
    assert [(m, v, o) for m, v, o, _ in rows] == [("HumanNet", 78.9, "human")] and rows[0][3].startswith("h-")


def step_journal_replay(c: Ctx) -> None:
    """A review written while another process holds the database: the journal keeps it, the next writable
    open applies it and rebuilds the boards."""
    t = _target(c, 0)
    con = connect_readonly(c.db)
    try:
        target = queries.review_target(con, t["claim_id"])
    finally:
        con.close()
    review = make_review("reject", target["base"], current=target["current"] or target["base"], title="-")
    with c.write_lock(c.db):
        assert submit_reviews(c.db, [review]) is False  # locked: only in the journal
    assert _on_boards(c, t["claim_id"]) != []  # not applied yet
    Store(c.db).close()
    assert _on_boards(c, t["claim_id"]) == []


def step_sql_delete(c: Ctx) -> None:
    t = _target(c, 0)
    ok("sql", f"DELETE FROM claims WHERE claim_id = '{t['claim_id']}'", "--db", c.db, "--write")
    assert _on_boards(c, t["claim_id"]) == []


def step_sql_update_published(c: Ctx) -> None:
    """The last dated claim of the biggest board moved to 1999: it is first in the timeline."""
    _, dataset, metric = biggest_board(c.db)
    pid = query(c.db, "SELECT paper_id FROM leaderboard_points WHERE dataset = ? AND metric = ? ORDER BY seq DESC LIMIT 1",
                [dataset, metric])[0][0]  # fmt: skip
    ok("sql", f"UPDATE papers SET published = DATE '1999-01-01' WHERE paper_id = '{pid}'", "--db", c.db, "--write")
    first = query(c.db, "SELECT paper_id, published FROM leaderboard_points WHERE dataset = ? AND metric = ? AND seq = 1",
                  [dataset, metric])  # fmt: skip
    assert first == [(pid, date(1999, 1, 1))]


def step_sql_flip_metric(c: Ctx) -> None:
    """`UPDATE metrics SET higher_is_better = ...`: every board of the metric is re-ranked."""
    task, dataset, metric = biggest_board(c.db)
    ok("sql", f"UPDATE metrics SET higher_is_better = NOT higher_is_better WHERE metric = '{metric}'", "--db", c.db,
       "--write")  # fmt: skip
    c.notes["flipped"] = metric
    _assert_direction(c, task, dataset, metric)


def _assert_direction(c: Ctx, task: str, dataset: str, metric: str) -> None:
    """Rank 1 of the board holds the best value by the metric's direction in `metrics`."""
    hib = query(c.db, "SELECT higher_is_better FROM metrics WHERE metric = ?", [metric])[0][0]
    rows = board_rows(c.db, dataset, metric, task)
    assert {r["higher_is_better"] for r in rows} == {hib}
    values = [r["value_si"] for r in rows]
    assert rows[0]["value_si"] == (max(values) if hib else min(values)), (hib, values)
    assert query(c.db, "SELECT DISTINCT higher_is_better FROM leaderboards WHERE metric = ?", [metric]) == [(hib,)]


def _vocab_file(c: Ctx, metric: str, higher_is_better: bool) -> Path:
    m = load_vocab().metrics[metric]
    entry = {"higher_is_better": higher_is_better, "family": m.family, "aliases": list(m.aliases)}
    if m.unit is not None:
        entry["unit"] = m.unit
    path = c.tmp / f"vocab-{metric.replace(':', '_')}-{higher_is_better}.yaml"
    path.write_text(yaml.safe_dump({"metrics": {metric: entry}}), encoding="utf-8")
    return path


def _tiny_file(c: Ctx) -> Path:
    """One paper without a number: a load of it touches no board by its claims."""
    return write_jsonl(c.tmp / "tiny.jsonl", [{
        "id": "tiny-1", "title": "A Paper Without Numbers", "published": "2024-01-01",
        "abstract": "We study transformers and discuss their properties in some detail without reporting results.",
    }])  # fmt: skip


def _flip_by_vocab(c: Ctx, how: str) -> None:
    """Load a file that touches no board with a user vocabulary that flips the biggest board's metric:
    only the metric's direction changed, yet every board of it must be re-ranked."""
    task, dataset, metric = biggest_board(c.db)
    hib = query(c.db, "SELECT higher_is_better FROM metrics WHERE metric = ?", [metric])[0][0]
    loaded_before = dict(query(c.db, "SELECT paper_id, loaded_at FROM papers"))
    vocab = _vocab_file(c, metric, not hib)
    if how == "--vocab":
        ok("load", _tiny_file(c), "--db", c.db, "--jobs", "1", "--quiet", "--vocab", vocab)
    else:
        ok("load", _tiny_file(c), "--db", c.db, "--jobs", "1", "--quiet", env={"CLAIMTRACK_VOCAB": str(vocab)})
    assert query(c.db, "SELECT higher_is_better FROM metrics WHERE metric = ?", [metric]) == [(not hib,)]
    # the other papers were not re-extracted: only the direction changed behind their boards
    after = dict(query(c.db, "SELECT paper_id, loaded_at FROM papers WHERE paper_id != 'tiny-1'"))
    assert after == loaded_before
    c.notes["flipped"] = metric
    _assert_direction(c, task, dataset, metric)


def step_vocab_flip_option(c: Ctx) -> None:
    _flip_by_vocab(c, "--vocab")


def step_vocab_flip_env(c: Ctx) -> None:
    _flip_by_vocab(c, "env")


def step_vocab_restore(c: Ctx) -> None:
    """A load with the packaged vocabulary again puts the direction back."""
    metric = c.notes["flipped"]
    task, dataset, _ = query(c.db, "SELECT task, dataset, metric FROM leaderboards WHERE metric = ? AND task IS NOT NULL "
                                   "ORDER BY models DESC, dataset, task LIMIT 1", [metric])[0]  # fmt: skip
    ok("load", _tiny_file(c), "--db", c.db, "--jobs", "1", "--quiet", env={"CLAIMTRACK_VOCAB": ""})
    hib = load_vocab().metrics[metric].higher_is_better
    assert query(c.db, "SELECT higher_is_better FROM metrics WHERE metric = ?", [metric]) == [(hib,)]
    _assert_direction(c, task, dataset, metric)


# What `leaderboard` and `leaderboards` were before materialisation (views over leaderboard_claims).
OLD_VIEWS = textwrap.dedent("""
    CREATE OR REPLACE VIEW leaderboard AS
    SELECT rank() OVER (PARTITION BY task, dataset, metric ORDER BY sort_key) AS rank, task, dataset, metric, model,
           value, unit, value_si, higher_is_better, paper_id, title, published, conditions, quote, claim_id, origin,
           model_key, sort_key
    FROM (
        SELECT *, row_number() OVER (PARTITION BY task, dataset, metric, model_key
                                     ORDER BY sort_key, published NULLS LAST, claim_id) AS pick
        FROM leaderboard_claims
    ) WHERE pick = 1;
    CREATE VIEW leaderboards AS
    SELECT task, dataset, metric, bool_and(higher_is_better) AS higher_is_better, any_value(metric_unit) AS unit,
           count(DISTINCT model_key) AS models, count(*) AS claims, count(DISTINCT paper_id) AS papers,
           max(published) AS latest
    FROM leaderboard_claims GROUP BY ALL;
""")


def _make_old_format(db: Path, *, foreign_write: bool) -> None:
    """The file as an older claimtrack left it: no materialised tables, `leaderboards` a view; with
    foreign_write, a claim deleted by another DuckDB client too (the boards did not see it)."""
    with duckdb.connect(str(db)) as con:
        if foreign_write:
            con.execute("DELETE FROM claims WHERE claim_id = (SELECT claim_id FROM leaderboard_best "
                        "ORDER BY rank, dataset, metric, claim_id LIMIT 1)")
        for t in MATERIALISED:
            con.execute(f"DROP TABLE {t}")
        for stmt in OLD_VIEWS.split(";"):
            if stmt.strip():
                con.execute(stmt)
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                 "WHERE table_name IN ('leaderboards', 'leaderboard_best')").fetchall())  # fmt: skip
        assert kinds == {"leaderboards": "VIEW"}


def _is_materialised(db: Path) -> bool:
    rows = query(db, "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN "
                     f"({', '.join(repr(t) for t in MATERIALISED)})")  # fmt: skip
    return dict(rows) == {t: "BASE TABLE" for t in MATERIALISED}


def _reopen(c: Ctx, how: str) -> None:
    assert not _is_materialised(c.db)
    if how == "open":
        Store(c.db).close()
    elif how == "review":
        cid = query(c.db, "SELECT claim_id FROM claims WHERE kind = 'absolute' ORDER BY claim_id LIMIT 1")[0][0]
        _review(c, "accept", cid)
    elif how == "load":
        load(c.db, PAPERS)  # every paper unchanged: the open alone must rebuild
    assert _is_materialised(c.db)


def step_old_format_reopen(c: Ctx) -> None:
    _make_old_format(c.db, foreign_write=False)
    _reopen(c, "open")


def step_old_format_review(c: Ctx) -> None:
    _make_old_format(c.db, foreign_write=False)
    _reopen(c, "review")


def step_old_format_load(c: Ctx) -> None:
    _make_old_format(c.db, foreign_write=True)
    _reopen(c, "load")


def step_foreign_write_drop_best(c: Ctx) -> None:
    """docs/schema.md: after a write from another DuckDB client, `DROP TABLE leaderboard_best` and any
    writing `tracker` command rebuilds every board."""
    t = _target(c, 0)
    with duckdb.connect(str(c.db)) as con:
        con.execute("DELETE FROM claims WHERE claim_id = ?", [t["claim_id"]])
        con.execute("DROP TABLE leaderboard_best")
    Store(c.db).close()
    assert _on_boards(c, t["claim_id"]) == []


STEPS: dict[str, Callable[[Ctx], None]] = {
    name.removeprefix("step_"): fn for name, fn in globals().items() if name.startswith("step_") and callable(fn)
}

# name -> (starting database: None (empty), 'sample' or 'base'; steps). The boards are checked after each step.
SCENARIOS: dict[str, tuple[str | None, list[str]]] = {
    "first-load-of-sample": (None, ["load_sample"]),
    "sample-then-cli-then-changed": ("sample", ["load_cli", "load_changed"]),
    "second-file-replaces-papers": ("base", ["load_edited", "load_changed", "load_cli"]),
    "reviews": ("base", ["review_accept", "review_reject", "review_correct_value", "review_correct_dataset",
                         "review_correct_metric", "review_add"]),
    "reviews-then-papers-replaced": ("base", ["review_add", "review_reject", "review_correct_dataset",
                                              "load_edited", "load_changed"]),
    "journal-replay": ("base", ["journal_replay"]),
    "sql-write": ("base", ["sql_delete", "sql_update_published", "sql_flip_metric"]),
    "vocab-flip-option-then-restore": ("base", ["vocab_flip_option", "vocab_restore"]),
    "vocab-flip-env-then-review": ("base", ["vocab_flip_env", "review_correct_value", "vocab_restore"]),
    "old-format-reopened": ("sample", ["old_format_reopen"]),
    "old-format-then-review": ("base", ["old_format_review", "review_reject"]),
    "old-format-with-foreign-write-then-load": ("base", ["old_format_load"]),
    "foreign-write-drop-best": ("base", ["foreign_write_drop_best"]),
}  # fmt: skip


def test_every_step_is_in_a_scenario() -> None:
    used = {s for _, steps in SCENARIOS.values() for s in steps}
    assert used == set(STEPS)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_boards_equal_from_scratch_after_writes(name: str, dbs: dict[str, Path], tmp_path: Path, write_lock) -> None:
    start, steps = SCENARIOS[name]
    db = tmp_path / "w.duckdb"
    if start is not None:
        copy_db(dbs[start], db)  # (the session fixture checked its boards)
    c = Ctx(db=db, tmp=tmp_path, write_lock=write_lock)
    for step in steps:
        STEPS[step](c)
        try:
            assert_boards_fresh(db, min_boards=5)
        except AssertionError as e:
            raise AssertionError(f"after step {step!r}: {e}") from None
        assert staging_tables(db) == set()


# --- the incremental refresh only touches the datasets it should (and the others keep their rows) ---


def test_review_refreshes_only_its_datasets(dbs: dict[str, Path], tmp_path: Path) -> None:
    """A review rebuilds the boards of its paper's datasets: rows of other boards are left exactly as
    they were (a stale row planted on an unrelated board survives; one on the review's board does not)."""
    db = copy_db(dbs["base"], tmp_path / "w.duckdb")
    task, dataset, metric = biggest_board(db)
    cid, pid = (lambda r: (r["claim_id"], r["paper_id"]))(board_rows(db, dataset, metric, task)[0])
    # a dataset the reviewed paper has no claim on (its boards must not be rebuilt)
    other = query(db, "SELECT dataset FROM leaderboards WHERE dataset NOT IN "
                      "(SELECT dataset FROM claims WHERE paper_id = ? AND dataset IS NOT NULL) "
                      "ORDER BY claims DESC, dataset LIMIT 1", [pid])[0][0]  # fmt: skip
    cols = ", ".join(BEST_COLS)
    with duckdb.connect(str(db)) as con:
        for ds in (dataset, other):
            con.execute(f"INSERT INTO leaderboard_best ({cols}) SELECT 99, task, dataset, metric, 'planted', 'Planted', "
                        "0, NULL, 0, true, 'x', 'x', NULL, NULL, 'x', 'planted-' || dataset, 'extracted', 0, 'own', 'all' "
                        "FROM leaderboards WHERE dataset = ? LIMIT 1", [ds])  # fmt: skip
    ok("review", "reject", cid, "--db", db)
    planted = {r[0] for r in query(db, "SELECT dataset FROM leaderboard_best WHERE model_key = 'planted'")}
    assert planted == {other}


# --- query functions over the materialised tables ---


@pytest.mark.parametrize("task", [None, "from-board"])
@pytest.mark.parametrize("limit", [1, 3, 10, 1000])
def test_leaderboard_limit_is_a_prefix(dbs: dict[str, Path], task: str | None, limit: int) -> None:
    t, dataset, metric = biggest_board(dbs["base"])
    con = connect_readonly(dbs["base"])
    try:
        kw = {"dataset": dataset, "metric": metric, "task": t if task else None}
        full = queries.leaderboard(con, **kw)
        part = queries.leaderboard(con, limit=limit, **kw)
    finally:
        con.close()
    assert len(full) > 3
    pd.testing.assert_frame_equal(part, full.head(limit))
    # the full board is the materialised one (per task, or merged over the tasks), best first
    if task:
        want = [r["claim_id"] for r in board_rows(dbs["base"], dataset, metric, t, scope="own")]
    else:
        want = [r[0] for r in query(dbs["base"], "SELECT claim_id FROM leaderboard_merged WHERE dataset = ? AND "
                                    "metric = ? AND scope = 'own' ORDER BY rank, published NULLS LAST, model, claim_id",
                                    [dataset, metric])]  # fmt: skip
    assert full["claim_id"].tolist() == want
    assert full["rank"].tolist() == sorted(full["rank"].tolist()) and full["rank"].iloc[0] == 1


def _sota_db(tmp_path: Path, n: int, task_of: Callable[[int], str]) -> Path:
    """A board of n dated claims whose values go up and down (records every few claims), over two tasks."""
    papers, claims = [], []
    for i in range(n):
        value = 50 + (i % 7) * 3 + i * 0.25  # a saw-tooth that slowly rises: new records now and then
        quote = f"{value:g}%"
        p = make_paper(f"s{i:03d}", f"Net{i} reaches {quote} top-1 here.", published=date(2020, 1, 1) + timedelta(days=i))
        papers.append(p)
        claims.append(make_claim(p, quote, value, "%", "top1_accuracy", f"Net{i}", task=task_of(i)))
    db = tmp_path / "sota.duckdb"
    write(db, papers, claims)
    return db


SOTA_CASES = [(40, 5), (40, 1), (40, 40), (40, 100), (57, 9), (4, 2)]


@pytest.fixture(scope="session")
def sota_db(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """n -> a database holding one such board of n claims (built once per n; its boards checked)."""
    made: dict[int, Path] = {}

    def get(n: int) -> Path:
        if n not in made:
            made[n] = _sota_db(tmp_path_factory.mktemp(f"sota{n}"), n,
                               lambda i: "image_classification" if i % 3 else "few_shot_classification")  # fmt: skip
            assert_boards_fresh(made[n])
        return made[n]

    return get


@pytest.mark.parametrize(("task", "n", "max_points"), [
    *[(None, n, k) for n, k in SOTA_CASES],
    # a task given: its own running best, not the all-tasks one stored in leaderboard_points
    *[("image_classification", n, k) for n, k in SOTA_CASES if n > 4],
])  # fmt: skip
def test_sota_max_points_keeps_records_and_last(sota_db: Callable[[int], Path], task: str | None, n: int,
                                                max_points: int) -> None:  # fmt: skip
    db = sota_db(n)
    con = connect_readonly(db)
    try:
        full = queries.sota_over_time(con, dataset="ImageNet-1K", metric="top1_accuracy", task=task)
        thin = queries.sota_over_time(con, dataset="ImageNet-1K", metric="top1_accuracy", task=task, max_points=max_points)
    finally:
        con.close()
    cols = ["published", "value", "model", "title", "paper_id", "running_best", "is_record"]
    rows = lambda df: [dict(zip(cols, r)) for r in df[cols].itertuples(index=False, name=None)]  # noqa: E731
    full_rows, thin_rows = rows(full), rows(thin)
    assert len(full_rows) == (n if task is None else sum(1 for i in range(n) if i % 3))
    if "dated_claims" in thin.columns:  # the size of the whole series, also when thinned
        assert set(thin["dated_claims"]) == {len(full_rows)}
    # thinned = a subsequence of the full series (same rows, same order)
    it = iter(full_rows)
    assert all(any(r == f for f in it) for r in thin_rows), "not a subsequence of the full series"
    records = [r for r in full_rows if r["is_record"]]
    assert len(records) >= min(3, len(full_rows)) and [r for r in thin_rows if r["is_record"]] == records
    assert thin_rows[-1] == full_rows[-1]
    assert len(thin_rows) <= len(records) + max_points + 1
    if max_points >= len(full_rows):
        assert thin_rows == full_rows
    elif max_points < len(full_rows) // 2:
        assert len(thin_rows) < len(full_rows)  # it does thin
    # the running best is the max so far (top1 accuracy: higher is better), and records are where it rises
    best = None
    for r in full_rows:
        value, running, is_record = r["value"], r["running_best"], r["is_record"]
        assert is_record == (best is None or value > best)
        best = value if best is None else max(best, value)
        assert running == pytest.approx(best)


def test_leaderboard_index_reads_the_materialised_index(dbs: dict[str, Path], tmp_path: Path) -> None:
    db = copy_db(dbs["base"], tmp_path / "w.duckdb")
    step_review_correct_dataset(Ctx(db=db, tmp=tmp_path, write_lock=None))  # a board that did not exist
    con = connect_readonly(db)
    try:
        idx = queries.leaderboard_index(con)
    finally:
        con.close()
    cols = ["task", "dataset", "metric", "higher_is_better", "unit", "models", "claims"]
    got = sorted((tuple(r) for r in idx[cols].astype(object).where(idx[cols].notna(), None).itertuples(index=False)), key=repr)
    want = sorted(query(db, f"SELECT {', '.join(cols)} FROM leaderboards"), key=repr)
    assert got == want and any(r[1] == "ReviewBench-X" for r in got)
    assert idx["models"].tolist() == sorted(idx["models"].tolist(), reverse=True)
