"""State of the art over time: every claim on a (dataset, metric) by paper date, and the running best."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import sota_chart
from dashboard.common import (
    baselines_toggle, choose, db_path, direction_text, for_display, leaderboard_index_or_notice, published_range, query,
    show_chart,
)  # fmt: skip
from dashboard.origins import ORIGIN_HELP

# A chart of 1M points would stall the browser: every record is drawn, and an even sample of the rest.
MAX_POINTS = 2_000

def pick(index: pd.DataFrame) -> tuple[str, str, bool, str | None]:
    """Dataset, then metric; returns the metric's direction and usual unit too."""
    pairs = index.groupby(["dataset", "metric"], sort=False).agg(
        models=("models", "sum"), higher=("higher_is_better", "first"), unit=("unit", "first")
    )
    datasets = list(pairs.groupby(level=0, sort=False)["models"].sum().sort_values(ascending=False).index)
    c1, c2 = st.columns(2)
    with c1:
        dataset = choose("Dataset", datasets, key="sota_dataset", param="dataset")
    rows = pairs.loc[dataset].sort_values("models", ascending=False)
    with c2:
        metric = choose("Metric", list(rows.index), key="sota_metric", param="metric")
    row = rows.loc[metric]
    return dataset, metric, bool(row["higher"]), (row["unit"] if pd.notna(row["unit"]) else None)


def origin_choice(points: pd.DataFrame) -> tuple[str, ...]:
    """The origins chosen when the timeline mixes them (the archive's history and the abstracts' claims);
    () for all."""
    present = sorted(points["origin"].dropna().unique()) if not points.empty else []
    if len(present) < 2:
        return ()
    chosen = st.multiselect("Origin", present, default=present, key="sota_origin", help=ORIGIN_HELP)
    return () if set(chosen) == set(present) else tuple(chosen) or ("none",)


def records_table(points: pd.DataFrame) -> None:
    """The claims that set a new best, oldest first: the history in words."""
    records = points[points["is_record"]]
    st.dataframe(
        for_display(records),
        hide_index=True,
        column_order=("published", "model", "value", "role", "origin", "title"),
        column_config={
            "published": st.column_config.DateColumn("Date"),
            "model": st.column_config.TextColumn("Model"),
            "value": st.column_config.NumberColumn("Value"),
            "role": st.column_config.TextColumn("Role", help="own: the paper's own result; baseline: a quoted number"),
            "origin": st.column_config.TextColumn("Origin", help=ORIGIN_HELP),
            "title": st.column_config.TextColumn("Paper", width="large"),
        },
    )


def render() -> None:
    st.title("State of the art over time")
    path = db_path()
    index = leaderboard_index_or_notice(path)
    if index is None:
        return
    dataset, metric, higher, unit = pick(index)
    since, until = published_range("sota_dates")
    board = {"dataset": dataset, "metric": metric, "max_points": MAX_POINTS, "since": since, "until": until,
             "with_baselines": baselines_toggle("sota_baselines")}  # fmt: skip
    points = query(path, "sota_over_time", **board)
    origins = origin_choice(points)
    if origins:  # the history of the chosen origins alone: its own running best and records
        points = query(path, "sota_over_time", origins=origins, **board)
    if points.empty:
        st.info("No dated claim here: none in that date range." if since or until else
                "None of these claims is an own result from a dated paper, so there is no timeline to draw "
                "(\"Include quoted baselines\" adds the numbers papers quote)." if not board["with_baselines"] else
                "None of these claims comes from a dated paper, so there is no timeline to draw.")  # fmt: skip
        return
    points = points.assign(published=pd.to_datetime(points["published"]))
    unit_txt = f" ({unit})" if unit else ""
    total = int(points["dated_claims"].iloc[0])
    shown = f"{total:,} dated claims" if total == len(points) else (
        f"{total:,} dated claims, of which the chart draws {len(points):,} (every record and an even sample of the rest)"
    )
    st.caption(f"{shown}; the step line is the best value so far ({direction_text(higher)}), red points set a new record.")
    title = f"{dataset} — {metric}{unit_txt}"
    show_chart(sota_chart(points, title, f"{metric}{unit_txt}"))
    st.subheader("Records")
    records_table(points)


if __name__ == "__main__":
    render()
