""""As reported by" under a leaderboard: the numbers other papers give for the board's models (baselines
they quote), with how many papers and their spread, beside each model's own row."""

from __future__ import annotations

import streamlit as st

from dashboard.common import for_display
from dashboard.origins import pwc_query


def reported_by(path: str, dataset: str, metric: str) -> None:
    others = pwc_query(path, "reported_by", dataset=dataset, metric=metric)
    if others.empty:
        return
    with st.expander(f"As reported by other papers ({len(others):,} models)"):
        st.dataframe(
            for_display(others),
            hide_index=True,
            column_order=("model", "value", "unit", "other_papers", "other_min", "other_max", "other_values"),
            column_config={
                "value": st.column_config.NumberColumn("Own row"),
                "other_papers": st.column_config.NumberColumn("Other papers"),
                "other_min": st.column_config.NumberColumn("Min"),
                "other_max": st.column_config.NumberColumn("Max"),
                "other_values": st.column_config.TextColumn("Their numbers"),
            },
        )
