"""LaTeX of abstracts as a person reads it: `83.3\\%` -> `83.3%`, `\\ie` -> `i.e.`, `$\\times$` -> `×`.

Why: arXiv abstracts are LaTeX source. The stored quote stays verbatim (claim offsets point into the
abstract: the contract), so rendering happens only where text is shown to a person: the dashboard's
tables and evidence, the terminal's tables. Only what abstracts use is rendered; anything else is left as
written (a reader sees the source, never a wrong symbol).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Commands that stand for a symbol (inside or outside math).
SYMBOLS: dict[str, str] = {
    "times": "×", "pm": "±", "mp": "∓", "approx": "≈", "sim": "~", "simeq": "≃", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫", "cdot": "·", "cdots": "⋯",
    "ldots": "…", "dots": "…", "rightarrow": "→", "to": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "uparrow": "↑", "downarrow": "↓", "infty": "∞", "degree": "°", "circ": "°", "prime": "′",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "omega": "ω", "Omega": "Ω", "ell": "ℓ", "textasciitilde": "~", "textbar": "|", "textbullet": "•",
    "textdegree": "°", "textemdash": "—", "textendash": "–", "LaTeX": "LaTeX", "TeX": "TeX",
}
# Abbreviation macros many papers define (\ie, \eg, \etal, ...).
ABBREVIATIONS: dict[str, str] = {
    "ie": "i.e.", "eg": "e.g.", "etal": "et al.", "etc": "etc.", "vs": "vs.", "wrt": "w.r.t.", "cf": "cf.",
    "aka": "a.k.a.", "iid": "i.i.d.", "Eg": "E.g.", "Ie": "I.e.",
}
# Commands whose braced argument is kept as plain text (\textbf{ViT} -> ViT).
TEXT_COMMANDS = (
    "textbf", "textit", "emph", "texttt", "textsc", "textrm", "textsf", "underline", "mathrm", "mathbf",
    "mathit", "mathcal", "mathbb", "mathsf", "mathtt", "text", "operatorname", "boldsymbol", "bm", "mbox",
)
ESCAPED = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}"}
SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "quad": " ", "qquad": " ", "enspace": " "}

_TEXT_CMD = re.compile(r"\\(?:" + "|".join(TEXT_COMMANDS) + r")\s*\{([^{}]*)\}")
_ESCAPE = re.compile(r"\\([%&_#${}])")
_COMMAND = re.compile(r"\\([A-Za-z]+)(\{\})?\s?|\\([,;:! ])")
_MATH = re.compile(r"(?<!\\)\$([^$]{1,200})(?<!\\)\$")
_SCRIPT = re.compile(r"([\^_])\{([^{}]*)\}|([\^_])(\S)")
_TILDE = re.compile(r"(?<!\\)~")
SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def _script(m: re.Match[str]) -> str:
    mark = m.group(1) or m.group(3)
    body = m.group(2) if m.group(1) else m.group(4)
    table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
    out = body.translate(table)
    if any(a == b for a, b in zip(out, body) if not a.isspace()):  # a character without a script form
        return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"
    return out


def _command(m: re.Match[str]) -> str:
    if m.group(3) is not None:
        return SPACES[m.group(3)]
    name = m.group(1)
    for table in (SYMBOLS, ABBREVIATIONS, SPACES):
        if name in table:
            trailing = " " if m.group(0).endswith(" ") and table is not SPACES else ""
            return table[name] + trailing
    return m.group(0)  # unknown: left as written


def _math(m: re.Match[str]) -> str:
    body = _SCRIPT.sub(_script, _COMMAND.sub(_command, m.group(1)))
    return body.replace("{", "").replace("}", "").strip()


@lru_cache(maxsize=65536)
def readable(text: str) -> str:
    """`text` with the LaTeX abstracts use rendered as plain Unicode; text without a backslash, `$` or `~`
    comes back unchanged."""
    if not text or not any(c in text for c in "\\$~"):
        return text
    out = text
    for _ in range(3):  # nested \textbf{\emph{x}}
        new = _TEXT_CMD.sub(r"\1", out)
        if new == out:
            break
        out = new
    out = _TILDE.sub(" ", out)  # a non-breaking space (before math, whose \sim becomes "~")
    out = _MATH.sub(_math, out)
    out = _COMMAND.sub(_command, out)
    out = _ESCAPE.sub(lambda m: ESCAPED[m.group(1)], out)
    return out


def readable_or_none(value: object) -> object:
    """readable() of a string; anything else (None, a number) unchanged: for table cells."""
    return readable(value) if isinstance(value, str) else value
