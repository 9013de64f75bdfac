"""The dashboard's pure helpers: evidence highlighting (the one raw-HTML output), paths, labels, charts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.charts import leaderboard_bars, sota_chart, unique_labels
from dashboard.common import db_path, md_escape
from dashboard.highlight import Span, highlight_html, merge_spans

OPEN = '<div class="claimtrack-abstract" style="line-height:1.7">'


@pytest.mark.parametrize(
    ("text", "spans", "body"),
    [
        ("FID of 2.06.", [Span(0, 11)], "<mark>FID of 2.06</mark>."),
        ("a 1 b 2", [Span(2, 3, "x = 1"), Span(6, 7)], 'a <mark title="x = 1">1</mark> b <mark>2</mark>'),
        # overlapping quotes ("83.3% vs. 80.8%") become one mark, labels joined
        (
            "83.3% vs. 80.8% top-1",
            [Span(0, 15, "a"), Span(10, 21, "b")],
            '<mark title="a; b">83.3% vs. 80.8% top-1</mark>',
        ),
        # everything from the database is escaped, inside and outside the marks
        (
            "<b>1</b> & <script>",
            [Span(3, 4, '"><img src=x>')],
            '&lt;b&gt;<mark title="&quot;&gt;&lt;img src=x&gt;">1</mark>&lt;/b&gt; &amp; &lt;script&gt;',
        ),
        # Markdown math and line breaks cannot fire inside the block
        ("\\$x\\$ costs\n\n1 ms", [Span(13, 17)], "&#36;x&#36; costs<br><br><mark>1 ms</mark>"),
        # the abstract's LaTeX is rendered piece by piece, so the marks stay on their raw offsets
        (
            "reaches 83.3\\% top-1 (\\ie $4\\times$ faster)",
            [Span(8, 14, "top1_accuracy = 83.3 %")],
            'reaches <mark title="top1_accuracy = 83.3 %">83.3%</mark> top-1 (i.e. 4× faster)',
        ),
        # offsets outside the text are clipped, empty or reversed spans dropped
        ("abc", [Span(-5, 1), Span(2, 99), Span(2, 2), Span(3, 1)], "<mark>a</mark>b<mark>c</mark>"),
        ("no claims", [], "no claims"),
    ],
)
def test_highlight_html(text: str, spans: list[Span], body: str) -> None:
    assert highlight_html(text, spans) == OPEN + body + "</div>"


def test_highlight_has_no_blank_line() -> None:
    """A blank line would end the HTML block and let Markdown reinterpret the rest."""
    assert "\n" not in highlight_html("one\n\ntwo\n", [Span(0, 3)])


def test_merge_spans_keeps_disjoint_order() -> None:
    assert merge_spans([Span(5, 6), Span(0, 2), Span(1, 3)], 10) == [Span(0, 3), Span(5, 6)]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--db", "x.duckdb"], None, "x.duckdb"),
        (["--db", "x.duckdb"], "y.duckdb", "x.duckdb"),  # the command line wins
        (["-q", "tests/dashboard"], "y.duckdb", "y.duckdb"),  # pytest's own argv is ignored
        ([], None, "claimtrack.duckdb"),
    ],
)
def test_db_path(monkeypatch: pytest.MonkeyPatch, argv: list[str], env: str | None, expected: str) -> None:
    if env is None:
        monkeypatch.delenv("CLAIMTRACK_DB", raising=False)
    else:
        monkeypatch.setenv("CLAIMTRACK_DB", env)
    assert db_path(argv) == str(Path(expected).resolve())


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain", "plain"), ("a*b_c", "a\\*b\\_c"), ("<img src=x>", "\\<img src=x\\>"), ("$5", "\\$5")],
)
def test_md_escape(text: str, shown: str) -> None:
    assert md_escape(text) == shown


def test_unique_labels_keep_two_proposed_methods_apart() -> None:
    labels = unique_labels(pd.Series(["(proposed)", "ViT", "(proposed)"]), pd.Series(["p1", "p2", "p3"]))
    assert labels == ["(proposed) · p1", "ViT", "(proposed) · p3"]


def test_leaderboard_bars_keep_rank_order() -> None:
    board = pd.DataFrame(
        {"rank": [1, 2], "model": ["B", "A"], "value": [1.0, 2.0], "unit": [None, None], "paper_id": ["p", "q"],
         "title": ["t", "u"], "published": pd.to_datetime(["2020-01-01", "2021-01-01"])}  # fmt: skip
    )
    spec = leaderboard_bars(board, "value", "CIFAR-10 — fid", "fid").to_dict()
    assert spec["encoding"]["y"]["sort"] == ["B", "A"]


@pytest.mark.parametrize(
    ("values", "from_zero"),
    [
        ([87.8, 87.7, 84.1, 81.5], False),  # ImageNet top-1 accuracies: zoomed to the data
        ([2.06, 9.6, 30.1], True),  # FIDs spanning an order of magnitude: from 0
        ([0.5, -0.2], True),  # a negative value: from 0
        ([80.0], True),  # one bar: from 0
    ],
)
def test_leaderboard_bars_zoom_to_the_data(values: list[float], from_zero: bool) -> None:
    n = len(values)
    board = pd.DataFrame({"rank": range(1, n + 1), "model": [f"m{i}" for i in range(n)], "value": values,
                          "unit": ["%"] * n, "paper_id": [f"p{i}" for i in range(n)], "title": ["t"] * n,
                          "published": pd.to_datetime(["2021-01-01"] * n)})  # fmt: skip
    spec = leaderboard_bars(board, "value", "ImageNet-1K — top1_accuracy", "top1_accuracy").to_dict()
    assert spec["encoding"]["x"]["scale"]["zero"] is from_zero


def test_sota_chart_is_a_step_line_over_points() -> None:
    points = pd.DataFrame(
        {"published": pd.to_datetime(["2020-01-01", "2021-01-01"]), "value": [3.0, 2.0], "model": ["a", "b"],
         "title": ["t", "u"], "running_best": [3.0, 2.0], "is_record": [True, False]}  # fmt: skip
    )
    spec = json.dumps(sota_chart(points, "t", "fid").to_dict())
    assert '"interpolate": "step-after"' in spec and '"type": "circle"' in spec
    # the legend says what the colours mean in words, not true/false
    color = sota_chart(points, "t", "fid").to_dict()["layer"][1]["encoding"]["color"]
    assert color["field"] == "claim" and color["scale"]["domain"] == ["state of the art", "other claims"]
