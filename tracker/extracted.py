"""An extracted directory: papers and claims as Parquet partitions, written by `tracker extract --engine`.

    OUT_DIR/_claimtrack.json            the manifest: written last, so its presence means complete
    OUT_DIR/papers/part-00000.parquet   the papers of input partition 0 (the `papers` columns but loaded_at)
    OUT_DIR/claims/part-00000.parquet   their claims (exactly the `claims` table's columns)

One input partition (a file, or one Semantic Scholar dataset) gives one part of each. Every Parquet
file carries the extractor version, the vocabulary fingerprint and the input it came from in its
key-value metadata (`claimtrack.*`), as the manifest does. The rows are what `tracker load` would have
written, so loading such a directory (`load_partition`, called by the pipeline for each part, in
order, like the files of a directory) is a plain staged write with the same rules as any load: one
transaction for the whole command, a repeated id with other content within a part is an error, a
paper already stored with the same content hash, extractor version and vocabulary is left alone, and
nothing is extracted: the claims arrive extracted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tracker.models import Claim
from tracker.store.store import CLAIM_SCHEMA, PAPER_SCHEMA, Store, claims_table, papers_table

MANIFEST = "_claimtrack.json"
FORMAT = "claimtrack-extract"
FORMAT_VERSION = 1
PART_PAPERS_SCHEMA = pa.schema([f for f in PAPER_SCHEMA if f.name != "loaded_at"])
PART_CLAIMS_SCHEMA = CLAIM_SCHEMA
META_PREFIX = "claimtrack."


class ExtractedError(ValueError):
    """An extracted directory that cannot be used: one line naming the file and the problem."""


@dataclass(frozen=True)
class ExtractedPartition:
    """One part of an extracted directory: an input of `tracker load` like a file."""

    root: Path
    part: int
    input: str  # the input partition it was extracted from (for messages)

    @property
    def papers_file(self) -> Path:
        return self.root / "papers" / part_name(self.part)

    @property
    def claims_file(self) -> Path:
        return self.root / "claims" / part_name(self.part)

    @property
    def files(self) -> tuple[Path, ...]:  # pipeline.file_digest identifies the part by these bytes
        return (self.papers_file, self.claims_file)

    @property
    def name(self) -> str:
        return f"{self.root.name}/{part_name(self.part)}"

    def __str__(self) -> str:
        return f"{self.root}/papers/{part_name(self.part)} (from {self.input})"


PART_RE = re.compile(r"part-\d{5,}\.parquet")


def part_name(k: int) -> str:
    return f"part-{k:05d}.parquet"


def is_extracted_dir(path: Path) -> bool:
    return path.is_dir() and (path / MANIFEST).is_file()


def read_manifest(root: Path) -> dict[str, Any]:
    p = root / MANIFEST
    try:
        m = json.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ExtractedError(f"{p}: file: not a readable claimtrack manifest ({e})") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise ExtractedError(f"{p}: file: not a claimtrack extract manifest (format is not {FORMAT!r})")
    if m.get("format_version", 0) > FORMAT_VERSION:
        raise ExtractedError(f"{p}: file: written by a newer claimtrack (format version {m['format_version']}); upgrade claimtrack")
    return m


def partitions(root: Path) -> list[ExtractedPartition]:
    """The parts of an extracted directory, in the order of the inputs they came from."""
    m = read_manifest(root)
    parts = [ExtractedPartition(root, int(e["part"]), str(e["input"])) for e in m["partitions"]]
    for part in parts:
        for f in part.files:
            if not f.is_file():
                raise ExtractedError(f"{f}: file: missing (the manifest lists it; was the directory copied in part?)")
    return parts


def file_metadata(*, extractor_version: str, vocab_hash: str, source: str) -> dict[bytes, bytes]:
    return {
        (META_PREFIX + k).encode(): v.encode()
        for k, v in {"extractor_version": extractor_version, "vocab_hash": vocab_hash, "input": source}.items()
    }


def write_manifest(root: Path, *, extractor_version: str, vocab_hash: str, engine: str, parts: Iterable[dict[str, Any]]) -> None:
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "extractor_version": extractor_version,
        "vocab_hash": vocab_hash,
        "engine": engine,
        "created": datetime.now().isoformat(timespec="seconds"),
        "partitions": sorted(parts, key=lambda e: e["part"]),
    }
    tmp = root / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(root / MANIFEST)


# --- reading back ---


def _open(path: Path, schema: pa.Schema, what: str) -> pq.ParquetFile:
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        raise ExtractedError(f"{path}: file: not a readable Parquet file ({e})") from None
    got = pf.schema_arrow
    missing = [f.name for f in schema if got.get_field_index(f.name) < 0]
    if missing:
        raise ExtractedError(f"{path}: file: not a claimtrack {what} partition (missing columns {', '.join(missing)})")
    return pf


def _cast(table: pa.Table, schema: pa.Schema, path: Path) -> pa.Table:
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise ExtractedError(f"{path}: file: a column has the wrong type ({e})") from None


def claim_dicts(root: Path, part_no: int | None = None) -> Iterator[dict[str, Any]]:
    """The claims of an extracted directory (or of its part `part_no`) as `tracker extract` prints them
    (Claim fields, in order)."""
    for part in partitions(root):
        if part_no is not None and part.part != part_no:
            continue
        titles = dict(zip(*(pq.read_table(part.papers_file, columns=["paper_id", "title"]).to_pydict().values())))
        for row in pq.read_table(part.claims_file).to_pylist():
            yield claim_dict(row, titles[row["paper_id"]])


def claim_dict(row: dict[str, Any], title: str) -> dict[str, Any]:
    """A claims-table row as the JSON object of its Claim (what `tracker extract` writes)."""
    renamed = {"start": row["start_offset"], "end": row["end_offset"], "paper": title}
    return {f: renamed[f] if f in renamed else row[f] for f in Claim.model_fields}


# --- loading (called by pipeline.load for each part) ---


@dataclass(frozen=True)
class _Seen:
    """What pipeline._first_occurrences needs of a paper: its id, content hash and record name."""

    id: str
    content_hash: str
    record: str


def load_partition(store: Store, part: ExtractedPartition, *, reextract: bool, batch_size: int, staged_before: bool, result: Any) -> Any:
    """Stage the new and changed papers of one part with their claims (no extraction); `result` is the
    pipeline's FileResult for it, filled in and returned."""
    from tracker.pipeline import _first_occurrences, classify

    pf = _open(part.papers_file, PART_PAPERS_SCHEMA, "papers")
    _open(part.claims_file, PART_CLAIMS_SCHEMA, "claims")
    claims = _cast(pq.read_table(part.claims_file), PART_CLAIMS_SCHEMA, part.claims_file)  # one part's claims
    loaded_at = datetime.now()
    store.forget_seen()
    row = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        table = _cast(pa.Table.from_batches([batch]), PART_PAPERS_SCHEMA, part.papers_file)
        ids, hashes = table.column("paper_id").to_pylist(), table.column("content_hash").to_pylist()
        seen = [_Seen(i, h, f"row {row + k + 1}") for k, (i, h) in enumerate(zip(ids, hashes))]
        row += len(ids)
        fresh = _first_occurrences(part.papers_file, seen, store)
        existing = store.existing([p.id for p in fresh], staged=staged_before)
        keys = dict(zip(ids, zip(hashes, table.column("extractor_version").to_pylist(), table.column("vocab_hash").to_pylist())))
        todo_papers, replace = classify(fresh, existing, lambda p: keys[p.id], reextract=reextract, res=result)
        todo = [p.id for p in todo_papers]
        if not todo:
            continue
        wanted = pa.array(todo, pa.string())
        papers = _first_rows(table.filter(pc.is_in(table.column("paper_id"), value_set=wanted)))
        papers = papers.append_column(PAPER_SCHEMA.field("loaded_at"), pa.array([loaded_at] * papers.num_rows, pa.timestamp("us")))
        batch_claims = claims.filter(pc.is_in(claims.column("paper_id"), value_set=wanted))
        with store.transaction():
            store.write_batch(papers, batch_claims, replace, staged=True)
        result.claims += batch_claims.num_rows
    return result


def _first_rows(table: pa.Table) -> pa.Table:
    """One row per paper_id (an exact repeat within a batch was dropped by _first_occurrences)."""
    ids = table.column("paper_id").to_pylist()
    if len(set(ids)) == len(ids):
        return table
    first: dict[str, int] = {}
    for k, i in enumerate(ids):
        first.setdefault(i, k)
    return table.take(pa.array(sorted(first.values())))


# --- writing one part (in a worker of the distributed engine) ---


class PartWriter:
    """Writes one part's papers and claims Parquet files, batch by batch (flat memory)."""

    def __init__(self, root: Path, part: int, metadata: dict[bytes, bytes]) -> None:
        (root / "papers").mkdir(parents=True, exist_ok=True)
        (root / "claims").mkdir(parents=True, exist_ok=True)
        self.papers = pq.ParquetWriter(root / "papers" / part_name(part), PART_PAPERS_SCHEMA.with_metadata(metadata))
        self.claims = pq.ParquetWriter(root / "claims" / part_name(part), PART_CLAIMS_SCHEMA.with_metadata(metadata))

    def write(self, papers: Any, rows: list[tuple[Any, ...]], *, extractor_version: str, vocab_hash: str) -> None:
        table = papers_table(papers, extractor_version=extractor_version, vocab_hash=vocab_hash, loaded_at=datetime.now())
        self.papers.write_table(table.drop_columns(["loaded_at"]).cast(self.papers.schema))
        self.claims.write_table(claims_table(rows).cast(self.claims.schema))

    def close(self) -> None:
        self.papers.close()
        self.claims.close()
