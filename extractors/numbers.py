"""Numeric mentions: the number as written, its unit, LaTeX wrappers, sign, qualifier and range.

`find_numbers(text, lo, hi)` scans text[lo:hi] and returns `Num` records in text order. Every
offset points into the original text, so a quote is always `text[start:end]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = re.compile(
    r"(?<![\w.,^_\\])(?:(?<![A-Za-z0-9.]/)|(?<=\d\.\d/)|(?<=\d\.\d\d/))(?P<sign>[+\-−–](?=\s?[\d.]))?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|\.\d+)"
)
_SUFFIX = re.compile(
    r"(?P<close>[}$]*)(?P<sp>(?:\s|~|\\[,;!: ]|\\ )*)(?:"
    r"(?P<pct>\\?%|percent(?:age)?(?! of)\b|percentage points?\b|pp\b|p\.p\.)"
    r"|(?P<times>(?:[x×X]|\\times)(?![a-zA-Z0-9\-])|times(?![a-zA-Z])|-?fold\b)"
    r"|(?P<mag>[KMBGT](?=FLOPs|FLOPS|MACs|Flops|flops|Params|params|MAC)|[KMBT](?![a-zA-Z0-9])|G(?![a-zA-Z0-9])"
    r"|[Bb]illion\b|[Mm]illion\b|[Tt]housand\b|[Tt]rillion\b|k(?![a-zA-Z0-9]))"
    r"|(?P<time>ms\b|msec\b|milliseconds?\b|(?<=\d\s)s\b|(?<=\.\d)s\b|(?<=\.\d\d)s\b|sec\b|secs\b|seconds?\b|us\b|μs\b|µs\b|minutes?\b|mins?\b|hours?\b|hrs?\b|h\b|days?\b)"
    r"|(?P<fps>fps\b|FPS\b|frames?/s\b|frames(?:\s+of\s+\w+)?\s+per\s+second|img/s\b|images/s\b|it/s\b|tokens/s\b|Hz\b)"
    r"|(?P<db>dB\b)"
    r"|(?P<bytes>GB\b|MB\b|TB\b|KB\b|GiB\b|MiB\b|Mb\b)"
    r")?"
)
_MAG = {"k": "K", "K": "K", "thousand": "K", "M": "M", "million": "M", "B": "B", "billion": "B", "G": "G", "T": "T", "trillion": "T",
        "Thousand": "K", "Million": "M", "Billion": "B", "Trillion": "T"}
_TIME = {"ms": "ms", "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "s": "s", "sec": "s", "secs": "s", "second": "s",
         "seconds": "s", "us": "us", "μs": "us", "µs": "us", "minute": "min", "minutes": "min", "min": "min", "mins": "min",
         "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "h": "h"}
# Hedges written just before a number (the prefix text is matched at its end).
_QUAL = re.compile(
    r"(?:(?P<more_than>more\s+than|over|greater\s+than|exceeding|above|beyond|(?<![-=])>)"
    r"|(?P<up_to>up\s+to|upto|as\s+much\s+as|as\s+high\s+as|as\s+many\s+as|a\s+maximum\s+of)"
    r"|(?P<about>about|around|approximately|approx\.?|roughly|nearly|almost|close\s+to|~|\$?\\sim\$?|≈|∼|\$?\\approx\$?)"
    r"|(?P<at_least>at\s+least|no\s+less\s+than|≥|>=|\$?\\geq?\$?)"
    r"|(?P<less_than>less\s+than|under|below|fewer\s+than|lower\s+than|(?<!<)<(?![-=])|≤|<=|\$?\\leq?\$?)"
    r"|(?P<only>(?:only|just|merely)(?:\s+(?:reach\w*|achiev\w*|obtain\w*|gets?|scor\w*|attain\w*|requir\w*|needs?|uses?|using))?|as\s+little\s+as|as\s+few\s+as|mere|a\s+mere))"
    r"\s*(?:\$?\\sim\$?|~)?\s*(?:a\s+|an\s+)?(?:\\textbf\{|\\mathbf\{|\\underline\{|\$|\{)*\s*$",
    re.IGNORECASE,
)
_RANGE_TAIL = re.compile(r"\s*(?:-|–|—|~|to|and)\s*(?:\\textbf\{)?(\d+(?:\.\d+)?)")
_DIM_TAIL = re.compile(r"\s*(?:[x×*]|\\times|times)\s*\$?\s*\d")


@dataclass(slots=True)
class Num:
    start: int  # start of the number (sign included)
    end: int  # end of number + unit
    num_end: int  # end of the digits
    value: float
    text: str  # digits as written
    sign: str | None  # "+" or "-"
    unit: str | None
    unit_raw: str
    qualifier: str | None = None
    qual_start: int | None = None
    range_to: float | None = None
    range_end: int | None = None
    required: bool = True
    kind: str | None = None  # set once the number's claim is built (a later "compared to N" follows it)
    direction: str | None = None
    group: int | None = None


_QUAL_LAST = frozenset(
    "than over above beyond exceeding to upto as of about around approximately approx approx. roughly nearly almost least under "
    "below only just merely mere a an reach reaches reached reaching achieve achieves achieved achieving obtain obtains obtained "
    "get gets score scores scored attain attains attained require requires required requiring need needs use uses using "
    "\\sim \\approx \\geq \\leq \\ge \\le".split()
)


def _qual_hint(pre: str) -> bool:
    """Cheap test before the end-anchored _QUAL search: the last word before the number could end a qualifier."""
    if "~" in pre[-4:]:
        return True
    tail = pre.rstrip().rstrip(" ${}~\\\u00a0").rstrip()
    if not tail:
        return False
    if tail[-1] in "><≈∼≤≥~=":
        return True
    w = tail.rsplit(None, 1)[-1].lower().lstrip("($")
    if w in _QUAL_LAST or w.startswith(("\\textbf", "\\mathbf", "\\underline")):
        return True
    return w.endswith(("sim", "approx", "geq", "leq"))


# The last word of a qualifier that needs a word before it ("a maximum of", "up to", "as much as", "more than"), and
# the words (ends of the word before) that make it one.
_QUAL_NEEDS = {
    "of": ("maximum",),
    "to": ("up", "close"),
    "as": ("much", "high", "many", "little", "few"),
    "than": ("more", "greater", "less", "fewer", "lower"),
}
_QUAL_VERB = re.compile(r"reach\w*|achiev\w*|obtain\w*|gets?|scor\w*|attain\w*|requir\w*|needs?|uses?|using")  # after only/just/merely
_QUAL_ONE_WORD = ("over", "exceeding", "above", "beyond", "upto", "about", "around", "approximately", "approx", "roughly", "nearly",
                  "almost", "under", "below", "only", "just", "merely", "mere")


def _qual_ruled_out(pre: str) -> bool:
    """True when _QUAL certainly does not match `pre`, which ends with a plain ASCII word W (then whitespace) such as
    "of", "to" or "achieves": the common case where `_qual_hint` passes ("accuracy of", "compared to", "X achieves").

    Then a match ends with W (what may follow a qualifier, "a", "an", "\\sim", "$", "{", cannot be the end of W,
    unless W ends with "a"/"an": not ruled out). W = of/to/as/than, or a verb that follows only/just/merely, is the
    last word of a qualifier only after its word before ("a maximum of", "only reach"): without it, no match, unless
    a one-word qualifier ends W ("...mere")."""
    if not pre.isascii():
        return False
    parts = pre.rsplit(None, 2)
    if not parts:
        return False
    w = parts[-1].lower()
    if not w.isalpha() or w.endswith("a") or w.endswith("an") or w.endswith(_QUAL_ONE_WORD):
        return False
    needs = _QUAL_NEEDS.get(w)
    if needs is None:
        if not _QUAL_VERB.fullmatch(w):
            return False
        needs = ("only", "just", "merely")
    return not (len(parts) >= 2 and parts[-2].lower().endswith(needs))


def parse_value(s: str) -> float | None:
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _num_matches(text: str, lo: int, hi: int):
    """The matches of `_NUM.finditer(text, lo, hi)`, found faster.

    _NUM starts with look-behinds, so the regex engine tries it at every position. Every match holds a digit at most
    three characters after its start (sign, space, ".", digit), so the search can start 3 characters before the next
    digit: a fast `\\d` scan skips the text between numbers. (Look-behinds see the text before `pos`, as in finditer.)"""
    pos = lo
    digit = ASCII_DIGIT if text.isascii() else _DIGIT
    while True:
        d = digit.search(text, pos, hi)
        if d is None:
            return
        m = _NUM.search(text, max(pos, d.start() - 3), hi)
        if m is None:
            return
        yield m
        pos = m.end()  # never empty: a match holds a digit


_DIGIT = re.compile(r"\d")
ASCII_DIGIT = re.compile(r"[0-9]")  # \d on ASCII text, a quarter faster to scan for (a range, not a Unicode category)
_UNIT_GROUPS = frozenset(("pct", "times", "mag", "time", "fps", "db", "bytes"))


def find_numbers(text: str, lo: int = 0, hi: int | None = None, qualify: bool = True) -> list[Num]:
    """`qualify=False` leaves the qualifiers unset: the caller sets them (`set_qualifier`) only for the numbers it keeps
    (the qualifier search is the costliest step here, and most numbers of a sentence are years, names or sizes)."""
    hi = len(text) if hi is None else hi
    out: list[Num] = []
    for m in _num_matches(text, lo, hi):
        raw = m.group("num")
        v = parse_value(raw)
        if v is None:
            continue
        sign = m.group("sign")
        sgn = None
        if sign:
            sgn = "+" if sign == "+" else "-"
        s_num, e_num = m.span("num")
        start = m.start("sign") if sign else s_num
        sm = _SUFFIX.match(text, e_num, hi)
        unit = None
        unit_raw = ""
        end = e_num
        # the unit alternatives are sibling groups after `close` and `sp`: the one that matched is the last group
        g = sm.lastgroup if sm is not None and sm.lastgroup in _UNIT_GROUPS else None
        if g:
            u = sm.group(g)
            unit_raw = u
            if g == "pct":
                unit = "%"
            elif g == "times":
                unit = "x"
            elif g == "mag":
                unit = _MAG.get(u, _MAG.get(u[:1]))
            elif g == "time":
                unit = _TIME.get(u.lower()) if u.lower() not in ("day", "days") else None
            elif g == "fps":
                unit = "fps"
            elif g == "db":
                unit = "dB"
            elif g == "bytes":
                unit = {"GiB": "GB", "MiB": "MB", "Mb": "MB", "KB": None}.get(u, u)
            end = sm.end()
        elif sm and sm.group("close"):  # "\\textbf{84.1}" keeps its closing brace
            end = e_num + len(sm.group("close"))
        n = Num(start, end, e_num, v, raw, sgn, unit, unit_raw)
        if qualify:
            set_qualifier(text, n, lo)
        out.append(n)
    return out


def set_qualifier(text: str, n: Num, lo: int) -> None:
    """The hedge written just before the number ("up to", "~", "only reach"), looked for in the 40 characters
    before it (not before `lo`, the start of the scanned span)."""
    start = n.start
    pre = text[max(lo, start - 40):start]
    q = _QUAL.search(pre) if _qual_hint(pre) and not _qual_ruled_out(pre) else None
    if q:
        n.qualifier = q.lastgroup
        n.qual_start = start - (len(pre) - q.start())


def dimension_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans like 384x384, 256 × 256, 16times16, 1024^2: input or patch sizes, never claims."""
    if not _DIM_HINT.search(text, lo, hi):  # every _DIM match holds a digit then x/×/*/times or ^: most sentences have none
        return []
    return [m.span() for m in _DIM.finditer(text, lo, hi)]


_DIM_HINT = re.compile(r"\d\s*\$?(?:[x×*]|\\times|times)|\d\^")
_DIM = re.compile(r"(?<![\w.])\d+\s*\$?(?:[x×*]|\\times|times)\$?\s*\d+(?:\s*(?:[x×*]|\\times|times)\s*\d+)?(?![\d.])|\d+\^[23]|\d+\^\{?\d\}?")


def range_after(text: str, n: Num, hi: int, at: int | None = None) -> re.Match | None:
    """'2-3x', '40-60%', '0.5~1.0', '1.7x - 2.7x': the second number of a range written right after the first."""
    m = _RANGE_TAIL.match(text, n.num_end if at is None else at, hi)
    if m and m.group(0).strip()[:1] in "-–—~":
        return m
    return None
