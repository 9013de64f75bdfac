"""claimtrack benchmarks: every figure of benchmarks/README.md from one command.

    python benchmarks/run.py --sizes 100000,1000000 --claims 10000000 --update-readme
    python benchmarks/run.py --size 1000 --claims 20000 --out /tmp/bench      # smoke size

For each input size N it generates (once, cached in --out) an arXiv metadata snapshot of N records
made of real abstract sentences (benchmarks/generate.py), then runs `tracker load FILE --db DB` as a
subprocess three times: a first load into an empty database (rate, peak resident memory of the
process tree), the same file again (no re-extraction, time ratio), and a copy with 1% of abstracts
changed (exactly those re-extracted, their claims replaced). In-process it measures extraction
alone on one core and quantulum3 on a sample of the same abstracts, and on a synthetic store of
--claims claims the leaderboard query and the data of the dashboard's leaderboard page.

The table (markdown) goes to stdout and --out/results.md, the raw figures to --out/results.json;
--update-readme puts the table into benchmarks/README.md between its result markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

GENERATOR_VERSION = 1  # bump when generate.py's output changes: cached inputs are then rebuilt
README = HERE / "README.md"
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"
SCALE_MARKS = ("<!-- scaling:start -->", "<!-- scaling:end -->")  # the --scale rows: a table of their own
MB = 1024 * 1024

TARGET_LOAD_RATE = 5_000  # abstracts/s, end to end
TARGET_EXTRACT_RATE = 3_000  # abstracts/s, one core
TARGET_RATIO = 150  # tracker / quantulum3
TARGET_CLI_RATIO = 75  # issue 12: `tracker extract FILE --jobs 1` (wall clock, process start included) / quantulum3
CLI_EXTRACT_RECORDS = 20_000
TARGET_RSS_MB = 1024
TARGET_RSS_GROWTH = 1.25  # "flat": at most +25% for 10x the input
TARGET_RELOAD_RATIO = 0.10
TARGET_QUERY_MS = 100
TARGET_DASHBOARD_S = 1.0
TARGET_PWC_S = 180  # tracker pwc import of an archive of the real size
TARGET_PWC_RSS_MB = 1536
SQL_STREAM_ROWS = 2_000_000  # `tracker sql -f csv` of this many rows (~230 MB of CSV)
TARGET_SQL_STREAM_RSS_MB = 300  # streamed: no process grows with the result
TARGET_SQL_OVERRUN_S = 2.0  # issue 16: a query ends within this of its --timeout, whatever it does
SQL_LIMIT_QUERY = "SELECT len(list(range(2e8::BIGINT)))"  # issue 16: 40 s at 14.3 GB before the SQL child


@dataclass
class Row:
    figure: str
    target: str
    measured: str
    ok: bool | None  # None: informational, no target
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def result(self) -> str:
        return "—" if self.ok is None else ("PASS" if self.ok else "FAIL")


def fmt_n(n: int | float) -> str:
    n = float(n)
    for div, suf in ((1e6, "M"), (1e3, "k")):
        if n >= div and n % div == 0:
            return f"{n / div:g}{suf}"
    return f"{n:,.0f}"


def _log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# --- running `tracker load` and watching its memory ---


CODE: Path = REPO  # where `tracker` and `extractors` are imported from (a frozen copy, see freeze_code)
PACKAGES = ("tracker", "extractors", "dashboard")


def freeze_code(out: Path) -> Path:
    """Copy tracker/ and extractors/ as they are now into --out/code and import them from there, here
    and in every `tracker load`: the runs of one benchmark must see the same code (in a working tree
    that others edit, an extractor or vocabulary change between two loads re-extracts everything)."""
    global CODE
    dst = out / "code"
    shutil.rmtree(dst, ignore_errors=True)
    for pkg in PACKAGES:
        shutil.copytree(REPO / pkg, dst / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    CODE = dst
    sys.path.insert(0, str(dst))
    return dst


def tracker_cmd() -> list[str]:
    """`tracker` as the user runs it; with frozen code, `python -m tracker` from the copy."""
    if CODE == REPO:
        exe = Path(sys.executable).parent / "tracker"
        return [str(exe)] if exe.exists() else [sys.executable, "-m", "tracker"]
    return [sys.executable, "-m", "tracker"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if CODE != REPO:
        env["PYTHONPATH"] = os.pathsep.join([str(CODE), *filter(None, [env.get("PYTHONPATH")])])
    return env


def code_version() -> str:
    """git commit of the working tree (+ whether it had uncommitted changes) and the extractor version."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", *PACKAGES],
                               capture_output=True, text=True).stdout.strip()  # fmt: skip
    except OSError:
        head, dirty = "?", ""
    import extractors
    import tracker

    where = {Path(m.__file__).parents[1] for m in (tracker, extractors)}
    if where != {CODE}:
        raise RuntimeError(f"imported tracker/extractors from {where}, expected {CODE}")
    EXTRACTOR_VERSION = extractors.EXTRACTOR_VERSION
    return f"commit {head or '?'}{' + uncommitted changes' if dirty else ''}, extractor {EXTRACTOR_VERSION}"


def _descendants(pid: int) -> list[int]:
    """pid and its descendants. Only each process's main thread is asked for its children (the
    loader forks its workers from there; DuckDB's threads fork nothing): cheap enough to poll."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return out


def _status_kb(pid: int, keys: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in keys:
                    out[k] = int(v.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


@dataclass
class LoadRun:
    cmd: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_tree_rss_mb: float  # sum of VmRSS over the process tree, sampled every `interval` s
    peak_proc_hwm_mb: float  # largest VmHWM (kernel's peak RSS) of any single process of the tree
    summary: dict[str, float] | None

    @property
    def papers(self) -> int:
        return int(self.summary["papers"]) if self.summary else 0

    def extracted(self) -> int | None:
        return None if not self.summary else int(self.summary["new"] + self.summary["changed"])


SUMMARY = re.compile(
    r"loaded (?P<papers>\d+) papers \((?P<new>\d+) new, (?P<changed>\d+) changed, (?P<unchanged>\d+) unchanged\), "
    r"(?P<claims>\d+) claims in (?P<seconds>[\d.]+) s"
)


def run_tracker_load(inp: Path, db: Path, *, jobs: int, extra: Sequence[str] = (), interval: float = 0.2) -> LoadRun:
    """`tracker load INP --db DB --jobs J -q` as a subprocess: wall time, exit status, output, peak memory."""
    return run_tracker(["load", str(inp), "--db", str(db), "--jobs", str(jobs), "-q", *extra], db, interval=interval)


def run_tracker(args: Sequence[str], db: Path, *, interval: float = 0.2) -> LoadRun:
    """`tracker ARGS...` as a subprocess (output beside `db`): wall time, exit status, output, peak memory."""
    cmd = [*tracker_cmd(), *args]
    out_f, err_f = db.with_suffix(".stdout"), db.with_suffix(".stderr")
    with open(out_f, "w") as so, open(err_f, "w") as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, stdin=subprocess.DEVNULL, env=_env(), cwd=CODE)
        peak_tree, hwm = 0, {}
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                seconds = time.perf_counter() - t0
                proc.returncode = os.waitstatus_to_exitcode(status)
                hwm[proc.pid] = max(hwm.get(proc.pid, 0), ru.ru_maxrss)  # KiB on Linux; includes reaped children
                break
            total = 0
            for p in _descendants(proc.pid):
                st = _status_kb(p, ("VmRSS", "VmHWM"))
                total += st.get("VmRSS", 0)
                hwm[p] = max(hwm.get(p, 0), st.get("VmHWM", 0))
            peak_tree = max(peak_tree, total)
            time.sleep(interval)
    stdout, stderr = out_f.read_text(), err_f.read_text()
    m = SUMMARY.search(stdout)
    summary = {k: float(v) for k, v in m.groupdict().items()} if m else None
    return LoadRun(cmd, seconds, proc.returncode, stdout, stderr, peak_tree / 1024, max(hwm.values(), default=0) / 1024, summary)


def _check(run: LoadRun, what: str) -> None:
    if run.returncode != 0 or run.summary is None:
        raise RuntimeError(
            f"{what}: `{' '.join(run.cmd)}` exited {run.returncode}\nstdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}"
        )


# --- inputs (generated once, cached in --out) ---


def _cached(path: Path, meta: dict[str, Any], make: Callable[[], Any]) -> Path:
    stamp = path.with_name(path.name + ".meta.json")
    want = {**meta, "generator_version": GENERATOR_VERSION}
    if path.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text()) == want:
                return path
        except ValueError:
            pass
    stamp.unlink(missing_ok=True)
    make()
    stamp.write_text(json.dumps(want))
    return path


def ensure_snapshot(out: Path, n: int, seed: int, corpus: generate.Corpus) -> Path:
    path = out / f"arxiv-snapshot-{n}-s{seed}.json"

    def make() -> None:
        _log(f"generating {path.name}")
        generate.write_snapshot(path, n, seed=seed, corpus=corpus)

    return _cached(path, {"n": n, "seed": seed}, make)


def ensure_changed(out: Path, snapshot: Path, fraction: float, seed: int, corpus: generate.Corpus) -> tuple[Path, list[str]]:
    path = out / f"{snapshot.stem}-changed{fraction:g}.json"

    def make() -> None:
        _log(f"generating {path.name}")
        generate.write_changed(snapshot, path, fraction=fraction, seed=seed + 1, corpus=corpus)

    _cached(path, {"src": snapshot.name, "fraction": fraction, "seed": seed}, make)
    ids = generate.changed_paths(path)[0].read_text().split()
    return path, ids


def ensure_claims_db(out: Path, m: int, seed: int) -> Path:
    path = out / f"claims-{m}-s{seed}.duckdb"

    def make() -> None:
        _log(f"generating {path.name} ({m} claims)")
        info = generate.write_claims_db(path, m, seed=seed)
        _log(f"  {info}")

    return _cached(path, {"m": m, "seed": seed}, make)


def _fresh_sql_db(out: Path) -> Path:
    """A small claimtrack store (the bundled sample) for the `sql` part when `query` is skipped: the
    queries it times generate their own rows."""
    db = out / "sql-sample.duckdb"
    if not db.exists():
        subprocess.run([*tracker_cmd(), "load", "--sample", "--db", str(db), "-q"], check=True, env=_env(), cwd=CODE)
    return db


def _fresh_db(path: Path) -> Path:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    return path


# --- the measurements, one small function each ---


def measure_pwc_import(out: Path, tables: int, rows: int, papers: int, seed: int, jobs: int) -> list[Row]:
    """`tracker pwc import` of a generated archive of the real dump's size (benchmarks/pwc_archive.py):
    end-to-end time and peak resident memory of the process tree, then the same files again."""
    import pwc_archive

    folder = out / f"pwc-{tables}-{rows}-{papers}-s{seed}"
    stamp = folder / "done.json"
    if not stamp.exists():
        _log(f"generating {folder.name} (evaluation tables and papers with abstracts)")
        made = pwc_archive.write_archive(folder, tables=tables, rows=rows, papers=papers, seed=seed)
        stamp.write_text(json.dumps({"rows": made["rows"], "generator_version": GENERATOR_VERSION}))
    files = [str(folder / "evaluation-tables.json.gz"), str(folder / "papers-with-abstracts.json.gz")]
    db = _fresh_db(out / "pwc-import.duckdb")
    _log(f"tracker pwc import {folder.name} (--jobs {jobs})")
    run = run_tracker(["pwc", "import", *files, "--db", str(db), "--jobs", str(jobs), "-q"], db)
    if run.returncode != 0:
        raise RuntimeError(f"pwc import: exited {run.returncode}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    lines = [ln for ln in run.stdout.splitlines() if ln.strip()]
    tables_line = next((ln for ln in lines if "tables," in ln), "")
    _log("  " + " | ".join(lines))
    again = run_tracker(["pwc", "import", *files, "--db", str(db), "--jobs", str(jobs), "-q"], db)
    what = f"{fmt_n(papers)} papers with abstracts, {tables_line.split(': ', 1)[-1].split(';')[0]}"
    return [
        Row(
            f"`tracker pwc import` end to end ({what}; --jobs {jobs})", f"< {TARGET_PWC_S / 60:g} min",
            f"{run.seconds:.1f} s", run.seconds < TARGET_PWC_S, {"seconds": run.seconds, "stdout": run.stdout},
        ),
        Row(
            "peak resident memory of the pwc import", f"< {TARGET_PWC_RSS_MB / 1024:g} GB",
            f"{run.peak_tree_rss_mb:,.0f} MB process tree (largest single process {run.peak_proc_hwm_mb:,.0f} MB)",
            run.peak_tree_rss_mb < TARGET_PWC_RSS_MB, {"tree_mb": run.peak_tree_rss_mb, "single_mb": run.peak_proc_hwm_mb},
        ),
        Row(
            "importing the same archive again", "no re-extraction, same rows", f"{again.seconds:.1f} s",
            again.returncode == 0 and "(0 new, 0 changed" in again.stdout, {"seconds": again.seconds, "stdout": again.stdout},
        ),
    ]  # fmt: skip


def measure_load(snapshot: Path, db: Path, n: int, jobs: int) -> tuple[Row, Row, LoadRun]:
    """First load into an empty database: end-to-end rate and peak resident memory."""
    _log(f"tracker load {snapshot.name} (first load, --jobs {jobs})")
    run = run_tracker_load(snapshot, _fresh_db(db), jobs=jobs)
    _check(run, "first load")
    rate = n / run.seconds
    s = run.summary or {}
    load = Row(
        f"`tracker load` end to end, {fmt_n(n)} records (--jobs {jobs})",
        f">= {TARGET_LOAD_RATE:,} abstracts/s",
        f"{rate:,.0f} abstracts/s ({run.seconds:.1f} s, {int(s.get('claims', 0)):,} claims)",
        rate >= TARGET_LOAD_RATE,
        {"n": n, "seconds": run.seconds, "rate": rate, "summary": s},
    )
    mem = Row(
        f"peak resident memory of the load, {fmt_n(n)} records",
        f"< {TARGET_RSS_MB / 1024:g} GB",
        f"{run.peak_tree_rss_mb:,.0f} MB process tree (largest single process {run.peak_proc_hwm_mb:,.0f} MB)",
        run.peak_tree_rss_mb < TARGET_RSS_MB,
        {"n": n, "tree_mb": run.peak_tree_rss_mb, "single_mb": run.peak_proc_hwm_mb},
    )
    return load, mem, run


def measure_reload(snapshot: Path, db: Path, n: int, jobs: int, first: LoadRun) -> Row:
    """The same snapshot again: nothing re-extracted, a small fraction of the first load's time."""
    _log(f"tracker load {snapshot.name} (again)")
    run = run_tracker_load(snapshot, db, jobs=jobs)
    _check(run, "reload")
    ratio = run.seconds / first.seconds
    extracted = run.extracted()
    return Row(
        f"loading the same {fmt_n(n)} snapshot again",
        f"no re-extraction; < {TARGET_RELOAD_RATIO:.0%} of first load",
        f"{extracted} re-extracted; {run.seconds:.1f} s = {ratio:.1%} of {first.seconds:.1f} s",
        extracted == 0 and ratio < TARGET_RELOAD_RATIO,
        {"n": n, "seconds": run.seconds, "ratio": ratio, "summary": run.summary, "peak_tree_mb": run.peak_tree_rss_mb},
    )


def _claims_by_paper(db: Path, ids: Sequence[str]) -> tuple[dict[str, list[str]], int, dict[str, str]]:
    """claim ids per paper for `ids`, the total claim count and the papers' content hashes."""
    import duckdb
    import pyarrow as pa

    con = duckdb.connect(str(db), read_only=True)
    try:
        con.register("_ids", pa.table({"paper_id": pa.array(list(ids), pa.string())}))
        per: dict[str, list[str]] = {i: [] for i in ids}
        for pid, cid in con.execute("SELECT paper_id, claim_id FROM claims WHERE paper_id IN (SELECT paper_id FROM _ids)").fetchall():
            per[pid].append(cid)
        total = con.execute("SELECT count(*) FROM claims").fetchone()[0]
        hashes = dict(con.execute("SELECT paper_id, content_hash FROM papers WHERE paper_id IN (SELECT paper_id FROM _ids)").fetchall())
    finally:
        con.close()
    return {k: sorted(v) for k, v in per.items()}, int(total), hashes


def expected_claim_ids(records: Path) -> dict[str, list[str]]:
    """What a fresh extraction of these papers gives, as the store's claim ids."""
    from extractors import extract_claims
    from tracker.readers import read_papers
    from tracker.store.store import claim_rows
    from tracker.vocab import load_vocab

    vocab = load_vocab()
    return {p.id: sorted(r[0] for r in claim_rows(extract_claims(p, vocab))) for p in read_papers(records)}


def measure_changed(snapshot: Path, changed: Path, ids: list[str], db: Path, n: int, jobs: int) -> Row:
    """A copy with 1% of abstracts changed: only those re-extracted, their claims replaced exactly."""
    before, total_before, hash_before = _claims_by_paper(db, ids)
    _log(f"tracker load {changed.name} ({len(ids)} abstracts changed)")
    run = run_tracker_load(changed, db, jobs=jobs)
    _check(run, "1%-changed load")
    after, total_after, hash_after = _claims_by_paper(db, ids)
    expected = expected_claim_ids(generate.changed_paths(changed)[1])
    exact = all(after.get(i) == expected.get(i) for i in ids)
    rehashed = all(hash_after.get(i) != hash_before.get(i) for i in ids)
    old_n = sum(map(len, before.values()))
    new_n = sum(map(len, after.values()))
    others_kept = total_after - new_n == total_before - old_n
    extracted = run.extracted()
    s = run.summary or {}
    ok = extracted == len(ids) and int(s.get("changed", -1)) == len(ids) and exact and rehashed and others_kept
    checks = (
        f"claims = fresh extraction: {'yes' if exact else 'NO'}, other papers' claims untouched: "
        f"{'yes' if others_kept else 'NO'}"
    )
    return Row(
        f"loading a {fmt_n(n)} snapshot with 1% of abstracts changed",
        "only those re-extracted; old claims replaced",
        f"{extracted} of {len(ids)} changed re-extracted ({run.seconds:.1f} s); {old_n}→{new_n} claims replaced; {checks}",
        ok,
        {"n": n, "changed": len(ids), "summary": s, "seconds": run.seconds, "old_claims": old_n, "new_claims": new_n,
         "exact": exact, "rehashed": rehashed, "others_kept": others_kept},
    )  # fmt: skip


def read_sample(snapshot: Path, k: int) -> list[Any]:
    from tracker.readers import read_papers

    out = []
    for p in read_papers(snapshot):
        out.append(p)
        if len(out) >= k:
            break
    return out


def measure_extraction(papers: list[Any]) -> Row:
    """extract_claims alone, in this process (one core), on papers already read."""
    from extractors import extract_claims
    from tracker.vocab import load_vocab

    vocab = load_vocab()
    extract_claims(papers[0], vocab)  # warm-up: lazy compiles and imports
    t0, c0 = time.perf_counter(), time.process_time()
    claims = sum(len(extract_claims(p, vocab)) for p in papers)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = len(papers) / seconds
    return Row(
        "extraction alone, one core",
        f">= {TARGET_EXTRACT_RATE:,} abstracts/s",
        f"{rate:,.0f} abstracts/s ({len(papers):,} abstracts, {claims:,} claims, {seconds:.2f} s; "
        f"{len(papers) / cpu:,.0f}/s of CPU time)",
        rate >= TARGET_EXTRACT_RATE,
        {"papers": len(papers), "claims": claims, "seconds": seconds, "rate": rate, "cpu_seconds": cpu},
    )


def _quiet_quantulum_warning() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="Classifier dependencies not installed")


def measure_quantulum(papers: list[Any], tracker_rate: float) -> tuple[Row, Row]:
    """quantulum3 on the first abstracts of the same sample, in the same run; and the speed ratio."""
    _quiet_quantulum_warning()
    try:
        from quantulum3 import parser as qparser
    except ImportError:
        na = "n/a: quantulum3 not installed (pip install -e '.[bench]')"
        return (Row("quantulum3 on the same abstracts, one core", "(reference)", na, None),
                Row("tracker extraction / quantulum3 speed", f">= {TARGET_RATIO}x", na, False))  # fmt: skip
    qparser.parse(papers[0].abstract)  # warm-up: loads its classifier
    t0, c0 = time.perf_counter(), time.process_time()
    quantities = sum(len(qparser.parse(p.abstract)) for p in papers)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = len(papers) / seconds
    ratio = tracker_rate / rate
    return (
        Row("quantulum3 on the same abstracts, one core", "(reference)",
            f"{rate:,.1f} abstracts/s ({len(papers)} abstracts, {quantities:,} quantities, {seconds:.1f} s)", None,
            {"papers": len(papers), "seconds": seconds, "rate": rate, "cpu_seconds": cpu}),
        Row("tracker extraction / quantulum3 speed", f">= {TARGET_RATIO}x", f"{ratio:,.0f}x", ratio >= TARGET_RATIO,
            {"ratio": ratio}),
    )  # fmt: skip


def measure_cli_extract_ratio(
    out: Path, seed: int, corpus: generate.Corpus, quantulum_sample: int, records: int = CLI_EXTRACT_RECORDS
) -> list[Row]:
    """Issue 12's measurement, exactly: `tracker extract FILE --jobs 1` of `records` (the issue: 20,000) generated snapshot records, wall
    clock with process start (a subprocess, output written to a file), against quantulum3's `parser.parse` on 300 of
    the same abstracts in this process; the ratio of the two rates (abstracts/s). The phrase-index cache is warm (a
    first run ever on a machine also builds it: +0.3-0.5 s, the "built" figure of `measure_vocab_load`)."""
    snap = ensure_snapshot(out, records, seed, corpus)
    dest = out / f"extract-{records}.jsonl"
    import resource

    _vocab_load(_env())  # the user's index cache warm, as for every run after the first (measure_vocab_load: both)
    r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run([*tracker_cmd(), "extract", str(snap), "--jobs", "1", "--output", str(dest)],
                          env=_env(), capture_output=True, text=True)  # fmt: skip
    wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)  # the process's CPU time: robust to a busy machine
    if proc.returncode != 0:
        raise RuntimeError(f"tracker extract failed: {proc.stderr[-2000:]}")
    claims = sum(1 for _ in dest.open(encoding="utf-8"))
    rate = records / wall
    cli = Row(f"`tracker extract` of {fmt_n(records)} records, --jobs 1, wall clock with process start", "(issue 12)",
              f"{rate:,.0f} abstracts/s ({wall:.2f} s, {claims:,} claims; {records / cpu:,.0f}/s of CPU time)", None,
              {"records": records, "seconds": wall, "rate": rate, "claims": claims, "cpu_seconds": cpu})  # fmt: skip
    papers = read_sample(snap, quantulum_sample)
    q, _ = measure_quantulum(papers, rate)
    if q.ok is None and "rate" not in q.details:
        return [cli, Row("`tracker extract --jobs 1` / quantulum3 speed", f">= {TARGET_CLI_RATIO}x", q.measured, False)]
    ratio = rate / q.details["rate"]
    cpu_ratio = (records / cpu) / (len(papers) / q.details["cpu_seconds"])
    return [cli, Row("`tracker extract --jobs 1` / quantulum3 speed (issue 12)", f">= {TARGET_CLI_RATIO}x",
                     f"{ratio:,.0f}x wall clock ({cpu_ratio:,.0f}x in CPU time)", ratio >= TARGET_CLI_RATIO,
                     {"ratio": ratio, "cpu_ratio": cpu_ratio, "quantulum_rate": q.details["rate"]})]  # fmt: skip


_VOCAB_LOAD = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
from tracker.vocab import load_vocab
from extractors.entities import lexicon_for
from extractors.claims import fine_task_index
lex = lexicon_for(load_vocab())
fine_task_index(lex)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def _vocab_load(env: dict[str, str]) -> dict[str, float]:
    """What one new process pays for the vocabulary and its phrase indexes (the best of 2: a busy machine only adds)."""
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", _VOCAB_LOAD], env=env, capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["cpu"])


def measure_vocab_load(out: Path) -> Row:
    """Issue 17: the vocabulary's cost per process, built from scratch (index cache off) and read from the on-disk
    index cache (extractors/index_cache.py; a private cache directory under --out, warmed first)."""
    cache = out / "index-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = _vocab_load({**_env(), "CLAIMTRACK_CACHE_DIR": "off"})
    warm_env = {**_env(), "CLAIMTRACK_CACHE_DIR": str(cache)}
    _vocab_load(warm_env)  # writes the cache
    warm = _vocab_load(warm_env)
    return Row("vocabulary load + phrase indexes, one new process (CPU, best of 2)", "(issue 17)",
               f"{warm['cpu']:.2f} s from the index cache; {cold['cpu']:.2f} s built (cache off)", None,
               {"warm": warm, "cold": cold})  # fmt: skip


def measure_vocab_cost(out: Path, seed: int, corpus: generate.Corpus, records: int) -> Row:
    """Issue 17: CPU of `tracker extract --jobs 1` of the same records with the full generated vocabulary against
    the curated vocabulary alone (CLAIMTRACK_GENERATED_VOCAB=0), both with the index cache warm."""
    snap = ensure_snapshot(out, records, seed, corpus)
    import resource

    cpu = {}
    for name, gen in (("curated", "0"), ("full", "1")):
        env = {**_env(), "CLAIMTRACK_GENERATED_VOCAB": gen}
        cmd = [*tracker_cmd(), "extract", str(snap), "--jobs", "1", "--output", str(out / f"extract-{records}-{name}.jsonl")]
        _vocab_load(env)  # warms the index cache of this vocabulary
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    extra = cpu["full"] / cpu["curated"] - 1
    return Row(f"CPU of `tracker extract --jobs 1` ({fmt_n(records)} records): full generated vocabulary vs curated alone",
               "<= +10% (issue 17)", f"{extra:+.0%} ({cpu['full']:.2f} s vs {cpu['curated']:.2f} s)", extra <= 0.10,
               {"cpu": cpu, "extra": extra})  # fmt: skip


# --- scaling on the distributed engine (--scale N) ---


def ensure_partitions(out: Path, snapshot: Path, n: int, parts: int) -> list[Path]:
    """The snapshot's N records split into `parts` JSON-lines files of consecutive records (what a
    partitioned dump looks like: OpenAlex ships hundreds of part_NNN.gz)."""
    d = out / f"partitions-{n}-p{parts}"

    def make() -> None:
        _log(f"splitting {snapshot.name} into {parts} partitions")
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        per = -(-n // parts)
        with open(snapshot, "rb") as src:
            for k in range(parts):
                with open(d / f"part_{k:03d}.jsonl", "wb") as dst:
                    for _ in range(per):
                        line = src.readline()
                        if not line:
                            break
                        dst.write(line)
        (d / ".done").write_text("")

    _cached(d / ".done", {"src": snapshot.name, "n": n, "parts": parts}, make)
    return sorted(d.glob("part_*.jsonl"))


def _run_measured(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree: the command, its cluster and workers)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _parquet_claims(d: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in sorted((d / "claims").glob("*.parquet")))


def measure_scaling(out: Path, parts: list[Path], n: int, worker_counts: Sequence[int]) -> list[Row]:
    """The same N records: `tracker extract --jobs 1` (single process), then `--engine dask` on a local
    cluster of 1, 2... workers. Wall time includes starting and stopping the cluster; core-seconds are
    the CPU time of the process tree (scheduler, nanny and worker processes included)."""
    rows: list[Row] = []
    single_out = out / "scale-single.jsonl"
    _log(f"single process: tracker extract --jobs 1 on {len(parts)} partitions, {n:,} records")
    wall, cpu = _run_measured([*tracker_cmd(), "extract", *map(str, parts), "--jobs", "1", "-o", str(single_out)])
    single_claims = sum(1 for _ in open(single_out, "rb"))
    single_rate = n / wall
    rows.append(Row(
        f"single process (`tracker extract --jobs 1`), {fmt_n(n)} records", "(reference)",
        f"{single_rate:,.0f} abstracts/s ({wall:.1f} s, {single_claims:,} claims); {cpu / n * 1e6:,.0f} core-s per 1M abstracts",
        None, {"seconds": wall, "cpu_seconds": cpu, "rate": single_rate, "claims": single_claims},
    ))  # fmt: skip
    base: float | None = None
    for w in worker_counts:
        d = out / f"scale-dask-w{w}"
        shutil.rmtree(d, ignore_errors=True)
        _log(f"dask local cluster, {w} worker(s): tracker extract --engine dask --workers {w}")
        wall, cpu = _run_measured([*tracker_cmd(), "extract", *map(str, parts), "--engine", "dask", "--workers", str(w), "-o", str(d)])
        manifest = json.loads((d / "_claimtrack.json").read_text())
        task_s = sum(p["seconds"] for p in manifest["partitions"])
        claims = _parquet_claims(d)
        rate = n / wall
        base = base or rate / w
        speedup = rate / base
        rows.append(Row(
            f"`--engine dask`, local cluster of {w} worker{'s' if w > 1 else ''}, {fmt_n(n)} records", "(scaling)",
            f"{rate:,.0f} abstracts/s ({wall:.1f} s wall incl. cluster start; {speedup:.2f}x 1 worker, "
            f"{speedup / w:.0%} efficiency); {cpu / n * 1e6:,.0f} core-s per 1M abstracts "
            f"({task_s / n * 1e6:,.0f} s of tasks); claims = single process: {'yes' if claims == single_claims else 'NO'}",
            None if claims == single_claims else False,
            {"workers": w, "seconds": wall, "cpu_seconds": cpu, "task_seconds": task_s, "rate": rate, "speedup": speedup,
             "claims": claims},
        ))  # fmt: skip
    return rows


def measure_number_floor(papers: list[Any], tracker_rate: float, tracker_cpu_rate: float | None = None) -> Row:
    """The floor of any extractor: one regex pass for numbers over the same abstracts, and extraction's
    multiple of it (how much of the extractor's time is more than finding the numbers). Both in wall
    clock and in CPU time (the CPU ratio is the one to trust on a machine shared with other jobs)."""
    import re as _re

    number = _re.compile(r"[-+]?\d+(?:[.,]\d+)*")
    t0, c0 = time.perf_counter(), time.process_time()
    found = sum(len(number.findall(p.abstract)) for p in papers)
    seconds, cpu = time.perf_counter() - t0, max(time.process_time() - c0, 1e-9)
    rate, cpu_rate = len(papers) / seconds, len(papers) / cpu
    cpu_multiple = cpu_rate / tracker_cpu_rate if tracker_cpu_rate else None
    return Row(
        "floor: one regex pass for numbers, one core", "(reference)",
        f"{rate:,.0f} abstracts/s ({found:,} numbers in {len(papers):,} abstracts, {seconds * 1e3:.0f} ms; {cpu_rate:,.0f}/s of CPU time); "
        f"extraction is {rate / tracker_rate:,.0f}x slower" + (f" ({cpu_multiple:,.0f}x in CPU time)" if cpu_multiple else ""),
        None, {"rate": rate, "cpu_rate": cpu_rate, "numbers": found, "multiple": rate / tracker_rate, "cpu_multiple": cpu_multiple},
    )  # fmt: skip


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    r = fn()
    return time.perf_counter() - t0, r


def pick_board(db: Path) -> dict[str, Any]:
    """The largest leaderboard (most models) of the store: the worst case for one board's queries."""
    from tracker.store import connect_readonly
    from tracker.store import queries as q

    con = connect_readonly(db)
    try:
        idx = q.leaderboard_index(con)
        top, mid = idx.iloc[0], idx.iloc[len(idx) // 2]
        counts = q.overview_counts(con)
    finally:
        con.close()
    return {"task": top["task"], "dataset": top["dataset"], "metric": top["metric"], "models": int(top["models"]),
            "board_claims": int(top["claims"]), "boards": len(idx), "counts": counts,
            "typical": {"task": mid["task"], "dataset": mid["dataset"], "metric": mid["metric"],
                        "models": int(mid["models"]), "board_claims": int(mid["claims"])}}  # fmt: skip


def measure_leaderboard_query(db: Path, m: int, board: dict[str, Any], repeats: int) -> Row:
    """queries.leaderboard for one (task, dataset, metric): median of `repeats` after one warm-up."""
    from tracker.store import connect_readonly
    from tracker.store import queries as q

    con = connect_readonly(db)
    try:
        kw = {"dataset": board["dataset"], "metric": board["metric"], "task": board["task"]}
        first, df = _timed(lambda: q.leaderboard(con, **kw))
        times = [_timed(lambda: q.leaderboard(con, **kw))[0] for _ in range(repeats)]
        typ = board["typical"]
        kw2 = {"dataset": typ["dataset"], "metric": typ["metric"], "task": typ["task"]}
        q.leaderboard(con, **kw2)
        times2 = [_timed(lambda: q.leaderboard(con, **kw2))[0] for _ in range(repeats)]
    finally:
        con.close()
    med, med2 = statistics.median(times) * 1000, statistics.median(times2) * 1000
    return Row(
        f"leaderboard query (one task/dataset/metric), {fmt_n(m)} claims",
        f"< {TARGET_QUERY_MS} ms median",
        f"{med:,.0f} ms median of {repeats} on the largest board ({board['dataset']} / {board['metric']}: "
        f"{len(df):,} models, {board['board_claims']:,} claims; first {first * 1000:,.0f} ms); "
        f"{med2:,.0f} ms on a median-size board ({typ['dataset']} / {typ['metric']}: {typ['models']} models)",
        med < TARGET_QUERY_MS,
        {"median_ms": med, "first_ms": first * 1000, "times_ms": [t * 1000 for t in times], "rows": len(df),
         "typical_median_ms": med2, "board": board},
    )  # fmt: skip


def measure_dashboard(db: Path, m: int, board: dict[str, Any], repeats: int) -> Row:
    """What the Leaderboards page queries on a first visit, with the page's own limits: open the store,
    leaderboard_index, then the default view (All tasks) of the largest board: its first TABLE_ROWS rows
    and its size (the CSV is built only on click). The State-of-the-art page of the same board
    (sota_over_time, MAX_POINTS) is timed in the same pass. First visit on a new connection is the figure
    (the pages cache afterwards); the median of repeats is shown too."""
    from dashboard.views.leaderboards import TABLE_ROWS
    from dashboard.views.sota import MAX_POINTS
    from tracker.store import connect_readonly
    from tracker.store import queries as q

    def page(con: Any) -> tuple[float, dict[str, float]]:
        parts: dict[str, float] = {}
        t0 = time.perf_counter()
        parts["leaderboard_index"], _ = _timed(lambda: q.leaderboard_index(con))
        kw = {"dataset": board["dataset"], "metric": board["metric"], "task": None}
        parts[f"leaderboard top {TABLE_ROWS:,}"], _ = _timed(lambda: q.leaderboard(con, **kw, limit=TABLE_ROWS))
        parts["leaderboard_size"], _ = _timed(lambda: q.leaderboard_size(con, **kw))
        total = time.perf_counter() - t0
        parts[f"sota page: sota_over_time max {MAX_POINTS:,} points"], _ = _timed(
            lambda: q.sota_over_time(con, dataset=board["dataset"], metric=board["metric"], max_points=MAX_POINTS)
        )
        return total, parts

    t0 = time.perf_counter()
    con = connect_readonly(db)
    connect_s = time.perf_counter() - t0
    try:
        first, first_parts = page(con)
        first += connect_s
        times = [page(con)[0] for _ in range(repeats)]
    finally:
        con.close()
    med = statistics.median(times)
    parts = ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in first_parts.items())
    return Row(
        f"dashboard leaderboard page data, {fmt_n(m)} claims",
        f"< {TARGET_DASHBOARD_S:g} s",
        f"{first:.2f} s first visit ({parts}); {med:.2f} s median of {repeats} repeats",
        first < TARGET_DASHBOARD_S,
        {"first_s": first, "connect_s": connect_s, "parts_s": first_parts, "median_s": med},
    )


def measure_sql_limits(db: Path) -> list[Row]:
    """`tracker sql` (read-only: the SQL child) on the claims store: a large result streamed to a CSV file
    (peak resident memory of the process tree, which must not grow with the result), and the issue's
    query under `--timeout 2` with the default 1GB memory limit (how long past the timeout it ends, and
    its peak)."""
    rows: list[Row] = []
    out = db.with_name("sql-stream.csv")
    sql = f"SELECT i, repeat('y', 100) || i AS s FROM range({SQL_STREAM_ROWS}) t(i)"
    run = run_tracker(["sql", sql, "--db", str(db), "-f", "csv", "-o", str(out), "--max-rows", str(SQL_STREAM_ROWS + 1),
                       "--timeout", "600"], db.with_name("sql-stream.duckdb"))  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"`{' '.join(run.cmd)}` exited {run.returncode}: {run.stderr[-2000:]}")
    size_mb = out.stat().st_size / MB
    out.unlink()
    peak = max(run.peak_tree_rss_mb, run.peak_proc_hwm_mb)
    rows.append(Row(
        f"`tracker sql -f csv` of {fmt_n(SQL_STREAM_ROWS)} rows ({size_mb:,.0f} MB), peak memory",
        f"< {TARGET_SQL_STREAM_RSS_MB} MB", f"{peak:,.0f} MB in {run.seconds:.1f} s", peak < TARGET_SQL_STREAM_RSS_MB,
        {"tree_mb": run.peak_tree_rss_mb, "hwm_mb": run.peak_proc_hwm_mb, "seconds": run.seconds, "csv_mb": size_mb},
    ))  # fmt: skip
    base = run_tracker(["sql", "SELECT 1", "--db", str(db)], db.with_name("sql-base.duckdb"))  # start-up of both processes
    run = run_tracker(["sql", SQL_LIMIT_QUERY, "--db", str(db), "--timeout", "2"], db.with_name("sql-limit.duckdb"))
    peak = max(run.peak_tree_rss_mb, run.peak_proc_hwm_mb)
    overrun = run.seconds - base.seconds - 2
    ended = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
    rows.append(Row(
        f"`tracker sql \"{SQL_LIMIT_QUERY}\" --timeout 2`", f"ends < {TARGET_SQL_OVERRUN_S:g} s past the timeout, < 1.5 GB",
        f"{run.seconds:.1f} s ({base.seconds:.1f} s for `SELECT 1`), {peak:,.0f} MB: {ended[:70]}",
        run.returncode == 1 and overrun < TARGET_SQL_OVERRUN_S and peak < 1536,
        {"seconds": run.seconds, "select_1_seconds": base.seconds, "peak_mb": peak, "message": ended},
    ))  # fmt: skip
    return rows


def rss_growth_row(mems: list[Row]) -> Row:
    small, big = mems[0].details, mems[-1].details
    g = big["tree_mb"] / small["tree_mb"] if small["tree_mb"] else float("inf")
    return Row(
        f"peak memory growth, {fmt_n(small['n'])} → {fmt_n(big['n'])} records",
        f"flat (<= {TARGET_RSS_GROWTH:g}x)",
        f"{small['tree_mb']:,.0f} MB → {big['tree_mb']:,.0f} MB ({g:.2f}x)",
        g <= TARGET_RSS_GROWTH,
        {"growth": g},
    )


# --- profiles (optional) ---


def profile_load(snapshot: Path, out: Path, jobs: int) -> list[Path]:
    """pyinstrument profiles of an in-process load (jobs=1: everything in one process; and --jobs:
    the main process) and of extraction alone. Written as text to --out."""
    from pyinstrument import Profiler

    from tracker import pipeline

    written = []
    for j in sorted({1, jobs}):
        db = _fresh_db(out / f"profile-load-j{j}.duckdb")
        prof = Profiler(interval=0.002)
        prof.start()
        pipeline.load([snapshot], db, jobs=j, progress=False)
        prof.stop()
        path = out / f"profile-load-j{j}.txt"
        path.write_text(prof.output_text(unicode=True, color=False, show_all=False))
        written.append(path)
    return written


# --- output ---


def table(rows: list[Row]) -> str:
    lines = ["| figure | target | measured | result |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.target} | {r.measured.replace('|', '/')} | {r.result} |" for r in rows]
    return "\n".join(lines)


def machine_notes(jobs: int) -> str:
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), platform.processor())
    except OSError:
        cpu = platform.processor()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        mem = 0.0
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    import duckdb

    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, --jobs {jobs}; load average at the end of the run {load1:.2f}"
    )


def update_readme(md: str, readme: Path = README, marks: tuple[str, str] = (MARK_START, MARK_END)) -> None:
    start, end = marks
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in text or end not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{md}\n{end}{tail}", encoding="utf-8")


# --- main ---


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="records in the snapshot (default 100000)")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x],
                    help="several sizes, e.g. 100000,1000000 (overrides --size)")  # fmt: skip
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs of `tracker load` (default: cores)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="inputs, databases and results (cached)")
    ap.add_argument("--claims", type=int, default=10_000_000, help="claims in the query-benchmark store (default 10M)")
    ap.add_argument("--extract-sample", type=int, default=5_000, help="abstracts for extraction alone")
    ap.add_argument("--cli-extract-records", type=int, default=CLI_EXTRACT_RECORDS,
                    help="records of issue 12's `tracker extract --jobs 1` measurement (20,000 is the issue's figure)")  # fmt: skip
    ap.add_argument("--quantulum-sample", type=int, default=300, help="of those, abstracts through quantulum3")
    ap.add_argument("--repeats", type=int, default=20, help="query repetitions (median)")
    ap.add_argument("--changed-fraction", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="also write pyinstrument profiles of the load to --out")
    ap.add_argument("--profile-size", type=int, default=20_000, help="records of the profiled in-process load")
    ap.add_argument("--scale", type=int, default=0,
                    help="records for the distributed-engine scaling rows (e.g. 200000; default 0: not run)")
    ap.add_argument("--scale-partitions", type=int, default=8, help="input partitions of the scaling run")
    ap.add_argument("--scale-workers", type=lambda s: [int(x) for x in s.split(",") if x], default=[1, 2],
                    help="local-cluster worker counts, comma list (default 1,2)")
    ap.add_argument("--update-readme", action="store_true", help="write the table into benchmarks/README.md")
    ap.add_argument("--no-freeze", action="store_true", help="import the working tree directly (default: a frozen copy)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: load,extract,query,sql")
    ap.add_argument("--pwc", action="store_true", help="also time `tracker pwc import` of a generated archive")
    ap.add_argument("--pwc-size", default="9000,100000,576000",
                    help="task x dataset tables, result rows, papers with abstracts of that archive")  # fmt: skip
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = args.sizes or [args.size]
    skip = set(filter(None, args.skip.split(",")))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.no_freeze:
        sys.path.insert(0, str(REPO))
    else:
        freeze_code(out)
    started = datetime.now(timezone.utc)
    version = code_version()
    t_start = time.perf_counter()
    corpus = generate.load_corpus()
    rows: list[Row] = []
    mems: list[Row] = []

    if "extract" not in skip:
        snap = ensure_snapshot(out, sizes[0], args.seed, corpus)
        papers = read_sample(snap, args.extract_sample)
        _log(f"extraction alone on {len(papers)} abstracts")
        ex = measure_extraction(papers)
        rows.append(ex)
        _log(f"quantulum3 on {min(len(papers), args.quantulum_sample)} abstracts")
        rows += measure_quantulum(papers[: args.quantulum_sample], ex.details["rate"])
        rows.append(measure_number_floor(papers, ex.details["rate"], ex.details["papers"] / ex.details["cpu_seconds"]))
        _log(f"tracker extract --jobs 1 of {args.cli_extract_records} records (issue 12)")
        rows += measure_cli_extract_ratio(out, args.seed, corpus, args.quantulum_sample, args.cli_extract_records)
        _log("vocabulary cost per process (issue 17)")
        rows.append(measure_vocab_load(out))
        rows.append(measure_vocab_cost(out, args.seed, corpus, args.cli_extract_records))

    if "load" not in skip:
        for n in sizes:
            snap = ensure_snapshot(out, n, args.seed, corpus)
            db = out / f"load-{n}.duckdb"
            load, mem, first = measure_load(snap, db, n, args.jobs)
            rows.insert(len([r for r in rows if r.figure.startswith("`tracker load`")]), load)
            mems.append(mem)
            rows.append(measure_reload(snap, db, n, args.jobs, first))
            changed, ids = ensure_changed(out, snap, args.changed_fraction, args.seed, corpus)
            rows.append(measure_changed(snap, changed, ids, db, n, args.jobs))
        rows += mems
        if len(mems) > 1:
            rows.append(rss_growth_row(mems))

    if "query" not in skip:
        cdb = ensure_claims_db(out, args.claims, args.seed)
        board = pick_board(cdb)
        _log(f"queries on {cdb.name}: largest board {board['task']}/{board['dataset']}/{board['metric']} ({board['models']} models)")
        rows.append(measure_leaderboard_query(cdb, args.claims, board, args.repeats))
        rows.append(measure_dashboard(cdb, args.claims, board, max(3, args.repeats // 4)))

    if "sql" not in skip:
        sdb = ensure_claims_db(out, args.claims, args.seed) if "query" not in skip else _fresh_sql_db(out)
        _log(f"tracker sql limits on {sdb.name}")
        rows += measure_sql_limits(sdb)

    if args.pwc:
        tables, result_rows, papers = (int(x) for x in args.pwc_size.split(","))
        rows += measure_pwc_import(out, tables, result_rows, papers, args.seed, args.jobs)

    if args.scale:
        ssnap = ensure_snapshot(out, args.scale, args.seed, corpus)
        parts = ensure_partitions(out, ssnap, args.scale, args.scale_partitions)
        scale_rows = measure_scaling(out, parts, args.scale, args.scale_workers)
    else:
        scale_rows = []

    profiles: list[Path] = []
    if args.profile:
        psnap = ensure_snapshot(out, args.profile_size, args.seed, corpus)
        _log(f"profiling an in-process load of {args.profile_size} records")
        profiles = profile_load(psnap, out, args.jobs)

    cmd = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    footer = [
        f"Command: `{cmd.strip()}`  ",
        f"Run: {started:%Y-%m-%d %H:%M} UTC, {time.perf_counter() - t_start:,.0f} s in all.  ",
        f"Code: {version}.  ",
        f"Machine: {machine_notes(args.jobs)}.",
    ]
    tables = [(rows, (MARK_START, MARK_END)), (scale_rows, SCALE_MARKS)]
    mds = {marks: "\n".join([table(rs), "", *footer]) for rs, marks in tables if rs}
    md = "\n\n".join(mds.values())
    print(md)
    (out / "results.md").write_text(md + "\n")
    (out / "results.json").write_text(json.dumps(
        {"command": cmd, "started": started.isoformat(), "machine": machine_notes(args.jobs), "code": version,
         "rows": [asdict(r) | {"result": r.result} for r in [*rows, *scale_rows]], "profiles": [str(p) for p in profiles]},
        indent=2, default=str))  # fmt: skip
    if args.update_readme:
        for marks, text in mds.items():
            update_readme(text, marks=marks)
        _log(f"tables written to {README}")
    rows = [*rows, *scale_rows]
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
