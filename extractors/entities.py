"""Names in an abstract: datasets, metrics, tasks (vocabulary phrases), models, and the paper's own method.

`Lexicon` is built once per Vocab (cached) and holds one PhraseIndex per vocabulary plus the
compiled model-name patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from tracker.vocab import Vocab

from . import index_cache
from .lexicon import PhraseIndex, Tok
from .spans import SpanSet

# Generic shape of a model name: CamelCase with an inner capital or digit (FMViT, ResNet101, MobileOne),
# lower-then-upper (eP-ALM, mT5), or an acronym of 2+ capitals; hyphen/slash/dot suffixes (ViT-L/16, GPT-3.5).
MODEL_SHAPE = re.compile(
    r"(?<![\w\-/.])(?:[A-Z][a-z]*[A-Z0-9]|[a-z]+[A-Z]|[A-Z]{2,}|[A-Z][a-z]+(?=[-/][A-Z0-9]))(?:(?!times\s?\d)\w)*"
    r"(?:(?:[-/.]|\\times\s?|times\s?|×)(?=[\w])[\w]+)*\+*(?![\w])"
)
_DEF = re.compile(r"\(\s*(?:dubbed\s+|called\s+|named\s+|or\s+)?([A-Za-z][\w\-+.]*[A-Z0-9][\w\-+.]*|[A-Z][A-Za-z]+)\s*\)")
# \b(?:[Ww]e|[Tt]his\s+(?:paper|work)), written to start with a character class (the word boundary becomes a look-behind
# after the first letter): the regex engine then jumps from W/w/T/t to the next instead of trying every position.
_PROPOSE = re.compile(
    r"[WwTt](?<!\w.)(?:(?<=[Ww])e|(?<=[Tt])his\s+(?:paper|work))\s+(?:\w+\s+){0,2}?(?:propose|present|introduce|develop|design|build|devise|name|call|term|dub|release|train)s?d?\b"
    r"(?P<rest>[^.;:]{0,160})"
)
_NAMED = re.compile(
    r"\b(?:dubbed|called|named|termed|coined|denoted(?:\s+as)?|abbreviated\s+as|namely)\s+(?:as\s+)?[\"“']?"
    r"(?P<name>[A-Z][\w\-+.]*(?:\s+[A-Z][\w\-+.]*){0,2}|[a-z]+[A-Z][\w\-+.]*)"
)
_PROPOSED_NP = re.compile(r"\b(?:[Tt]he|[Oo]ur)\s+proposed\s+((?:[\w\-]+\s+){0,2}?[\w\-]*(?:[Tt]ransformer|[Nn]et(?:work)?|[Ff]ormer|GAN|[Mm]odel))\s+(?:architecture|model|network|method|framework)s?\b")
# Every _NAMED match holds one of these words (case-sensitive, as the pattern): a substring test skips the regex scan.
_NAMED_WORDS = ("dubbed", "called", "named", "termed", "coined", "denoted", "abbreviated", "namely")


def _named(s: str) -> re.Match | None:
    """_NAMED.search(s), skipped when none of its cue words occurs."""
    for w in _NAMED_WORDS:
        if w in s:
            return _NAMED.search(s)
    return None


_OUR_APPOSITIVE = re.compile(
    r"\b[Oo]ur\s+(?:[\w\-]+\s+){0,2}?(?:model|method|tracker|detector|network|approach|framework|system|architecture|algorithm|agent|"
    r"backbone|pipeline|solution|technique|recipe|family)\s*,?\s+(?:called\s+|named\s+|dubbed\s+)?"
    r"(?P<name>[A-Z][a-z]*[A-Z0-9][\w\-+.]*[A-Za-z0-9+]|[A-Z]{2,}[\w\-+]*)(?=\s*[,(]|\s+(?:is|achieves|reaches|applies|uses|runs|outperforms)\b)")
_CAPWORDS = re.compile(r"[A-Z][\w\-+.]*[A-Za-z0-9+](?:\s+[A-Z][\w\-+.]*[A-Za-z0-9+]){0,2}")
_STOP_NAME = frozenset("A An The We Our This It In On Transformer Transformers Vision Model Models Network Networks".split())


@dataclass
class Lexicon:
    vocab: Vocab
    metrics: PhraseIndex
    datasets: PhraseIndex
    tasks: PhraseIndex
    families: PhraseIndex
    systems: PhraseIndex
    hardware: PhraseIndex
    not_models: frozenset[str]
    system_names: frozenset[str] = field(default_factory=frozenset)
    firsts: frozenset[str] = field(default_factory=frozenset)  # first words of every index's aliases (lexicon.first_hits)
    fine_tasks: PhraseIndex | None = None  # claims.fine_task_index, built on first use (or read from the cache)


_CACHE: dict[int, tuple[Vocab, Lexicon]] = {}


def _strlist(x) -> list[str]:
    return [str(a) for a in x] if isinstance(x, list) else []


def lexicon_for(vocab: Vocab) -> Lexicon:
    """The Lexicon of `vocab`: built once per process and Vocab, and read from the on-disk cache (`index_cache`) when
    another process built the same vocabulary's indexes with the same code."""
    hit = _CACHE.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    state = index_cache.load(vocab.digest) if vocab.digest else None
    if state is not None:
        lex = Lexicon(vocab=vocab, **state)
    else:
        lex = _build_lexicon(vocab)
        if vocab.digest and index_cache.cache_dir() is not None:
            from .claims import fine_task_index  # built now so that the cache holds it too

            fine_task_index(lex)
            index_cache.save(vocab.digest, {f.name: getattr(lex, f.name) for f in fields(lex) if f.name != "vocab"})
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[id(vocab)] = (vocab, lex)
    return lex


def _build_lexicon(vocab: Vocab) -> Lexicon:
    metrics, datasets, tasks = vocab.phrases("metrics"), vocab.phrases("datasets"), vocab.phrases("tasks")
    mv = vocab.models if isinstance(vocab.models, dict) else {}
    fams = {f: [f] for f in _strlist(mv.get("families"))}
    systems = {s: [s] for s in _strlist(mv.get("systems"))}
    hardware = {h: [h] for h in _strlist(mv.get("hardware"))}
    lex = Lexicon(
        vocab=vocab,
        metrics=PhraseIndex(metrics),
        datasets=PhraseIndex(datasets),
        tasks=PhraseIndex(tasks),
        families=PhraseIndex(fams),
        systems=PhraseIndex(systems),
        hardware=PhraseIndex(hardware),
        not_models=frozenset(_strlist(mv.get("not_models"))),
        system_names=frozenset(s.lower() for s in systems),
    )
    lex.firsts = frozenset().union(*(ix.first for ix in (lex.metrics, lex.datasets, lex.tasks, lex.families, lex.systems, lex.hardware)))
    return lex


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str


_UPPER = re.compile(r"[A-Z]")


def model_shapes(text: str, lo: int, hi: int):
    """The matches of `MODEL_SHAPE.finditer(text, lo, hi)`, found by jumping between capitals.

    MODEL_SHAPE starts with a look-behind, so the regex engine would try it at every position. A match starts at a
    capital, or (`eP-ALM`, `mT5`) at the start of the lower-case run right before one: only those two positions
    are tried, the capital found by a fast character-class scan."""
    pos = lo
    for um in _UPPER.finditer(text, lo, hi):
        u = um.start()
        if u < pos:
            continue
        p = u
        while p > pos and "a" <= text[p - 1] <= "z":
            p -= 1
        m = (MODEL_SHAPE.match(text, p, hi) if p < u else None) or MODEL_SHAPE.match(text, u, hi)
        if m:
            yield m
            pos = m.end()


_VARIANT_SUFFIX = re.compile(r"(?:(?!times\s?\d)\w)*(?:(?:×|times\s?)\d+(?:\.\d+)?)?(?:[-/][\w.]+)*(?:\s(?:\d+(?:\.\d+)?[BM]|[SBLHT]|Tiny|Small|Base|Large|Huge|XL)\b)?")


def model_mentions(text: str, lo: int, hi: int, lex: Lexicon, taken: list[tuple[int, int]], toks: list[Tok], tlo: int, thi: int,
                   hits: list[tuple[int, str]] | None = None) -> list[Mention]:
    """Model names in text[lo:hi], excluding spans already taken by datasets/metrics/hardware."""
    out: list[Mention] = []

    taken_set = SpanSet(taken)

    def free(s: int, e: int) -> bool:
        return not taken_set.overlaps(s, e)

    for s, e, canon, _, _ in lex.families.find(toks, tlo, thi, hits):
        # extend with a variant suffix: "Swin-B", "Llama 2 70B", "ViT-L/16"
        m = _VARIANT_SUFFIX.match(text, e, hi)
        e2 = m.end() if m else e
        if free(s, e2):
            out.append(Mention(s, e2, text[s:e2]))
    for m in model_shapes(text, lo, hi):
        s, e = m.span()
        name = m.group()
        # (a name inside a dataset/metric span is skipped before the costlier whole-name vocabulary test)
        if name in lex.not_models or name.rstrip("s") in lex.not_models or not free(s, e) or names_benchmark_or_metric(name, lex):
            continue
        over = [x for x in out if not (e <= x.start or s >= x.end)]
        if over:
            if len(over) == 1 and over[0].start >= s and over[0].end <= e and e - s > over[0].end - over[0].start and name not in lex.not_models:
                out.remove(over[0])  # "MobileNetV2×1.4" over "MobileNetV2", "Hyper-YOLO-N" over "YOLO-N"
            else:
                continue
        if name.isdigit() or len(name) < 2:
            continue
        out.append(Mention(s, e, name))
    out.sort(key=lambda x: x.start)
    return out


def names_benchmark_or_metric(name: str, lex: Lexicon) -> bool:
    """True when the whole name is a dataset or metric ("KMMLU", "AMOTA"): a score's subject is a
    model, never the benchmark it is measured on, so such a name cannot be the model of a claim."""
    toks = _toks(name)
    return lex.datasets.matches_whole(toks, len(name)) or lex.metrics.matches_whole(toks, len(name))


def _clean_name(name: str) -> str:
    name = _NAME_END.split(name, 1)[0]
    name = name.strip(" ,.;:\"“”'()")
    if "times" in name:
        name = _TIMES_DIGIT.sub(r"×\1", name)
    return name


_NAME_END = re.compile(r"[.,;:]\s")
_TIMES_DIGIT = re.compile(r"times\s?(\d)")


_SMALL = frozenset("of for the a an and in on to with via by from at as is are".split())
_TITLE_WORD = re.compile(r"[A-Za-z][a-z]*|[A-Z]+(?![a-z])|\d+")
# (?<![\w\-])[A-Z]..., with the look-behind moved after the capital: a pattern that starts with a character class lets
# the regex engine skip to the next capital instead of trying every position (twice as fast on an abstract).
_ACR_CAND = re.compile(r"[A-Z](?<![\w\-].)[A-Za-z0-9]{1,7}(?:[-+][A-Za-z0-9+]+)*(?![\w\-])")
# People a number can belong to ("experts reach 65% accuracy", "trivial for humans (>95% accuracy)").
HUMANS = re.compile(
    r"\b(?:humans|human\s+(?:experts?|annotators?|raters?|evaluators?|players?|performance|baselines?)|(?:domain\s+|non-)?experts?"
    r"(?:\s+validators)?|non-expert\s+validators|annotators|crowd-?workers|radiologists|clinicians|physicians|pathologists|"
    r"dermatologists|ophthalmologists|doctors)\b(?!-)",
    re.I,
)

# Models a sentence describes instead of naming ("the top model", "state-of-the-art models", "the best publicly available
# model", "baseline models"): a number after such a subject is theirs, not the paper's own method (a benchmark paper
# reports the models it evaluates). One descriptor word at least; "the model", "our model" are no such phrase.
DESCRIBED_MODELS = re.compile(
    r"\b(?:(?:the|all|most|many|several|even|current|existing|prior|previous|recent|leading|strong|strongest|best|top|"
    r"top-performing|best-performing|highest-scoring|state-of-the-art|SOTA|open-source|open|proprietary|closed-source|"
    r"commercial|publicly\s+available|baseline|competitive|frontier|contemporary|popular)\s+){1,4}"
    r"(?:(?:language|vision|vision-language|multimodal|AI|neural|generative|detection|segmentation)\s+)?"
    r"(?:models?|LLMs?|MLLMs?|VLMs?|systems?|baselines?|methods?|approaches)\b",
    re.I,
)
_DESCRIPTOR_HINTS = ("current", "existing", "prior", "previous", "recent", "leading", "strong", "best", "top", "state-of-the-art",
                     "sota", "open", "proprietary", "closed", "commercial", "publicly", "baseline", "competitive", "frontier",
                     "contemporary", "popular")
_OWN_BEFORE = re.compile(r"\b(?:[Oo]ur|[Tt]his|[Pp]roposed|[Ww]e)\s+$")
_DESCRIPTORS_ONLY_ARTICLES = frozenset({"the", "all", "most", "many", "several", "even"})


def described_models(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of DESCRIBED_MODELS in text[a:b] with a descriptor beyond articles and quantifiers."""
    out: list[tuple[int, int, str]] = []
    low = text[a:b].lower()
    if not any(w in low for w in _DESCRIPTOR_HINTS):
        return out  # every phrase holds a descriptor beyond articles: none in the sentence, no phrase (a substring test)
    for m in DESCRIBED_MODELS.finditer(text, a, b):
        if _OWN_BEFORE.search(text, max(a, m.start() - 16), m.start()):
            continue  # "our best model", "the proposed baseline": the paper's own method
        words = m.group().lower().split()
        if any(w not in _DESCRIPTORS_ONLY_ARTICLES for w in words[:-1]):
            st = m.start() + (5 if words[0] == "even" else 0)  # "Even the strongest model": the model, not the emphasis
            out.append((st, m.end(), text[st:m.end()]))
    return out


def _acronym_of(cand: str, words: list[str]) -> bool:
    """'CCT' ~ Compact Convolutional Transformers, 'Vim' ~ Vision Mamba, 'SIM' ~ Score Implicit Matching."""
    c = cand.lower().replace("-", "")
    ws = [w.lower() for w in words]

    def go(i: int, j: int, used: int) -> bool:
        if i == len(c):
            return used >= 2
        if j >= len(ws):
            return False
        w = ws[j]
        if w in _SMALL and go(i, j + 1, used):
            return True
        k = 0
        while k < len(w) and i + k < len(c) and w[k] == c[i + k]:
            k += 1
            if go(i + k, j + 1, used + 1):
                return True
        return False

    for j0 in range(len(ws)):
        if ws[j0][:1] == c[:1] and go(0, j0, 0):
            return True
    return False


def acronym_candidates(abstract: str) -> list[tuple[int, str]]:
    """(start, text) of the capitalised short words that could abbreviate title words: one scan of the abstract,
    shared by both `title_acronym` calls of `_proposed_name` (title head, then whole title)."""
    return [(m.start(), m.group()) for m in _ACR_CAND.finditer(abstract)]


def title_acronym(title: str, abstract: str, lex: Lexicon, cands: list[tuple[int, str]] | None = None) -> str | None:
    """A name in the abstract that abbreviates consecutive title words (not a known family, dataset or metric).

    `cands`: `acronym_candidates(abstract)`, when the caller already has them."""
    words = _TITLE_WORD.findall(title)
    if len(words) < 2:
        return None
    seen = set()
    relaxed: list[str] = []
    initials_l = {w[0].lower() for w in words}
    low = [w.lower() for w in words]
    joined_low = "".join(low)
    task_words = words[low.index("for") + 1:] if "for" in low else []  # "... for Open-Vocabulary Detection" names a task
    has_http = "http" in abstract
    for start, c in acronym_candidates(abstract) if cands is None else cands:
        if c[0].lower() not in initials_l:
            continue
        if abstract[max(0, start - 1):start] in ("/", ".") or has_http and "http" in abstract[max(0, start - 40):start]:
            continue
        if c in seen or c in lex.not_models or c.rstrip("s") in lex.not_models or c in _STOP_NAME:
            continue
        seen.add(c)
        if len(c) < 3:  # "To" (Task Oriented), "In": words, not names
            continue
        if c[1:].islower() and len(c) > 4:  # "Vim" yes, "Vision" no (c starts with [A-Z]: it has a capital)
            continue
        if c.lower() in low:
            continue
        flat = c.lower().replace("-", "").rstrip("s")
        whole = False
        # a run of title words spelling `flat` (plus "s") holds `flat` as a substring of the joined words: test that first
        for j in (range(len(words)) if flat in joined_low else ()):
            acc = ""
            for w in words[j:]:
                acc += w.lower()
                if acc.rstrip("s") == flat:
                    whole = True
                if len(acc) >= len(flat):
                    break
        if whole:  # "Text-to-Image", "ConvNets": title words, not an abbreviation
            continue
        acr = _acronym_of(c.replace("+", ""), words) and not _acronym_of(c.replace("+", ""), task_words)
        if not acr and not (c.isupper() and 3 <= len(c) <= 5):
            continue
        if lex.families.find(_toks(c)) or lex.datasets.find(_toks(c)) or lex.metrics.find(_toks(c)):
            continue
        if acr:
            return c
        relaxed.append(c)
    # "CCT" for "... with Compact Transformers": the title words' initials, in order, inside the acronym
    initials = [w[0].upper() for w in words if w.lower() not in _SMALL and w[0].isupper()]
    for c in relaxed:
        for j in range(len(initials)):
            for k in range(j + 2, min(len(initials), j + 5) + 1):
                seq = initials[j:k]
                if c[0] == seq[0] and c[-1] == seq[-1] and _subseq(seq, c) and len(c) - len(seq) <= 1:
                    return c
    return None


def _subseq(seq: list[str], s: str) -> bool:
    it = iter(s)
    return all(ch in it for ch in seq)


def proposed_name(title: str, abstract: str, lex: Lexicon) -> str:
    """The paper's own method: an acronym the text defines for what it proposes, the title's name, else '(proposed)'.

    A benchmark paper names its benchmark the same way ("KMMLU: Measuring ..."); that name is where
    the scores are measured, not who scores them, so it falls back to '(proposed)'."""
    name = _proposed_name(title, abstract, lex)
    return "(proposed)" if names_benchmark_or_metric(name, lex) else name


def _proposed_name(title: str, abstract: str, lex: Lexicon) -> str:
    defs: dict[str, int] = {}
    for m in _DEF.finditer(abstract):
        acr = m.group(1)
        if acr in lex.not_models or len(acr) < 2:
            continue
        before = abstract[max(0, m.start() - 80):m.start()]
        defs[acr] = m.start()
        defs.setdefault("__long__" + acr, 0)
        defs["__before__" + acr] = before  # type: ignore[assignment]
    head = title.split(":")[0].strip() if ":" in title else ""
    head_words = head.split()
    # 1. A single-token title name: "FMViT: ...", "eP-ALM: ...".
    if head and len(head_words) == 1 and (MODEL_SHAPE.fullmatch(head) or head in abstract) and not names_benchmark_or_metric(head, lex):
        for acr in [k for k in defs if not k.startswith("__")]:
            if str(defs["__before__" + acr]).lower().replace("-", "").replace(" ", "").endswith(head.lower().replace("-", "")):
                return acr  # "Mixture-of-Transformers (MoT)"
        return _clean_name(head)
    # 2. What "we propose/present/introduce" names, or "dubbed X" / "called X".
    proposes: list[str] = []  # the "rest" of every _PROPOSE match, kept for the second pass below (one scan, not two)
    for m in _PROPOSE.finditer(abstract):
        rest = m.group("rest")
        proposes.append(rest)
        d = _DEF.search(rest)
        if d and d.group(1) not in lex.not_models:
            return _clean_name(d.group(1))
        nm = _named(rest)
        if nm:
            return _clean_name(nm.group("name"))
    m = _named(abstract)
    if m and m.group("name").split()[0] not in _STOP_NAME:
        return _clean_name(m.group("name"))
    # 2a. "Our tracker, CenterTrack, ...", "our model SwiftNet": a name in apposition to the paper's own method, used again
    if "ur " in abstract:
        for m in _OUR_APPOSITIVE.finditer(abstract):
            nm = m.group("name")
            if nm not in _STOP_NAME and nm not in lex.not_models and abstract.count(nm) >= 2 and not names_benchmark_or_metric(nm, lex):
                return _clean_name(nm)
    for rest in proposes:
        for cand in MODEL_SHAPE.finditer(rest[:70]):
            c = cand.group()
            if c not in lex.not_models and c not in _STOP_NAME and not lex.datasets.find(_toks(c)) and not lex.metrics.find(_toks(c)):
                return _clean_name(c)
    # 2b. A name in the abstract that abbreviates title words: "Vim" (Vision Mamba), "SIM" (Score Implicit Matching).
    acr_cands = acronym_candidates(abstract)
    ta = title_acronym(head if len(head_words) > 1 else title, abstract, lex, acr_cands)
    if ta is None and head:
        ta = title_acronym(title, abstract, lex, acr_cands)
    if ta:
        return ta
    # 3. A short multi-word title name: "Swin Transformer: ..."; its acronym if the text defines one.
    if head and len(head_words) <= 3 and head[0].isupper():
        key = head.lower().replace("-", "").replace(" ", "")
        for acr in [k for k in defs if not k.startswith("__")]:
            if key in str(defs["__before__" + acr]).lower().replace("-", "").replace(" ", ""):
                return acr
        if head in abstract:
            return head
    # 3b. "the proposed time-series transformer architecture"
    pm = _PROPOSED_NP.search(abstract) if "proposed" in abstract else None  # the pattern needs the literal word
    if pm:
        return pm.group(1)
    # 4. The acronym the abstract defines and uses most.
    best, cnt = None, 1
    for acr in [k for k in defs if not k.startswith("__")]:
        c = abstract.count(acr)
        if c > cnt and not lex.datasets.find(_toks(acr)) and not lex.metrics.find(_toks(acr)):
            best, cnt = acr, c
    if best:
        return best
    if head and len(head_words) <= 2 and head[0].isupper():
        return head
    return "(proposed)"


_TOKS_CACHE: dict[str, list] = {}


def _toks(s: str) -> list[Tok]:
    r = _TOKS_CACHE.get(s)
    if r is not None:
        return r
    if len(_TOKS_CACHE) > 20_000:
        _TOKS_CACHE.clear()
    r = _TOKS_CACHE[s] = _toks_uncached(s)
    return r


def _toks_uncached(s: str) -> list[Tok]:
    from .lexicon import tokenize

    return tokenize(s)
