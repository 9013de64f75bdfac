"""Overview: how much is in the database, what it measures, and what arrived last."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import count_bars
from dashboard.common import db_path, for_display, query, show_chart

COUNTS = ("papers", "claims", "datasets", "tasks", "metrics")


def counts_row(path: str) -> None:
    """One st.metric per count: the size of the corpus at a glance."""
    counts = query(path, "overview_counts")
    for col, name in zip(st.columns(len(COUNTS)), COUNTS):
        col.metric(name.capitalize(), f"{counts.get(name, 0):,}")


def charts(path: str) -> None:
    """Claims per metric and per task, side by side."""
    left, right = st.columns(2)
    per_metric = query(path, "claims_per_metric")
    per_task = query(path, "claims_per_task")
    with left:
        if per_metric.empty:
            st.info("No claims yet.")
        else:
            show_chart(count_bars(per_metric, "metric", "claims", "Claims per metric"))
    with right:
        if per_task.empty:
            st.info("No claim names a task yet.")
        else:
            show_chart(count_bars(per_task, "task", "claims", "Claims per task"))


def recent(path: str) -> None:
    """The papers most recently added, with their claim counts."""
    st.subheader("Recently added papers")
    papers = query(path, "recent_papers", limit=15)
    st.dataframe(
        for_display(papers),
        hide_index=True,
        column_order=("title", "published", "claims", "paper_id", "loaded_at"),
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "published": st.column_config.DateColumn("Published"),
            "claims": st.column_config.NumberColumn("Claims"),
            "paper_id": st.column_config.TextColumn("Paper id"),
            "loaded_at": st.column_config.DatetimeColumn("Added", format="YYYY-MM-DD HH:mm"),
        },
    )


def render() -> None:
    st.title("Benchmark claims")
    path = db_path()
    counts_row(path)
    charts(path)
    recent(path)


if __name__ == "__main__":
    render()
