"""`tracker sota --dataset D --metric M`: the state of the art over time of one board, in the terminal or as
CSV/JSON (registered by tracker/cli.py in one line). Thin: the query is queries.sota_over_time, which the
dashboard's SOTA page draws."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Optional

import typer

from tracker.cli import FORMAT_HELP, DbOpt, OutFormat, RawOpt, SinceOpt, UntilOpt, WithBaselinesOpt, _print_df, _user_errors

COLUMNS = ["published", "value", "running_best", "is_record", "model", "origin", "role", "title", "paper_id"]


def sota(
    dataset: str = typer.Option(..., "--dataset", help="Canonical dataset name, e.g. ImageNet-1K."),
    metric: str = typer.Option(..., "--metric", help="Canonical metric name, e.g. top1_accuracy."),
    task: Optional[str] = typer.Option(None, "--task", help="Only claims of this task (default: any)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help=FORMAT_HELP),
    raw: bool = RawOpt,
    since: Optional[_dt.datetime] = SinceOpt,
    until: Optional[_dt.datetime] = UntilOpt,
    with_baselines: bool = WithBaselinesOpt,
    records: bool = typer.Option(False, "--records", help="Only the claims that set a new state of the art."),
) -> None:
    """The state of the art over time: every dated claim of a board in date order with the running best
    (own results only unless --with-baselines; with --since it starts there); is_record marks each claim that
    beat every earlier one."""
    from tracker.store import connect_readonly, queries

    with _user_errors():
        con = connect_readonly(db)
        try:
            df = queries.sota_over_time(
                con, dataset=dataset, metric=metric, task=task, with_baselines=with_baselines,
                since=since.date() if since else None, until=until.date() if until else None,
            )  # fmt: skip
        finally:
            con.close()
        if df.empty:
            what = f"dataset {dataset!r}, metric {metric!r}" + (f", task {task!r}" if task else "")
            which = "dated claims" if with_baselines else "dated own results"
            span = " in that date range" if since or until else ""
            raise ValueError(f"no {which} for {what}{span} in {db}"
                             + ("" if with_baselines else " (--with-baselines adds quoted baselines)"))  # fmt: skip
        if records:
            df = df[df["is_record"]]
        _print_df(df[COLUMNS], fmt, raw=raw)


def register(root: typer.Typer) -> None:
    root.command("sota")(sota)
