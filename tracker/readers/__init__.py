"""Readers: turn an input file of any supported format into a stream of `Paper`s.

    read_papers(path, fmt=None)  -> Iterator[Paper]   streaming; errors raised while iterating
    detect_format(path)          -> one of FORMATS
    input_files(path, on_skip)   -> the files a path stands for (what a directory skips: readers.directory)
    ReaderError                  -> str(e) == "FILE: RECORD: PROBLEM", one line

One module per format (hf_daily_text, hf_daily_json, arxiv_atom, arxiv_snapshot, tabular for
jsonl + csv); opening, decoding and field checks are shared in `common`. Every reader streams: a
file is read line by line, or by an incremental parser (ijson, ElementTree.iterparse), never whole.

Detection, in order (a ".gz" suffix is ignored for the extension, and gzip is recognised by its
magic bytes whatever the name):
    .txt -> hf_daily_text     .xml/.atom -> arxiv_atom     .csv -> csv
    .json  -> hf_daily_json, unless the first line is an object with arXiv snapshot keys
              (the real snapshot is named arxiv-metadata-oai-snapshot.json) -> arxiv_snapshot
    .jsonl/.ndjson -> arxiv_snapshot if the first record has `versions`, `update_date` or
              `authors_parsed`, else jsonl
    otherwise sniff the first bytes: '<' -> arxiv_atom, '[' -> hf_daily_json, '{' -> snapshot/jsonl
              by keys, a header line naming title and abstract -> csv, else hf_daily_text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tracker.models import Paper
from tracker.readers import arxiv_atom, arxiv_snapshot, hf_daily_json, hf_daily_text, pwc, tabular
from tracker.readers.common import ReaderError, check_not_binary, sniff_bytes
from tracker.readers.directory import Skipped, scan_directory

__all__ = ["FORMATS", "ReaderError", "detect_format", "input_files", "read_papers"]

FORMATS = ("hf_daily_text", "hf_daily_json", "arxiv_atom", "arxiv_snapshot", "jsonl", "csv", "pwc_papers")

READERS: dict[str, Callable[[Path], Iterator[Paper]]] = {
    "hf_daily_text": hf_daily_text.read,
    "hf_daily_json": hf_daily_json.read,
    "arxiv_atom": arxiv_atom.read,
    "arxiv_snapshot": arxiv_snapshot.read,
    "jsonl": tabular.read_jsonl,
    "csv": tabular.read_csv,
    "pwc_papers": pwc.read_papers,  # Papers with Code's papers-with-abstracts.json (never detected: --input-format)
}

BY_EXTENSION = {".txt": "hf_daily_text", ".xml": "arxiv_atom", ".atom": "arxiv_atom", ".csv": "csv"}
SNAPSHOT_KEYS_RE = re.compile(rb'"(?:versions|update_date|authors_parsed)"\s*:')
CSV_HEADER_RE = re.compile(r"^[^{\[<]*\btitle\b.*,.*\b(?:abstract|summary|paper_abstract)\b|"
                           r"^[^{\[<]*\b(?:abstract|summary|paper_abstract)\b.*,.*\btitle\b", re.I)


def detect_format(path: Path) -> str:
    """The format of `path`: by extension, then by a sniff of its first (decompressed) bytes."""
    path = Path(path)
    name = path.name.lower()
    inner = name[:-3] if name.endswith(".gz") else name
    ext = Path(inner).suffix
    if ext in BY_EXTENSION:
        return BY_EXTENSION[ext]
    head = sniff_bytes(path)
    first_line = head.lstrip().split(b"\n", 1)[0]
    if ext == ".json":
        looks_like_lines = first_line.startswith(b"{") and SNAPSHOT_KEYS_RE.search(first_line)
        return "arxiv_snapshot" if looks_like_lines else "hf_daily_json"
    if ext in (".jsonl", ".ndjson"):
        return _json_lines_format(first_line)
    return _sniff(first_line)


def _json_lines_format(first_line: bytes) -> str:
    """The snapshot has keys no plain record has; anything else is a plain JSON-lines file."""
    return "arxiv_snapshot" if SNAPSHOT_KEYS_RE.search(first_line) else "jsonl"


def _sniff(first_line: bytes) -> str:
    """Format from the first non-blank line when the extension says nothing."""
    start = first_line[:1]
    if start == b"<":
        return "arxiv_atom"
    if start == b"[":
        return "hf_daily_json"
    if start == b"{":
        return _json_lines_format(first_line)
    if CSV_HEADER_RE.search(first_line.decode("utf-8", "replace")):
        return "csv"
    return "hf_daily_text"


def read_papers(path: Path, fmt: str | None = None) -> Iterator[Paper]:
    """Every paper of one file, as it is read; `fmt` (one of FORMATS) overrides detection.

    Raises ReaderError (lazily, while iterating) for anything wrong with the file, including a file
    that holds no paper at all: an empty input is more likely a mistake than an intention.
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise ReaderError(path, "file", f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    head = sniff_bytes(path)
    check_not_binary(path, head)
    count = 0
    for paper in READERS[fmt or detect_format(path)](path):
        count += 1
        yield paper
    if count == 0:
        raise ReaderError(path, "line 1", "empty file: no papers found" if not head.strip() else "no papers found")


def input_files(path: Path, on_skip: Callable[[Skipped], None] | None = None) -> list[Path]:
    """A file -> [file]; a directory -> its input files, sorted (readers.directory); error if there are none.

    Not recursive: a directory of inputs is one level, so a stray subfolder is not loaded by surprise.
    Every entry of a directory that is not read (hidden, a subdirectory, a FIFO, a dangling or looping
    symlink, a symlink to outside the directory) is passed to `on_skip`, so the user is told.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.exists():
        raise ReaderError(path, "file", "not found")
    if not path.is_dir():
        raise ReaderError(path, "file", "not a regular file or directory")
    scan = scan_directory(path)
    for skipped in scan.skipped:
        if on_skip is not None:
            on_skip(skipped)
    if not scan.files:
        listed = "; ".join(f"{s.path.name}: {s.reason}" for s in scan.skipped[:3])
        more = f"; and {len(scan.skipped) - 3} more" if len(scan.skipped) > 3 else ""
        raise ReaderError(path, "directory", f"no input files (skipped {listed}{more})" if listed else "no input files")
    return scan.files
