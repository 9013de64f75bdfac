"""Claims explorer: every claim, filtered by metric, dataset, task, kind, qualifier, origin and free text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common import csv_bytes, db_path, for_display, published_range, query

MAX_ROWS = 10_000  # the table and the CSV stop here; the SQL page is for more
# (claim column, explore_claims keyword)
FILTERS = (
    ("metric", "metrics"), ("dataset", "datasets"), ("task", "tasks"), ("kind", "kinds"), ("qualifier", "qualifiers"),
    ("origin", "origins"),
)  # fmt: skip
COLUMNS = (
    "title", "published", "model", "value", "unit", "metric", "kind", "dataset", "task", "conditions",
    "qualifier", "comparator", "direction", "quote", "origin", "paper_id", "claim_id",
)  # fmt: skip


def filters(path: str) -> dict[str, object]:
    """The explore_claims keyword arguments chosen in the filter row (empty = any value)."""
    options = query(path, "claim_filter_options")
    chosen: dict[str, object] = {}
    for col, (name, arg) in zip(st.columns(len(FILTERS)), FILTERS):
        with col:
            chosen[arg] = tuple(st.multiselect(name.capitalize(), options.get(name, []), key=f"ex_{name}"))
    text = st.text_input("Model or quote contains", key="ex_text", placeholder="e.g. ViT or ImageNet")
    chosen["text"] = text.strip() or None
    chosen["since"], chosen["until"] = published_range("ex_dates")
    return chosen


def summary(claims: pd.DataFrame, truncated: bool) -> None:
    """Counts of what matched, so the filters can be judged before reading rows."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Claims", f"{len(claims):,}" + ("+" if truncated else ""))
    c2.metric("Papers", f"{claims['paper_id'].nunique():,}")
    c3.metric("Models", f"{claims['model'].nunique():,}")
    if truncated:
        st.warning(f"More than {MAX_ROWS:,} claims match: the table and the CSV hold the first {MAX_ROWS:,}.")


def render() -> None:
    st.title("Claims explorer")
    path = db_path()
    chosen = filters(path)
    claims = query(path, "explore_claims", limit=MAX_ROWS + 1, **chosen)
    truncated = len(claims) > MAX_ROWS
    claims = claims.head(MAX_ROWS)
    summary(claims, truncated)
    cols = [c for c in COLUMNS if c in claims.columns]
    st.dataframe(
        for_display(claims),
        hide_index=True,
        column_order=cols,
        column_config={
            "title": st.column_config.TextColumn("Paper", width="medium"),
            "published": st.column_config.DateColumn("Date"),
            "quote": st.column_config.TextColumn("Evidence", width="large"),
        },
    )
    st.download_button(
        "Download CSV", csv_bytes(claims[cols]), file_name="claims.csv", mime="text/csv", on_click="ignore"
    )


if __name__ == "__main__":
    render()
