"""What the generated vocabulary does to extraction: curated-only vs full, claim by claim, on a gold file.

Why a script and not a test: the figures it prints are measurements for tracker/vocab/README.md
("What the vocabulary does to extraction"), taken on the shared gold sets, which tests must not
depend on. It runs `tracker extract --jobs 1` twice in subprocesses (`CLAIMTRACK_GENERATED_VOCAB=0`
and unset, so no cache is shared), pairs each prediction with its gold claim by score.py's claim
rule (value, metric, kind), and counts per field (dataset, task):

- fixed: wrong with the curated vocabulary alone, right with the full one;
- broken: right before, wrong after (the precision cost of the generated names);
- generated_wrong: claims of the full run whose field names an entry that only the generated layer
  holds and that are wrong against gold (a false hit a generated name added);
- generated_right: the same, right against gold (recall the generated names bought).

    .venv/bin/python tracker/vocab/build/effect.py /work/shared/gold/seed.jsonl
    .venv/bin/python tracker/vocab/build/effect.py /work/shared/gold/dev.jsonl --papers /work/shared/data/dev_abstracts.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tracker import pipeline
from tracker.evaluate import dataset_match, load_jsonl, metric_match, same_value, task_match
from tracker.vocab import GENERATED_ENV, _load

FIELDS = ("dataset", "task")


def extract(papers: list[str], generated: bool, out: Path) -> float:
    """Run `tracker extract --jobs 1` in a fresh process; return its wall time in seconds."""
    env = dict(os.environ)
    env.pop(GENERATED_ENV, None)
    if not generated:
        env[GENERATED_ENV] = "0"
    exe = Path(sys.executable).with_name("tracker")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "extract", *papers, "--jobs", "1", "-o", str(out)], env=env, check=True)
    return time.perf_counter() - t0


def pairs(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Gold line index -> the prediction paired with it at claim level (score.py's first pass)."""
    by_paper: dict[Any, list[int]] = defaultdict(list)
    for j, g in enumerate(gold):
        if g.get("required", True):
            by_paper[g["paper"]].append(j)
    out: dict[int, dict[str, Any]] = {}
    for p in pred:
        for j in by_paper.get(p.get("paper") or p.get("title"), []):
            g = gold[j]
            if j not in out and same_value(g["value"], p.get("value")) and metric_match(g["metric"], p.get("metric")) and g["kind"] == p.get("kind"):
                out[j] = p
                break
    return out


def right(field: str, g: dict[str, Any], p: dict[str, Any]) -> bool:
    if field == "dataset":
        return dataset_match(g.get("dataset"), p.get("dataset"))
    return task_match(g.get("task"), p.get("task"), g["metric"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--papers", nargs="*", default=None, help="papers to extract from (default: the bundled sample)")
    ap.add_argument("--show", action="store_true", help="print each changed or generated-wrong claim")
    a = ap.parse_args(argv)
    papers = a.papers or [str(pipeline.sample_path())]
    gold = load_jsonl(a.gold)
    curated = _load((), False)
    cur_names = {"dataset": set(curated.datasets), "task": set(curated.tasks)}
    with tempfile.TemporaryDirectory() as tmp:
        t_cur = extract(papers, False, Path(tmp) / "cur.jsonl")
        t_full = extract(papers, True, Path(tmp) / "full.jsonl")
        before = pairs(gold, load_jsonl(Path(tmp) / "cur.jsonl"))
        after = pairs(gold, load_jsonl(Path(tmp) / "full.jsonl"))
    report: dict[str, Any] = {"gold": a.gold, "paired_curated": len(before), "paired_full": len(after),
                              "extract_seconds": {"curated": round(t_cur, 2), "full": round(t_full, 2)}}
    for f in FIELDS:
        c = dict(fixed=0, broken=0, changed_wrong=0, generated_wrong=0, generated_right=0,
                 right_curated=0, right_full=0)
        for j, p in after.items():
            g = gold[j]
            ok = right(f, g, p)
            c["right_full"] += ok
            if p.get(f) and p[f] not in cur_names[f]:
                c["generated_right" if ok else "generated_wrong"] += 1
                if a.show and not ok:
                    print(f"generated-wrong {f}: gold={g.get(f)!r} pred={p.get(f)!r} | {g['quote'][:90]}")
            q = before.get(j)
            if q is None or q.get(f) == p.get(f):
                continue
            was = right(f, g, q)
            key = "fixed" if ok and not was else "broken" if was and not ok else "changed_wrong"
            c[key] += 1
            if a.show:
                print(f"{key} {f}: gold={g.get(f)!r} curated={q.get(f)!r} full={p.get(f)!r} | {g['quote'][:90]}")
        c["right_curated"] = sum(right(f, gold[j], q) for j, q in before.items())
        report[f] = c
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
