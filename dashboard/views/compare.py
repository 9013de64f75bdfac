"""Compare models: every leaderboard where the chosen models meet, side by side (rank and value of each),
then each number with its evidence. The same query as `tracker compare` (queries.compare_models);
`?models=A,B` opens a comparison."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common import db_path, for_display, query, unit_suffix


def side_by_side(found: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    """One row per board, one column per model: "87.3% (#3 of 14)"; blank where a model is not on it."""
    cell = found.assign(
        shown=[f"{v:g}{unit_suffix(u)} (#{r} of {n})" for v, u, r, n in
               zip(found["value"], found["unit"], found["rank"], found["board_size"])]
    )  # fmt: skip
    wide = cell.pivot_table(index=["dataset", "metric"], columns="model", values="shown", aggfunc="first", sort=False)
    return wide.reindex(columns=[m for m in models if m in wide.columns]).reset_index().fillna("")


def render() -> None:
    path = db_path()
    st.title("Compare models")
    known = query(path, "board_models")
    linked = [m for m in st.query_params.get("models", "").split(",") if m in known]
    picked = st.multiselect("Models", known, default=linked or None, key="compare_models",
                            placeholder="Choose two or more models (one shows all its boards)")  # fmt: skip
    st.query_params["models"] = ",".join(picked)
    if not picked:
        st.info("Choose the models to compare: every leaderboard where they meet appears here.")
        return
    found = query(path, "compare_models", tuple(picked))
    if found.empty:
        st.info("These models share no leaderboard.")
        return
    boards = found[["dataset", "metric"]].drop_duplicates()
    st.markdown(f"**{len(boards):,}** leaderboard{'s' if len(boards) != 1 else ''} where they meet")
    st.dataframe(side_by_side(found, picked), hide_index=True)
    st.subheader("Each number and its evidence")
    st.dataframe(
        for_display(found),
        hide_index=True,
        column_order=("dataset", "metric", "model", "rank", "value", "unit", "title", "published", "quote", "origin"),
        column_config={
            "title": st.column_config.TextColumn("Paper", width="medium"),
            "quote": st.column_config.TextColumn("Evidence", width="large"),
        },
    )


if __name__ == "__main__":
    render()
