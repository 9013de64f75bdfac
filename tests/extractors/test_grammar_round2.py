"""Table-driven tests of the round-2 grammar rules (extractor 1.1), one real abstract sentence per row.

Each row asserts only the fields the rule is about; the full acceptance table lives in tests/extraction.
"""

from __future__ import annotations

import pytest

from extractors import extract_claims
from extractors.claims import clean_text
from extractors.entities import _acronym_of, lexicon_for, proposed_name
from tracker.models import Paper
from tracker.vocab import load_vocab


def _claims(text: str, title: str = "A study"):
    return extract_claims(Paper(id="t", title=title, abstract=text, source="test"))


def _find(claims, value):
    hit = [c for c in claims if abs(c.value - value) < 1e-9]
    assert hit, f"no claim with value {value}: {[(c.value, c.metric, c.kind) for c in claims]}"
    return hit[0]


# --- markup is blanked, offsets stay valid --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "an average normalized improvement of **52\\%**",
    "$87.74 \\pm 0.13$ and $88.14 \\pm 0.15$",
    "outperforming FasterSeg [9] (73.1% mIoU at 170 FPS)",
    "perform poorly on this task (55.4{\\%})",
])
def test_clean_text_keeps_length(text):
    assert len(clean_text(text)) == len(text)


# --- the paper's own method name ------------------------------------------------------------------

@pytest.mark.parametrize("cand, words, ok", [
    ("CCT", "Compact Convolutional Transformers", True),
    ("Vim", "Vision Mamba", True),
    ("SIM", "One-Step Diffusion Distillation through Score Implicit Matching", True),
    ("APT", "Approximated Prompt Tuning for Vision-Language Pre-trained Models", True),
    ("MoT", "Mixture of Transformers", True),
    ("XYZ", "Vision Mamba", False),
])
def test_acronym_of_title_words(cand, words, ok):
    assert _acronym_of(cand, words.replace("-", " ").split()) is ok


@pytest.mark.parametrize("title, abstract, name", [
    ("Vision Mamba: Efficient Visual Representation Learning with Bidirectional State Space Model",
     "For example, Vim is 2.8x faster than DeiT and saves 86.8% GPU memory.", "Vim"),
    ("A ConvNet for the 2020s",
     "In this work, we reexamine the design spaces. The outcome is a family of pure ConvNet models dubbed ConvNeXt. Constructed entirely from ConvNet modules.",
     "ConvNeXt"),
    ("Escaping the Big Data Paradigm with Compact Transformers",
     "CCT also outperforms many modern CNN based approaches. Code: https://github.com/SHI-Labs/Compact-Transformers.", "CCT"),
    ("Paying Attention to Astronomical Transients: Introducing the Time-series Transformer for Photometric Classification",
     "Furthermore, the proposed time-series transformer architecture supports additional features.", "time-series transformer"),
])
def test_proposed_name(title, abstract, name):
    assert proposed_name(title, abstract, lexicon_for(load_vocab())) == name


# --- attribution: model and comparator ------------------------------------------------------------

@pytest.mark.parametrize("title, text, value, model, comparator", [
    ("ByteTransformer: A High-Performance Transformer Boosted for Variable-Length Inputs",
     "The end-to-end performance of ByteTransformer for a forward BERT transformer surpasses state-of-the-art transformer "
     "frameworks, such as PyTorch JIT, TensorFlow XLA, Tencent TurboTransformer, Microsoft DeepSpeed-Inference and NVIDIA "
     "FasterTransformer, by 87\\%, 131\\%, 138\\%, 74\\% and 55\\%, respectively.", 131, "ByteTransformer", "TensorFlow XLA"),
    ("YOLOv12: Attention-Centric Real-Time Object Detectors",
     "For example, YOLOv12-N achieves 40.6% mAP with an inference latency of 1.64 ms on a T4 GPU, outperforming advanced "
     "YOLOv10-N / YOLOv11-N by 2.1%/1.2% mAP with a comparable speed.", 1.2, "YOLOv12-N", "YOLOv11-N"),
    ("Context-Guided Spatial Feature Reconstruction for Efficient Semantic Segmentation",
     "Specifically, it achieves 43.6% mIoU on ADE20K with only 4.0 GFLOPs, which is 0.9% and 2.5% mIoU better than "
     "SeaFormer and SegNeXt but with about 38.0% fewer GFLOPs.", 2.5, None, "SegNeXt"),
    ("FMViT: A multiple-frequency mixing Vision Transformer",
     "Moreover, FMViT achieves comparable performance with EfficientNet-B5, but with a 43% improvement in inference speed.",
     43, "FMViT", "EfficientNet-B5"),
    ("Escaping the Big Data Paradigm with Compact Transformers",
     "We improve upon the existing baseline on ImageNet (82.71% accuracy with 29% as many parameters as ViT).", 29, None, "ViT"),
])
def test_model_and_comparator(title, text, value, model, comparator):
    c = _find(_claims(text, title), value)
    if model:
        assert c.model == model
    assert c.comparator == comparator


@pytest.mark.parametrize("text, values, models", [
    ("Surprisingly, even the most capable proprietary LLMs, e.g., GPT-4 and HyperCLOVA X, achieve 59.95% and 53.40%, respectively.",
     (59.95, 53.4), ("GPT-4", "HyperCLOVA X")),
    ("Though its questions are trivial for humans (>95% accuracy), state-of-the-art models struggle (<48%).", (95,), ("humans",)),
    ("In real-time settings, ESeg-Lite-S achieves 76.0% mIoU on CityScapes [12] at 189 FPS, outperforming FasterSeg [9] "
     "(73.1% mIoU at 170 FPS).", (76.0, 73.1), ("ESeg-Lite-S", "FasterSeg")),
])
def test_models_of_listed_numbers(text, values, models):
    claims = _claims(text)
    assert tuple(_find(claims, v).model for v in values) == models


# --- metric, kind, direction ----------------------------------------------------------------------

@pytest.mark.parametrize("text, value, metric, kind, direction", [
    ("We demonstrate up to 1.56x speedup and 2x memory reduction for LLMs.", 2, "memory", "ratio", "down"),
    ("It achieves relative word error rate (WER) improvements of 4% on test-clean and 14% on test-other.", 14, "wer", "delta", "down"),
    ("WiSE-FT improves accuracy by 1.6 pp, while saving up to 90% of parameters.", 90, "params", "delta", "down"),
    ("It reduces the MSE and MAE by 9.17% and 2.3% on five benchmark datasets.", 9.17, "other:mse", "delta", "down"),
    ("YOLOv10-S is 1.8x faster than RT-DETR-R18, meanwhile enjoying 2.8x smaller number of parameters and FLOPs.", 2.8, "flops", "ratio", "down"),
    ("DejaVu can reduce the inference latency of OPT-175B by over 2x compared to FasterTransformer, and over 6x compared "
     "to the Hugging Face implementation.", 6, "latency", "ratio", "down"),
    ("Specifically, we train GPT-3, an autoregressive language model with 175 billion parameters, 10x more than any previous "
     "non-sparse language model.", 10, "params", "ratio", "up"),
    ("Automatic metrics and human evaluations show the efficacy of approach, in particular where our best performing model is "
     "preferred over human conversationalists 47.7% of the time.", 47.7, "other:win_rate", "absolute", None),
    ("It retains 99% of the zero-shot performance.", 99, "performance", "ratio", "down"),
    ("Empirical results show that our benchmark is challenging compared to human performance (>20% gap).", 20, "performance", "delta", None),
    ("On a single-class dataset, our model achieves a mAP at 50 of 98.9% from scratch and 98.5% with pre-training.", 98.5, "map", "absolute", None),
    ("the improvements are 2.4 and 0.9 BLEU points on the small-scale and large-scale tasks, respectively.", 0.9, "bleu", "delta", None),
    ("We obtain a new result (11.8% top-5 error, 10-view test).", 11.8, "error_rate", "absolute", None),
])
def test_metric_kind_direction(text, value, metric, kind, direction):
    claims = [c for c in _claims(text) if abs(c.value - value) < 1e-9]
    assert (metric, kind) in {(c.metric, c.kind) for c in claims}, [(c.metric, c.kind) for c in claims]
    c = [c for c in claims if (c.metric, c.kind) == (metric, kind)][0]
    if direction:
        assert c.direction == direction


# --- numbers that are not claims ------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("while generating 22.05 kHz high-fidelity audio 167.9 times faster than real-time", 22.05),
    ("which quantizes all weights, activations, and KV cache in 4 bits.", 4),
    ("the LAION-4B dataset needs 240TB storage space", 240),
    ("to finetune a 65B parameter model on a single 48GB GPU", 48),
    ("despite spending on average over 30 minutes with unrestricted access to the web", 30),
    ("competitive results on the Switchboard 300h and LibriSpeech 1000h tasks", 300),
    ('such as "mention the keyword of AI at least 3 times".', 3),
    ("bootstrapped models can match the performance of a fully-supervised model with 10x more data.", 10),
    ("retain as high as 60% top-1 accuracy on ImageNet even after randomly occluding 80% of the image content.", 80),
    ("achieving up to Hit Ratio with K=10 (HR@10) 0.68 on 50k users", 10),
    ("WiSE-FT improves out-of-distribution accuracy by 4 to 6 percentage points (pp) over prior work.", 6),
    ("which are 1.7x - 2.7x faster than EfficientNets on TPUs", 2.7),
    ("achieve an ROC-AUC of $87.74 \\pm 0.13$ on the ogbn-proteins dataset.", 0.13),
])
def test_not_a_claim(text, value):
    assert all(abs(c.value - value) > 1e-9 for c in _claims(text))


# --- datasets and tasks ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, dataset", [
    ("For example, on the Rain100L, GoPro and DND datasets, we obtain PSNR gains of 4 dB, 0.81 dB and 0.21 dB, respectively.", 0.81, "GoPro"),
    ("TT-Rec achieves 117 times and 112 times model size compression, for Kaggle and Terabyte, respectively.", 112, "Criteo Terabyte"),
    ("Especially, it achieves 90.97% accuracy on RAF-DB and 0.22 epsilon-error on CLAP2015.", 0.22, "CLAP2015"),
])
def test_datasets(text, value, dataset):
    assert _find(_claims(text), value).dataset == dataset


def test_long_sentence_stays_fast():
    import time

    t = time.monotonic()
    _claims("1% " * 7000)
    assert time.monotonic() - t < 5
