"""`tracker pwc import`: the archive's files into the database, in one transaction.

    import_archive(["evaluation-tables.json.gz", "papers-with-abstracts.json.gz", "datasets.json.gz"], db)

Each file's kind is recognised from its first item (tracker.readers.pwc.detect_kind), whatever its name,
and the files are read in the order the mapping needs: datasets.json and methods.json (aliases), then
papers-with-abstracts.json (loaded exactly as `tracker load` loads papers: staged batches, extraction on
every core, unchanged papers skipped), then the evaluation tables, whose results are parsed
(tracker.pwc.values), mapped onto the vocabulary (tracker.pwc.names) and staged. Publishing moves all
of it into the visible tables in ONE transaction (Store.publish with the archive's writes as `then`):
a bad record anywhere leaves the database as it was, and importing the same files again writes the
same rows (claim ids are digests of what identifies a result, not of its position in the file).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tracker import pipeline
from tracker.pwc.names import NameMapper, unit_hint
from tracker.pwc.values import parse_value
from tracker.readers import pwc as reader
from tracker.readers.common import ReaderError, slug_id
from tracker.store import pwc_store
from tracker.store.store import Store, fingerprint, value_si
from tracker.vocab import load_vocab

STAGE_BATCH = 20_000  # results per staged Arrow batch
ORDER = {"datasets": 0, "methods": 1, "papers": 2, "evaluation_tables": 3}


@dataclass
class TablesResult:
    """What one evaluation-tables file held."""

    path: Path
    tables: int = 0  # task x (sub)dataset tables with at least one result
    rows: int = 0
    results: int = 0
    numbers: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    unmapped_metrics: set[str] = field(default_factory=set)

    def line(self) -> str:
        bad = self.results - self.numbers
        why = ", ".join(f"{n} {p}" for p, n in self.problems.most_common())
        return (
            f"{self.path}: {self.tables} tables, {self.rows} rows, {self.results} results: {self.numbers} numbers, "
            f"{bad} not numbers" + (f" ({why})" if why else "")
            + f"; {len(self.unmapped_metrics)} metric names not in the vocabulary (tracker pwc unmapped)"
        )


@dataclass
class ImportResult:
    papers: list[pipeline.FileResult] = field(default_factory=list)
    tables: list[TablesResult] = field(default_factory=list)
    aliases: dict[Path, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"{p}: {n} aliases" for p, n in self.aliases.items()]
        out += [fr.line() for fr in self.papers]
        out += [t.line() for t in self.tables]
        if self.tables:
            m = self.matched
            out.append(
                f"archived results matched to papers: {m.get('arxiv_id', 0)} by arXiv id, {m.get('url', 0)} by URL, "
                f"{m.get('title', 0)} by title, {m.get('archive_only', 0)} to archive-only papers "
                f"({m.get('new_archive_only', 0)} new)"
            )
        out.append(f"imported in {self.seconds:.1f} s")
        return out


def source_name(path: Path) -> str:
    """A file's identity in the database: its name without .gz (a newer dump of the same name replaces it)."""
    name = Path(path).name
    return name[:-3] if name.endswith(".gz") else name


def _kinds(files: Sequence[Path]) -> list[tuple[Path, str]]:
    out = []
    for p in files:
        try:
            out.append((p, reader.detect_kind(p)))
        except ReaderError as e:
            raise pipeline.LoadError(str(e)) from None
    return sorted(out, key=lambda pk: ORDER[pk[1]])


def import_archive(
    inputs: Sequence[str | Path],
    db: str | Path,
    *,
    vocab_paths: Sequence[str | Path] = (),
    jobs: int | None = None,
    batch_size: int = pipeline.BATCH_SIZE,
    progress: bool = True,
    min_parallel: int = pipeline.MIN_PARALLEL,
) -> ImportResult:
    """Import the archive's files into `db` (one transaction); LoadError on any bad record."""
    t0 = time.perf_counter()
    vocab = load_vocab(*vocab_paths)
    files = _kinds(pipeline.expand_inputs(inputs))
    result = ImportResult()
    bar = pipeline.Progress(progress)
    version, vhash = pipeline.extractor_version(), fingerprint(vocab)
    alias_sources = [source_name(p) for p, k in files if k in ("datasets", "methods")]
    result_sources = [source_name(p) for p, k in files if k == "evaluation_tables"]
    with Store(db) as store, pipeline.Extractor(vocab, jobs=jobs, mode="rows", min_parallel=min_parallel) as ex:
        try:
            if pipeline.LOAD_MEMORY_LIMIT:
                store.set_memory_limit(pipeline.LOAD_MEMORY_LIMIT)
            store.begin_staging()
            pwc_store.begin(store.con)
            aliases = [reader.Alias(*a) for a in pwc_store.known_aliases(store.con, alias_sources)]
            fingerprints: list[tuple[Any, ...]] = []
            mapper: NameMapper | None = None
            try:
                for path, kind in files:
                    if kind in ("datasets", "methods"):
                        result.aliases[path] = _stage_aliases(store, path, kind, aliases)
                    elif kind == "papers":
                        fr = _load_papers(store, path, ex, bar, batch_size, version, vhash, result.papers)
                        result.papers.append(fr[0])
                        if fr[1] is not None:
                            fingerprints.append(fr[1])
                    else:
                        mapper = mapper or NameMapper(vocab, aliases)
                        result.tables.append(_stage_tables(store, path, mapper))
                ex.close()

                def write_archive() -> None:
                    result.matched = pwc_store.publish(
                        store, result_sources=result_sources, alias_sources=alias_sources,
                        extractor_version=version, vocab_hash=vhash,
                    )  # fmt: skip

                store.publish(vocab, fingerprints, retry_memory=pipeline.PUBLISH_RETRY_MEMORY, then=write_archive)
            except BaseException:
                with contextlib.suppress(Exception):
                    store.discard_staging()
                raise
            finally:
                with contextlib.suppress(Exception):
                    pwc_store.discard(store.con)
        finally:
            bar.stop()
    result.seconds = time.perf_counter() - t0
    return result


def _stage_aliases(store: Store, path: Path, kind: str, into: list[reader.Alias]) -> int:
    rows = []
    try:
        for a in reader.read_aliases(path, kind):
            into.append(a)
            rows.append((a.kind, a.alias, a.name, a.task, source_name(path)))
    except ReaderError as e:
        raise pipeline.LoadError(str(e)) from None
    pwc_store.stage_aliases(store.con, rows)
    return len(rows)


def _load_papers(
    store: Store, path: Path, ex: pipeline.Extractor, bar: pipeline.Progress, batch_size: int, version: str,
    vhash: str, earlier: list[pipeline.FileResult],
) -> tuple[pipeline.FileResult, tuple[Any, ...] | None]:
    """papers-with-abstracts.json as `tracker load --input-format pwc_papers` loads it (same fast path for
    a file already loaded byte for byte)."""
    t1 = time.perf_counter()
    digest, size = pipeline.file_digest(path)
    n = store.file_loaded((digest, size, reader.SOURCE, version, vhash))
    if n is not None:
        return pipeline.FileResult(path, papers=n, unchanged=n, seconds=time.perf_counter() - t1), None
    fr = pipeline._load_file(  # noqa: SLF001  (the loader's per-file step, shared on purpose)
        store, path, vocab=ex.vocab, extractor=ex, reextract=False, batch_size=batch_size, progress=bar,
        fmt=reader.SOURCE, staged_before=any(f.new or f.changed for f in earlier),
    )  # fmt: skip
    return fr, (digest, size, str(path), reader.SOURCE, version, vhash, fr.papers)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _stub(r: reader.Result) -> tuple[str, str]:
    """(paper id, title) of the archive-only paper a result belongs to when no loaded paper matches."""
    aid = reader.arxiv_id_of(r.paper_url)
    title = r.paper_title or r.paper_url or "(no paper)"
    pid = aid or reader.pwc_slug_of(r.paper_url)
    if pid is None:
        pid = slug_id(r.paper_title) if r.paper_title else ("url-" + _digest(r.paper_url) if r.paper_url else "pwc-no-paper")
    return pid, title


def _stage_tables(store: Store, path: Path, mapper: NameMapper) -> TablesResult:
    res = TablesResult(path)
    source = source_name(path)
    cols: dict[str, list[Any]] = {f.name: [] for f in pwc_store.STAGE_SCHEMA}
    seen: Counter[str] = Counter()
    tables: set[tuple[str, str, str | None]] = set()
    last_record = None
    # The same few thousand names recur in 100k+ results: each is mapped once.
    datasets = functools.lru_cache(maxsize=None)(mapper.dataset)
    tasks = functools.lru_cache(maxsize=None)(mapper.task)

    @functools.lru_cache(maxsize=None)
    def names(metric_name: str) -> tuple[str, str | None, bool]:
        metric = mapper.metric(metric_name)
        return metric, unit_hint(metric_name), mapper.higher_is_better(metric, metric_name)

    def flush() -> None:
        if cols["claim_id"]:
            pwc_store.stage_results(store.con, cols)
            for v in cols.values():
                v.clear()

    try:
        for r in reader.read_results(path):
            res.results += 1
            if r.record != last_record:
                res.rows += 1
                last_record = r.record
            tables.add((r.task, r.dataset, r.subdataset))
            parsed = parse_value(r.raw)
            metric, hint, higher = names(r.metric)
            if parsed.value is not None and parsed.unit is None and hint is not None:
                parsed = replace(parsed, unit=hint)
            if metric.startswith("other:"):
                res.unmapped_metrics.add(metric)
            if parsed.value is not None:
                res.numbers += 1
            else:
                res.problems[parsed.problem or "not a number"] += 1
            ident = _digest(source, r.task, r.dataset, r.subdataset, r.model, r.paper_url or r.paper_title, r.metric)
            seen[ident] += 1
            claim_id = f"pwc-{ident}" if seen[ident] == 1 else f"pwc-{ident}-{seen[ident]}"
            conditions = "; ".join(
                c for c in ("uses additional data" if r.uses_additional_data else None, parsed.spread) if c
            )
            stub_id, stub_title = _stub(r)
            row = {
                "claim_id": claim_id, "source": source, "record": r.record, "pwc_task": r.task,
                "pwc_dataset": r.dataset if r.subdataset is None else f"{r.dataset} / {r.subdataset}",
                "pwc_metric": r.metric, "model": r.model, "paper_title": r.paper_title, "paper_url": r.paper_url,
                "paper_date": r.paper_date, "value_text": r.raw if isinstance(r.raw, str) else (None if r.raw is None else repr(r.raw)),
                "number_text": parsed.number, "value": parsed.value,
                "value_si": None if parsed.value is None else value_si(parsed.value, parsed.unit),
                "unit": parsed.unit, "spread": parsed.spread, "problem": parsed.problem, "metric": metric,
                "dataset": datasets(r.dataset, r.subdataset), "task": tasks(r.task),
                "uses_additional_data": r.uses_additional_data, "conditions": conditions or None,
                "arxiv_id": reader.arxiv_id_of(r.paper_url), "slug": reader.pwc_slug_of(r.paper_url),
                "stub_id": stub_id, "stub_title": stub_title,
                "higher_is_better": higher,
            }  # fmt: skip
            for k, v in row.items():
                cols[k].append(v)
            if len(cols["claim_id"]) >= STAGE_BATCH:
                flush()
        flush()
    except ReaderError as e:
        raise pipeline.LoadError(str(e)) from None
    res.tables = len(tables)
    if res.results == 0:
        raise pipeline.LoadError(f"{path}: file: no results in any table")
    return res
