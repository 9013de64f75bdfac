"""Assembly: numbers + metric + kind + attribution -> Claims, one sentence at a time (see ANNOTATION.md).

The grammar, in the order it is applied to each numeric mention of a sentence with digits:
  1. drop non-claims (filters.py) and numbers inside URLs, dimensions (384x384) and hardware names;
  2. metric: a metric phrase right after the number ("84.1% top-1", "4.5G FLOPs"), else right before
     ("FID of 2.06", "F1-score by 13.92%"), else the unit (ms -> latency, fps, x + faster -> speedup),
     else a list neighbour ("2.06 ... and 1.96"), else an unbound metric phrase in the clause, else the
     dataset's standard metric, else `performance` (only for % and decimal scores);
  3. kind: ratio for "x"/"times" and "% of the FLOPs"; delta for signs, "by N", "N% higher/gain/fewer";
  4. model: "X of N", "X (N)", a named model before the number that is not a comparison target,
     the second side of "A vs. B", "respectively" lists; else the paper's own method name;
  5. dataset, task, comparator, conditions from the sentence (and the abstract as fallback).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from collections.abc import Callable
from dataclasses import dataclass

from tracker.models import Claim, Paper
from tracker.vocab import Vocab

from . import kinds
from .entities import HUMANS, Lexicon, Mention, described_models, lexicon_for, model_mentions, proposed_name
from .filters import GPU_TIME, count_after_range, is_data_size, is_non_claim, is_setting_pct, url_spans
from .lexicon import PhraseIndex, ascii_words, first_hits, tokenize, tokenize_span
from .numbers import ASCII_DIGIT, Num, dimension_spans, find_numbers, range_after, set_qualifier
from .sentences import split_sentences
from .spans import SpanSet
from .weights import Weights, default_weights

EFFICIENCY = frozenset({"params", "flops", "latency", "throughput", "fps", "memory", "speedup", "training_cost"})
GENERATIVE = frozenset({"fid", "inception_score", "clip_score", "other:fvd", "other:kid", "other:aesthetic_score", "other:image_reward"})
METRIC_TASK = {"box_ap": "object_detection", "mask_ap": "instance_segmentation", "wer": "speech_recognition",
               "other:pq": "panoptic_segmentation", "other:cer": "speech_recognition", "other:mota": "multi_object_tracking",
               "other:hota": "multi_object_tracking", "other:idf1": "multi_object_tracking"}
METRIC_TASK_WEAK = {"top1_accuracy": "image_classification", "top5_accuracy": "image_classification", "miou": "semantic_segmentation", "fid": "image_generation", "bleu": "machine_translation", "rouge": "summarization",
                    "inception_score": "image_generation", "perplexity": "language_modeling", "other:mos": "text_to_speech"}
# metrics of one family of tasks: (the family's task suffix, the task when the dataset's task is of another family)
METRIC_TASK_FAMILY = {"other:cider": ("captioning", "image_captioning"), "other:spice": ("captioning", "image_captioning"),
                      "other:epe": ("flow_estimation", "optical_flow_estimation")}
_DIGIT = re.compile(r"\d")
_NEXT_OWNS = re.compile(r"[\s)]*(?:score\s+)?(?:of|=|:|is|was)\s*(?:an?\s+|the\s+)?(?:\$|\{|\\textbf\{)*\s*[+\-−–]?")
MAX_NUMBERS_PER_SENTENCE = 120
_SPLIT = re.compile(r"\s*(val(?:idation)?\s?(?:2017|set)?|test[-\s]?dev|test[-\s]?(?:clean|other)|test(?:\s?set|\s?2017)?|minival|dev(?:\s?set)?)\b", re.I)
_SHOTS = re.compile(r"\b(zero-shot|one-shot|few-shot|\d+-shot|linear[-\s]prob\w*|fine-?tun\w*|from\s+scratch)\b", re.I)
_RES = re.compile(r"\b\d{3,4}\s?(?:x|×|times|\\times)\s?\d{3,4}\b|\b\d{3,4}p\b|\b\d{3,4}\s?(?:px|resolution)\b|resolution\s+(?:of\s+)?\d{3,4}")
_LIST_SEP = re.compile(r"^\s*(?:,|and|or|/|,\s*and|;)\s*(?:about|around|over|up\s+to|only|~|\$\\sim\$)?\s*$", re.I)
_LOOSE_SEP = re.compile(r"^\s*(?:for|on|in|with)\s+[^,;.\d()]{1,35}?\s*(?:,\s*and|,|and)\s*(?:\+|about|around|over|up\s+to|only|~)?\s*$", re.I)
_OWN_DIR = re.compile(r"\s*(?:(?!(?:in|on|for|and|or|of|to|than|over|compared|with|at|by|the|while|when)\b)[A-Za-z][\w\-]*\s+){0,2}?("
                      + kinds.UP.pattern[5:-3] + "|" + kinds.DOWN.pattern[5:-3] + r")\b", re.I)
_LIST_END = re.compile(r"(?:,\s*and|,|\band|\bor|/)\s*(?:\+|about|around|over|up\s+to|only|~|nearly|approximately)?\s*$", re.I)
_LIST_BREAK = re.compile(
    r"[;%]|\d\s*(?:%|x\b)|\b(?:is|are|was|were|achiev\w*|obtain\w*|outperform\w*|surpass\w*|improves|improved|improve|reduces|reduced|"
    r"while|whereas|which|but|than|compared|over|respectively|vs|versus|requir\w*|using|runs?|reach\w*|yield\w*|lead\w*)\b",
    re.I,
)
_VS_SEP = re.compile(r"^\s*(?:\(?vs\.?|versus|v\.s\.|compared\s+(?:to|with)|against)\s*$", re.I)
_FROM_TO = re.compile(r"^\s*(?:to|->|→)\s*$")
_ARROW = re.compile(r"^\s*(?:->|-->|→|⟶|=>|⇒)\s*$")
# "ranging from 1.8% to 3.3%", "varies from", "between": a range, not a before/after pair
_RANGE_CUE = re.compile(r"\b(?:rang\w*|vary\w*|varies|span\w*|between|anywhere|scal\w*|sizes?|outperform\w*|surpass\w*|beat\w*|by|margins?|gains?|improvements?)\b[^.;]*$", re.I)
_CHANGE_VERB = re.compile(r"\b(?:increas\w*|improv\w*|boost\w*|rais\w*|reduc\w*|decreas\w*|drop\w*|lower\w*|jump\w*|grow\w*|enhanc\w*|went|goes|go)\b[^.;]*$", re.I)
_RESULT_CUE = re.compile(
    r"\b(?:achiev\w*|obtain\w*|reach\w*|attain\w*|outperform\w*|surpass\w*|improv\w*|boost\w*|gain\w*|scor\w*|accura\w*|"
    r"state[-\s]of[-\s]the[-\s]art|sota|better|higher|lower|drop\w*|increas\w*|decreas\w*|reduc\w*|faster|result\w*|perform\w*|"
    r"yield\w*|deliver\w*|record\w*|exceed\w*|beat\w*|maintain\w*|match\w*|rate|setting\s+new|new\s+state)\b",
    re.I,
)
_SIZE_MODEL_AFTER = re.compile(
    r"^[\s-]*(?:parameters?|params?)?\s*(?:[\w\-.]+\s+){0,3}?(?:models?|LMs?|LLMs?|networks?|transformers?|baselines?|variants?|versions?|"
    r"decoders?|encoders?|backbones?|checkpoints?)\b",
    re.I,
)
# capitalised words that open a sentence or a phrase, never a name with a version or size after it ("Our 1.3B model")
_NOT_A_NAME = frozenset("A An The In On With By Only To At Of For From Over Under About Around Up And Our Its Their This These "
                        "That Those Each Every Both All Using Just Nearly Almost Roughly Approximately Over Below Above Even".split())
# the words before "a 7B model" / "Our 1.3B model" (any case: a sentence can open with them)
_CMP_PAREN_END = re.compile(r"(?:outperform\w*|surpass\w*|than|over|above|below|ahead\s+of|vs\.?|versus|compared\s+(?:to|with)|beat\w*|exceed\w*)\s+"
                            r"[^()\d;,]{1,40}\(\s*$", re.I)
_SIZE_LEAD = re.compile(r"\b(?:an?|the|our|its|their|of|with|only|to|and|from)\s*$|\($", re.I)
_SIZE_LIST_AFTER = re.compile(
    r"(?:\s*(?:,|and|or|,\s*and)\s*\d+(?:\.\d+)?\s?[KMBT]\b)+[\s-]*(?:parameters?|params?)?\s*(?:[\w\-.]+\s+){0,3}?"
    r"(?:models?|LMs?|LLMs?|networks?|transformers?|variants?|versions?|checkpoints?)\b",
    re.I,
)
_OWN = re.compile(r"\b(?:our|ours|we|proposed|this)\b", re.I)
_CMP_BEFORE_MODEL = re.compile(
    r"(?:(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|over|than|vs\.?|versus|against|compared\s+to|compared\s+with|relative\s+to|upon|"
    r"as\s+fast\s+as|as\s+\w+\s+as|like|such\s+as|including|e\.g\.,?)\s+(?:[a-z][\w\-]*\s+){0,4}|"
    r"(?:to|with|of|from|and)\s+(?:the\s+|a\s+|an\s+|existing\s+|original\s+|vanilla\s+|baseline\s+|recent\s+|strong\s+)*)$",
    re.I,
)
_CMP_STRONG = re.compile(
    r"(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|over|than|vs\.?|versus|against|compared\s+to|compared\s+with|relative\s+to|"
    r"as\s+fast\s+as|as\s+\w+\s+as|like|such\s+as|including|e\.g\.,?)\s+(?:[a-z][\w\-]*\s+){0,4}$",
    re.I,
)
_COORD = re.compile(r"^\s*(?:/|,|and|or|,\s*and|,\s*or)\s*$")


class Ctx:
    """Per-abstract state. Whole-abstract facts (own method name, abstract task, datasets of earlier sentences)
    are computed lazily: most sentences hold no number, and many abstracts hold no claim.

    Tokens are made once per sentence (`sent_toks`) and shared by the grammar and the whole-abstract facts. For
    nearly every abstract the sentences' tokens tile the abstract's tokens exactly (`_sentence_tokens_tile`), so the
    abstract is never tokenised a second time and the datasets of earlier sentences are scanned only as far as
    needed. Vocabulary matches never cross a sentence either, so the abstract's datasets and tasks are looked up
    sentence by sentence (`_sentence_finds`), and a sentence that `PhraseIndex.may_match` rules out is not tokenised."""

    def __init__(self, text: str, paper: Paper, lex: Lexicon, raw: str, all_spans: list[tuple[int, int]], w: Weights | None = None):
        self.w = w or default_weights()  # weights of the scored choices (extractors/weights.json)
        self.text = text  # the abstract with markup blanked (same length: offsets are shared with `raw`)
        self.raw = raw
        self.paper = paper
        self.lex = lex
        self.prev_x: tuple | None = None  # (metric, end) of the last "x" claim, for a list that names its metric once
        self.prev_score: tuple | None = None  # (metric, end) of the last named score claim ("..., which is 4x higher than")
        self.sent_start = 0
        self.sent_end = 0
        self._proposed: str | None = None
        self._title_toks = None
        self._full_toks = None
        self.all_spans = all_spans
        self._segmented = _sentence_tokens_tile(text)
        self._sent_toks: dict[int, list] = {}
        self._sent_words: dict[int, list[str]] = {}  # lower-cased words of ASCII sentences not tokenised (may_match)
        self._urls: list[tuple[int, int]] | None = None
        self._abstract_task: object = _UNSET
        self._title_task: object = _UNSET
        self._ds_ends: list[int] = []
        self._ds_names: list[str] = []
        self._ds_scanned = 0  # sentences (of all_spans) whose datasets are in _ds_ends/_ds_names
        self.last_dataset_pos = 0
        self.cache: dict = {}  # per-sentence memo (cleared for each sentence)
        self.cache_abs: dict = {}  # per-abstract memo

    @property
    def proposed(self) -> str:
        if self._proposed is None:
            self._proposed = proposed_name(self.paper.title, self.text, self.lex)
        return self._proposed

    def urls(self) -> list[tuple[int, int]]:
        """Spans of URLs, arXiv ids and citations (scanned only once a sentence keeps a number)."""
        if self._urls is None:
            text = self.text
            self._urls = url_spans(text) if (
                "http" in text or "www" in text or "arXiv" in text or ".io" in text or ".com" in text
                or ".org" in text or ".net" in text or ".ai" in text or "doi:" in text) else []
        return self._urls

    def sent_toks(self, a: int, b: int):
        """Tokens of the sentence text[a:b] (memoised: the grammar and the whole-abstract facts share them)."""
        t = self._sent_toks.get(a)
        if t is None:
            t = self._sent_toks[a] = tokenize_span(self.text, a, b)
        return t

    def full_toks(self):
        if self._full_toks is None:
            if self._segmented:
                toks: list = []
                for a, b in self.all_spans:
                    toks += self.sent_toks(a, b)
                self._full_toks = toks
            else:
                self._full_toks = tokenize(self.text)
        return self._full_toks

    def title_toks(self):
        if self._title_toks is None:
            self._title_toks = tokenize(self.paper.title)
        return self._title_toks

    @property
    def title_task(self) -> str | None:
        if self._title_task is _UNSET:
            title = self.paper.title
            tt = self.lex.tasks.find(self.title_toks()) if not title.isascii() or self.lex.tasks.may_match(title) else None
            tt = [t for t in tt or () if not _names_model_kind(title, t)]
            # the longest task phrase of the title: "... Detection and Re-Identification in Multiple Object Tracking"
            # names the paper's task in its longest phrase; a tie goes to the first
            self._title_task = max(tt, key=lambda t: (t[4] - t[3], -t[0]))[2] if tt else None
        return self._title_task  # type: ignore[return-value]

    @property
    def abstract_task(self) -> str | None:
        if self._abstract_task is _UNSET:
            found = self.lex.tasks.find(self.full_toks()) if not self._segmented else self._sentence_finds(self.lex.tasks)
            self._abstract_task = self.title_task or _abstract_task([t for t in found if not _names_model_kind(self.text, t)])
        return self._abstract_task  # type: ignore[return-value]

    @property
    def fine_task(self) -> str | None:
        """The archive task named in the title, else the one named most often in the abstract, among the tasks that
        have no curated ancestor (`fine_task_index`): the last resort of a claim that no other rule gives a task (a
        retinopathy screening paper's AUC, a redshift paper's outlier fraction), never in place of a task found."""
        ft = self.cache_abs.get("fine_task", _UNSET)
        if ft is _UNSET:
            ix = fine_task_index(self.lex)
            title = self.paper.title
            found = ix.find(self.title_toks()) if not title.isascii() or ix.may_match(title) else []
            if found:
                ft = max(found, key=lambda t: (t[4] - t[3], -t[0]))[2]
            else:
                found = ix.find(self.full_toks()) if not self._segmented else self._sentence_finds(ix)
                # "11 times more events than template matching": a method compared with, not the paper's task
                text = self.text
                ft = _abstract_task([t for t in found if not _COMPARED_BEFORE.search(text, max(0, t[0] - 30), t[0])])
            self.cache_abs["fine_task"] = ft
        return ft  # type: ignore[return-value]

    def _sentence_finds(self, ix: PhraseIndex, spans: list[tuple[int, int]] | None = None) -> list:
        """`ix.find` over the tokens of a segmented abstract, sentence by sentence (`spans`: only these). A match never
        crosses a sentence (its first token is never joined), so this is `ix.find(full_toks())` in (start, end,
        canonical), and an ASCII sentence not yet tokenised that `ix.may_match` rules out is skipped untokenised."""
        out: list = []
        for a, b in self.all_spans if spans is None else spans:
            toks = self._sent_toks.get(a)
            if toks is None:
                seg = self.text[a:b]
                if seg.isascii():
                    low = self._sent_words.get(a)
                    if low is None:
                        low = self._sent_words[a] = ascii_words(seg)  # shared by the dataset and task look-ups
                    if not ix.may_match(seg, low):
                        continue
                toks = self.sent_toks(a, b)
            out += ix.find(toks)
        return out

    def _scan_datasets(self, upto: int | None) -> None:
        """Add the datasets (not pre-training sets) of the sentences ending at or before `upto` (None: all)."""
        spans = self.all_spans
        if not self._segmented:  # one pass over the whole abstract's tokens
            if self._ds_scanned < len(spans):
                self._add_datasets(self.lex.datasets.find(self.full_toks()))
                self._ds_scanned = len(spans)
            return
        k = self._ds_scanned
        while k < len(spans) and (upto is None or spans[k][1] <= upto):
            k += 1
        if k > self._ds_scanned:
            self._add_datasets(self._sentence_finds(self.lex.datasets, spans[self._ds_scanned:k]))
        self._ds_scanned = k

    def _add_datasets(self, found) -> None:
        text = self.text
        for s, e, canon, _, _ in found:
            if not _PRETRAIN_ON.search(text, max(0, s - 30), s):
                self._ds_ends.append(e)
                self._ds_names.append(canon)

    @property
    def last_dataset(self) -> str | None:
        """The last dataset named before the current sentence (not a pre-training set)."""
        self._scan_datasets(self.last_dataset_pos)
        k = bisect.bisect_right(self._ds_ends, self.last_dataset_pos)
        return self._ds_names[k - 1] if k else None

    def dataset_names(self) -> list[str]:
        """The datasets (not pre-training sets) of the whole abstract, in text order."""
        self._scan_datasets(None)
        return self._ds_names


_UNSET = object()


def _sentence_tokens_tile(text: str) -> bool:
    """Whether the tokens of the sentences, concatenated, are exactly `tokenize(text)` (joined flags and lower-cased
    texts included). Token boundaries always agree: a sentence boundary is `[.!?]`, quotes/brackets and whitespace,
    none of them token characters. The first token of a sentence is unjoined in both: the gap before it holds "!" or
    "?" (never joining) or "." with whitespace, which joins only when that whitespace is a no-break space (a "."
    with a plain space never joins; other whitespace never does). Lower-casing is per character, except for a
    capital sigma (final form by context) and letters that lengthen (then each token is lower-cased on its own)."""
    if text.isascii():
        return True
    return "\u00a0" not in text and "\u03a3" not in text and len(text.lower()) == len(text)


_NOT_DATASET_AFTER = re.compile(r"[\s-]*(?:models?|architectures?|attention|layers?|variants?|backbones?|heads?|kernels?)\b", re.I)
_PRETRAIN_ON = re.compile(r"pre-?train\w*\s+(?:\w+\s+)?on\s+(?:the\s+)?$", re.I)


# Markup that hides the grammar ("**52\\%**", "$\\text{AP}^{val}$", "{\\%}", "FasterSeg [9]", "87.74 \\pm 0.13"):
# blanked with spaces of the same length, so every offset still points into the original abstract.
# Every alternative starts with a literal character ("$|{|}" rather than "[${}]", each "± N" spelling on its own): the
# regex engine then jumps to the next of those characters instead of trying every position (7x faster on an abstract).
_PM_NUMBER = r"\s*\$?\s*\d+(?:\.\d+)?"
_MARKUP = re.compile(
    r"\\(?:textbf|mathbf|text|mathrm|underline|emph|textit|boldsymbol|bm|mathit|textsc)\{|\\(?:bf|it|rm)\s|\*\*|\$|\{|\}|"
    + "|".join(pm + _PM_NUMBER for pm in (r"\\pm", "±", r"\+/-", r"\+-"))
    + r"|\[\d+(?:\s*[,\u2013\-]\s*\d+)*\]|\\(?=%)|\\sim\b|\\approx\b"
)


def _blank(m: re.Match) -> str:
    g = m.group(0)
    if g == "\\sim" or g == "\\approx":
        return "~" + " " * (len(g) - 1)
    return " " * len(g)


def clean_text(text: str) -> str:
    if not any(c in text for c in "*${}[\\±+"):
        return text
    return _MARKUP.sub(_blank, text)


_BYTES_NOT_MEMORY = re.compile(r"\s*(?:(?:[\w\-]+\s+){0,2}(?:GPUs?|cards?|devices?|Macs?|MacBooks?|machines?|laptops?|phones?|servers?|nodes?)\b|"
                               r"(?:of\s+)?(?:\w+\s+)?(?:data|text|images|videos|storage\s+space|corpus|dataset)\b)", re.I)
_TIME_CUE = re.compile(r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|latency|inference|runtime|run[-\s]time|wall[-\s]?clock|GPU[-\s]?hours?|"
                       r"speed\w*|takes?|took|taking|requir\w*|generat\w*|render\w*|decod\w*|process\w*|synthes\w*|comput\w*|converge\w*|"
                       r"within|only|per|faster|slower|reduc\w*|sav\w*|cost\w*|budget|search\w*|optimi[sz]\w*|solv\w*)\b", re.I)
_TIMES_FREQ = re.compile(r"\s*(?:[.,;:)\"'”’]|$|with\b|in\b|on\b|per\b|each\b|during\b|when\b|a\s|the\s|to\b|for\b|as\b|out\b)")
_MORE_DATA = re.compile(r"\s*(?:more|less|fewer|larger|smaller)\s+(?:training\s+|labell?ed\s+|unlabell?ed\s+|pre-?training\s+)?"
                        r"(?:data|samples|examples|images|tokens|labels|annotations|videos|text|languages|tasks|domains|epochs|steps)\b", re.I)
_OF_AFTER = re.compile(r"\s*of\b")
_SCHEDULE = re.compile(r"\s*(?:(?:training|learning[-\s]rate|lr|longer)\s+)?(?:schedules?|settings?|training\s+schedules?)\b", re.I)
_SETTING_VERB = re.compile(r"\b(?:occlud\w*|mask\w*|corrupt\w*|perturb\w*|remov\w*|dropp\w*|crop\w*|sampl\w*|subsampl\w*)\s+"
                           r"(?:only\s+|randomly\s+|up\s+to\s+|about\s+|the\s+)?$", re.I)


_DIGIT3 = re.compile(r"\d{3}")
_LETTER_EQUALS_END = re.compile(r"(?<![A-Za-z])[A-QS-Za-qs-z]\s*=\s*$")  # "K=10"
_DB_HINT_WORDS = ("by", "margin", "improv", "gain", "increase", "boost", "drop", "decrease", "reduction", "sav", "delta", "difference",
                  "lead", "loss", "within", "gap")
_DB_HINT = re.compile("|".join(_DB_HINT_WORDS), re.I)


def _delta_before(ctx: Ctx, before: str, pos: int) -> bool:
    """kinds.DELTA_BEFORE at the end of `before` (cached per number: list members ask for each other)."""
    key = ("db", pos)
    r = ctx.cache.get(key)
    if r is None:
        tail = before[-90:]
        # DELTA_BEFORE is anchored at the end of `tail` and every match starts with a _DB_HINT word after a non-word
        # character, so trying it only where a hint starts is the same as searching all 90 positions. On ASCII text
        # re.I matches exactly the lower-cased words, so the hints are found by substring search: every occurrence of
        # a hint word (a few more than _DB_HINT.finditer yields, but one inside another hint word follows a letter,
        # where no match can start).
        starts = _hint_starts(tail) if tail.isascii() else [h.start() for h in _DB_HINT.finditer(tail)]
        r = any(kinds.DELTA_BEFORE.match(tail, i) for i in starts)
        ctx.cache[key] = r
    return r  # type: ignore[return-value]


def _hint_starts(tail: str) -> list[int]:
    """Where a _DB_HINT word occurs in the ASCII `tail` (lower-cased)."""
    low = tail.lower()
    starts = []
    for w in _DB_HINT_WORDS:
        i = low.find(w)
        while i != -1:
            starts.append(i)
            i = low.find(w, i + 1)
    return starts


def _sent_cached(ctx: Ctx, name: str, a: int, pat: re.Pattern, sent: str):
    key = (name, a)
    if key not in ctx.cache:
        ctx.cache[key] = pat.search(sent)
    return ctx.cache[key]


def _may_name_shots(sent: str) -> bool:
    """False when _SHOTS cannot match: each of its alternatives holds "shot", "linear", "fine" or "scratch" (on ASCII
    text re.I matches exactly the lower-cased words)."""
    if not sent.isascii():
        return True
    low = sent.lower()
    return "shot" in low or "linear" in low or "fine" in low or "scratch" in low


def _cheap_reject(text: str, n: Num, a: int, b: int) -> bool:
    if n.unit in (None, "K", "M", "B", "T") and (n.unit or "." not in n.text) and (is_data_size(text, n) or count_after_range(text, n)):
        return True  # counts are whole numbers ("266,340 X-rays") or magnitudes ("1.1 billion molecules"); "0.68 on 50k users" is a score
    if n.unit == "%" and is_setting_pct(text, n, a):
        return True
    if n.unit == "x" and re.match(r"\s*\d", text[n.end:n.end + 3]):
        return True
    return _not_a_result(text, n, a, b)


def _not_a_result(text: str, n: Num, a: int, b: int) -> bool:
    """Device memory ('a single 48GB GPU'), data storage ('>77 TB of data'), times that are not costs ('30 minutes with
    access to the web', 'Switchboard 300h'), frequencies ('at least 3 times'), data multipliers ('10x more data'),
    settings ('occluding 80% of the image'), hyper-parameters ('K=10')."""
    u = n.unit
    before = text[max(a, n.start - 60):n.qual_start if n.qual_start is not None else n.start]
    after = text[n.end:min(b, n.end + 60)]
    if u in ("GB", "MB", "TB"):
        return bool(_BYTES_NOT_MEMORY.match(after) or re.search(r"\bdataset\b[^,;.]{0,25}$", before, re.I))
    if u in ("s", "min", "h"):
        if re.search(r"[A-Z][\w\-]*\s*$", before) and not re.search(r"\b(?:In|On|With|Only|About|Over|Under|Within)\s*$", before):
            return True  # "Switchboard 300h"
        return not _TIME_CUE.search(before[-45:] + " " + after[:40]) or bool(re.search(r"\bspend\w*\b", before[-45:], re.I))
    if u == "x":
        if n.unit_raw.startswith("time") and _TIMES_FREQ.match(after) and not re.search(r"\b(?:by|up\s+to|about|over|nearly|around|to)\s*$", before, re.I):
            return True
        if _MORE_DATA.match(after) or _SCHEDULE.match(after):
            return True  # "10x more data", "a 3x schedule", "the 1x setting"
    if u == "%":
        if _OF_AFTER.match(after) and _SETTING_VERB.search(before[-30:]):
            return True
    if u is None and "=" in before and _LETTER_EQUALS_END.search(before):
        return True
    return False



_NAME_CACHE: dict[tuple[int, str], tuple[bool, bool]] = {}


def _vocab_kind(lex: Lexicon, s: str) -> tuple[bool, bool]:
    """(is a metric phrase, is a dataset phrase), cached."""
    key = (id(lex), s)
    r = _NAME_CACHE.get(key)
    if r is None:
        tk = tokenize(s)
        r = (bool(lex.metrics.find(tk)), bool(lex.datasets.find(tk)))
        if len(_NAME_CACHE) > 50_000:
            _NAME_CACHE.clear()
        _NAME_CACHE[key] = r
    return r


def _clean_model(name: str) -> str:
    name = name.strip()
    return _TIMES_DIGIT.sub(r"×\1", name) if "times" in name else name


_MODEL_KIND = re.compile(r"(?:\bmodels?|\bLLMs?|\bLMs?|\bVLMs?|\bMLLMs?)$", re.I)


def _names_model_kind(text: str, t) -> bool:
    """A task alias that names a kind of model ("large language models", "LLMs"): the object studied, not the task a
    number measures, so it never sets a claim's task (an LLM paper's accuracy on GSM8K is no language modelling)."""
    return bool(_MODEL_KIND.search(text, t[0], t[1]))


# a task is an activity ("redshift estimation", "retinopathy screening", "judgment prediction"), not a method or a
# setting ("deep learning", "transfer learning", "graph neural networks"): the head noun says which
_ACTIVITY_HEAD = re.compile(r"(?:tion|sion|sis|ment|ing|ance|ery)$", re.I)
_METHOD_HEAD = re.compile(r"\b(?:learning|training|pre-?training|fine-?tuning|modell?ing|computing|programming|engineering|"
                          r"processing|mining|sampling|prompting|reasoning|understanding)$", re.I)


_COMPARED_BEFORE = re.compile(r"\b(?:than|over|against|versus|vs\.?|outperform\w*|surpass\w*|beat\w*)\s+(?:the\s+|a\s+|an\s+)?"
                              r"(?:\w+\s+){0,2}$", re.I)


def fine_task_index(lex: Lexicon) -> PhraseIndex:
    """Names of two or more words of the vocabulary's tasks that have no curated ancestor (the generated archive tasks
    `Vocab.phrases` leaves out), each for itself; built once per vocabulary (kept on the Lexicon, and in its disk
    cache), on the first claim that needs it."""
    if lex.fine_tasks is not None:
        return lex.fine_tasks
    entries: dict[str, list[str]] = {}
    for name, t in lex.vocab.tasks.items():
        if "curated" in t.source or t.report_as:
            continue
        if ("other:" + name) in lex.vocab.metrics or name in lex.vocab.metrics:
            continue  # "success rate", "specificity": archive column headers filed as tasks
        names = {*t.aliases, *t.context, name.replace("_", " "), *([t.label] if t.label else [])}
        keep = [x for x in names if len(x.split()) >= 2 and _ACTIVITY_HEAD.search(x) and not _METHOD_HEAD.search(x)]
        if keep:
            entries[name] = sorted(keep)
    lex.fine_tasks = PhraseIndex(entries)
    return lex.fine_tasks


def _abstract_task(found) -> str | None:
    """The task named most often in the abstract (`found`: its task matches), the earliest on a tie."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for s, _, c, _, _ in found:
        counts[c] = counts.get(c, 0) + 1
        first.setdefault(c, s)
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -first[c]))


def _digit_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences that hold a digit: one regex search per such sentence (jumping to the next digit), not one per sentence."""
    out = []
    digit = ASCII_DIGIT if text.isascii() else _DIGIT
    m = digit.search(text)
    for a, b in spans:
        if m is None:
            break
        if m.start() < a:
            m = digit.search(text, a)
            if m is None:
                break
        if m.start() < b:
            out.append((a, b))
            m = digit.search(text, b)
    return out


def extract(paper: Paper, vocab: Vocab, version: str, weights: Weights | None = None) -> list[Claim]:
    raw = paper.abstract
    text = clean_text(raw)
    all_spans = split_sentences(text)
    spans = _digit_spans(text, all_spans)
    if not spans:
        return []
    lex = lexicon_for(vocab)
    ctx = Ctx(text, paper, lex, raw, all_spans, weights)
    out: list[Claim] = []
    seen: dict = {}
    for a, b in spans:
        ctx.sent_start, ctx.sent_end = a, b
        ctx.last_dataset_pos = a
        ctx.cache.clear()
        for c in _sentence_claims(ctx, a, b, version):
            k2 = (c.value, c.unit, c.metric, c.kind)
            if k2 in seen and not any(x.start == c.start for x in out):
                prev = seen[k2]
                if not (c.model and prev and c.model != prev and not _is_own(ctx, c.model) and c.model != "(proposed)"):
                    continue
            seen[k2] = c.model
            out.append(c)
    return out


def _sentence_claims(ctx: Ctx, a: int, b: int, version) -> list[Claim]:
    text, lex = ctx.text, ctx.lex
    nums = find_numbers(text, a, b, qualify=False)  # qualifiers below, for the numbers past is_non_claim
    if not nums:
        return []
    if len(nums) > MAX_NUMBERS_PER_SENTENCE:  # no real sentence holds more; keeps the list logic linear-time
        nums = nums[:MAX_NUMBERS_PER_SENTENCE]
    # filters that need no vocabulary first: most numbers in a sentence are years, sizes, settings or names
    keep = set()
    for n in nums:
        if is_non_claim(text, n, a):  # needs no qualifier (the other numbers' qualifiers are never read)
            continue
        set_qualifier(text, n, a)
        if not _cheap_reject(text, n, a, b):
            keep.add(id(n))
    if not keep:  # nothing left: skip the vocabulary lookups of this sentence
        return []
    urls = ctx.urls()
    toks = ctx.sent_toks(a, b)
    tlo, thi = 0, len(toks)
    hits = first_hits(toks, lex.firsts)  # one pass over the tokens for all six vocabularies
    dsm = lex.datasets.find(toks, tlo, thi, hits)
    if dsm:  # "EfficientViT-M5", "Swin-L": a short alias glued to a name by a hyphen is part of the name
        dsm = [d for d in dsm if not (d[1] - d[0] <= 3 and d[0] - 2 >= a and text[d[0] - 1] == "-" and text[d[0] - 2].isalnum())
               and not _NOT_DATASET_AFTER.match(text, d[1], b)]  # "for GQA models": a kind of model, not a benchmark
    dims = dimension_spans(text, a, b)
    mets = lex.metrics.find(toks, tlo, thi, hits)
    if mets:  # "Hugging Face Accelerate": a capitalised one-word metric alias right after a capitalised word is a name
        mets = [m for m in mets if not (m[4] - m[3] == 1 and text[m[0]].isupper() and text[m[0]:m[1]].istitle()
                                        and _NAME_BEFORE.search(text, a, m[0]))]
    tasks = [t for t in lex.tasks.find(toks, tlo, thi, hits) if not _names_model_kind(text, t)]
    hws = lex.hardware.find(toks, tlo, thi, hits)
    syss = lex.systems.find(toks, tlo, thi, hits)
    taken = [(s, e) for s, e, *_ in dsm] + [(s, e) for s, e, *_ in mets] + [(s, e) for s, e, *_ in hws] + urls
    models = model_mentions(text, a, b, lex, taken + [(s, e) for s, e, *_ in syss], toks, tlo, thi, hits)
    models += [Mention(s, e, text[s:e]) for s, e, *_ in syss]
    if models and ("GPU" in text[a:b] or "PU " in text[a:b] or "PUs" in text[a:b]):
        models = [m for m in models if not _HARDWARE_NAME.search(m.name)]  # "H800 GPU", "TPUv4 Pod": hardware, no model
    sent = text[a:b]
    respectively = "respectively" in sent

    # ---- 1. keep the numbers that can be claims
    blocked = urls + dims + [(s, e) for s, e, *_ in hws] + [(m.start, m.end) for m in models] + [(s, e) for s, e, *_ in dsm] \
        + [(s, e) for s, e, *_ in mets]
    blocked_set = SpanSet(blocked)
    cands: list[Num] = []
    skip_until = -1
    for n in nums:
        if n.start < skip_until:
            continue
        if id(n) not in keep:
            continue
        if blocked_set.overlaps(n.start, n.num_end):
            continue
        # a version or size right after a name: "Llama 2", "wav2vec 2.0", "Chameleon 7B", "System 2"
        gap_prev = text[max(a, n.start - 2):n.start]
        if n.unit in (None, "K", "M", "B", "G", "T") and gap_prev.endswith(" ") and not n.sign:
            pm = re.search(r"([A-Z][\w\-.]*|[a-z]+\d[\w]*)\s$", text[max(a, n.start - 30):n.start])
            if pm and pm.group(1) not in _NOT_A_NAME:
                is_met, is_ds = _vocab_kind(lex, pm.group(1))
                if not is_met and not is_ds or (n.unit is None and is_ds and "." not in n.text):
                    continue
        r = range_after(text, n, b) or range_after(text, n, b, n.end)
        if r:
            second = [m for m in nums if m.num_end == r.end(1)]
            if second:
                n.unit = n.unit or second[0].unit
                n.end = max(n.end, second[0].end)
                n.range_to = second[0].value
                n.required = False
                skip_until = second[0].end
        cands.append(n)
    if not cands:
        return []
    # the own method's name and people as mentions: only once a number reaches attribution (the own method's name is
    # searched for in the whole abstract; a sentence whose numbers all fail before needs none)
    full_models: list[list[Mention]] = []

    def all_models() -> list[Mention]:
        if not full_models:
            full_models.append(_with_own_and_people(ctx, models, a, b))
        return full_models[0]

    # ---- 2. from/to pairs and list groups
    pair_role: dict[int, str] = {}
    for i in range(len(cands) - 1):
        x, y = cands[i], cands[i + 1]
        between = text[x.end:y.start]
        xb = text[max(a, x.start - 30):x.qual_start if x.qual_start is not None else x.start]
        if _ARROW.match(between) and (x.unit is None or y.unit is None or x.unit == y.unit):
            y.unit = y.unit or x.unit  # "(0.79 -> 0.84)", "91.1 → 92.7": a before/after pair, never a range
            x.unit = x.unit or y.unit
            pair_role[i] = "before"
            pair_role[i + 1] = "after"
            continue
        if _FROM_TO.match(between) and (x.unit is None or y.unit is None or x.unit == y.unit) and (
                not re.search(r"\bfrom\s*$", xb) or re.search(r"\b(?:rang\w*|vary\w*|varies)\s+from\s*$", xb, re.I)):
            # "by 4 to 6 percentage points", "ranging from 1.8% to 3.3%": a range, one claim on its first number
            if x.unit is None and x.end > x.num_end:
                pass  # "in 1.5 days to 97% of the accuracy": not a range
            elif not (x.unit is None and y.unit is not None and "." not in x.text and x.value > y.value):
                x.unit = x.unit or y.unit
                x.required = False
                x.range_to = y.value
                pair_role[i + 1] = "drop"
            continue
        if _FROM_TO.match(between) and re.search(r"\bfrom\s*$", text[max(a, x.start - 8):x.start]):
            y.unit = y.unit or x.unit
            x.unit = x.unit or y.unit
            if _CHANGE_VERB.search(text[max(a, x.start - 90):x.start]) or (
                    x.unit in (None, "%", "dB") and "." in x.text + y.text and not _RANGE_CUE.search(text[max(a, x.start - 40):x.start])):
                pair_role[i] = "before"
                pair_role[i + 1] = "after"
            else:
                x.required = False
                x.range_to = y.value
                pair_role[i + 1] = "drop"
    groups: list[int] = list(range(len(cands)))  # group id per candidate
    vs_next: dict[int, int] = {}
    for i in range(1, len(cands)):
        x, y = cands[i - 1], cands[i]
        between = text[x.end:y.start]
        if x.unit is None and y.unit is not None and y.unit not in ("K", "M", "B", "T", "G") and _LIST_SEP.match(between) \
                and not re.search(r"\b(?:between|from)\s*$", text[max(a, x.start - 10):x.start]):
            x.unit = y.unit
        if _VS_SEP.match(between.replace("(", "").replace(")", "")):
            vs_next[i] = i - 1
            groups[i] = groups[i - 1]
        elif (x.unit == y.unit or y.unit is None and x.unit == "%") and _LIST_SEP.match(between.replace("+", "").replace("\\", "")):
            groups[i] = groups[i - 1]
        elif x.unit == y.unit and _LOOSE_SEP.match(between):
            groups[i] = groups[i - 1]
        elif x.unit == y.unit and len(between) <= 70 and _LIST_END.search(between) \
                and not re.search(r"[A-Za-z]\s*,\s*$", between) \
                and not _LIST_BREAK.search(between):
            groups[i] = groups[i - 1]  # "98.9% from scratch and 98.5%", "5.0 mask AP for rare categories and 3.4", "17.73% for 8-bit and 29.75%"
    for i, n in enumerate(cands):
        n.group = None if pair_role.get(i) == "drop" else groups[i]

    # ---- 3. metric per number
    bound: set[int] = set()
    info = []
    for i, n in enumerate(cands):
        info.append(_metric_adjacent(ctx, n, mets, a, b, cands, i))
    for i, (m, mi) in enumerate(info):
        if mi is not None:
            bound.add(mi)
    for i, n in enumerate(cands):
        m, mi = info[i]
        if m is None:
            # share with list neighbours
            for j in range(len(cands)):
                if j != i and groups[j] == groups[i] and info[j][0] is not None:
                    m = info[j][0]
                    break
        if m is None:
            # a metric phrase elsewhere in the clause that no other number took ("(83.3% vs. 80.8%) in top-1 accuracy")
            best = None
            for k, (s, e, canon, _, _) in enumerate(mets):
                if k in bound or canon == "performance" or n.unit in ("K", "M", "B", "T", "G", "ms", "s", "fps"):
                    continue
                if n.unit == "%" and canon in EFFICIENCY:
                    continue
                d = s - n.end if s >= n.end else n.start - e
                if d >= ctx.w.metric_far and d >= ctx.w.metric_near:
                    continue  # (the stretch between is sliced only for a near phrase: linear time in a long sentence)
                seg = text[min(e, n.end):max(s, n.start)]
                if d < ctx.w.metric_far and ";" not in seg and not re.search(r"\d", seg.replace(text[n.start:n.end], "")) or d < ctx.w.metric_near:
                    if best is None or d < best[0]:
                        best = (d, canon)
            if best:
                m = best[1]
        info[i] = (m, info[i][1])
    # a transition "FID from 2.31 to 0.95", "(0.79 -> 0.84)": both sides are readings of one metric
    for i in range(len(cands) - 1):
        if pair_role.get(i) == "before" and pair_role.get(i + 1) == "after":
            m0, m1 = info[i][0], info[i + 1][0]
            if m0 is None and m1 is not None:
                info[i] = (m1, info[i][1])
            elif m1 is None and m0 is not None:
                info[i + 1] = (m0, info[i + 1][1])
    # "65% accuracy (74% when ...)": a number in parentheses right after another shares its metric
    for i in range(1, len(cands)):
        if info[i - 1][0] is not None and re.fullmatch(r"[^()\d]{0,30}\(\s*", text[cands[i - 1].end:cands[i].start]) and (
                info[i][0] is None or info[i][1] is None):
            info[i] = (info[i - 1][0], info[i][1])  # also "accuracy to 86.7% (4.6% absolute improvement), SQuAD ... F1": not the F1
    # "82.1% top-1 accuracy, outperforming Swin-T (81.3%)": a baseline's bare score in parentheses after the name it is
    # compared with is a reading of the metric of the score before it
    for i in range(1, len(cands)):
        if info[i][0] is None and _CMP_PAREN_END.search(text, max(a, cands[i].start - 60), cands[i].start):
            for j in range(i - 1, -1, -1):
                if info[j][0] is not None and cands[j].unit == cands[i].unit and info[j][0] not in EFFICIENCY:
                    info[i] = (info[j][0], info[i][1])
                    break
    # "38.7% accuracy, 24.7% improvement over ...": a bare difference right after a score shares its metric
    for i in range(1, len(cands)):
        if info[i][0] is None and info[i - 1][0] is not None and cands[i].unit == cands[i - 1].unit \
                and re.fullmatch(r"\s*(?:[A-Za-z][\w\-]*\s*){0,3},\s*", text[cands[i - 1].end:cands[i].start]) \
                and kinds.DELTA_AFTER.match(text[cands[i].end:min(b, cands[i].end + 60)]):
            info[i] = (info[i - 1][0], info[i][1])
    # one metric named in the sentence, far from the number ("improves zero-shot top-1 accuracy ..., with a 3.08% improvement")
    score_mets = {canon for _, _, canon, _, _ in mets if canon != "performance" and canon not in EFFICIENCY}
    if len(score_mets) == 1:
        only = next(iter(score_mets))
        for i, n in enumerate(cands):
            if info[i][0] in (None, "performance") and n.unit in ("%", None) and (n.unit or "." in n.text) and (
                    kinds.DELTA_AFTER.match(text[n.end:min(b, n.end + 60)]) or n.sign):
                info[i] = (only, info[i][1])
    # a list of metrics paired with a list of numbers: "reduces the MSE and MAE by 9.17% and 2.3%",
    # "with precision and recall up to 97% and 96.2%, respectively"
    seen_g = set()
    for i, n in enumerate(cands):
        g = groups[i]
        if g in seen_g or pair_role.get(i) == "drop":
            continue
        seen_g.add(g)
        mem = [j for j in range(len(cands)) if groups[j] == g and pair_role.get(j) != "drop"]
        if len(mem) < 2:
            continue
        first = cands[mem[0]]
        prior = [mt for mt in mets if mt[1] <= first.start and not re.search(r"[\d;]", text[mt[1]:first.start]) and first.start - mt[1] < 40]
        if not prior:
            continue
        chain = [prior[-1]]
        for mt in reversed(mets[:mets.index(prior[-1])]):
            if re.fullmatch(r"\s*(?:,\s*and|,|and|&|/)\s*(?:the\s+)?", text[mt[1]:chain[0][0]]):
                chain.insert(0, mt)
            else:
                break
        after_adj = any(info[j][1] is not None and mets[info[j][1]][0] >= cands[j].end for j in mem)
        if len(chain) == len(mem) and len({c[2] for c in chain}) == len(chain) and not after_adj:
            for j, mt in zip(mem, chain):
                info[j] = (mt[2], info[j][1])

    claims: list[Claim] = []
    prev_metric_unitless = None
    for i, n in enumerate(cands):
        if pair_role.get(i) == "drop":
            continue
        metric = info[i][0]
        if metric is None and n.unit is None and i > 0 and groups[i] != i and prev_metric_unitless:
            metric = prev_metric_unitless
        if metric is None and n.unit is None and "." in n.text and i > 0 and prev_metric_unitless and re.search(r"\bof\s*$", text[max(a, n.start - 5):n.start]):
            metric = prev_metric_unitless  # "SDXL-TURBO of 5.33, SDXL-LIGHTNING of 5.34"
        c = _build(ctx, n, i, metric, cands, groups, vs_next, pair_role, all_models, dsm, tasks, hws, a, b, respectively, version, syss)
        if c is not None:
            n.kind, n.direction = c.kind, c.direction
            if c.unit == "x":
                ctx.prev_x = (c.metric, n.end)
            elif c.kind == "absolute" and c.metric != "performance" and c.metric not in EFFICIENCY:
                ctx.prev_score = (c.metric, n.end)
            # one number, two metrics named together: "2.8x smaller number of parameters and FLOPs", "parameters and MACs by 28x"
            if (c.metric in EFFICIENCY or c.kind == "delta") and groups.count(groups[i]) == 1:
                other = _coordinated_metric(text, mets, c.metric, n, a, b, c.kind)
                if other:
                    claims.append(c)
                    c = c.model_copy(update={"metric": other})
            claims.append(c)
            if c.unit is None:
                prev_metric_unitless = c.metric
    return claims


def _with_own_and_people(ctx: Ctx, models: list[Mention], a: int, b: int) -> list[Mention]:
    """The sentence's model mentions plus the paper's own method named in it and people ("humans", "experts"), in
    text order."""
    text = ctx.text
    extra = []
    p = ctx.proposed
    if p and p != "(proposed)" and p in text[a:b]:
        i = text.find(p, a, b)
        while i != -1:
            e = i + len(p)
            if (i == 0 or not text[i - 1].isalnum()) and (e >= len(text) or not text[e].isalnum()):
                if not any(m.start <= i < m.end or i <= m.start < e for m in models):
                    extra.append(Mention(i, e, p))
            i = text.find(p, e, b)
    if "uman" in text[a:b] or "xpert" in text[a:b] or "ists" in text[a:b] or "tors" in text[a:b]:
        for hm in HUMANS.finditer(text, a, b):
            if not any(m.start < hm.end() and hm.start() < m.end for m in models):
                extra.append(Mention(hm.start(), hm.end(), hm.group()))
    if "odel" in text[a:b] or "LM" in text[a:b] or "ystem" in text[a:b] or "aseline" in text[a:b]:
        for s, e, phrase in described_models(text, a, b):
            if not any(m.start < e and s < m.end for m in models + extra):
                extra.append(Mention(s, e, phrase))
    if extra:
        models += extra
    models.sort(key=lambda m: m.start)
    return models


# Patterns of the per-number grammar below, compiled once (they run for every candidate number).
_OF_THE_AFTER = re.compile(r"\s*(?:\\?%\s*)?(?:of|the)\b")
_CMP_BEFORE_END = re.compile(r"\b(?:compared\s+(?:to|with)|vs\.?|versus|against)\s*$")
_SAVE_VERB_END = re.compile(r"\b(?:sav\w*|reduc\w*|cut\w*|prun\w*|eliminat\w*)\s*$")
_WITHIN_END = re.compile(r"\bwithin\s*$")
_GAP_BREAK = re.compile(r"[;\d]|\bwhile\b|\bwhich\b|\bwith\b|\bthan\b|\bcompared\b|\bvs\b|\bon\b")
_GAP_HARD_BREAK = re.compile(r"[;,\d]")
_GAP_PUNCT = re.compile(r"[,(]")
_GAP_AND_OR = re.compile(r"\b(?:and|or)\b")
_SEMI_OR_DIGIT = re.compile(r"[;\d]")
_PRETRAINED_ON_END = re.compile(r"pre-?train\w*\s+(?:\w+\s+)?on\s+(?:the\s+)?$|pretrained\s+(?:on|with)\s+$|trained\s+on\s+(?:the\s+)?$", re.I)
_DS_ADJACENT = re.compile(r"\s*(?:dataset\s+|score\s+)?(?:with|of|:|=|at)?\s*(?:an?\s+)?")
_CLAUSE_BREAK = re.compile(r"[;]|\bwhile\b|\bwhereas\b")
_AND = re.compile(r"\band\b")
_COMMA_AND = re.compile(r"[;,]|\band\b")
_MODEL_OWNS_GAP = re.compile(r"\s*(?:of|:|=|\(|with|at|reaches|achieves|obtains|gets|scores)?\s*(?:an?\s+)?(?:\$|\\textbf\{)?")
_WITH_START = re.compile(r"\s*with\b")
_PREP_BEFORE_LONG = re.compile(r"\b(?:on|to|from|for|in|into|of|by|like|using|upon|via|with|applying|include|including)\s+(?:the\s+|a\s+)?$", re.I)
_PREP_BEFORE = re.compile(r"\b(?:on|to|from|for|in|into|of|by|like|using|upon|via|with)\s+(?:the\s+|a\s+)?$", re.I)
_FEW_LOWER_WORDS = re.compile(r"(?:[a-z][\w\-]*\s+){0,2}")
_NUMBER_NEXT = re.compile(r"\s*(?:\$|\\|[\d.+~])")
_NUMBER_NEXT_OVER = re.compile(r"\s*(?:\d|\$)")
_TIMES_DIGIT = re.compile(r"times\s?(\d)")
_METRIC_NEAR_WORD = re.compile(r"[A-Za-z][\w\-@.^{}/]*")


def _coordinated_metric(text: str, mets, metric: str, n: Num, a: int, b: int, kind: str = "absolute") -> str | None:
    """The other of two metrics named together for one number: "2.8x smaller number of parameters and FLOPs" (two
    efficiency metrics, before or after it), "1.3% higher mAP and NDS" (two scores after a difference: one gain in
    both; an absolute reading is of one metric only)."""
    near = [mt for mt in mets if (mt[0] >= n.end and mt[0] - n.end < 40) or (mt[1] <= n.start and n.start - mt[1] < 40)]
    for x, y in zip(near, near[1:]):
        pair = {x[2], y[2]}
        same_family = pair <= EFFICIENCY or (kind == "delta" and x[0] >= n.end and "performance" not in pair and not pair & EFFICIENCY)
        if x[2] != y[2] and same_family and metric in (x[2], y[2]) and re.fullmatch(r"\s*(?:and|&|/|,|,\s*and)\s*", text[x[1]:y[0]]):
            between = text[min(n.end, x[0]):max(n.start, y[1])]
            if not re.search(r"\d", between.replace(text[n.start:n.end], "")):
                return y[2] if metric == x[2] else x[2]
    return None


def _metric_adjacent(ctx: Ctx, n: Num, mets, a: int, b: int, cands, i) -> tuple[str | None, int | None]:
    text = ctx.text
    nxt = cands[i + 1].start if i + 1 < len(cands) else b
    prv = cands[i - 1].end if i > 0 else a
    # after the number: "84.1% top-1 accuracy", "2.6x FLOPs reduction", "43% improvement in inference speed"
    weak = None
    for k, (s, e, canon, _, _) in enumerate(mets):
        if s < n.end or s >= nxt:
            continue
        gap = text[n.end:s]
        if len(gap) > 40 or _GAP_BREAK.search(gap) or (len(gap) > 15 and _AND.search(gap)):
            if not (canon != "performance" and weak is not None and len(gap) < 60 and not _GAP_HARD_BREAK.search(gap)):
                break
        if canon == "performance":
            if weak is None:
                weak = (canon, k)
            continue
        if ")" in gap or (_GAP_PUNCT.search(gap) and len(gap) > 3):
            break
        if nxt < b and _GAP_AND_OR.search(gap) and (_NEXT_OWNS.fullmatch(text, e, nxt) or not text[e:nxt].strip()):
            break  # "an FID of 3.60 and an IS of 247.67", "87.0% and specificity 98.5%": the next number's
        return canon, k
    # before the number: "FID of 2.06", "top-1 accuracy of 87.7%", "F1-Score by 13.92%", "(CCC) of .638"
    lo = n.qual_start if n.qual_start is not None else n.start
    for k in range(len(mets) - 1, -1, -1):
        s, e, canon, _, _ = mets[k]
        if e > lo:
            continue
        if e < prv:
            break
        gap = text[e:lo]
        if len(gap) > 45 or _SEMI_OR_DIGIT.search(gap):
            break
        if re.fullmatch(r"[\s)]*(?:\([A-Za-z\-]+\))?\s*(?:score|scores|value|rate)?\s*(?:of|is|was|=|:|reaches|reached|reaching|at|by|to|from|as|"
                        r"improv\w*\s+by|increas\w*\s+by|gains?\s+of|boost\w*\s+by|drops?\s+(?:by|of)|reduc\w*\s+by|"
                        r"improv\w*\s+(?:from|of)|(?:achiev\w*|obtain\w*|attain\w*|report\w*|with)(?:\s+(?:an?|the))?|"
                        r"(?:is\s+)?(?:reduced|improved|increased|boosted)\s+(?:by|to)|with\s+(?:an?\s+)?|(?:during|in|for|at|on)\s+(?:the\s+)?[\w\-]+\s+by|\()?\s*(?:an?\s+|the\s+)?(?:\$|\{|\\textbf\{)*\s*",
                        gap, re.I):
            if canon == "performance":
                if k > 0 and mets[k - 1][2] != "performance" and mets[k - 1][1] >= prv and not text[mets[k - 1][1]:s].strip():
                    return mets[k - 1][2], k - 1  # "zero-shot FID score of 7.23": "score" after a metric name
                return (weak or (canon, k))
            return canon, k
        break
    if weak:
        # "relative improvement" etc.; look one step further: "improvement in inference speed"
        return weak
    return None, None


_TRAIN_CUE = re.compile(r"\b(?:train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*|learn\w*|converge\w*)\b", re.I)


_SPEED_WORD = re.compile(r"\b(?:[Ff]ast|[Ff]aster|[Ff]astest|[Ss]peed\w*|[Aa]ccelerat\w*|[Tt]hroughput|[Qq]uicker|[Ll]atency)\b")


def _is_name_word(word: str, s: str, start: int) -> bool:
    """Whether `word` (found at s[start:]) is a name rather than a word: CamelCase ("FastServe"), or capitalised after a
    capitalised word ("Hugging Face Accelerate")."""
    return any(ch.isupper() for ch in word[1:]) or (word[0].isupper() and bool(_NAME_BEFORE.search(s, 0, start)))


def _speed_word(s: str) -> bool:
    """A speed word in `s` that is not part of a name ("Hugging Face Accelerate", "FastServe")."""
    return any(not _is_name_word(m.group(0), s, m.start()) for m in _SPEED_WORD.finditer(s))


# words after an "x" that name its own measure (so it does not take the metric of the previous "x" claim)
_OWN_X_WORD = re.compile(r"\b(?:fast\w*|speed\w*|accelerat\w*|smaller|compress\w*|memory|cheaper|costs?)\b", re.I)


_HARDWARE_NAME = re.compile(r"(?:\b|\d)(?:[GTNC]PUs?|TPUv\d\w*)(?:\s+[Pp]ods?)?$")
_READING_END = re.compile(r"\b(?:of|is|was|are|were|=|:|reaches|reached|achieves|achieved|obtains|obtained|attains|scores)\s*(?:an?\s+|the\s+)?$")
_LEAD_AFTER = re.compile(r"\s*(?:%\s*)?(?:(?:absolute\s+)?(?:points?|pp|p\.p\.)\s+)?(?:higher|lower|better|worse|more|less|above|below|ahead|behind)\b"
                         r"(?:\s+than)?", re.I)
_TIME_UNITS = frozenset({"ms", "us", "s", "min", "h"})
_WITHIN_END_TIME = re.compile(r"\bwithin\s+(?:only\s+|just\s+|about\s+|around\s+|~\s*)?$", re.I)
# a comparative with no measure of its own after it: "4x higher than", "16x better,"
_BARE_COMPARATIVE = re.compile(r"\s*(?:higher|better|greater|larger)\s*(?:than\b|[,.;)]|$|on\b|in\b|at\b|compared\b)", re.I)
_X_CUE = re.compile(r"\b(throughput|[Ss]peed\w*|faster|[Aa]ccelerat\w*|latency|memory)\b")
_NAME_BEFORE = re.compile(r"[A-Z][\w\-]*\s+$")


def _unit_metric(ctx: Ctx, n: Num, metric: str | None, after: str, before: str) -> str | None:
    u = n.unit
    if metric is None and u in (None, "K", "M", "B") and GPU_TIME.match(after):
        return "training_cost"  # "2.8M H800 GPU hours", "512 TPU-days": accelerator time is what training costs
    if u is None and metric in (None, "flops", "performance") and n.unit_raw and n.unit_raw.lower() in ("day", "days") and _TRAIN_CUE.search(before[-80:]):
        return "training_cost"  # "we train the agent on a single GPU in 1.5 days"
    if u in ("ms", "us", "s", "min", "h"):
        if metric in ("training_cost", "latency", "throughput"):
            return metric
        if re.search(r"\btrain\w*|\bGPU[-\s]?hours|\bpre-?train|\bfine-?tun\w*|\bfinetun\w*", before[-60:] + after[:40], re.I):
            return "training_cost"
        return "latency"
    if u == "fps":
        return "fps"
    if u in ("GB", "MB", "TB"):
        return metric if metric in ("params", "memory") else "memory"
    if u == "dB" and metric is None:
        return "psnr"
    if u == "x":
        if metric in (None, "performance", "accuracy"):
            if _speed_word(after[:40] + " " + before[-30:]):
                return "speedup" if "throughput" not in after[:40] else "throughput"
            wide = ctx.text[max(ctx.sent_start, n.start - 160):n.start]  # a list of three systems between cue and number
            wide = wide.split(";")[-1]
            # a capitalised cue after a capitalised word is part of a name ("Hugging Face Accelerate"), not a cue
            cues = [m.group(1) for m in _X_CUE.finditer(wide) if not (m.group(1)[0].isupper() and _NAME_BEFORE.search(wide, 0, m.start()))]
            if cues and cues[-1] in ("throughput", "latency", "memory"):
                return cues[-1]  # "improves the throughput over A, B, and C by up to 29x, 29x, and 3x"
            pm = re.search(r"\b(parameters|params|FLOPs|MACs|memory)\W{0,3}$", before[-25:], re.I)
            if pm and re.match(r"\s*(?:more|fewer|less|larger|smaller|bigger)\b", after):
                return {"parameters": "params", "params": "params", "memory": "memory"}.get(pm.group(1).lower(), "flops")  # "175B parameters, 10x more than"
            if re.match(r"\s*(?:higher|better|more|longer|larger|greater)\b", after) and not re.search(r"\b(?:params|parameters|FLOPs|MACs|memory)\b", after[:40], re.I):
                ps = ctx.prev_score
                if ps and ps[1] >= ctx.sent_start and _BARE_COMPARATIVE.match(after):
                    return ps[0]  # "we achieve 32.6% success rate ..., which is 4x higher than the previous best": that score
                return "performance"  # "4x higher target transferability", "3.3x more unique items"
            px = ctx.prev_x
            if px and px[1] >= ctx.sent_start and not any(not _is_name_word(m.group(), after, m.start()) for m in _OWN_X_WORD.finditer(after[:40])):
                return px[0]  # "throughput of A by 1.2x on A100, ...; and B by 2.4x", "latency ... by over 2x ..., and over 6x"
            if re.search(r"\b(?:smaller|compress\w*|parameters?)\b", after[:30], re.I):
                return "params"
            if re.search(r"\bmemory\b", after[:40], re.I):
                return "memory"
            if re.search(r"\bcheaper|costs?\b", after[:40], re.I):
                return "training_cost"
            return "speedup"
    if u in ("K", "M", "B", "T", "G"):
        if metric in ("params", "flops", "memory", "throughput", "training_cost"):
            return metric
        if u == "G" and re.match(r"\s*(?:FLOPs|FLOPS|MACs|flops|Mult)", after):
            return "flops"
        if _SIZE_MODEL_AFTER.match(after) and u in ("K", "M", "B", "T") and _SIZE_LEAD.search(before[-12:]):
            return "params"
        if u in ("M", "B") and re.search(r"\(\s*$", before[-3:]) and re.match(r"\s*[),]", after):
            return "params"  # "BEiT-L (307M)"
        if u in ("K", "M", "B", "T") and _SIZE_LIST_AFTER.match(after) and _SIZE_LEAD.search(before[-12:]) and not before.endswith("("):
            return "params"  # "with 90M, 2.7B and 9.4B parameter neural models"
        return None
    return metric


# a measure named by its noun right after the number, when no metric of the vocabulary is: nouns of measurement
# ("transferability", "faithfulness", "hit rate", "consistency score"), one word before them kept as their qualifier
_MEASURE_NOUN = re.compile(r"\s*(?:([a-z][a-z\-]{2,})\s+)?([a-z][a-z\-]*(?:ability|ibility|ness|rate|score|fidelity))\b(?!\s*(?:of|per)\b)")
_NOT_MEASURE_WORD = frozenset("""a an the our its their of in on for and or with higher lower better worse more less fewer relative
absolute average overall mean total top new best state art improvement improvements gain gains increase decrease
reduction drop error learning sampling dropout masking""".split())


_MEASURE_ADJ = re.compile(r"\s*(?:more\s+|less\s+)?(accurate|smaller|larger|bigger)\b(?!\s+(?:data|datasets?|corpus|corpora|batch))", re.I)


def _measure_noun(after: str) -> str | None:
    m = _MEASURE_NOUN.match(after)
    if m is None:
        return None
    head = m.group(2)
    if head in ("rate", "score") or head in _NOT_MEASURE_WORD:
        words = [w for w in (m.group(1), head) if w]
        if len(words) < 2 or words[0] in _NOT_MEASURE_WORD:
            return None  # "rate", "higher score": no name of its own
    else:
        words = [w for w in (m.group(1), head) if w and w not in _NOT_MEASURE_WORD]
        if m.group(1) and m.group(1) in _NOT_MEASURE_WORD:
            words = [head]
    return "other:" + "_".join(w.replace("-", "_") for w in words)


# a share of head-to-head comparisons won: the % is "of the time/comparisons/tasks" after a preference or win verb
_WIN_SHARE = re.compile(r"\s*of\s+(?:the\s+|all\s+)?(?:time|cases|comparisons|pairwise\s+comparisons|matches|games|battles|tasks|prompts|"
                        r"questions|instances|trials|episodes|environments|evaluations|judgments|judgements)\b", re.I)
_WIN_CUE = re.compile(r"\b(?:prefer\w*|wins?|won|winning|beat\w*|outperform\w*|surpass\w*|favou?r\w*|chose|chosen|judged\s+better|"
                      r"rated\s+(?:as\s+)?better|better\s+than)\b", re.I)
_SCORE_VERB_END = re.compile(r"\b(?:achiev\w*|attain\w*|reach\w*|obtain\w*|scor\w*|yield\w*|gets?|of|to)\s+(?:an?\s+|the\s+)?$", re.I)


def _fraction_score(ctx: Ctx, n: Num, tasks, before: str) -> bool:
    """A decimal fraction (0.842, .91) right after a result verb, with a task named in its clause: a score whose metric
    the text does not name (`performance`)."""
    if "." not in n.text or not 0 < n.value < 1 or len(n.text.split(".")[1]) < 2 or n.sign:
        return False
    return bool(_SCORE_VERB_END.search(before[-30:])) and _clause_task(ctx, n, tasks, reach=max(ctx.w.task_clause_reach, 80.0)) is not None


def _build(ctx: Ctx, n: Num, i: int, metric, cands, groups, vs_next, pair_role, all_models: Callable[[], list[Mention]], dsm, tasks, hws, a, b,
           respectively, version, syss):
    text, lex = ctx.text, ctx.lex
    after = text[n.end:min(b, n.end + 80)]
    before = text[max(a, n.start - 100):n.qual_start if n.qual_start is not None else n.start]
    metric = _unit_metric(ctx, n, metric, after, before)
    # "61.2 AP50", "27.5 APs", "AP_{75}": a variant of AP is AP (box, mask or keypoint) with the variant in conditions
    ap_variant = None
    if metric is None or metric in _AP_VARIANT_METRICS:
        vm = _AP_VARIANT.match(after)
        if vm:
            ap_variant = "AP" + _AP_SUFFIX.get(re.sub(r"[_^{}\s@]", "", vm.group(2)), re.sub(r"[_^{}\s@]", "", vm.group(2)))
            metric = "mask_ap" if vm.group(1) and "mask" in vm.group(1).lower() else "box_ap"
        elif metric in _AP_VARIANT_METRICS:
            ap_variant = _AP_VARIANT_METRICS[metric]
            metric = "box_ap"
    if n.unit in ("K", "M", "B", "T", "G") and metric is None:
        return None
    if n.unit is None and metric is None and _fraction_score(ctx, n, tasks, before):
        metric = "performance"  # "For link prediction, GraphX attains 0.912": a decimal score after a task, no metric named
    if n.unit is None and metric is None:
        return None
    if n.unit is None and metric == "performance" and "." not in n.text:
        return None
    if metric is None and n.unit == "%":
        am = _MEASURE_ADJ.match(after)  # "35% smaller than ResNet-50", "2.1% more accurate": the adjective names the measure
        if am:
            metric = "accuracy" if am.group(1).lower() == "accurate" else "params"
    if metric is None and (n.unit == "%" or n.unit is None and "." in n.text):
        metric = _measure_noun(after)  # "32.6% target transferability": a measure the vocabulary lacks, by its own name
    if metric in (None, "performance") and n.unit == "%" and _WIN_SHARE.match(after) and _WIN_CUE.search(before[-90:]):
        metric = "other:win_rate"  # "preferred over human raters 47.7% of the time", "beats experts on 83% of the tasks"
    if metric is None:
        if n.unit == "%" or n.unit is None:
            sent = text[a:b]
            if not _RESULT_CUE.search(sent):
                return None
        metric = "performance"
    # ---- kind
    kind = "absolute"
    is_delta_cue = bool(kinds.DELTA_AFTER.match(after)) and not _OF_THE_AFTER.match(after)
    by_before = _delta_before(ctx, before, n.start)
    vs_prev = set(vs_next.values())  # first sides of "A vs. B"
    g = groups[i]
    members = [cands[j] for j in range(len(cands)) if groups[j] == g and j not in vs_next and j not in vs_prev]
    if len(members) > 1 and n in members:
        reading = _READING_END.search(before) is not None  # "a macro-F1 of 64.7, 3.1 points above X": a reading, then its lead
        for mb in members:
            lb = text[max(a, mb.start - 100):mb.qual_start if mb.qual_start is not None else mb.start]
            la = text[mb.end:min(b, mb.end + 80)]
            if mb.start > n.start and _LEAD_AFTER.match(la) and (reading or "," in text[n.end:mb.start]):
                continue  # the later number's own comparison ("points above Legal-BERT") is no cue of this reading
            if _delta_before(ctx, lb, mb.start) or mb.sign or (kinds.DELTA_AFTER.match(la) and not _OF_THE_AFTER.match(la)):
                by_before = True
    if i > 0 and pair_role.get(i) is None and cands[i - 1].kind == "delta" and _CMP_BEFORE_END.search(before) \
            and ";" not in text[cands[i - 1].end:n.start]:
        kind = "delta"  # "0.5% average performance drop of ViT-MAE-H compared to 2.6% as baselines"
    elif i in vs_next or i in vs_prev or pair_role.get(i) in ("before", "after"):
        kind = "absolute"
    elif n.unit == "x" or (metric == "speedup" and n.unit is None):
        kind = "ratio"
    elif n.unit == "%" and _OF_AFTER.match(after) and _SAVE_VERB_END.search(before):
        kind = "delta"  # "saving up to 90% of parameters": a relative reduction
    elif n.unit == "%" and re.match(r"\s*of\s+(?:the\s+)?(?:time|cases|samples|questions|tasks|instances|trials|images|problems|queries|prompts)\b", after):
        kind = "delta" if (is_delta_cue or by_before or n.sign) else "absolute"  # "47.7% of the time": a share, not a ratio
    elif n.unit == "%" and kinds.RATIO_PCT.match(after) and not is_delta_cue and not ("within" in before and _WITHIN_END.search(before)) and re.match(
            r"\s*(?:of\s+(?:the|their|its|our|a|total|all)?\s*|the\s+|as\s+(?:many|much|few)\s+)?(?:[\w\-]+(?:'s|’s)?\s+){0,2}?"
            r"(?:FLOPs|MACs|parameters|params|size|latency|memory|compute|computation|cost|costs|time|wall-clock|training|performance|"
            r"accuracy|consumption|one\s+training|the\s+original|energy|throughput|speed|score|quality|win\s+rate|results?|capabilit\w*)", after, re.I):
        kind = "ratio"
    elif n.unit == "%" and metric in EFFICIENCY - {"speedup"} and not is_delta_cue and not by_before and re.match(r"\s*(?:\w+\s+)?(?:FLOPs|MACs|parameters|params)", after):
        kind = "ratio"  # "using only 11% parameters"
    elif n.sign or is_delta_cue or (by_before and not (n.unit in _TIME_UNITS and _WITHIN_END_TIME.search(before))):
        kind = "delta"  # but "within 15 minutes" is a time it takes (absolute), not a gap to something
    if kind == "absolute" and metric == "speedup":
        kind = "ratio" if n.unit in ("x", None) else "delta"
    # a % that is only a share of something in an absolute statement ("more than 99% of total parameters")
    direction = None
    if kind != "absolute":
        default = "down" if metric in ("params", "flops", "latency", "memory", "training_cost") else "up"
        if kind == "ratio" and n.unit == "%":
            direction = "down" if n.value < 100 else "up"
        else:
            own = _OWN_DIR.match(after)  # the number's own noun phrase: "2x memory reduction", "1.9x run-time speedup"
            if n.sign is None and own:
                direction = "down" if kinds.DOWN.fullmatch(own.group(1)) else "up"
            else:
                direction = kinds.direction(before[-50:], after[:45], n.sign, default)
            if n.sign is None and re.search(r"\b(?:extra|additional)\b", after[:30], re.I):
                direction = "up"
            # a list shares the direction of its first member ("reduces memory by up to 2.55x for MHA and 1.67x for GQA")
            lead_i = groups[i]  # a group's id is the index of its first member
            if lead_i != i and n.sign is None and not own:
                ld = cands[lead_i]
                lo_b = text[max(a, ld.start - 100):ld.qual_start if ld.qual_start is not None else ld.start]
                lown = _OWN_DIR.match(text, ld.end, min(b, ld.end + 80))
                direction = ("down" if kinds.DOWN.fullmatch(lown.group(1)) else "up") if (lown and ld.sign is None) else \
                    kinds.direction(lo_b[-50:], text[ld.end:min(b, ld.end + 45)], ld.sign, default)
            if i > 0 and cands[i - 1].kind == "delta" and cands[i - 1].direction and _CMP_BEFORE_END.search(before):
                direction = cands[i - 1].direction
            # a better error rate / WER / FID is a lower one ("relative WER improvements of 4%")
            if direction == "up" and n.sign is None and metric not in EFFICIENCY and not ctx.lex.vocab.higher_is_better(metric) \
                    and not re.search(r"\b(?:higher|increas\w*|more|larger|greater|rais\w*|worse|extra|additional)\b", before[-50:] + " " + after[:45], re.I):
                direction = "down"
    # ---- metric refinements
    ds, split = _dataset(ctx, n, dsm, a, b, respectively, cands, i, metric)
    if metric == "accuracy" and ds in ("ImageNet-1K",) and not re.search(r"top-?5", text[a:b], re.I):
        metric = "top1_accuracy"
    if metric == "performance" and syss and n.unit in ("%", "x"):
        metric = "speedup"
    dsv = ctx.lex.vocab.datasets.get(ds) if ds else None
    if dsv is not None and dsv.metric:
        if metric == "performance" and n.unit in ("%", None) and dsv.metric in ("top1_accuracy", "accuracy", "box_ap", "miou", "map", "f1", "bleu", "wer"):
            metric = dsv.metric
        elif metric == "ap" and dsv.metric == "box_ap" and _ap_context(ctx, n, a) is None:
            metric = "box_ap"
    if metric in ("ap", "box_ap") and not _BOX_AP.search(text, max(a, n.start - 12), min(b, n.end + 12)):
        apc = _ap_context(ctx, n, a)
        if apc is not None:
            metric = apc
    if metric == "ap" and ds is None and ctx.abstract_task == "object_detection" and _ap_context(ctx, n, a) is None:
        metric = "box_ap"  # a plain AP of a detection paper that names no benchmark here is box AP
    if ap_variant and metric == "box_ap" and (_ap_context(ctx, n, a) == "ap" or task_is_pose(ctx, ds)):
        metric = "ap"
    # ---- model and comparator
    model, comparator = _attribution(ctx, n, i, cands, groups, vs_next, pair_role, all_models(), a, b, respectively, kind)
    # ---- task
    task = _task(ctx, n, metric, ds, tasks)
    # ---- conditions
    conds = []
    if split:
        conds.append(split)
    if n.range_to is not None:
        conds.append(f"range {n.text}-{n.range_to:g}")
    sent = text[a:b]
    for s, e, *_ in hws:
        conds.append(text[s:e])
    sm = _sent_cached(ctx, "shots", a, _SHOTS, sent) if _may_name_shots(sent) else None
    if sm:
        conds.append(sm.group(1))
    rm = _sent_cached(ctx, "res", a, _RES, sent) if _DIGIT3.search(sent) else None
    if rm:
        conds.append(rm.group(0))
    if ap_variant:
        conds.append(ap_variant)
    if metric == "flops" and re.search(r"\bMACs\b", sent):
        conds.append("MACs")
    if metric == "topk_accuracy":
        km = re.search(r"top-?(\d+)", after[:20], re.I)
        if km:
            conds.append(f"k={km.group(1)}")
    # ---- quote: the number with its unit and the metric phrase right next to it
    qs = n.qual_start if n.qual_start is not None else n.start
    qe = n.end
    near = info_metric_near(text, qe, b)
    if near:
        qe = near
    quote_start = qs
    bm = _quote_lead(text, max(a, qs - 50), qs) if qe - qs < 8 else None  # only a bare number takes a lead-in
    if bm:
        quote_start = qs - len(bm.group(1))
    qe = quote_start + len(text[quote_start:qe].rstrip())
    quote = ctx.raw[quote_start:qe]
    if not quote or n.text not in quote:
        quote_start, qe = n.start, n.end
        quote = ctx.raw[quote_start:qe]
    if kind == "absolute" and not plausible(ctx.lex.vocab, metric, n.value, n.unit):
        return None  # "LoRA 138.2" on a top-1 board, "100% fully fine-tuned models": outside the metric's range
    try:
        return Claim(
            paper_id=ctx.paper.id,
            paper=ctx.paper.title,
            quote=quote,
            start=quote_start,
            end=qe,
            value=n.value,
            unit=n.unit,
            metric=metric,
            kind=kind,
            model=model,
            dataset=ds,
            task=task,
            comparator=_clean_name(comparator) if kind != "absolute" else None,
            direction=direction,
            conditions=", ".join(dict.fromkeys(conds)) or None,
            qualifier=n.qualifier,
            required=n.required,
            extractor_version=version,
        )
    except Exception:  # a value the Claim model refuses: skip the number, never fail the paper
        return None


def _clean_name(name: str | None) -> str | None:
    """A comparator without the sentence's closing period ("BERT-large." at the end of a sentence; "et al." keeps it)."""
    if name and name[-1] in ".,;:" and not name.endswith(("al.", "etc.")) and len(name) > 1:
        return name[:-1].rstrip() or None
    return name


# "accuracy of", "memory during training by": the words leading to a bare number, quoted with it
_QUOTE_LEAD = re.compile(r"([A-Za-z][\w\-]*(?:\s+[\w\-]+){0,3}\s+(?:of|by)\s+(?:\$|\\textbf\{)?)$")


def _quote_lead(text: str, lo: int, hi: int) -> re.Match | None:
    """_QUOTE_LEAD at the end of text[lo:hi]. A match ends with "of"/"by", whitespace and an optional "$" or
    "\\textbf{" (then the end, or a last newline), so text that does not end so, trailing whitespace aside, is not searched."""
    if not text[lo:hi].rstrip().endswith(("of", "by", "$", "{")):
        return None
    return _QUOTE_LEAD.search(text, lo, hi)


_NEAR_METRIC_END = re.compile(r"\s*(?:[A-Za-z][\w\-@.^{}/]*\s*){1,3}")


def info_metric_near(text: str, pos: int, b: int) -> int | None:
    m = _NEAR_METRIC_END.match(text, pos, min(b, pos + 40))
    if not m:
        return None
    chunk = m.group(0)
    # stop at function words: keep "top-1 accuracy", "box AP", "FLOPs reduction"
    words = _METRIC_NEAR_WORD.finditer(chunk)
    end = None
    for w in words:
        if w.group(0).lower() in {"on", "of", "in", "with", "and", "for", "the", "while", "than", "compared", "at", "by", "to", "when", "using", "is", "which", "as", "over", "after", "before", "from", "during"}:
            break
        end = pos + w.end()
    return end


@dataclass(frozen=True, slots=True)
class DatasetCandidate:
    """A dataset mention of the sentence as a candidate for one number's dataset, with its weighted cost."""

    name: str
    start: int
    end: int
    cost: float


def _match_within(ctx: Ctx, pat: re.Pattern, a: int, b: int, lo: int, hi: int) -> bool:
    """Whether a match of `pat` in the sentence text[a:b] lies within text[lo:hi] (what `pat.search(text[lo:hi])` tells
    but for word boundaries at the cut). The sentence's match spans are found once (per-sentence memo); a lookup is a
    bisection, so a long sentence costs time linear in its length, not in its length times its numbers."""
    key = ("spans", id(pat), a)
    spans = ctx.cache.get(key)
    if spans is None:
        spans = ctx.cache[key] = ([m.start() for m in pat.finditer(ctx.text, a, b)], [m.end() for m in pat.finditer(ctx.text, a, b)])
    starts, ends = spans  # type: ignore[misc]
    k = bisect.bisect_left(starts, lo)
    return k < len(starts) and ends[k] <= hi  # matches do not overlap: the first one starting in range ends first


def _other_group_between(ctx: Ctx, cands: list[Num], n: Num, hi: int) -> bool:
    """Whether a number of another list than `n`'s lies wholly between n.end and `hi` (cands are in text order)."""
    key = ("starts", id(cands))
    starts = ctx.cache.get(key)
    if starts is None:
        starts = ctx.cache[key] = [c.start for c in cands]
    k = bisect.bisect_left(starts, n.end)  # type: ignore[arg-type]
    while k < len(cands) and cands[k].end <= hi:
        if cands[k].group != n.group:
            return True
        k += 1
    return False


def _dataset(ctx: Ctx, n: Num, dsm, a: int, b: int, respectively: bool, cands, i, metric) -> tuple[str | None, str | None]:
    text = ctx.text
    usable = []
    for s, e, canon, _, _ in dsm:
        pre = text[max(a, s - 30):s]
        if _PRETRAINED_ON_END.search(pre) and len(dsm) > 1:
            continue
        usable.append((s, e, canon))
    if not respectively and len(usable) >= 2 and n.group is not None:
        # "98.1%, 87.4% and 80.2% accuracy on CIFAR-10, CIFAR-100 and ImageNet": as many coordinated datasets right
        # after a list of numbers as it has numbers, one each
        grp = [c for c in cands if c.group == n.group]
        if len(grp) >= 2:
            after = [u for u in usable if u[0] >= grp[-1].end]
            if len(after) >= len(grp) and _DS_LIST_LEAD.fullmatch(text, grp[-1].end, after[0][0]) and all(
                    _DS_COORD.fullmatch(text, x[1], y[0]) for x, y in zip(after[:len(grp) - 1], after[1:len(grp)])) \
                    and len({u[2] for u in after[:len(grp)]}) == len(grp):
                s, e, canon = after[grp.index(n)]
                return canon, _split_after(text, e)
    if respectively and len(usable) >= 2:
        grp = [c for c in cands if c.group == n.group and c.kind != "drop"] if n.group is not None else cands
        k = grp.index(n) if n in grp else i
        uniq = []
        for u in usable:
            if u[0] > grp[-1].start and (not uniq or uniq[-1][2] != u[2]):
                uniq.append(u)
        if len(uniq) != len(grp):  # "on the Rain100L, GoPro and DND datasets, we obtain PSNR gains of 4 dB, 0.81 dB and 0.21 dB, respectively"
            uniq = []
            for u in usable:
                if u[1] <= grp[0].start and (not uniq or uniq[-1][2] != u[2]):
                    uniq.append(u)
            uniq = uniq[-len(grp):] if len(uniq) >= len(grp) else []
        if len(uniq) == len(grp) and k < len(uniq):
            s, e, canon = uniq[k]
            return canon, _split_after(text, e)
    for s, e, canon in usable:
        if e <= n.start and _DS_ADJACENT.fullmatch(text[e:n.qual_start if n.qual_start is not None else n.start]):
            if metric in _MODEL_PROPERTY and _score_owns(ctx, cands, n, s, a, b):
                break
            return canon, _split_after(text, e)
    # "45 FPS on Cityscapes", "52.1 AP50 on COCO": the dataset named right after the number (and its metric phrase);
    # "591.9 and 140.9 Hz, respectively, on MOT17": right after the last number of its list, for every member
    last = n
    if n.group is not None and "respectively" in text[n.end:b]:
        for c in cands:
            if c.group == n.group and c.end > last.end:
                last = c
    for s, e, canon in usable:
        if s >= last.end and _DS_RIGHT_AFTER.fullmatch(text, last.end, s):
            return canon, _split_after(text, e)
    # "60 FPS on CamVid", "on the Kinects-400 benchmark": a benchmark the vocabulary does not know is still this
    # number's, not the one of another clause
    um = _UNKNOWN_BENCH.match(text, n.end, b)
    if um and not any(s <= um.start(1) < e for s, e, _ in usable) and um.group(1) not in ctx.lex.not_models \
            and not ctx.lex.hardware.may_match(um.group(1)) and not _vocab_kind(ctx.lex, um.group(1))[0]:
        return (um.group(1) if um.group(2) else None), None
    best: DatasetCandidate | None = None
    w = ctx.w
    for s, e, canon in usable:
        if metric in ("params", "flops", "memory", "latency", "fps", "throughput") and s >= n.end:
            continue
        # whether a clause break, "and" or a comma lies between: looked up in the sentence's match positions (made
        # once per sentence), not searched for in each number-to-dataset stretch (quadratic in a long sentence)
        if s >= n.end:
            d = (s - n.end) * w.ds_after * (1.0 if not _match_within(ctx, _CLAUSE_BREAK, a, b, n.end, s) else w.ds_after_clause_break)
            if _match_within(ctx, _AND, a, b, n.end, s):  # "F1 to 93.2 (...) and SQuAD v2.0 F1 to 83.1": the next item's dataset
                d *= w.ds_after_and_other_list if _other_group_between(ctx, cands, n, s) else w.ds_after_and
        else:
            if metric in _MODEL_PROPERTY and _score_owns(ctx, cands, n, s, a, b):
                continue  # "98% accuracy ... on CIFAR-10 with only 3.7M parameters": CIFAR-10 is the score's, a size has none
            d = (n.start - e) * w.ds_before * (1.0 if not _match_within(ctx, _COMMA_AND, a, b, e, n.start) else w.ds_before_comma_and)
        if metric in EFFICIENCY:
            d *= w.ds_efficiency  # a size/speed number names its dataset less often than a score
        cand = DatasetCandidate(canon, s, e, d)
        if cand.cost > w.ds_max_cost:
            continue  # too far (weighted) to be this number's: no dataset rather than a guess
        if best is None or cand.cost < best.cost:
            best = cand
    if best:
        return best.name, _split_after(text, best.end)
    if metric in EFFICIENCY:
        return None, None
    if ctx.last_dataset and not (metric or "").startswith("other:"):
        d = ctx.lex.vocab.datasets.get(ctx.last_dataset)
        if d is not None and (metric in ("performance", "accuracy", "top1_accuracy", d.metric, "f1", "error_rate", "miou", "box_ap", "mask_ap", "map") or metric is None):
            return ctx.last_dataset, None
    return None, None


# a time measured on a device ("with only 1.6 ms latency on iPhone 12"), not on the benchmark's data: it does not take the
# dataset its clause states for a score. Sizes keep it ("77.2% on ImageNet with 25.6M parameters" is the ImageNet
# board's params: the archive's boards and the seed gold's RMT/TinyViT do so; CCT's seed lines do not), frame rates and
# speed-ups too (measured on the data: the dev gold gives them the dataset)
_MODEL_PROPERTY = frozenset({"latency"})
# units of a size/speed number: a number with another unit (%, none, dB) before the dataset can be a score
_SIZE_UNITS = frozenset({"M", "B", "K", "G", "T", "ms", "s", "min", "h", "fps", "x", "GB", "MB"})


def _score_owns(ctx: Ctx, cands: list[Num], n: Num, ds_start: int, a: int, b: int) -> bool:
    """Whether a dataset named before size number `n` belongs to a score named before the dataset in the same clause
    ("79.2% top-1 accuracy on ImageNet-1K with only 1.6 ms latency"): the dataset is then stated for the score, and the
    contract gives the size none (shared/ANNOTATION.md)."""
    for c in cands:
        if c.end > ds_start:
            break
        if c is n or c.unit in _SIZE_UNITS or ds_start - c.end > 120:
            continue
        if not _match_within(ctx, _CLAUSE_BREAK, a, b, c.end, ds_start):
            return True
    return False


_DS_LIST_LEAD = re.compile(r"\s*(?:[\w\-@]+\s+){0,3}?(?:on|for|in|across)\s+(?:the\s+)?", re.I)
_DS_COORD = re.compile(r"\s*(?:,\s*and|,|and|/|&)\s*(?:the\s+|on\s+)?")
_UNKNOWN_BENCH = re.compile(r"\s*(?:[A-Za-z][\w\-@^{}]*\s+){0,3}?on\s+(?:the\s+)?([A-Z][\w\-.]*[A-Za-z0-9])(\s+(?:dataset|benchmark|corpus|test\s+set|challenge))?")
_DS_RIGHT_AFTER = re.compile(r"\s*(?:[A-Za-z][\w\-@^{}]*\s+){0,3}?(?:[,(]?\s*respectively,?\s*)?(?:on|for)\s+(?:the\s+)?")
_AP_VARIANT = re.compile(r"\s*((?:box|bbox|mask|keypoint)\s+)?AP(_?\{?(?:50|75|S|M|L|s|m|l)\}?|@0?\.?(?:5|75|50)|\^\{?(?:50|75)\}?)(?![A-Za-z0-9])")
_AP_SUFFIX = {"0.5": "50", ".5": "50", "5": "50", "0.75": "75", ".75": "75"}
_AP_VARIANT_METRICS = {"other:ap50": "AP50", "other:ap75": "AP75", "other:aps": "APs", "other:apm": "APm", "other:apl": "APl"}


def task_is_pose(ctx: Ctx, ds: str | None) -> bool:
    d = ctx.lex.vocab.datasets.get(ds) if ds else None
    return bool(d is not None and d.task == "pose_estimation")


def _pair(rng) -> tuple[float, float] | None:
    try:
        lo, hi = rng
        return float(lo), float(hi)
    except (TypeError, ValueError):
        return None


_RANGE = re.compile(r"\s*(-?[0-9.]+)\s*-\s*(-?[0-9.]+)\s*$|\s*>=\s*(-?[0-9.]+)\s*$")


@lru_cache(maxsize=64)
def parse_range(text: str) -> tuple[float, float] | None:
    """A range as the generated vocabulary writes it: `0-100`, `0-1`, `-1-1` (a correlation), `>=0` (FID, latency)."""
    m = _RANGE.match(text)
    if m is None:
        return None
    if m.group(3) is not None:
        return float(m.group(3)), float("inf")
    return _pair((m.group(1), m.group(2)))


def metric_range(vocab: Vocab, metric: str) -> tuple[float, float] | None:
    """The values a metric can take: the vocabulary's `range` when it gives one, else [0, 100] for a score or error
    rate written in percent (accuracy, mIoU, F1 in %), else unknown (None)."""
    m = vocab.metrics.get(metric)
    if m is None:
        return None
    rng = getattr(m, "range", None) or getattr(m, "value_range", None)
    if rng is not None:
        if not isinstance(rng, str):
            return _pair(rng)
        r = parse_range(rng)
        if r is None:
            return None
        lo, hi = r
        if hi <= 1.0:  # a fraction is also written in percent ("ROC-AUC of 87.74", "r = 93.1"): the wider scale
            lo, hi = lo * 100.0, hi * 100.0
        if getattr(m, "group", None) == "text_overlap":
            hi = float("inf")  # the vocabulary's 0-100 fits BLEU, not CIDEr (140.2 CIDEr on COCO)
        return lo, hi
    if m.unit == "%" and m.family in ("score", "error"):
        return 0.0, 100.0
    return None


def plausible(vocab: Vocab, metric: str, value: float, unit: str | None) -> bool:
    """Whether an absolute reading can be a value of `metric`: within its range, and for a percent-scale score not
    exactly its maximum (a 100% is a share of something, "100% fully fine-tuned models", not a leaderboard entry)."""
    if unit not in ("%", None):
        return True
    rng = metric_range(vocab, metric)
    if rng is None:
        return True
    lo, hi = rng
    if not lo <= value <= hi:
        return False
    return not (hi == 100.0 and value == hi)


_BOX_AP = re.compile(r"\b(?:box|bbox|detection)\s+AP|AP\s?\^?[_{]*(?:box|b\b|bb)|\bAPb", re.I)
_KP = re.compile(r"keypoint\s+AP|AP\s?\^?[_{]*kp|\bpose\b|\bkeypoints?\b", re.I)


def _ap_context(ctx: Ctx, n: Num, a: int) -> str | None:
    """A plain "AP" of a pose model is keypoint AP (`ap`); in "instance segmentation (50.1 AP" it is mask AP."""
    text = ctx.text
    par = text.rfind("(", a, n.start)
    if par != -1 and text.find(")", par, n.start) == -1 and re.search(r"instance\s+segmentation\s*$", text[max(a, par - 30):par], re.I):
        return "mask_ap"
    if _KP.search(text, max(a, n.start - 60), n.end + 20) or ctx.abstract_task == "pose_estimation":
        return "ap"
    return None


def _split_after(text: str, e: int) -> str | None:
    m = _SPLIT.match(text, e, e + 20)
    return m.group(1) if m else None


_TASK_CLAUSE_BREAK = re.compile(r"[;]|\b(?:while|whereas|and\s+(?:on|for|in))\b|,\s*(?:and|while|whereas)\b")


def _clause_task(ctx: Ctx, n: Num, tasks, reach: float | None = None) -> str | None:
    """The task phrase nearest to the number within `reach` (default `w.task_clause_reach`) characters, no clause
    break or other number between."""
    reach = ctx.w.task_clause_reach if reach is None else reach
    best = None
    for s, e, canon, _, _ in tasks:
        if canon == "inference_efficiency":
            continue
        d = n.start - e if e <= n.start else s - n.end
        if d < 0 or d > reach:
            continue
        lo, hi = (e, n.start) if e <= n.start else (n.end, s)
        if _match_within(ctx, _TASK_CLAUSE_BREAK, ctx.sent_start, ctx.sent_end, lo, hi) or _match_within(ctx, _ASCII_DIGIT_RUN, ctx.sent_start, ctx.sent_end, lo, hi):
            continue
        if best is None or d < best[0]:
            best = (d, canon)
    return best[1] if best else None


# "For monocular depth estimation, X obtains A on NYU and B on KITTI": a task phrase that opens the sentence frames all of it
_FRAME_LEAD = re.compile(r"\s*(?:(?:for|on|in|across)\s+(?:the\s+)?(?:\w+\s+){0,2}?)?$", re.I)
_FRAME_TAIL = re.compile(r"[^,;:\d]{0,40}[,:]")


_RECON_BEFORE = re.compile(r"\b(?:reconstruction\s+(?:FID|PSNR|SSIM|LPIPS|quality)|rFID)\b(?:(?!FID|generat)[^.;]|\.\d){0,30}$", re.I)
_RECON_AFTER = re.compile(r"\s*(?:reconstruction\s+(?:FID|PSNR|SSIM|LPIPS)|rFID)\b", re.I)


def _frame_task(ctx: Ctx, n: Num, tasks) -> str | None:
    """The task phrase that opens the number's sentence ("For link prediction on Cora, ...", "In task-oriented dialogue,
    ..."), when a comma closes the frame before the number."""
    text = ctx.text
    for s, e, canon, _, _ in tasks:
        if s - ctx.sent_start > 24 or e > n.start:
            break
        if canon != "inference_efficiency" and _FRAME_LEAD.match(text, ctx.sent_start, s) and _FRAME_TAIL.match(text, e, n.start):
            return canon
    return None


def _serves(vocab, d, task: str) -> bool:
    """Whether dataset `d` is a benchmark of `task` by its vocabulary entry: `task` or a kind of it is among its tasks
    (a kind of it: a task reported as it, or one whose name ends in it, as `long_form_question_answering` is a kind of
    `question_answering` and `online_multi_object_tracking` of `multi_object_tracking`)."""
    tail = "_" + task
    for t in d.tasks:
        if t == task or t.endswith(tail):
            return True
        e = vocab.tasks.get(t)
        if e is not None and e.report_as == task:
            return True
    return False


_ASCII_DIGIT_RUN = re.compile(r"\d+(?:\.\d+)?\s*%?")


def _task(ctx: Ctx, n: Num, metric: str, ds: str | None, tasks) -> str | None:
    if metric == "ap" and ds in ("COCO", "MPII", "CrowdPose", "OCHuman", "AIC") and _ap_context(ctx, n, ctx.sent_start) == "ap":
        return "pose_estimation"
    if metric == "mask_ap" and ctx.title_task == "object_detection":
        return "object_detection"  # a detector's mask AP (LVIS ranks detectors by mask AP): the task the title names
    if metric in METRIC_TASK:
        return METRIC_TASK[metric]
    if metric in EFFICIENCY:
        return ctx.title_task or "inference_efficiency"
    text = ctx.text
    # "on image classification (0.5% average performance drop ...)": the task named right before the parenthesis
    par = text.rfind("(", ctx.sent_start, n.start)
    if par != -1 and text.find(")", par, n.start) == -1:
        before_par = [t for t in tasks if t[1] <= par and not text[t[1]:par].strip()]
        if before_par:
            return before_par[-1][2]
    if metric in GENERATIVE or metric in ("psnr", "ssim", "lpips"):
        # "reconstruction FID from 2.11 to 0.30", "rFID of 0.9": a tokenizer's or autoencoder's reconstruction, not generation
        if _RECON_BEFORE.search(text, max(ctx.sent_start, n.start - 50), n.start) or _RECON_AFTER.match(text, n.end):
            return "image_reconstruction"
    if metric in GENERATIVE:
        sent = text[ctx.sent_start:n.start + 200]
        near = text[max(ctx.sent_start, n.start - 80):n.end + 60]
        if re.search(r"class-conditional|unconditional", near, re.I):
            return "image_generation"
        if re.search(r"text-to-image|\bT2I\b|\bprompts?\b|captions?", sent, re.I):
            return "text_to_image_generation"
        dgen = ctx.lex.vocab.datasets.get(ds) if ds else None
        if dgen is not None and dgen.task and "generation" in dgen.task:
            return dgen.task  # FID on MJHQ-30K (a text-to-image benchmark) in a paper on "visual generation"
        if ctx.abstract_task and "generation" in ctx.abstract_task:
            return ctx.abstract_task
        if ds == "COCO" or metric == "clip_score":  # zero-shot FID on MS-COCO: captions are the prompts
            return "text_to_image_generation"
        if ds:
            return "video_generation" if metric == "other:fvd" else "image_generation"
        return METRIC_TASK_WEAK.get(metric, "image_generation")
    # a task named in the number's own clause ("for monocular depth estimation on KITTI, an AbsRel of 0.09") says
    # more than the dataset's usual task (KITTI: 3D detection)
    near_task = _clause_task(ctx, n, tasks) or _frame_task(ctx, n, tasks)
    if near_task is not None:
        return near_task
    if ds:
        d = ctx.lex.vocab.datasets.get(ds)
        if d is not None and d.task:
            family = METRIC_TASK_FAMILY.get(metric)
            if family and not d.task.endswith(family[0]):
                return family[1]  # "140.2 CIDEr on COCO": captioning, not COCO's detection
            tt = ctx.title_task
            if tt and tt != d.task and tt != "inference_efficiency" and not d.task.endswith("_" + tt) and _serves(ctx.lex.vocab, d, tt):
                return tt  # SemanticKITTI in a paper titled "... Semantic Scene Completion": the title's task, not 3D segmentation
            at = ctx.abstract_task
            if at and at != tt and at != d.task and at != "inference_efficiency" and not d.task.endswith("_" + at) \
                    and not at.endswith("_" + d.task) and (_serves(ctx.lex.vocab, d, at) or any(at.endswith("_" + t) for t in d.tasks)):
                return at  # KITTI in an abstract about monocular depth: the abstract's task, which KITTI is a benchmark of
            return d.task
    if metric in METRIC_TASK_FAMILY:
        return METRIC_TASK_FAMILY[metric][1]
    if tasks:
        t = min(tasks, key=lambda t: abs(t[0] - n.start))[2]
        if t != "inference_efficiency":
            return t
    if metric in METRIC_TASK_WEAK:
        return METRIC_TASK_WEAK[metric]
    at = ctx.abstract_task
    if at == "inference_efficiency":  # a score of an efficient model: the task of the abstract's benchmark, if any
        names = ctx.dataset_names()
        if names:
            top = max(names, key=names.count)  # ties: the first mentioned (not set order, which varies by hash seed)
            d = ctx.lex.vocab.datasets.get(top)
            if d is not None and d.task:
                return d.task
        return at
    return at if at is not None else ctx.fine_task


def _attribution(ctx: Ctx, n: Num, i, cands, groups, vs_next, pair_role, models, a, b, respectively, kind) -> tuple[str | None, str | None]:
    text = ctx.text
    proposed = ctx.proposed
    # comparison targets: model mentions introduced by outperform/than/over/compared to/...
    tcache: dict[int, bool] = ctx.cache.setdefault("tgt", {})  # type: ignore[assignment]

    def is_target(m: Mention) -> bool:
        r = tcache.get(m.start)
        if r is None:
            r = _ends_before(_CMP_BEFORE_MODEL, text, a, m.start, 50)
            if not r:  # "outperforming YOLOv10-N / YOLOv11-N", "beats RT-DETR-R18 / RT-DETRv2-R18"
                prev = [x for x in models if x.end <= m.start]
                if prev and _COORD.match(text[prev[-1].end:m.start]) and is_target(prev[-1]):
                    r = True
            tcache[m.start] = r
        return r

    comparator = None
    # the comparator of this number: nearest comparison cue before (same clause) or after
    if kind != "absolute" or i in vs_next:
        vs_prev = set(vs_next.values())
        g = groups[i]
        members = [cands[j] for j in range(len(cands)) if groups[j] == g and pair_role.get(j) != "drop"
                   and j not in vs_next and j not in vs_prev]
        comparator = _comparator(ctx, n, a, b, models, members)
    # respectively lists
    if respectively:
        resp = text.find("respectively", cands[-1].end, b)
        after_models = [m for m in models if m.start > cands[-1].end and (resp == -1 or m.end <= resp)]
        before_targets = [m for m in models if m.start < cands[0].start and is_target(m)]
        k = sum(1 for j in range(len(cands)) if pair_role.get(j) != "drop")
        if len(after_models) == k and re.search(r"\bfor\s", text[cands[-1].end:after_models[0].start]):
            return _clean_model(after_models[i].name), (comparator if kind != "absolute" else None)
        cue = None
        for cm in kinds.CMP_CUE.finditer(text, a, cands[0].start):
            cue = cm
        if cue is not None:
            before_targets = [m for m in models if cue.end() <= m.start < cands[0].start]
        if len(before_targets) == k and kind != "absolute":
            return _own_model(ctx, n, models, a, is_target), _clean_model(before_targets[i].name)
        if kind == "absolute" and k >= 2:  # "GPT-4 and HyperCLOVA X, achieve 59.95% and 53.40%, respectively"
            chain = _model_chain(text, models, cands[0].start)
            if len(chain) == k and not re.search(r"[;.]", text[chain[-1].end:cands[0].start]):
                idx = [j for j in range(len(cands)) if pair_role.get(j) != "drop"].index(i) if pair_role.get(i) != "drop" else 0
                nm = chain[idx].name
                tail = re.match(r"\s+[A-Z]\b", text[chain[idx].end:chain[idx].end + 3])
                return _clean_model(nm + (tail.group(0) if tail else "")), None
    # "A-T, A-S and A-B reach x, y and z": a list of numbers right after a list of as many names, one each
    elif kind == "absolute" and i not in vs_next and pair_role.get(i) is None:
        mem = [j for j in range(len(cands)) if groups[j] == groups[i] and pair_role.get(j) is None and j not in vs_next]
        if len(mem) >= 2 and i in mem:
            first = cands[mem[0]]
            chain = _model_chain(text, models, first.start)
            if len(chain) == len(mem) and not is_target(chain[0]) \
                    and _LIST_VERB_GAP.fullmatch(text, chain[-1].end, first.qual_start if first.qual_start is not None else first.start):
                return _clean_model(chain[mem.index(i)].name), None
    # "A vs. B": the second number belongs to the comparison target
    if i in vs_next:
        comparator = None
        if True:
            targets = [m for m in models if m.start < n.start and is_target(m)]
            comparator = _clean_model(targets[-1].name) if targets else None
        return comparator, None
    if pair_role.get(i) == "before":
        return "baseline", None
    # "SDXL-TURBO of 5.33", "MobileNetV2x1.4 (1.6 ms", "BEiT-L (307M)", "RAF-DB with"...
    for m in models:
        if m.end <= n.start and _MODEL_OWNS_GAP.fullmatch(text[m.end:n.qual_start if n.qual_start is not None else n.start]):
            if not (m.name.lower() in ctx.lex.system_names) and not ("(" in text[m.end:n.start] and _paren_not_owner(text, a, m, i, vs_next)) \
                    and not (_WITH_START.match(text[m.end:n.start]) and is_target(m)):
                return _clean_model(m.name), comparator
    # "a 7B MoT model", "a 760M MoT model"
    if n.unit in ("M", "B", "K", "T"):
        mm = re.match(r"[\s-]*(?:parameters?\s+)?([A-Z][\w\-.]*(?:\s+[A-Z][\w\-.]*)?|dense\s+baseline|baseline)\s+(?:model|baseline|LM|network|transformer)?", text[n.end:b])
        if mm and mm.group(1).split()[0] not in ("Transformer", "The") and mm.group(1) not in ctx.lex.not_models \
                and not _HARDWARE_NAME.search(mm.group(1)) and not ctx.lex.hardware.may_match(mm.group(1)):
            name = mm.group(1)
            if not _vocab_kind(ctx.lex, name)[1]:
                return _clean_model(name), comparator
    # inside parentheses right after a model: "as fast as MobileNetV2x1.4 (1.6 ms, 74.7% top-1)"
    par = text.rfind("(", a, n.start)
    if par != -1 and text.find(")", par, n.start) == -1:
        pm = [m for m in models if m.end <= par and not text[m.end:par].strip()]
        if pm and _paren_not_owner(text, a, pm[-1], i, vs_next):
            pm = []  # "comparable size to ResNet50 (21.5M parameters)", "comparable to MobileOne (78.5% vs. 75.9%)"
        if pm:
            return _clean_model(pm[-1].name), comparator
    return _own_model(ctx, n, models, a, is_target), comparator


# between a list of names and its list of numbers: a verb and a few words, no clause break ("reach", "obtain up to")
_LIST_VERB_GAP = re.compile(r"[\s,:]*(?:(?:models?|variants?|versions?|backbones?)\s+)?(?:respectively\s+)?"
                            r"(?:reach\w*|achiev\w*|obtain\w*|attain\w*|get|gets|score\w*|yield\w*|record\w*|hit|hits|deliver\w*)"
                            r"\s+(?:(?:a|an|the|top-1|accurac\w+|of|about|around|up\s+to|only)\s+)*", re.I)


def _model_chain(text: str, models: list[Mention], pos: int) -> list[Mention]:
    """The coordinated names ending last before `pos` ("A, B and C", "A / B"), in text order."""
    bm = [m for m in models if m.end <= pos]
    chain = bm[-1:]
    for m in reversed(bm[:-1]):
        if _COORD.match(text[m.end:chain[0].start]) or re.fullmatch(r"\s*(?:\w+\s*)?(?:,\s*and|,|and|or)\s*", text[m.end:chain[0].start]):
            chain.insert(0, m)
        else:
            break
    return chain


def _is_own(ctx: Ctx, name: str) -> bool:
    p = ctx.proposed
    if not p or p == "(proposed)":
        return False
    return name == p or (name.startswith(p) and len(name) > len(p) and (not name[len(p)].isalpha() or name == p + "s"))


def _paren_not_owner(text: str, a: int, m: Mention, i: int, vs_next) -> bool:
    """'comparable size to ResNet50 (21.5M parameters)', 'comparable to MobileOne (78.5% vs. 75.9%)': not MobileOne's."""
    return bool(any(v == i for v in vs_next.values()) or re.search(
        r"\b(?:comparable|similar|equal|close)\s+(?:\w+\s+){0,2}(?:to|with)\s+(?:the\s+)?$", text[max(a, m.start - 40):m.start], re.I))


def _ends_before(pat: re.Pattern, text: str, a: int, pos: int, width: int) -> bool:
    """Whether `pat` (anchored by `$`) matches text[max(a, pos - width):pos], the words before a name. Every match of
    the cue patterns used here ends in whitespace, so a name not preceded by a space ("(ViT-B", sentence start) needs
    no regex search."""
    return pos > a and text[pos - 1].isspace() and pat.search(text[max(a, pos - width):pos]) is not None


_SENT_NAMED = re.compile(r"\b(?:which|that|whom)\s+we\s+(?:name|call|dub|term)\s+[\"“']?([A-Z][\w\-+.]*[A-Za-z0-9+])")
_TRANSFORM_VERB = re.compile(r"\b(?:quantiz(?:es|ing)|quantis(?:es|ing)|prun(?:es|ing)|compress(?:es|ing)|distill?(?:s|ing)|"
                             r"sparsif(?:ies|ying)|accelerat(?:es|ing)|speeds\s+up|speeding\s+up)\s+(?:the\s+|a\s+|an\s+)?$", re.I)


def _own_model(ctx: Ctx, n: Num, models, a, is_target) -> str:
    text = ctx.text
    cands = [m for m in models if m.end <= n.start and not is_target(m) and m.name.lower() not in ctx.lex.system_names]
    clause = max(text.rfind(";", a, n.start), a)
    own = [m for m in models if m.end <= n.start and m.start >= clause and _is_own(ctx, m.name)
           and not _ends_before(_CMP_STRONG, text, a, m.start, 50)]
    if own:  # the paper's own method named in the clause is the subject ("The performance of ByteTransformer for a BERT ...")
        return _clean_model(own[-1].name)
    # "Our best model family, which we name Guanaco, outperforms ...": the name given in the sentence is its subject
    sent = text[a:n.start]
    if "we " in sent:
        nm = _SENT_NAMED.search(sent)
        if nm:
            return _clean_model(nm.group(1))
    # a model that the method quantizes/prunes/compresses is its object, not the subject ("QuaRot quantizes LLaMa2-70B
    # with losses of at most 0.29")
    cands = [m for m in cands if not _ends_before(_TRANSFORM_VERB, text, a, m.start, 30)]
    if cands:
        m = cands[-1]
        # a named model in a prepositional phrase ("pre-trained on", "applied to X") is not the subject
        if not _ends_before(_PREP_BEFORE_LONG, text, a, m.start, 25):
            return _clean_model(m.name)
        if len(cands) >= 2:
            for m in reversed(cands[:-1]):
                if not _ends_before(_PREP_BEFORE, text, a, m.start, 25):
                    return _clean_model(m.name)
    return ctx.proposed


_WEAK_CUES = ("of", "upon", "match", "matches", "matching", "improv")
_NP_LIST_STOP = re.compile(
    r"\s(?:by|across|on|in|at|while|with|for|when|using|under|without|which|that|to|from|as|is|are|was|were|respectively|"
    r"achiev\w*|obtain\w*|reach\w*|through|via|whereas|but|in\s+terms)\b|[.;:()\[\]]|\s-\s|$",
    re.I,
)
_NP_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*or\s+|,\s*|\s+and\s+|\s+or\s+|\s*/\s*)")


def _np_items(text: str, start: int) -> list[str]:
    """'SayCan, OpenVLA, LLMTrajGen and VoxPoser across ...' -> the coordinated names."""
    chunk = text[start:start + 160]
    m = _NP_LIST_STOP.search(" " + chunk)
    chunk = chunk[: max(0, m.start() - 1)] if m else chunk
    return [x.strip(" ,") for x in _NP_SPLIT.split(chunk.strip()) if x.strip(" ,")]


def _sentence_cues(ctx: Ctx, a: int, b: int, models) -> list[tuple[re.Match, bool]]:
    """The comparison cues of the sentence that can introduce a comparator, with their weakness: the tests that do
    not depend on the number, made once per sentence (memoised) rather than once per number."""
    key = ("cues", a)
    cues = ctx.cache.get(key)
    if cues is not None:
        return cues  # type: ignore[return-value]
    text = ctx.text
    cues = []
    for m in kinds.CMP_CUE.finditer(text, a, b):
        cue = m.group(0).strip().lower()
        if cue == "upon":
            continue
        if cue.startswith(("above", "below", "ahead", "behind")) and not (m.end() < b and text[m.end()].isalpha()):
            continue  # "3.1 points above Legal-BERT" compares; "above 90%", "below 30%" bound a value
        weak = cue.startswith(_WEAK_CUES)
        if cue.startswith(("of", "improv")):
            # "of vanilla ViT": only when a model name follows closely; "improves existing ... models"
            nxt = [mm for mm in models if mm.start >= m.end() and mm.start - m.end() <= 25
                   and _FEW_LOWER_WORDS.fullmatch(text[m.end():mm.start])]
            if not nxt and not (cue.startswith("improv") and (re.match(r"(?:[\w\-]+\s+){0,5}?(?:models|methods|baselines|approaches)\b", text[m.end():m.end() + 80])
                                                            or _SOTA_NP.match(text, m.end()))):
                continue
        if _NUMBER_NEXT.match(text[m.end():m.end() + 3]):
            continue
        if cue.startswith("over") and _NUMBER_NEXT_OVER.match(text[m.end():m.end() + 3]):
            continue
        cues.append((m, weak))
    ctx.cache[key] = cues
    return cues


# "the previous state of the art", "prior SOTA", "the best previous method": a comparator that names no model
_SOTA_NP = re.compile(r"(?:the\s+)?(?:(?:previous|prior|current|existing|strongest|best)\s+){0,2}(?:state[-\s]of[-\s]the[-\s]art|SOTA|best)\b", re.I)


_SEMI = re.compile(";")
_RATIO_OF = re.compile(r"\s*of\s+(?:the\s+|its\s+|their\s+)?(?:[\w\-]+\s+){1,3}?of\s+(?:the\s+|an?\s+)?")


# a sentence that sets a new state of the art ("establishes the new state of the art", "sets a new SOTA", "achieves
# state-of-the-art results"): its gains are over the state of the art
_NEW_SOTA = re.compile(r"\b(?:new\s+state[-\s]of[-\s]the[-\s]art\b(?![-\s]+(?:models?|methods?|systems?|baselines?)\b)|new\s+SOTA\b|"
                       r"state[-\s]of[-\s]the[-\s]art\s+(?:results?|performance|accuracy)\b)", re.I)
_CLOSING_CUE = re.compile(r"(?:compared\s+(?:to|with)|relative\s+to|versus|vs\.?|against|over)\b", re.I)


def _closing_cue(text: str, m: re.Match, b: int) -> bool:
    """A comparison closing the sentence after every number ("...; and B by 2.4x, compared to TensorRT-LLM."): it is the
    comparator of all of them, across a semicolon."""
    return bool(_CLOSING_CUE.match(text, m.start())) and _DIGIT.search(text, m.end(), b) is None


def _comparator(ctx: Ctx, n: Num, a: int, b: int, models, members=None) -> str | None:
    text = ctx.text
    if n.unit == "%":  # "99.3% of the performance level of ChatGPT", "95% of the accuracy of its teacher": the second "of"
        rm = _RATIO_OF.match(text, n.end, b)
        if rm:
            for mm in models:
                if mm.start >= rm.end() and _FEW_LOWER_WORDS.fullmatch(text[rm.end():mm.start]):
                    return _clean_model(mm.name)
            np = kinds.noun_phrase(text, rm.end())
            if np:
                return np
    best = None
    for m, weak in _sentence_cues(ctx, a, b, models):
        if m.end() <= n.start:
            d = n.start - m.end()
            if _match_within(ctx, _SEMI, a, b, m.end(), n.start):
                continue
        else:
            d = (m.start() - n.end) * ctx.w.cmp_after
            if d < 0 or _match_within(ctx, _SEMI, a, b, n.end, m.start()) and not _closing_cue(text, m, b):
                continue
        if weak:
            d = d * ctx.w.cmp_weak_mult + ctx.w.cmp_weak_add
        if best is None or d < best[0]:
            best = (d, m)
    if not best:
        # "establishes the new state of the art ..., achieving 1.3% higher mAP": a gain over the state of the art
        if ("state" in text[a:b] or "SOTA" in text[a:b]) and _NEW_SOTA.search(text, a, b):
            return "state of the art"
        # "achieving dense baseline image quality in 47.2% of the wall-clock time"
        bm = None
        for bm in re.finditer(r"\b(?:the\s+)?((?:[a-z][\w\-]*\s+)?baselines?)\b", text[a:b]):
            pass
        return bm.group(1) if bm else None
    m = best[1]
    # a list of targets paired with a list of numbers: "better than SeaFormer and SegNeXt", "over A, B, and C by 29x, 29x, and 3x"
    if members and len(members) >= 2 and n in members:
        items = _np_items(text, m.end())
        if len(items) == len(members) and all(len(x.split()) <= 5 and re.search(r"[A-Z0-9]", x) and not re.search(r"ing\b", x.split()[0]) for x in items):
            return _clean_model(items[members.index(n)])
    for mm in models:
        if mm.start >= m.end() and _FEW_LOWER_WORDS.fullmatch(text[m.end():mm.start]):
            if mm.start - m.end() <= 2:
                return _clean_model(mm.name)
            np = kinds.noun_phrase(text, m.end())
            return np if np and mm.name in np else _clean_model(mm.name)
    return kinds.noun_phrase(text, m.end())
