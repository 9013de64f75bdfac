"""Table-driven acceptance tests of claim extraction, one real abstract sentence per case.

The table lives in sentence_cases.py; the expectations follow shared/ANNOTATION.md, not any
implementation. For each case the extractor sees a Paper whose abstract is the sentence, and:

1. every expected claim must be found: same value (rel. tol. 1e-6), same metric (an expected
   `performance` matches any metric, `other:x` == `x`, `fps` == `throughput`), same kind, same
   unit, and every field the case asserts equal after the scorer's normalisation (lower-case,
   non-alphanumerics removed; model and comparator match by containment either way, as in
   score.py's model_match; dataset as in score.py's dataset_match; task as in its task_match);
   claims are paired one to one;
2. no predicted claim has a value listed in `must_not`;
3. strict precision: every predicted claim left over after pairing (first on the full
   expectation, then on value alone, as score.py does) must have an `optional` value.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentence_cases import ASSERTABLE, CASES, Case, Expected  # noqa: E402

from tracker.models import UNITS, Paper  # noqa: E402

try:
    from extractors import extract_claims
except ImportError as exc:  # the extractor is written in parallel; fail loudly, never skip
    extract_claims = None
    _IMPORT_ERROR = exc


# --- normalisation and matching, mirroring shared/tools/score.py ---------------------------------

EFFICIENCY = {"params", "flops", "latency", "throughput", "fps", "memory", "speedup", "training_cost"}
CANONICAL_METRICS = {
    "top1_accuracy", "top5_accuracy", "topk_accuracy", "accuracy", "error_rate", "f1", "precision", "recall",
    "auc", "ap", "box_ap", "mask_ap", "map", "miou", "fid", "inception_score", "clip_score", "bleu", "rouge",
    "perplexity", "wer", "psnr", "ssim", "lpips", "mae", "rmse", "correlation", "params", "flops", "latency",
    "throughput", "fps", "memory", "speedup", "training_cost", "performance",
}


def norm(s):
    if s is None:
        return None
    s = re.sub(r"[^a-z0-9]+", "", str(s).lower())
    return s or None


def same_value(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def value_ok(exp: Expected, v) -> bool:
    return same_value(exp.value, v) or (exp.signed and same_value(-exp.value, v))


def metric_name(m):
    m = norm(m)
    if m and m.startswith("other") and len(m) > 5:
        m = m[5:]
    return {"throughput": "fps"}.get(m, m)


def metric_ok(expected: str, predicted) -> bool:
    return norm(expected) == "performance" or metric_name(expected) == metric_name(predicted)


def unit_ok(expected, predicted) -> bool:
    options = expected if isinstance(expected, tuple) else (expected,)
    return predicted in options


def model_match(g, p) -> bool:
    g, p = norm(g), norm(p)
    if g is None or p is None:
        return g == p
    if g == "proposed":
        return True
    return g == p or g in p or p in g


def dataset_match(g, p) -> bool:
    g, p = norm(g), norm(p)
    if g is None or p is None:
        return g == p
    alias = {"imagenet": "imagenet1k", "mscoco": "coco", "coco2017": "coco", "imagenet22k": "imagenet21k"}
    g, p = alias.get(g, g), alias.get(p, p)
    return g == p or (len(g) > 3 and (g in p or p in g))


def field_ok(exp: Expected, claim, key: str) -> bool:
    want, got = exp.fields[key], getattr(claim, key)
    if key in ("model", "comparator"):
        return model_match(want, got)
    if key == "dataset":
        return dataset_match(want, got)
    if key == "task":
        if metric_name(exp.metric) in {metric_name(m) for m in EFFICIENCY} and "inference_efficiency" in (want, got):
            return True
        return norm(want) == norm(got)
    return norm(want) == norm(got)  # direction, qualifier


def key_ok(exp: Expected, claim) -> bool:
    return (value_ok(exp, claim.value) and metric_ok(exp.metric, claim.metric)
            and exp.kind == claim.kind and unit_ok(exp.unit, claim.unit))


def bad_fields(exp: Expected, claim) -> list[str]:
    return [k for k in exp.fields if not field_ok(exp, claim, k)]


def full_ok(exp: Expected, claim) -> bool:
    return key_ok(exp, claim) and not bad_fields(exp, claim)


def pair(expected, predicted, ok) -> dict[int, int]:
    """Maximum one-to-one pairing expected -> predicted under `ok` (augmenting paths)."""
    owner: dict[int, int] = {}

    def try_assign(i, seen):
        for j, p in enumerate(predicted):
            if j in seen or not ok(expected[i], p):
                continue
            seen.add(j)
            if j not in owner or try_assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(expected)):
        try_assign(i, set())
    return {i: j for j, i in owner.items()}


# --- reporting ------------------------------------------------------------------------------------

def show(claim) -> str:
    parts = [f"{claim.value:g} unit={claim.unit!r} metric={claim.metric} kind={claim.kind}"]
    for k in ASSERTABLE:
        v = getattr(claim, k)
        if v is not None:
            parts.append(f"{k}={v!r}")
    parts.append(f"quote={claim.quote!r}")
    return " ".join(parts)


def report(case: Case, claims, problems) -> str:
    lines = [f"[{case.src}] title={case.title!r}", f"sentence: {case.text}", "", "problems:"]
    lines += [f"  - {p}" for p in problems]
    lines += ["", "expected:"] + ([f"  {e.describe()}" for e in case.claims] or ["  (none)"])
    if case.optional:
        lines.append(f"optional values: {[f'{v:g}' for v in case.optional]}")
    if case.must_not:
        lines.append(f"must_not values: {[f'{v:g}' for v in case.must_not]}")
    lines += ["", "actual:"] + ([f"  {show(c)}" for c in claims] or ["  (no claims)"])
    return "\n".join(lines)


def check(case: Case, claims) -> list[str]:
    problems = []
    expected = list(case.claims)
    full = pair(expected, claims, full_ok)
    for i, e in enumerate(expected):
        if i in full:
            continue
        near = [c for j, c in enumerate(claims) if j not in full.values() and key_ok(e, c)]
        if near:
            why = "; ".join(f"{show(c)} differs in {bad_fields(e, c)}" for c in near)
            problems.append(f"expected claim found with wrong fields: {e.describe()} -- {why}")
        else:
            same_v = [c for c in claims if value_ok(e, c.value)]
            hint = f" (same value predicted as: {'; '.join(show(c) for c in same_v)})" if same_v else ""
            problems.append(f"missing claim: {e.describe()}{hint}")
    # leftovers: pair on value alone against the expected claims still open, as the scorer does
    open_exp = [e for i, e in enumerate(expected) if i not in full]
    left = [c for j, c in enumerate(claims) if j not in full.values()]
    by_value = pair(open_exp, left, lambda e, c: value_ok(e, c.value))
    matched_left = set(by_value.values())
    for j, c in enumerate(left):
        if any(same_value(v, c.value) or same_value(v, abs(c.value)) for v in case.must_not):
            problems.append(f"claim from a must_not value: {show(c)}")
        elif j in matched_left or any(same_value(v, c.value) for v in case.optional):
            continue
        else:
            problems.append(f"unexpected claim (not expected, not optional): {show(c)}")
    return problems


def case_id(case: Case) -> str:
    words = re.sub(r"\s+", " ", case.text)[:48]
    return f"{case.src[:40]} | {words}"


# --- the table itself must follow ANNOTATION.md's vocabulary -------------------------------------

def test_table_is_well_formed():
    errors = []
    assert len(CASES) >= 220, len(CASES)
    for c in CASES:
        where = f"{c.src}: {c.text[:50]!r}"
        if not c.text.strip():
            errors.append(f"{where}: empty text")
        if not (c.claims or c.optional or c.must_not):
            errors.append(f"{where}: the case asserts nothing")
        for e in c.claims:
            m = e.metric
            if not (m in CANONICAL_METRICS or (m.startswith("other:") and re.fullmatch(r"other:\S+", m) and m == m.lower())):
                errors.append(f"{where}: metric {m!r} is not canonical")
            if e.kind not in ("absolute", "delta", "ratio"):
                errors.append(f"{where}: kind {e.kind!r}")
            for u in e.unit if isinstance(e.unit, tuple) else (e.unit,):
                if u is not None and u not in UNITS:
                    errors.append(f"{where}: unit {u!r} not in tracker.models.UNITS")
            if e.fields.get("direction") not in (None, "up", "down"):
                errors.append(f"{where}: direction {e.fields['direction']!r}")
            if e.kind == "absolute" and ("direction" in e.fields or "comparator" in e.fields):
                errors.append(f"{where}: direction/comparator asserted on an absolute claim")
            if e.fields.get("qualifier") not in (None, "more_than", "up_to", "about", "at_least", "less_than", "only"):
                errors.append(f"{where}: qualifier {e.fields['qualifier']!r}")
            for v in c.must_not:
                if value_ok(e, v):
                    errors.append(f"{where}: {v:g} is both expected and must_not")
            for v in c.optional:
                if value_ok(e, v):
                    errors.append(f"{where}: {v:g} is both expected and optional")
        for v in c.optional:
            if any(same_value(v, m) for m in c.must_not):
                errors.append(f"{where}: {v:g} is both optional and must_not")
    ids = [case_id(c) for c in CASES]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        errors.append(f"duplicate case ids: {sorted(dup)}")
    assert not errors, "\n".join(errors)


# --- the acceptance cases ------------------------------------------------------------------------

# Known extractor gaps, by the start of the case id: each stays a strict xfail (so it fails loudly
# the day the extractor gets it right and the entry must go) and is listed in extractors/README.md.
KNOWN_GAPS = {
    "dev d014 | As a result, QServe": "comparator named after a ';' for the second half of the list",
    "dev d057 | It leads to 1.82%": "model given after the number ('for the ViT-B model')",
    "dev d068 | Compared with the state-of-the-art": "comparator 'Co-CoOp' introduced by an appositive",
    "dev d081 | Our implementation of H2O": "long comparator list after 'over'; '20% heavy hitters' is a setting",
    "dev d098 | Our models RevGNN-Deep": "two models paired with two numbers without 'respectively'",
    "dev d105 | We empirically demonstrate": "qualifier before the metric name ('up to Hit Ratio ... 0.68')",
    "sample: Scaling Diffusion Transformers E | In both cases": "'5.5% of one training run' is training_cost, read as performance",
    "sample: MatFormer | We find that a 2.6B": "model acronym '(MatLM)' defined after the noun 'model'",
    "search: arxivlens: Tech Report: One-stag": "'Tech Report' in the title taken as the method's name",
}


def known_gap(case: Case) -> list[pytest.MarkDecorator]:
    cid = case_id(case)
    reasons = [r for prefix, r in KNOWN_GAPS.items() if cid.startswith(prefix)]
    return [pytest.mark.xfail(reason=reasons[0], strict=True)] if reasons else []


def test_known_gaps_name_real_cases():
    """A KNOWN_GAPS entry that matches no case (a renamed or deleted case) would silently do nothing."""
    ids = [case_id(c) for c in CASES]
    stale = [p for p in KNOWN_GAPS if not any(i.startswith(p) for i in ids)]
    assert not stale, f"KNOWN_GAPS entries that match no case: {stale}"


@pytest.mark.parametrize("case", [pytest.param(c, marks=known_gap(c)) for c in CASES], ids=[case_id(c) for c in CASES])
def test_sentence(case: Case):
    if extract_claims is None:
        pytest.fail(f"cannot import extractors.extract_claims: {_IMPORT_ERROR!r}")
    idx = CASES.index(case)
    paper = Paper(id=f"sentence-{idx:03d}", title=case.title or "Untitled", abstract=case.text, source="test")
    claims = list(extract_claims(paper))
    problems = [f"quote is not the abstract at [{c.start}:{c.end}]: {show(c)}"
                for c in claims if case.text[c.start:c.end] != c.quote]
    problems += check(case, claims)
    assert not problems, report(case, claims, problems)


# --- the harness itself: an oracle extraction passes, a broken one fails -------------------------

def _oracle(case: Case):
    from tracker.models import Claim

    out = []
    for e in case.claims:
        unit = e.unit[0] if isinstance(e.unit, tuple) else e.unit
        out.append(Claim(paper_id="oracle", paper=case.title or "Untitled", quote=case.text[:1], start=0, end=1,
                         value=e.value, unit=unit, metric=e.metric, kind=e.kind, extractor_version="oracle",
                         **{k: v for k, v in e.fields.items()}))
    return out


def test_harness_accepts_oracle_and_rejects_broken_extractions():
    for case in CASES:
        good = _oracle(case)
        assert check(case, good) == [], report(case, good, check(case, good))
        if good:
            assert check(case, good[1:]), f"dropping a claim went unnoticed in {case.src}"
            wrong_kind = [good[0].model_copy(update={"kind": "ratio" if good[0].kind != "ratio" else "delta"})] + good[1:]
            assert check(case, wrong_kind), f"a wrong kind went unnoticed in {case.src}"
            dup = good + [good[0].model_copy()]
            assert check(case, dup), f"a duplicated claim went unnoticed in {case.src}"
        if case.must_not:
            trap = good + [_oracle(C_trap(case))[0]]
            assert check(case, trap), f"a must_not value went unnoticed in {case.src}"


def C_trap(case: Case) -> Case:
    from sentence_cases import E

    return Case(case.src, case.title, case.text, (E(case.must_not[0], None, "performance", "absolute"),))
