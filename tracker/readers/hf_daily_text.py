"""A Hugging Face daily-papers page saved as text (see tracker/sample/daily_papers_transformers.txt).

Layout, one non-blank line per item (blank lines do not matter):

    new / Get trending papers in your email inbox! / Subscribe / Daily Papers /     <- page chrome
    byAK and the research community / Oct 29
    TITLE
    ABSTRACT                                   <- one paragraph on one line
      • 6 authors                              <- the "meta block", absent for some entries
    ·
    Jun 17, 2021                               <- or "Mar 5" (no year), "Oct 17, 2024 3" (3 upvotes),
                                                  or no date line at all

So a paper is a (title, abstract) pair of text lines, optionally followed by a meta block.
Parsing is anchored on the "• N authors" lines: the first one proves the file has this structure
(a text file without any is refused), and the two text lines before each one are its paper. Entries
without a meta block are the pairs in between. Before the first anchor, known chrome lines and
date lines are dropped and, if an odd line remains (unknown chrome), the leading one. After it, pairs
are emitted as soon as a third text line shows the pair is complete, so memory stays bounded.
A title followed directly by an author line (no abstract) is an error, not a silent shift of every
later title/abstract by one line.

Dates without a year are in the current year of the page; the year comes from `today` (default
date.today()), and a date that would then lie after `today` is taken from the previous year (a
page saved in December and read in January). The upvote count after a date is ignored, and so is
the author count (the page gives no names).

Papers on this page carry no id: the id is `common.slug_id(title)`, the lower-case ASCII slug of
the title ("Transformer in Transformer" -> "transformer-in-transformer"), cut at 80 characters
with a hash suffix when longer. No url (the page text does not hold the links). Records are named
"line N", the line of the paper's title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.models import Paper
from tracker.readers.common import ReaderError, build_paper, iter_lines

SOURCE = "hf_daily_text"
CHROME = frozenset(
    {"new", "get trending papers in your email inbox!", "subscribe", "daily papers", "byak and the research community"}
)
AUTHORS_RE = re.compile(r"^•\s*\d+\s+authors?$")
DOT = "·"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_RE = re.compile(r"^(%s) (\d{1,2})(?:, (\d{4}))?(?: \d+)?$" % "|".join(MONTHS))
MAX_LINES_BEFORE_FIRST_PAPER = 400  # text lines without any "• N authors": not this format


def read(path: Path, today: date | None = None) -> Iterator[Paper]:
    """The papers of a saved daily-papers page, in page order."""
    parser = _Parser(path, today or date.today())
    for lineno, line in iter_lines(path):
        yield from parser.feed(lineno, line.strip())
    yield from parser.finish()


@dataclass
class _Parser:
    """Line-by-line state: text lines since the last meta block, and the paper whose meta is open."""

    path: Path
    today: date
    group: list[tuple[int, str]] = field(default_factory=list)
    anchored: bool = False  # a "• N authors" line has been seen
    open_paper: tuple[int, str, str] | None = None  # (title line, title, abstract) awaiting its date

    def feed(self, lineno: int, text: str) -> Iterator[Paper]:
        """Consume one stripped line; yield the papers it completes."""
        if not text:
            return
        if AUTHORS_RE.match(text):
            yield from self._on_authors(lineno)
            return
        if self.open_paper is not None:
            if text == DOT:
                return
            match = DATE_RE.match(text)
            yield self._paper(self.open_paper, self._date(lineno, text, match) if match else None)
            self.open_paper = None
            if match:
                return
        self._on_text(lineno, text)
        if self.anchored and len(self.group) == 3:
            yield self._paper((*self.group[0], self.group[1][1]), None)
            del self.group[:2]

    def finish(self) -> Iterator[Paper]:
        """End of file: emit what is pending, or refuse a file that never had the structure."""
        if self.open_paper is not None:
            yield self._paper(self.open_paper, None)
            self.open_paper = None
        if not self.anchored:
            if self.group:
                raise self._no_structure()
            return
        if len(self.group) == 1:
            raise self._no_abstract(self.group[0], "the end of the file")
        if len(self.group) == 2:
            yield self._paper((*self.group[0], self.group[1][1]), None)

    def _on_text(self, lineno: int, text: str) -> None:
        self.group.append((lineno, text))
        if not self.anchored and len(self.group) > MAX_LINES_BEFORE_FIRST_PAPER:
            raise self._no_structure()

    def _on_authors(self, lineno: int) -> Iterator[Paper]:
        """An author line closes a group: its last two text lines are the paper it belongs to."""
        if self.open_paper is not None:
            raise ReaderError(self.path, f"line {lineno}", "an author line without a title and abstract before it")
        group = self.group if self.anchored else _drop_chrome(self.group)
        if len(group) < 2:
            if group:
                raise self._no_abstract(group[0], f"the author line {lineno}")
            raise ReaderError(self.path, f"line {lineno}", "an author line without a title and abstract before it")
        for i in range(0, len(group) - 2, 2):
            yield self._paper((*group[i], group[i + 1][1]), None)
        self.open_paper = (*group[-2], group[-1][1])
        self.group = []
        self.anchored = True

    def _date(self, lineno: int, text: str, match: re.Match[str]) -> date:
        """'Jun 17, 2021', or 'Mar 5' in the year of `today` (the previous one if that is in the future)."""
        month = MONTHS.index(match.group(1)) + 1
        day = int(match.group(2))
        year = int(match.group(3)) if match.group(3) else self.today.year
        try:
            found = date(year, month, day)
            if not match.group(3) and found > self.today:
                found = date(year - 1, month, day)
        except ValueError as e:
            raise ReaderError(self.path, f"line {lineno}", f"cannot parse date {text!r}: {e}") from None
        return found

    def _paper(self, entry: tuple[int, str, str], published: date | None) -> Paper:
        title_line, title, abstract = entry
        return build_paper(
            self.path, f"line {title_line}", source=SOURCE, title=title, abstract=abstract, published=published
        )

    def _no_abstract(self, title: tuple[int, str], before: str) -> ReaderError:
        lineno, text = title
        short = text if len(text) <= 60 else text[:57] + "..."
        return ReaderError(self.path, f"line {lineno}", f"missing 'abstract': title {short!r} is followed by {before}")

    def _no_structure(self) -> ReaderError:
        return ReaderError(
            self.path,
            "line 1",
            "no Hugging Face daily-papers structure (no '• N authors' line after a title and abstract);"
            " use --input-format to read it as another format",
        )


def _drop_chrome(group: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines before the first paper: drop page chrome and the page date, then any odd leading line."""
    kept = [(n, s) for n, s in group if s.lower() not in CHROME and not DATE_RE.match(s)]
    return kept[len(kept) % 2 :]
