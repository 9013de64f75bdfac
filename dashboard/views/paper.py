"""Paper: find a paper by title; read its abstract with every claim's evidence marked, and its claims."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.common import choose, db_path, for_display, md_escape, query
from dashboard.highlight import Span, highlight_html

CLAIM_COLUMNS = (
    "quote", "value", "unit", "metric", "kind", "model", "dataset", "task", "comparator", "direction",
    "conditions", "qualifier", "required", "start_offset", "end_offset", "origin", "claim_id", "extractor_version",
)  # fmt: skip


def find_paper(path: str) -> str | None:
    """A title search and a pick among its matches; `?paper=ID` opens a paper directly."""
    # The URL opens a paper only on arrival; afterwards the search and the pick decide.
    linked = st.query_params.get("paper") if "paper_pick" not in st.session_state else None
    text = st.text_input("Search titles", key="paper_search", placeholder="e.g. vision transformer")
    found = query(path, "search_papers", text.strip(), limit=50)
    ids = list(found["paper_id"])
    titles = dict(zip(found["paper_id"], found["title"]))
    if linked and linked not in ids and (paper := query(path, "get_paper", linked)) is not None:
        ids.insert(0, linked)
        titles[linked] = paper["title"]
    if not ids:
        st.info("No paper title contains that text.")
        return None
    label = lambda pid: f"{titles.get(pid, pid)}  [{pid}]"  # noqa: E731
    st.caption(f"{len(found)} matching papers" + (" (first 50)" if len(found) == 50 else ""))
    return choose("Paper", ids, key="paper_pick", param="paper", format_func=label)


def claim_label(row: Any) -> str:
    """Tooltip of a marked span: what was read from it."""
    unit = row.unit if isinstance(row.unit, str) else ""
    who = f" — {row.model}" if isinstance(row.model, str) else ""
    return f"{row.metric} = {row.value:g}{unit} ({row.kind}){who}"


def header(paper: dict[str, Any]) -> None:
    """Title and metadata; every value from the database is escaped or shown as plain text."""
    st.subheader(md_escape(paper["title"]))
    published = paper.get("published")
    authors = paper.get("authors") or []
    meta = [str(published)[:10] if published is not None and not pd.isna(published) else "undated"]
    if len(authors):
        meta.append(", ".join(map(str, authors[:8])) + (" et al." if len(authors) > 8 else ""))
    meta.append(f"id {paper['paper_id']} · from {paper.get('source') or '?'}")
    st.caption(md_escape(" · ".join(meta)))
    url = paper.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        st.link_button("Open the paper", url)


def render() -> None:
    st.title("Paper")
    path = db_path()
    paper_id = find_paper(path)
    if paper_id is None:
        return
    paper = query(path, "get_paper", paper_id)
    if paper is None:
        st.warning("That paper is no longer in the database.")
        return
    st.query_params["paper"] = paper_id
    claims = query(path, "paper_claims", paper_id)
    header(paper)
    spans = [Span(int(r.start_offset), int(r.end_offset), claim_label(r)) for r in claims.itertuples()]
    st.markdown(highlight_html(paper["abstract"], spans), unsafe_allow_html=True)
    st.subheader(f"{len(claims)} claims")
    if claims.empty:
        st.info("No numbers were extracted from this abstract.")
        return
    cols = [c for c in CLAIM_COLUMNS if c in claims.columns] + [c for c in claims.columns if c not in CLAIM_COLUMNS]
    st.dataframe(for_display(claims), hide_index=True, column_order=cols)


if __name__ == "__main__":
    render()
