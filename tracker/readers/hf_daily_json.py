"""The Hugging Face daily-papers API JSON (https://huggingface.co/api/daily_papers).

Shape: a JSON array of objects `{"paper": {"id": "2106.12345", "title", "summary", "authors":
[{"name"}], "publishedAt"}, "title", "publishedAt", ...}`. Also accepted: objects without the
"paper" wrapper (what /api/papers/ID returns), a single top-level object, and several top-level
objects one after another (JSON lines). Inside the wrapper, the paper's own fields win over the
wrapper's. The id is the arXiv id, so the url is its arXiv abstract page; field aliases are those of
`tabular.paper_from_record`. Records are named "paper N" (1-based position in the file).

The array is streamed with ijson: an API dump of many MB is never parsed as one document. ijson's
bytes first pass through `json_guard.JSONGuard`, which refuses nesting deeper than MAX_JSON_DEPTH
and any string over the 100,000-character field limit while it is still being read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from tracker.models import Paper
from tracker.readers.common import (
    ABSTRACT_LIMIT,
    GZIP_ERRORS,
    ReaderError,
    gzip_problem,
    json_type,
    open_binary,
    sniff_bytes,
)
from tracker.readers.json_guard import GuardedStream, JSONGuard, JSONLimitError
from tracker.readers.tabular import paper_from_record

SOURCE = "hf_daily_json"


def read(path: Path) -> Iterator[Paper]:
    """Each paper of the array (or each top-level object), as it is parsed."""
    start = sniff_bytes(path, 4096).lstrip()[:1]
    if not start:
        return  # an empty file: read_papers reports "no papers found"
    prefix = "item" if start == b"[" else ""
    with open_binary(path) as raw:
        # Depth and string length are checked on the bytes before ijson buffers them (json_guard.py).
        guard = JSONGuard(max_chars=ABSTRACT_LIMIT, item_depth=1 if prefix else 0)
        f = GuardedStream(raw, guard)
        items = ijson.items(f, prefix, multiple_values=True, use_float=True)
        n = 0
        while True:
            record = f"paper {n + 1}"
            try:
                obj = next(items)
            except StopIteration:
                return
            except GZIP_ERRORS as e:
                raise ReaderError(path, record, gzip_problem(e)) from None
            except JSONLimitError as e:  # the guard reads ahead of ijson: it knows which paper it is in
                raise ReaderError(path, f"paper {guard.item}", str(e)) from None
            except (ijson.JSONError, UnicodeDecodeError) as e:
                raise ReaderError(path, record, json_problem(e)) from None
            n += 1
            yield paper_from_item(path, record, obj)


def paper_from_item(path: Path, record: str, obj: Any) -> Paper:
    """One API object as a Paper; the "paper" wrapper is optional."""
    if not isinstance(obj, dict):
        raise ReaderError(path, record, f"expected a JSON object, got {json_type(obj)}")
    inner = obj.get("paper")
    if isinstance(inner, dict):
        merged = {k: v for k, v in obj.items() if k != "paper"}
        merged.update(inner)
        obj = merged
    return paper_from_record(path, record, obj, source=SOURCE, arxiv_ids=True)


def json_problem(exc: BaseException) -> str:
    """The first line of ijson's message (yajl appends a multi-line excerpt of the input)."""
    if isinstance(exc, UnicodeDecodeError) or "invalid bytes in UTF8" in str(exc):
        return "not valid UTF-8"
    msg = str(exc)
    if msg[:2] in ("b'", 'b"'):
        msg = msg[2:]
    first = msg.replace("\\n", "\n").split("\n", 1)[0].strip() or type(exc).__name__
    if "premature EOF" in first:
        return "invalid JSON: the file ends in the middle of a value (truncated?)"
    return f"invalid JSON: {first}"
