"""The arXiv API's Atom feed (http://export.arxiv.org/api/query?...).

Each `<entry>` gives: `<id>` http://arxiv.org/abs/2106.12345v2 -> id "2106.12345" (version dropped,
so re-fetching a newer version updates the same paper) with the full id URL kept as `url`;
`<title>`, `<summary>` (hard-wrapped by arXiv: whitespace collapsed to single spaces);
`<published>`; `<author><name>`; `<category term=...>`. An entry whose id is not an arXiv abstract
URL keeps its id as is (or the title slug when it has none) and the `alternate` link as url.
Records are named "entry N"; XML syntax errors are named by the line the parser stopped on.

Refused: a document whose root is not an Atom `<feed>` (typically an HTML error page saved under a
.atom name) and the error entry the arXiv API returns for a bad query.

Streaming: the parser is fed 64 KB at a time and each entry is cleared and detached from the root
once read, so memory stays flat however many entries the feed holds; any text over the
100,000-character field limit stops the read while it arrives (`_BoundedBuilder`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from tracker.models import Paper
from tracker.readers.common import (
    ABSTRACT_LIMIT,
    GZIP_ERRORS,
    ReaderError,
    build_paper,
    gzip_problem,
    normalise_ws,
    open_binary,
    parse_date,
    sniff_bytes,
)

SOURCE = "arxiv_atom"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_ABS_RE = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?/?$")
TEXT_LIMIT = ABSTRACT_LIMIT  # characters of any one text (after whitespace collapse), checked while reading
READ_CHUNK = 64 * 1024


def read(path: Path) -> Iterator[Paper]:
    """The papers of the feed's entries, in document order."""
    if not sniff_bytes(path, 4096).strip():
        return  # an empty file: read_papers reports "no papers found"
    with open_binary(path) as f:
        builder = _BoundedBuilder(TEXT_LIMIT)
        parser = ET.XMLParser(target=builder)
        root: ET.Element | None = None
        n = 0
        done = False
        while not done:
            try:
                chunk = f.read(READ_CHUNK)
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                    done = True
            except ET.ParseError as e:
                raise _xml_error(path, e, n) from None
            except TextLimitError as e:
                raise ReaderError(path, f"entry {n + 1}", str(e)) from None
            except GZIP_ERRORS as e:
                raise ReaderError(path, f"entry {n + 1}", gzip_problem(e)) from None
            for event, elem in builder.take_events():
                if root is None:
                    _check_root(path, elem)
                    root = elem
                elif event == "end" and elem.tag == ATOM + "entry":
                    n += 1
                    paper = paper_from_entry(path, f"entry {n}", elem)
                    _forget(root, elem)
                    yield paper


class TextLimitError(ValueError):
    """An element's text grew past the limit while it was being read."""


class _BoundedBuilder:
    """An ElementTree builder (the parser's target) that counts each text as it arrives.

    Why not `iterparse`: its builder joins a text's pieces only when the element ends, so a 1 GB
    <summary> was held whole (2.1 GB RSS; a gzipped one ran for minutes) before the 100,000-character
    limit could see it. Here every piece the parser delivers is counted, in characters after
    whitespace is collapsed (what `normalise_ws` keeps), and past `limit` the read stops.
    """

    def __init__(self, limit: int) -> None:
        self._tb = ET.TreeBuilder()
        self._limit = limit
        self._events: list[tuple[str, ET.Element]] = []
        self._tag = "feed"
        self._reset()

    def _reset(self) -> None:
        self._chars = 0  # collapsed length of the current text so far
        self._space = False  # whitespace seen since the last word

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self._reset()
        self._tag = tag.rsplit("}", 1)[-1]
        elem = self._tb.start(tag, attrs)
        self._events.append(("start", elem))
        return elem

    def end(self, tag: str) -> ET.Element:
        self._reset()
        elem = self._tb.end(tag)
        self._events.append(("end", elem))
        return elem

    def data(self, text: str) -> None:
        words = text.split()
        if words:
            if self._chars and (self._space or text[0].isspace()):
                self._chars += 1
            self._chars += sum(map(len, words)) + len(words) - 1
            self._space = text[-1].isspace()
            if self._chars > self._limit:
                raise TextLimitError(
                    f"<{self._tag}> text is over {self._limit} characters, over the {self._limit}-character "
                    "field limit (stopped reading there)"
                )
        elif text:
            self._space = True
        self._tb.data(text)

    def close(self) -> ET.Element:
        return self._tb.close()

    def take_events(self) -> list[tuple[str, ET.Element]]:
        events, self._events = self._events, []
        return events


def _check_root(path: Path, elem: ET.Element) -> None:
    """The first element must be an Atom <feed>; say what it is otherwise."""
    if elem.tag == ATOM + "feed":
        return
    local = elem.tag.rsplit("}", 1)[-1].lower()
    if local == "html":
        problem = "not an Atom feed: this is an HTML page (root element <html>), e.g. an error page saved instead of the feed"
    elif local == "feed":
        problem = f"not an Atom feed: <feed> is not in the Atom namespace ({ATOM[1:-1]})"
    else:
        problem = f"not an Atom feed: the root element is <{local}>, expected <feed>"
    raise ReaderError(path, "line 1", problem)


def _xml_error(path: Path, exc: ET.ParseError, entries_done: int) -> ReaderError:
    """A ParseError as "line N: invalid XML ... in entry K: what the parser said"."""
    line, column = getattr(exc, "position", (0, 0))
    what = re.sub(r":? line \d+, column \d+$", "", str(exc))
    hint = " (the feed is truncated?)" if what.startswith("no element found") else ""
    return ReaderError(
        path, f"line {line}", f"invalid XML at column {column + 1} (after entry {entries_done}): {what}{hint}"
    )


def _forget(root: ET.Element, entry: ET.Element) -> None:
    """Free an entry once read: clear its content and detach it from the root."""
    entry.clear()
    if len(root) and root[-1] is entry:
        root.remove(entry)


def paper_from_entry(path: Path, record: str, entry: ET.Element) -> Paper:
    """One <entry> as a Paper."""
    id_text = (entry.findtext(ATOM + "id") or "").strip()
    if "arxiv.org/api/errors" in id_text:
        message = normalise_ws(entry.findtext(ATOM + "summary") or id_text)
        raise ReaderError(path, record, f"the arXiv API returned an error instead of papers: {message}")
    match = ARXIV_ABS_RE.search(id_text)
    paper_id = match.group(1) if match else id_text or None
    url = id_text if match else _alternate_link(entry)
    title, summary = entry.findtext(ATOM + "title"), entry.findtext(ATOM + "summary")
    published = entry.findtext(ATOM + "published") or entry.findtext(ATOM + "updated")
    return build_paper(
        path,
        record,
        source=SOURCE,
        paper_id=paper_id,
        title=normalise_ws(title) if title is not None else None,
        abstract=normalise_ws(summary) if summary is not None else None,
        published=parse_date(path, record, "published", published),
        authors=_authors(entry),
        url=url,
        categories=_categories(entry),
    )


def _authors(entry: ET.Element) -> list[str]:
    names = (normalise_ws(a.findtext(ATOM + "name") or "") for a in entry.findall(ATOM + "author"))
    return [n for n in names if n]


def _alternate_link(entry: ET.Element) -> str | None:
    for link in entry.findall(ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _categories(entry: ET.Element) -> list[str]:
    """Category terms, without duplicates, in feed order."""
    terms: list[str] = []
    for cat in entry.findall(ATOM + "category"):
        term = (cat.get("term") or "").strip()
        if term and term not in terms:
            terms.append(term)
    return terms
