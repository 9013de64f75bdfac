"""Plumbing shared by every dashboard page: which database, its one connection, cached queries, errors.

Why one module: every page needs the same read-only connection and the same friendly error when the
database is unusable, so a page file holds only layout. The dashboard runs no SQL of its own: every
read goes through `tracker.store.queries` (or `run_user_sql` for what the user types), by name.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from dashboard.result_cache import CACHE as RESULTS
from dashboard.result_cache import cached
from tracker.export import OWN, Selection, leaderboard_csv
from tracker.latex import readable, readable_or_none
from tracker.output import frame_csv
from tracker.reviews import Review, append_journal, journal_path
from tracker.store import DatabaseLocked, StoreError, connect_readonly
from tracker.store import queries
from tracker.store.locks import Holder
from tracker.store.store import try_apply_journal

ENV_DB = "CLAIMTRACK_DB"
DEFAULT_DB = "claimtrack.duckdb"
WRITE_WAIT_S = 2.0  # a review save waits this long for other sessions' reads before leaving it in the journal
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


# --- connections: none is held between reruns ---
# DuckDB lets one process write a file or any number read it, never both. A connection kept open between
# reruns would keep `tracker load` and `tracker review` out for as long as the page is open, so each
# script run opens one read-only connection at its first uncached query and closes it when the run ends
# (rerun_connection). Results are cached on the file's stamp (its and its WAL's mtime and size): a
# write from anywhere changes the stamp, and the next run reads the new data.
_RERUN = threading.local()
# The last result of each query (bounded): what a page shows while a writer holds the file.
_LAST: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
_LAST_MAX = 128
_LAST_LOCK = threading.Lock()


def data_stamp(path: str) -> tuple[tuple[int, int] | None, ...]:
    """What changes whenever a writer commits: (mtime_ns, size) of the database file and of its WAL."""
    out: list[tuple[int, int] | None] = []
    for p in (path, path + ".wal"):
        try:
            s = os.stat(p)
            out.append((s.st_mtime_ns, s.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


@contextmanager
def rerun_connection(path: str) -> Iterator[None]:
    """One script run's queries share one read-only connection, opened lazily, closed when the run ends
    (also on st.stop/st.rerun). Records who held the file when a query met a writer (busy_holder())."""
    previous = getattr(_RERUN, "state", None)
    _RERUN.state = {"path": path, "con": None, "busy": None}
    try:
        yield
    finally:
        con = _RERUN.state["con"]
        _RERUN.state = previous
        if con is not None:
            con.close()


def busy_holder() -> Holder | None:
    """Who held the database when a query of this run could not open it (its result was the last one read)."""
    state = getattr(_RERUN, "state", None)
    return state["busy"] if state else None


def release_connection(path: str) -> None:
    """Close this run's read-only connection before this process writes (DuckDB refuses a read-only and a
    read-write connection to one file in one process), and drop cached results."""
    state = getattr(_RERUN, "state", None)
    if state and state["path"] == path and state["con"] is not None:
        with contextlib.suppress(duckdb.Error):
            state["con"].close()
        state["con"] = None
    st.cache_data.clear()
    RESULTS.clear()


def save_reviews(path: str, reviews: Sequence[Review], notes: list[str] | None = None) -> bool:
    """The dashboard's only write. (1) append to the journal beside the database (fsync: the review is
    durable from here on); (2) close this run's read-only connection; (3) open the database for writing
    just long enough to apply the journal (waiting a moment for other sessions' reads), and close it.
    The caller reruns the page, which reads the new data. False when another process holds the database:
    the review stays in the journal and the next writable open applies it. Notes on a repair of the
    journal's last line (see append_journal) are added to `notes`."""
    said = append_journal(journal_path(path), reviews)
    if notes is not None:
        notes.extend(said)
    release_connection(path)
    return try_apply_journal(path, wait_s=WRITE_WAIT_S)


def apply_pending(path: str) -> bool:
    """Apply reviews that are only in the journal (saved while the database was busy)."""
    release_connection(path)
    return try_apply_journal(path, wait_s=WRITE_WAIT_S)


@contextmanager
def cursor(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of this run's connection (opened now if need be; outside a script run, e.g. a deferred
    download, a connection of its own). Never waits for a writer: DatabaseLocked at once."""
    state = getattr(_RERUN, "state", None)
    own = state is None or state["path"] != path
    if own:
        con = connect_readonly(path, wait_s=0)
    else:
        if state["con"] is None:
            state["con"] = connect_readonly(path, wait_s=0)
        con = state["con"]
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()
        if own:
            con.close()


@cached
def _cached_query(path: str, stamp: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """`tracker.store.queries.<name>(con, *args, **kwargs)` on the data of `stamp`; the cache is bounded
    in bytes and keyed on the file's identity too (dashboard/result_cache.py)."""
    fn: Callable[..., Any] = getattr(queries, name)
    with cursor(path) as cur:
        return fn(cur, *args, **kwargs)


def query(path: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """`tracker.store.queries.<name>(con, *args, **kwargs)`, cached until the file changes.

    While a writer (a load) holds the file, the last result of the same query is returned and the run
    notes the holder (app.py then says a load is running, since when); with no earlier result,
    DatabaseLocked propagates (app.py says the same, instead of the page)."""
    key = repr((path, name, args, sorted(kwargs.items())))
    stamp = data_stamp(path)
    try:
        result = _cached_query(path, stamp, name, *args, **kwargs)
    except DatabaseLocked as e:
        state = getattr(_RERUN, "state", None)
        if state is not None:
            state["busy"] = e.holder
        with _LAST_LOCK:
            last = _LAST.get(key)
        if last is None:
            raise
        return copy.deepcopy(last[1])
    with _LAST_LOCK:
        if key not in _LAST or _LAST[key][0] != stamp:
            _LAST[key] = (stamp, copy.deepcopy(result))
        _LAST.move_to_end(key)
        while len(_LAST) > _LAST_MAX:
            _LAST.popitem(last=False)
    return result


def busy_text(path: str, holder: Holder, *, have_data: bool) -> str:
    """What a page says while a writer holds the file: who, since when, and what the reader sees meanwhile."""
    what = "A load is running" if holder.kind == "load" else "Another process is writing to the database"
    since = f" since {holder.since:%H:%M:%S}" if holder.since else ""
    shown = (
        "This page shows the data as last read; it shows the new data by itself once they are published."
        if have_data
        else "This page appears by itself once the data are published."
    )
    return f"**{what}{since}**: {holder.describe()} holds `{path}`. {shown}"


def published_range(key: str) -> tuple[date | None, date | None]:
    """(since, until) of a "Papers published between" filter: both None until two dates are chosen."""
    picked = st.date_input("Papers published between (undated papers are then left out)", value=(), key=key,
                           min_value=date(1990, 1, 1), format="YYYY-MM-DD")  # fmt: skip
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        return picked[0], picked[1]
    return None, None


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
    except DatabaseLocked as e:  # a load started before anything was read: say so, no error
        st.info(busy_text(path, e.holder, have_data=False))
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


# Columns holding text from the abstracts (LaTeX source): shown rendered (tracker.latex), stored verbatim.
LATEX_COLUMNS = ("title", "quote", "abstract", "conditions", "comparator")


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as blank cells instead of "None" (numbers and dates are left as they are), and the
    abstracts' LaTeX rendered readably (83.3 backslash-% -> 83.3%) in title and evidence columns."""
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object]
    if not text:
        return df
    return df.assign(**{
        c: df[c].map(readable_or_none).astype(object).fillna("") if c in LATEX_COLUMNS else df[c].fillna("") for c in text
    })  # fmt: skip


def unit_suffix(unit: object) -> str:
    """How a unit follows a number: "87.8%", "1.6 ms", "21 M"; nothing when there is no unit."""
    if not isinstance(unit, str) or not unit:
        return ""
    return unit if unit in ("%", "x") else f" {unit}"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A result table as UTF-8 CSV for a download button, formula cells neutralised like every export."""
    return frame_csv(df).encode("utf-8")


def md_escape(text: str) -> str:
    """Text shown through Markdown (titles, names), its LaTeX rendered (tracker.latex), with its Markdown and
    HTML characters neutralised."""
    out = []
    for ch in readable(str(text)):
        if ch in "\\`*_{}[]()#+-.!|<>$~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def direction_text(higher_is_better: bool) -> str:
    """What a reader must know to read a ranking."""
    return "higher is better" if higher_is_better else "lower is better"


def leaderboard_csv_text(path: str, dataset: str, metric: str, task: str | None, board: Selection = OWN) -> str:
    """Exactly what `tracker export` writes for this leaderboard (the same function serves both)."""
    return _leaderboard_csv_text(path, data_stamp(path), dataset, metric, task, board)


@cached
def _leaderboard_csv_text(path: str, stamp: Any, dataset: str, metric: str, task: str | None, board: Selection) -> str:
    with cursor(path) as cur:
        return leaderboard_csv(cur, dataset=dataset, metric=metric, task=task, board=board)


BASELINES_HELP = ("Off: each model's own result (its paper's number). On: the numbers papers quote for baselines "
                  "(models they did not introduce) are ranked too — `tracker leaderboard --with-baselines`.")


def baselines_toggle(key: str) -> bool:
    """The board's "Include quoted baselines" switch (off: own results only, as the CLI's default)."""
    return bool(st.toggle("Include quoted baselines", value=False, key=key, help=BASELINES_HELP))


def show_chart(chart: alt.TopLevelMixin, *, chrome_px: int = 80) -> None:
    """An Altair chart across the page at its own height plus room for title and axes.

    Why: with width="stretch" Streamlit fits the chart into its element, and the default element
    height squeezes a long bar list into a few pixels (labels then overlap and disappear).
    """
    height = chart.height if isinstance(chart.height, int) else 300
    st.altair_chart(chart, width="stretch", height=height + chrome_px)
