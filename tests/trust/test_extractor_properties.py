"""Properties of `extract_claims` on real and mutated text (hypothesis).

For any abstract — real ones from shared/data/dev_abstracts.jsonl and the shipped sample, the same with
random numbers, units, LaTeX, unicode inserted and spans deleted or duplicated, and plain random text —
`extract_claims`:
  * never raises,
  * gives claims whose `quote == abstract[start:end]`,
  * gives claims whose value appears in the quote as written ("0.638" may be ".638", "1024" may be
    "1,024", "-0.5" may be "−0.5"; a claim marked `required: false` may also be a number in words),
  * is deterministic: the same paper twice gives the same claims in the same order.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_real_abstracts

from tracker.models import Claim, Paper

REAL = [a for _, a in load_real_abstracts()]

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,  # keep the shared working tree free of .hypothesis/ files
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --- the value-in-quote check ------------------------------------------------------------------

_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
_NUM = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")
_WORDS = {
    "half": (0.5, 50), "halve": (0.5, 50), "quarter": (0.25, 25), "third": (1 / 3, 33.3, 33),
    "once": (1,), "twice": (2,), "double": (2,), "doubl": (2,), "thrice": (3,), "triple": (3,), "tripl": (3,),
    "quadruple": (4,), "one": (1,), "two": (2,), "three": (3,), "four": (4,), "five": (5,), "six": (6,),
    "seven": (7,), "eight": (8,), "nine": (9,), "ten": (10,), "eleven": (11,), "twelve": (12,),
    "twenty": (20,), "fifty": (50,), "hundred": (100,), "thousand": (1000,), "million": (1e6,),
    "order of magnitude": (10,), "orders of magnitude": (10, 100),
}  # fmt: skip


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def numbers_in(quote: str) -> list[float]:
    text = quote.translate(_MINUS)
    out: list[float] = []
    for m in _NUM.finditer(text):
        tok = m.group(0).replace(",", "")
        try:
            v = float(tok)
        except ValueError:
            continue
        out += [v, abs(v)]
    for m in _FRACTION.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if b:
            out += [a / b, 100 * a / b]
    return out


def value_in_quote(claim: Claim) -> bool:
    if any(_close(abs(claim.value), abs(v)) for v in numbers_in(claim.quote)):
        return True
    if not claim.required:
        q = claim.quote.lower()
        return any(w in q and any(_close(abs(claim.value), v) for v in vals) for w, vals in _WORDS.items())
    return False


@pytest.mark.parametrize(
    "quote, value, ok",
    [
        ("accuracy of .638 on", 0.638, True),
        ("1,024 tokens", 1024, True),
        ("a drop of −0.5 points", -0.5, True),
        ("a drop of −0.5 points", 0.5, True),
        ("83.3\\% top-1", 83.3, True),
        ("2.5times faster", 2.5, True),
        ("81.5% top-1 accuracy", 81.6, False),
        ("no number here", 3.0, False),
    ],
)
def test_value_in_quote_checker(quote, value, ok):
    """The checker itself must be able to fail."""
    c = Claim(
        paper_id="p", paper="t", quote=quote, start=0, end=len(quote), value=value, metric="accuracy",
        kind="absolute", extractor_version="test",
    )  # fmt: skip
    assert value_in_quote(c) is ok


# --- the checks ----------------------------------------------------------------------------------


def check_properties(abstract: str) -> list[Claim]:
    from extractors import extract_claims

    paper = Paper(id="prop-0001", title="A property-test paper", abstract=abstract, source="jsonl")
    claims = extract_claims(paper)
    assert isinstance(claims, list)
    for c in claims:
        assert isinstance(c, Claim), type(c)
        assert c.paper_id == paper.id, c
        assert c.paper == paper.title, c
        assert 0 <= c.start < c.end <= len(abstract), (c.start, c.end, len(abstract))
        assert c.quote == abstract[c.start : c.end], f"quote {c.quote!r} != abstract[{c.start}:{c.end}] {abstract[c.start:c.end]!r}"
        assert value_in_quote(c), f"value {c.value!r} not in quote {c.quote!r} (required={c.required})"
        assert math.isfinite(c.value)
    again = extract_claims(paper)
    assert [c.model_dump() for c in again] == [c.model_dump() for c in claims], "not deterministic"
    return claims


# --- strategies ------------------------------------------------------------------------------------

digits = st.integers(min_value=0, max_value=10**7)
numbers = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}", digits, st.integers(0, 999)),
    st.builds(lambda b: f".{b}", st.integers(0, 9999)),
    st.builds(lambda a: f"{a:,}", digits),
    st.builds(lambda a, b: f"\u2212{a}.{b}", st.integers(0, 99), st.integers(0, 99)),
    st.builds(lambda a: f"+{a}", st.integers(0, 100)),
    st.builds(lambda a, b: f"{a}e-{b}", st.integers(1, 9), st.integers(1, 12)),
    st.builds(lambda a, b: f"{a}/{b}", st.integers(0, 20), st.integers(0, 20)),
    st.builds(lambda a, b: f"{a}-{b}", st.integers(0, 100), st.integers(0, 100)),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e309", "9" * 400, "0.000", "00.5", "1..2", "1.2.3", "3.", "inf", "NaN", "１２３.５", "٣٫٥", "½", "10²"]),
)
units = st.sampled_from([
    "%", "\\%", " %", "x", "×", " times", "M", "B", "K", "G", "T", " GFLOPs", " ms", " s", "fps", " FPS", " dB",
    "GB", " top-1 accuracy", " mAP", " AP", " BLEU", " FID", " params", " parameters", " faster", " fewer FLOPs",
    " higher than ResNet-50", " vs. ", " on ImageNet", " on COCO", " improvement",
])  # fmt: skip
latex = st.sampled_from([
    "$\\sim$", "\\textbf{84.1}", "$\\times$", "\\times 2.5", "$^{\\dagger}$", "\\underline{", "}", "$", "\\%", "{",
    "\\", "$\\pm$", "~", "\\,", "$_{", "\\mathbf{", "\\text{ms}", "$10^{-3}$", "\\approx", "$>$",
])  # fmt: skip
special = st.sampled_from([
    "\u00a0", "\u2009", "\u202f", "\u2212", "\u00b1", "≈", "\u200b", "\ufeff", "\n", "\r\n", "\t", "🚀", "\u0301",
    "\u202e", "e.g.", "vs.", "et al.", "(", ")", "[", "]", ".", ",", ";", "...", "\x00", "\ud7ff",
])  # fmt: skip
payload = st.one_of(
    st.tuples(numbers, units).map("".join),
    numbers,
    units,
    latex,
    special,
    st.text(max_size=30),
    st.tuples(latex, numbers, units).map("".join),
)


@st.composite
def mutated_real(draw) -> str:
    text = draw(st.sampled_from(REAL))
    for _ in range(draw(st.integers(1, 8))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 120)))
        op = draw(st.sampled_from(["insert", "insert", "insert", "delete", "duplicate", "replace"]))
        if op == "insert":
            text = text[:i] + draw(payload) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(payload) + text[j:]
    return text


number_soup = st.lists(st.one_of(payload, st.sampled_from(["We", "achieve", "our", "model", "the", "and", "with"])), max_size=60).map(" ".join)


def _usable(text: str) -> bool:
    return bool(text.strip())


@SETTINGS
@given(mutated_real().filter(_usable))
def test_properties_on_mutated_real_abstracts(text):
    check_properties(text)


@SETTINGS
@given(st.text(min_size=1, max_size=2000).filter(_usable))
def test_properties_on_random_unicode(text):
    check_properties(text)


@SETTINGS
@given(number_soup.filter(_usable))
def test_properties_on_number_soup(text):
    check_properties(text)


def test_properties_on_every_real_abstract():
    total = 0
    for a in REAL:
        total += len(check_properties(a))
    assert total > 50, f"only {total} claims in {len(REAL)} real abstracts: the extractor finds (almost) nothing"


@SETTINGS
@given(st.one_of(mutated_real(), number_soup, st.text(min_size=1, max_size=500)).filter(_usable))
def test_inner_extract_does_not_raise_behind_the_safety_net(text):
    """`extract_claims` catches every exception and returns [] (and drops claims whose quote does not
    match): that keeps a load alive but hides bugs. The layer below must satisfy the contract itself."""
    claims_mod = pytest.importorskip("extractors.claims")
    from extractors import EXTRACTOR_VERSION
    from tracker.vocab import load_vocab

    paper = Paper(id="prop-0001", title="A property-test paper", abstract=text, source="jsonl")
    claims = claims_mod.extract(paper, load_vocab(), EXTRACTOR_VERSION)  # must not raise
    for c in claims:
        assert c.quote == text[c.start : c.end], f"quote {c.quote!r} != text[{c.start}:{c.end}] {text[c.start:c.end]!r}"


PATHOLOGICAL = {
    "100k digits": "1" * 100_000,
    "digit-dot chain": "1." * 50_000,
    "digit-comma chain": "1," * 50_000,
    "percent chain": "1% " * 7_000,
    "open parens": "(" * 20_000 + "81.5%",
    "dollars": "$" * 20_000 + "81.5%",
    "backslashes": "\\" * 20_000 + " 81.5%",
    "no spaces": "a" * 100_000 + "81.5%",
    "repeated claim sentence": "FMViT outperforms Resnet101 by 2.5% (83.3% vs. 80.8%) in top-1 accuracy on ImageNet. " * 1000,
    "mixed units no spaces": "1.5x2.5M3.5B4.5%5.5ms" * 5000,
    "one long sentence": " and ".join(f"model{i} reaches {i}.5% top-1 accuracy" for i in range(3000)),
}


EXTRACT_ONCE = """
import json, sys, time
from extractors import extract_claims
from tracker.models import Paper
text = open(sys.argv[1], encoding="utf-8").read()
t0 = time.monotonic()
claims = extract_claims(Paper(id="p", title="t", abstract=text, source="jsonl"))
secs = time.monotonic() - t0
print(json.dumps({"secs": secs, "claims": [c.model_dump() for c in claims]}))
"""
LIMIT_S = 8.0  # one extraction; the machine is shared, a real abstract takes milliseconds


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_finishes_quickly(name, tmp_path):
    """No catastrophic backtracking or quadratic blow-up: each runs in a subprocess killed after LIMIT_S."""
    text = PATHOLOGICAL[name]
    f = tmp_path / "abstract.txt"
    f.write_text(text, encoding="utf-8")
    try:
        out = subprocess.run([sys.executable, "-c", EXTRACT_ONCE, str(f)], capture_output=True, text=True, timeout=LIMIT_S + 3)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: extract_claims on {len(text)} chars did not finish in {LIMIT_S + 3:.0f} s")
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads(out.stdout)
    assert res["secs"] < LIMIT_S, f"{name}: extract_claims on {len(text)} chars took {res['secs']:.1f} s"
    for c in map(Claim.model_validate, res["claims"]):
        assert c.quote == text[c.start : c.end], c
        assert value_in_quote(c), f"value {c.value!r} not in quote {c.quote!r}"


@pytest.mark.parametrize("prefix", ["\t", "\u2000 ", "\u3000", "\u2009", " "], ids=["tab", "en quad", "ideographic space", "thin space", "space"])
def test_leading_whitespace_does_not_wipe_out_an_abstracts_claims(prefix):
    """Found by the inner property test: a number preceded only by whitespace that is not " " or NBSP
    made the number finder raise, and the safety net then returned no claim at all for the abstract."""
    from extractors import extract_claims

    body = "81.5% top-1 accuracy on ImageNet. We beat DeiT by 2.1% with 30% fewer FLOPs."
    plain = extract_claims(Paper(id="w", title="t", abstract=body, source="jsonl"))
    assert plain, "the plain text has claims"
    got = extract_claims(Paper(id="w", title="t", abstract=prefix + body, source="jsonl"))
    assert [(c.value, c.metric, c.kind) for c in got] == [(c.value, c.metric, c.kind) for c in plain], (
        f"{prefix!r} before the abstract changed its claims: {len(plain)} -> {len(got)}"
    )
