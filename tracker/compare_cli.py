"""`tracker compare MODEL MODEL...`: every board where the models meet, side by side, with the evidence of
each number (registered by tracker/cli.py in one line). Thin: the query is queries.compare_models, which
the dashboard's Compare page calls too."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli import FORMAT_HELP, DbOpt, OutFormat, WithBaselinesOpt, _print_df, _user_errors


def compare(
    models: list[str] = typer.Argument(..., help="Model names as the boards show them (case does not matter)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help=FORMAT_HELP),
    with_baselines: bool = WithBaselinesOpt,
) -> None:
    """Every leaderboard where the models meet (with one model: all of its boards), each model's rank, value
    and evidence side by side; boards where more of them meet first."""
    from tracker.store import connect_readonly, queries
    from tracker.suggest import did_you_mean

    with _user_errors():
        con = connect_readonly(db)
        try:
            known = queries.board_models(con)
            lower = {m.lower() for m in known}
            unknown = [m for m in models if m.strip().lower() not in lower]
            if unknown:
                raise ValueError("; ".join(f"no model {m!r} on any leaderboard in {db}{did_you_mean(m, known)}" for m in unknown))
            df = queries.compare_models(con, models, with_baselines=with_baselines)
        finally:
            con.close()
        if df.empty:
            raise ValueError(f"the models {', '.join(map(repr, models))} share no leaderboard in {db}"
                             + ("" if with_baselines else " with own results (--with-baselines adds quoted baselines)"))
        _print_df(df, fmt)


def register(root: typer.Typer) -> None:
    root.command("compare")(compare)
