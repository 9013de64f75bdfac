"""Phrase lookup over word tokens: one dict per vocabulary, keyed by normalised token tuples.

Text is tokenised once into words and digit runs (`ImageNet-1k` -> ImageNet, 1, k); an alias
matches when its tokens match consecutive text tokens joined by at most a little punctuation
(space, hyphen, slash, `^{}`...). Keys are lower-cased, except for short all-capital or
Title-case single-word aliases ("AP", "IS", "RACE", "Cora"), which match case-sensitively.
Lookup is one set test per token plus a few dict probes where a first token is known, so
hundreds of aliases cost no more than a handful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W\d_]+|\d+")
_GAP_OK = set(" -_/@^{}~'’\u2019\u00a0")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    text: str
    low: str
    joined: bool  # joined to the previous token by a short punctuation gap


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    prev_end = -10
    for m in TOKEN.finditer(text):
        s, e = m.span()
        gap = text[prev_end:s] if prev_end >= 0 else "  "
        joined = len(gap) <= 3 and all(c in _GAP_OK or c == "." for c in gap) and not ("." in gap and " " in gap)
        t = m.group()
        toks.append(Tok(s, e, t, t.lower(), joined))
        prev_end = e
    return toks


def _case_sensitive(alias: str, parts: list[str]) -> bool:
    if len(parts) != 1:
        return False
    p = parts[0]
    if not p.isalpha():
        return False
    if p.isupper() and len(p) <= 5:
        return True
    return p[0].isupper() and p[1:].islower() and len(p) <= 9


class PhraseIndex:
    """Canonical name -> aliases, found in token lists; the longest alias at a position wins."""

    def __init__(self, entries: dict[str, list[str] | tuple[str, ...]]):
        self.ci: dict[tuple[str, ...], str] = {}
        self.cs: dict[tuple[str, ...], str] = {}
        self.first: set[str] = set()
        self.maxlen = 1
        for canon, aliases in entries.items():
            for alias in aliases:
                parts = TOKEN.findall(alias)
                if not parts:
                    continue
                if _case_sensitive(alias, parts):
                    self.cs.setdefault(tuple(parts), canon)
                else:
                    self.ci.setdefault(tuple(p.lower() for p in parts), canon)
                self.first.add(parts[0].lower())
                self.maxlen = max(self.maxlen, len(parts))

    def find(self, toks: list[Tok], lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str, int, int]]:
        """Matches in toks[lo:hi] as (start_char, end_char, canonical, first_tok, last_tok_excl)."""
        hi = len(toks) if hi is None else hi
        out = []
        i = lo
        first = self.first
        ci, cs = self.ci, self.cs
        while i < hi:
            t = toks[i]
            if t.low not in first:
                i += 1
                continue
            # longest run of joined tokens starting here
            j = i + 1
            lim = min(hi, i + self.maxlen)
            while j < lim and toks[j].joined:
                j += 1
            hit = None
            for k in range(j, i, -1):
                key = tuple(x.low for x in toks[i:k])
                c = ci.get(key)
                if c is None and cs:
                    c = cs.get(tuple(x.text for x in toks[i:k]))
                if c is not None:
                    hit = (toks[i].start, toks[k - 1].end, c, i, k)
                    break
            if hit:
                out.append(hit)
                i = hit[4]
            else:
                i += 1
        return out
