"""The cluster engine is optional: without Dask the product works and `--engine dask` says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "big_corpora" / "dev_abstracts.jsonl"


def test_without_dask_the_engine_is_one_line_naming_the_install_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "distributed" or m.startswith(("dask", "distributed."))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # what an environment without Dask raises: ImportError
    r = CliRunner().invoke(app, ["extract", str(DEV), "--engine", "dask", "-o", str(tmp_path / "out")])
    assert r.exit_code == 1, r.output
    assert r.output.strip() == "error: the dask engine needs Dask: pip install 'dask[distributed]'"
    assert list(tmp_path.iterdir()) == []


def test_loading_extracting_and_querying_never_import_dask() -> None:
    code = (
        "import sys; import tracker.cli, tracker.pipeline, tracker.extracted, tracker.store.parquet; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
