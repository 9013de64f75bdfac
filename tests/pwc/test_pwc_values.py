"""The archive's cell values and names: strings as people typed them (most taken from the real tables in
tests/fixtures/pwc/real/), read into numbers or refused with a reason."""

from __future__ import annotations

import pytest

from tracker.pwc.names import NameMapper, guess_higher_is_better, key, other_metric, unit_hint
from tracker.pwc.values import parse_value
from tracker.readers.pwc import Alias
from tracker.vocab import load_vocab


@pytest.mark.parametrize(
    ("raw", "value", "unit", "spread", "problem"),
    [
        ("84.1", 84.1, None, None, None),
        ("84.1%", 84.1, "%", None, None),
        ("1.2M", 1.2, "M", None, None),
        ("3.0m", 3.0, "M", None, None),  # snli.json: parameters
        ("220k", 220.0, "K", None, None),
        ("0.8428 ± 0.0014", 0.8428, None, "± 0.0014", None),  # ogb.json
        ("2.53 ± 0.40", 2.53, None, "± 0.40", None),  # redditsota.json
        ("0.25±0.005", 0.25, None, "± 0.005", None),
        ("83.3 (±0.2)", 83.3, None, "± 0.2", None),
        ("\ufeff93.3", 93.3, None, None, None),  # nlp-progress.json
        ("63.7*", 63.7, None, None, None),
        ("60.7+", 60.7, None, None, None),
        ("70.14 (measured by GLUE server)", 70.14, None, None, None),
        ("1,234.5", 1234.5, None, None, None),
        ("-0.5", -0.5, None, None, None),
        ("12 ms", 12.0, "ms", None, None),
        (81.3, 81.3, None, None, None),  # eff.json has JSON numbers
        (7, 7.0, None, None, None),
        ("N/A", None, None, None, "no value"),
        ("-", None, None, None, "no value"),
        ("--", None, None, None, "no value"),
        ("--*", None, None, None, "no value"),
        ("−", None, None, None, "no value"),
        ("", None, None, None, "no value"),
        (None, None, None, None, "no value"),
        ("93.0/90.7", None, None, None, "more than a number"),
        ("15M params", None, None, None, "more than a number"),
        ("(32.76 32.07 26.26 25.01)", None, None, None, "not a number"),
        ("Please tell us", None, None, None, "not a number"),  # ogb.json
        ("**Precision**", None, None, None, "not a number"),  # nlpprogress.json
        (True, None, None, None, "not a number (true/false)"),
        ([1, 2], None, None, None, "not a number (list)"),
    ],
)
def test_parse_value(raw, value, unit, spread, problem):
    p = parse_value(raw)
    assert (p.value, p.unit, p.spread, p.problem) == (value, unit, spread, problem)


@pytest.mark.parametrize(("raw", "number"), [("91.30", "91.3"), ("83.0", "83.0"), ("-2.5%", "2.5"), (81.3, "81.3")])
def test_number_as_written_in_an_abstract(raw, number):
    assert parse_value(raw).number == number


VOCAB = load_vocab()


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("Top 1 Accuracy", "top1_accuracy"),
        ("Top-1 Accuracy", "top1_accuracy"),
        ("Top 5 Accuracy", "top5_accuracy"),
        ("Number of params", "params"),
        ("Params (M)", "params"),
        ("GFLOPs", "flops"),
        ("box AP", "box_ap"),
        ("Test Accuracy", "accuracy"),
        ("Accuracy (%)", "accuracy"),
        ("FID", "fid"),
        ("Inference Time (ms)", "latency"),
        ("Percentage correct", "other:percentage_correct"),
        ("Hits@10", "other:hr@10"),  # the vocabulary names it
        ("Validation perplexity", "perplexity"),
        ("Mean Rank", "other:mean_rank"),
    ],
)
def test_metric_names_onto_the_vocabulary(name, metric):
    assert NameMapper(VOCAB).metric(name) == metric


@pytest.mark.parametrize(
    ("name", "higher"),
    [("Validation perplexity", False), ("Mean Rank", False), ("Test Error", False), ("Hits@10", True),
     ("Percentage correct", True), ("Inference time", False), ("MRR", True), ("Error (lower is better)", False)],
)  # fmt: skip
def test_direction_of_unknown_metrics(name, higher):
    assert guess_higher_is_better(name) is higher


@pytest.mark.parametrize(("name", "unit"), [("Params (M)", "M"), ("GFLOPs", "G"), ("Time (ms)", "ms"), ("Accuracy", None)])
def test_unit_from_the_metric_name(name, unit):
    assert unit_hint(name) == unit


def test_datasets_through_the_archive_aliases_and_subdatasets():
    m = NameMapper(VOCAB, [Alias("dataset", "SST-2 Binary classification", "SST"), Alias("dataset", "BirdSongs 1K clean", "BirdSongs-1K")])
    assert m.dataset("ImageNet") == "ImageNet-1K"
    assert m.dataset("SST-2 Binary classification") == "SST-2"  # variant -> SST -> the vocabulary's SST-2 (alias SST)
    assert m.dataset("BirdSongs 1K clean") == "BirdSongs-1K"  # variant of a dataset the vocabulary lacks
    assert m.dataset("ImageNet", "ImageNet-A") == "ImageNet-A"
    assert m.dataset("ImageNet", "ReaL") == "ImageNet-ReaL"  # the vocabulary knows the subdataset
    assert m.dataset("ImageNet", "Medical partition") == "ImageNet-1K / Medical partition"
    assert m.dataset("Some New Benchmark") == "Some New Benchmark"
    assert m.task("Image Classification") == "image_classification"
    assert m.task("Dialogue act classification") == "dialogue_act_classification"


def test_keys_and_other_names():
    assert key("ResNet-50") == key("resnet 50") == key("ResNet50")
    assert other_metric("Mean  Rank") == "other:mean_rank"
