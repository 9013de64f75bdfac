"""Fit the weights of extractors/weights.json on seed + dev gold, with cross-validation by paper.

    python -m extractors.tune                 # 5-fold CV by paper: in-sample and held-out figures, no file written
    python -m extractors.tune --write         # also fit on all papers and write extractors/weights.json

The objective is the number of correct decisions over claim-level matches of the gold (claims matched, plus
dataset, model, task and comparator right), summed over the training papers. Fitting is coordinate descent over
a small grid per weight (a weight moves only when the training objective strictly improves: ties keep the current
value, so the fit is deterministic). Folds are by paper: a paper's claims are all in training or all held out, so
the held-out figure predicts a paper the weights never saw.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from tracker import evaluate
from tracker.models import Paper
from tracker.readers import read_papers
from tracker.vocab import load_vocab

from . import extract_claims
from .weights import WEIGHTS_FILE, Weights

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "shared"
SETS = {  # gold, papers
    "seed": (FIXTURES / "seed.jsonl", ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"),
    "dev": (FIXTURES / "dev.jsonl", FIXTURES / "dev_abstracts.jsonl"),
}
GRID = {  # candidate values per weight (the current value is always one of them)
    "ds_after": [0.5, 0.75, 1.0, 1.5],
    "ds_after_clause_break": [1.5, 3.0, 6.0],
    "ds_after_and": [1.0, 1.5, 2.5, 4.0],
    "ds_after_and_other_list": [3.0, 6.0, 12.0],
    "ds_efficiency": [1.0, 2.0, 4.0, 8.0],
    "ds_max_cost": [1e9, 600.0, 300.0, 150.0],
    "ds_before": [1.0, 1.5, 2.0, 3.0],
    "ds_before_comma_and": [1.5, 3.0, 6.0],
    "cmp_after": [0.8, 1.2, 2.0],
    "cmp_weak_mult": [1.5, 3.0, 6.0],
    "cmp_weak_add": [20.0, 60.0, 120.0],
    "metric_near": [30.0, 45.0, 60.0],
    "metric_far": [60.0, 90.0, 120.0],
    "task_clause_reach": [0.0, 30.0, 60.0, 100.0],
}
FOLDS = 5


def load_sets() -> tuple[list[Paper], dict[str, list[dict[str, Any]]]]:
    papers: list[Paper] = []
    gold: dict[str, list[dict[str, Any]]] = {}
    for gpath, ppath in SETS.values():
        papers += list(read_papers(ppath))
        for g in evaluate.load_jsonl(gpath):
            gold.setdefault(g["paper"], []).append(g)
    return papers, gold


def predict(papers: list[Paper], w: Weights, vocab) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for p in papers:
        out[p.title] = [c.model_dump() for c in extract_claims(p, vocab, w)]
    return out


def objective(titles: list[str], pred: dict, gold: dict) -> float:
    """Correct decisions over the papers `titles`: claim-level matches plus right dataset/model/task/comparator."""
    res = figures(titles, pred, gold)
    n = res["_matches"]
    fa = res["field_accuracy"]
    return n * (1 + sum(fa.get(k) or 0 for k in ("dataset", "model", "task", "comparator"))) - res["_false_positives"]


def figures(titles: list[str], pred: dict, gold: dict) -> dict[str, Any]:
    g = [x for t in titles for x in gold.get(t, [])]
    p = [x for t in titles for x in pred.get(t, [])]
    ev = evaluate.score(g, p)
    r = dict(ev.result)
    r["_matches"] = round(r["claim_p_r_f1"][1] * r["gold_required"])
    r["_false_positives"] = len(ev.false_positives)
    return r


def fit(titles: list[str], papers: list[Paper], gold: dict, vocab, start: Weights, rounds: int = 2) -> Weights:
    w = start
    sub = [p for p in papers if p.title in set(titles)]
    best = objective(titles, predict(sub, w, vocab), gold)
    for _ in range(rounds):
        moved = False
        for f in fields(Weights):
            for v in GRID.get(f.name, []):
                if v == getattr(w, f.name):
                    continue
                cand = replace(w, **{f.name: v})
                score = objective(titles, predict(sub, cand, vocab), gold)
                if score > best:
                    w, best, moved = cand, score, True
        if not moved:
            break
    return w


def summary(r: dict[str, Any]) -> dict[str, Any]:
    fa = r["field_accuracy"]
    return {"claim_f1": r["claim_p_r_f1"][2], "value_f1": r["value_p_r_f1"][2],
            **{k: fa[k] for k in ("dataset", "model", "task", "comparator")}}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="fit on all papers and write extractors/weights.json")
    ap.add_argument("--folds", type=int, default=FOLDS)
    a = ap.parse_args(argv)
    vocab = load_vocab()
    papers, gold = load_sets()
    titles = sorted({p.title for p in papers})
    start = Weights()
    folds = [titles[k::a.folds] for k in range(a.folds)]  # by paper, deterministic
    held_pred: dict[str, list] = {}
    fitted = []
    for k, test in enumerate(folds):
        train = [t for t in titles if t not in set(test)]
        w = fit(train, papers, gold, vocab, start)
        fitted.append(w)
        held_pred.update(predict([p for p in papers if p.title in set(test)], w, vocab))
        print(f"fold {k + 1}/{a.folds}: {json.dumps({f: v for f, v in asdict(w).items() if v != getattr(start, f)})}", file=sys.stderr)
    default_pred = predict(papers, start, vocab)
    report = {"hand-set weights, all papers": summary(figures(titles, default_pred, gold)),
              "held-out folds (weights fitted on the other folds)": summary(figures(titles, held_pred, gold))}
    if a.write:
        w_all = fit(titles, papers, gold, vocab, start)
        report["weights fitted on all papers, in-sample"] = summary(figures(titles, predict(papers, w_all, vocab), gold))
        WEIGHTS_FILE.write_text(w_all.to_json(), encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}", file=sys.stderr)
    for name, r in report.items():
        print(f"{name}: {json.dumps(r)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
