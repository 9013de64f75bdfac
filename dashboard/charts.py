"""Altair charts of the dashboard, as pure functions of DataFrames (so they can be tested without a UI).

Bars are horizontal: metric, task and model names are long, and horizontal bars keep them readable
instead of rotating them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

BAR_PX = 22  # height of one bar: labels stay readable without scrolling for ~30 rows


def _height(rows: int) -> int:
    return max(80, BAR_PX * rows + 30)


def count_bars(df: pd.DataFrame, category: str, count: str, title: str, *, top: int = 25) -> alt.Chart:
    """The `top` largest categories as horizontal bars, largest first."""
    data = df.nlargest(top, count) if len(df) > top else df
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            x=alt.X(f"{count}:Q", title=count),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{count}:Q")],
        )
        .properties(height=_height(len(data)))
    )


def unique_labels(models: pd.Series, papers: pd.Series) -> list[str]:
    """Model names made unique for a chart axis: "(proposed)" of two papers must stay two bars."""
    dup = models.duplicated(keep=False)
    return [f"{m} · {p}" if d else str(m) for m, p, d in zip(models, papers, dup)]


def leaderboard_bars(board: pd.DataFrame, value: str, title: str, x_title: str) -> alt.Chart:
    """One bar per model in rank order (best on top), whatever the metric's direction. The axis zooms to
    the data when every value is positive and they span less than a third of the largest (accuracies of
    80-90: bars from 0 would all look the same); the axis labels say where it starts."""
    data = board.assign(label=unique_labels(board["model"], board["paper_id"]))
    order = list(data["label"])
    values = pd.to_numeric(data[value], errors="coerce").dropna()
    zoom = bool(len(values) > 1 and values.min() > 0 and values.max() - values.min() < values.max() / 3)
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            x=alt.X(f"{value}:Q", title=x_title, scale=alt.Scale(zero=not zoom)),
            tooltip=["rank:Q", "model:N", "value:Q", "unit:N", "title:N", "published:T"],
        )
        .properties(height=_height(len(data)))
    )


RECORD, OTHER = "state of the art", "other claims"  # the SOTA chart's legend, in words rather than true/false


def sota_chart(points: pd.DataFrame, title: str, y_title: str) -> alt.LayerChart:
    """Every claim as a point by paper date, records highlighted, and the running best as a step line."""
    points = points.assign(claim=points["is_record"].map({True: RECORD, False: OTHER}))
    base = alt.Chart(points).encode(x=alt.X("published:T", title="paper date", axis=alt.Axis(format="%b %Y")))
    dots = base.mark_circle(size=70, opacity=0.8).encode(
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("claim:N", title=None, scale=alt.Scale(domain=[RECORD, OTHER], range=["#d62728", "#7f7f7f"])),
        tooltip=["published:T", "model:N", "value:Q", "title:N", *(["origin:N"] if "origin" in points.columns else [])],
    )
    step = base.mark_line(interpolate="step-after", color="#d62728").encode(
        y=alt.Y("running_best:Q", title=y_title),
    )
    return alt.layer(step, dots, title=title).properties(height=380)
