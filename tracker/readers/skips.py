"""Records a reader skips on purpose, counted per input, so a load can say how many it left out.

The big open corpora hold many works without an abstract (most of OpenAlex, a third of Semantic
Scholar): for them a missing abstract is the normal case, not a broken file, so their readers skip
such records and count them here instead of raising. `take(file)` returns and forgets the count of
one input; the pipeline calls it once the input has been read. Counts are per process: a reader that
runs in a worker (the distributed engine) takes its own count there and returns it with its results.
"""

from __future__ import annotations

import threading
from collections import Counter

_lock = threading.Lock()
_counts: Counter[str] = Counter()


def count(file: object, n: int = 1) -> None:
    """`n` more records of `file` (a path or a dataset's name) were skipped."""
    with _lock:
        _counts[str(file)] += n


def take(file: object) -> int:
    """How many records of `file` were skipped since the last take (and reset it to 0)."""
    with _lock:
        return _counts.pop(str(file), 0)


def peek(file: object) -> int:
    """The count of `file` without resetting it."""
    with _lock:
        return _counts.get(str(file), 0)
