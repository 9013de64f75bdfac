""""Did you mean": the known names closest to one a user typed (`imagenet` -> `ImageNet-1K`).

Why a module of its own: every command that takes a dataset, metric, task or model name says the same
thing when the name is unknown, from the names the database actually has."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def close_names(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` known names like `name`: equal but for case and punctuation, then starting with it, then
    the closest spellings (difflib ratio >= 0.6)."""
    known = list(dict.fromkeys(known))
    key = _key(name)
    if not key:
        return []
    keys = {k: _key(k) for k in known}
    same = [k for k in known if keys[k] == key]
    prefix = sorted((k for k in known if keys[k].startswith(key) and k not in same), key=lambda k: (len(keys[k]), k))
    by_key: dict[str, list[str]] = {}
    for k in known:
        by_key.setdefault(keys[k], []).append(k)
    near = [k for kk in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6) for k in by_key[kk]]
    return list(dict.fromkeys([*same, *prefix, *near]))[:n]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """"; did you mean 'ImageNet-1K'?" (or "" when nothing is close), to end an error message with."""
    close = close_names(name, known)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
