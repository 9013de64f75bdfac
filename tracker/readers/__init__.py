"""Readers: turn an input file of any supported format into a stream of `Paper`s.

    read_papers(path, fmt=None)  -> Iterator[Paper]   streaming; errors raised while iterating
    detect_format(path)          -> one of FORMATS
    input_files(path, on_skip)   -> the files a path stands for (what a directory skips: readers.directory)
    ReaderError                  -> str(e) == "FILE: RECORD: PROBLEM", one line

One module per format (hf_daily_text, hf_daily_json, arxiv_atom, arxiv_snapshot, tabular for
jsonl + csv, openalex, semantic_scholar); opening, decoding and field checks are shared in `common`. Every reader streams: a
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
    Any JSON-lines file (.json, .jsonl, .ndjson or no extension, e.g. OpenAlex's part_000.gz) whose
    first record is an OpenAlex work -> openalex; a Semantic Scholar papers or abstracts record ->
    semantic_scholar. Semantic Scholar partitions are read as one `S2Dataset` (`group_inputs`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tracker.models import Paper
from tracker.readers import skips  # noqa: F401  (re-exported for the pipeline)
from tracker.readers import arxiv_atom, arxiv_snapshot, hf_daily_json, hf_daily_text, layouts, openalex, pwc, semantic_scholar, tabular
from tracker.readers.common import ReaderError, check_not_binary, sniff_bytes
from tracker.readers.semantic_scholar import S2Dataset
from tracker.readers.directory import Skipped, scan_directory

__all__ = ["FORMATS", "ReaderError", "S2Dataset", "detect_format", "group_inputs", "input_files", "read_papers"]

FORMATS = ("hf_daily_text", "hf_daily_json", "arxiv_atom", "arxiv_snapshot", "jsonl", "csv", "openalex", "semantic_scholar", "pwc_papers")

READERS: dict[str, Callable[[Path], Iterator[Paper]]] = {
    "hf_daily_text": hf_daily_text.read,
    "hf_daily_json": hf_daily_json.read,
    "arxiv_atom": arxiv_atom.read,
    "arxiv_snapshot": arxiv_snapshot.read,
    "jsonl": tabular.read_jsonl,
    "csv": tabular.read_csv,
    "openalex": openalex.read,
    "pwc_papers": pwc.read_papers,  # Papers with Code's papers-with-abstracts.json (never detected: --input-format)
}

BY_EXTENSION = {".txt": "hf_daily_text", ".xml": "arxiv_atom", ".atom": "arxiv_atom", ".csv": "csv"}
SNAPSHOT_KEYS_RE = re.compile(rb'"(?:versions|update_date|authors_parsed)"\s*:')
OPENALEX_RE = re.compile(rb'"id"\s*:\s*"https://openalex\.org/W\d+"|"abstract_inverted_index"\s*:')
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
    big = _big_corpus_format(first_line)
    if big is not None and ext in ("", ".json", ".jsonl", ".ndjson"):
        return big
    if ext == ".json":
        looks_like_lines = first_line.startswith(b"{") and SNAPSHOT_KEYS_RE.search(first_line)
        return "arxiv_snapshot" if looks_like_lines else "hf_daily_json"
    if ext in (".jsonl", ".ndjson"):
        return _json_lines_format(first_line)
    return _sniff(first_line)


def _big_corpus_format(first_line: bytes) -> str | None:
    """openalex / semantic_scholar when the first record is one of theirs (checked before the others:
    an OpenAlex work or a Semantic Scholar record has no key of the arXiv snapshot, but is a JSON line)."""
    if not first_line.startswith(b"{"):
        return None
    if semantic_scholar.sniff_kind(first_line) is not None:
        return "semantic_scholar"
    if OPENALEX_RE.search(first_line):
        return "openalex"
    return None


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


def read_papers(path: Path | S2Dataset, fmt: str | None = None) -> Iterator[Paper]:
    """Every paper of one file (or one Semantic Scholar dataset), as it is read; `fmt` (one of FORMATS)
    overrides detection.

    Raises ReaderError (lazily, while iterating) for anything wrong with the file, including a file
    that holds no paper at all: an empty input is more likely a mistake than an intention. A file of
    the big corpora whose records all lack an abstract is not an error: they are counted in `skips`.
    """
    if isinstance(path, S2Dataset):
        yield from semantic_scholar.read(path)
        return
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise ReaderError(path, "file", f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    head = sniff_bytes(path)
    check_not_binary(path, head)
    fmt = fmt or detect_format(path)
    if fmt == "semantic_scholar":  # a lone partition: read() says which dataset is missing
        kind = semantic_scholar.sniff_kind(head) or "papers"
        yield from semantic_scholar.read(S2Dataset(**{"papers": (), "abstracts": (), kind: (path,)}))
        return
    count = 0
    for paper in READERS[fmt](path):
        count += 1
        yield paper
    if count == 0 and fmt == "openalex" and skips.peek(path):
        return
    if count == 0:
        raise ReaderError(path, "line 1", "empty file: no papers found" if not head.strip() else "no papers found")


def input_files(path: Path, on_skip: Callable[[Skipped], None] | None = None) -> list[Path]:
    """A file -> [file]; a directory -> its input files, sorted (readers.directory); error if there are none.

    Not recursive: a directory of inputs is one level, so a stray subfolder is not loaded by surprise;
    except the trees of the OpenAlex and Semantic Scholar snapshots (`layouts`). Every entry of a plain
    directory that is not read (hidden, a subdirectory, a FIFO, a dangling or looping symlink, a symlink
    to outside the directory) is passed to `on_skip`, so the user is told.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.exists():
        raise ReaderError(path, "file", "not found")
    if not path.is_dir():
        raise ReaderError(path, "file", "not a regular file or directory")
    files = layouts.partition_files(path)
    if files is not None:
        if not files:
            raise ReaderError(path, "directory", "no input files (hidden files are skipped)")
        return files
    scan = scan_directory(path)
    for skipped in scan.skipped:
        if on_skip is not None:
            on_skip(skipped)
    if not scan.files:
        listed = "; ".join(f"{s.path.name}: {s.reason}" for s in scan.skipped[:3])
        more = f"; and {len(scan.skipped) - 3} more" if len(scan.skipped) > 3 else ""
        raise ReaderError(path, "directory", f"no input files (skipped {listed}{more})" if listed else "no input files")
    return scan.files


def group_inputs(files: list[Path]) -> list[Path | S2Dataset]:
    """The inputs of one command with its Semantic Scholar partitions (papers and abstracts, any order)
    gathered into one S2Dataset input; every other file stays as it is."""
    return semantic_scholar.group(files)
