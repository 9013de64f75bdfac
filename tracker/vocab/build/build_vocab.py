#!/usr/bin/env python3
"""Regenerate tracker/vocab/generated/{datasets,tasks,metrics}.json from pinned public sources.

    python tracker/vocab/build/build_vocab.py --pwc DIR --sota DIR --wheels DIR [--check]

--pwc and --sota: a git directory (bare or not) of `World-Snapshot/papers-with-code` and
`paperswithcode/sota-extractor` holding the pinned commits of sources.py (or a plain checkout of them);
--wheels: a directory with the pinned wheels (`pip download lm-eval==0.4.13 mteb==2.26.24
torchmetrics==1.8.2 --no-deps -d DIR`). Nothing is installed or imported from them. With --check the
files are built in memory and compared with the committed ones (exit 1 on a difference).

The output is sorted and has no timestamps: the same sources give the same bytes. Hand-curated entries
(tracker/vocab/*.yaml) are read first and win: a source name whose key equals a curated name or alias
becomes that curated entry (its split a condition), and no generated alias keeps a curated key.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT), str(HERE)]

import sources as S  # noqa: E402
from tracker.vocab_names import TOKEN, alias_key, split_condition  # noqa: E402

OUT = ROOT / "tracker" / "vocab" / "generated"
CURATED = ROOT / "tracker" / "vocab"

# Short names known to mean several things in abstracts: matched only with context, whatever the source says.
AMBIGUOUS = frozenset(
    "ms voc sst mr cub sgd adam gpu cpu tpu ai ml nlp cv llm vit cnn rnn gan vae rl ssl kd moe api sota map ap ar "
    "is iou auc f1 em acc err loss time score rate speed cost size open overall binary all average mean total".split()
)
# mteb task types -> the archive's task they are an instance of
MTEB_TASK = {
    "Retrieval": "Information Retrieval", "Classification": "Text Classification", "MultilabelClassification": "Multi-Label Text Classification",
    "Clustering": "Text Clustering", "STS": "Semantic Textual Similarity", "PairClassification": "Paraphrase Identification",
    "Reranking": "Reranking", "BitextMining": "Bitext Mining", "Summarization": "Text Summarization",
    "InstructionRetrieval": "Information Retrieval", "InstructionReranking": "Reranking", "Any2AnyRetrieval": "Cross-Modal Retrieval",
    "ImageClassification": "Image Classification", "ImageClustering": "Image Clustering", "ZeroShotClassification": "Zero-Shot Image Classification",
    "VisualSTS(eng)": "Semantic Textual Similarity", "VisualSTS(multi)": "Semantic Textual Similarity",
    "Any2AnyMultilingualRetrieval": "Cross-Modal Retrieval", "DocumentUnderstanding": "Document Understanding",
    "Compositionality": "Visual Reasoning", "AudioClassification": "Audio Classification", "AudioClustering": "Audio Clustering",
    "AudioMultilabelClassification": "Audio Tagging", "AudioPairClassification": "Audio Classification",
    "AudioReranking": "Audio Retrieval", "AudioZeroshotClassification": "Zero-shot Audio Classification",
    "Any2AnyRetrieval(audio)": "Audio Retrieval", "VideoClassification": "Video Classification",
}  # fmt: skip


# --- metric families: the direction rule where a source says nothing ---

# (group, coarse family of the Metric dataclass, higher_is_better, unit, range, pattern); the first match decides:
# the lower-is-better groups first ("energy MAE" is an error, not compute; "DER" an error, not an overlap).
GROUPS: list[tuple[str, str, bool, str | None, str | None, re.Pattern[str]]] = [
    (g, f, h, u, r, re.compile(p, re.I))
    for g, f, h, u, r, p in [
        ("error", "error", False, "%", "0-100", r"error|\berr\b|miss rate|\bmmr\b|\beer\b|\bwer\b|\bcer\b|\bter\b|\bfpr\b|\bfnr\b|\bfrr\b|false (?:positive|negative|alarm)|\bhter\b|\bapcer\b|\bbpcer\b|\bacer\b|failure rate|\bder\b"),
        ("distance", "error", False, None, ">=0", r"distance|\bfid\b|\bfvd\b|\bkid\b|chamfer|hausdorff|\bhd95\b|\bemd\b|\bepe\b|\bade\b|\bfde\b|displacement|\bmpjpe\b|deviation|\bmae\b|\bmse\b|\brmse\b|\bmape\b|\bsmape\b|abs\.?\s?rel|sq\.?\s?rel|\blog10\b|\blpips\b|divergence|\bkl\b|drift|offset|\bmcd\b|\bnme\b|\bcrps\b|\bwape\b|\bmase\b"),
        ("loss", "error", False, None, ">=0", r"loss|\bnll\b|perplexity|\bppl\b|bits?[ /-]?per|\bbpd\b|\bbpc\b|\bbpb\b|\bbpp\b|log[- ]likelihood|regret|violation|collision|\bcost\b"),
        ("latency", "speed", False, "ms", ">=0", r"latency|inference time|run[- ]?time|\btime\b|seconds|\bms\b|wall[- ]clock|delay"),
        ("throughput", "speed", True, None, ">=0", r"\bfps\b|throughput|frames per second|speed[- ]?up|tokens/s|it/s|qps"),
        ("size", "size", False, None, ">=0", r"param|model size|#\s?params|memory|storage|\bsize\b|\bbytes?\b|\bmb\b|\bgb\b"),
        ("compute", "compute", False, "G", ">=0", r"flops|\bmacs?\b|\bops\b|operations|gflops|compute|energy|\bpower\b"),
        ("cost", "cost", False, None, ">=0", r"\bcost\b|gpu[- ]hours|training time|price"),
        ("auc", "score", True, None, "0-1", r"\bauc|\bauroc|\baupr|roc\b|c-index|concordance"),
        ("correlation", "score", True, None, "-1-1", r"correlation|pearson|spearman|kendall|\brho\b|\btau\b|\bccc\b|\bplcc\b|\bsrocc\b|\bsrcc\b|\bkrcc\b|\bmcc\b|kappa|\br2\b|r\^2|r-squared"),
        ("ap", "score", True, None, "0-100", r"\bm?ap(?:\b|\d|@|_)|average precision|\bap[smlr]?\b|\bmap\b"),
        ("f1", "score", True, None, "0-100", r"\bf1|f-?score|f-?measure|\bf\b|\bf_?\d|\bf@"),
        ("overlap", "score", True, "%", "0-100", r"\biou\b|\bmiou\b|\bdice\b|\bdsc\b|jaccard|\bpq\b|\bsq\b|\brq\b|overlap"),
        ("text_overlap", "score", True, None, "0-100", r"bleu|rouge|meteor|cider|spice|chrf|\bbert ?score|\bbleurt|\bcomet\b|\bsari\b|\bgleu\b|\bexact match|\bem\b"),
        ("retrieval", "score", True, "%", "0-100", r"recall|precision|\br@|\bp@|hits?@|\bhr@|ndcg|\bmrr\b|\bmap@|rank-?\d|\bhit\b"),
        ("fidelity", "score", True, None, ">=0", r"psnr|ssim|\bsnr\b|\bsdr\b|\bpesq\b|\bstoi\b|\bmos\b|inception score|\bis\b|clip ?score|fidelity|quality"),
        ("accuracy", "score", True, "%", "0-100", r"acc|correct|success|\bsr\b|\bspl\b|pass@|win rate|agreement|coverage|hit rate|\bmota\b|\bmotp\b|\bhota\b|\bidf1\b|\bpck|\bnds\b"),
    ]
]
DEFAULT_GROUP = ("score", "score", True, None, None)


def metric_group(name: str) -> tuple[str, str, bool, str | None, str | None]:
    for g, f, h, u, r, pat in GROUPS:
        if pat.search(name):
            return g, f, h, u, r
    return DEFAULT_GROUP


# --- helpers ---


def snake(name: str) -> str:
    s = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    return s or "task"


def _strip_paren(name: str) -> tuple[str, str | None]:
    """("Visual Question Answering", "VQA") of "Visual Question Answering (VQA)"; a parenthesis that is no acronym
    ("(Real-World)", "(absolute)") is a qualifier and gives no alias."""
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", name)
    if not m or not m.group(1).strip():
        return name, None
    acro = m.group(2).strip()
    return m.group(1).strip(), acro if re.fullmatch(r"[A-Z][A-Za-z0-9\-]{1,9}", acro) and sum(c.isupper() for c in acro) >= 2 else None


def common_words(texts: list[str]) -> frozenset[str]:
    """Words written in lower case inside running prose (at least twice): a name equal to one is an English word."""
    c: Counter[str] = Counter()
    for t in texts:
        for w in re.findall(r"(?<=[a-z,;] )[a-z]{2,}\b", t):
            c[w] += 1
    return frozenset(w for w, n in c.items() if n >= 2)


# A task phrase names what a number measures when its head is an activity ("... detection", "... answering");
# phrases headed by a method or setting ("transfer learning", "data augmentation") name how, not what.
_SETTING_HEADS = frozenset(
    "learning training pretraining pre-training finetuning fine-tuning tuning processing modeling modelling computing "
    "driving embedding embeddings representation representations augmentation distillation search optimization "
    "adaptation pruning quantization compression generalization bias knowledge model models network networks "
    "attention memory theory series science engineering design analysis understanding intelligence".split()
)
_TASK_HEAD = re.compile(r"(?:tion|sion|ing|sis|ment|ance|ence|val|qa|reid|ocr|ner|nli|asr|tts)$", re.I)
_METRIC_WORD = re.compile(
    r"acc|error|err\b|score|rate|ratio|precision|recall|\bf1\b|f-?score|f-?measure|\bap\b|\bmap\b|auc|iou|dice|loss|"
    r"distance|divergence|similarity|correlation|perplexity|bleu|rouge|psnr|ssim|\bfid\b|latency|time|throughput|"
    r"\bfps\b|params|parameters|flops|\bmacs\b|memory|match|success|gain|quality|mean|average|top-?\d|@\d|\bndcg|\bmrr|"
    r"hits?\b|coverage|fidelity|consistency|agreement|overlap|deviation|\bmae\b|\bmse\b|rmse|\bwer\b|\bcer\b",
    re.I,
)


class Ambiguity:
    """Decides which generated names match only with context (never on their own in the extractor).

    Precision first: a generated name is matched alone only when it cannot be an English word, a model
    or software name, a bare number or acronym of <= 3 characters, a curated name with words added
    (a subtask or a variant: the curated name matches it already), or, for a task, a method or setting."""

    def __init__(self, words: frozenset[str], curated: "Curated", models: frozenset[str]):
        self.words = words
        self.cur = curated
        self.models = models

    def _contains_curated(self, low: list[str], sec: str) -> bool:
        keys = self.cur.keys[sec]
        n = len(low)
        for i in range(n):
            for j in range(i + 1, n + 1):
                if (j - i) < n and tuple(low[i:j]) in keys:
                    return True
        return False

    def needs_context(self, alias: str, kind: str) -> bool:
        toks = TOKEN.findall(alias)
        if not toks or not any(t.isalpha() for t in toks):
            return True  # "1", "0.05", "100M"-like debris
        low = [t.lower() for t in toks]
        flat = "".join(low)
        if flat in AMBIGUOUS or flat in self.models or (len(low) == 1 and low[0] in AMBIGUOUS):
            return True
        letters = sum(len(t) for t in toks if t.isalpha())
        if len(alias.strip()) <= 3 or letters <= 2:
            return True  # "MS", "VOC", "SST", "MR", "CUB", "C4", "A2": too short to mean one thing
        if len(toks) > 1 and self._contains_curated(low, kind):
            return True  # "ImageNet Top-1 Accuracy", "Few-Shot Object Detection": a curated name does the matching
        if kind == "metrics":
            if len(toks) == 1 and not (alias.isupper() and alias.isalpha() and len(alias) >= 4):
                return True  # "Overall", "Binary", "detector", "request": single words are rarely a metric alone
            if not _METRIC_WORD.search(alias):
                return True  # "training dataset", "natural images": no word of a metric
            return all(w in self.words for w in low) and len(toks) == 1
        if kind == "tasks":
            if len(toks) == 1:
                return True  # "Classification", "Detection", "3D", "Rhythm": an area or a word, not a task
            head = low[-1]
            if head in _SETTING_HEADS or not _TASK_HEAD.search(head):
                return True  # "transfer learning", "inductive bias", "world knowledge"
            return False
        # datasets
        if len(toks) == 1:
            t = toks[0]
            if any(ch.isdigit() for ch in alias) or re.search(r"[a-z][A-Z]", alias):
                return False  # "FoodSeg103", "HellaSwag": matched case-sensitively, no English word
            if t.isupper() and len(t) >= 4:
                return t.lower() in self.words  # "GRIT" fine
            return True  # "Google", "Places", "Cityscapes"-like single words: a name or a word, context decides
        if not any(ch.isdigit() for ch in alias):
            # "Lost and Found", "Weapon Detection Dataset": every word an English word
            return all(w in self.words or len(w) <= 2 for w in low)
        return False


class Curated:
    """The hand-curated vocabulary: its names and aliases win over anything generated."""

    def __init__(self) -> None:
        self.raw: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, dict[tuple[str, ...], str]] = {}
        self.raw["models"] = yaml.safe_load((CURATED / "models.yaml").read_text(encoding="utf-8")) or {}
        for sec in ("datasets", "tasks", "metrics"):
            data = yaml.safe_load((CURATED / f"{sec}.yaml").read_text(encoding="utf-8")) or {}
            self.raw[sec] = data
            keys: dict[tuple[str, ...], str] = {}
            for name, e in data.items():
                names = [name, *((e or {}).get("aliases") or [])]
                if sec == "tasks":
                    names.append(name.replace("_", " "))
                if sec == "metrics" and name.startswith("other:"):
                    names.append(name[6:])
                for a in names:
                    k = alias_key(str(a))
                    if k:
                        keys.setdefault(k, name)
            self.keys[sec] = keys

    def find(self, sec: str, name: str) -> str | None:
        return self.keys[sec].get(alias_key(name))


# --- the build ---


class Builder:
    def __init__(self, pwc: S.GitSource, sota: S.GitSource, wheels: Path):
        self.pwc, self.sota, self.wheels = pwc, sota, wheels
        self.cur = Curated()
        self.tasks: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, dict[str, Any]] = {}
        self.metrics: dict[str, dict[str, Any]] = {}
        self.metric_of: dict[str, tuple[str, str | None]] = {}  # source metric name -> (canonical, variant condition)

    # --- tasks ---
    def task(self, name: str, source: str, area: str | None = None) -> str:
        """The canonical task of an archive task name, created on first sight."""
        base, acro = _strip_paren(name)
        canon = self.cur.find("tasks", name) or self.cur.find("tasks", base) or snake(base)
        e = self.tasks.setdefault(canon, {"name": base, "aliases": set(), "source": set()})
        e["aliases"].update(a for a in (name, base, acro) if a)
        e["source"].add(source)
        if area and not e.get("area"):
            e["area"] = area
        return canon

    # --- metrics ---
    def metric(self, name: str, source: str, hib: bool | None = None) -> tuple[str, str | None]:
        name = " ".join(name.split())
        hit = self.metric_of.get(name)
        if hit is None:
            hit = self._map_metric(name)
            self.metric_of[name] = hit
        canon, cond = hit
        e = self.metrics.setdefault(canon, {"aliases": set(), "variants": {}, "source": set(), "votes": Counter()})
        e["source"].add(source)
        if cond is None:
            e["aliases"].add(name)
        else:
            e["variants"].setdefault(name, cond)
        if hib is not None:
            e["votes"][(hib, source)] += 1
        return hit

    _VARIANT = re.compile(
        r"^(?P<base>m?AP|AR|box\s?AP|mask\s?AP|R|Recall|HR|Hits?|NDCG|nDCG|MRR|P|Prec|Precision|Acc|Accuracy|pass|Pass|Top)"
        r"\s*(?:[@_\-^]\s*\{?|\s)?(?P<k>\d+(?:\.\d+)?|0?\.\d+|[SMLsml]|small|medium|large)\}?"
        r"(?::\d?\.\d+)?$"
    )
    _VARIANT_BASE = {
        "map": "map", "ap": "box_ap", "boxap": "box_ap", "maskap": "mask_ap", "ar": "recall", "r": "other:recall@k",
        "recall": "other:recall@k", "hr": "other:hits@k", "hit": "other:hits@k", "hits": "other:hits@k", "ndcg": "other:ndcg",
        "mrr": "other:mrr", "p": "other:precision@k", "prec": "other:precision@k", "precision": "other:precision@k",
        "acc": "topk_accuracy", "accuracy": "topk_accuracy", "top": "topk_accuracy", "pass": "other:pass@1",
    }  # fmt: skip
    _SIZES = {"s": "small objects", "m": "medium objects", "l": "large objects", "small": "small objects", "medium": "medium objects", "large": "large objects"}
    _QUALIFIER = re.compile(r"^(?P<q>test|validation|val|dev|eval|testing|train)\s+(?P<rest>.+)$|^(?P<rest2>.+?)\s+\((?P<q2>[^()]+)\)$", re.I)

    def _map_metric(self, name: str) -> tuple[str, str | None]:
        c = self.cur.find("metrics", name)
        if c:
            return c, None
        m = self._VARIANT.match(name)
        if m:
            base = self._VARIANT_BASE.get(re.sub(r"\s", "", m.group("base")).lower())
            k = m.group("k")
            if base:
                if k.lower() in self._SIZES and base in ("box_ap", "map", "mask_ap", "recall"):
                    return base, self._SIZES[k.lower()]
                if base in ("box_ap", "map", "mask_ap"):
                    iou = k if "." in k else f"0.{k}" if len(k) == 2 else k
                    return base, f"IoU={iou}"
                return base, f"k={k}"
        q = self._QUALIFIER.match(name)
        if q:
            rest = q.group("rest") or q.group("rest2")
            qual = q.group("q") or q.group("q2")
            inner = self.cur.find("metrics", rest)
            if inner and not re.search(r"\d", qual):
                return inner, qual.lower() if qual.lower() not in ("%", "m", "b", "g", "k", "ms", "s") else None
        slug = "_".join(alias_key(name.replace("%", " pct ")))  # one entry per lookup key: "Avg. F1" = "avg F1"
        return f"other:{slug or 'metric'}", None

    # --- datasets ---
    def dataset(self, name: str, source: str, *, task: str | None = None, weight: int = 0, metrics: list[str] = (),
                known: set[tuple[str, ...]] | frozenset = frozenset(), split: str | None = None) -> str | None:  # fmt: skip
        name = " ".join(name.split()).strip(" ,;")
        if not TOKEN.search(name) or len(name) > 80 or SPAM_NAME.search(name):
            return None
        cond = split
        sp = split_condition(name, known)
        base = name
        whole = self.cur.find("datasets", name)
        if sp is not None and (not whole or self.cur.find("datasets", sp[0]) == whole):
            # "COCO test-dev": the dataset with the split as a condition (even where the curated file lists the
            # whole name as an alias of the same dataset)
            base, c2 = sp
            cond = f"{c2}; {split}" if split else c2
        canon = self.cur.find("datasets", base)
        if canon is None:
            canon = self.flat.get(_flat(base))
        if canon is None:
            canon = base
            self.flat[_flat(base)] = canon
        e = self.datasets.setdefault(canon, {"aliases": Counter(), "tasks": Counter(), "metrics": [], "conditions": set(), "source": set()})
        e["aliases"][base] += 1
        e["source"].add(source)
        if task:
            e["tasks"][task] += weight
        if cond:
            e["conditions"].add(cond)
        for m in metrics:
            if m not in e["metrics"]:
                e["metrics"].append(m)
        return canon

    def build(self) -> None:
        self.flat: dict[str, str] = {}
        rows = list(S.pwc_tasks(self.pwc))
        parents = S.pwc_parents(self.pwc)
        prose = [r["description"] for r in rows]
        lm = list(S.lm_eval_tasks(S.wheel(self.wheels, "lm-eval")))
        mteb = list(S.mteb_tasks(S.wheel(self.wheels, "mteb")))
        tm = list(S.torchmetrics_classes(S.wheel(self.wheels, "torchmetrics")))
        sota = list(S.sota_datasets(self.sota))
        for sample in sorted((ROOT / "tracker" / "sample").glob("*.txt")):
            prose.append(sample.read_text(encoding="utf-8"))
        mv = self.cur.raw["models"]
        models = frozenset("".join(alias_key(str(x))) for k in ("families", "systems", "hardware", "not_models") for x in (mv.get(k) or []))
        self.amb = Ambiguity(common_words(prose), self.cur, models)

        # tasks: the archive's four area files, then its tree
        canon_of: dict[str, str] = {}
        for r in rows:
            c = self.task(r["name"], "pwc", r["area"])
            canon_of[r["name"]] = c
            e = self.tasks[c]
            e.setdefault("categories", set()).update(r["categories"])
            e.setdefault("weight", 0)
            e["weight"] = max(e["weight"], r["dataset_count"])
            mets = e.setdefault("metrics", [])
            for m in r["metrics"]:
                mc, cond = self.metric(m, "pwc")
                if cond is None and mc not in mets and len(mets) < 10:
                    mets.append(mc)
        # parents: a task's listed subtasks first; the hierarchy files only where child and parent share a word
        # (the archive's tree files hang unrelated tasks under scraping debris such as "1 Image, 2*2 Stitchi")
        tree: dict[str, str] = {}
        for r in rows:
            for sub in r["subtasks"]:
                tree.setdefault(sub, r["name"])
        for child, parent in sorted(parents.items()):
            if child not in tree and _shares_word(child, parent):
                tree[child] = parent
        for child, parent in sorted(tree.items()):
            c = canon_of.get(child) or self.task(child, "pwc")
            p = canon_of.get(parent) or self.task(parent, "pwc")
            if c != p and self.tasks[p].get("parent") != c:
                self.tasks[c].setdefault("parent", p)
        for a, b in S.sota_synonyms(self.sota):
            c = self.task(b, "sota-extractor")
            self.tasks[c]["aliases"].add(a)

        # datasets: the archive's common datasets are names; its benchmarks may be a dataset plus a split
        known = {alias_key(d) for r in rows for d in r["datasets"]} | set(self.cur.keys["datasets"])
        for r in sorted(rows, key=lambda r: (-r["dataset_count"], r["name"])):
            t = canon_of[r["name"]]
            for d in r["datasets"]:
                self.dataset(d, "pwc", task=t, weight=2, known=known)
            for d in r["benchmarks"]:
                self.dataset(d, "pwc", task=t, weight=3, known=known)  # a benchmark of the task: a stronger tie
        for s in sota:
            t = self.task(s["task"], "sota-extractor")
            if s.get("parent"):
                self.tasks[t].setdefault("parent", self.task(s["parent"], "sota-extractor"))
            mets = [self.metric(m, "sota-extractor")[0] for m in s["metrics"]]
            self.dataset(s["dataset"], "sota-extractor", task=t, weight=3, metrics=mets, known=known, split=s.get("split"))
        for d in lm:
            mets = []
            for m, hibs in sorted(d["metrics"].items()):
                hib = next(iter(hibs)) if len(hibs) == 1 else None
                mc, cond = self.metric(m, "lm-eval", hib)
                if cond is None and mc not in mets:
                    mets.append(mc)
            title = d["title"] or d["dir"]
            if len(title) > 60 or not re.search(r"[A-Za-z]", title) or alias_key(title) in (("task", "name"), ("taskname",)):
                title = d["dir"]
            c = self.dataset(title, "lm-eval", metrics=mets[:5], known=known)
            if c and d["dir"] != title and len(d["dir"]) > 3:
                self.datasets[c]["aliases"][d["dir"]] += 0
        for t in mteb:
            task = self.task(MTEB_TASK.get(t["type"], t["type"]), "mteb")
            mets = [self.metric(t["main_score"], "mteb")[0]] if isinstance(t["main_score"], str) else []
            self.dataset(t["name"], "mteb", task=task, weight=1, metrics=mets, known=known)
        for c in tm:
            words = " ".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|\d+", c["class"]))
            self.metric(words, "torchmetrics", c["higher_is_better"])

    # --- output ---
    def _aliases(self, names: set[str], canon: str, sec: str) -> tuple[list[str], list[str]]:
        """(aliases, context aliases): no curated key, no key of another generated entry, ambiguous ones apart."""
        out, ctx = set(), set()
        for a in names:
            a = " ".join(a.split())
            k = alias_key(a)
            if not k:
                continue
            if k in self.cur.keys[sec]:
                continue  # a curated entry owns this name (its own aliases stay in the curated file)
            other_kind = any(k in self.cur.keys[o] or k in self.collide[o] for o in ("datasets", "tasks", "metrics") if o != sec)
            shared = self.collide[sec].get(k, 1) > 1 or other_kind
            if shared or self.amb.needs_context(a, sec):
                # one name, two meanings (two entries, or a dataset called "PSNR"): matched only with context
                ctx.add(a)
                if sec == "datasets" and not shared:
                    out.update(self._with_context_word(a))
            else:
                out.add(a)
        return sorted(out), sorted(ctx - out)

    def _with_context_word(self, a: str) -> list[str]:
        """"MR dataset", "Lost and Found benchmark": an ambiguous dataset name matched where the text says it is one.
        Not for a bare English word ("Places dataset" may be any dataset of places), a model or software name, a
        number, or a name of the short ambiguous list."""
        low = alias_key(a)
        flat = "".join(low)
        if not any(t.isalpha() for t in low) or flat in AMBIGUOUS or flat in self.amb.models or len(flat) < 2:
            return []
        if len(low) == 1 and (low[0] in self.amb.words or a[:1].isupper() and a[1:].islower()):
            return []  # "Places", "Google": a word or a name that is no dataset's own
        out = []
        for word in ("dataset", "benchmark"):
            if low[-1] in ("dataset", "datasets", "benchmark", "corpus"):
                break
            phrase = f"{a} {word}"
            if alias_key(phrase) not in self.cur.keys["datasets"] and alias_key(phrase) not in self.collide["datasets"]:
                out.append(phrase)
        return out

    def curated_ancestor(self, task: str) -> str | None:
        """The task itself when curated, else its nearest curated ancestor in the archive's tree, else None."""
        cur, seen = task, set()
        while cur and cur not in seen:
            if cur in self.cur.raw["tasks"]:
                return cur
            seen.add(cur)
            cur = self.tasks.get(cur, {}).get("parent")
        return None

    def _collisions(self, sec: str, entries: dict[str, Any], names) -> dict[tuple[str, ...], int]:
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for canon, e in entries.items():
            for a in names(canon, e):
                k = alias_key(a)
                if k and self.cur.keys[sec].get(k) in (None, canon):
                    owners[k].add(canon)
        self.collisions[sec] = sorted([" ".join(k), sorted(v)] for k, v in owners.items() if len(v) > 1)
        return {k: len(v) for k, v in owners.items()}

    def outputs(self) -> dict[str, str]:
        self.collide: dict[str, dict[tuple[str, ...], int]] = {}
        self.collisions: dict[str, list] = {}
        self.collide["tasks"] = self._collisions("tasks", self.tasks, lambda c, e: e["aliases"] | {c.replace("_", " ")})
        self.collide["datasets"] = self._collisions("datasets", self.datasets, lambda c, e: set(e["aliases"]) | {c})
        self.collide["metrics"] = self._collisions("metrics", self.metrics, lambda c, e: e["aliases"])

        tasks: dict[str, Any] = {}
        cur_tasks = set(self.cur.raw["tasks"])
        for c in sorted(self.tasks):
            e = self.tasks[c]
            al, ctx = self._aliases(e["aliases"] | {e["name"], c.replace("_", " ")}, c, "tasks")
            row: dict[str, Any] = {"name": e["name"], "aliases": al}
            if ctx:
                row["context"] = ctx
            for k in ("area", "parent"):
                if e.get(k):
                    row[k] = e[k]
            up = self.curated_ancestor(c)
            if up and up != c:
                row["report_as"] = up  # the curated level claims are annotated at (shared/ANNOTATION.md)
            if e.get("categories"):
                row["categories"] = sorted(e["categories"])
            if e.get("metrics"):
                row["metrics"] = e["metrics"]
            row["source"] = sorted(e["source"])
            tasks[c] = row

        datasets: dict[str, Any] = {}
        for c in sorted(self.datasets):
            e = self.datasets[c]
            al, ctx = self._aliases(set(e["aliases"]) | {c}, c, "datasets")
            row = {"aliases": al}
            if ctx:
                row["context"] = ctx
            if e["tasks"]:
                size = {t: self.tasks.get(t, {}).get("weight", 0) for t in e["tasks"]}
                ranked = sorted(e["tasks"].items(), key=lambda kv: (-kv[1], kv[0] not in cur_tasks, -size[kv[0]], kv[0]))
                row["task"] = self.curated_ancestor(ranked[0][0]) or ranked[0][0]
                row["tasks"] = [t for t, _ in ranked[:12]]
            if e["metrics"]:
                row["metric"] = e["metrics"][0]
                row["metrics"] = e["metrics"][:8]
            if e["conditions"]:
                row["conditions"] = sorted(e["conditions"])[:40]
            row["source"] = sorted(e["source"])
            datasets[c] = row

        metrics: dict[str, Any] = {}
        for c in sorted(self.metrics):
            e = self.metrics[c]
            cur = self.cur.raw["metrics"].get(c)
            label = c[6:] if c.startswith("other:") else c
            group, family, hib, unit, rng = metric_group(" ".join(sorted(e["aliases"]))[:400] if cur is None else " ".join([label, *(cur.get("aliases") or [])]))
            if cur is not None:
                family, hib, how = cur.get("family", family), bool(cur["higher_is_better"]), "curated"
                unit = cur.get("unit", unit)
            else:
                votes = Counter()
                for (h, src), n in e["votes"].items():
                    votes[h] += n
                if votes and len(votes) == 1:
                    hib = next(iter(votes))
                    how = "source: " + ", ".join(sorted({src for (_, src) in e["votes"]}))
                    if hib != metric_group(label.replace("_", " "))[2] and family in ("score", "error"):
                        family = "score" if hib else "error"
                else:
                    how = f"rule: {group}"
                    group_of_label = metric_group(label.replace("_", " "))
                    group, family, hib, unit, rng = group_of_label
                    how = f"rule: {group}"
            al, ctx = self._aliases(e["aliases"] | ({label} if c.startswith("other:") else set()), c, "metrics")
            row = {"aliases": al}
            if ctx:
                row["context"] = ctx
            row.update({"higher_is_better": hib, "direction": how, "family": family, "group": group})
            if unit:
                row["unit"] = unit
            if rng:
                row["range"] = rng
            if e["variants"]:
                row["variants"] = dict(sorted(e["variants"].items()))
            row["source"] = sorted(e["source"])
            metrics[c] = row

        about = {
            "generated_by": "tracker/vocab/build/build_vocab.py (do not edit; rebuild)",
            "license": "Papers with Code taxonomy data: CC BY-SA 4.0; see tracker/vocab/README.md",
            "sources": {
                "pwc": f"github.com/{S.PWC['repo']}@{S.PWC['commit']}",
                "sota-extractor": f"github.com/{S.SOTA['repo']}@{S.SOTA['commit']}",
                **{k: f"pypi:{k}=={v['version']} sha256:{v['sha256']}" for k, v in S.WHEELS.items()},
            },
        }
        out = {}
        for sec, entries in (("datasets", datasets), ("tasks", tasks), ("metrics", metrics)):
            out[sec] = _dump(about, self.collisions[sec], sec, entries)
        return out


# Archive spam: benchmark names that are support-desk questions posted to the archive ("[[Easy~refund]]How can i
# get a refund from ...", "Why is ... phone number busy?"): a question of 4+ words, a "how/what ... I/you" sentence,
# or the marks such posts carry ("~", "24/7", "customer service"). Never a dataset; dropped at build time.
SPAM_NAME = re.compile(
    r"^(?=(?:\S+\s+){3})(?:.*\?\W*$|\W*(?:how|what|where|who|why|can|is|are|does|do)\b.*\b(?:i|you|my|me)\b)"
    r"|~|24/7|customer service",
    re.I,
)
_STOP = frozenset("and or of the for in on with a an to from by via using based".split())


def _shares_word(child: str, parent: str) -> bool:
    cw = {w for w in alias_key(child) if w not in _STOP and len(w) > 1}
    return bool(cw & {w for w in alias_key(parent) if w not in _STOP and len(w) > 1})


def _dump(about: dict[str, Any], collisions: list, sec: str, entries: dict[str, Any]) -> str:
    """JSON with one line per entry and per collision: small, and a rebuild's diff reads entry by entry."""
    j = lambda x: json.dumps(x, ensure_ascii=False)  # noqa: E731
    lines = ["{", f' "about": {j(about)},', ' "collisions": [']
    lines += [f"  {j(c)}," for c in collisions]
    if collisions:
        lines[-1] = lines[-1].rstrip(",")
    lines += [" ],", f' "{sec}": {{']
    lines += [f"  {j(k)}: {j(v)}," for k, v in entries.items()]
    if entries:
        lines[-1] = lines[-1].rstrip(",")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def _flat(name: str) -> str:
    return "".join(alias_key(name))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pwc", type=Path, required=True)
    ap.add_argument("--sota", type=Path, required=True)
    ap.add_argument("--wheels", type=Path, required=True)
    ap.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    a = ap.parse_args(argv)
    try:
        pwc, sota = S.GitSource(a.pwc, S.PWC["commit"]), S.GitSource(a.sota, S.SOTA["commit"])
        pwc.check()
        sota.check()
        b = Builder(pwc, sota, a.wheels)
        b.build()
        files = b.outputs()
    except S.SourceError as e:
        print(f"build_vocab: {e}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    differ = []
    for sec, text in files.items():
        path = OUT / f"{sec}.json"
        if a.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                differ.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text, encoding="utf-8")
        n = len(json.loads(text)[sec])
        print(f"{sec}: {n} entries{' (differs)' if str(path.relative_to(ROOT)) in differ else ''}")
    if differ:
        print("build_vocab: committed files differ from a rebuild: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
