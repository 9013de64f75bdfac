"""Extraction on a Dask cluster: `tracker extract INPUTS --engine dask [--cluster ADDRESS] -o OUT_DIR`.

Why Dask (distributed): it is pure Python and a pip install away on any machine (no JVM as Spark
needs, no 200 MB runtime as Ray), a local cluster is one `LocalCluster()` on this machine's cores and
a real one is a `dask scheduler` plus `dask worker ADDRESS` per node, and it runs plain Python
functions on plain Python objects, which is all this needs: one task per input partition, calling
the very functions the single-machine path calls.

How: every input partition (a file: an OpenAlex `part_NNN.gz`, an arXiv snapshot, a JSON-lines
file...; a Semantic Scholar release is one partition, joined in its worker) becomes one task. The
vocabulary is loaded once here and scattered to every worker once (`broadcast=True`); each task reads
its partition with the readers, extracts batches with `pipeline._extract_chunk` (the same
`extract_claims`, the same claim rows as `tracker load`), and writes its papers and claims as one
Parquet part each into a staging directory beside OUT_DIR (`tracker.extracted`). When every task has
succeeded the manifest is written and the staging directory is renamed to OUT_DIR, so OUT_DIR is
complete or absent: a failed run (a bad record: its one-line error is re-raised here) leaves nothing.

Workers read the inputs and write the parts themselves, so on a multi-node cluster the inputs and the
directory of OUT_DIR must be at the same path on every node (a shared file system); see the README.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.extracted import (
    MANIFEST,
    PART_RE,
    ExtractedPartition,
    PartWriter,
    file_metadata,
    is_extracted_dir,
    write_manifest,
)

ENGINES = ("dask",)
BATCH_SIZE = 5_000


class EngineError(ValueError):
    """The engine cannot run as asked (not installed, cluster unreachable, bad output directory)."""


@dataclass
class ExtractDirResult:
    out_dir: Path
    workers: int
    partitions: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, key: str) -> int:
        return sum(int(p[key]) for p in self.partitions)

    def summary(self) -> str:
        n = self.total("papers")
        rate = n / self.seconds if self.seconds > 0 else 0.0
        skipped = self.total("skipped")
        return (
            f"wrote {n} papers and {self.total('claims')} claims in {len(self.partitions)} partitions to {self.out_dir} "
            f"on {self.workers} workers in {self.seconds:.1f} s ({rate:.0f} abstracts/s)"
            + (f"; {skipped} records without an abstract skipped" if skipped else "")
        )


def extract_partition(
    part: int, source: Any, vocab: Any, staging: str, fmt: str | None, version: str, vhash: str, batch_size: int = BATCH_SIZE
) -> dict[str, Any]:
    """One task: read one input partition, extract it, write its Parquet part; return its counts.

    Ids repeated within the partition are extracted once (the first occurrence, as `tracker extract`
    does); a repeat with another title or abstract is the same error as in a load. A worker whose
    claimtrack has another extractor version refuses: its claims would be labelled with the client's."""
    from tracker.pipeline import FileResult, LoadError, _extract_chunk, _paper_text, extractor_version, read_file

    mine = extractor_version()
    if mine != version:
        raise EngineError(
            f"worker {socket.gethostname()} (pid {os.getpid()}) has extractor version {mine}, the command {version}: "
            "install the same claimtrack on every node"
        )
    t0 = time.perf_counter()
    res = FileResult(source)
    seen: dict[str, tuple[str, str | None]] = {}
    writer = PartWriter(Path(staging), part, file_metadata(extractor_version=version, vocab_hash=vhash, source=str(source)))
    try:
        batch: list[Any] = []
        for paper in read_file(source, fmt, res):
            prev = seen.get(paper.id)
            if prev is not None:
                if prev[0] != paper.content_hash:
                    raise LoadError(
                        f"{source}: {paper.record}: id {paper.id!r} appears again with a different title or abstract (first at {prev[1]})"
                    )
                continue
            seen[paper.id] = (paper.content_hash, paper.record)
            batch.append(paper)
            if len(batch) >= batch_size:
                res.claims += _write(writer, batch, vocab, version, vhash, source, _extract_chunk, _paper_text)
                batch = []
        if batch:
            res.claims += _write(writer, batch, vocab, version, vhash, source, _extract_chunk, _paper_text)
    finally:
        writer.close()
    return {
        "part": part, "input": str(source), "papers": len(seen), "claims": res.claims, "skipped": res.skipped,
        "seconds": round(time.perf_counter() - t0, 3), "worker": os.getpid(),
    }  # fmt: skip


def _write(writer: PartWriter, batch: list[Any], vocab: Any, version: str, vhash: str, source: Any, extract: Any, text: Any) -> int:
    from tracker.pipeline import LoadError

    rows: list[tuple[Any, ...]] = []
    for _pid, payload in extract([text(p) for p in batch], "rows", vocab):
        if isinstance(payload, LoadError):
            raise LoadError(f"{source}: {payload}")
        rows += payload
    writer.write(batch, rows, extractor_version=version, vocab_hash=vhash)
    return len(rows)


def _client(cluster: str | None, workers: int | None) -> tuple[Any, Any]:
    """(client, the LocalCluster we started or None)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("the dask engine needs Dask: pip install 'dask[distributed]'") from None
    if cluster:
        try:
            return Client(cluster, timeout="20s"), None
        except (OSError, TimeoutError) as e:
            raise EngineError(f"cannot reach the Dask scheduler at {cluster}: {e}") from None
    local = LocalCluster(
        n_workers=0, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL,  # a failed task is our one-line error, not a log
        memory_limit=0,
    )  # fmt: skip
    client = Client(local)
    local.scale(workers or os.cpu_count() or 1)  # the workers start in the background while the vocabulary loads
    return client, local


def _wait_for_workers(client: Any, local: Any, cluster: str | None) -> int:
    """The number of workers, once the local ones are all up (a remote cluster: once it has one)."""
    want = len(local.worker_spec) if local is not None else 1
    try:
        client.wait_for_workers(want, timeout=120)
    except TimeoutError:
        raise EngineError(f"no Dask worker joined {'the scheduler at ' + cluster if cluster else 'the local cluster'} within 120 s") from None
    return len(client.scheduler_info()["workers"])


def _check_out_dir(out_dir: Path) -> None:
    """OUT_DIR may be new, empty, or an earlier extracted directory holding nothing else (it is replaced
    whole, so a database or an input put inside it would be deleted: refused, naming the file)."""
    if out_dir.exists() and not (out_dir.is_dir() and (is_extracted_dir(out_dir) or not any(out_dir.iterdir()))):
        raise EngineError(f"{out_dir}: exists and is not an extracted directory: give a new or empty directory")
    if not out_dir.parent.is_dir():
        raise EngineError(f"{out_dir}: directory {out_dir.parent} does not exist")
    if out_dir.is_dir():
        foreign = next((f for f in sorted(out_dir.rglob("*")) if not _is_part_file(out_dir, f)), None)
        if foreign is not None:
            raise EngineError(
                f"{out_dir}: holds {foreign.relative_to(out_dir)}, which no extraction wrote: refusing to replace the directory "
                "(move it out, or give another -o)"
            )


def _is_part_file(root: Path, f: Path) -> bool:
    rel = f.relative_to(root).parts
    if rel in ((MANIFEST,), ("papers",), ("claims",)):
        return f.is_dir() == (rel != (MANIFEST,)) and not f.is_symlink()
    return len(rel) == 2 and rel[0] in ("papers", "claims") and PART_RE.fullmatch(rel[1]) is not None and f.is_file() and not f.is_symlink()


def extract_to_dir(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    engine: str = "dask",
    cluster: str | None = None,
    workers: int | None = None,
    vocab_paths: Sequence[str | Path] = (),
    fmt: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ExtractDirResult:
    """Extract every input partition on the engine's workers into OUT_DIR (see the module docstring)."""
    from tracker.pipeline import LoadError, expand_inputs, extractor_version
    from tracker.store.store import fingerprint
    from tracker.vocab import load_vocab

    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    t0 = time.perf_counter()
    out_dir = Path(out_dir).absolute()
    _check_out_dir(out_dir)
    sources = expand_inputs(inputs)
    if any(isinstance(s, ExtractedPartition) for s in sources):
        raise LoadError("an extracted directory is already extracted: load it (tracker load DIR) or query it (tracker sql --db DIR)")
    client, local = _client(cluster, workers)
    staging: Path | None = None
    try:
        vocab = load_vocab(*vocab_paths)
        version, vhash = extractor_version(), fingerprint(vocab)
        staging = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        n_workers = _wait_for_workers(client, local, cluster)
        # shipped once per worker, shared by its tasks; hash=False: dask would otherwise tokenize the whole
        # vocabulary object to name it (~10 s for the bundled one, more than the extraction of a small input)
        vfut = client.scatter(vocab, broadcast=True, hash=False)
        futures = [
            client.submit(extract_partition, k, src, vfut, str(staging), fmt, version, vhash, batch_size, pure=False, key=f"claimtrack-part-{k}-{uuid.uuid4().hex[:6]}")
            for k, src in enumerate(sources)
        ]
        parts = client.gather(futures)
        write_manifest(staging, extractor_version=version, vocab_hash=vhash, engine=engine, parts=parts)
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}"
            out_dir.rename(old)
        staging.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        client.close()
        if local is not None:
            local.close()
    return ExtractDirResult(out_dir, n_workers, list(parts), time.perf_counter() - t0)
