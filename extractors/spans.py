"""A set of text spans that answers "does [s, e) overlap any of them?" in O(log n).

The grammar asks this for every number and every name candidate of a sentence; a linear scan of all spans made a
long sentence cost time quadratic in its length (issue 16 §3)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanSet:
    """Half-open spans [a, b), possibly overlapping, sorted by start with a running maximum of ends."""

    __slots__ = ("_starts", "_max_end")

    def __init__(self, spans: Iterable[tuple[int, int]]):
        pairs = sorted(spans)
        self._starts = [a for a, _ in pairs]
        self._max_end: list[int] = []
        m = -1
        for _, b in pairs:
            m = max(m, b)
            self._max_end.append(m)

    def overlaps(self, s: int, e: int) -> bool:
        """Whether some span [a, b) has a < e and b > s (the negation of `e <= a or s >= b` for all spans)."""
        k = bisect.bisect_left(self._starts, e)  # spans starting before e
        return k > 0 and self._max_end[k - 1] > s
