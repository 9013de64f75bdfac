"""Boards read every number in the board's unit: a unitless number on a percentage board is a percentage
(Swin's `87.3` beside `84.1 %`), a unitless fraction (`0.851`) is converted and flagged in `conditions`,
never ranked raw among percentages; a board whose unit has a scale (params, M) leaves unitless numbers alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.conftest import board
from tracker.store import connect_readonly, queries


def rows(db: Path, dataset: str, metric: str) -> list[tuple[str, float, str | None, str | None]]:
    con = connect_readonly(db)
    try:
        df = queries.leaderboard(con, dataset=dataset, metric=metric)
    finally:
        con.close()
    df = df.astype(object).where(df.notna(), None)
    return [(r.model, r.value, r.unit, r.conditions) for r in df.itertuples()]


@pytest.mark.parametrize(
    ("metric", "entries", "expected"),
    [
        (  # a percentage board: unitless 87.3 is 87.3 %, the fraction 0.851 is 85.1 % and says so
            "top1_accuracy",
            [("RMT", 84.1, "%", "2023-09-19"), ("Swin", 87.3, None, "2021-03-25"), ("DeiT-B", 0.851, None, "2021-01-01")],
            [("Swin", 87.3, "%", None), ("DeiT-B", 85.1, "%", "written as the fraction 0.851"), ("RMT", 84.1, "%", None)],
        ),
        (  # lower is better: the fraction is converted before ranking too
            "error_rate",
            [("A", 4.5, "%", "2021-01-01"), ("B", 0.031, None, "2021-02-01")],
            [("B", 3.1, "%", "written as the fraction 0.031"), ("A", 4.5, "%", None)],
        ),
    ],
)
def test_board_units(db: Path, metric: str, entries: list, expected: list) -> None:  # type: ignore[type-arg]
    board(db, metric, entries)
    got = [(m, round(v, 6), u, c) for m, v, u, c in rows(db, "ImageNet-1K", metric)]
    assert got == expected


def test_a_scaled_unit_is_not_given_to_unitless_numbers(db: Path) -> None:
    board(db, "params", [("ViT-B", 86.0, "M", "2021-01-01"), ("Tiny", 5.0, None, "2021-02-01")])
    assert {(m, u) for m, _, u, _ in rows(db, "ImageNet-1K", "params")} == {("ViT-B", "M"), ("Tiny", None)}
