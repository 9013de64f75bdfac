"""Plumbing shared by every dashboard page: which database, its one connection, cached queries, errors.

Why one module: every page needs the same read-only connection and the same friendly error when the
database is unusable, so a page file holds only layout. The dashboard runs no SQL of its own: every
read goes through `tracker.store.queries` (or `run_user_sql` for what the user types), by name.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from dashboard.result_cache import CACHE as RESULTS
from dashboard.result_cache import cached
from tracker.export import leaderboard_csv
from tracker.output import frame_csv
from tracker.reviews import Review, append_journal, journal_path
from tracker.store import StoreError, connect_readonly
from tracker.store.store import DatabaseBusyError
from tracker.store import queries
from tracker.store.store import try_apply_journal

ENV_DB = "CLAIMTRACK_DB"
DEFAULT_DB = "claimtrack.duckdb"
T = TypeVar("T")


def db_path(argv: Sequence[str] | None = None) -> str:
    """The database file: `-- --db FILE` after `streamlit run`, else $CLAIMTRACK_DB, else the CLI default.

    Resolved to an absolute path so that it is a stable cache key whatever the working directory.
    """
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--db")
    args, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    raw = args.db or os.environ.get(ENV_DB) or DEFAULT_DB
    return str(Path(raw).expanduser().resolve())


def load_hint(path: str) -> str:
    """The one command that makes a usable database (shown in every 'cannot open' message)."""
    return f"Create a demo database with `tracker load --sample --db {path}`, then reload this page."


# The connections _connection() made, so that release_connection() can close them (a cache entry
# that is merely dropped stays open until garbage-collected, and keeps the file read-only for us).
_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """The process's single read-only connection; a failure is not cached, so a retry can succeed."""
    con = connect_readonly(path)
    _OPEN[path] = con
    return con


def release_connection(path: str) -> None:
    """Drop and close the process's read-only connection and every cached query result.

    Why: DuckDB does not let one process hold a read-only and a read-write connection to the same
    file, so the review page must close its reader before it writes; the next query reopens read-only
    and, the cached results being gone, sees the new data.
    """
    _connection.clear()
    con = _OPEN.pop(path, None)
    if con is not None:
        try:
            con.close()
        except duckdb.Error:
            pass
    st.cache_data.clear()
    RESULTS.clear()


def save_reviews(path: str, reviews: Sequence[Review], notes: list[str] | None = None) -> bool:
    """The dashboard's only write. (1) append to the journal beside the database (fsync: the review is
    durable from here on); (2) release this process's read-only connection; (3) open the database for
    writing just long enough to apply the journal, and close it. The caller reruns the page, which (4)
    reopens read-only. False when another process holds the database: the review stays in the journal
    and the next writable open applies it. Notes on a repair of the journal's last line (see
    append_journal) are added to `notes`."""
    said = append_journal(journal_path(path), reviews)
    if notes is not None:
        notes.extend(said)
    release_connection(path)
    return try_apply_journal(path)


def apply_pending(path: str) -> bool:
    """Apply reviews that are only in the journal (saved while the database was busy)."""
    release_connection(path)
    return try_apply_journal(path)


@contextmanager
def cursor(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the shared connection: Streamlit runs sessions in threads, and a DuckDB connection
    must not be used by two threads at once; a cursor shares the database (and its read-only, no
    file access, locked configuration) but has its own state."""
    cur = _connection(path).cursor()
    try:
        yield cur
    finally:
        cur.close()


@cached
def query(path: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """`tracker.store.queries.<name>(con, *args, **kwargs)`, cached on the path and the arguments.

    The cache is bounded in bytes and keyed on the file's identity too (dashboard/result_cache.py).
    """
    fn: Callable[..., Any] = getattr(queries, name)
    with cursor(path) as cur:
        return fn(cur, *args, **kwargs)


def leaderboard_index_or_notice(path: str) -> pd.DataFrame | None:
    """The available leaderboards, or None after telling the user why there are none."""
    index = query(path, "leaderboard_index")
    if index.empty:
        st.info("No leaderboard yet: no claim gives an absolute number for a named model on a named dataset.")
        return None
    return index


def require_database(path: str) -> dict[str, int]:
    """The overview counts of a usable database; otherwise a clear st.error and the page stops."""
    try:
        counts: dict[str, int] = query(path, "overview_counts")
    except DatabaseBusyError as e:  # the file is fine: creating another one is not the answer
        st.error(f"**The claims database is busy.** {e}\n\nReload this page when it has finished.")
        st.stop()
    except StoreError as e:
        st.error(f"**Cannot open the claims database.** {e}\n\n{load_hint(path)}")
        st.stop()
    except duckdb.Error as e:
        st.error(f"**Cannot read the claims database** `{path}`: {one_line(e)}\n\n{load_hint(path)}")
        st.stop()
    if counts.get("papers", 0) == 0:
        st.error(f"**The claims database `{path}` is empty** (no papers yet).\n\n{load_hint(path)}")
        st.stop()
    return counts


def one_line(e: BaseException) -> str:
    """First line of an error message: what a user needs, without a traceback."""
    text = str(e).strip().splitlines()
    return " ".join(text[0].split()) if text else type(e).__name__


def choose(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    param: str | None = None,
    format_func: Callable[[T], str] = str,
    help: str | None = None,
) -> T:
    """A selectbox whose remembered value survives only while it is still an option.

    Why: the choices of a later box (dataset) depend on an earlier one (task); a stale value must fall
    back to the first option instead of raising. A `?param=value` query parameter seeds the first value,
    so a leaderboard can be linked to (and opened directly by the browser test).
    """
    opts = list(options)
    if key not in st.session_state:
        wanted = st.query_params.get(param) if param else None
        by_text = {format_func(o): o for o in opts} | {str(o): o for o in opts}
        if wanted is not None and wanted in by_text:
            st.session_state[key] = by_text[wanted]
    if st.session_state.get(key) not in opts:
        st.session_state[key] = opts[0]
    return st.selectbox(label, opts, key=key, format_func=format_func, help=help)


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as blank cells instead of "None" (numbers and dates are left as they are)."""
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object]
    return df.assign(**{c: df[c].fillna("") for c in text}) if text else df


def unit_suffix(unit: object) -> str:
    """How a unit follows a number: "87.8%", "1.6 ms", "21 M"; nothing when there is no unit."""
    if not isinstance(unit, str) or not unit:
        return ""
    return unit if unit in ("%", "x") else f" {unit}"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A result table as UTF-8 CSV for a download button, formula cells neutralised like every export."""
    return frame_csv(df).encode("utf-8")


def md_escape(text: str) -> str:
    """Text shown through Markdown (titles, names) with its Markdown and HTML characters neutralised."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()#+-.!|<>$~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def direction_text(higher_is_better: bool) -> str:
    """What a reader must know to read a ranking."""
    return "higher is better" if higher_is_better else "lower is better"


@cached
def leaderboard_csv_text(path: str, dataset: str, metric: str, task: str | None) -> str:
    """Exactly what `tracker export` writes for this leaderboard (the same function serves both)."""
    with cursor(path) as cur:
        return leaderboard_csv(cur, dataset=dataset, metric=metric, task=task)


def show_chart(chart: alt.TopLevelMixin, *, chrome_px: int = 80) -> None:
    """An Altair chart across the page at its own height plus room for title and axes.

    Why: with width="stretch" Streamlit fits the chart into its element, and the default element
    height squeezes a long bar list into a few pixels (labels then overlap and disappear).
    """
    height = chart.height if isinstance(chart.height, int) else 300
    st.altair_chart(chart, width="stretch", height=height + chrome_px)
