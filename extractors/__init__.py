"""Claim extraction: `extract_claims(paper)` turns one Paper's abstract into Claims (see ANNOTATION.md).

Pure and deterministic; never raises on any text. See extractors/README.md for the design.
"""

from __future__ import annotations

from tracker.models import Claim, Paper
from tracker.vocab import Vocab, load_vocab

from .weights import Weights

EXTRACTOR_VERSION = "1.5.0"

__all__ = ["EXTRACTOR_VERSION", "extract_claims"]

# Abstracts longer than this are cut for extraction (offsets stay valid: the cut is a prefix).
MAX_CHARS = 20_000


def extract_claims(paper: Paper, vocab: Vocab | None = None, weights: Weights | None = None) -> list[Claim]:
    """`weights`: the scored choices' weights (default: extractors/weights.json); given only when tuning them."""
    from .claims import extract

    try:
        v = vocab if vocab is not None else load_vocab()
    except Exception:
        return []
    try:
        p = paper if len(paper.abstract) <= MAX_CHARS else paper.model_copy(update={"abstract": paper.abstract[:MAX_CHARS]})
        claims = extract(p, v, EXTRACTOR_VERSION, weights)
    except Exception:  # never fail a load on one odd abstract
        return []
    text = paper.abstract
    claims = [c for c in claims if text[c.start:c.end] == c.quote]
    claims.sort(key=lambda c: c.start)  # text order (stable: one number's claims keep their order)
    return claims[:200]
