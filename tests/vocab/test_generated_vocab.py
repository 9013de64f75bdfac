"""The generated vocabulary of the field: what real names resolve to, splits as conditions, directions per
family, curated entries winning, ambiguous names never matched alone, and the committed files' invariants
(a rebuild from the pinned sources when they are at hand: CLAIMTRACK_VOCAB_SOURCES=DIR with DIR/pwc,
DIR/sota and DIR/wheels)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import extract_claims
from tracker.models import Paper
from tracker.vocab import _load, load_vocab
from tracker.vocab_lookup import index_for
from tracker.vocab_names import alias_key, split_condition

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "tracker" / "vocab" / "generated"
BUILD = ROOT / "tracker" / "vocab" / "build"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, BUILD / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BUILD))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BUILD))
    return mod


@pytest.fixture(scope="module")
def vocab():
    return load_vocab()


@pytest.fixture(scope="module")
def index(vocab):
    return index_for(vocab)


@pytest.fixture(scope="module")
def files():
    return {s: json.loads((GEN / f"{s}.json").read_text(encoding="utf-8")) for s in ("datasets", "tasks", "metrics")}


# --- what a name resolves to ---


@pytest.mark.parametrize("text, kind, name, how, condition", [
    ("ImageNet 1K", "datasets", "ImageNet-1K", "alias", None),
    ("IN-1K", "datasets", "ImageNet-1K", "alias", None),
    ("imagenet1k", "datasets", "ImageNet-1K", "alias", None),
    ("COCO test-dev", "datasets", "COCO", "alias", None),
    ("Kinetics-400 (val)", "datasets", "Kinetics-400", "split", "val"),
    ("CIFAR-100, 40% Symmetric Noise", "datasets", "CIFAR-100", "split", "40% Symmetric Noise"),
    ("ColonINST-v1 (Unseen)", "datasets", "ColonINST-v1", "split", "Unseen"),
    ("HellaSwag", "datasets", "HellaSwag", "alias", None),
    ("Matterport3D", "datasets", "Matterport3D", "alias", None),
    ("visual question answering", "tasks", "visual_question_answering", "alias", None),
    ("Named Entity Recognition", "tasks", "named_entity_recognition", "alias", None),
    ("APS", "metrics", "box_ap", "variant", "small objects"),
    ("R@50", "metrics", "other:recall@k", "variant", "k=50"),
    ("Pass@8", "metrics", "other:pass@1", "variant", "k=8"),
    ("Mean IoU (test)", "metrics", "miou", "variant", "test"),
    ("AP50", "metrics", "other:ap50", "alias", None),  # the curated entry owns it
    ("Lost and Found", "datasets", "Lost and Found", "context", None),
    ("Google", "datasets", "Google", "context", None),
    ("BERT", "metrics", "other:bert", "context", None),
    ("Overall", "metrics", "other:overall", "context", None),
])  # fmt: skip
def test_find(index, text, kind, name, how, condition):
    hits = [(h.kind, h.name, h.how, h.condition) for h in index.find(text)]
    assert (kind, name, how, condition) in hits, hits


@pytest.mark.parametrize("text", ["MS", "xqzzy benchmark 9"])
def test_find_nothing(index, text):
    assert index.find(text) == []


@pytest.mark.parametrize("name, expected", [
    ("COCO test-dev", ("COCO", "test-dev")),
    ("COCO val2017", ("COCO", "val2017")),
    ("Kinetics-400 (val)", ("Kinetics-400", "val")),
    ("CIFAR-100, 40% Symmetric Noise", ("CIFAR-100", "40% Symmetric Noise")),
    ("GQA test-std", ("GQA", "test-std")),
    ("TextVQA test-standard", ("TextVQA", "test-standard")),
    ("LibriSpeech test-clean", ("LibriSpeech", "test-clean")),
    ("COCO-Stuff val (full)", ("COCO-Stuff", "val; full")),
    ("VisDrone- 1% labeled data", ("VisDrone", "1% labeled data")),
    ("PASCAL Part 2010 - Animals", None),  # "Animals" is no split, and the base is not known here
    ("CUB-200-2011", None),
    ("Visual Question Answering (VQA)", None),
    ("Chest X-Ray Images (Pneumonia)", None),
    ("nuScenes", None),
    ("Test", None),
])  # fmt: skip
def test_split_condition(name, expected):
    assert split_condition(name) == expected


def test_split_condition_with_known_base():
    assert split_condition("PASCAL Part 2010 - Animals", {alias_key("PASCAL Part 2010")}) == ("PASCAL Part 2010", "Animals")


# --- directions ---


@pytest.mark.parametrize("name, group, higher", [
    ("FID", "distance", False),
    ("Top-1 Accuracy", "accuracy", True),
    ("Latency (ms)", "latency", False),
    ("Params (M)", "size", False),
    ("GFLOPs", "compute", False),
    ("BLEU-4", "text_overlap", True),
    ("mAP@0.5", "ap", True),
    ("Word Error Rate", "error", False),
    ("FPS", "throughput", True),
    ("Pearson Correlation", "correlation", True),
    ("Chamfer Distance", "distance", False),
    ("energy MAE", "distance", False),
    ("DER no overlap", "error", False),
    ("Accuracy per class", "accuracy", True),
    ("Perplexity", "loss", False),
    ("PSNR", "fidelity", True),
    ("Kappa", "correlation", True),
    ("Reasoning (Spa.)", "score", True),  # no family word: a score
])  # fmt: skip
def test_family_rule(name, group, higher):
    g, _, hib, _, _ = _module("build_vocab").metric_group(name)
    assert (g, hib) == (group, higher)


@pytest.mark.parametrize("metric, higher, how", [
    ("other:word_perplexity", False, "source: lm-eval"),
    ("other:acc_norm", True, "source: lm-eval"),
    ("other:kl_divergence", False, "source: torchmetrics"),
    ("other:median_relative_edit_distance", False, "rule: distance"),
    ("other:jaccard_index", True, "rule: overlap"),
    ("fid", False, "curated"),
    ("top1_accuracy", True, "curated"),
])  # fmt: skip
def test_metric_direction_and_how(vocab, metric, higher, how):
    m = vocab.metrics[metric]
    assert (m.higher_is_better, m.direction) == (higher, how)


def test_every_metric_has_a_direction(vocab):
    assert all(isinstance(m.higher_is_better, bool) for m in vocab.metrics.values())
    assert {m.direction.split(":")[0] for m in vocab.metrics.values()} <= {"curated", "source", "rule"}


# --- curated wins, context never matches ---


@pytest.mark.parametrize("dataset, task, metric", [
    ("ImageNet-1K", "image_classification", "top1_accuracy"),
    ("COCO", "object_detection", "box_ap"),
    ("CIFAR-100", "image_classification", "accuracy"),
])  # fmt: skip
def test_curated_entry_wins(vocab, dataset, task, metric):
    d = vocab.datasets[dataset]
    assert (d.task, d.metric) == (task, metric)
    assert d.source[0] == "curated" and "pwc" in d.source  # taxonomy and provenance from the archive kept
    assert d.tasks[0] == task


def test_curated_layer_alone():
    curated, full = _load((), False), _load((), True)
    assert len(curated.datasets) < 1000 < len(full.datasets)
    assert curated.datasets["COCO"].aliases == full.datasets["COCO"].aliases


@pytest.mark.parametrize("section, name, phrase", [
    ("metrics", "other:overall", "overall"),
    ("datasets", "Google", "Google"),
    ("datasets", "Lost and Found", "Lost and Found"),
    ("tasks", "classification", "classification"),
])  # fmt: skip
def test_context_names_are_not_matched(vocab, section, name, phrase):
    assert phrase.lower() not in {p.lower() for p in vocab.phrases(section).get(name, [])}


@pytest.mark.parametrize("task, ancestor, phrase", [
    ("artistic_style_classification", "image_classification", "artistic style classification"),
    ("aspect_extraction", "sentiment_analysis", "aspect extraction"),
])  # fmt: skip
def test_generated_subtask_reports_as_curated_ancestor(vocab, task, ancestor, phrase):
    assert vocab.tasks[task].report_as == ancestor
    assert phrase in {p.lower() for p in vocab.phrases("tasks")[ancestor]}
    assert task not in vocab.phrases("tasks")


def test_subtask_naming_a_curated_task_needs_context(vocab):
    """"Few-Shot Object Detection" holds "object detection": the curated name matches it already."""
    t = vocab.tasks["few_shot_object_detection"]
    assert t.parent == "object_detection" and "Few-Shot Object Detection" in t.context


@pytest.mark.parametrize("text, name, alone", [
    ("Lost and Found dataset", "Lost and Found", "Lost and Found"),
    ("A2D2 benchmark", "A2D2", "A2D2"),
])  # fmt: skip
def test_ambiguous_dataset_matches_with_a_context_word(vocab, index, text, name, alone):
    assert ("datasets", name, "alias") in [(h.kind, h.name, h.how) for h in index.find(text)]
    assert alone.lower() not in {p.lower() for p in vocab.phrases("datasets")[name]}


@pytest.mark.parametrize("text", ["Google benchmark", "Places dataset", "BERT dataset"])
def test_no_context_word_for_names_and_words(index, text):
    assert not [h for h in index.find(text) if h.how == "alias"]


def _claims(abstract: str, vocab):
    return extract_claims(Paper(id="t", title="A test paper", abstract=abstract, source="test"), vocab)


@pytest.mark.parametrize("abstract, dataset", [
    ("Our model reaches 71.3% accuracy on HellaSwag.", "HellaSwag"),
    ("We obtain 45.2% mIoU on the Matterport3D benchmark.", "Matterport3D"),
    ("We release the code on Google Drive and reach 80.1% accuracy on CIFAR-10.", "CIFAR-10"),
])  # fmt: skip
def test_extraction_uses_generated_datasets(vocab, abstract, dataset):
    claims = _claims(abstract, vocab)
    assert [c.dataset for c in claims] == [dataset]


# --- the committed files ---


def test_counts(files):
    assert len(files["datasets"]["datasets"]) >= 3000
    assert len(files["tasks"]["tasks"]) >= 1000
    assert len(files["metrics"]["metrics"]) >= 400
    areas = {t.get("area") for t in files["tasks"]["tasks"].values()}
    assert {"Computer Vision", "Natural Language Processing", "Audio", "Other"} <= areas


def test_files_are_sorted_and_sourced(files):
    for sec, doc in files.items():
        names = list(doc[sec])
        assert names == sorted(names), sec
        assert all(e["source"] for e in doc[sec].values()), sec
        assert set(doc["about"]["sources"]) == {"pwc", "sota-extractor", "lm-eval", "mteb", "torchmetrics"}
        assert "CC BY-SA" in doc["about"]["license"]


def test_pins_named_in_files(files):
    src = _module("sources")
    about = files["datasets"]["about"]["sources"]
    assert src.PWC["commit"] in about["pwc"] and src.SOTA["commit"] in about["sota-extractor"]
    for k, pin in src.WHEELS.items():
        assert pin["sha256"] in about[k]


def test_no_generated_alias_takes_a_curated_name(files):
    b = _module("build_vocab")
    cur = b.Curated()
    for sec, doc in files.items():
        for name, e in doc[sec].items():
            for a in e.get("aliases", []) + e.get("context", []):
                assert alias_key(a) not in cur.keys[sec], (sec, name, a)


def test_references_resolve(files):
    tasks, metrics = files["tasks"]["tasks"], files["metrics"]["metrics"]
    cur = _module("build_vocab").Curated()
    known_tasks, known_metrics = set(tasks) | set(cur.raw["tasks"]), set(metrics) | set(cur.raw["metrics"])
    for name, d in files["datasets"]["datasets"].items():
        assert d.get("task") is None or d["task"] in known_tasks, name
        assert all(m in known_metrics for m in d.get("metrics", [])), name
    for name, t in tasks.items():
        assert t.get("parent") is None or t["parent"] in known_tasks, name
        assert t.get("report_as") is None or t["report_as"] in cur.raw["tasks"], name


def test_file_format_is_the_builders(files):
    """The committed bytes are exactly what the build's writer gives for their content (one entry a line)."""
    b = _module("build_vocab")
    for sec, doc in files.items():
        text = (GEN / f"{sec}.json").read_text(encoding="utf-8")
        assert b._dump(doc["about"], doc["collisions"], sec, doc[sec]) == text


def test_rebuild_matches_committed_files():
    """Regenerating from the pinned sources gives the committed bytes (needs the sources: see module doc)."""
    root = os.environ.get("CLAIMTRACK_VOCAB_SOURCES")
    if not root:
        pytest.skip("CLAIMTRACK_VOCAB_SOURCES not set (a dir with pwc/, sota/ and wheels/)")
    r = Path(root)
    proc = subprocess.run([sys.executable, str(BUILD / "build_vocab.py"), "--pwc", str(r / "pwc"), "--sota", str(r / "sota"),
                           "--wheels", str(r / "wheels"), "--check"], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
