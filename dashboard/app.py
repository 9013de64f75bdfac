"""claimtrack dashboard: `streamlit run dashboard/app.py -- --db FILE` (or CLAIMTRACK_DB=FILE).

The entry script only checks the database and routes to a page; each page is a small module under
`views/`, listed in `nav.PAGES` (add a page there). The folder is deliberately not called `pages/`:
Streamlit would then also serve each file as a page of its own, bypassing this script's checks.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard.common import db_path, one_line, require_database
from dashboard.nav import PAGES
from tracker.store import StoreError


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


def main() -> None:
    st.set_page_config(
        page_title="claimtrack", page_icon=":material/leaderboard:", layout="wide", initial_sidebar_state="expanded"
    )
    page = navigation()
    path = db_path()
    counts = require_database(path)
    sidebar(path, counts)
    try:
        page.run()
    except (StoreError, duckdb.Error) as e:
        st.error(f"**Cannot read the claims database** `{path}`: {one_line(e)}")


if __name__ == "__main__":
    main()
