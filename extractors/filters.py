"""Numbers that are not claims: years, list markers, names and versions, sizes of data, settings, p-values, URLs."""

from __future__ import annotations

import re

from .numbers import Num

URLS = re.compile(r"https?://\S+|www\.\S+|(?<!\S)\S+?\.(?:github\.io|com|org|net|ai)\b\S*|arXiv:\s?\d+\.\d+|\bdoi:\S+|\[\d+(?:[,\s\-–]+\d+)*\]", re.I)
# Where a URLS match can start (ASCII text, lower-cased): at one of these,
_URL_AT = ("http", "www.", "arxiv:", "doi:", "[")
# or at the start of the word holding one of these ("name.github.io/...", "x.com").
_URL_IN_WORD = (".com", ".org", ".net", ".ai", ".github")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `URLS.finditer(text)`. On ASCII text the regex (slow: six alternatives under re.I, tried at every
    position) is only tried, with `match`, where a match can start; in text order, skipping those inside an earlier
    match, that is what finditer finds."""
    if not text.isascii():
        return [m.span() for m in URLS.finditer(text)]
    low = text.lower()
    starts = set()
    for x in _URL_AT:
        i = low.find(x)
        while i != -1:
            starts.add(i)
            i = low.find(x, i + 1)
    for x in _URL_IN_WORD:
        i = low.find(x)
        while i != -1:
            j = i
            while j > 0 and not text[j - 1].isspace():  # back to the start of the word: (?<!\S)\S+?\.com
                j -= 1
            starts.add(j)
            i = low.find(x, i + 1)
    out = []
    pos = 0
    for c in sorted(starts):
        if c < pos:
            continue
        m = URLS.match(text, c)
        if m:
            out.append(m.span())
            pos = m.end()
    return out


# Right after the number: an ordinal, a name or setting, not a result.
_AFTER_NAME = re.compile(
    r"(?:st|nd|rd|th|D|d|px|p|k?bit|-bits?|-bit|-?shot|-?way|-?layer|-?head|-?stage|-?step|-?day|-?year|-?dim\w*|-?channel|-?frame|"
    r"-?token|-?second|-?minute|-?hour|-?class|-?point|-?node|-?GPU|-?core|-?level|-?fold\s+cross)\b",
)
_AFTER_COUNT = re.compile(
    r"\s*(?:\)|\.\s|[a-z]+\s+)?(?:[\w\-]+\s+)?(?:datasets?|tasks?|benchmarks?|languages?|attributes?|layers?|GPUs?|TPUs?|epochs?|steps?|"
    r"iterations?|directions?|trackers?|images?|samples?|tokens?|examples?|categories|classes|subjects?|participants?|videos?|prompts?|hours?|days?|"
    r"sentences?|words?|pairs?|molecules?|patients?|users?|questions?|problems?|documents?|frames?|points?\s+clouds?|nodes?|"
    r"heads?|experts?|clips?|utterances?|speakers?|domains?|modalities|environments?|games?|scenes?|objects?|instances?|"
    r"annotations?|labels?|authors?|runs?|seeds?|shots?|trials?|configurations?|models\s+(?:trained|from)|X-rays?|scans?|"
    r"cases?|records?|transcripts?|volumes?|slides?|cells?|proteins?|compounds?|queries|conversations?|dialogues?|turns?|articles?|"
    r"lines?|files?|repositories|programs?|functions?|demonstrations?|trajectories|episodes?|minutes?|characters?)\b",
    re.I,
)
_DATA_AFTER = re.compile(
    r"\s*(?:\(\w+\)\s*)?(?:[\w\-]+\s+){0,2}(?:image[-\s]text\s+pairs|pairs|images|samples|tokens|molecules|examples|videos|hours|"
    r"sentences|words|documents|utterances|chemical|unlabel\w*|labell?ed|training|web|text|clips|frames|captions|SMILES|X-rays|"
    r"queries|users|items|interactions|instructions|conversations|trajectories|scans|patients|proteins|structures|"
    r"points(?!\s+(?:higher|lower|better|worse|improvements?|gains?|increases?|drops?|decreases?|on|in|over|than|of|and|for|with|across)\b)(?=\s+\w)|"
    r"games|steps)\b",
    re.I,
)
_PVALUE = re.compile(r"\b[pP](?:-value)?\s*[<>=≤≥]\s*$|\bp\s*$")
_SETTING_PCT = re.compile(
    r"\s*(?:of\s+(?:the\s+)?)?(?:(?:labell?ed|training|unlabell?ed|annotated)\s+)?(?:data|labels|annotations|training\s+data|the\s+training|image\s+content|"
    r"masking|mask\s+ratio|of\s+an\s+image|pixels|patches|sparsity|noise|dropout|tokens\s+masked|of\s+pixels)\b",
    re.I,
)
_SETTING_BEFORE = re.compile(r"(?:mask(?:ing)?\s+ratio|sparsity|dropout|proportion|noise\s+level|label\s+noise|with|using|on|only|trained\s+on)\s+(?:of\s+)?(?:only\s+)?$", re.I)


# "WER of 1.8/3.3", "ROUGE-1/2/L of 44.17/21.47/41.11": decimal scores joined by slashes are a list, not a fraction
_SLASH_BEFORE = re.compile(r"\d\.\d+/$")
_SLASH_DEC = re.compile(r"/\d+\.\d")


_ORDINAL_OR_NAME = re.compile(r"(?:st|nd|rd|th)\b|[A-Za-z]")
_FRACTION = re.compile(r"\s*/\s*\d")
_HZ_BITS_VIEW = re.compile(r"\s*(?:[kKMG]?Hz\b|bits?\b|-(?!fold|times)[a-z]{2,}\b)")
_DOT_SPACE = re.compile(r"\.\s")
_SETTING_BEFORE_PCT = re.compile(
    r"(?:mask(?:ing)?\s+ratio|sparsity|dropout|proportion|label\s+noise)\s+(?:of\s+)?(?:[^()]{0,30}\(\s*(?:[\d.]+\\?%\s*(?:vs\.?|and|,)\s*)?)?$", re.I)


def is_non_claim(text: str, n: Num, lo: int) -> bool:
    s, e = n.start, n.num_end
    prev = text[s - 1] if s > lo else " "
    prev2 = text[max(lo, s - 2):s]
    after = text[e:e + 50]
    # part of a name or a range: "top-1", "GPT-4", "Kinetics-400/600", "v2"
    if prev in "-/" and s - 2 >= lo and text[s - 2].isalnum() and not (prev == "/" and _SLASH_BEFORE.search(text, max(lo, s - 8), s)):
        return True
    if prev == "@":
        return True
    if not n.unit and _ORDINAL_OR_NAME.match(after):
        return True
    if _AFTER_NAME.match(after) and n.unit not in ("%", "x"):
        return True
    if _FRACTION.match(after) and "/" not in text[max(lo, s - 1):s] and not ("." in n.text and _SLASH_DEC.match(after)):
        return True  # a fraction ("only 1/6 of the parameters"): optional at best
    if not n.unit and _HZ_BITS_VIEW.match(after):
        return True  # "22.05 kHz", "in 4 bits", "10-view test"
    if _AFTER_NAME.match(text, n.end) and n.unit in ("K", "M", "B", "G", "s", "h", "min"):
        return True
    # list markers "1)", "(2)", "1." at a sentence start
    if after[:1] == ")" and n.value <= 20 and "." not in n.text and (prev2.endswith("(") or prev in " ;:,\n" or s == lo):
        return True
    if s == lo and _DOT_SPACE.match(after):
        return True
    # years and dates
    if not n.unit and "." not in n.text and "," not in n.text and 1900 <= n.value <= 2039:
        return True
    # p-values, exponents
    pre = text[max(lo, s - 12):s]
    if ("p" in pre or "P" in pre) and _PVALUE.search(pre) or prev in "^_":  # every _PVALUE match holds a "p"
        return True
    return False


# accelerator time ("2.8M H800 GPU hours", "512 TPU-days"): the cost of training, not a count of things
GPU_TIME = re.compile(r"\s*(?:[A-Za-z][\w\-]*\s+)?(?:GPU|TPU|NPU|accelerator)s?[-\s]?(?:hours?|hrs?|days?|years?|h)\b")


def is_data_size(text: str, n: Num) -> bool:
    """'1.1 billion molecules', '400M image-text pairs', '1.4T tokens', '266,340 X-rays'."""
    if (_DATA_AFTER.match(text, n.end) or _AFTER_COUNT.match(text, n.end)) is None:
        return False
    return GPU_TIME.match(text, n.end) is None


_RANGE_END = re.compile(r"\s*(?:~|-|–|to)\s*\d+(?:\.\d+)?")


def count_after_range(text: str, n: Num) -> bool:
    """'5~10 steps', '3-5 datasets': a count whose range ends before the counted noun."""
    m = _RANGE_END.match(text, n.end)
    return bool(m) and bool(_AFTER_COUNT.match(text, m.end()) or _DATA_AFTER.match(text, m.end()))


def is_setting_pct(text: str, n: Num, lo: int) -> bool:
    """'with 1% of labels', 'a masking ratio of 75%'."""
    if _SETTING_PCT.match(text, n.end):
        return True
    window = text[max(lo, n.start - 60):n.start]
    if window.isascii():  # the cue words must be there (ASCII: lower() is exactly what re.I matches)
        low = window.lower()
        if not ("mask" in low or "sparsity" in low or "dropout" in low or "proportion" in low or "noise" in low):
            return False
    return bool(_SETTING_BEFORE_PCT.search(window))
