"""Reviews made on the claims of extractor 1.2.2 still find their claims under the current extractor.

`tests/fixtures/extraction/sample_claims_1.2.2.jsonl` holds the claims 1.2.2 extracted from the bundled sample
(generated before the 1.3 rewrite, never regenerated). Each becomes an `accept` review anchored on that old claim
and is imported (`tracker reviews import`) into a database loaded with today's extractor; `review_resolution` then
attaches it to a current claim by claim id or by overlap (same value and kind, overlapping span). The test computes
independently which old claims still have a current reading and checks that the store resolves exactly those, and
that nearly all do: a rewrite that moves quotes or renames metrics must not orphan reviews.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.models import Claim
from tracker.reviews import Review, anchor_of

OLD = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "sample_claims_1.2.2.jsonl"
MIN_RESOLVED = 0.95  # share of the old claims whose review must attach to a current claim


def old_claims() -> list[Claim]:
    out = []
    for line in OLD.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        claim_id = d.pop("claim_id")
        c = Claim(**d)
        assert c.claim_id == claim_id and c.extractor_version == "1.2.2"
        out.append(c)
    return out


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Claim], dict[str, tuple], list[tuple]]:
    tmp = tmp_path_factory.mktemp("review_resolution")
    db = tmp / "claims.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["load", "--sample", "--db", str(db), "--jobs", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    olds = old_claims()
    reviews = [Review(paper_id=c.paper_id, action="accept", anchor=anchor_of(c), note="checked under 1.2.2") for c in olds]
    f = tmp / "reviews.jsonl"
    f.write_text("".join(r.model_dump_json() + "\n" for r in reviews), encoding="utf-8")
    res = runner.invoke(app, ["reviews", "import", str(f), "--db", str(db)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        states = {r[0]: r[1:] for r in con.execute("SELECT anchor_claim_id, state, claim_id, matched_by FROM review_resolution").fetchall()}
        current = con.execute("SELECT paper_id, claim_id, value, kind, start_offset, end_offset, extractor_version FROM claims").fetchall()
    finally:
        con.close()
    return olds, states, current


def test_current_claims_are_of_the_new_version(resolved) -> None:
    from extractors import EXTRACTOR_VERSION

    _, _, current = resolved
    assert EXTRACTOR_VERSION != "1.2.2" and {c[6] for c in current} == {EXTRACTOR_VERSION}


def test_store_resolves_exactly_the_old_claims_that_still_have_a_reading(resolved) -> None:
    olds, states, current = resolved
    by_paper: dict[str, list[tuple]] = {}
    for row in current:
        by_paper.setdefault(row[0], []).append(row)
    for c in olds:
        has_reading = any(r[1] == c.claim_id or (r[2] == c.value and r[3] == c.kind and r[4] < c.end and c.start < r[5])
                          for r in by_paper.get(c.paper_id, []))
        state = states[c.claim_id][0]
        assert (state != "orphaned") == has_reading, f"{c.paper_id}: {c.quote!r} {c.value} {c.kind}: {state}"


def test_nearly_every_review_of_the_old_version_attaches(resolved) -> None:
    olds, states, _ = resolved
    orphaned = [c for c in olds if states[c.claim_id][0] == "orphaned"]
    share = 1 - len(orphaned) / len(olds)
    assert share >= MIN_RESOLVED, f"{share:.3f} resolved; orphaned: " + "; ".join(f"{c.paper[:30]}: {c.quote!r}" for c in orphaned)
