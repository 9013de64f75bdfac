"""The weights of the scored choices of extraction, as data (extractors/weights.json), not as branches.

Where the grammar picks one of several candidates for a field of a number (which dataset mention, which comparison
cue), each candidate gets a cost from its features (distance in characters, a clause break, an "and" or a comma
between, another list's number between, a weak cue word), weighted by these numbers; the cheapest candidate wins.
`extractors/tune.py` fits them on seed + dev gold with cross-validation by paper and writes weights.json; the
held-out figures it prints are in extractors/README.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Weights:
    # dataset mention after the number: cost = distance x these factors
    ds_after: float = 1.0
    ds_after_clause_break: float = 3.0  # a ";", "while", "whereas" between
    ds_after_and: float = 1.5  # an "and" between
    ds_after_and_other_list: float = 6.0  # an "and" and a number of another list between ("F1 to 93.2 and SQuAD v2.0 F1 ...")
    ds_efficiency: float = 1.0  # factor for a size/speed/cost number (params, FLOPs, latency, fps, ...)
    ds_max_cost: float = 1e9  # a mention costlier than this is no candidate (the number then has no dataset)
    # dataset mention before the number
    ds_before: float = 2.0
    ds_before_comma_and: float = 3.0  # a "," / ";" / "and" between
    # comparison cue: cost = distance (x cmp_after when the cue follows the number); weak cues ("of", "improves")
    cmp_after: float = 1.2
    cmp_weak_mult: float = 3.0
    cmp_weak_add: float = 60.0
    # an unbound metric phrase of the clause: taken within this many characters (any gap) or within metric_far
    # characters when no number or ";" lies between
    metric_near: float = 45.0
    metric_far: float = 90.0
    # a task phrase this near the number, in its clause, beats the dataset's usual task (0: never)
    task_clause_reach: float = 60.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def weights_from(data: dict) -> Weights:
    """Weights from a mapping; unknown keys are an error (a typo would silently keep a default)."""
    known = {f.name for f in fields(Weights)}
    bad = sorted(set(data) - known)
    if bad:
        raise ValueError(f"{WEIGHTS_FILE.name}: unknown weights {bad}; known: {sorted(known)}")
    return replace(Weights(), **{k: float(v) for k, v in data.items()})


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    """weights.json beside this module (the fitted weights), else the hand-set defaults above."""
    if WEIGHTS_FILE.is_file():
        return weights_from(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))
    return Weights()
