"""Conflicts: the same model on the same dataset and metric reported with different values by different
papers (the archive's and the abstracts' numbers together), largest spread first, with each paper's quote."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common import db_path, for_display, md_escape
from dashboard.origins import ORIGIN_HELP, pwc_query

MAX_ROWS = 1_000
ANY = "Any"
ORIGINS = {ANY: None, "involving the archive (pwc)": "pwc", "involving the abstracts": "extracted"}


def filters(path: str) -> tuple[str | None, str | None, str | None]:
    everything = pwc_query(path, "conflicts", limit=100_000)
    c1, c2, c3 = st.columns(3)
    with c1:
        datasets = [ANY, *sorted(everything["dataset"].unique())]
        dataset = st.selectbox("Dataset", datasets, key="cf_dataset")
    rows = everything if dataset == ANY else everything[everything["dataset"] == dataset]
    with c2:
        metric = st.selectbox("Metric", [ANY, *sorted(rows["metric"].unique())], key="cf_metric")
    with c3:
        origin = st.selectbox("Origin", list(ORIGINS), key="cf_origin", help=ORIGIN_HELP)
    return (None if dataset == ANY else dataset), (None if metric == ANY else metric), ORIGINS[origin]


def label(row: pd.Series) -> str:
    return f"{row['model']} · {row['dataset']} · {row['metric']}: {row['reported']}"


def render() -> None:
    st.title("Conflicts")
    st.caption(
        "The same model (names compared without case and punctuation: ResNet-50 = ResNet50 = resnet 50) on the "
        "same dataset and metric, reported with different values by different papers."
    )
    path = db_path()
    dataset, metric, origin = filters(path)
    found = pwc_query(path, "conflicts", dataset=dataset, metric=metric, origin=origin, limit=MAX_ROWS)
    if found.empty:
        st.info("No conflict: no model is reported with different values by two papers here.")
        return
    st.markdown(f"**{len(found):,}** conflicts" + (f" (the first {MAX_ROWS:,})" if len(found) >= MAX_ROWS else ""))
    st.dataframe(
        for_display(found.assign(relative_spread=found["relative_spread"] * 100)),
        hide_index=True,
        column_order=("model", "dataset", "metric", "papers", "distinct_values", "reported", "relative_spread"),
        column_config={
            "model": st.column_config.TextColumn("Model"),
            "papers": st.column_config.NumberColumn("Papers", width="small"),
            "distinct_values": st.column_config.NumberColumn("Values", width="small"),
            "reported": st.column_config.TextColumn("Reported", width="large"),
            "relative_spread": st.column_config.NumberColumn("Spread", format="%.1f%%", width="small"),
        },
    )
    labels = [label(r) for _, r in found.iterrows()]
    pick = st.selectbox("Show the papers of", range(len(labels)), format_func=lambda i: labels[i], key="cf_pick")
    row = found.iloc[int(pick)]
    st.subheader(md_escape(f"{row['model']} on {row['dataset']} · {row['metric']}"))
    claims = pwc_query(path, "conflict_claims", model_key=row["model_key"], dataset=row["dataset"], metric=row["metric"])
    st.dataframe(
        for_display(claims),
        hide_index=True,
        column_order=("value", "unit", "model", "title", "published", "origin", "quote"),
        column_config={
            "title": st.column_config.TextColumn("Paper", width="medium"),
            "published": st.column_config.DateColumn("Date"),
            "quote": st.column_config.TextColumn("Evidence", width="large"),
        },
    )


if __name__ == "__main__":
    render()
