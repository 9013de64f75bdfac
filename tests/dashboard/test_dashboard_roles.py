"""The dashboard's boards say whose number a row is: own results by default, the "Include quoted baselines"
switch adds the numbers papers quote; Reported by beside each own row; the SOTA page's date filter and switch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker import pipeline

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "boards" / "roles.jsonl"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dashroles") / "r.duckdb"
    pipeline.load([FIX], path, jobs=1, progress=False)
    return path


def page(db: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> AppTest:
    monkeypatch.setenv("CLAIMTRACK_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.switch_page(f"views/{name}.py")
    at.query_params["dataset"], at.query_params["metric"] = "ImageNet-1K", "top1_accuracy"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("baselines", "models"),
    [
        (False, ["Swin-B", "GlideNet-L", "(proposed)", "Swin-T", "SwiftViT-S", "ResNet-50"]),
        (True, ["Swin-B", "GlideNet-L", "(proposed)", "Swin-T", "SwiftViT-S", "ResNet-50", "DeiT-S"]),
    ],
)  # fmt: skip
def test_board_toggle_and_reported_by(db: Path, monkeypatch: pytest.MonkeyPatch, baselines: bool, models: list[str]) -> None:
    at = page(db, monkeypatch, "leaderboards")
    if baselines:
        at.toggle(key="lb_baselines").set_value(True).run()
        assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    assert list(shown["model"]) == models
    assert set(shown["role"]) == ({"own", "baseline"} if baselines else {"own"})
    resnet = shown[shown["model"] == "ResNet-50"].iloc[0]
    assert (resnet["value"], resnet["other_papers"], resnet["other_min"], resnet["other_max"]) == (80.4, 1, 76.1, 76.1)


def test_sota_page_date_filter_and_toggle(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(db, monkeypatch, "sota")
    at.date_input(key="sota_dates").set_value((date(2021, 10, 1), date(2022, 12, 31))).run()
    assert not at.exception, [e.value for e in at.exception]
    records = at.dataframe[0].value
    assert list(records["model"]) == ["ResNet-50", "SwiftViT-S", "(proposed)"]
    at.toggle(key="sota_baselines").set_value(True).run()
    records = at.dataframe[0].value
    assert list(records["model"]) == ["ResNet-50", "SwiftViT-S", "(proposed)", "GlideNet-L"]
    assert list(records["role"]) == ["own", "own", "own", "baseline"]
