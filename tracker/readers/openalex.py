"""OpenAlex works snapshot: gzip'd JSON-lines partitions, one work per line.

The snapshot is laid out as `works/updated_date=YYYY-MM-DD/part_NNN.gz` (see `layouts` for how a
directory of it is expanded). Fields used:

    id                       "https://openalex.org/W2741809807" -> the work id "W2741809807"
    title (or display_name)  the title
    abstract_inverted_index  {"word": [positions]}: the abstract, rebuilt into text exactly (below)
    publication_date         "2021-06-17" (else publication_year -> January 1)
    authorships              [{"author": {"display_name"}, "raw_author_name"}] -> author names, in order
    primary_location         its landing_page_url is the paper's url
    locations, ids, doi      where an arXiv id is found (arxiv.org/abs|pdf/ID, DOI 10.48550/arXiv.ID, ids.arxiv)

The abstract: OpenAlex stores each whitespace-separated word of the abstract with the positions it
occurs at; punctuation, digits and symbols stay inside the words ("84.1%", "ImageNet-1K,"). Sorting
the (position, word) pairs and joining the words with one space gives the original text back, with
its whitespace normalised to single spaces (as the other readers give it). Positions must be
distinct non-negative integers; a gap in them (OpenAlex drops a word now and then) is joined over.

The paper id is the arXiv id when the work has one, so a paper read from arXiv, OpenAlex and Semantic
Scholar is one paper in the database; otherwise the OpenAlex work id. Most works of the snapshot have
no abstract (and a few no title): they are skipped and counted (`skips`), not errors, since a 400 GB
dump cannot be cleaned first. A record that is not what OpenAlex writes (bad JSON, an index that is
not {word: [positions]}, two words at one position) is a ReaderError naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.models import Paper
from tracker.readers import skips
from tracker.readers.common import (
    ABSTRACT_LIMIT,
    ReaderError,
    arxiv_url,
    build_paper,
    is_arxiv_id,
    iter_lines,
    json_type,
    normalise_ws,
    parse_date,
    parse_json_line,
)

SOURCE = "openalex"
WORK_ID_RE = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.I)
ARXIV_URL_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(.+?)(?:v\d+)?(?:\.pdf)?/?$", re.I)
ARXIV_DOI_RE = re.compile(r"(?:^|doi\.org/)10\.48550/arxiv\.(.+?)(?:v\d+)?$", re.I)


def read(path: Path) -> Iterator[Paper]:
    """The works of one partition that have a title and an abstract; the others are counted in skips."""
    for lineno, text in iter_lines(path):
        if not text.strip():
            continue
        rec = parse_json_line(path, lineno, text)
        paper = paper_from_work(path, f"line {lineno}", rec)
        if paper is None:
            skips.count(path)
        else:
            yield paper


def paper_from_work(path: Path, record: str, rec: dict[str, Any]) -> Paper | None:
    """One work as a Paper; None for a work without an abstract or a title (skipped, not an error)."""
    work_id = _work_id(path, record, rec.get("id"))
    index = rec.get("abstract_inverted_index")
    title = rec.get("title") if rec.get("title") is not None else rec.get("display_name")
    if index is not None and not isinstance(index, dict):
        raise ReaderError(path, record, f"'abstract_inverted_index' is {json_type(index)}, expected an object")
    if not index or title is None or (isinstance(title, str) and not title.strip()):
        return None
    abstract = rebuild_abstract(path, record, index)
    arxiv_id = find_arxiv_id(rec)
    primary = rec.get("primary_location")
    landing = primary.get("landing_page_url") if isinstance(primary, dict) else None
    url = landing if isinstance(landing, str) and landing.strip() else None
    if url is None:
        doi = rec.get("doi")
        url = arxiv_url(arxiv_id) if arxiv_id else (doi if isinstance(doi, str) and doi else f"https://openalex.org/{work_id}")
    date_key = "publication_date" if rec.get("publication_date") else "publication_year"
    return build_paper(
        path,
        record,
        source=SOURCE,
        paper_id=arxiv_id or work_id,
        title=normalise_ws(title) if isinstance(title, str) else title,
        abstract=abstract,
        published=parse_date(path, record, date_key, rec.get(date_key)),
        authors=_authors(path, record, rec.get("authorships")),
        url=url,
    )


def rebuild_abstract(path: Path, record: str, index: dict[str, Any]) -> str:
    """The abstract text of an inverted index: its words in position order, one space between."""
    placed: list[tuple[int, str]] = []
    for word, positions in index.items():
        if not isinstance(positions, list) or not positions:
            raise ReaderError(
                path, record, f"abstract_inverted_index[{word[:40]!r}] is {json_type(positions)}, expected a list of positions"
            )
        for pos in positions:
            if isinstance(pos, bool) or not isinstance(pos, int) or pos < 0:
                raise ReaderError(path, record, f"abstract_inverted_index[{word[:40]!r}] has position {pos!r}, expected an integer >= 0")
            placed.append((pos, word))
        if len(placed) > ABSTRACT_LIMIT:
            raise ReaderError(path, record, f"abstract_inverted_index holds over {ABSTRACT_LIMIT} words")
    placed.sort()
    for (a, wa), (b, wb) in zip(placed, placed[1:]):
        if a == b:
            raise ReaderError(path, record, f"abstract_inverted_index puts {wa[:40]!r} and {wb[:40]!r} at the same position {a}")
    return normalise_ws(" ".join(w for _, w in placed))


def find_arxiv_id(rec: dict[str, Any]) -> str | None:
    """The arXiv id (without version) named by ids.arxiv, the DOI, or any location's urls; None if none."""
    ids = rec.get("ids")
    candidates: list[Any] = []
    if isinstance(ids, dict):
        candidates += [ids.get("arxiv"), ids.get("doi")]
    candidates.append(rec.get("doi"))
    locations = rec.get("locations")
    for loc in [rec.get("primary_location"), *(locations if isinstance(locations, list) else [])]:
        if isinstance(loc, dict):
            candidates += [loc.get("landing_page_url"), loc.get("pdf_url")]
    for value in candidates:
        if not isinstance(value, str):
            continue
        found = _arxiv_of(value.strip())
        if found:
            return found
    return None


def _arxiv_of(value: str) -> str | None:
    bare = re.sub(r"^arxiv:", "", value, flags=re.I)
    if is_arxiv_id(re.sub(r"v\d+$", "", bare)):
        return re.sub(r"v\d+$", "", bare)
    for pattern in (ARXIV_URL_RE, ARXIV_DOI_RE):
        m = pattern.search(value)
        if m and is_arxiv_id(m.group(1)):
            return m.group(1)
    return None


def _work_id(path: Path, record: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ReaderError(path, record, f"'id' is {json_type(value)}, expected an OpenAlex work id")
    m = WORK_ID_RE.match(value.strip())
    if m is None:
        raise ReaderError(path, record, f"'id' {value[:60]!r} is not an OpenAlex work id (https://openalex.org/W...)")
    return m.group(1).upper()


def _authors(path: Path, record: str, value: Any) -> list[str]:
    """Author display names in authorship order (raw_author_name when the author has none)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReaderError(path, record, f"'authorships' is {json_type(value)}, expected an array")
    names: list[str] = []
    for a in value:
        if not isinstance(a, dict):
            raise ReaderError(path, record, f"an authorship is {json_type(a)}, expected an object")
        author = a.get("author")
        name = author.get("display_name") if isinstance(author, dict) else None
        if not isinstance(name, str) or not name.strip():
            name = a.get("raw_author_name")
        if isinstance(name, str) and name.strip():
            names.append(normalise_ws(name))
    return names
