"""The origin filter of the leaderboard page, and the archive's queries with the dashboard's cache.

Why a module of its own: the leaderboard page only calls `origin_filter(board)`; the archive's query
functions live in tracker.store.pwc_queries (not queries.py), so `common.query` cannot name them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.common import cursor
from dashboard.result_cache import cached
from tracker.store import pwc_queries

ORIGIN_HELP = (
    "extracted: as the extractor read it from the abstract; reviewed: a person accepted or corrected it; "
    "human: a person added it; pwc: an archived result of Papers with Code"
)


@cached
def pwc_query(path: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """`tracker.store.pwc_queries.<name>(con, ...)`, cached like common.query (in bytes: result_cache.py)."""
    fn: Callable[..., Any] = getattr(pwc_queries, name)
    with cursor(path) as cur:
        return fn(cur, *args, **kwargs)


def origin_filter(board: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """The rows of the origins chosen (all by default); shown only when the board mixes origins. Ranks stay
    those of the whole board."""
    present = sorted(board["origin"].dropna().unique()) if "origin" in board.columns else []
    if len(present) < 2:
        return board
    chosen = st.multiselect("Origin", present, default=present, key=key, help=ORIGIN_HELP)
    return board[board["origin"].isin(chosen)]
