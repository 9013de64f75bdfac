"""`tracker eval` run as a user runs it, its JSON turned into the figures the gold tests check."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tracker.cli import app


def eval_figures(*args: str) -> dict[str, float]:
    """Claim and value F1 and the field accuracies of `tracker eval ARGS --json --jobs 1`."""
    result = CliRunner().invoke(app, ["eval", *args, "--json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.stdout)
    return {"claim_f1": res["claim_p_r_f1"][2], "value_f1": res["value_p_r_f1"][2], **res["field_accuracy"]}
