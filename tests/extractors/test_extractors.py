"""Table-driven unit tests of the extractor modules over real strings."""

from __future__ import annotations

import random

import pytest

from extractors import EXTRACTOR_VERSION, extract_claims
from extractors.lexicon import PhraseIndex, tokenize
from extractors.numbers import find_numbers
from extractors.sentences import split_sentences
from tracker.models import Paper


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("84.1%", 84.1, "%"),
        ("84.1\\%", 84.1, "%"),
        ("$\\sim$3x faster", 3.0, "x"),
        ("3× faster", 3.0, "x"),
        ("2.5times faster", 2.5, "x"),
        ("4.2 times fewer", 4.2, "x"),
        ("\\textbf{84.1}", 84.1, None),
        ("+3.0%", 3.0, "%"),
        ("1,024 tokens", 1024.0, None),
        (".638", 0.638, None),
        ("1.1B", 1.1, "B"),
        ("46.8M parameters", 46.8, "M"),
        ("4.5G FLOPs", 4.5, "G"),
        ("4.5 GFLOPs", 4.5, "G"),
        ("1.6 ms", 1.6, "ms"),
        ("120 fps", 120.0, "fps"),
        ("32.5 dB", 32.5, "dB"),
        ("30fps@1440p", 30.0, "fps"),
    ],
)
def test_number_forms(text, value, unit):
    n = find_numbers(text)[0]
    assert (n.value, n.unit) == (value, unit)
    assert n.text in text[n.start:n.end]


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("more than 3.0% improvement", "more_than"),
        ("over 10x smaller", "more_than"),
        ("up to 35% higher", "up_to"),
        ("about 1.7% higher", "about"),
        ("around 2x training cost", "about"),
        ("$\\sim$3x", "about"),
        ("at least 5%", "at_least"),
        ("less than 2% extra parameters", "less_than"),
        ("only 21M parameters", "only"),
        ("as little as 0.28M parameters", "only"),
        ("merely 4.5G FLOPs", "only"),
        ("84.1% top-1", None),
    ],
)
def test_qualifiers(text, qualifier):
    assert find_numbers(text)[0].qualifier == qualifier


@pytest.mark.parametrize(
    "text, n",
    [
        ("We use e.g. ViT vs. ResNet in Fig. 3 with 84.1% acc. The model is good.", 2),
        ("It reaches 83.3% (Sec. 2). Results follow.", 2),
        ("Smith et al. show this. We improve it by 2.5%.", 2),
        ("One sentence only with 3.5 decimals", 1),
    ],
)
def test_sentence_split(text, n):
    spans = split_sentences(text)
    assert len(spans) == n
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_phrase_index_aliases():
    ix = PhraseIndex({"ImageNet-1K": ["ImageNet", "IN-1K"], "COCO": ["MS-COCO", "COCO"], "QuALITY": ["QuALITY"]})
    s = "on imagenet? no: on ImageNet and IN-1K and MS COCO, good quality"
    found = [(s[m[0]:m[1]], m[2]) for m in ix.find(tokenize(s))]
    # single-word mixed-case aliases match case-sensitively: "quality" is not QuALITY, "imagenet" needs its own alias
    assert found == [("ImageNet", "ImageNet-1K"), ("IN-1K", "ImageNet-1K"), ("MS COCO", "COCO")]


def _paper(abstract: str, title: str = "FMViT: A test") -> Paper:
    return Paper(id="t", title=title, abstract=abstract, source="test")


@pytest.mark.parametrize(
    "abstract, expected",
    [
        ("On the TensorRT platform, FMViT outperforms Resnet101 by 2.5% (83.3% vs. 80.8%) in top-1 accuracy on the ImageNet dataset.",
         {(2.5, "top1_accuracy", "delta"), (83.3, "top1_accuracy", "absolute"), (80.8, "top1_accuracy", "absolute")}),
        ("NViT-Base achieves a 2.6x FLOPs reduction over the DeiT-Base model.", {(2.6, "flops", "ratio")}),
        ("We scale the model up to 20B parameters.", {(20.0, "params", "absolute")}),
        ("Our model reaches 58.7 box AP and 51.1 mask AP on COCO test-dev.", {(58.7, "box_ap", "absolute"), (51.1, "mask_ap", "absolute")}),
        ("It achieves an FID of 2.06 on CIFAR-10.", {(2.06, "fid", "absolute")}),
        ("MoT matches the dense baseline using only 55.8\\% of the FLOPs.", {(55.8, "flops", "ratio")}),
    ],
)
def test_claims(abstract, expected):
    got = {(c.value, c.metric, c.kind) for c in extract_claims(_paper(abstract))}
    assert expected <= got


@pytest.mark.parametrize(
    "abstract",
    [
        "We pre-train ViTs on 266,340 chest X-rays using masked autoencoders.",
        "It is trained on more than 1.1B (billion) chemical SMILES.",
        "We find it is because: 1) the tokenization fails; 2) the backbone is redundant.",
        "Transformers have achieved state-of-the-art performance (for example, BERT and GPT-3) since 2017.",
        "We fine-tune wav2vec 2.0 and HuBERT on 8 benchmarks in 12 languages.",
        "Images are generated at 1024x1024 resolution with 16times16 patches.",
        "The improvement is significant (P-value < 0.001). Code: https://github.com/x/y2023",
        "Experiments show superiority on CelebA-HQ 1024 and 3D generation with T2I models.",
    ],
)
def test_non_claims(abstract):
    assert extract_claims(_paper(abstract, "A study")) == []


def test_quotes_and_robustness():
    rng = random.Random(0)
    texts = [
        "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(3000)),
        "\\textbf{84.1}\\% $\\sim$3x " * 2000,
        "1" * 5000,
        "(((((((((((( 3.5% ]]]] vs. vs. vs. 2 x 3 x",
    ]
    for t in texts:
        for c in extract_claims(_paper(t)):
            assert t[c.start:c.end] == c.quote
            assert c.extractor_version == EXTRACTOR_VERSION


def test_deterministic_and_ordered():
    ab = "FMViT outperforms MobileOne by 2.6% in top-1 accuracy on ImageNet (78.5% vs. 75.9%). It runs 1.6 ms on iPhone 12."
    a, b = extract_claims(_paper(ab)), extract_claims(_paper(ab))
    assert [c.model_dump() for c in a] == [c.model_dump() for c in b]
    assert [c.start for c in a] == sorted(c.start for c in a)
