"""tracker.evaluate gives exactly the figures of shared/tools/score.py on the same files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import evaluate
from tracker.cli import app

ROOT = Path(__file__).resolve().parents[2]
SCORE = ROOT / "tests" / "fixtures" / "shared" / "score.py"  # vendored copies of ../shared/
GOLD = ROOT / "tests" / "fixtures" / "shared" / "seed.jsonl"


SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize("vendored, original", [(GOLD, "gold/seed.jsonl"), (SCORE, "tools/score.py")])
def test_vendored_copies_match_shared(vendored, original):
    """The tests score against copies; when ../shared/ is beside the clone (as in CI) they must be identical."""
    source = SHARED / original
    if not source.is_file():
        pytest.skip("../shared/ is not beside this clone")
    assert vendored.read_bytes() == source.read_bytes(), f"{vendored} differs from {source}: copy it again"


def perturbed(gold: list[dict], variant: int) -> list[dict]:
    """Predictions derived from gold with misses, wrong metrics/kinds/values/fields and false positives."""
    out = []
    for i, g in enumerate(gold):
        p = dict(g)
        if (i + variant) % 7 == 0:
            continue  # a miss
        if (i + variant) % 5 == 1:
            p["metric"] = "accuracy" if g["metric"] != "accuracy" else "f1"
        if (i + variant) % 11 == 2:
            p["kind"] = "delta" if g["kind"] != "delta" else "absolute"
        if (i + variant) % 13 == 3:
            p["value"] = float(g["value"]) + 0.5
        if (i + variant) % 4 == 0:
            p["model"], p["dataset"], p["task"] = "Other", "COCO", "object_detection"
        if (i + variant) % 9 == 0:
            p = {"title": p.pop("paper"), **p}  # `title` instead of `paper`
        out.append(p)
        if i % 6 == variant % 6:
            out.append({**g, "value": 12345.0 + i, "quote": "made up"})  # a false positive
    out.append({"paper": "A paper not in gold", "value": 1.0, "metric": "fid", "kind": "absolute"})
    out.append({"paper_id": "unknown-id", "value": 2.0, "metric": "fid", "kind": "absolute"})
    return out


@pytest.mark.parametrize("variant", [0, 1, 2, 3])
@pytest.mark.parametrize("as_json", [False, True])
def test_same_output_as_score_py(tmp_path, variant, as_json):
    gold = evaluate.load_jsonl(GOLD)
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in perturbed(gold, variant)), encoding="utf-8")
    cmd = [sys.executable, str(SCORE), str(GOLD), str(pred)] + (["--json"] if as_json else [])
    expected = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert evaluate.format_result(evaluate.score_files(GOLD, pred), as_json=as_json) == expected
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--pred", str(pred)] + (["--json"] if as_json else []))
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_perfect_and_empty_predictions(tmp_path):
    gold = evaluate.load_jsonl(GOLD)
    perfect = evaluate.score(gold, gold).result
    assert perfect["claim_p_r_f1"] == (1.0, 1.0, 1.0)
    empty = evaluate.score(gold, []).result
    assert empty["predicted"] == 0 and empty["value_p_r_f1"] == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"paper": "x", "value": 1}\nnot json\n', "line 2: invalid JSON"),
        ('[1, 2]\n', "line 1: expected a JSON object"),
        ('{"paper": "x", "value": 1, "kind": "absolute"}\n', "claim 1: missing field 'metric'"),
    ],
)
def test_bad_gold_is_one_line(tmp_path, content, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content)
    pred = tmp_path / "pred.jsonl"
    pred.write_text("")
    result = CliRunner().invoke(app, ["eval", str(gold), "--pred", str(pred)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr and str(gold) in result.stderr
