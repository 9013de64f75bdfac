"""Leaderboards: pick task, dataset and metric; see the ranking, its evidence, a chart and the CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import leaderboard_bars
from dashboard.origins import origin_filter
from dashboard.reported import reported_by
from dashboard.common import (
    baselines_toggle, choose, db_path, direction_text, for_display, leaderboard_csv_text, leaderboard_index_or_notice, md_escape,
    published_range, query, show_chart,
    unit_suffix,
)  # fmt: skip
from tracker.export import Selection
from tracker.store.store import UNIT_SCALE

ALL_TASKS = "All tasks"
# A board can rank 100k+ models on a large database: the page shows the best ones (the CSV has them all).
TABLE_ROWS = 1_000
CHART_BARS = 40


def task_label(task: str | None) -> str:
    return ALL_TASKS if task is None else str(task)


def pick(index: pd.DataFrame) -> tuple[str | None, str, str]:
    """Task, then dataset, then metric: each box offers only combinations that have claims."""
    c1, c2, c3 = st.columns(3)
    tasks: list[str | None] = [None, *sorted(index["task"].dropna().unique())]
    with c1:
        task = choose("Task", tasks, key="lb_task", param="task", format_func=task_label)
    rows = index if task is None else index[index["task"] == task]
    datasets = list(rows.groupby("dataset", sort=False)["models"].sum().sort_values(ascending=False).index)
    with c2:
        dataset = choose("Dataset", datasets, key="lb_dataset", param="dataset")
    rows = rows[rows["dataset"] == dataset]
    metrics = list(rows.groupby("metric", sort=False)["models"].sum().sort_values(ascending=False).index)
    with c3:
        metric = choose("Metric", metrics, key="lb_metric", param="metric")
    share_in_url(task, dataset, metric)
    return task, dataset, metric


def share_in_url(task: str | None, dataset: str, metric: str) -> None:
    """Keep the choice in the URL so a leaderboard can be bookmarked and sent."""
    st.query_params.update({"dataset": dataset, "metric": metric})
    if task:
        st.query_params["task"] = task
    elif "task" in st.query_params:
        del st.query_params["task"]


def in_unit(board: pd.DataFrame, unit: str | None) -> pd.Series:
    """Values on one scale for the chart: 21M and 1.1B params must not be drawn as 21 and 1.1."""
    target = UNIT_SCALE.get(unit, 1.0) if unit else 1.0
    if "value_si" in board.columns:
        return board["value_si"] / target
    scale = board["unit"].map(lambda u: UNIT_SCALE.get(u, 1.0) if isinstance(u, str) else 1.0)
    return board["value"] * scale / target


def heading(task: str | None, dataset: str, metric: str, higher: bool, models: int) -> None:
    """Which leaderboard this is and, before any number, which way is better."""
    st.subheader(f"{md_escape(dataset)} · {md_escape(metric)}" + (f" · {md_escape(task)}" if task else ""))
    arrow = "↑" if higher else "↓"
    st.markdown(f"**{arrow} {direction_text(higher).capitalize()}** — {models} models ranked by their best claim.")


def heading_scope(with_baselines: bool) -> None:
    """Whose numbers the board ranks."""
    st.caption("Own results and the numbers papers quote for baselines (Role says which)." if with_baselines else
               "Each model's own result (its paper's number); Reported by: how many other papers give a number "
               "for it, and their range.")  # fmt: skip


def leader_line(board: pd.DataFrame) -> None:
    """The current best in one sentence, for readers who skip the table."""
    if board.empty:
        return
    top = board.iloc[0]
    unit = unit_suffix(top["unit"])
    date = f", {pd.Timestamp(top['published']).date()}" if pd.notna(top["published"]) else ""
    paper = f"{md_escape(top['title'])}{date}"
    st.markdown(f"Leader: **{md_escape(top['model'])}** with {top['value']:g}{md_escape(unit)} ({paper})")


def ranking_table(board: pd.DataFrame) -> None:
    """One row per model, best first, with the evidence that backs the number."""
    st.dataframe(
        for_display(board),
        hide_index=True,
        height=min(36 * (len(board) + 1) + 3, 800),  # the whole ranking without an inner scroll
        column_order=("rank", "model", "value", "unit", "role", "other_papers", "other_min", "other_max", "origin", "title",
                      "published", "conditions", "quote"),
        column_config={
            "rank": st.column_config.NumberColumn("Rank", width="small"),
            "model": st.column_config.TextColumn("Model"),
            "value": st.column_config.NumberColumn("Value"),
            "unit": st.column_config.TextColumn("Unit", width="small"),
            "role": st.column_config.TextColumn(
                "Role", width="small", help="own: the paper's own result; baseline: a number it quotes for a model "
                "it did not introduce"
            ),
            "other_papers": st.column_config.NumberColumn(
                "Reported by", width="small", help="Other papers that give a number for this model here"
            ),
            "other_min": st.column_config.NumberColumn("Their min", width="small"),
            "other_max": st.column_config.NumberColumn("Their max", width="small"),
            "origin": st.column_config.TextColumn(
                "Origin", width="small", help="extracted: as the extractor read it; reviewed: a person accepted "
                "or corrected it; human: a person added it; pwc: an archived result of Papers with Code"
            ),
            "title": st.column_config.TextColumn("Paper", width="medium"),
            "published": st.column_config.DateColumn("Date"),
            "conditions": st.column_config.TextColumn("Conditions"),
            "quote": st.column_config.TextColumn("Evidence", width="large"),
        },
    )


def render() -> None:
    st.title("Leaderboards")
    path = db_path()
    index = leaderboard_index_or_notice(path)
    if index is None:
        return
    task, dataset, metric = pick(index)
    meta = index[(index["dataset"] == dataset) & (index["metric"] == metric)]
    if task is not None:
        meta = meta[meta["task"] == task]
    higher = bool(meta["higher_is_better"].iloc[0])
    unit = meta["unit"].iloc[0] if pd.notna(meta["unit"].iloc[0]) else None
    since, until = published_range("lb_dates")
    with_baselines = baselines_toggle("lb_baselines")
    board = query(path, "leaderboard", dataset=dataset, metric=metric, task=task, limit=TABLE_ROWS, since=since, until=until,
                  with_baselines=with_baselines)  # fmt: skip
    models = len(board) if len(board) < TABLE_ROWS or since or until else query(
        path, "leaderboard_size", dataset=dataset, metric=metric, task=task, with_baselines=with_baselines
    )
    if board.empty:  # a date range, or a board of quoted baselines only
        st.info("No claim on this board from papers published in that range." if since or until or with_baselines else
                "No own result on this board: every number on it is quoted for a baseline. Turn on "
                "\"Include quoted baselines\" to rank them.")  # fmt: skip
        return

    heading(task, dataset, metric, higher, models)
    heading_scope(with_baselines)
    leader_line(board)
    if models > len(board):
        st.caption(f"The best {len(board):,} of {models:,} models; the CSV below has them all.")
    ranking_table(origin_filter(board, key="lb_origin"))
    reported_by(path, dataset, metric)

    unit_txt = f" ({unit})" if unit else ""
    top = board.head(CHART_BARS)
    chart_data = top.assign(chart_value=in_unit(top, unit))
    title = f"{dataset} — {metric}{unit_txt}, {direction_text(higher)}"
    if models > len(top):
        title += f" (best {len(top)} of {models:,})"
    show_chart(leaderboard_bars(chart_data, "chart_value", title, f"{metric}{unit_txt}"))
    download(path, dataset, metric, task, Selection(since=since, until=until, with_baselines=with_baselines))


def download(path: str, dataset: str, metric: str, task: str | None, board: Selection) -> None:
    """The exact CSV `tracker export` writes for this leaderboard, built only when the button is clicked
    (a whole large board is tens of megabytes: not worth making on every page view)."""
    name = "_".join(x for x in (task, dataset, metric) if x).replace("/", "-").replace(" ", "_")
    st.download_button(
        "Download CSV",
        lambda: leaderboard_csv_text(path, dataset, metric, task, board).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
    )


if __name__ == "__main__":
    render()
