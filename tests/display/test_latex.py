"""LaTeX of abstracts rendered for people (tracker/latex.py): the sentences are from the bundled sample and
arXiv abstracts; the stored quote stays verbatim, only what is shown changes."""

from __future__ import annotations

import pytest

from tracker.latex import readable

CASES = [
    # (as written in the abstract, as shown)
    ("et50 (21.5M parameters) can achieve 83.3\\% top1 accuracy in image resolution",
     "et50 (21.5M parameters) can achieve 83.3% top1 accuracy in image resolution"),
    ("conditioning information, \\eg, simple concatenation", "conditioning information, e.g., simple concatenation"),
    ("to the ViT architecture (\\ie shift, scale, and distortion", "to the ViT architecture (i.e. shift, scale, and distortion"),
    ("derived from raw data\\textemdash are formed", "derived from raw data— are formed"),
    ("a $4\\times$ speed-up with $\\sim$1\\% drop", "a 4× speed-up with ~1% drop"),
    ("reduces FLOPs by $2.5\\times$ on ImageNet~\\cite{x}", "reduces FLOPs by 2.5× on ImageNet \\cite{x}"),
    ("an error of $10^{-3}$ at $\\pm 0.2$", "an error of 10⁻³ at ± 0.2"),
    ("\\textbf{ViT-H/14} reaches 88.55\\% on \\emph{ImageNet}", "ViT-H/14 reaches 88.55% on ImageNet"),
    ("costs \\$5 per run and 3 \\& 4 layers", "costs $5 per run and 3 & 4 layers"),
    ("how \\model handles conditioning", "how \\model handles conditioning"),  # a paper's own macro: as written
    ("no LaTeX here: 84.1 % top-1", "no LaTeX here: 84.1 % top-1"),
    ("", ""),
]


@pytest.mark.parametrize(("written", "shown"), CASES)
def test_readable(written: str, shown: str) -> None:
    assert readable(written) == shown

