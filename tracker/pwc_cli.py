"""`tracker pwc import|diff|unmapped` and `tracker conflicts` (registered by tracker/cli.py: `register(app)`).

Thin, like the rest of the CLI: options parsed here, work done by tracker.pwc.importer and
tracker.store.pwc_queries.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from tracker.cli import DbOpt, JobsOpt, OutFormat, VocabOpt, _print_df, _user_errors, _vocab_paths

app = typer.Typer(
    help="Papers with Code's archive: import its dump files, check them against the abstracts.",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip

FmtOpt = typer.Option(OutFormat.table, "--format", "-f", help="Output format.")
DatasetOpt = typer.Option(None, "--dataset", help="Only this dataset (canonical name).")
MetricOpt = typer.Option(None, "--metric", help="Only this metric (canonical name or other:<name>).")


@app.command("import")
def import_(
    inputs: list[Path] = typer.Argument(..., help="evaluation-tables.json, papers-with-abstracts.json, datasets.json, methods.json (.gz ok), any order."),
    db: Path = DbOpt,
    vocab: Optional[list[Path]] = VocabOpt,
    jobs: Optional[int] = JobsOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Import the archive: results become claims with origin 'pwc', papers are loaded and extracted."""
    from tracker.pwc.importer import import_archive

    with _user_errors():
        res = import_archive(inputs, db, vocab_paths=_vocab_paths(vocab), jobs=jobs, progress=not quiet)
        for line in res.lines():
            print(line)


@app.command()
def unmapped(db: Path = DbOpt, fmt: OutFormat = FmtOpt) -> None:
    """Archive metric names the vocabulary does not know (kept as other:<name>), most results first."""
    from tracker.store import connect_readonly
    from tracker.store import pwc_queries as q

    with _user_errors():
        con = connect_readonly(db)
        try:
            df = q.unmapped_metrics(con)
        finally:
            con.close()
        _print_df(df, fmt)


@app.command()
def diff(
    db: Path = DbOpt,
    dataset: Optional[str] = DatasetOpt,
    metric: Optional[str] = MetricOpt,
    show: str = typer.Option("value differs", "--show", help="Statuses of the rows to list, comma-separated ('' for none)."),
    limit: int = typer.Option(200, "--limit", min=0, help="At most this many rows."),
    fmt: OutFormat = FmtOpt,
) -> None:
    """Archive vs abstracts: counts per leaderboard, the differing rows, the extractor's recall."""
    from tracker.store import connect_readonly
    from tracker.store import pwc_queries as q

    with _user_errors():
        statuses = tuple(s.strip() for s in show.split(",") if s.strip())
        unknown = set(statuses) - {"confirmed", "value differs", "only in archive", "only extracted"}
        if unknown:
            raise ValueError(f"--show: unknown status {sorted(unknown)[0]!r} (confirmed, value differs, only in archive, only extracted)")
        con = connect_readonly(db)
        try:
            counts = q.diff_counts(con, dataset=dataset, metric=metric)
            rows = q.diff_rows(con, statuses=statuses, dataset=dataset, metric=metric, limit=limit) if statuses and limit else None
            recall = q.extractor_recall(con, dataset=dataset, metric=metric)
        finally:
            con.close()
        _print_df(counts, fmt)
        if rows is not None:
            _print_df(rows, fmt)
        r = recall["recall"]
        print(
            "extractor recall on archived results whose number is in the abstract: "
            + (f"{r:.1%} ({recall['found']} of {recall['in_abstract']})" if r is not None else "n/a (none)")
            + f"; {recall['archived']} archived results of {recall['papers']} papers with an abstract",
            file=sys.stdout if fmt is OutFormat.table else sys.stderr,
        )


def conflicts(
    db: Path = DbOpt,
    dataset: Optional[str] = DatasetOpt,
    metric: Optional[str] = MetricOpt,
    origin: Optional[str] = typer.Option(None, "--origin", help="pwc: conflicts involving the archive; extracted: the abstracts."),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many conflicts."),
    fmt: OutFormat = FmtOpt,
) -> None:
    """Where papers disagree: the same model, dataset and metric reported with different values."""
    from tracker.store import connect_readonly
    from tracker.store import pwc_queries as q

    with _user_errors():
        con = connect_readonly(db)
        try:
            df = q.conflicts(con, dataset=dataset, metric=metric, origin=origin, limit=limit)
        finally:
            con.close()
        _print_df(df.drop(columns=["model_key"]) if fmt is OutFormat.table else df, fmt)


def register(root: typer.Typer) -> None:
    """Add `pwc ...` and `conflicts` to the tracker command."""
    root.add_typer(app, name="pwc")
    root.command("conflicts")(conflicts)
