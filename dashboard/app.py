"""claimtrack dashboard: `streamlit run dashboard/app.py -- --db FILE` (or CLAIMTRACK_DB=FILE).

The entry script only checks the database and routes to a page; each page is a small module under
`pages/`. To add a page (e.g. reviews), add one `PageSpec` to PAGES.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from dashboard.common import db_path, one_line, require_database
from tracker.store import StoreError

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry: the page file (relative to this directory), its title, icon and URL."""

    file: str
    title: str
    icon: str
    url_path: str


PAGES: list[PageSpec] = [
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    PageSpec("pages/leaderboards.py", "Leaderboards", ":material/leaderboard:", "leaderboards"),
    PageSpec("pages/sota.py", "State of the art", ":material/timeline:", "sota"),
    PageSpec("pages/paper.py", "Paper", ":material/article:", "paper"),
    PageSpec("pages/explorer.py", "Claims explorer", ":material/filter_list:", "explorer"),
    PageSpec("pages/sql.py", "SQL", ":material/terminal:", "sql"),
]


def navigation() -> st.navigation:
    """The sidebar navigation built from PAGES (the first page is the default)."""
    pages = [
        st.Page(str(HERE / p.file), title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
    ]
    return st.navigation(pages)


def sidebar(path: str, counts: dict[str, int]) -> None:
    """Which database is shown: with several files around, the reader must know which one this is."""
    with st.sidebar:
        st.caption(f"Database: `{path}`  \n{counts['papers']:,} papers · {counts['claims']:,} claims")


def main() -> None:
    st.set_page_config(page_title="claimtrack", page_icon=":material/leaderboard:", layout="wide")
    page = navigation()
    path = db_path()
    counts = require_database(path)
    sidebar(path, counts)
    try:
        page.run()
    except (StoreError, duckdb.Error) as e:
        st.error(f"**Cannot read the claims database** `{path}`: {one_line(e)}")


main()
