"""claimtrack dashboard: `streamlit run dashboard/app.py -- --db FILE` (or CLAIMTRACK_DB=FILE).

The entry script only checks the database and routes to a page; each page is a small module under
`views/`, listed in `nav.PAGES` (add a page there). The folder is deliberately not called `pages/`:
Streamlit would then also serve each file as a page of its own, bypassing this script's checks.

No database connection outlives a script run (common.rerun_connection), so the terminal can load and
review while the page is open; the page notices a write by itself (live_refresh) and shows it.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard.common import (
    busy_holder, busy_text, data_stamp, db_path, one_line, require_database, rerun_connection,
)  # fmt: skip
from dashboard.nav import PAGES
from tracker.store import DatabaseLocked, StoreError, connect_readonly

REFRESH_S = 3.0  # how often an open page looks whether the database changed
SHOWN = "_claimtrack_shown"  # session key: (data stamp the page was drawn from, drawn while a writer held it)


def navigation() -> st.navigation:
    """The sidebar navigation built from PAGES (the first page is the default)."""
    pages = [
        st.Page(str(p.path), title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
    ]
    return st.navigation(pages)


def sidebar(path: str, counts: dict[str, int]) -> None:
    """Which database is shown: with several files around, the reader must know which one this is."""
    with st.sidebar:
        st.caption(f"Database: `{path}`  \n{counts['papers']:,} papers · {counts['claims']:,} claims")


def readable(path: str) -> bool:
    """Whether a reader can open the file now (no writer holds it); the probe is closed at once."""
    try:
        connect_readonly(path, wait_s=0).close()
    except StoreError:
        return False
    return True


@st.fragment(run_every=REFRESH_S)
def live_refresh(path: str) -> None:
    """Rerun the page when the data changed under it (a load or review from the terminal), or when the
    writer that kept it on old data is gone. Costs a stat() per tick; a probe open only after a change."""
    shown = st.session_state.get(SHOWN)
    if shown is None:
        return
    stamp, was_busy = shown
    if not was_busy and data_stamp(path) == stamp:
        return
    if readable(path) or not was_busy:  # new data to read, or a writer began: say so on the page
        st.rerun(scope="app")


def main() -> None:
    st.set_page_config(
        page_title="claimtrack", page_icon=":material/leaderboard:", layout="wide", initial_sidebar_state="expanded"
    )
    page = navigation()
    path = db_path()
    stamp = data_stamp(path)
    banner = st.empty()
    holder = None
    try:
        with rerun_connection(path):
            try:
                counts = require_database(path)
                sidebar(path, counts)
                try:
                    page.run()
                except DatabaseLocked as e:  # a query this session never ran before, while a load runs
                    st.info(busy_text(path, e.holder, have_data=False))
                except (StoreError, duckdb.Error) as e:
                    st.error(f"**Cannot read the claims database** `{path}`: {one_line(e)}")
            finally:
                holder = busy_holder()
        if holder is not None:
            banner.info(busy_text(path, holder, have_data=True))
    finally:  # also after st.stop: what live_refresh compares with, then its first (inline) run
        st.session_state[SHOWN] = (stamp, holder is not None)
        with st.sidebar:
            live_refresh(path)


if __name__ == "__main__":
    main()
