"""A claim's model is never the benchmark or metric it is measured with (real sentences, dev abstracts)."""

from __future__ import annotations

import pytest

from extractors import extract_claims
from tracker.models import Paper

# (source, title, sentence, value, model the claim must NOT carry, metric it must carry or None)
ROWS = [
    ("dev d124", "KMMLU : Measuring Massive Multitask Language Understanding in Korean",
     "The best publicly available model achieves 50.54% on KMMLU, far below the average human performance of 62.6%.",
     50.54, "KMMLU", None),
    ("dev d132", "Tracking Objects as Points",
     "Using monocular video input, it achieves 28.3% AMOTA@0.2 on the newly released nuScenes 3D tracking benchmark, "
     "substantially outperforming the monocular baseline on this benchmark while running at 28 FPS.",
     28.3, "AMOTA", "other:amota"),
    ("dev d132", "Tracking Objects as Points",
     "Using monocular video input, it achieves 28.3% AMOTA@0.2 on the newly released nuScenes 3D tracking benchmark, "
     "substantially outperforming the monocular baseline on this benchmark while running at 28 FPS.",
     28, "AMOTA", "fps"),
]  # fmt: skip


@pytest.mark.parametrize("source, title, text, value, not_model, metric", ROWS, ids=[f"{r[0]}-{r[3]}" for r in ROWS])
def test_benchmark_or_metric_is_not_the_model(source, title, text, value, not_model, metric):
    claims = [c for c in extract_claims(Paper(id="t", title=title, abstract=text, source="test")) if c.value == value]
    assert claims, f"{source}: no claim for {value} in {text!r}"
    for c in claims:
        assert c.model != not_model, f"{source}: {value} credited to {c.model!r}, which names a benchmark/metric"
        if metric is not None:
            assert c.metric == metric, f"{source}: {value} read as {c.metric!r}, expected {metric!r}"
