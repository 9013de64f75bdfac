"""The directory layouts of the big snapshots, expanded into their partition files.

A directory of inputs is normally one level of files (`input_files`). Two snapshots ship as trees:

    OpenAlex:          works/updated_date=2024-01-01/part_000.gz ...  (+ a `manifest` file, not data)
    Semantic Scholar:  RELEASE/papers/*.gz and RELEASE/abstracts/*.gz  (one directory per dataset)

`partition_files(dir)` returns their data files (sorted, hidden files skipped), or None when `dir` is
neither layout, so the caller falls back to the plain one-level listing.
"""

from __future__ import annotations

from pathlib import Path

OPENALEX_PARTITION_PREFIX = "updated_date="
OPENALEX_NOT_DATA = frozenset({"manifest"})  # the snapshot's Redshift manifest (JSON, not a work)
S2_DATASET_DIRS = ("papers", "abstracts")


def _files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if not p.name.startswith(".") and p.is_file())


def partition_files(d: Path) -> list[Path] | None:
    """The data files of an OpenAlex works tree or a Semantic Scholar release directory; None otherwise."""
    subdirs = sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))
    openalex = [s for s in subdirs if s.name.startswith(OPENALEX_PARTITION_PREFIX)]
    if openalex:
        top = [f for f in _files(d) if f.name not in OPENALEX_NOT_DATA]
        return top + [f for s in openalex for f in _files(s)]
    s2 = [d / name for name in S2_DATASET_DIRS if (d / name).is_dir()]
    if len(s2) == len(S2_DATASET_DIRS):
        return [f for s in s2 for f in _files(s)]
    return None
