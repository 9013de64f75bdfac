"""The dashboard's result cache is bounded in bytes, not entries (issue 16 §3).

Four SQL-page queries of 200 MB results left 1.4 GB in `st.cache_data(max_entries=32)`. Here real
results of the SQL page (`dashboard.views.sql.run`, through the SQL child, on the demo database) go
into a cache with a small budget, and what it holds is measured.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard import result_cache
from dashboard.result_cache import ByteCache, cached, size_of

MB = 1_000_000


def _wide_query(tag: int, rows: int = 6000) -> str:
    """A result of about rows * 130 bytes of strings (plus the frame's overhead)."""
    return f"SELECT {tag} AS tag, i, repeat('x', 120) || i::VARCHAR AS s FROM range({rows}) t(i)"


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch) -> ByteCache:
    cache = ByteCache(3 * MB)
    monkeypatch.setattr(result_cache, "CACHE", cache)
    return cache


def test_sql_page_results_stay_under_the_byte_budget(demo_db: Path, small_cache: ByteCache):
    from dashboard.views.sql import run

    sizes = []
    for tag in range(4):
        df, truncated = run(str(demo_db), _wide_query(tag))
        assert not truncated and len(df) == 6000 and df["tag"].iloc[0] == tag
        sizes.append(size_of(df))
        assert small_cache.total <= small_cache.budget
    assert all(s > 0.7 * MB for s in sizes), sizes  # each result is a real share of the budget
    assert sum(sizes) > small_cache.budget  # so the four cannot all be kept ...
    assert 1 <= len(small_cache) < 4  # ... and the oldest were evicted
    assert small_cache.total == sum(s for _, s in small_cache._items.values())


def test_a_result_larger_than_the_budget_is_returned_but_not_kept(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    from dashboard.views.sql import run

    cache = ByteCache(200_000)
    monkeypatch.setattr(result_cache, "CACHE", cache)
    df, _ = run(str(demo_db), _wide_query(9))
    assert len(df) == 6000
    assert len(cache) == 0 and cache.total == 0


@pytest.mark.parametrize(
    "puts, gets_between, budget, kept",
    [
        # least recently USED goes first: reading "a" makes "b" the oldest
        ([("a", 400), ("b", 400)], ["a"], 1000, None),
        ([("a", 400), ("b", 400), ("c", 400)], [], 1000, ["b", "c"]),
        ([("a", 400), ("b", 400), ("c", 400)], ["a"], 1000, ["a", "c"]),
        # storing a key again replaces its size, it does not add to it
        ([("a", 400), ("a", 500), ("b", 400)], [], 1000, ["a", "b"]),
        ([("a", 1001)], [], 1000, []),
    ],
)
def test_byte_cache_evicts_least_recently_used(puts, gets_between, budget, kept):
    cache = ByteCache(budget)
    for i, (key, n) in enumerate(puts):
        if i == 2:
            for g in gets_between:
                assert cache.get(g.encode())[0]
        cache.put(key.encode(), "x" * n)
        assert cache.total <= budget
    if kept is not None:
        assert sorted(k.decode() for k in cache._items) == kept
        assert cache.total == sum(n for k, n in dict(puts).items() if k in kept)


def test_size_of_counts_the_strings_of_a_frame():
    df = pd.DataFrame({"s": ["y" * 1000] * 500, "i": range(500)})
    assert size_of(df) >= 500 * 1000
    assert size_of(df) <= size_of((df, True)) <= size_of(df) + 64  # the flag of the SQL page adds a few bytes


def test_a_changed_file_is_not_served_from_the_cache(tmp_path: Path, small_cache: ByteCache):
    calls = []

    @cached
    def read(path: str) -> str:
        calls.append(path)
        return Path(path).read_text()

    p = tmp_path / "f.duckdb"
    p.write_text("one")
    assert read(str(p)) == "one" and read(str(p)) == "one"
    assert len(calls) == 1
    p.write_text("two, longer")  # size and mtime change: another key
    os.utime(p, ns=(1, 1))
    assert read(str(p)) == "two, longer"
    assert len(calls) == 2


def test_callers_get_a_copy(tmp_path: Path, small_cache: ByteCache):
    @cached
    def frame(path: str) -> pd.DataFrame:
        return pd.DataFrame({"a": [1, 2, 3]})

    p = str(tmp_path / "x.duckdb")
    first = frame(p)
    first.loc[0, "a"] = 99
    assert frame(p)["a"].tolist() == [1, 2, 3]
