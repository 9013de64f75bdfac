"""The error classes of issue 12, each as a table of sentences of its own (error_class_cases.py), checked with the
same strict matching as test_sentences.py (every expected claim, no unexpected claim, no must_not value)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from error_class_cases import CASES  # noqa: E402
from test_sentences import check, report  # noqa: E402

from extractors import extract_claims  # noqa: E402
from tracker.models import Paper  # noqa: E402


@pytest.mark.parametrize("name, i, case", CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_error_class(name: str, i: int, case) -> None:
    paper = Paper(id=f"{name}-{i}", title=case.title or "Untitled", abstract=case.text, source="test")
    claims = extract_claims(paper)
    problems = check(case, claims)
    assert not problems, report(case, claims, problems)
