"""How a name of the vocabulary is normalised, and how a benchmark name splits into dataset and condition.

One key for every alias, the one the extractor's phrase index uses (word and digit tokens, lower-cased:
"ImageNet-1k", "ImageNet 1K" and "imagenet1k" are one key), so a collision found here is a collision
the extractor would meet. `split_condition` turns an archive benchmark name that is a dataset plus a
split or setting ("COCO test-dev", "Kinetics-400 (val)", "CIFAR-100, 40% Symmetric Noise") into the
dataset and the condition; the vocabulary build and `tracker vocab find` both use it.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W\d_]+|\d+")  # as extractors/lexicon.py: words and digit runs

# A split or evaluation setting written after a dataset's name.
SPLIT_WORDS = re.compile(
    r"(?:(?:the\s+)?(?:full\s+|official\s+|public\s+|private\s+|hidden\s+|blind\s+)?"
    r"(?:val(?:idation)?|dev(?:elopment)?|test|train(?:ing)?|minival|testdev|eval(?:uation)?)"
    r"(?:[-\s]?(?:dev|std|standard|challenge|clean|other|set|split|seen|unseen|A|B|final|testfinal|\d{2,4}))*"
    r"(?:\s+(?:set|split|data))?|val\d{4}|test\d{4}|train\d{4}|test-?dev\d{0,4}|testfinal)",
    re.I,
)
_TRAILING_SPLIT = re.compile(r"^(?P<base>.+?)[\s\-_]+(?P<cond>" + SPLIT_WORDS.pattern + r")$", re.I)
_PAREN = re.compile(r"^(?P<base>.+?)\s*\((?P<cond>[^()]+)\)$")
_COMMA = re.compile(r"^(?P<base>[^,]+?),\s*(?P<cond>.+)$")
_DASHED = re.compile(r"^(?P<base>.+?)\s*[-–:]\s+(?P<cond>.+)$")
# settings of a benchmark: shots, label rates, noise, resolutions, subsets
_SETTING = re.compile(
    r"(?:\d+(?:\.\d+)?\s?%|\d+[-\s]?shot|zero[-\s]?shot|few[-\s]?shot|\d+\s?(?:labels?|labeled|samples|images|classes|frames)"
    r"|\d+\s?x\s?\d+|\d+\s?px|\d+p\b|symmetric|asymmetric|noise|noisy|labeled|unlabeled|split|subset|seen|unseen|"
    r"clean|other|hard|easy|medium|long|short|online|offline|supervised|unsupervised|semi-supervised|"
    r"full|mini|small|large|tiny|v\d|\bval\b|\btest\b|\bdev\b|random|fold|setting|protocol|task|track|level|"
    r"english|chinese|german|french)",
    re.I,
)


def alias_key(alias: str) -> tuple[str, ...]:
    """The extractor's lookup key of an alias: its word and digit tokens, lower-cased."""
    return tuple(t.lower() for t in TOKEN.findall(alias))


def flat_key(name: str) -> str:
    """Letters and digits only, lower-cased: how shared/tools/score.py compares names."""
    return "".join(alias_key(name))


def split_condition(name: str, known: set[tuple[str, ...]] | frozenset[tuple[str, ...]] = frozenset()) -> tuple[str, str] | None:
    """(dataset, condition) when `name` is a dataset's name plus a split or setting, else None.

    A trailing split word ("test-dev", "val", "test-std", "val2017") always splits. A parenthesis, a comma or a
    dash suffix splits when what is left is a known dataset (`known`: alias keys) or the suffix reads as a
    setting (a percentage, shots, noise, a subset): "Kinetics-400 (val)", "CIFAR-100, 40% Symmetric Noise",
    "PASCAL Part 2010 - Animals" with "PASCAL Part 2010" known. Names that are only a split, or whose base
    is too short to be a name, are left whole."""
    name = name.strip()
    for pat in (_PAREN, _COMMA, _DASHED, _TRAILING_SPLIT):
        m = pat.match(name)
        if not m:
            continue
        base, cond = m.group("base").strip(" ,-:"), m.group("cond").strip()
        bk = alias_key(base)
        if len("".join(bk)) < 2 or not any(t.isalpha() for t in bk) or not cond:
            continue
        if pat is _TRAILING_SPLIT or SPLIT_WORDS.fullmatch(cond) or bk in known or _SETTING.search(cond):
            inner = split_condition(base, known)  # "COCO-Stuff val (full)" -> COCO-Stuff, "val; full"
            if inner is not None:
                return inner[0], f"{inner[1]}; {cond}"
            return base, cond
    return None
