"""The built phrase indexes of a vocabulary, cached on disk between processes.

Why: building the `Lexicon` of the full generated vocabulary (one `PhraseIndex` per vocabulary, ~60,000 aliases
tokenised, plus the archive-task index `claims.fine_task_index`) costs ~0.5 s of CPU in every process that extracts
(each `tracker extract`, each load worker), more than extracting a thousand abstracts. Unpickling the same indexes
takes ~0.05 s.

The cache file is keyed by everything the indexes are built from: the vocabulary's digest (`Vocab.digest`: the sha1
of every file it was read from) and the source of the modules that build and read them (any edit to the extractor
invalidates it), plus the Python version. The key is also stored inside the file and compared on reading, so a file
that does not belong to this vocabulary and code is never used. Writes go to a temporary file in the same directory
and are renamed into place (`os.replace`: atomic), so concurrent writers of the same key each publish a whole file
and readers never see half of one. A file that cannot be read or unpickled (truncated, corrupt, another format) is
ignored and rewritten: the cache can only cost a rebuild, never a wrong index.

Where: `$CLAIMTRACK_CACHE_DIR`, else `$XDG_CACHE_HOME/claimtrack`, else `~/.cache/claimtrack`. `CLAIMTRACK_CACHE_DIR=off`
disables it (as does a vocabulary with no digest, built in code). A cache file is a pickle: it is read only from the
user's own cache directory, written by this code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "CLAIMTRACK_CACHE_DIR"
FORMAT = b"claimtrack-lexicon-v1"  # bump when the meaning of the cached state changes without a source change
# The modules whose code decides what the cached indexes hold.
_SOURCES = ("lexicon.py", "entities.py", "claims.py", "index_cache.py")


def cache_dir() -> Path | None:
    """The directory of the cache files, or None when caching is off."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "no", "false") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimtrack"


def _code_digest() -> bytes:
    """sha1 of the source of the modules that build the indexes (read once per process)."""
    global _CODE
    if _CODE is None:
        h = hashlib.sha1(FORMAT)
        h.update(sys.version.encode())
        here = Path(__file__).parent
        for name in _SOURCES:
            h.update(name.encode() + b"\0" + (here / name).read_bytes())
        from tracker import vocab as vocab_module  # its `phrases` decides the aliases each index holds

        h.update(Path(vocab_module.__file__).read_bytes())
        _CODE = h.digest()
    return _CODE


_CODE: bytes | None = None


def key_for(digest: str) -> str:
    """The cache key of a vocabulary digest with this code."""
    return hashlib.sha1(_code_digest() + digest.encode()).hexdigest()


def path_for(digest: str) -> Path | None:
    d = cache_dir()
    return None if d is None or not digest else d / f"lexicon-{key_for(digest)}.pickle"


def load(digest: str) -> dict[str, Any] | None:
    """The cached state of the vocabulary with this digest, or None (no cache, no file, or a file not to be trusted)."""
    path = path_for(digest)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            key, state = pickle.load(f)
    except Exception:  # missing, truncated, corrupt, not ours: rebuild
        return None
    if key != key_for(digest) or not isinstance(state, dict):
        return None
    return state


def save(digest: str, state: dict[str, Any]) -> None:
    """Write the state atomically (temporary file + rename); a cache that cannot be written is no error."""
    path = path_for(digest)
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump((key_for(digest), state), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except Exception:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
