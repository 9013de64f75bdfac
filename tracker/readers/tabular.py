"""Plain records, one paper each: JSON lines (`jsonl`) and CSV with a header (`csv`).

These are the formats people make by hand or export from a spreadsheet, so field names vary; the
aliases below are accepted, the first non-empty one wins:

    id        id, paper_id, arxiv_id            (missing -> slug of the title, see common.slug_id)
    title     title, paper_title
    abstract  abstract, summary, paper_abstract
    published date, published, publishedAt, published_at, year   (a bare year -> January 1)
    authors   authors: a list (of names or {"name": ...}) or one string split on ";" (else ",")
    url       url, link                          (missing and the id is an arXiv id -> arxiv.org/abs/ID)
    categories categories: a list or one string split on whitespace/","

Other fields are ignored. `paper_from_record` is also used by the Hugging Face JSON reader, whose
objects are the same kind of flat record once the "paper" wrapper is removed.

A CSV must have a header with a title and an abstract column (one error naming the missing columns,
before any row is read); a row with a different number of fields than the header is an error, since
its values would land in the wrong columns. Records are named "line N": the line where the record
starts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from tracker.models import Paper
from tracker.readers.common import (
    ReaderError,
    arxiv_url,
    build_paper,
    is_arxiv_id,
    iter_lines,
    parse_date,
    parse_json_line,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "paper_id", "arxiv_id"),
    "title": ("title", "paper_title"),
    "abstract": ("abstract", "summary", "paper_abstract"),
    "published": ("date", "published", "publishedAt", "published_at", "year"),
    "authors": ("authors",),
    "url": ("url", "link"),
    "categories": ("categories",),
}


def pick(rec: Mapping[str, Any], field: str) -> tuple[str | None, Any]:
    """(key used, value) of the first alias of `field` with a non-empty value.

    If every alias present is blank, the first blank one is returned, so the message can say
    "'abstract' is blank" rather than "missing"; (None, None) when no alias is present at all.
    """
    blank: tuple[str | None, Any] = (None, None)
    for key in ALIASES[field]:
        value = rec.get(key)
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            blank = blank if blank[0] else (key, value)
            continue
        return key, value
    return blank


def split_authors(path: Path, record: str, value: Any) -> list[str]:
    """Author names from a list (of strings or {"name": ...}) or a ";"- or ","-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [name.strip() for name in value.split(sep) if name.strip()]
    if isinstance(value, list):
        names = [a.get("name") if isinstance(a, dict) else a for a in value]
        if all(isinstance(n, str) for n in names):
            return [n.strip() for n in names if n.strip()]
    raise ReaderError(path, record, "'authors' must be a list of names or a string of names")


def split_categories(path: Path, record: str, value: Any) -> list[str]:
    """Categories from a list of strings or a whitespace/comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [c for c in re.split(r"[\s,]+", value) if c]
    if isinstance(value, list) and all(isinstance(c, str) for c in value):
        return [c.strip() for c in value if c.strip()]
    raise ReaderError(path, record, "'categories' must be a list or a string")


def paper_from_record(
    path: Path, record: str, rec: Mapping[str, Any], *, source: str, arxiv_ids: bool = False
) -> Paper:
    """A Paper from a flat record with any of the accepted aliases.

    `arxiv_ids=True` says every id is an arXiv id (Hugging Face), so the url defaults to its abstract
    page; otherwise that default applies only to ids that look like arXiv ids.
    """
    _, paper_id = pick(rec, "id")
    date_key, date_value = pick(rec, "published")
    _, url = pick(rec, "url")
    if url is not None and not isinstance(url, str):
        raise ReaderError(path, record, "'url' must be a string")
    url = url.strip() if url and url.strip() else None
    if url is None and isinstance(paper_id, str) and paper_id.strip():
        if arxiv_ids or is_arxiv_id(paper_id.strip()):
            url = arxiv_url(paper_id.strip())
    return build_paper(
        path,
        record,
        source=source,
        paper_id=paper_id,
        title=pick(rec, "title")[1],
        abstract=pick(rec, "abstract")[1],
        published=parse_date(path, record, date_key or "date", date_value),
        authors=split_authors(path, record, pick(rec, "authors")[1]),
        url=url,
        categories=split_categories(path, record, pick(rec, "categories")[1]),
    )


def read_jsonl(path: Path) -> Iterator[Paper]:
    """One JSON object per line; blank lines are skipped."""
    for lineno, text in iter_lines(path):
        if not text.strip():
            continue
        rec = parse_json_line(path, lineno, text)
        yield paper_from_record(path, f"line {lineno}", rec, source="jsonl")


def read_csv(path: Path) -> Iterator[Paper]:
    """Rows of a CSV file with a header; quoted fields may span lines."""
    lines = iter_lines(path, keepends=True)
    counter = _LineCounter(lines)
    rows = csv.reader(counter)
    header: list[str] | None = None
    try:
        for row in rows:
            start = counter.record_start
            counter.mark()
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = _check_header(path, start, row)
                continue
            yield _paper_from_row(path, start, header, row)
    except csv.Error as e:
        raise ReaderError(path, f"line {counter.record_start}", f"invalid CSV: {e}") from None


class _LineCounter:
    """Feeds csv.reader and remembers the line number where the current record began.

    csv.reader pulls as many lines as a quoted multi-line field needs; the record is named after its
    first line, which is what a user sees in an editor.
    """

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self._lines = lines
        self.last = 0
        self.record_start = 1

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        self.last, text = next(self._lines)
        return text

    def mark(self) -> None:
        """The next record starts after the last line read."""
        self.record_start = self.last + 1


def _check_header(path: Path, lineno: int, row: list[str]) -> list[str]:
    """The header's column names; ONE error listing every required column that is missing."""
    header = [name.strip() for name in row]
    missing = [
        f"'{field}' (or {', '.join(ALIASES[field][1:])})"
        for field in ("title", "abstract")
        if not any(alias in header for alias in ALIASES[field])
    ]
    if missing:
        found = ", ".join(header)
        raise ReaderError(path, f"line {lineno}", f"missing column(s) {' and '.join(missing)}; the header has: {found}")
    return header


def _paper_from_row(path: Path, lineno: int, header: Sequence[str], row: list[str]) -> Paper:
    """One data row; a row with a different number of fields would shift values between columns."""
    if len(row) != len(header):
        raise ReaderError(
            path, f"line {lineno}", f"row has {len(row)} fields, the header has {len(header)}"
        )
    return paper_from_record(path, f"line {lineno}", dict(zip(header, row)), source="csv")
