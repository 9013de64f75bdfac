"""Extraction time grows linearly with a sentence's length (issue 16 §3: one 20,000-character sentence took 4.4 s).

A property, not a speed target: the best-of-three time of a sentence four times longer stays under 8x (linear is 4x,
quadratic 16x), so a quadratic step (a scan of the whole sentence per number, per name or per pair) fails it on any
machine. The speed targets themselves live in benchmarks/run.py."""

from __future__ import annotations

import random
import time

from extractors import extract_claims
from tracker.models import Paper
from tracker.vocab import load_vocab

WORDS = ["the model", "reaches", "accuracy", "on ImageNet", "and", "with", "ResNet-50", "compared to", "DeiT-B", "improves",
         "by", "parameters", "FLOPs", "faster", "than", "baseline", "top-1", "mIoU", "COCO", "BLEU", "while", ";", "over"]


def long_sentence(n: int, seed: int = 0) -> str:
    """One sentence of `n` characters: names, metrics, datasets, cue words and a number every fifth word."""
    rnd = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n:
        p = rnd.choice(WORDS) if rnd.random() < 0.8 else f"{rnd.randint(1, 99)}.{rnd.randint(0, 9)}%"
        parts.append(p)
        size += len(p) + 1
    return " ".join(parts)[:n] + "."


def best_time(text: str, vocab, runs: int = 3) -> float:
    paper = Paper(id="long", title="A Study of Long Sentences", abstract=text, source="test")
    best = float("inf")
    for _ in range(runs):
        t = time.process_time()
        extract_claims(paper, vocab)
        best = min(best, time.process_time() - t)
    return best


def test_time_linear_in_sentence_length() -> None:
    vocab = load_vocab()
    extract_claims(Paper(id="warm", title="Warm", abstract=long_sentence(500), source="test"), vocab)
    short, long_ = best_time(long_sentence(5_000), vocab), best_time(long_sentence(20_000), vocab)
    assert long_ < 8 * max(short, 1e-3), f"5,000 chars: {short:.3f}s, 20,000 chars: {long_:.3f}s (x{long_ / max(short, 1e-3):.1f})"


def test_long_sentence_still_extracts() -> None:
    claims = extract_claims(Paper(id="long", title="Long", abstract=long_sentence(20_000), source="test"), load_vocab())
    assert claims and all(c.quote == long_sentence(20_000)[c.start:c.end] for c in claims)
