"""The arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"): one JSON object per line.

Fields used: `id`, `title`, `abstract`, `authors` / `authors_parsed`, `categories`, `versions`,
`update_date`. The snapshot hard-wraps titles and abstracts (newline + two spaces), so their
whitespace is collapsed to single spaces. `published` is the `created` date of version v1 (when the
paper first appeared) and falls back to `update_date`. Authors come from `authors_parsed`
([last, first, suffix] -> "first last suffix") when present, else from the `authors` string split on
", " and " and ". The url is the arXiv abstract page of the id. Records are named "line N".

The real file is ~4 GB: it is read line by line, never whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from tracker.models import Paper
from tracker.readers.common import (
    arxiv_url,
    build_paper,
    iter_lines,
    normalise_ws,
    parse_date,
    parse_json_line,
)

SOURCE = "arxiv_snapshot"


def read(path: Path) -> Iterator[Paper]:
    """The papers of a snapshot file, one per non-blank line."""
    for lineno, text in iter_lines(path):
        if not text.strip():
            continue
        rec = parse_json_line(path, lineno, text)
        yield paper_from_snapshot(path, f"line {lineno}", rec)


def paper_from_snapshot(path: Path, record: str, rec: dict[str, Any]) -> Paper:
    """One snapshot record as a Paper."""
    raw_id = rec.get("id")
    paper_id = raw_id.strip() if isinstance(raw_id, str) else raw_id
    title, abstract = rec.get("title"), rec.get("abstract")
    categories = rec.get("categories")
    return build_paper(
        path,
        record,
        source=SOURCE,
        paper_id=paper_id,
        title=normalise_ws(title) if isinstance(title, str) else title,
        abstract=normalise_ws(abstract) if isinstance(abstract, str) else abstract,
        published=_published(path, record, rec),
        authors=_authors(rec),
        url=arxiv_url(paper_id) if isinstance(paper_id, str) and paper_id else None,
        categories=categories.split() if isinstance(categories, str) else (),
    )


def _published(path: Path, record: str, rec: dict[str, Any]) -> date | None:
    """When the paper first appeared: v1's `created`, else `update_date`."""
    versions = rec.get("versions")
    if isinstance(versions, list):
        for v in versions:
            if isinstance(v, dict) and v.get("version") == "v1" and v.get("created"):
                return parse_date(path, record, "versions[v1].created", v["created"])
    return parse_date(path, record, "update_date", rec.get("update_date"))


def _authors(rec: dict[str, Any]) -> list[str]:
    """Names as "First Last" from authors_parsed, else the authors string split on ", " / " and "."""
    parsed = rec.get("authors_parsed")
    if isinstance(parsed, list) and parsed and all(_is_name_parts(p) for p in parsed):
        # "First Last Suffix", whitespace collapsed: the words of the parts joined (a blank part has none), as
        # " ".join(normalise_ws(x) for x in parts if x.strip()) but without a call per part
        names = [" ".join([w for x in (p[1:2] + p[0:1] + p[2:3]) for w in x.split()]) for p in parsed]
        return [n for n in names if n]
    text = rec.get("authors")
    if not isinstance(text, str):
        return []
    return [normalise_ws(n) for n in re.split(r",\s+(?:and\s+)?|\s+and\s+", normalise_ws(text)) if n.strip()]


def _is_name_parts(parts: Any) -> bool:
    return isinstance(parts, list) and 1 <= len(parts) and all(isinstance(x, str) for x in parts)
