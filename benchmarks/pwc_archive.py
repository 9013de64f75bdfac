"""A generated Papers with Code archive of the real dump's size, for the `tracker pwc import` benchmark.

    write_archive(out_dir, tables=9_000, rows=100_000, papers=576_000) -> {"tables": path, "papers": path}

evaluation-tables.json.gz: tasks with nested subtasks, each with datasets (some with subdatasets), ~`tables`
task x dataset tables holding ~`rows` rows with 1-4 metric cells, values typed as the archive's are
(mostly plain numbers, some "84.1%", "1.2M", "0.84 ± 0.01", "-", "N/A", "93.0/90.7"); the row's paper is
one of the abstracts file (by arXiv URL, or by the archive's slug) 80% of the time. papers-with-abstracts.json.gz:
`papers` papers whose abstracts are made of real abstract sentences (generate.SnapshotGenerator), 70% with
an arXiv id. Deterministic in the seed.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import generate

METRICS = (
    "Top 1 Accuracy", "Top 5 Accuracy", "Accuracy", "F1", "F1 score", "BLEU score", "mAP", "box AP", "mIoU", "FID",
    "Number of params", "GFLOPs", "EM", "PSNR", "SSIM", "Percentage correct", "Perplexity", "Word Error Rate (WER)",
    "AUC", "MRR", "Hits@10", "NDCG@10", "Recall@1", "Inference Time (ms)", "Mean Rank", "Test Error",
)  # fmt: skip
DATASET_WORDS = ("ImageNet", "COCO", "CIFAR-10", "SQuAD", "GLUE", "Kinetics", "ADE20K", "LibriSpeech", "WMT", "Cora")
MESSY = ("-", "N/A", "--", "93.0/90.7", "Please tell us")


def _value(rng: random.Random) -> Any:
    r = rng.random()
    v = round(rng.uniform(1, 99), rng.choice((1, 1, 2, 2, 3)))
    if r < 0.75:
        return str(v)
    if r < 0.85:
        return f"{v}%"
    if r < 0.90:
        return f"{round(rng.uniform(0.5, 900), 1)}M"
    if r < 0.94:
        return f"{round(v / 100, 4)} ± {round(rng.uniform(0.0001, 0.01), 4)}"
    if r < 0.97:
        return v  # a JSON number
    return rng.choice(MESSY)


def _paper(i: int, gen: generate.SnapshotGenerator, rng: random.Random) -> dict[str, Any]:
    arxiv = f"{15 + i // 60_000:02d}{i % 12 + 1:02d}.{i % 100_000:05d}" if i % 10 < 7 else None
    title = f"{rng.choice(gen.c.titles)} ({i})"
    return {
        "paper_url": f"https://paperswithcode.com/paper/p{i}", "arxiv_id": arxiv, "title": title,
        "abstract": gen.abstract(), "url_abs": f"https://arxiv.org/abs/{arxiv}" if arxiv else f"https://example.org/p{i}",
        "url_pdf": None, "proceeding": None, "authors": ["A. Author", "B. Author"], "tasks": [], "methods": [],
        "date": f"20{15 + (i % 10)}-{i % 12 + 1:02d}-01",
    }  # fmt: skip


def write_archive(out: Path, *, tables: int = 9_000, rows: int = 100_000, papers: int = 576_000, seed: int = 0) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gen = generate.SnapshotGenerator(generate.load_corpus(), seed)
    paper_path = out / "papers-with-abstracts.json.gz"
    tables_path = out / "evaluation-tables.json.gz"
    index: list[tuple[str, str, str]] = []  # (url, title, date) of the papers a row can cite
    with gzip.open(paper_path.with_suffix(".part"), "wt", encoding="utf-8", compresslevel=3) as f:
        f.write("[")
        for i in range(papers):
            p = _paper(i, gen, rng)
            f.write(("," if i else "") + json.dumps(p))
            if rng.random() < min(1.0, rows / 2 / papers):  # the papers the tables cite
                url = f"https://arxiv.org/abs/{p['arxiv_id']}v1" if p["arxiv_id"] else p["paper_url"]
                index.append((url, p["title"], p["date"]))
        f.write("]")
    paper_path.with_suffix(".part").replace(paper_path)

    per_table = max(1, rows // tables)
    n_tasks = max(1, tables // 4)
    written = 0
    with gzip.open(tables_path.with_suffix(".part"), "wt", encoding="utf-8", compresslevel=3) as f:
        f.write("[")
        for t in range(n_tasks):
            def table(name: str, sub: bool = False) -> dict[str, Any]:
                nonlocal written
                metrics = rng.sample(METRICS, rng.randint(1, 4))
                rws = []
                for _ in range(max(1, int(rng.expovariate(1 / per_table)))):
                    if rng.random() < 0.8 and index:
                        url, title, date = rng.choice(index)
                    else:
                        url, title, date = "", f"An external paper {rng.randrange(10**6)}", ""
                    rws.append({
                        "model_name": f"{rng.choice(('ResNet', 'ViT', 'BERT', 'GPT', 'Mixer', 'Conv'))}-{rng.randint(1, 200)}",
                        "paper_title": title, "paper_url": url, "paper_date": date or None,
                        "metrics": {m: _value(rng) for m in metrics}, "code_links": [], "model_links": [],
                        "uses_additional_data": rng.random() < 0.1,
                    })  # fmt: skip
                written += len(rws)
                key = "subdataset" if sub else "dataset"
                return {key: name, "description": "", "sota": {"metrics": metrics, "rows": rws}, "subdatasets": [],
                        "dataset_links": [], "dataset_citations": []}  # fmt: skip

            def datasets(k: int) -> list[dict[str, Any]]:
                out_ = []
                for d in range(k):
                    ds = table(f"{rng.choice(DATASET_WORDS)} variant {t}-{d}")
                    if rng.random() < 0.1:
                        ds["subdatasets"].append(table(f"split {d}", sub=True))
                    out_.append(ds)
                return out_

            task = {"task": f"Task {t}", "description": "", "categories": [], "datasets": datasets(2),
                    "subtasks": [{"task": f"Task {t} subtask", "description": "", "datasets": datasets(2), "subtasks": []}]}  # fmt: skip
            f.write(("," if t else "") + json.dumps(task, ensure_ascii=False))
        f.write("]")
    tables_path.with_suffix(".part").replace(tables_path)
    return {"tables": tables_path, "papers": paper_path, "rows": written}  # type: ignore[dict-item]
