"""Benchmark inputs: arXiv metadata snapshots made of real abstract sentences, and synthetic claim stores.

    python benchmarks/generate.py snapshot 100000 out/arxiv-snapshot-100000.json [--seed 0]
    python benchmarks/generate.py changed out/arxiv-snapshot-100000.json out/changed.json [--fraction 0.01]
    python benchmarks/generate.py claims 10000000 out/claims-10000000.duckdb [--seed 0]

`snapshot` writes N records in the format of arXiv's metadata snapshot (one JSON object per line:
id, submitter, authors, title, comments, journal-ref, doi, report-no, categories, license, abstract,
versions, update_date, authors_parsed). Each abstract draws 6-10 sentences from the real abstracts
bundled with the tracker (tracker/sample/daily_papers_transformers.txt, plus
shared/data/dev_abstracts.jsonl when that directory is there), so length and number density are
those of real ML abstracts. Ids are unique, output is streamed (a `.gz` name writes gzip), and the
same seed gives the same bytes.

`changed` copies a snapshot with a fraction of abstracts changed (one sentence replaced); the copied
lines are byte-identical, so only the changed papers have a new content hash. Beside the copy it
writes DST.changed_ids (one id a line) and DST.changed.json (the changed records alone, a valid
snapshot) so a benchmark can check exactly those papers.

`claims` fills a DuckDB claimtrack store with M synthetic claims through the Store's Arrow path
(`Store.write_batch`), for the query benchmarks: by default ~M/10 papers, ~50k models, ~200 datasets,
~60 metrics, with Zipf-like popularity (a few benchmarks and models hold most claims, as in reality).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tracker" / "sample" / "daily_papers_transformers.txt"


def shared_dir() -> Path:
    """shared/ beside the repository (or $CLAIMTRACK_SHARED); it may be absent."""
    return Path(os.environ.get("CLAIMTRACK_SHARED", REPO.parent / "shared"))


# --- the corpus of real sentences ---

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[0-9\"'])")
_WS = re.compile(r"\s+")
_META = re.compile(r"^(?:•|·|\d+ authors?|[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?)\s*")


def parse_daily_text(text: str) -> list[tuple[str, str]]:
    """(title, abstract) pairs from the HF daily-papers page dump: an abstract is a long paragraph,
    its title the short paragraph just before it. Simple on purpose; page chrome is skipped."""
    paras = [_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
    out: list[tuple[str, str]] = []
    for i, p in enumerate(paras):
        if len(p) < 200 or i == 0:
            continue
        title = paras[i - 1]
        if 10 <= len(title) <= 250 and not _META.match(title) and len(title) < len(p):
            out.append((title, p))
    return out


def split_sentences(abstract: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(_WS.sub(" ", abstract).strip()) if len(s.strip()) >= 3]


@dataclass
class Corpus:
    titles: list[str]
    sentences: list[str]
    abstracts: int

    @property
    def numeric_share(self) -> float:
        return sum(any(ch.isdigit() for ch in s) for s in self.sentences) / max(1, len(self.sentences))


def load_corpus(sample: Path = SAMPLE, shared: Path | None = None) -> Corpus:
    pairs = parse_daily_text(sample.read_text(encoding="utf-8"))
    dev = (shared if shared is not None else shared_dir()) / "data" / "dev_abstracts.jsonl"
    try:
        with open(dev, encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and rec.get("title") and rec.get("abstract"):
                    pairs.append((str(rec["title"]), str(rec["abstract"])))
    except OSError:
        pass  # shared/ absent: the bundled sample alone is enough
    if not pairs:
        raise SystemExit(f"no abstracts found in {sample}")
    titles = sorted({t for t, _ in pairs})
    sentences: list[str] = []
    for _, a in pairs:
        sentences += split_sentences(a)
    return Corpus(titles=titles, sentences=sentences, abstracts=len(pairs))


# --- arXiv snapshot records ---

FIRST = ("A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.", "T.",
         "W.", "X.", "Y.", "Z.", "Wei", "Jia", "Anna", "Lukas", "Maria", "Omar", "Priya", "Kenji", "Sofia")  # fmt: skip
LAST = ("Zhang", "Wang", "Li", "Liu", "Chen", "Smith", "Müller", "García", "Kim", "Nguyen", "Kumar", "Sato",
        "Rossi", "Dubois", "Novak", "Ivanov", "Silva", "Cohen", "Okafor", "Larsen", "Yilmaz", "Haddad",
        "O'Brien", "Schmidt", "Tanaka", "Park", "Singh", "Lopez", "Petrov", "Fischer")  # fmt: skip
CATEGORIES = ("cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.IR", "cs.SD", "eess.AS", "cs.RO", "cs.NE",
              "eess.IV", "q-bio.QM", "physics.chem-ph", "cs.CR", "cs.DC")  # fmt: skip
LICENSES = (None, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            "http://creativecommons.org/licenses/by/4.0/", "http://creativecommons.org/licenses/by-sa/4.0/")  # fmt: skip
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PER_MONTH = 20_000  # new-style ids YYMM.NNNNN: 20k papers a month, from 2015-01 on


def _wrap(text: str, width: int = 80, indent: str = "") -> str:
    """Hard-wrap at spaces like the snapshot does (abstract lines of ~80 characters)."""
    lines, pos, n = [], 0, len(text)
    while n - pos > width:
        cut = text.rfind(" ", pos, pos + width)
        if cut <= pos:
            cut = text.find(" ", pos + width)
            if cut < 0:
                break
        lines.append(text[pos:cut])
        pos = cut + 1
    lines.append(text[pos:])
    return ("\n" + indent).join(lines)


def _rfc2822(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()]}, {dt.day} {MONTHS[dt.month - 1]} {dt.year} {dt:%H:%M:%S} GMT"


class SnapshotGenerator:
    """Record i of a snapshot; deterministic in (corpus, seed, i order)."""

    def __init__(self, corpus: Corpus, seed: int = 0) -> None:
        self.c = corpus
        self.rng = random.Random(seed)

    def abstract(self, k: int | None = None) -> str:
        rng, s = self.rng, self.c.sentences
        k = k if k is not None else rng.randint(6, 10)
        return " ".join(s[rng.randrange(len(s))] for _ in range(k))

    def record(self, i: int) -> dict[str, Any]:
        rng = self.rng
        month = i // PER_MONTH
        year, mon = 2015 + month // 12, month % 12 + 1
        arxiv_id = f"{year % 100:02d}{mon:02d}.{i % PER_MONTH:05d}"
        created = datetime(year, mon, 1) + timedelta(seconds=rng.randrange(28 * 86400))
        versions = [{"version": "v1", "created": _rfc2822(created)}]
        last = created
        for v in range(2, 2 + (rng.random() < 0.35) + (rng.random() < 0.1)):
            last = last + timedelta(days=rng.randint(3, 200), seconds=rng.randrange(86400))
            versions.append({"version": f"v{v}", "created": _rfc2822(last)})
        parsed = [[rng.choice(LAST), rng.choice(FIRST), ""] for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8)))]
        names = [f"{fn} {ln}" for ln, fn, _ in parsed]
        authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        title = rng.choice(self.c.titles)
        if len(title) > 70:
            title = _wrap(title, 70, "  ")
        cats = rng.sample(CATEGORIES, rng.choice((1, 1, 2, 2, 3)))
        comments = rng.choice((None, None, f"{rng.randint(4, 40)} pages, {rng.randint(1, 15)} figures",
                               "Accepted at NeurIPS", f"{rng.randint(8, 12)} pages; code available"))  # fmt: skip
        return {
            "id": arxiv_id,
            "submitter": names[0],
            "authors": authors,
            "title": title,
            "comments": comments,
            "journal-ref": None if rng.random() < 0.85 else f"Proc. ICML {year}",
            "doi": None if rng.random() < 0.8 else f"10.48550/arXiv.{arxiv_id}",
            "report-no": None,
            "categories": " ".join(cats),
            "license": rng.choice(LICENSES),
            "abstract": "  " + _wrap(self.abstract()) + "\n",
            "versions": versions,
            "update_date": (last.date() + timedelta(days=rng.randint(0, 30))).isoformat(),
            "authors_parsed": parsed,
        }


def _open_out(path: Path) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=3)
    return open(path, "w", encoding="utf-8")


def _open_in(path: Path) -> IO[str]:
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def write_snapshot(path: str | Path, n: int, *, seed: int = 0, corpus: Corpus | None = None) -> dict[str, Any]:
    """Write n records to path (streamed; .gz compressed). Returns counts for the report."""
    path = Path(path)
    corpus = corpus or load_corpus()
    gen = SnapshotGenerator(corpus, seed)
    tmp = path.with_name(path.name + ".part")
    t0 = time.perf_counter()
    chars = 0
    with _open_out(tmp) as f:
        for i in range(n):
            line = json.dumps(gen.record(i)) + "\n"
            chars += len(line)
            f.write(line)
    tmp.replace(path)  # a half-written file never has the final name
    return {"records": n, "chars": chars, "seconds": time.perf_counter() - t0,
            "corpus_abstracts": corpus.abstracts, "corpus_sentences": len(corpus.sentences)}  # fmt: skip


def count_lines(path: Path) -> int:
    with _open_in(path) as f:
        return sum(1 for _ in f)


def changed_paths(dst: str | Path) -> tuple[Path, Path]:
    """Where `write_changed` puts the ids and the changed records of the copy `dst`."""
    dst = Path(dst)
    return dst.with_name(dst.name + ".changed_ids"), dst.with_name(dst.name + ".changed.json")


def write_changed(
    src: str | Path, dst: str | Path, *, fraction: float = 0.01, seed: int = 1, corpus: Corpus | None = None
) -> list[str]:
    """Copy src to dst with round(fraction * N) abstracts changed (one sentence replaced by another);
    every other line is copied byte for byte. Returns the changed ids (also in DST.changed_ids)."""
    src, dst = Path(src), Path(dst)
    corpus = corpus or load_corpus()
    gen = SnapshotGenerator(corpus, seed)
    rng = random.Random(seed)
    n = count_lines(src)
    picks = set(rng.sample(range(n), max(1, round(n * fraction)) if n else 0))
    ids_path, recs_path = changed_paths(dst)
    changed: list[str] = []
    tmp = dst.with_name(dst.name + ".part")
    with _open_in(src) as fin, _open_out(tmp) as fout, open(recs_path, "w", encoding="utf-8") as frec:
        for i, line in enumerate(fin):
            if i in picks:
                rec = json.loads(line)
                sents = split_sentences(rec["abstract"])
                j = rng.randrange(len(sents))
                new = sents[j]
                while new == sents[j]:
                    new = gen.abstract(1)
                sents[j] = new
                rec["abstract"] = "  " + _wrap(" ".join(sents)) + "\n"
                line = json.dumps(rec) + "\n"
                frec.write(line)
                changed.append(rec["id"])
            fout.write(line)
    tmp.replace(dst)
    ids_path.write_text("".join(i + "\n" for i in changed), encoding="utf-8")
    return changed


# --- synthetic claims store ---


def _zipf_weights(n: int, s: float) -> Any:
    import numpy as np

    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return w / w.sum()


def _claims_plan(n_datasets: int, n_metrics: int, seed: int) -> tuple[list[str], list[str], list[str | None], list[int]]:
    """datasets, metrics, each dataset's task and standard-metric index: the vocabulary's real ones
    first (so leaderboards look like ImageNet-1K / top1_accuracy), then synthetic names."""
    from tracker.vocab import load_vocab

    vocab = load_vocab()
    rng = random.Random(seed)
    # The curated file's order (most-used benchmarks first), not the generated vocabulary's thousands of
    # rarely used archive names.
    curated = [d for d in yaml.safe_load((resources.files("tracker") / "vocab" / "datasets.yaml").read_text(encoding="utf-8"))
               if d in vocab.datasets]  # fmt: skip
    std = [vocab.datasets[d].metric for d in curated if vocab.datasets[d].metric in vocab.metrics]
    metrics: list[str] = list(dict.fromkeys(std))[:n_metrics]
    metrics += [m for m in vocab.metrics if m not in metrics][: n_metrics - len(metrics)]
    metrics += [f"metric_{i}" for i in range(n_metrics - len(metrics))]
    datasets = curated[:n_datasets]
    tasks: list[str | None] = [vocab.datasets[d].task for d in datasets]
    primary = [metrics.index(vocab.datasets[d].metric) if vocab.datasets[d].metric in metrics else rng.randrange(len(metrics))
               for d in datasets]  # fmt: skip
    vtasks = list(vocab.tasks) or ["task_0"]
    for i in range(n_datasets - len(datasets)):
        datasets.append(f"Bench-{i:03d}")
        tasks.append(rng.choice(vtasks))
        primary.append(rng.randrange(len(metrics)))
    return datasets, metrics, tasks, primary


def write_claims_db(
    db: str | Path,
    n_claims: int,
    *,
    seed: int = 0,
    n_papers: int | None = None,
    n_models: int | None = None,
    n_datasets: int = 200,
    n_metrics: int = 60,
    chunk: int = 1_000_000,
) -> dict[str, Any]:
    """A claimtrack database with n_claims synthetic claims written through Store.write_batch.

    Distribution: papers uniform over 2015-2025 (~10 claims each), datasets Zipf(1.1) over n_datasets,
    75% of a dataset's claims on its standard metric, models Zipf(1.05) over n_models with 10% the
    paper's unnamed '(proposed)' method, kinds 75% absolute / 20% delta / 5% ratio, 10% of claims
    without a dataset."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from tracker.store.store import CLAIM_SCHEMA, PAPER_SCHEMA, Store
    from tracker.vocab import load_vocab

    db = Path(db)
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    n_papers = n_papers or max(1, n_claims // 10)
    n_models = n_models or min(50_000, max(50, n_claims // 200))
    rs = np.random.default_rng(seed)
    datasets, metrics, tasks, primary = _claims_plan(n_datasets, n_metrics, seed)
    vocab = load_vocab()
    pct = np.array([(vocab.metrics[m].unit == "%") if m in vocab.metrics else True for m in metrics])
    t0 = time.perf_counter()
    models = pa.array(["(proposed)"] + [f"Model-{i}" for i in range(n_models)], pa.string())
    ds_arr = pa.array(datasets, pa.string())
    task_arr = pa.array(tasks, pa.string())
    met_arr = pa.array(metrics, pa.string())
    kinds = pa.array(["absolute", "delta", "ratio"], pa.string())
    w_ds = _zipf_weights(len(datasets), 1.1)
    w_model = _zipf_weights(n_models, 1.05)
    w_met = _zipf_weights(len(metrics), 0.8)
    primary_np = np.array(primary)
    day0 = date(2015, 1, 1).toordinal()
    with Store(db) as store, store.transaction():
        store.con.execute("SET enable_progress_bar = false")
        store.sync_vocab(vocab)
        # papers, in chunks
        for lo in range(0, n_papers, chunk):
            hi = min(n_papers, lo + chunk)
            k = hi - lo
            ids = pa.array([f"p{i:08d}" for i in range(lo, hi)], pa.string())
            pub = rs.integers(0, 11 * 365, k) + (day0 - date(1970, 1, 1).toordinal())
            papers = pa.table(
                [
                    ids,
                    pc.binary_join_element_wise("Synthetic paper ", ids, ""),
                    pc.binary_join_element_wise("An abstract of ", ids, "."),
                    pa.array(pub.astype("int32"), pa.int32()).cast(pa.date32()),
                    pa.array([[] for _ in range(k)], pa.list_(pa.string())),
                    pa.nulls(k, pa.string()),
                    pa.array(["synthetic"] * k, pa.string()),
                    pa.array([[] for _ in range(k)], pa.list_(pa.string())),
                    ids,
                    pa.array(["synthetic"] * k, pa.string()),
                    pa.array(["synthetic"] * k, pa.string()),
                    pa.array([datetime(2025, 1, 1)] * k, pa.timestamp("us")),
                ],
                schema=PAPER_SCHEMA,
            )
            store.write_batch(papers, pa.table({f.name: pa.array([], f.type) for f in CLAIM_SCHEMA}, schema=CLAIM_SCHEMA), [])
        # claims, in chunks
        for lo in range(0, n_claims, chunk):
            hi = min(n_claims, lo + chunk)
            k = hi - lo
            paper = np.sort(rs.integers(0, n_papers, k))
            ds = rs.choice(len(datasets), k, p=w_ds)
            on_primary = rs.random(k) < 0.75
            met = np.where(on_primary, primary_np[ds], rs.choice(len(metrics), k, p=w_met))
            no_ds = rs.random(k) < 0.10
            kind = rs.choice(3, k, p=[0.75, 0.20, 0.05])
            model = np.where(rs.random(k) < 0.10, 0, 1 + rs.choice(n_models, k, p=w_model))
            no_model = rs.random(k) < 0.08
            is_pct = pct[met]
            value = np.where(is_pct, np.round(rs.uniform(20, 99.9, k), 1), np.round(rs.lognormal(1.5, 1.2, k), 2))
            start = rs.integers(0, 1200, k).astype(np.int32)
            qtxt = pc.cast(pa.array(value), pa.string())
            quote = pc.if_else(pa.array(is_pct), pc.binary_join_element_wise(qtxt, "%", ""), qtxt)
            qlen = pc.utf8_length(quote).to_numpy(zero_copy_only=False).astype(np.int32)
            pid = pa.array([f"p{i:08d}" for i in paper], pa.string())
            claims = pa.table(
                [
                    pa.array([f"c{i:015x}" for i in range(lo, hi)], pa.string()),
                    pid,
                    quote,
                    pa.array(start, pa.int32()),
                    pa.array(start + qlen, pa.int32()),
                    pa.array(value, pa.float64()),
                    pa.array(value, pa.float64()),
                    pa.array(np.where(is_pct, "%", None).tolist(), pa.string()),
                    met_arr.take(pa.array(met)),
                    kinds.take(pa.array(kind)),
                    pc.if_else(pa.array(no_model), pa.nulls(k, pa.string()), models.take(pa.array(model))),
                    pc.if_else(pa.array(no_ds), pa.nulls(k, pa.string()), ds_arr.take(pa.array(ds))),
                    task_arr.take(pa.array(ds)),
                    pa.nulls(k, pa.string()),
                    pa.nulls(k, pa.string()),
                    pa.nulls(k, pa.string()),
                    pa.nulls(k, pa.string()),
                    pa.array(np.ones(k, bool), pa.bool_()),
                    pa.array(["synthetic"] * k, pa.string()),
                ],
                schema=CLAIM_SCHEMA,
            )
            store.write_batch(papers.slice(0, 0), claims, [])
        store.add_unknown_metrics()
    return {"claims": n_claims, "papers": n_papers, "models": n_models, "datasets": len(datasets),
            "metrics": len(metrics), "seconds": time.perf_counter() - t0}  # fmt: skip


# --- command line ---


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("snapshot", help="N records in arXiv snapshot format")
    a.add_argument("n", type=int)
    a.add_argument("out", type=Path)
    a.add_argument("--seed", type=int, default=0)
    b = sub.add_parser("changed", help="copy of a snapshot with a fraction of abstracts changed")
    b.add_argument("src", type=Path)
    b.add_argument("dst", type=Path)
    b.add_argument("--fraction", type=float, default=0.01)
    b.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("claims", help="M synthetic claims in a DuckDB claimtrack store")
    c.add_argument("m", type=int)
    c.add_argument("db", type=Path)
    c.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.cmd == "snapshot":
        info = write_snapshot(args.out, args.n, seed=args.seed)
        print(f"wrote {args.out}: {info['records']} records, {info['chars'] / 1e6:.1f} MB in {info['seconds']:.1f} s "
              f"(from {info['corpus_abstracts']} real abstracts, {info['corpus_sentences']} sentences)")  # fmt: skip
    elif args.cmd == "changed":
        ids = write_changed(args.src, args.dst, fraction=args.fraction, seed=args.seed)
        print(f"wrote {args.dst}: {len(ids)} abstracts changed (ids in {changed_paths(args.dst)[0]})")
    else:
        info = write_claims_db(args.db, args.m, seed=args.seed)
        print(f"wrote {args.db}: {info['claims']} claims, {info['papers']} papers, {info['models']} models, "
              f"{info['datasets']} datasets, {info['metrics']} metrics in {info['seconds']:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
