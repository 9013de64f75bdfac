"""What every reader shares: opening a file, naming a bad record, and checking a paper's fields.

Opening is the same for all formats: a gzip stream is recognised by its magic bytes (so `.gz` is
transparent whatever the name), a UTF-8 byte-order mark is skipped, and read errors of a truncated
or corrupt gzip stream become a `ReaderError` instead of an `EOFError` deep inside a parser.
Line-based readers go through `iter_lines`, which decodes one line at a time so that invalid UTF-8
or a NUL byte is reported with the line it is on, and never holds more than one line in memory.

The field checks (`build_paper`, `parse_date`, `slug_id`) are here so that every format refuses the
same things with the same words: a missing or blank title/abstract, an abstract over
`ABSTRACT_LIMIT` characters, a date that cannot be read, and any pydantic validation failure.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from tracker.models import Paper
from tracker.readers.json_guard import JSONLimitError, check_json_line

ABSTRACT_LIMIT = 100_000  # characters; real abstracts are < 5,000, a bigger one is a broken record
TITLE_LIMIT = 2_000  # characters; a longer "title" means the reader lost the record structure
MAX_LINE_BYTES = 64 * 1024 * 1024  # one line is held in memory; refuse a line longer than this
SNIFF_BYTES = 64 * 1024
SLUG_LIMIT = 80

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
GZIP_ERRORS: tuple[type[BaseException], ...] = (EOFError, gzip.BadGzipFile, zlib.error)

ARXIV_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})$")


class ReaderError(ValueError):
    """A user's input file is unusable; `str(e)` is the one line the CLI prints: FILE: RECORD: PROBLEM.

    `record` names where the problem is ("line 12", "entry 3", "paper 7"; "file" when there is no
    record, e.g. a missing file). Whitespace in the problem is collapsed so the message stays on one
    line whatever a parser put into it.
    """

    def __init__(self, file: str | Path, record: str, problem: str) -> None:
        self.file = str(file)
        self.record = record
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{self.file}: {self.record}: {self.problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions with a custom __init__ need this to survive pickling (multiprocessing).
        return (type(self), (self.file, self.record, self.problem))


# --- opening ---------------------------------------------------------------------------------


def gzip_problem(exc: BaseException) -> str:
    """The user-facing words for a gzip read failure."""
    if isinstance(exc, EOFError):
        return "truncated gzip stream (the file ends before the compressed data does)"
    return f"corrupt gzip stream ({exc})"


@contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The decompressed bytes of `path`, positioned after any UTF-8 BOM.

    Raises ReaderError for a missing/unreadable file, so no reader has to handle OSError itself.
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        raise ReaderError(path, "file", "not found") from None
    except IsADirectoryError:
        raise ReaderError(path, "file", "is a directory, not a file") from None
    except OSError as e:
        raise ReaderError(path, "file", f"cannot open: {e.strerror or e}") from None
    with raw:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if raw.peek(2)[:2] == GZIP_MAGIC else raw
        with stream:
            try:
                if stream.peek(3)[:3] == UTF8_BOM:  # type: ignore[attr-defined]
                    stream.read(3)
            except GZIP_ERRORS as e:
                raise ReaderError(path, "line 1", gzip_problem(e)) from None
            yield stream


def sniff_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """Up to `size` decompressed bytes from the start (BOM removed), for format detection.

    A truncated gzip stream is not an error here: what could be read is returned, and the reader
    itself later reports the exact line where the data stops.
    """
    chunks: list[bytes] = []
    got = 0
    with open_binary(path) as f:
        try:
            while got < size:
                chunk = f.read(min(8192, size - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        except GZIP_ERRORS:
            pass
    return b"".join(chunks)


def check_not_binary(path: Path, head: bytes) -> None:
    """A NUL byte in the first bytes means an image, archive or other binary file, not text."""
    nul = head.find(b"\x00")
    if nul >= 0:
        line = head.count(b"\n", 0, nul) + 1
        raise ReaderError(path, f"line {line}", "binary data (NUL byte): this is not a text file")


def iter_lines(path: Path, keepends: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, decoded line) for each line, one at a time.

    Decoding line by line is what lets a UTF-8 error, a NUL byte or the end of a truncated gzip
    stream be reported with the line it is on. Lines are split on b"\\n" only, so a U+2028 inside an
    abstract does not start a new record.
    """
    with open_binary(path) as f:
        lineno = 0
        while True:
            lineno += 1
            try:
                raw = f.readline(MAX_LINE_BYTES + 1)
            except GZIP_ERRORS as e:
                raise ReaderError(path, f"line {lineno}", gzip_problem(e)) from None
            if not raw:
                return
            yield lineno, _decode_line(path, lineno, raw, keepends)


def _decode_line(path: Path, lineno: int, raw: bytes, keepends: bool) -> str:
    """One line as text, or the ReaderError that says what is wrong with its bytes."""
    if len(raw) > MAX_LINE_BYTES:
        raise ReaderError(path, f"line {lineno}", f"line is longer than {MAX_LINE_BYTES} bytes")
    if b"\x00" in raw:
        raise ReaderError(path, f"line {lineno}", "binary data (NUL byte): this is not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = raw[e.start : e.start + 1].hex()
        raise ReaderError(path, f"line {lineno}", f"not valid UTF-8 (byte 0x{bad} at position {e.start + 1} of the line)") from None
    return text if keepends else text.rstrip("\r\n")


def parse_json_line(path: Path, lineno: int, text: str) -> dict[str, Any]:
    """One JSON-lines record, which must be an object (nested at most MAX_JSON_DEPTH deep)."""
    try:
        check_json_line(text)
        value = json.loads(text)
    except (JSONLimitError, RecursionError) as e:
        problem = str(e) if isinstance(e, JSONLimitError) else f"JSON nested too deeply ({e})"
        raise ReaderError(path, f"line {lineno}", problem) from None
    except json.JSONDecodeError as e:
        msg = e.msg[:-3] if e.msg.endswith(" at") else e.msg
        raise ReaderError(path, f"line {lineno}", f"invalid JSON: {msg} at column {e.colno}") from None
    if not isinstance(value, dict):
        raise ReaderError(path, f"line {lineno}", f"expected a JSON object, got {json_type(value)}")
    return value


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# --- field checks ----------------------------------------------------------------------------


def normalise_ws(text: str) -> str:
    """Collapse runs of whitespace (arXiv wraps titles and abstracts with newline + indentation)."""
    return " ".join(text.split())


def slug_id(title: str) -> str:
    """A readable, deterministic id for a paper that has none: the ASCII slug of its title.

    Accents are folded (NFKD), anything not a-z0-9 becomes "-". Slugs longer than 80 characters are
    cut to 71 and get "-" + 8 hex digits of the title's SHA-1, so two long titles that share their
    first 80 characters still get different ids. A title with no ASCII letters or digits gets
    "title-" + 12 hex digits.
    """
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not slug:
        return f"title-{digest[:12]}"
    if len(slug) > SLUG_LIMIT:
        slug = slug[: SLUG_LIMIT - 9].rstrip("-") + "-" + digest[:8]
    return slug


def arxiv_url(paper_id: str) -> str:
    """The abstract page of an arXiv id."""
    return f"https://arxiv.org/abs/{paper_id}"


def is_arxiv_id(value: str) -> bool:
    """New-style (2106.12345) or old-style (math/0406594, cs.LG/0101001) arXiv id, no version."""
    return bool(ARXIV_ID_RE.match(value))


def check_text(path: Path, record: str, field: str, value: object, limit: int) -> str:
    """A required text field: present, a string, not blank, not over `limit` characters."""
    if value is None:
        raise ReaderError(path, record, f"missing '{field}'")
    if not isinstance(value, str):
        raise ReaderError(path, record, f"'{field}' is {json_type(value)}, expected text")
    if not value.strip():
        raise ReaderError(path, record, f"'{field}' is blank")
    if len(value) > limit:
        raise ReaderError(path, record, f"{field} is {len(value)} characters, over the {limit} limit")
    return value


_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d")


def parse_date(path: Path, record: str, field: str, value: object) -> date | None:
    """A publication date from the spellings the formats use; None when absent.

    Accepted: ISO dates and datetimes ("2021-06-17", "2021-06-17T00:00:00.000Z"), RFC 2822
    ("Mon, 2 Apr 2007 19:18:42 GMT"), "Jun 17, 2021", and a bare year (2021 or "2021"), which
    becomes January 1 of that year. Anything else is an error naming the value: a silently dropped
    date would put the paper in the wrong place on the SOTA-over-time chart.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    result = _date_from(value)
    if result is None:
        raise ReaderError(path, record, f"cannot parse '{field}' {_short(value)} as a date")
    return result


def _date_from(value: object) -> date | None:
    """The date `value` spells, or None if it spells none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return _year(int(value))
    if not isinstance(value, str):
        return None
    s = value.strip()
    if len(s) == 4 and s.isascii() and s.isdigit():
        return _year(int(s))
    for parse in (_iso, _rfc2822, _strptime):
        try:
            found = parse(s)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        if found is not None:
            return found
    return None


def _year(y: int) -> date | None:
    return date(y, 1, 1) if 1000 <= y <= 9999 else None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso(s: str) -> date | None:
    if not _ISO_DAY.match(s):
        return None
    return date.fromisoformat(s) if len(s) == 10 else datetime.fromisoformat(s).date()


_RFC2822_DAY = re.compile(r"(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) \d")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _rfc2822(s: str) -> date | None:
    """The date as written (the zone is not applied, as parsedate_to_datetime(s).date() does not either):
    read directly from the common "Mon, 2 Apr 2007 19:18:42 GMT" shape, every arXiv snapshot record has
    one, 5x faster than the email module, which parses the rest."""
    m = _RFC2822_DAY.match(s)
    if m is not None and m.group(2).lower() in _MONTHS:
        return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    if not re.match(r"[A-Za-z]{3}, ", s) and not re.match(r"\d{1,2} [A-Za-z]{3} \d{4} \d", s):
        return None
    return parsedate_to_datetime(s).date()


def _strptime(s: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_paper(
    path: Path,
    record: str,
    *,
    source: str,
    title: object,
    abstract: object,
    paper_id: object = None,
    published: date | None = None,
    authors: Iterable[str] = (),
    url: str | None = None,
    categories: Iterable[str] = (),
) -> Paper:
    """A validated Paper, or a ReaderError naming the record and the field that is wrong.

    A missing id is derived from the title (`slug_id`), so every format yields a usable id.
    """
    title_s = check_text(path, record, "title", title, TITLE_LIMIT)
    abstract_s = check_text(path, record, "abstract", abstract, ABSTRACT_LIMIT)
    if paper_id is None or (isinstance(paper_id, str) and not paper_id.strip()):
        pid = slug_id(title_s)
    elif isinstance(paper_id, (str, int)) and not isinstance(paper_id, bool):
        pid = str(paper_id).strip()
    else:
        raise ReaderError(path, record, f"'id' is {json_type(paper_id)}, expected text")
    try:
        return Paper(
            record=record,
            id=pid,
            title=title_s,
            abstract=abstract_s,
            published=published,
            authors=tuple(authors),
            url=url,
            source=source,
            categories=tuple(categories),
        )
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or "paper"
        raise ReaderError(path, record, f"invalid '{field}': {err['msg']}") from None
