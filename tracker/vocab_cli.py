"""`tracker vocab stats` and `tracker vocab find TEXT`: the vocabulary's counts, sources and collisions,
and what a phrase resolves to and why. Thin: the work is in tracker.vocab_lookup."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from tracker.vocab import VocabError, load_vocab
from tracker.vocab_lookup import index_for, stats

app = typer.Typer(name="vocab", help="The vocabulary: counts, sources, collisions, and what a phrase resolves to.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)  # fmt: skip
VocabOpt = typer.Option(None, "--vocab", help="Extra vocabulary YAML file (repeatable).")


def _vocab(paths: Optional[list[Path]]):
    try:
        return load_vocab(*(paths or []))
    except VocabError as e:
        print(f"error: {e}", file=sys.stderr)
        raise typer.Exit(1) from None


@app.command("stats")
def stats_cmd(
    vocab: Optional[list[Path]] = VocabOpt,
    show: int = typer.Option(20, "--show", min=0, help="Collisions to list (all are counted)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
) -> None:
    """Entries per kind and per source, how metric directions were decided, tasks per area, collisions."""
    s = stats(_vocab(vocab))
    if as_json:
        print(json.dumps(s, ensure_ascii=False))
        return
    for kind in ("datasets", "tasks", "metrics"):
        k = s[kind]
        src = ", ".join(f"{n} {c:,}" for n, c in k["by_source"].items())
        print(f"{kind}: {k['entries']:,} entries, {k['aliases']:,} aliases, {k['context_only']:,} ambiguous names (context only); "
              f"by source: {src}")  # fmt: skip
    print("metric directions: " + ", ".join(f"{n} {c:,}" for n, c in s["metric_directions"].items())
          + f"; without a direction: {s['metrics_without_direction']}")  # fmt: skip
    print("task areas: " + ", ".join(f"{n} {c:,}" for n, c in s["task_areas"].items()))
    print(f"datasets with splits or settings as conditions: {s['datasets_with_conditions']:,}")
    col = s["collisions"]
    print(f"collisions (one matched name, two entries): {len(col)}")
    for name, owners in col[:show]:
        print(f"  {name!r}: {', '.join(owners)}")


@app.command("find")
def find_cmd(
    text: str = typer.Argument(..., help="A phrase: a dataset, benchmark, task or metric name."),
    vocab: Optional[list[Path]] = VocabOpt,
    as_json: bool = typer.Option(False, "--json", help="JSON lines."),
) -> None:
    """What TEXT resolves to: alias, variant (metric + condition), split (dataset + condition), or ambiguous."""
    hits = index_for(_vocab(vocab)).find(text)
    if not hits:
        print(f"{text!r}: not in the vocabulary")
        raise typer.Exit(1)
    for h in hits:
        if as_json:
            print(json.dumps({"kind": h.kind[:-1], "name": h.name, "via": h.via, "how": h.how, "condition": h.condition,
                              "source": list(h.source), "report_as": h.report_as}, ensure_ascii=False))  # fmt: skip
        else:
            print(h.why())
