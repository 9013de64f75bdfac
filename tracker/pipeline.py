"""Load = read -> extract (parallel) -> store, in batches, one transaction per input file.

    load(["papers.jsonl", "snapshot.json.gz"], "claims.duckdb", jobs=2) -> LoadResult

Papers stream from the reader in batches (BATCH_SIZE). For each batch the store says which papers it
already holds; a paper whose content_hash, extractor version and vocabulary are unchanged is skipped,
a new or changed one is extracted (in worker processes when jobs > 1, while the main process reads
the next batch and writes the previous one) and written with one Arrow insert per table; a changed
paper's old claims are deleted first. The batches are committed to staging tables (flat memory) and
published in one final transaction, so one `load` call is one transaction for the visible tables — all
batches of one file, and all files of one call: a ReaderError, a duplicate id with different content within a file, or any
other failure (Ctrl-C, a kill) rolls everything back, so a bad file in a directory leaves the
database exactly as it was. Per-file results are reported once the transaction has committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.lifetime import bind_to
from tracker.models import Paper
from tracker.vocab import Vocab, load_vocab

if TYPE_CHECKING:
    from tracker.store.store import Store
# tracker.store (DuckDB, pyarrow, numpy: ~0.5 s of imports) is imported where a load needs it, not here: `tracker
# extract` writes JSON lines and never opens a database, and its process start counts in its speed (issue 12).

BATCH_SIZE = 5_000  # papers a batch: per-batch costs (queries, commits) vs. memory held (~15 MB)
# DuckDB's buffer pool keeps every block the load wrote cached up to its memory limit (80% of RAM by
# default): the load's own connection is capped so that the process stays flat (blocks are persisted,
# so they are evicted, not lost; a large publish spills to the database's temp directory).
LOAD_MEMORY_LIMIT = os.environ.get("CLAIMTRACK_LOAD_MEMORY", "256MB")
# DuckDB does not always keep an operation under its cap (2 threads pinning blocks at once): a publish that
# runs out of memory is rolled back and tried again with these caps, rather than losing a long load.
PUBLISH_RETRY_MEMORY = ("1GB", "4GB")
MIN_PARALLEL = 256  # fewer papers to extract than this in a batch: extracting in-process is faster
SAMPLE = Path(__file__).parent / "sample" / "daily_papers_transformers.txt"


class LoadError(ValueError):
    """A file that cannot be loaded: one line `FILE: RECORD: PROBLEM`."""


@dataclass
class FileResult:
    path: Path
    papers: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # records the reader left out on purpose (works without an abstract: readers.skips)
    claims: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.path}: {self.papers} papers ({self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged), {self.claims} claims"
            + (f", {self.skipped} skipped (no abstract)" if self.skipped else "")
        )


@dataclass
class LoadResult:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)

    def summary(self) -> str:
        n = self.total("papers")
        rate = n / self.seconds if self.seconds > 0 else 0.0
        return (
            f"loaded {n} papers ({self.total('new')} new, {self.total('changed')} changed, "
            f"{self.total('unchanged')} unchanged), {self.total('claims')} claims in {self.seconds:.1f} s "
            f"({rate:.0f} abstracts/s)"
            + (f"; {self.total('skipped')} records without an abstract skipped" if self.total("skipped") else "")
        )


# --- extraction, in-process or in a pool of worker processes ---

_WORKER_VOCAB: Vocab | None = None


def _init_worker(vocab: Vocab, owner_pid: int) -> None:
    """Runs first in each worker: it must not outlive the load (`tracker.lifetime`), then the vocabulary."""
    global _WORKER_VOCAB
    bind_to(owner_pid)
    _WORKER_VOCAB = vocab


# What a worker needs of a paper: (id, title, abstract, source). A plain tuple pickles ~5x faster than
# the pydantic Paper (17 -> 3 us a paper, paid in the main process and again in the worker).
PaperText = tuple[str, str, str, str]


def _paper_text(p: Paper) -> PaperText:
    return (p.id, p.title, p.abstract, p.source)


def _extract_chunk(papers: Sequence[PaperText], mode: str, vocab: Vocab | None = None) -> list[tuple[str, Any]]:
    """(paper_id, claim rows | claim dicts | error text) for each paper, in order (in a worker: `vocab` is the worker's)."""
    # Already validated by the reader in the main process: rebuilt without validating again.
    rebuilt = [Paper.model_construct(id=pid, title=title, abstract=abstract, source=source) for pid, title, abstract, source in papers]
    return _extract_papers(rebuilt, mode, vocab if vocab is not None else _WORKER_VOCAB)


def _extract_papers(papers: Sequence[Paper], mode: str, vocab: Vocab | None) -> list[tuple[str, Any]]:
    """`_extract_chunk` on the reader's own Papers: in-process there is nothing to pickle, so no tuple round trip."""
    from extractors import extract_claims

    out: list[tuple[str, Any]] = []
    for p in papers:
        try:
            claims = extract_claims(p, vocab)
        except Exception as e:  # the extractor promises never to raise; name the paper if it does
            out.append((p.id, LoadError(f"paper {p.id}: extractor failed: {type(e).__name__}: {e}")))
            continue
        if mode == "rows":
            from tracker.store.store import claim_rows

            out.append((p.id, claim_rows(claims)))
        else:
            out.append((p.id, [c.model_dump(mode="json") for c in claims]))
    return out


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


class _Joined:
    def __init__(self, futures: list[Any]) -> None:
        self.futures = futures

    def get(self) -> Any:
        try:
            return [item for f in self.futures for item in f.result()]
        except BrokenProcessPool as e:
            raise LoadError(f"an extraction worker process died ({e})") from None


class Extractor:
    """Extracts batches of papers; with jobs > 1 the work runs in a process pool, asynchronously."""

    def __init__(self, vocab: Vocab, *, jobs: int | None = None, mode: str = "rows", min_parallel: int = MIN_PARALLEL):
        self.vocab = vocab
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.mode = mode
        self.min_parallel = min_parallel
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, papers: list[Paper]) -> _Done | _Joined:
        """Start extracting `papers`; `.get()` returns [(paper_id, payload)] in the same order."""
        if self.jobs == 1 or len(papers) < self.min_parallel:
            return _Done(_extract_papers(papers, self.mode, self.vocab))
        texts = [_paper_text(p) for p in papers]
        if self._pool is None:
            # forkserver/spawn, not fork: the parent holds a DuckDB connection and threads.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if "forkserver" in methods:  # the forkserver, too, ends with this process
                ctx.set_forkserver_preload(["__main__", "tracker.forkserver_init"])
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=ctx, initializer=_init_worker, initargs=(self.vocab, os.getpid())
            )
        size = max(16, -(-len(papers) // (self.jobs * 4)))
        futures = [self._pool.submit(_extract_chunk, texts[i : i + size], self.mode) for i in range(0, len(texts), size)]
        return _Joined(futures)

    def close(self, *, terminate: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=terminate)
            self._pool = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        self.close(terminate=exc_type is not None)


# --- progress ---


class _FilePos:
    """How far the reader is in its file, from /proc (Linux): works for any reader, also through gzip."""

    def __init__(self, path: Path) -> None:
        self.target = os.path.realpath(path)
        self.fd: str | None = None

    def __call__(self) -> int | None:
        try:
            if self.fd is None or os.readlink(f"/proc/self/fd/{self.fd}") != self.target:
                self.fd = next(
                    (fd for fd in os.listdir("/proc/self/fd") if _readlink(f"/proc/self/fd/{fd}") == self.target),
                    None,
                )
            if self.fd is None:
                return None
            with open(f"/proc/self/fdinfo/{self.fd}") as f:
                return int(f.readline().split()[1])
        except (OSError, ValueError, IndexError):
            return None


def _readlink(p: str) -> str | None:
    try:
        return os.readlink(p)
    except OSError:
        return None


class Progress:
    """A rich progress bar on stderr (bytes of the file read, papers, rate, ETA); silent when off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._p: Any = None

    def start_file(self, path: Path) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        if self._p is None:
            self._p = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[papers]} papers, {task.fields[rate]:.0f} abstracts/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._p.start()
        try:
            size = path.stat().st_size
        except (OSError, AttributeError):  # AttributeError: an S2Dataset, read by DuckDB
            size = None
        self._pos = _FilePos(path)
        self._t0 = time.perf_counter()
        self._task = self._p.add_task(path.name, total=size, papers=0, rate=0.0)

    def update(self, papers: int) -> None:
        if not self.enabled or self._p is None:
            return
        pos = self._pos()
        rate = papers / max(1e-9, time.perf_counter() - self._t0)
        if pos is not None:
            self._p.update(self._task, completed=pos, papers=papers, rate=rate)
        else:
            self._p.update(self._task, papers=papers, rate=rate)

    def end_file(self) -> None:
        if self.enabled and self._p is not None:
            self._p.remove_task(self._task)

    def stop(self) -> None:
        if self._p is not None:
            self._p.stop()
            self._p = None


# --- input ---


def note_skipped(skipped: Any) -> None:
    """One note on stderr for a directory entry that is not loaded (readers.directory says why)."""
    print(f"note: {skipped.note()}", file=sys.stderr, flush=True)


def expand_inputs(paths: Iterable[str | Path], on_skip: Callable[[Any], None] = note_skipped) -> list[Any]:
    """Files as given; a directory becomes its input files (readers.input_files), sorted, each entry it
    skips going to `on_skip` (by default a note on stderr); the Semantic Scholar partitions among them
    become one S2Dataset (readers.group_inputs)."""
    from tracker.readers import group_inputs, input_files

    out: list[Any] = []
    for p in map(Path, paths):
        if p.is_dir():
            from tracker.extracted import is_extracted_dir, partitions  # pyarrow: imported only for a directory

            if is_extracted_dir(p):  # written by `tracker extract --engine`: its parts, claims already extracted
                out += partitions(p)
            else:
                out += input_files(p, on_skip)
        elif p.exists():
            out.append(p)
        else:
            raise LoadError(f"{p}: no such file or directory")
    return group_inputs(out)


def read_file(path: Any, fmt: str | None = None, skipped: FileResult | None = None) -> Iterator[Paper]:
    """The papers of one file; ReaderError becomes LoadError (one line FILE: RECORD: PROBLEM). The
    records the reader skipped are added to `skipped.skipped` once the file has been read."""
    from tracker.readers import ReaderError, read_papers, skips

    try:
        yield from read_papers(path, fmt)
        if skipped is not None:
            skipped.skipped += skips.take(path)
    except ReaderError as e:
        raise LoadError(str(e)) from None
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror or e}") from None


def file_digest(path: Any) -> tuple[str, int]:
    """(sha256 of the file's bytes, size): identifies an input already loaded (Store.file_loaded). An
    input of several files (an S2Dataset) is identified by all of its files' bytes, in order."""
    h = hashlib.sha256()
    size = 0
    for part in getattr(path, "files", (path,)):
        try:
            with open(part, "rb") as fh:
                while chunk := fh.read(1 << 22):
                    h.update(chunk)
                    size += len(chunk)
        except OSError as e:
            raise LoadError(f"{part}: cannot read: {e.strerror or e}") from None
    return h.hexdigest(), size


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extractor_version() -> str:
    from extractors import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


# --- load ---


def _record(p: Paper) -> str:
    return p.record or f"paper {p.id}"


def _first_occurrences(path: Path, batch: list[Paper], store: Store) -> list[Paper]:
    """The papers of `batch` whose id this file has not had before. An exact repeat is dropped; a repeat
    with another title or abstract is a LoadError naming both records. The ids already seen live in the
    store's staging (not in a dict), so memory stays flat however long the file is."""
    first: dict[str, Paper] = {}
    for p in batch:
        prev = first.get(p.id)
        if prev is None:
            first[p.id] = p
        elif prev.content_hash != p.content_hash:
            raise _conflict(path, p, _record(prev))
    earlier = store.seen_in_file(list(first))
    fresh: list[Paper] = []
    for p in first.values():
        seen = earlier.get(p.id)
        if seen is None:
            fresh.append(p)
        elif seen[0] != p.content_hash:
            raise _conflict(path, p, seen[1])
    store.remember_seen([(p.id, p.content_hash, _record(p)) for p in fresh])
    return fresh


def _conflict(path: Path, p: Paper, first_record: str) -> LoadError:
    return LoadError(
        f"{path}: {_record(p)}: id {p.id!r} appears again with a different title or abstract (first at {first_record})"
    )


def classify(
    fresh: Sequence[Any], existing: dict[str, tuple[str, str, str]], key: Callable[[Any], tuple[str, str, str]],
    *, reextract: bool, res: FileResult,
) -> tuple[list[Any], list[str]]:  # fmt: skip
    """(papers to write, ids to replace first) of a batch's first occurrences, counted in `res`: new, changed
    (stored with another (content_hash, extractor_version, vocab_hash) than `key(p)`, or --reextract) or
    unchanged (left alone)."""
    todo: list[Any] = []
    replace: list[str] = []
    for p in fresh:
        old = existing.get(p.id)
        if old is None:
            res.new += 1
            todo.append(p)
        elif reextract or old != key(p):
            res.changed += 1
            todo.append(p)
            replace.append(p.id)
        else:
            res.unchanged += 1
    res.papers += len(fresh)
    return todo, replace


def _load_file(
    store: Store,
    path: Path,
    *,
    vocab: Vocab,
    extractor: Extractor,
    reextract: bool,
    batch_size: int,
    progress: Progress,
    fmt: str | None = None,
    staged_before: bool = False,
) -> FileResult:
    """Stage one file's new and changed papers (each batch committed to the staging tables; the
    caller publishes all files in one transaction). `staged_before`: an earlier file of this load
    staged papers, so the staging tables count as stored."""
    from tracker.store.store import claims_table, fingerprint, papers_table

    res = FileResult(path)
    t0 = time.perf_counter()
    version = extractor_version()
    vhash = fingerprint(vocab)
    loaded_at = datetime.now()
    pending: tuple[list[Paper], list[str], Any] | None = None

    def write(todo: list[Paper], replace: list[str], fut: Any) -> None:
        if not todo and not replace:
            return
        rows: list[tuple[Any, ...]] = []
        for pid, payload in fut.get():
            if isinstance(payload, LoadError):
                raise LoadError(f"{path}: {payload}")
            rows += payload
        with store.transaction():  # committed now: the load's memory stays flat; publish() makes it visible
            store.write_batch(
                papers_table(todo, extractor_version=version, vocab_hash=vhash, loaded_at=loaded_at),
                claims_table(rows),
                replace,
                staged=True,
            )
        res.claims += len(rows)

    progress.start_file(path)
    store.forget_seen()
    try:
        for batch in _batches(read_file(path, fmt, res), batch_size):
            fresh = _first_occurrences(path, batch, store)
            existing = store.existing([p.id for p in fresh], staged=staged_before)
            todo, replace = classify(fresh, existing, lambda p: (p.content_hash, version, vhash), reextract=reextract, res=res)
            fut = extractor.submit(todo)
            if pending is not None:
                write(*pending)
            pending = (todo, replace, fut)
            progress.update(res.papers)
        if pending is not None:
            write(*pending)
    finally:
        progress.end_file()
    res.seconds = time.perf_counter() - t0
    return res


def load(
    inputs: Sequence[str | Path],
    db: str | Path,
    *,
    vocab_paths: Sequence[str | Path] = (),
    jobs: int | None = None,
    batch_size: int = BATCH_SIZE,
    reextract: bool = False,
    progress: bool = True,
    fmt: str | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    min_parallel: int = MIN_PARALLEL,
) -> LoadResult:
    """Load every input file (directories expanded) into the database at `db`."""
    from tracker.store.store import Store

    t0 = time.perf_counter()
    vocab = load_vocab(*vocab_paths)
    files = expand_inputs(inputs)
    result = LoadResult()
    bar = Progress(progress)
    created = not os.path.lexists(db)
    store = Store(db)
    try:
        _load_into(store, files, result, bar, vocab=vocab, jobs=jobs, batch_size=batch_size, reextract=reextract,
                   fmt=fmt, min_parallel=min_parallel)  # fmt: skip
    except BaseException:
        store.close()
        if created:  # a first load that fails leaves no (empty) database behind
            for p in (Path(db), Path(f"{db}.wal")):
                with contextlib.suppress(OSError):
                    p.unlink()
        raise
    store.close()
    if on_file:
        for fr in result.files:
            on_file(fr)
    result.seconds = time.perf_counter() - t0
    return result


def _load_into(
    store: Store, files: Sequence[Path], result: LoadResult, bar: Progress, *, vocab: Any, jobs: int | None,
    batch_size: int, reextract: bool, fmt: str | None, min_parallel: int,
) -> None:  # fmt: skip
    """The body of `load` on an open store: stage every file, then publish them in one transaction."""
    from tracker.extracted import ExtractedPartition, load_partition
    from tracker.store.store import fingerprint

    with Extractor(vocab, jobs=jobs, mode="rows", min_parallel=min_parallel) as ex:
        try:
            # Batches go to staging tables, committed one by one (a 1M-record load in one open transaction
            # kept every appended row in memory); publish() then moves them into papers/claims in ONE
            # transaction, so a load is still all or nothing. A failure discards the staging; a kill
            # leaves only staging rows, which the next writable open discards.
            if LOAD_MEMORY_LIMIT:
                store.set_memory_limit(LOAD_MEMORY_LIMIT)
            store.begin_staging()
            version, vhash = extractor_version(), fingerprint(vocab)
            fingerprints: list[tuple[Any, ...]] = []
            try:
                for path in files:
                    t1 = time.perf_counter()
                    digest, size = file_digest(path)
                    n = None if reextract else store.file_loaded((digest, size, fmt, version, vhash))
                    if n is not None:  # these very bytes were loaded and every paper is still as they have it
                        result.files.append(FileResult(path, papers=n, unchanged=n, seconds=time.perf_counter() - t1))
                        continue
                    staged_before = any(f.new or f.changed for f in result.files)
                    if isinstance(path, ExtractedPartition):
                        fr = load_partition(store, path, reextract=reextract, batch_size=batch_size,
                                            staged_before=staged_before, result=FileResult(path))  # fmt: skip
                    else:
                        fr = _load_file(
                            store, path, vocab=vocab, extractor=ex, reextract=reextract,
                            batch_size=batch_size, progress=bar, fmt=fmt, staged_before=staged_before,
                        )  # fmt: skip
                    result.files.append(fr)
                    fingerprints.append((digest, size, str(path), fmt, version, vhash, fr.papers))
                ex.close()  # the workers' memory is freed before the publish needs DuckDB's
                store.publish(vocab, fingerprints, retry_memory=PUBLISH_RETRY_MEMORY)
            except BaseException:
                with contextlib.suppress(Exception):
                    store.discard_staging()
                raise
        finally:
            bar.stop()


def extract(
    inputs: Sequence[str | Path],
    *,
    vocab_paths: Sequence[str | Path] = (),
    jobs: int | None = None,
    batch_size: int = BATCH_SIZE,
    fmt: str | None = None,
    min_parallel: int = MIN_PARALLEL,
) -> Iterator[dict[str, Any]]:
    """Claims (as dicts of the Claim fields) of every paper of every input, in input order; no database.

    A paper id repeated within the inputs is extracted once (its first occurrence)."""
    vocab = load_vocab(*vocab_paths)
    files = expand_inputs(inputs)
    already = next((f for f in files if hasattr(f, "claims_file")), None)  # an extracted directory's part
    if already is not None:
        raise LoadError(f"{already.root}: already extracted (Parquet): load it with `tracker load` or query it with `tracker sql --db`")
    seen: set[str] = set()
    with Extractor(vocab, jobs=jobs, mode="dicts", min_parallel=min_parallel) as ex:
        for path in files:
            pending = None
            for batch in _batches(read_file(path, fmt), batch_size):
                todo = [p for p in batch if not (p.id in seen or seen.add(p.id))]
                fut = ex.submit(todo)
                if pending is not None:
                    yield from _claims_of(path, pending)
                pending = fut
            if pending is not None:
                yield from _claims_of(path, pending)


def _claims_of(path: Path, fut: Any) -> Iterator[dict[str, Any]]:
    for _pid, payload in fut.get():
        if isinstance(payload, LoadError):
            raise LoadError(f"{path}: {payload}")
        yield from payload


def sample_path() -> Path:
    return SAMPLE
