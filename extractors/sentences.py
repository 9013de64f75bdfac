"""Sentence splitting that survives abbreviations ("e.g.", "vs.", "Fig. 3", "et al."), decimals and initials.

`split_sentences(text)` returns (start, end) spans into `text`; the spans cover the text in order.
"""

from __future__ import annotations

import re

# A boundary candidate: sentence punctuation, optional closing quote/bracket, then whitespace.
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+")
# Words after which a period does not end a sentence (lower-cased, without the period).
_ABBREV = frozenset(
    "e.g i.e eg ie vs v.s etc al fig figs eq eqs sec tab no nos approx resp cf viz ca incl esp w.r.t wrt "
    "dr mr ms prof st jr sr vol pp ref refs ch app et".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)[.!?]$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if end >= n:
            break
        nxt = text[end]
        # The next sentence starts with a capital, a digit, a quote, a bracket or a LaTeX command.
        if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'([\\$"):
            continue
        if text[m.start()] == ".":
            w = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start() + 1)
            if w:
                word = w.group(1).lower().rstrip(".")
                if word in _ABBREV:
                    continue
                if len(word) == 1 and w.group(1)[0].isupper():  # an initial: "J. Smith"
                    continue
        spans.append((start, m.start() + 1))
        start = end
    if start < n:
        spans.append((start, n))
    return spans
