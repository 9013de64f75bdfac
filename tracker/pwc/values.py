"""The values of Papers with Code's tables: numbers as people typed them into a web form.

Most are plain ("84.1"), many are not: "84.1%", "1.2M", "3.0m" (parameters), "0.8428 ± 0.0014",
"83.3 (±0.2)", "70.14 (measured by ...)", "63.7*", "\\ufeff93.3", "1,024", and no value at all
("-", "--", "N/A", "", "−"). `parse_value` reads the number, its unit and the spread, keeps nothing
it is not sure of (two numbers such as "93.0/90.7" are not a value: which one would it be?), and says
why in one word-group when it cannot, so an import can count and report them per reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Units written after the number, as the store's UNIT_SCALE names them. A lower-case "m" is "million"
# in these tables ("3.0m" parameters); no table writes metres or minutes that way.
UNITS = {
    "%": "%", "k": "K", "K": "K", "m": "M", "M": "M", "b": "B", "B": "B", "g": "G", "G": "G", "T": "T",
    "ms": "ms", "s": "s", "x": "x", "fps": "fps", "dB": "dB", "GB": "GB", "MB": "MB", "TB": "TB",
}  # fmt: skip
NO_VALUE = frozenset({"", "-", "--", "---", "—", "–", "−", "n/a", "na", "none", "null", "nan", "?", "x", "/"})
# Characters that decorate a cell without meaning anything for the value.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\xa0"), " ")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-"})
_NUMBER = re.compile(
    r"(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?)"
    r"\s*(?P<unit>%|fps|dB|[GMT]B|ms|[kKmMbBgGT]|s|x)?(?![A-Za-z0-9])"
)
_MARKERS = re.compile(r"^[*†‡+#§¶^]+")  # footnote marks after a number: "63.7*", "60.7+"
_SPREAD = re.compile(r"^(?:\(\s*)?(?:±|\+/-|\+-)\s*(\d+(?:\.\d+)?)\s*%?\s*\)?$")
_PAREN = re.compile(r"^[(\[].*[)\]]$")


@dataclass(frozen=True)
class Parsed:
    """A cell: `value` and `unit` when it is one number, `spread` for "± s", else `problem`. `number` is
    the number as typed, without its sign ("84.1"), to look for in an abstract."""

    value: float | None
    unit: str | None = None
    spread: str | None = None
    problem: str | None = None
    number: str | None = None


def parse_value(raw: object) -> Parsed:
    """The number in one table cell (a JSON string, number, or null)."""
    if isinstance(raw, bool):
        return Parsed(None, problem="not a number (true/false)")
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not math.isfinite(value):
            return Parsed(None, problem="not a finite number")
        return Parsed(value, number=repr(abs(value)) if isinstance(raw, float) else str(abs(raw)))
    if raw is None:
        return Parsed(None, problem="no value")
    if not isinstance(raw, str):
        return Parsed(None, problem=f"not a number ({type(raw).__name__})")
    text = raw.translate(_INVISIBLE).translate(_MINUS).replace("**", "").strip()
    if text.lower() in NO_VALUE or text.strip("-*") == "":
        return Parsed(None, problem="no value")
    m = _NUMBER.match(text)
    if m is None:
        return Parsed(None, problem="not a number")
    rest = _MARKERS.sub("", text[m.end() :].strip()).strip()
    spread = None
    if rest:
        s = _SPREAD.match(rest)
        if s is not None:
            spread = f"± {s.group(1)}"
        elif not _PAREN.match(rest):  # "93.0/90.7", "12 / 14", "84.1 top-1": more than one number
            return Parsed(None, problem="more than a number")
    value = float(m.group("num").replace(",", ""))
    if not math.isfinite(value):
        return Parsed(None, problem="not a finite number")
    unit = UNITS.get(m.group("unit") or "")
    number = m.group("num").lstrip("+-")
    if "." in number and "e" not in number.lower():  # "91.30" is written "91.3" in an abstract
        number = number.rstrip("0").rstrip(".") if number.rstrip("0")[-1] != "." else number
    return Parsed(value, unit, spread, number=number)
