"""Fixtures of the review tests: the bundled sample loaded once per session with the real CLI
(`python -m tracker load --sample`), and a private copy of it per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviews_testlib import tracker_subprocess


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, loaded once per session with `python -m tracker load --sample`."""
    db = tmp_path_factory.mktemp("reviews_sample") / "sample.duckdb"
    proc = tracker_subprocess("load", "--sample", "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return db


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database (no journal yet)."""
    path = tmp_path / "claims.duckdb"
    shutil.copyfile(sample_db, path)
    return path
