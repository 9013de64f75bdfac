"""The byte guard in front of the JSON parsers (tracker/readers/json_guard.py), on real-format inputs.

Depth: 100 nested arrays/objects pass, 101 are refused, in a JSONL line and in a Hugging Face JSON
file alike. Strings: the guard's character count is a lower bound of the decoded length (never
refuses what the exact field check accepts), exact for text without \\u escapes, the same however
the bytes are split into chunks, and past the limit the read stops.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.readers import ReaderError, read_papers
from tracker.readers.common import ABSTRACT_LIMIT
from tracker.readers.json_guard import MAX_JSON_DEPTH, JSONGuard, JSONLimitError, check_json_line

ABSTRACT = (
    "We present a detector that reaches 54.8 box AP on COCO test-dev with 3.1x fewer FLOPs than the "
    "strongest baseline, and 84.1% top-1 accuracy on ImageNet-1K."
)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def jsonl_with_extra(tmp: Path, extra: str) -> Path:
    p = tmp / "papers.jsonl"
    p.write_text(
        json.dumps({"id": "g-1", "title": "A detector", "abstract": ABSTRACT}) + "\n"
        + '{"id": "g-2", "title": "Another", "abstract": "' + ABSTRACT + '", "extra": ' + extra + "}\n",
        encoding="utf-8",
    )  # fmt: skip
    return p


def _hf(tmp: Path, extra: str, *, array: bool) -> Path:
    """HF daily-papers JSON, two papers, the second with `extra`: an array of API objects (array=True),
    or the other shape, the objects one after another with no array around them."""
    papers = [
        '{"paper": {"id": "2106.00001", "title": "A detector", "summary": "' + ABSTRACT + '"}}',
        '{"paper": {"id": "2106.00002", "title": "Another", "summary": "' + ABSTRACT + '", "extra": ' + extra + "}}",
    ]
    p = tmp / ("daily.json" if array else "daily_objects.json")
    p.write_text("[" + ", ".join(papers) + "]" if array else "".join(x + "\n" for x in papers), encoding="utf-8")
    return p


def hf_with_extra(tmp: Path, extra: str) -> Path:
    return _hf(tmp, extra, array=True)


def hf_objects_with_extra(tmp: Path, extra: str) -> Path:
    return _hf(tmp, extra, array=False)


# The record nests the extra value 1 (JSONL object), 3 (HF array > item > paper) or 2 levels deep.
@pytest.mark.parametrize(
    "make, around, record",
    [(jsonl_with_extra, 1, "line 2"), (hf_with_extra, 3, "paper 2"), (hf_objects_with_extra, 2, "paper 2")],
    ids=["jsonl", "hf_daily_json", "hf_daily_json objects"],
)
@pytest.mark.parametrize("over", [0, 1, 5000])
def test_depth_limit(tmp_path, make, around, record, over):
    path = make(tmp_path, nested(MAX_JSON_DEPTH - around + over))
    if over == 0:
        assert [p.id for p in read_papers(path)][-1].endswith("2")
        return
    with pytest.raises(ReaderError) as ei:
        list(read_papers(path))
    assert ei.value.record == record
    assert f"nested deeper than {MAX_JSON_DEPTH}" in ei.value.problem


@pytest.mark.parametrize(
    "text",
    [
        ABSTRACT,
        "accuracy of 84.1 % — “quoted” and naïve café ΔAP +2.1 · 1.6 ms on iPhone 12 😀",
        "escapes \\n\\t\\\\ \\\" and \\u00e9 \\u2014 \\ud83d\\ude00 mixed with é",
        "\\u0041" * 50,
        "",
    ],
)
def test_string_count_is_a_lower_bound_exact_without_u_escapes(text):
    raw = ('"' + text + '"').encode("utf-8")
    decoded = json.loads(raw)
    g = JSONGuard(max_chars=10**9)
    g.feed(raw)
    counted = g._units / 2  # the half-characters of the last string read
    assert counted <= len(decoded)
    if "\\u" not in text:
        assert counted == len(decoded)


@pytest.mark.parametrize("limit", [ABSTRACT_LIMIT])
@pytest.mark.parametrize("extra_chars, refused", [(0, False), (1, True), (10_000_000, True)])
def test_abstract_at_and_over_the_limit_in_hf_json(tmp_path, limit, extra_chars, refused):
    body = (ABSTRACT + " ") * (limit // (len(ABSTRACT) + 1) + 1)
    summary = body[: limit + extra_chars]
    p = tmp_path / "daily.json"
    p.write_text(json.dumps([{"paper": {"id": "2106.00001", "title": "Long", "summary": summary}}]), encoding="utf-8")
    if not refused:
        assert len(next(read_papers(p)).abstract) == limit
        return
    with pytest.raises(ReaderError) as ei:
        list(read_papers(p))
    assert ei.value.record == "paper 1" and str(limit) in ei.value.problem


@settings(max_examples=200, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=40),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
        max_leaves=30,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=8),
    ascii_only=st.booleans(),
)
def test_chunking_does_not_change_the_verdict(value, cuts, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    whole = JSONGuard(max_depth=3, max_chars=10)
    verdict_whole = _verdict(whole, [raw])
    points = sorted({c % (len(raw) + 1) for c in cuts})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)])]
    assert _verdict(JSONGuard(max_depth=3, max_chars=10), pieces) == verdict_whole
    assert _verdict(JSONGuard(max_depth=3, max_chars=10), [raw[i : i + 1] for i in range(len(raw))]) == verdict_whole


def _verdict(guard: JSONGuard, pieces: list[bytes]) -> str:
    try:
        for piece in pieces:
            guard.feed(piece)
    except JSONLimitError as e:
        return str(e).split(" (byte")[0]
    return f"ok depth={guard.depth}"


def test_line_check_fast_path_and_deep_line():
    check_json_line(json.dumps({"a": [[[1]]], "b": "[" * 500}))  # brackets inside a string do not nest
    with pytest.raises(JSONLimitError):
        check_json_line('{"a": ' + nested(MAX_JSON_DEPTH) + "}")
