"""Build small claimtrack databases from compact claim tables (no reader or extractor involved)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.models import Claim, Paper
from tracker.store.store import Store, claim_rows, claims_table, papers_table
from tracker.vocab import load_vocab


def make_paper(pid: str, text: str, published: date | None = date(2021, 1, 1), title: str | None = None) -> Paper:
    return Paper(id=pid, title=title or f"Paper {pid}", abstract=text, published=published, source="jsonl")


def make_claim(paper: Paper, quote: str, value: float, unit: str | None, metric: str, model: str | None,
               dataset: str | None = "ImageNet-1K", task: str | None = "image_classification",
               kind: str = "absolute", version: str = "test-1") -> Claim:  # fmt: skip
    start = paper.abstract.index(quote)
    return Claim(
        paper_id=paper.id, paper=paper.title, quote=quote, start=start, end=start + len(quote), value=value,
        unit=unit, metric=metric, kind=kind, model=model, dataset=dataset, task=task, extractor_version=version,
    )  # fmt: skip


def write(db: Path, papers: list[Paper], claims: list[Claim], replace: list[str] = (), version: str = "test-1") -> None:
    with Store(db) as s, s.transaction():
        s.sync_vocab(load_vocab())
        rows = []
        for p in papers:
            rows += claim_rows([c for c in claims if c.paper_id == p.id])
        s.write_batch(
            papers_table(papers, extractor_version=version, vocab_hash="v", loaded_at=datetime(2024, 1, 1)),
            claims_table(rows),
            list(replace),
        )
        s.add_unknown_metrics()


def board(db: Path, metric: str, entries: list[tuple[str, float, str | None, str]], dataset: str = "ImageNet-1K",
          prefix: str = "p") -> None:  # fmt: skip
    """One paper per entry (model, value, unit, published ISO date); its abstract holds the number."""
    papers, claims = [], []
    for i, (model, value, unit, day) in enumerate(entries):
        quote = f"{value:g}{unit or ''}"
        p = make_paper(f"{prefix}{i}", f"{model} reaches {quote} {metric} here.", published=date.fromisoformat(day))
        papers.append(p)
        claims.append(make_claim(p, quote, value, unit, metric, model, dataset=dataset))
    write(db, papers, claims)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.duckdb"
