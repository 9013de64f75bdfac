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
_ASCII_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")  # TOKEN on ASCII text (a simpler class: twice as fast)
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
    """Tokens of text[lo:hi] with offsets into `text` (the first token is never joined to what precedes).

    One findall over (gap, token) pieces: the pieces tile the text, so offsets are running sums (started at `lo`,
    not re-offset afterwards). Lower-cased text comes from one lower() of the span, unless a Unicode letter changes
    length when lower-cased: then each token is lower-cased on its own."""
    seg = text[lo:hi]
    pieces = _PIECE.findall(seg)
    if not pieces:
        return []
    low = seg.lower()
    toks: list[Tok] = []
    append = toks.append
    cache = _GAP_CACHE
    pos = lo
    first = True
    # Lower-casing the whole segment once is faster, but only safe when it keeps every offset
    # (a few letters, like 'İ', lengthen when lower-cased): otherwise each token is lowered alone.
    same_offsets = len(low) == len(seg)
    for gap, t in pieces:
        s = pos + len(gap)
        pos = e = s + len(t)
        if first:
            joined = first = False
        else:
            joined = cache.get(gap)
            if joined is None:
                joined = _gap_joins(gap)
        append((s, e, t, low[s - lo : e - lo] if same_offsets else t.lower(), joined))
    return toks


def tokenize(text: str) -> list[Tok]:
    return tokenize_span(text, 0, len(text))


def ascii_words(text: str) -> list[str]:
    """The lower-cased token texts of an ASCII text (one C-level findall: no token tuples)."""
    return _ASCII_TOKEN.findall(text.lower())


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
        # first word -> the second words of its (case-insensitive) aliases of 2+ tokens: a start whose next token is
        # not among them can only match a one-token alias (case-sensitive aliases are single tokens)
        self.seconds: dict[str, frozenset[str]] = {}
        self.maxlen = 1
        lens: dict[str, set[int]] = {}
        seconds: dict[str, set[str]] = {}  # sets while building (tens of thousands of aliases), frozen below
        for canon, aliases in entries.items():
            for alias in aliases:
                parts = TOKEN.findall(alias)
                if not parts:
                    continue
                if _case_sensitive(alias, parts):
                    self.cs.setdefault(tuple(parts), canon)
                else:
                    self.ci.setdefault(tuple(p.lower() for p in parts), canon)
                w = parts[0].lower()
                self.first.add(w)
                lens.setdefault(w, set()).add(len(parts))
                self.maxlen = max(self.maxlen, len(parts))
                if len(parts) > 1:
                    seconds.setdefault(w, set()).add(parts[1].lower())
        self.lens = {w: tuple(sorted(ns, reverse=True)) for w, ns in lens.items()}
        self.seconds = {w: frozenset(ss) for w, ss in seconds.items()}
        self.singles = frozenset(k[0] for k in self.ci if len(k) == 1)  # one-token aliases (lower-cased)
        self.cs_words = frozenset(k[0] for k in self.cs)  # case-sensitive aliases (all one token)
        self.cs_lower = frozenset(w.lower() for w in self.cs_words)

    def matches_whole(self, toks: list[Tok], n: int) -> bool:
        """Whether `find(toks)` has a match spanning characters 0..n, i.e. the whole of a text of length n.

        Such a match starts at token 0 and covers every token (none can start at or after n); at token 0 `find` takes
        the longest alias that fits, and one covering every token is the longest possible, so it is the match iff
        it exists: its key is in the index and all tokens are joined."""
        if not toks or toks[0][0] != 0 or toks[-1][1] != n:
            return False
        w = toks[0][3]
        if w not in self.first or len(toks) not in self.lens[w]:
            return False
        if len(toks) == 1:
            return (w,) in self.ci or (toks[0][2],) in self.cs
        return all(t[4] for t in toks[1:]) and tuple([t[3] for t in toks]) in self.ci

    def may_match(self, text: str, low: list[str] | None = None) -> bool:
        """False only when `find` over the tokens of the ASCII `text` is certain to find nothing: no token is a
        one-token alias and no two consecutive tokens are the first two words of a longer alias. A sentence is tested
        with a C-level `findall` and set tests instead of being tokenised (most sentences of an abstract name no
        dataset).

        ASCII only: there `ascii_words(text)` are exactly the tokens' lower-cased texts, in order (`low`: them, when the
        caller has them already)."""
        if low is None:
            low = ascii_words(text)
        if not self.singles.isdisjoint(low):
            return True
        if not self.cs_lower.isdisjoint(low) and not self.cs_words.isdisjoint(_ASCII_TOKEN.findall(text)):
            return True
        seconds = self.seconds
        if seconds.keys().isdisjoint(low):
            return False
        last = len(low) - 1
        for k in [k for k, w in enumerate(low) if w in seconds]:
            if k < last and low[k + 1] in seconds[low[k]]:
                return True
        return False

    def find(self, toks: list[Tok], lo: int = 0, hi: int | None = None, hits: list[tuple[int, str]] | None = None) -> list[tuple[int, int, str, int, int]]:
        """Matches in toks[lo:hi] as (start_char, end_char, canonical, first_tok, last_tok_excl).

        `hits` (from `first_hits`, for the whole of `toks`) lets several indexes share one pass over the tokens.
        A one-token key is built directly, and a start whose next token is no alias's second word tries only the
        one-token aliases (most starts: "the", "in", "text" open a few long aliases)."""
        hi = len(toks) if hi is None else hi
        out: list[tuple[int, int, str, int, int]] = []
        first = self.first
        if hits is not None and lo == 0 and hi == len(toks):
            starts = [k for k, w in hits if w in first]
            if not starts:
                return out
        elif lo == 0 and hi == len(toks):
            starts = [k for k, t in enumerate(toks) if t[3] in first]
        else:
            starts = [k for k in range(lo, hi) if toks[k][3] in first]
        ci, cs = self.ci, self.cs
        lens_of, seconds = self.lens, self.seconds
        nxt_ok = -1
        for i in starts:
            if i < nxt_ok:
                continue
            ti = toks[i]
            w = ti[3]
            lens = lens_of[w]
            # longest run of joined tokens starting here (j: first token index past the run)
            j = i + 1
            lim = min(hi, i + lens[0])
            while j < lim and toks[j][4]:
                j += 1
            if j > i + 1 and toks[i + 1][3] not in seconds.get(w, ()):
                j = i + 1  # no alias of 2+ tokens can match here
            for ln in lens:
                k = i + ln
                if k > j:
                    continue
                if ln == 1:
                    c = ci.get((w,))
                    if c is None and cs:
                        c = cs.get((ti[2],))
                else:
                    c = ci.get(tuple([x[3] for x in toks[i:k]]))  # case-sensitive aliases are single tokens
                if c is not None:
                    out.append((ti[0], toks[k - 1][1], c, i, k))
                    nxt_ok = k
                    break
        return out


def first_hits(toks: list[Tok], firsts: frozenset[str]) -> list[tuple[int, str]]:
    """(index, lower-cased token) of the tokens that start an alias of any of several indexes (`firsts`: the union of
    their `first` sets): one pass over a sentence's tokens instead of one per vocabulary."""
    return [(k, t[3]) for k, t in enumerate(toks) if t[3] in firsts]
