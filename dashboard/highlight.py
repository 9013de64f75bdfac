"""The abstract as HTML with each claim's evidence span wrapped in <mark>.

Why a pure function: it is the one place the dashboard emits raw HTML (`unsafe_allow_html=True`), so
it must escape every piece of text it did not write itself, and that is easiest to test in isolation.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.latex import readable


@dataclass(frozen=True)
class Span:
    """One evidence span: [start, end) in the abstract and a short label for the tooltip."""

    start: int
    end: int
    label: str = ""


def merge_spans(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans clipped to the text, invalid ones dropped, overlapping ones merged (labels joined).

    Claims often overlap ("83.3% vs. 80.8%" holds two numbers); nested <mark>s would be invalid.
    """
    clean = sorted(
        (Span(max(0, s.start), min(length, s.end), s.label) for s in spans if s.end > s.start),
        key=lambda s: (s.start, s.end),
    )
    merged: list[Span] = []
    for s in clean:
        if s.end <= s.start:
            continue
        if merged and s.start < merged[-1].end:
            last = merged[-1]
            labels = [x for x in (last.label, s.label) if x]
            merged[-1] = Span(last.start, max(last.end, s.end), "; ".join(dict.fromkeys(labels)))
        else:
            merged.append(s)
    return merged


def _text(piece: str) -> str:
    """The piece's LaTeX rendered (tracker.latex: pieces are cut at the raw offsets, so marks stay on their
    spans), escaped; `$` too, so that Markdown's math never fires, and newlines as <br>."""
    return html.escape(readable(piece), quote=True).replace("$", "&#36;").replace("\n", "<br>")


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    """`text` as one HTML block (no blank line, so Markdown leaves it alone) with spans in <mark>."""
    out: list[str] = ['<div class="claimtrack-abstract" style="line-height:1.7">']
    pos = 0
    for s in merge_spans(spans, len(text)):
        out.append(_text(text[pos : s.start]))
        title = f' title="{html.escape(s.label, quote=True)}"' if s.label else ""
        out.append(f"<mark{title}>{_text(text[s.start : s.end])}</mark>")
        pos = s.end
    out.append(_text(text[pos:]))
    out.append("</div>")
    return "".join(out)
