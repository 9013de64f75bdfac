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

TOKEN = re.compile(r"[^\W\d_]+|\d+")
_GAP_OK = set(" -_/@^{}~'’\u2019\u00a0")


# A token is a plain tuple (fast to build): (start, end, text, lower-cased text, joined), where
# `joined` says it follows the previous token across a short punctuation gap.
Tok = tuple
S, E, TXT, LOW, JOINED = 0, 1, 2, 3, 4


_GAP_CACHE: dict[str, bool] = {}


def _gap_joins(gap: str) -> bool:
    j = _GAP_CACHE.get(gap)
    if j is None:
        j = len(gap) <= 3 and all(c in _GAP_OK or c in ".:" for c in gap) and not (("." in gap or ":" in gap) and " " in gap)
        if len(_GAP_CACHE) < 4096:
            _GAP_CACHE[gap] = j
    return j


_PIECE = re.compile(r"([\W_]*)([^\W\d_]+|\d+)")


def tokenize_span(text: str, lo: int, hi: int) -> list[Tok]:
    """Tokens of text[lo:hi] with offsets into `text` (the first token is never joined to what precedes)."""
    toks = tokenize(text[lo:hi])
    if lo:
        toks = [(s + lo, e + lo, t, low, j) for s, e, t, low, j in toks]
    return toks


def tokenize(text: str) -> list[Tok]:
    # One findall over (gap, token) pieces: the pieces tile the text, so offsets are running sums.
    low = text.lower()
    if len(low) != len(text):  # a few Unicode letters change length when lower-cased
        low = None
    toks: list[Tok] = []
    append = toks.append
    cache = _GAP_CACHE
    pos = 0
    first = True
    for gap, t in _PIECE.findall(text):
        s = pos + len(gap)
        e = s + len(t)
        pos = e
        if first:
            joined = False
            first = False
        else:
            joined = cache.get(gap)
            if joined is None:
                joined = _gap_joins(gap)
        append((s, e, t, low[s:e] if low is not None else t.lower(), joined))
    return toks


def _case_sensitive(alias: str, parts: list[str]) -> bool:
    if len(parts) != 1:
        return False
    p = parts[0]
    if not p.isalpha():
        return False
    return not p.islower()  # "QuALITY", "ReaL", "FID", "Cora": not the English words "quality", "real"


class PhraseIndex:
    """Canonical name -> aliases, found in token lists; the longest alias at a position wins."""

    def __init__(self, entries: dict[str, list[str] | tuple[str, ...]]):
        self.ci: dict[tuple[str, ...], str] = {}
        self.cs: dict[tuple[str, ...], str] = {}
        self.first: set[str] = set()
        self.lens: dict[str, tuple[int, ...]] = {}
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
                self.lens[parts[0].lower()] = tuple(sorted(set(self.lens.get(parts[0].lower(), ())) | {len(parts)}, reverse=True))
                self.maxlen = max(self.maxlen, len(parts))

    def find(self, toks: list[Tok], lo: int = 0, hi: int | None = None, hits: list[tuple[int, str]] | None = None) -> list[tuple[int, int, str, int, int]]:
        """Matches in toks[lo:hi] as (start_char, end_char, canonical, first_tok, last_tok_excl).

        `hits` (from `first_hits`, for the whole of `toks`) lets several indexes share one pass over the tokens."""
        hi = len(toks) if hi is None else hi
        out = []
        first = self.first
        ci, cs = self.ci, self.cs
        if hits is not None and lo == 0 and hi == len(toks):
            starts = [k for k, w in hits if w in first]
            if not starts:
                return out
        elif lo == 0 and hi == len(toks):
            starts = [k for k, t in enumerate(toks) if t[3] in first]
        else:
            starts = [k for k in range(lo, hi) if toks[k][3] in first]
        nxt_ok = -1
        for i in starts:
            if i < nxt_ok:
                continue
            # longest run of joined tokens starting here
            lens = self.lens[toks[i][3]]
            j = i + 1
            lim = min(hi, i + lens[0])
            while j < lim and toks[j][4]:
                j += 1
            hit = None
            for ln in lens:
                k = i + ln
                if k > j:
                    continue
                key = tuple([x[3] for x in toks[i:k]])
                c = ci.get(key)
                if c is None and cs:
                    c = cs.get(tuple([x[2] for x in toks[i:k]]))
                if c is not None:
                    hit = (toks[i][0], toks[k - 1][1], c, i, k)
                    break
            if hit:
                out.append(hit)
                nxt_ok = hit[4]
        return out


def first_hits(toks: list[Tok], firsts: frozenset[str]) -> list[tuple[int, str]]:
    """(index, lower-cased token) of the tokens that start an alias of any of several indexes (`firsts`: the union of
    their `first` sets): one pass over a sentence's tokens instead of one per vocabulary."""
    return [(k, t[3]) for k, t in enumerate(toks) if t[3] in firsts]
