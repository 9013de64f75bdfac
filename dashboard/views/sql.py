"""SQL: read-only queries over the documented schema, with the schema and examples beside the box."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common import busy_text, csv_bytes, db_path, query
from dashboard.result_cache import cached
from tracker.store import DatabaseLocked
from tracker.store.queries import EXAMPLE_QUERIES
from tracker.store.safe_sql import QueryTimeoutError, SQLError, UnsafeSQLError
from tracker.store.sandbox import run_readonly_sql

TIMEOUT_S = 10.0
MAX_ROWS = 10_000


@cached
def run(path: str, sql: str) -> tuple[pd.DataFrame, bool]:
    """The result of one user query and whether it was cut at MAX_ROWS; errors are not cached.

    In a child process (`run_readonly_sql`): killed at the time limit, its memory capped, whatever
    the query does; the cache holds results up to a budget in bytes (dashboard/result_cache.py)."""
    df = run_readonly_sql(path, sql, timeout_s=TIMEOUT_S, max_rows=MAX_ROWS)
    return df, bool(df.attrs.get("truncated", False))


def use_example(sql: str) -> None:
    """Button callback: put an example into the box (before the text area is drawn again)."""
    st.session_state["sql_text"] = sql
    st.session_state["sql_run"] = sql


def submit() -> None:
    st.session_state["sql_run"] = st.session_state.get("sql_text", "")


def side_panel(path: str) -> None:
    """Schema and examples, so a query can be written without leaving the page."""
    schema_tab, examples_tab = st.tabs(["Schema", "Examples"])
    with schema_tab:
        doc = query(path, "schema_doc")
        for table, cols in doc.groupby("table_name", sort=False):
            with st.expander(str(table)):
                st.dataframe(cols.drop(columns="table_name"), hide_index=True)
    with examples_tab:
        for i, (title, sql) in enumerate(EXAMPLE_QUERIES):
            st.markdown(f"**{title}**")
            st.code(sql, language="sql")
            st.button("Run this", key=f"sql_example_{i}", on_click=use_example, args=(sql,))


def show_result(path: str, sql: str) -> None:
    """The table and its CSV, or one clear line saying why there is none."""
    try:
        df, truncated = run(path, sql)
    except DatabaseLocked as e:
        st.info(busy_text(path, e.holder, have_data=False))
        return
    except UnsafeSQLError as e:
        st.error(f"**Refused:** {e}")
        return
    except QueryTimeoutError as e:
        st.error(f"**Too slow:** {e}. Add a LIMIT or a WHERE clause.")
        return
    except (SQLError, ValueError) as e:
        st.error(f"**Query failed:** {e}")
        return
    note = f"first {MAX_ROWS:,} rows" if truncated else f"{len(df):,} rows"
    st.caption(note)
    st.dataframe(df, hide_index=True)
    st.download_button("Download CSV", csv_bytes(df), file_name="query.csv", mime="text/csv", on_click="ignore")


def render() -> None:
    st.title("SQL")
    path = db_path()
    first = EXAMPLE_QUERIES[0][1] if EXAMPLE_QUERIES else "SELECT 1"
    st.session_state.setdefault("sql_text", first)
    st.session_state.setdefault("sql_run", first)  # a first visit shows a result, not an empty box
    left, right = st.columns([3, 2])
    with right:
        side_panel(path)
    with left:
        st.caption(
            f"One read-only statement (SELECT, DESCRIBE, SHOW, ...); at most {MAX_ROWS:,} rows, {TIMEOUT_S:g} s."
        )
        st.text_area("SQL", key="sql_text", height=200)
        st.button("Run", type="primary", key="sql_submit", on_click=submit)
        sql = st.session_state.get("sql_run", "")
        if sql.strip():
            show_result(path, sql)


if __name__ == "__main__":
    render()
