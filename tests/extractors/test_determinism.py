"""Extraction must not depend on the interpreter's hash seed: `tracker load --jobs N` extracts in worker
processes whose seed differs from the main process's, and a reload must give the same claims.

The abstract below is made of real sentences (the bundled sample and dev abstracts, as the benchmark
generator mixes them): an efficiency abstract whose ratio claims take the task of the abstract's
benchmark, and two benchmarks mentioned once each. Until 1.2.2 the tie was broken by set order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from extractors import extract_claims
from tracker.models import Paper
from tracker.vocab import load_vocab

RATIOS = (
    "Existing autoencoder models have demonstrated impressive results at a moderate spatial compression ratio "
    "(e.g., 8x), but fail to maintain satisfactory reconstruction accuracy for high spatial compression ratios "
    "(e.g., 64x)."
)
IMAGENET = (
    "(c) we finetune generative image models for ImageNet classification and find smooth scaling of the "
    "classification loss and error rate, even as the generative loss levels off."
)
MOT = "For MOT17: 80.5 MOTA, 80.2 IDF1, and 65.0 HOTA are achieved."
GET3D = (
    "In this work, we introduce GET3D, a Generative model that directly generates Explicit Textured 3D meshes "
    "with complex topology, rich geometric details, and high fidelity textures."
)
TITLE = "Global Vision Transformer Pruning with Hessian-Aware Saliency"

SCRIPT = """
import json, sys
from extractors import extract_claims
from tracker.models import Paper
from tracker.vocab import load_vocab
v = load_vocab()
out = []
for i, text in enumerate(json.loads(sys.argv[1])):
    p = Paper(id=f"t{i}", title=sys.argv[2], abstract=text, source="test")
    out.append([c.model_dump(mode="json") for c in extract_claims(p, v)])
print(json.dumps(out))
"""


def _ratio_tasks(abstract: str) -> set[str | None]:
    claims = extract_claims(Paper(id="t", title=TITLE, abstract=abstract, source="test"), load_vocab())
    return {c.task for c in claims if c.value in (8.0, 64.0)}


@pytest.mark.parametrize(
    ("order", "task"),
    [
        ((RATIOS, IMAGENET, GET3D, MOT), "image_classification"),  # ImageNet named first
        ((RATIOS, MOT, GET3D, IMAGENET), "multi_object_tracking"),  # MOT17 named first
    ],
)
def test_a_tie_between_benchmarks_goes_to_the_first_named(order: tuple[str, ...], task: str) -> None:
    assert _ratio_tasks(" ".join(order)) == {task}


def test_same_claims_under_every_hash_seed() -> None:
    texts = [" ".join((RATIOS, IMAGENET, GET3D, MOT)), " ".join((RATIOS, MOT, GET3D, IMAGENET))]
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT, json.dumps(texts), TITLE], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    claims = json.loads(outputs.pop())
    assert all(claims) and len(claims[0]) == len(claims[1]) == 5
