"""The archive's names (metrics, datasets, tasks) onto the vocabulary's canonical names.

Papers with Code wrote names as its contributors typed them ("Top 1 Accuracy", "Top-1 Accuracy",
"top1"); the vocabulary knows them as aliases. A name and an alias are the same when they are equal
after case, accents and every non-alphanumeric character are dropped ("Top-1 Accuracy" =
"top1 accuracy"). A metric the vocabulary does not know is kept as `other:<name>` (lower case, runs
of other characters as "_"), so it still gets its own leaderboard and is listed by `tracker pwc
unmapped`; its direction is guessed from its words (errors, losses, distances, times and sizes are
lower-is-better). A dataset the vocabulary does not know keeps the archive's name; a task becomes
snake_case, as the vocabulary's task names are. datasets.json adds its variants as aliases of its
datasets (`variant -> dataset`), looked up before the vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from tracker.readers.pwc import Alias
from tracker.vocab import Vocab

_LOWER_WORDS = re.compile(
    r"\b(?:error|err|errors|loss|perplexity|ppl|wer|cer|ter|fid|kid|fvd|mse|rmse|mae|mape|nll|bpc|bpd|"
    r"bits|distance|latency|time|runtime|seconds|ms|params|parameters|flops|macs|memory|eer|epe|ade|fde|"
    r"chamfer|rank|hamming|abs rel|absrel|sq rel|lpips|miss|misses|fpr|false)\b"
)
_HIGHER_HINT = re.compile(r"\b(?:accuracy|acc|score|precision|recall|f1|map|auc|iou|psnr|ssim|bleu|rouge|speedup|fps)\b")


def key(name: str) -> str:
    """The comparison key of a name: lower-case ASCII letters and digits only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


def other_metric(name: str) -> str:
    """`other:<name>` as the claims' metric column allows it (no whitespace)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9%@.+-]+", "_", folded).strip("_")
    return f"other:{slug or key(name) or 'unnamed'}"


def snake(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "unnamed"


def guess_higher_is_better(name: str) -> bool:
    """For a metric the vocabulary does not know: lower is better for errors, losses, times, sizes."""
    words = " ".join(re.split(r"[^a-z0-9]+", name.lower()))
    if "lower is better" in words or "lower better" in words:
        return False
    if "higher is better" in words:
        return True
    return not (_LOWER_WORDS.search(words) and not _HIGHER_HINT.search(words))


class NameMapper:
    """Lookups built once per import from the vocabulary and the archive's own aliases."""

    def __init__(self, vocab: Vocab, aliases: Iterable[Alias] = ()) -> None:
        self.vocab = vocab
        self.metrics = _index((m.name, m.aliases) for m in vocab.metrics.values())
        self.datasets = _index((d.name, d.aliases) for d in vocab.datasets.values())
        self.tasks = _index((t.name, t.aliases) for t in vocab.tasks.values())
        self.dataset_aliases: dict[str, str] = {}
        for a in aliases:
            if a.kind == "dataset":
                self.dataset_aliases.setdefault(key(a.alias), a.name)

    def metric(self, name: str) -> str:
        for variant in _metric_variants(name):
            found = self.metrics.get(key(variant))
            if found:
                return found
        return other_metric(name)

    def higher_is_better(self, metric: str, name: str) -> bool:
        m = self.vocab.metrics.get(metric)
        return m.higher_is_better if m is not None else guess_higher_is_better(name)

    def dataset(self, name: str, subdataset: str | None = None) -> str:
        """A subdataset is its own board: the vocabulary's name for it when it has one (the archive files
        "ImageNet-A" under "ImageNet"), else "parent / subdataset"."""
        if subdataset:
            return self._dataset(subdataset) or f"{self._dataset(name) or name} / {subdataset}"
        return self._dataset(name) or name

    def _dataset(self, name: str) -> str | None:
        k = key(name)
        found = self.datasets.get(k)
        if found is None and k in self.dataset_aliases:
            base = self.dataset_aliases[k]
            found = self.datasets.get(key(base)) or base
        return found

    def task(self, name: str) -> str:
        return self.tasks.get(key(name)) or snake(name)


_UNIT_IN_NAME = re.compile(r"\((%|ms|s|M|K|B|G|fps|dB|GB|MB)\)|\[(%|ms|s|M|K|B|G|GB|MB)\]")
_SCALED_NAME = re.compile(r"^(G|M|T|K)(FLOPs|FLOPS|MACs|MACS|Params|params)\b")
_NAME_NOISE = re.compile(r"\((?:[^)]*)\)|\[(?:[^]]*)\]|^(?:number of|num\.?|#)\s*|\s+(?:\(?%\)?)$", re.I)


def _metric_variants(name: str) -> list[str]:
    """The name, then without a unit in brackets, a leading "Number of"/"#" or a trailing "%"."""
    out = [name]
    bare = _NAME_NOISE.sub("", name).strip()
    if bare and bare != name:
        out.append(bare)
    return out


def unit_hint(name: str) -> str | None:
    """The unit a metric's name gives its bare numbers: "Params (M)" -> M, "GFLOPs" -> G, "Time (ms)" -> ms."""
    m = _UNIT_IN_NAME.search(name)
    if m:
        return m.group(1) or m.group(2)
    m = _SCALED_NAME.match(name.strip())
    return m.group(1) if m else None


def _index(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """key -> canonical name; canonical names first, then aliases, the first of each key winning."""
    entries = list(entries)
    out: dict[str, str] = {}
    for name, _aliases in entries:
        out.setdefault(key(name), name)
    for name, aliases in entries:
        for a in aliases:
            out.setdefault(key(a), name)
    out.pop("", None)
    return out
