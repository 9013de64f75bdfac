"""The `tracker` command line (Typer). Thin: each command parses options and calls the library.

User errors (a bad input file, a missing database, an unsafe query...) are ValueErrors with a
one-line message: printed to stderr as `error: MESSAGE`, exit status 1, no traceback.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import decimal
import json
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

DEFAULT_DB = "claimtrack.duckdb"

app = typer.Typer(
    name="tracker",
    help="claimtrack: benchmark claims from ML abstracts, stored in DuckDB, served as leaderboards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


DbOpt = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
VocabOpt = typer.Option(None, "--vocab", help="Extra vocabulary YAML file (repeatable).")
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Extraction processes (default: number of cores; 1 = in-process).")
ReaderFmtOpt = typer.Option(None, "--input-format", help="Force the reader format instead of detecting it.")


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """ValueError (and the readers' ReaderError) -> one line on stderr, exit 1."""
    try:
        from tracker.readers import ReaderError
    except ImportError:  # readers not there yet
        ReaderError = ValueError  # type: ignore[misc,assignment]
    try:
        yield
    except (ValueError, ReaderError) as e:
        _err(" ".join(str(e).split()) or type(e).__name__)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:
        raise typer.Exit(0) from None


def _vocab_paths(vocab: Optional[list[Path]]) -> list[str]:
    return [str(v) for v in (vocab or [])]


# --- output of DataFrames ---


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (_dt.datetime, _dt.date)):
        if isinstance(v, _dt.datetime) and v.time() == _dt.time(0):
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):  # numpy scalars
        try:
            return _jsonable(v.item())
        except (ValueError, AttributeError):
            pass
    if hasattr(v, "tolist"):  # numpy arrays (list columns)
        return [_jsonable(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _print_df(df: Any, fmt: OutFormat) -> None:
    cols = [str(c) for c in df.columns]
    rows = [[_jsonable(v) for v in r] for r in df.itertuples(index=False, name=None)]
    if fmt is OutFormat.json:
        for r in rows:
            sys.stdout.write(json.dumps(dict(zip(cols, r)), ensure_ascii=False) + "\n")
    elif fmt is OutFormat.csv:
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(cols)
        w.writerows([["" if v is None else (json.dumps(v) if isinstance(v, (list, dict)) else v) for v in r] for r in rows])
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(show_lines=False)
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*["NULL" if v is None else str(v) for v in r])
        Console(width=max(120, Console().width)).print(t)
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


# --- commands ---


@app.command()
def load(
    inputs: Optional[list[Path]] = typer.Argument(None, help="Input files or directories (any supported format, .gz ok)."),
    sample: bool = typer.Option(False, "--sample", help="Load the bundled sample (HF daily papers about transformers)."),
    db: Path = DbOpt,
    vocab: Optional[list[Path]] = VocabOpt,
    jobs: Optional[int] = JobsOpt,
    reextract: bool = typer.Option(False, "--reextract", help="Re-extract every paper, changed or not."),
    batch_size: int = typer.Option(2000, "--batch-size", min=1, help="Papers per batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    input_format: Optional[str] = ReaderFmtOpt,
) -> None:
    """Read papers, extract their claims and store both. Each input file is one transaction."""
    from tracker import pipeline

    with _user_errors():
        paths: list[Path] = list(inputs or [])
        if sample:
            paths.insert(0, pipeline.sample_path())
        if not paths:
            raise ValueError("nothing to load: give input files or directories, or --sample")
        several = len(paths) > 1 or any(p.is_dir() for p in paths)

        def on_file(fr: pipeline.FileResult) -> None:
            if several:
                print(fr.line(), flush=True)

        res = pipeline.load(
            paths, db, vocab_paths=_vocab_paths(vocab), jobs=jobs, batch_size=batch_size,
            reextract=reextract, progress=not quiet, fmt=input_format, on_file=on_file,
        )  # fmt: skip
        print(res.summary())


@app.command()
def sql(
    query: str = typer.Argument(..., help="One SQL statement (tables and views: see docs/schema.md)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
    read_only: bool = typer.Option(
        True, "--read-only/--write", help="--write opens a normal connection (admin use: any statement)."
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Stop the query after this many seconds (0 = no limit)."),
    max_rows: int = typer.Option(10_000, "--max-rows", min=1, help="Print at most this many rows."),
) -> None:
    """Run one SQL query (read-only and without file or network access unless --write)."""
    from tracker.store import Store, connect_readonly
    from tracker.store.safe_sql import run_user_sql

    with _user_errors():
        if read_only:
            con = connect_readonly(db)
        else:
            con = Store(db).con
        try:
            df = run_user_sql(con, query, timeout_s=timeout, max_rows=max_rows, allow_writes=not read_only)
        finally:
            con.close()
        if len(df.columns):
            _print_df(df, fmt)
        else:
            print("ok", file=sys.stderr)
        if df.attrs.get("truncated"):
            print(f"note: only the first {max_rows} rows are shown (--max-rows)", file=sys.stderr)


@app.command()
def leaderboard(
    dataset: str = typer.Option(..., "--dataset", help="Canonical dataset name, e.g. ImageNet-1K."),
    metric: str = typer.Option(..., "--metric", help="Canonical metric name, e.g. top1_accuracy."),
    task: Optional[str] = typer.Option(None, "--task", help="Only claims of this task (default: any)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Print one leaderboard: the best claim per model, ranked by the metric's direction."""
    from tracker.store import connect_readonly, queries

    with _user_errors():
        con = connect_readonly(db)
        try:
            df = queries.leaderboard(con, dataset=dataset, metric=metric, task=task)
        finally:
            con.close()
        if df.empty:
            what = f"dataset {dataset!r}, metric {metric!r}" + (f", task {task!r}" if task else "")
            raise ValueError(f"no leaderboard for {what} in {db} (list them: tracker sql 'SELECT * FROM leaderboards')")
        _print_df(df, fmt)


@app.command()
def export(
    db: Path = DbOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Directory: one CSV per leaderboard plus index.csv."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="Export only this leaderboard (with --metric, -o)."),
    metric: Optional[str] = typer.Option(None, "--metric"),
    task: Optional[str] = typer.Option(None, "--task"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File for a single leaderboard."),
) -> None:
    """Write leaderboards as CSV files (atomically)."""
    from tracker import export as ex
    from tracker.store import connect_readonly

    with _user_errors():
        single = dataset is not None or metric is not None or output is not None
        if single and (dataset is None or metric is None or output is None):
            raise ValueError("a single leaderboard needs --dataset, --metric and -o FILE")
        if not single and out is None:
            raise ValueError("give --out DIR (all leaderboards) or --dataset/--metric -o FILE (one)")
        con = connect_readonly(db)
        try:
            if single:
                n = ex.export_one(con, output, dataset=dataset, metric=metric, task=task)
                print(f"wrote {output} ({n} models)")
            else:
                paths = ex.export_all(con, out)
                print(f"wrote {len(paths) - 1} leaderboards and {out / 'index.csv'}")
        finally:
            con.close()


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Input files or directories."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSON lines here (default: stdout)."),
    vocab: Optional[list[Path]] = VocabOpt,
    jobs: Optional[int] = JobsOpt,
    input_format: Optional[str] = ReaderFmtOpt,
) -> None:
    """Extract claims without a database: one JSON object per claim (`paper` = title, as score.py expects)."""
    from tracker import pipeline
    from tracker.export import write_atomic

    with _user_errors():
        claims = pipeline.extract(inputs, vocab_paths=_vocab_paths(vocab), jobs=jobs, fmt=input_format)
        if output is None:
            for c in claims:
                sys.stdout.write(json.dumps(c, ensure_ascii=False) + "\n")
        else:
            lines = [json.dumps(c, ensure_ascii=False) + "\n" for c in claims]
            write_atomic(output, "".join(lines))
            print(f"wrote {len(lines)} claims to {output}", file=sys.stderr)


@app.command("eval")
def eval_(
    gold: Path = typer.Argument(..., help="Gold claims (JSON lines, shared/ANNOTATION.md)."),
    papers: Optional[list[Path]] = typer.Option(None, "--papers", help="Papers to extract from (default: the bundled sample)."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Score this predictions file instead of extracting."),
    show: int = typer.Option(0, "--show", min=0, help="Print N misses and false positives."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object, as score.py --json."),
    vocab: Optional[list[Path]] = VocabOpt,
    jobs: Optional[int] = JobsOpt,
) -> None:
    """Precision/recall/F1 of the extractor against a gold file, with the figures of shared/tools/score.py."""
    from tracker import evaluate, pipeline

    with _user_errors():
        gold_claims = evaluate.load_jsonl(gold)
        evaluate.check_gold(gold_claims, gold)
        if pred is not None:
            if papers:
                raise ValueError("give --papers or --pred, not both")
            predicted = evaluate.load_jsonl(pred)
        else:
            inputs = list(papers or [pipeline.sample_path()])
            predicted = list(pipeline.extract(inputs, vocab_paths=_vocab_paths(vocab), jobs=jobs))
        res = evaluate.score(gold_claims, predicted)
        sys.stdout.write(evaluate.format_result(res, as_json=as_json, show=show))


def _dashboard_app() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("dashboard")
    candidates = []
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "app.py" for p in spec.submodule_search_locations]
    candidates.append(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
    for c in candidates:
        if c.is_file():
            return c
    raise ValueError("dashboard/app.py not found (is claimtrack installed with its dashboard?)")


@app.command()
def dashboard(
    db: Path = DbOpt,
    port: int = typer.Option(8501, "--port", min=1, max=65535, help="Port to serve on."),
    host: str = typer.Option("localhost", "--host", help="Address to listen on."),
) -> None:
    """Start the Streamlit dashboard on the database (`streamlit run dashboard/app.py`)."""
    from tracker.store import connect_readonly

    with _user_errors():
        connect_readonly(db).close()  # a clear message now rather than in the browser
        script = _dashboard_app()
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.port", str(port), "--server.address", host,
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--", "--db", str(Path(db).resolve()),
        ]  # fmt: skip
        env = dict(os.environ, CLAIMTRACK_DB=str(Path(db).resolve()))
        print(f"dashboard on http://{host}:{port} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        sys.stdout.flush()
        # Replace this process: signals (Ctrl-C, kill PID) reach streamlit itself, no orphan is left.
        os.execve(sys.executable, cmd, env)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
