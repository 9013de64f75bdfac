"""A claim id prefix that matches nothing says why, in one line (a too-short prefix says it is too short)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.conftest import board
from tracker.cli import app

runner = CliRunner()


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    db = tmp_path / "c.duckdb"
    board(db, "top1_accuracy", [("ViT-B", 81.5, "%", "2021-01-01")])
    return db


def reject(db: Path, claim_id: str) -> str:
    r = runner.invoke(app, ["review", "reject", claim_id, "--db", str(db)])
    assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.output
    return r.stderr


@pytest.mark.parametrize(("typed", "said"), [("zzzzzzzz", "no claim 'zzzzzzzz'"), ("9", "a prefix needs at least 6 characters")])
def test_no_match(dbfile: Path, typed: str, said: str) -> None:
    assert said in reject(dbfile, typed)

