"""What a phrase resolves to in the vocabulary, and why; counts and collisions of the whole vocabulary.

`tracker vocab find` and `tracker vocab stats` print these. A lookup uses the extractor's key (word and
digit tokens, lower-cased: tracker.vocab_names.alias_key), so what `find` says matches is what the
extractor matches, and a name it calls ambiguous is one the extractor never matches on its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from tracker.vocab import Vocab
from tracker.vocab_names import alias_key, split_condition

KINDS = ("datasets", "tasks", "metrics")


@dataclass(frozen=True)
class Hit:
    kind: str  # datasets | tasks | metrics
    name: str  # canonical name
    via: str  # the alias, variant or split name that matched
    how: str  # "alias" | "context" (ambiguous: matched only with context) | "variant" | "split"
    condition: str | None = None  # the variant's or split's condition
    source: tuple[str, ...] = ()
    report_as: str | None = None  # a task found by this name is reported as this curated task

    def why(self) -> str:
        src = "+".join(self.source) or "?"
        if self.how == "alias":
            tail = f"; claims get task {self.report_as}" if self.report_as else ""
            return f"{self.kind[:-1]} {self.name!r}: alias {self.via!r} ({src}){tail}"
        if self.how == "context":
            return f"{self.kind[:-1]} {self.name!r}: ambiguous name {self.via!r}, matched only with context ({src})"
        if self.how == "variant":
            return f"{self.kind[:-1]} {self.name!r} with condition {self.condition!r}: variant {self.via!r} ({src})"
        return f"{self.kind[:-1]} {self.name!r} with condition {self.condition!r}: split of {self.via!r} ({src})"


class Index:
    """Alias key -> every (kind, canonical, alias, how) that owns it, built once per Vocab."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.keys: dict[tuple[str, ...], list[Hit]] = defaultdict(list)
        for kind in KINDS:
            entries = getattr(vocab, kind)
            matched = vocab.phrases(kind)
            for target, phrases in matched.items():
                for p in phrases:
                    self._add(p, kind, target, "alias", entries)
            for name, e in entries.items():
                for p in e.context:
                    self._add(p, kind, name, "context", entries)
                for v, cond in getattr(e, "variants", ()):
                    self._add(v, kind, name, "variant", entries, cond)
        self.dataset_keys = frozenset(k for k, hs in self.keys.items() if any(h.kind == "datasets" and h.how == "alias" for h in hs))

    def _add(self, phrase: str, kind: str, name: str, how: str, entries: dict, cond: str | None = None) -> None:
        k = alias_key(phrase)
        if not k:
            return
        e = entries.get(name)
        hit = Hit(kind, name, phrase, how, cond, tuple(e.source) if e is not None else (), getattr(e, "report_as", None))
        hs = self.keys[k]
        if not any((h.kind, h.name, h.how) == (kind, name, how) for h in hs):
            hs.append(hit)

    def find(self, text: str) -> list[Hit]:
        """Every reading of `text`: its own key first, else the dataset and split it is made of."""
        hits = list(self.keys.get(alias_key(text), ()))
        if not any(h.kind == "datasets" and h.how == "alias" for h in hits):
            sp = split_condition(text, self.dataset_keys)
            if sp is not None:
                for h in self.keys.get(alias_key(sp[0]), ()):
                    if h.kind == "datasets" and h.how == "alias":
                        hits.append(Hit("datasets", h.name, sp[0], "split", sp[1], h.source))
        order = {"alias": 0, "variant": 1, "split": 2, "context": 3}
        return sorted(hits, key=lambda h: (order[h.how], KINDS.index(h.kind), h.name))

    def collisions(self) -> list[tuple[str, list[str]]]:
        """Matched names owned by two entries (within a kind or across kinds), as (name, ['kind:canonical', ...])."""
        out = []
        for k, hs in self.keys.items():
            owners = sorted({f"{h.kind[:-1]}:{h.name}" for h in hs if h.how == "alias"})
            if len(owners) > 1:
                out.append((" ".join(k), owners))
        return sorted(out)


_INDEX: dict[int, tuple[Vocab, Index]] = {}


def index_for(vocab: Vocab) -> Index:
    hit = _INDEX.get(id(vocab))
    if hit is None or hit[0] is not vocab:
        _INDEX.clear()
        hit = _INDEX[id(vocab)] = (vocab, Index(vocab))
    return hit[1]


def stats(vocab: Vocab) -> dict[str, object]:
    """Counts per kind and per source, directions by how they were decided, tasks per area, collisions."""
    out: dict[str, object] = {}
    for kind in KINDS:
        entries = getattr(vocab, kind)
        by_source: Counter[str] = Counter()
        for e in entries.values():
            by_source.update(set(e.source))
        out[kind] = {"entries": len(entries), "by_source": dict(sorted(by_source.items())),
                     "aliases": sum(len(e.aliases) for e in entries.values()),
                     "context_only": sum(len(e.context) for e in entries.values())}  # fmt: skip
    ms = vocab.metrics.values()
    out["metric_directions"] = dict(sorted(Counter(m.direction.split(":")[0] for m in ms).items()))
    out["metrics_without_direction"] = sum(1 for m in ms if m.higher_is_better is None)
    out["task_areas"] = dict(sorted(Counter(t.area or "(no area)" for t in vocab.tasks.values()).items()))
    out["datasets_with_conditions"] = sum(1 for d in vocab.datasets.values() if d.conditions)
    out["collisions"] = index_for(vocab).collisions()
    return out
