"""Semantic Scholar datasets: the `papers` and `abstracts` JSON-lines partitions, joined by corpusid.

A release (https://api.semanticscholar.org/api-docs/datasets) publishes each dataset as many gzip'd
JSON-lines partitions. Neither dataset is a paper on its own: `abstracts` records are
`{corpusid, openaccessinfo, abstract}`, `papers` records `{corpusid, externalids, url, title, authors,
year, publicationdate, ...}`. So the two are given together, as one `S2Dataset` input (their files in
one command, or a directory holding both: see `layouts`), and read as one stream of papers.

The join runs in DuckDB, on disk: each partition is read by DuckDB's JSON reader into a table of a
temporary database (capped memory, spilling to its directory), and the papers come out of an inner
join on corpusid ordered by corpusid, so neither dataset is held in memory and the order of the
partitions does not matter. Papers without an abstract (and abstracts without a paper) are skipped
and counted (`skips`), since a third of the corpus has none.

Fields: id = the arXiv id `externalids.ArXiv` when there is one (the same paper read from arXiv or
OpenAlex is then the same paper), else "CorpusId:N" (the Semantic Scholar API's own spelling);
title; abstract (whitespace collapsed); published = publicationdate, else year; authors = the names
of `authors`; url = the arXiv abstract page, else `url`, else the API page of the corpus id. A bad
partition (invalid JSON, a value of the wrong type) is a ReaderError naming it and the line DuckDB
reports; a bad joined record names the papers partition and "corpusid N".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.models import Paper
from tracker.readers import skips
if TYPE_CHECKING:
    import duckdb  # imported where a join runs: every reader is imported by `tracker extract`, few read S2 datasets

from tracker.readers.common import (
    GZIP_MAGIC,
    ReaderError,
    arxiv_url,
    build_paper,
    is_arxiv_id,
    iter_lines,
    json_type,
    normalise_ws,
    parse_json_line,
    parse_date,
    sniff_bytes,
)

SOURCE = "semantic_scholar"
KINDS = ("papers", "abstracts")
JOIN_MEMORY = os.environ.get("CLAIMTRACK_JOIN_MEMORY", "256MB")
FETCH_ROWS = 2_000

# The columns each dataset's reader keeps (the others are ignored by DuckDB's reader).
COLUMNS: dict[str, dict[str, str]] = {
    "papers": {
        "corpusid": "BIGINT", "externalids": "JSON", "url": "VARCHAR", "title": "VARCHAR",
        "authors": "JSON", "year": "BIGINT", "publicationdate": "VARCHAR",
    },
    "abstracts": {"corpusid": "BIGINT", "abstract": "VARCHAR"},
}  # fmt: skip
SQL_CREATE = {
    "papers": "CREATE TABLE papers (corpusid BIGINT, externalids JSON, url VARCHAR, title VARCHAR, authors JSON, "
    "year BIGINT, publicationdate VARCHAR, file VARCHAR)",
    "abstracts": "CREATE TABLE abstracts (corpusid BIGINT, abstract VARCHAR)",
}
SQL_INSERT = {
    "papers": "INSERT INTO papers SELECT corpusid, externalids, url, title, authors, year, publicationdate, ? "
    "FROM read_json(?, format = 'newline_delimited', compression = ?, columns = {columns})",
    "abstracts": "INSERT INTO abstracts SELECT corpusid, abstract "
    "FROM read_json(?, format = 'newline_delimited', compression = ?, columns = {columns})",
}
SQL_NO_CORPUSID = "SELECT count(*) FROM {table} WHERE corpusid IS NULL"
SQL_JOINED = """
SELECT p.corpusid, p.file, p.title, a.abstract, p.externalids, p.url, p.authors, p.year, p.publicationdate
FROM papers p JOIN abstracts a USING (corpusid)
WHERE a.abstract IS NOT NULL AND trim(a.abstract) <> ''
ORDER BY p.corpusid
"""
# Papers without a (non-blank) abstract: skipped and counted. Abstracts without a paper are not papers.
SQL_NO_ABSTRACT = """
SELECT count(*) FROM papers p
WHERE NOT EXISTS (SELECT 1 FROM abstracts a WHERE a.corpusid = p.corpusid AND trim(a.abstract) <> '')
"""
DUCKDB_ERROR_RE = re.compile(r'in file "(?P<file>[^"]*)",(?: at byte \d+)? in (?:line|record/value) (?P<line>\d+): (?P<problem>[^\n]*)')

PAPERS_KEYS_RE = re.compile(rb'"(?:externalids|publicationdate|s2fieldsofstudy)"\s*:')
ABSTRACTS_KEYS_RE = re.compile(rb'"(?:openaccessinfo|abstract)"\s*:')
CORPUSID_RE = re.compile(rb'"corpusid"\s*:')


def sniff_kind(head: bytes) -> str | None:
    """"papers" or "abstracts" when the first record is one of those datasets' records, else None."""
    first = head.lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{") or not CORPUSID_RE.search(first):
        return None
    if ABSTRACTS_KEYS_RE.search(first):  # first: its openaccessinfo holds an "externalids" of its own
        return "abstracts"
    if PAPERS_KEYS_RE.search(first):
        return "papers"
    return None


@dataclass(frozen=True)
class S2Dataset:
    """One Semantic Scholar release given as its papers and abstracts partitions: one input of a load."""

    papers: tuple[Path, ...]
    abstracts: tuple[Path, ...]

    @property
    def name(self) -> str:
        return f"semantic-scholar ({len(self.papers)} papers + {len(self.abstracts)} abstracts files)"

    @property
    def files(self) -> tuple[Path, ...]:
        return (*self.papers, *self.abstracts)

    def __str__(self) -> str:
        parents = {p.parent for p in self.files}
        where = f" in {os.path.commonpath([str(p) for p in parents])}" if parents else ""
        return self.name + where


def group(files: Iterable[Any]) -> list[Any]:
    """`files` with every Semantic Scholar partition gathered into ONE S2Dataset, placed where the first
    of them was; the other files unchanged, in order."""
    out: list[Path | S2Dataset] = []
    parts: dict[str, list[Path]] = {k: [] for k in KINDS}
    slot: int | None = None
    for f in files:
        kind = sniff_kind(sniff_bytes(f, 16 * 1024)) if isinstance(f, Path) and f.is_file() else None
        if kind is None:
            out.append(f)
            continue
        parts[kind].append(f)
        if slot is None:
            slot = len(out)
            out.append(f)  # placeholder
    if slot is not None:
        out[slot] = S2Dataset(tuple(parts["papers"]), tuple(parts["abstracts"]))
    return out


def read(ds: S2Dataset) -> Iterator[Paper]:
    """The joined papers of the dataset, in corpusid order; papers without an abstract counted in skips."""
    if not ds.papers or not ds.abstracts:
        missing, given = ("abstracts", "papers") if not ds.abstracts else ("papers", "abstracts")
        first = (ds.papers or ds.abstracts)[0]
        raise ReaderError(
            first, "file", f"a Semantic Scholar {given} partition needs the {missing} dataset too: "
            f"give its {missing} partitions (or a directory holding both datasets) in the same command"
        )  # fmt: skip
    import duckdb

    tmp = Path(tempfile.mkdtemp(prefix="claimtrack-s2-", dir=os.environ.get("CLAIMTRACK_TMP")))
    try:
        con = duckdb.connect(str(tmp / "join.duckdb"))
        try:
            con.execute(f"SET memory_limit = '{JOIN_MEMORY}'")
            con.execute(f"SET temp_directory = '{tmp / 'spill'}'")
            con.execute("SET enable_progress_bar = false")
            for kind, files in (("papers", ds.papers), ("abstracts", ds.abstracts)):
                _ingest(con, kind, files)
            skips.count(ds, int(con.execute(SQL_NO_ABSTRACT).fetchall()[0][0]))
            cur = con.execute(SQL_JOINED)
            while rows := cur.fetchmany(FETCH_ROWS):
                for row in rows:
                    yield paper_from_row(row)
        finally:
            con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ingest(con: duckdb.DuckDBPyConnection, kind: str, files: Sequence[Path]) -> None:
    """Each partition of one dataset into its table, one read_json per file (so errors name the file)."""
    import duckdb

    con.execute(SQL_CREATE[kind])
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS[kind].items()) + "}"
    sql = SQL_INSERT[kind].format(columns=columns)
    for f in files:
        with open(f, "rb") as fh:
            compression = "gzip" if fh.read(2) == GZIP_MAGIC else "none"
        params = [str(f), str(f), compression] if kind == "papers" else [str(f), compression]
        try:
            con.execute(sql, params)
        except duckdb.Error as e:
            raise _reader_error(f, e) from None
        if con.execute(SQL_NO_CORPUSID.format(table=kind)).fetchall()[0][0]:
            raise ReaderError(f, "file", f"a record of this {kind} partition has no 'corpusid'")


def _reader_error(f: Path, e: duckdb.Error) -> ReaderError:
    """DuckDB's JSON error as our one line: FILE: line N: PROBLEM. DuckDB's line number is where its
    parser stopped (after a truncated record, the next line), so the partition is read again line by
    line (only on this error path) to name the very record and say what is wrong with it."""
    found = _first_bad_line(f)
    if found is not None:
        return found
    msg = str(e)
    m = DUCKDB_ERROR_RE.search(msg)
    if m:
        problem = m.group("problem").strip().rstrip(".")
        return ReaderError(f, f"line {m.group('line')}", f"invalid record: {problem}")
    first = msg.split("\n", 1)[0].replace("Invalid Input Error: ", "")
    return ReaderError(f, "file", f"cannot read as Semantic Scholar JSON lines: {first}")


def _first_bad_line(f: Path) -> ReaderError | None:
    try:
        for lineno, text in iter_lines(f):
            if text.strip():
                cid = parse_json_line(f, lineno, text).get("corpusid")
                if cid is not None and (isinstance(cid, bool) or not isinstance(cid, int)):
                    return ReaderError(f, f"line {lineno}", f"'corpusid' is {json_type(cid)}, expected an integer")
    except ReaderError as e:
        return e
    return None


def paper_from_row(row: tuple[Any, ...]) -> Paper:
    """One joined (papers + abstracts) row as a Paper."""
    corpusid, file, title, abstract, externalids, url, authors, year, pubdate = row
    path, record = Path(file), f"corpusid {corpusid}"
    ext = None if externalids is None else json.loads(externalids)
    arxiv = ext.get("ArXiv") if isinstance(ext, dict) else None
    arxiv = arxiv.strip() if isinstance(arxiv, str) and is_arxiv_id(arxiv.strip()) else None
    if not url or not str(url).strip():
        url = None
    date_key, date_value = ("publicationdate", pubdate) if pubdate else ("year", year)
    return build_paper(
        path,
        record,
        source=SOURCE,
        paper_id=arxiv or f"CorpusId:{corpusid}",
        title=normalise_ws(title) if isinstance(title, str) else title,
        abstract=normalise_ws(abstract),
        published=parse_date(path, record, date_key, date_value),
        authors=_authors(path, record, None if authors is None else json.loads(authors)),
        url=arxiv_url(arxiv) if arxiv else (url or f"https://api.semanticscholar.org/CorpusId:{corpusid}"),
    )


def _authors(path: Path, record: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReaderError(path, record, f"'authors' must be an array of {{authorId, name}} objects")
    names = [a.get("name") if isinstance(a, dict) else None for a in value]
    return [normalise_ws(n) for n in names if isinstance(n, str) and n.strip()]
