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
# A period after this many ASCII letters (inside the sentence) ends the sentence: the word before it is longer than any
# abbreviation and is no initial, so the _WORD_BEFORE search is skipped (it runs for nearly every period).
_LONG_WORD = max(len(w) for w in _ABBREV) + 1
# Likewise a period after two ASCII letters that end no abbreviation ("tasks.", "data."): the word is 2+ letters long
# (no initial) and, ending so, is no abbreviation.
_ABBREV_ENDS = frozenset(w[-2:] for w in _ABBREV)


def _plain_word_before(text: str, start: int, ms: int) -> bool:
    """True when the period at `ms` certainly follows a word that is neither an abbreviation nor an initial (then the
    _WORD_BEFORE search is not needed). Both tests look inside the search window: the sentence so far."""
    if ms - 2 >= start and (t2 := text[ms - 2:ms]).isascii() and t2.isalpha() and t2.lower() not in _ABBREV_ENDS:
        return True
    return ms - _LONG_WORD >= start and (tail := text[ms - _LONG_WORD:ms]).isascii() and tail.isalpha()


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
        ms = m.start()
        if text[ms] == "." and not _plain_word_before(text, start, ms):
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
