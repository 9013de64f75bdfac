"""Cues that make a number a delta or a ratio, its direction, and what it is compared with."""

from __future__ import annotations

import re

UP = re.compile(
    r"\b(?:higher|better|improv\w*|gains?|increas\w*|boost\w*|more|outperform\w*|surpass\w*|faster|speed[-\s]?ups?|speeds?\s+up|"
    r"accelerat\w*|exceed\w*|lift\w*|raise\w*|extra|additional|larger|greater|advantage|margin|ahead|up)\b",
    re.I,
)
DOWN = re.compile(
    r"\b(?:lower|drops?|decreas\w*|reduc\w*|fewer|less|sav(?:e|es|ed|ing|ings)|cuts?|cutting|degrad\w*|declin\w*|smaller|cheaper|"
    r"shrink\w*|compress\w*|down|lowers|lowering|loss|worse|behind|slower)\b",
    re.I,
)
# Right after the number (and unit/metric): this makes it a difference.
DELTA_AFTER = re.compile(
    r"^\s*(?:\(?absolute\)?\s*|relative\s*|points?\s*|pts?\.?\s*|pp\s*|p\.p\.\s*)?(?:[\w\-@.^{}]+\s+){0,3}?"
    r"(?:higher|lower|better|worse|improvements?|gains?|increases?|boosts?|drops?|decreases?|reductions?|more|less|fewer|"
    r"absolute|relative|points?\s+(?:higher|lower|better|improvement|gain|increase|drop)|margin|lift|uplift|faster|slower|"
    r"extra|additional|savings?|improved|increased|decreased|reduced|degradation|advantage|gap|above|below|ahead|behind|"
    r"smaller|larger|bigger|cheaper|shorter|longer)\b",
    re.I,
)
DELTA_BEFORE = re.compile(
    r"(?:\bby|\bmargin\s+of|\bimprov\w*\s+of|\bgains?\s+of|\bincreases?\s+of|\bboosts?\s+of|\bdrops?\s+of|\bdecreases?\s+of|"
    r"\breductions?\s+of|\bimprov\w*|\bboost\w*|\bgains?|\bsav(?:e|es|ed|ing)|\bdelta\s+of|\bdifference\s+of|\blead\s+of|"
    r"(?<![-\w])loss(?:es)?\s+of|\bwithin|\bgap\s+of)"
    r"\s*(?:(?:are|is|was|were)\s+)?(?:a\s+)?(?:large\s+|significant\s+|substantial\s+|considerable\s+|notable\s+|remarkable\s+|clear\s+|wide\s+)?"
    r"(?:margins?\s+of\s+|margins?\s*\(\s*)?"
    r"(?:of\s+)?(?:(?:about|around|over|more\s+than|up\s+to|nearly|approximately|roughly|at\s+least|at\s+most|only|just|as\s+high\s+as|as\s+much\s+as|~|\$?\\sim\$?)\s*){0,2}\s*\$?\s*$",
    re.I,
)
# "55.8% of the FLOPs", "15% the size of", "29% as many parameters as", "97% of their performance"
RATIO_PCT = re.compile(r"^\s*(?:of\s+(?:the|their|its|our|a|total|all)?\s*|the\s+|as\s+(?:many|much|few)\s+|as\s+)", re.I)
CMP_CUE = re.compile(
    r"(?:\boutperform\w*|\bsurpass\w*|\bbeat\w*|\bexceed\w*|\bover|\bthan(?:\s+that\s+of|\s+those\s+of)?|\bcompared\s+(?:to|with)|"
    r"\bcomparison\s+(?:to|with)|\bin\s+contrast\s+to|\bcomparable\s+(?:\w+\s+)?(?:to|with)|\bon\s+par\s+with|\bthe\s+size\s+of|\b(?:same|similar|comparable)\s+\w+\s+(?:of|as)|\bas\s+(?:many|much|few)\s+\w+\s+as|"
    r"\b(?:extra|additional)\s+\w+\s+to|\bsuch\s+as|\bimprov(?:es|e|ing)(?:\s+(?:upon|over|on))?|\bsimilar\s+to|\bmatch(?:es|ing)?|\bas\s+fast\s+as|\brelative\s+to|\bvs\.?|\bversus|\bagainst|\bupon|\bspeeds?\s+up|\baccelerates?|\bof|\babove|\bbelow|\bahead\s+of|\bbehind)"
    r"\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+)?",
    re.I,
)
NP_STOP = re.compile(
    r"\s(?:by|with|in|on|at|while|when|for|and|using|across|under|without|which|that|who|to|from|as|is|are|was|were|achiev\w*|"
    r"obtain\w*|reach\w*|respectively|through|via|whereas|but|models?\s+by)\b(?<!from(?=\s+scratch))|[,.;:()\[\]]|\s-\s|$",
    re.I,
)


def direction(before: str, after: str, sign: str | None, default: str | None) -> str | None:
    """Up or down from the sign, else the nearest direction word (before the number, or after it), else `default`.

    Each of the four scans (last up/down word before, first up/down word after) is made once."""
    if sign == "+":
        return "up"
    if sign == "-":
        return "down"
    b_up = _last(UP.finditer(before))
    b_dn = _last(DOWN.finditer(before))
    a_up = UP.search(after)
    a_dn = DOWN.search(after)
    near_b = None
    for mm in (b_up, b_dn):
        if mm is not None and (near_b is None or mm.end() > near_b.end()):
            near_b = mm
    near_a = None
    for mm in (a_up, a_dn):
        if mm and (near_a is None or mm.start() < near_a.start()):
            near_a = mm
    if near_b is not None and (near_a is None or len(before) - near_b.end() < near_a.start()):
        return "up" if UP.fullmatch(near_b.group(0)) else "down"
    if a_up or a_dn:
        if a_up and (not a_dn or a_up.start() < a_dn.start()):
            return "up"
        return "down"
    if b_up or b_dn:
        if b_up and (not b_dn or b_up.start() > b_dn.start()):
            return "up"
        return "down"
    return default


def _last(matches) -> re.Match | None:
    m = None
    for m in matches:
        pass
    return m


def noun_phrase(text: str, start: int, limit: int = 60) -> str | None:
    chunk = text[start:start + limit]
    m = NP_STOP.search(" " + chunk)
    np = chunk[: max(0, m.start() - 1)] if m else chunk
    np = np.strip(" ,.;:\"'")
    np = re.sub(r"^(?:that|those)\s+of\s+(?:the\s+)?", "", np)
    np = re.sub(r"'s$|’s$", "", np)
    words = np.split()
    if not words or len(words) > 7 or words[0][0].isdigit():
        return None
    if words[0].lower() in {"it", "them", "this", "these", "that", "we", "our", "all", "which"}:
        return None
    return np
