"""Precision/recall/F1 of predicted claims against gold claims, exactly as `shared/tools/score.py`.

`score(gold, pred)` returns the same dict score.py prints (same keys, same rounding, tuples for the
P/R/F1 triples), plus the misses and false positives for `--show`. `format_result` prints it the way
score.py does (`key: value` lines, or one JSON object), so `tracker eval` and score.py give the same
figures on the same files. The matching rules are documented in shared/ANNOTATION.md ("Scoring").
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EFFICIENCY = {"params", "flops", "latency", "throughput", "fps", "memory", "speedup", "training_cost"}
SAME_METRIC = {"throughput": "fps"}  # "1234 FPS throughput": either name is right
FIELDS = ("dataset", "model", "task", "direction", "comparator", "unit")
_DATASET_ALIAS = {"imagenet": "imagenet1k", "mscoco": "coco", "coco2017": "coco", "imagenet22k": "imagenet21k"}


class EvalError(ValueError):
    """A gold or prediction file that cannot be scored; names the file and line."""


def norm(s: Any) -> str | None:
    if s is None:
        return None
    out = re.sub(r"[^a-z0-9]+", "", str(s).lower())
    return out or None


def same_value(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def model_match(g: Any, p: Any) -> bool:
    g, p = norm(g), norm(p)
    if g is None or p is None:
        return g == p
    if g == "proposed":
        return True  # unnamed own method: any name the extractor chose is fine
    return g == p or g in p or p in g


def dataset_match(g: Any, p: Any) -> bool:
    g, p = norm(g), norm(p)
    if g is None or p is None:
        return g == p
    g, p = _DATASET_ALIAS.get(g, g), _DATASET_ALIAS.get(p, p)
    return g == p or (len(g) > 3 and (g in p or p in g))


def metric_name(m: Any) -> str | None:
    m = norm(m)
    m = m[5:] if m and m.startswith("other") and len(m) > 5 else m
    return SAME_METRIC.get(m, m)


def metric_match(g: Any, p: Any) -> bool:
    return norm(g) == "performance" or metric_name(g) == metric_name(p)


def task_match(g: Any, p: Any, metric: Any) -> bool:
    if metric in EFFICIENCY and "inference_efficiency" in (g, p):
        return True
    return norm(g) == norm(p)


@dataclass
class EvalResult:
    result: dict[str, Any]
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (paper, gold line)
    false_positives: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)  # (paper, prediction)


def score(
    gold: Iterable[Mapping[str, Any]],
    pred: Iterable[Mapping[str, Any]],
    id2title: Mapping[str, str] | None = None,
) -> EvalResult:
    """Score `pred` against `gold` (lists of claim dicts) with score.py's rules and rounding."""
    id2title = id2title or {}

    def paper_of(p: Mapping[str, Any]) -> str | None:
        t = p.get("title") or p.get("paper")
        if t is None:
            t = id2title.get(str(p.get("paper_id", p.get("id"))))
        return t

    G: dict[Any, list] = defaultdict(list)
    P: dict[Any, list] = defaultdict(list)
    for g in gold:
        G[g["paper"]].append(g)
    for p in pred:
        P[paper_of(p)].append(p)
    c = dict(req=0, pred=0, v_tp=0, c_tp=0, ignored=0)
    fields = {k: [0, 0] for k in FIELDS}
    misses: list = []
    fps: list = []
    # Sorted (score.py iterates a set): the counts do not depend on the order, the --show lists do.
    for paper in sorted(set(G) | set(P), key=lambda t: (t is None, t or "")):
        gs = G.get(paper, [])
        ps = P.get(paper, [])
        req = [g for g in gs if g.get("required", True)]
        opt = [g for g in gs if not g.get("required", True)]
        c["req"] += len(req)
        used_g: set[int] = set()
        claim_pairs = []
        value_only: set[int] = set()
        for i, p in enumerate(ps):  # claim level first
            for j, g in enumerate(req):
                if j in used_g:
                    continue
                if (
                    same_value(g["value"], p.get("value"))
                    and metric_match(g["metric"], p.get("metric"))
                    and g["kind"] == p.get("kind")
                ):
                    used_g.add(j)
                    claim_pairs.append((g, p))
                    value_only.add(i)
                    break
        matched_p = set(value_only)
        v_pairs = len(claim_pairs)
        for i, p in enumerate(ps):  # then value level
            if i in matched_p:
                continue
            for j, g in enumerate(req):
                if j in used_g:
                    continue
                if same_value(g["value"], p.get("value")):
                    used_g.add(j)
                    matched_p.add(i)
                    v_pairs += 1
                    break
        ignored_here = 0
        for i, p in enumerate(ps):
            if i in matched_p:
                continue
            if any(same_value(g["value"], p.get("value")) for g in opt):
                ignored_here += 1
                continue
            fps.append((paper, p))
        c["ignored"] += ignored_here
        for j, g in enumerate(req):
            if j not in used_g:
                misses.append((paper, g))
        c["pred"] += len(ps) - ignored_here
        c["v_tp"] += v_pairs
        c["c_tp"] += len(claim_pairs)
        for g, p in claim_pairs:
            for k in fields:
                if k == "model":
                    ok = model_match(g.get(k), p.get(k))
                elif k == "dataset":
                    ok = dataset_match(g.get(k), p.get(k))
                elif k == "task":
                    ok = task_match(g.get(k), p.get(k), g["metric"])
                elif k in ("direction", "comparator") and g["kind"] == "absolute":
                    continue
                elif k == "comparator":
                    ok = model_match(g.get(k), p.get(k)) if g.get(k) else True
                else:
                    ok = norm(g.get(k)) == norm(p.get(k))
                fields[k][0] += ok
                fields[k][1] += 1

    def prf(tp: int) -> tuple[float, float, float]:
        P_ = tp / c["pred"] if c["pred"] else 0.0
        R_ = tp / c["req"] if c["req"] else 0.0
        F = 2 * P_ * R_ / (P_ + R_) if P_ + R_ else 0.0
        return round(P_, 3), round(R_, 3), round(F, 3)

    res = {
        "gold_required": c["req"],
        "predicted": c["pred"],
        "ignored_optional": c["ignored"],
        "value_p_r_f1": prf(c["v_tp"]),
        "claim_p_r_f1": prf(c["c_tp"]),
        "field_accuracy": {k: (round(v[0] / v[1], 3) if v[1] else None) for k, v in fields.items()},
    }
    return EvalResult(res, misses, fps)


def format_result(ev: EvalResult, *, as_json: bool = False, show: int = 0) -> str:
    """The text score.py prints for the same result (and the same --show sections)."""
    lines = [json.dumps(ev.result)] if as_json else [f"{k}: {v}" for k, v in ev.result.items()]
    if show:
        lines += ["", "# misses"]
        lines += [" ".join([" ", str(pp[:40]), "|", str(g.get("quote")), "|", str(g["value"]), str(g["metric"]), str(g["kind"])]) for pp, g in ev.misses[:show]]  # fmt: skip
        lines += ["", "# false positives"]
        lines += [" ".join([" ", str(pp and pp[:40]), "|", str(p.get("quote")), "|", str(p.get("value")), str(p.get("metric")), str(p.get("kind"))]) for pp, p in ev.false_positives[:show]]  # fmt: skip
    return "\n".join(lines) + "\n"


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file; EvalError naming the file and line otherwise."""
    out = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise EvalError(f"{path}: cannot read: {e.strerror or e}") from None
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise EvalError(f"{path}: line {n}: invalid JSON: {e.msg} at column {e.colno}") from None
            if not isinstance(obj, dict):
                raise EvalError(f"{path}: line {n}: expected a JSON object")
            out.append(obj)
    return out


def check_gold(gold: list[dict[str, Any]], path: str | Path) -> None:
    for n, g in enumerate(gold, 1):
        for key in ("paper", "value", "metric", "kind"):
            if key not in g:
                raise EvalError(f"{path}: claim {n}: missing field {key!r}")


def score_files(gold_path: str | Path, pred_path: str | Path, papers_path: str | Path | None = None) -> EvalResult:
    """score.py GOLD PRED [--papers PAPERS] as a function."""
    gold = load_jsonl(gold_path)
    check_gold(gold, gold_path)
    id2title = {}
    if papers_path:
        id2title = {str(p.get("id")): p["title"] for p in load_jsonl(papers_path) if "title" in p}
    return score(gold, load_jsonl(pred_path), id2title)
