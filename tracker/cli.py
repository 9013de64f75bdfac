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
import shutil
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

DEFAULT_DB = "claimtrack.duckdb"
SQL_BATCH_ROWS = 2048  # rows fetched at a time when `tracker sql` streams csv/json

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
    json = "json"  # JSON lines (one object a line: streams, and `head` keeps it valid), as jsonl
    jsonl = "jsonl"


FORMAT_HELP = "Output format: table (fits the terminal), csv, json or jsonl (both JSON lines: one object a line)."


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    json = "json"


DbOpt = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
VocabOpt = typer.Option(None, "--vocab", help="Extra vocabulary YAML file (repeatable).")
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Extraction processes (default: number of cores; 1 = in-process).")
ReaderFmtOpt = typer.Option(
    None, "--input-format",
    # tracker.readers.FORMATS, written out: importing the readers would cost every command 0.2 s
    # (tests/cli/test_terminal_tables.py::test_input_format_help_lists_every_reader keeps them equal)
    help="Force the reader format instead of detecting it: hf_daily_text, hf_daily_json, arxiv_atom, "
    "arxiv_snapshot, jsonl, csv, openalex, semantic_scholar, pwc_papers.",
)  # fmt: skip
SinceOpt = typer.Option(None, "--since", formats=["%Y-%m-%d"],
                        help="Only papers published on or after this date (YYYY-MM-DD); undated papers are left out.")
UntilOpt = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Only papers published on or before this date (YYYY-MM-DD).")
WithBaselinesOpt = typer.Option(
    False, "--with-baselines",
    help="Also rank the numbers papers quote for baselines (models they did not introduce); default: own results only.",
)
RawOpt = typer.Option(
    False, "--raw", help="CSV: write text cells as they are (by default a cell starting with = + - @, tab or CR gets a ' in front, so that a spreadsheet does not run it as a formula)."
)  # fmt: skip


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """ValueError (and the readers' ReaderError) -> one line on stderr, exit 1."""
    from tracker.readers import ReaderError

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
    except Exception as e:
        if not _is_duckdb_error(e):
            raise
        # e.g. out of memory or a full disk; every write is a transaction, rolled back
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        _err(f"database error: {first}")
        raise typer.Exit(1) from None


def _is_duckdb_error(e: BaseException) -> bool:
    """A DuckDB error: only possible once duckdb is imported, so a command that never opens a database (`tracker
    extract`) does not import it (~0.25 s of its start) just to catch it."""
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(e, duckdb.Error)


def _vocab_paths(vocab: Optional[list[Path]]) -> list[str]:
    return [str(v) for v in (vocab or [])]


# --- output of DataFrames ---


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if type(v).__name__ == "NaTType":  # pandas' missing timestamp (a datetime subclass without a time)
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


def _csv_value(v: Any) -> Any:
    return "" if v is None else (json.dumps(v) if isinstance(v, (list, dict)) else v)


class _RowWriter:
    """Rows (of already `_jsonable` values) written as CSV or JSON lines as they come: nothing is kept."""

    def __init__(self, f: Any, fmt: OutFormat, cols: list[str], *, raw: bool = False) -> None:
        from tracker.output import csv_writer

        self.f, self.fmt, self.cols = f, fmt, cols
        if fmt is OutFormat.csv:
            self.w = csv_writer(f, raw=raw)
            self.w.writerow(cols)

    def rows(self, rows: Any) -> None:
        if self.fmt in (OutFormat.json, OutFormat.jsonl):
            cols = self.cols
            self.f.write("".join(json.dumps(dict(zip(cols, r)), ensure_ascii=False) + "\n" for r in rows))
        else:
            self.w.writerows([_csv_value(v) for v in r] for r in rows)


def _print_df(df: Any, fmt: OutFormat, *, raw: bool = False) -> None:
    cols = [str(c) for c in df.columns]
    rows = [[_jsonable(v) for v in r] for r in df.itertuples(index=False, name=None)]
    if fmt is not OutFormat.table:
        _RowWriter(sys.stdout, fmt, cols, raw=raw).rows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        from tracker.latex import readable

        cells = [["NULL" if v is None else str(readable(v) if c in LATEX_COLUMNS and isinstance(v, str) else v)
                  for c, v in zip(cols, r)] for r in rows]
        left_out = []
        for c in DROP_TO_FIT:  # the least needed columns go until the table fits
            if _min_width(cols, cells) <= _table_width() or len(cols) <= 2:
                break
            if c in cols:
                i = cols.index(c)
                cols, cells = cols[:i] + cols[i + 1 :], [r[:i] + r[i + 1 :] for r in cells]
                left_out.append(c)
        widths = _column_widths(cols, cells, _table_width())
        t = Table(show_lines=False)
        for c, w in zip(cols, widths):
            cut = c in LONG_TEXT_COLUMNS  # cut with an ellipsis; ids and dates are never wrapped nor cut
            t.add_column(c, width=w, no_wrap=cut or _whole(c), overflow="ellipsis" if cut else "fold")
        for r in cells:
            t.add_row(*r)
        Console(width=max(_table_width(), sum(widths) + 3 * len(widths) + 1)).print(t)
        named = ", ".join(left_out[:2]) + (f" and {len(left_out) - 2} more" if len(left_out) > 2 else "")
        more = f"; left out to fit the terminal: {named} (-f csv has every column)" if left_out else ""
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{more})")


# Terminal tables (tracker/latex.py renders the abstracts' LaTeX in these; stored text stays verbatim).
LATEX_COLUMNS = frozenset({"title", "quote", "abstract", "conditions", "comparator"})
LONG_TEXT_COLUMNS = frozenset({"title", "quote", "abstract", "note", "conditions", "comparator", "url"})
WHOLE_COLUMNS = frozenset({"published", "created_at", "reviewed_at", "loaded_at", "rank", "value", "unit"})


def _whole(col: str) -> bool:
    return col.endswith("_id") or col in WHOLE_COLUMNS


# Left out of a terminal table, in this order, while it is wider than the terminal.
DROP_TO_FIT = (
    "note", "reviewer", "origin", "comparator", "direction", "qualifier", "conditions", "kind", "task",
    "other_max", "other_min", "role", "other_papers", "paper_id", "url", "loaded_at", "published",
)


def _min_width(cols: list[str], cells: list[list[str]]) -> int:
    """The narrowest the table can be: whole columns full, folded ones 10, long texts 12, and the borders."""
    natural = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    least = [n if _whole(c) else min(n, 12 if c in LONG_TEXT_COLUMNS else max(10, len(c))) for c, n in zip(cols, natural)]
    return sum(least) + 3 * len(cols) + 1


def _column_widths(cols: list[str], cells: list[list[str]], total: int) -> list[int]:
    """Each column's width in a terminal `total` wide: ids, dates and short values their full width; other
    columns at most 24 (folded; down to 10 when the table does not fit); long text (titles, quotes) shares what is left, 12 at least, titles and
    quotes twice the others' share. Wider than `total` only when the whole columns alone are."""
    natural = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    text = [i for i, c in enumerate(cols) if c in LONG_TEXT_COLUMNS]
    for cap in (24, 20, 16, 12, 10):  # folded columns narrower until the texts get 12 each
        widths = [n if _whole(c) or c in LONG_TEXT_COLUMNS else min(n, max(cap, len(c))) for c, n in zip(cols, natural)]
        if sum(w for i, w in enumerate(widths) if i not in text) + 12 * len(text) + 3 * len(cols) + 1 <= total:
            break
    room = total - 3 * len(cols) - 1 - sum(w for i, w in enumerate(widths) if i not in text)
    weight = {i: 2 if cols[i] in ("title", "quote") else 1 for i in text}
    for i in sorted(text, key=lambda i: natural[i]):  # narrow texts first: what they leave goes to the others
        share = room * weight[i] // sum(weight.values())
        widths[i] = max(min(natural[i], 12), min(natural[i], share))
        room -= widths[i]
        weight.pop(i)
    return widths


def _table_width() -> int:
    """The terminal's width (or $COLUMNS); 160 when stdout is not a terminal and $COLUMNS is unset."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdigit():
        return shutil.get_terminal_size((160, 24)).columns
    return 160


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
    """Read papers, extract their claims and store both. The whole load is one transaction: on any error
    nothing of any input file is written."""
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


@contextlib.contextmanager
def _sql_cursor(
    db: Path, query: str, *, timeout_s: float, max_rows: int, write: bool, limits: Any, hold: bool = False
) -> Iterator[Any]:
    """The running statement of `tracker sql`: read-only in a SQL child (sandbox.readonly_query; `hold`:
    the rows are kept, for a table), a --write on an admin connection in this process
    (safe_sql.user_query: one transaction, schema guard)."""
    from tracker.store.safe_sql import user_query
    from tracker.store.sandbox import readonly_query
    from tracker.store.store import connect_admin

    if not write:
        with readonly_query(db, query, timeout_s=timeout_s, max_rows=max_rows, limits=limits, hold=hold) as cur:
            yield cur
        return
    con = connect_admin(db)
    try:
        with user_query(con, query, timeout_s=timeout_s, allow_writes=True) as cur:
            yield cur
    finally:
        con.close()


@app.command()
def sql(
    query: str = typer.Argument(..., help="One SQL statement (tables and views: see docs/schema.md)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help=FORMAT_HELP),
    read_only: bool = typer.Option(
        True, "--read-only/--write", help="--write opens a normal connection (admin use: any statement)."
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Stop the query after this many seconds (0 = no limit)."),
    max_rows: int = typer.Option(10_000, "--max-rows", min=1, help="Print at most this many rows."),
    memory_limit: Optional[str] = typer.Option(
        None, "--memory-limit", help="Memory a read-only query may use, e.g. 2GB (default $CLAIMTRACK_SQL_MEMORY or 1GB)."
    ),
    threads: Optional[int] = typer.Option(
        None, "--threads", min=1, help="Threads of a read-only query (default $CLAIMTRACK_SQL_THREADS or 2)."
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the csv/json result to this file (atomically; default: stdout)."),
    raw: bool = RawOpt,
) -> None:
    """Run one SQL query (read-only and without file or network access unless --write).

    A read-only query runs in a child process that is killed at the timeout, its memory capped
    (tracker/store/sandbox.py); a --write runs here, in one transaction, under the schema guard."""
    from tracker.output import open_output, protected_paths
    from tracker.reviews import warn
    from tracker.store.limits import SQLLimits
    from tracker.store.safe_sql import result_frame
    from tracker.store.store import finish_admin_write

    with _user_errors():
        from tracker.store.parquet import is_extracted_dir

        if output is not None and fmt is OutFormat.table:
            raise ValueError("--output needs --format csv or json")
        protect = protected_paths(db=db)
        if output is not None:
            from tracker.output import check_output

            check_output(output, protect)  # before the query runs (and before a --write changes anything)
        if is_extracted_dir(db) and not read_only:
            raise ValueError(f"{db}: an extracted directory is read in place: --write needs a database (tracker load it first)")
        limits = SQLLimits.from_env(memory=memory_limit, threads=threads)
        truncated = False
        written: dict[str, Any] = {}  # what a --write did (WriteResult: reviews_changed, wrote)
        if fmt is OutFormat.table:
            with _sql_cursor(db, query, timeout_s=timeout, max_rows=max_rows, write=not read_only, limits=limits, hold=True) as cur:
                names = None if cur.description is None else [d[0] for d in cur.description]
                rows = cur.fetchmany(max_rows + 1) if names is not None else []
                written = vars(cur) if not read_only else {}
            truncated = len(rows) > max_rows
            if names is not None:
                _print_df(result_frame(names, rows[:max_rows], truncated, max_rows), fmt)
            else:
                print("ok", file=sys.stderr)
        else:
            # Streamed: rows go out in batches as DuckDB produces them, never held all at once.
            with _sql_cursor(db, query, timeout_s=timeout, max_rows=max_rows, write=not read_only, limits=limits) as cur:
                if cur.description is None:
                    print("ok", file=sys.stderr)
                else:
                    with open_output(output, protect=protect) as f:
                        w = _RowWriter(f, fmt, [d[0] for d in cur.description], raw=raw)
                        left = max_rows
                        while left > 0:
                            batch = cur.fetchmany(min(SQL_BATCH_ROWS, left))
                            if not batch:
                                break
                            left -= len(batch)
                            w.rows([[_jsonable(v) for v in r] for r in batch])
                        truncated = left == 0 and bool(cur.fetchmany(1))
                written = vars(cur) if not read_only else {}
        if not read_only:
            for msg in finish_admin_write(db, written["reviews_changed"], wrote=written["wrote"]):
                warn(msg)
        if truncated:
            print(f"note: only the first {max_rows} rows are shown (--max-rows)", file=sys.stderr)
        if output is not None and str(output) != "-":
            print(f"wrote {output}", file=sys.stderr)


@app.command()
def leaderboard(
    dataset: str = typer.Option(..., "--dataset", help="Canonical dataset name, e.g. ImageNet-1K."),
    metric: str = typer.Option(..., "--metric", help="Canonical metric name, e.g. top1_accuracy."),
    task: Optional[str] = typer.Option(None, "--task", help="Only claims of this task (default: any)."),
    db: Path = DbOpt,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help=FORMAT_HELP),
    raw: bool = RawOpt,
    since: Optional[_dt.datetime] = SinceOpt,
    until: Optional[_dt.datetime] = UntilOpt,
    with_baselines: bool = WithBaselinesOpt,
) -> None:
    """Print one leaderboard: each model's best own result (the paper's own number), ranked by the metric's
    direction; other_papers/other_min/other_max: what other papers report for the same model."""
    from tracker.store import connect_readonly, queries

    with _user_errors():
        con = connect_readonly(db)
        try:
            df = queries.leaderboard(
                con, dataset=dataset, metric=metric, task=task, with_baselines=with_baselines,
                since=since.date() if since else None, until=until.date() if until else None,
            )  # fmt: skip
            index = queries.leaderboard_index(con) if df.empty else None
            quoted = not with_baselines and df.empty and not queries.leaderboard(
                con, dataset=dataset, metric=metric, task=task, with_baselines=True, reported=False,
                since=since.date() if since else None, until=until.date() if until else None,
            ).empty  # fmt: skip
        finally:
            con.close()
        if quoted:
            raise ValueError(f"no own result on dataset {dataset!r}, metric {metric!r} in {db}: only numbers papers "
                             "quote for baselines (add --with-baselines to rank them)")  # fmt: skip
        if index is not None and (since or until) and ((index["dataset"] == dataset) & (index["metric"] == metric)).any():
            span = f"{since:%Y-%m-%d}" if since else "any date"
            raise ValueError(f"no claim on dataset {dataset!r}, metric {metric!r} from papers published between "
                             f"{span} and {f'{until:%Y-%m-%d}' if until else 'today'} in {db}")  # fmt: skip
        if index is not None:
            from tracker.suggest import did_you_mean

            what = f"dataset {dataset!r}, metric {metric!r}" + (f", task {task!r}" if task else "")
            hints = [
                f"{kind} {name!r}{hint}" for kind, name in (("dataset", dataset), ("metric", metric), ("task", task))
                if name and name not in set(index[kind].dropna()) and (hint := did_you_mean(name, index[kind].dropna()))
            ]  # fmt: skip
            raise ValueError(
                f"no leaderboard for {what} in {db}" + (f": {'; '.join(hints)}" if hints else "")
                + " (list them: tracker sql 'SELECT * FROM leaderboards')"
            )
        _print_df(df, fmt, raw=raw)


@app.command()
def export(
    db: Path = DbOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="Directory: one CSV per leaderboard plus index.csv."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="Export only this leaderboard (with --metric, -o)."),
    metric: Optional[str] = typer.Option(None, "--metric"),
    task: Optional[str] = typer.Option(None, "--task"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File for a single leaderboard (- for stdout)."),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="File format (every row has paper_id and url)."),
    raw: bool = RawOpt,
    since: Optional[_dt.datetime] = SinceOpt,
    until: Optional[_dt.datetime] = UntilOpt,
    with_baselines: bool = WithBaselinesOpt,
) -> None:
    """Write leaderboards as CSV, Parquet or JSON files (atomically; never over the database, its WAL or its journal)."""
    from tracker import export as ex
    from tracker.output import STDOUT, protected_paths
    from tracker.store import connect_readonly

    with _user_errors():
        single = dataset is not None or metric is not None or output is not None
        if single and (dataset is None or metric is None or output is None):
            raise ValueError("a single leaderboard needs --dataset, --metric and -o FILE")
        if not single and out is None:
            raise ValueError("give --out DIR (all leaderboards) or --dataset/--metric -o FILE (one)")
        protect = tuple(protected_paths(db=db))
        board = ex.Selection(since=since.date() if since else None, until=until.date() if until else None,
                             with_baselines=with_baselines)  # fmt: skip
        con = connect_readonly(db)
        try:
            if single:
                n = ex.export_one(
                    con, output, dataset=dataset, metric=metric, task=task, fmt=fmt.value, raw=raw, protect=protect,
                    board=board,
                )
                print(f"wrote {output} ({n} models)", file=sys.stderr if str(output) == STDOUT else sys.stdout)
            else:
                paths = ex.export_all(con, out, fmt=fmt.value, raw=raw, protect=protect, board=board)
                print(f"wrote {len(paths) - 1} leaderboards and {paths[-1]}")
        finally:
            con.close()


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Input files or directories."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSON lines here (default: stdout)."),
    vocab: Optional[list[Path]] = VocabOpt,
    jobs: Optional[int] = JobsOpt,
    input_format: Optional[str] = ReaderFmtOpt,
    engine: Optional[str] = typer.Option(
        None, "--engine", help="Run on a cluster engine (dask): -o is then a directory of Parquet partitions."
    ),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Scheduler address (tcp://host:8786); default: a local cluster on this machine's cores."
    ),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Workers of the local cluster (default: cores)."),
) -> None:
    """Extract claims without a database: one JSON object per claim (`paper` = title, as score.py expects).
    With --engine: papers and claims as Parquet partitions in the directory -o (tracker load DIR ingests it)."""
    from tracker import pipeline
    from tracker.output import open_output, protected_paths

    with _user_errors():
        if engine is not None or cluster is not None:
            from tracker import distributed
            from tracker.output import check_output

            if output is None or str(output) == "-":
                raise ValueError("--engine writes a directory of Parquet partitions: give it with -o OUT_DIR")
            # OUT_DIR is replaced whole: never the database, an input, or a directory holding either
            check_output(output, protected_paths(db=DEFAULT_DB, inputs=[*inputs, *(vocab or [])]))
            res = distributed.extract_to_dir(
                inputs, output, engine=engine or "dask", cluster=cluster, workers=workers,
                vocab_paths=_vocab_paths(vocab), fmt=input_format,
            )  # fmt: skip
            print(res.summary(), file=sys.stderr)
            return
        protect = protected_paths(inputs=[*inputs, *(vocab or [])])
        encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(c, ensure_ascii=False), one encoder for all
        with open_output(output, protect=protect) as f:  # a file appears only once every claim is written
            n = 0
            for c in pipeline.extract(inputs, vocab_paths=_vocab_paths(vocab), jobs=jobs, fmt=input_format):
                f.write(encode(c) + "\n")
                n += 1
        if output is not None and str(output) != "-":
            print(f"wrote {n} claims to {output}", file=sys.stderr)


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


# --- reviews: `tracker review ...` (one claim at a time) and `tracker reviews ...` (the whole set) ---

review_app = typer.Typer(
    help="Review claims: list them, accept, reject or correct one, add a claim the extractor missed.",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip
reviews_app = typer.Typer(
    help="All reviews at once: export them as JSON lines, import such a file.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(review_app, name="review")
app.add_typer(reviews_app, name="reviews")
app.add_typer(__import__("tracker.vocab_cli", fromlist=["app"]).app, name="vocab")

NoteOpt = typer.Option(None, "--note", help="Why (kept with the review).")
ReviewerOpt = typer.Option(None, "--reviewer", help="Who reviews (default: $CLAIMTRACK_REVIEWER, else the login name).")
LIST_COLUMNS = ("status", "claim_id", "title", "model", "value", "unit", "metric", "kind", "dataset", "task", "quote", "origin", "note")
ORPHAN_COLUMNS = ("created_at", "action", "paper_id", "value", "metric", "quote", "note", "reviewer", "review_id")


class ReviewStatus(str, Enum):
    unreviewed = "unreviewed"
    accepted = "accepted"
    rejected = "rejected"
    corrected = "corrected"
    added = "added"
    orphaned = "orphaned"


def _reviewer(given: Optional[str]) -> Optional[str]:
    if given:
        return given
    if os.environ.get("CLAIMTRACK_REVIEWER"):
        return os.environ["CLAIMTRACK_REVIEWER"]
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name in some containers
        return None


def _existing_db(db: Path) -> None:
    if not Path(db).is_file():
        raise ValueError(f"{db}: no such database file (create it with `tracker load ... --db {db}`)")


def _journal_scan(db: Path) -> Any:
    """The journal of `db`, read; a warning line on stderr when it is damaged (the good lines still count)."""
    from tracker.reviews import journal_path, scan_journal, warn

    scan = scan_journal(journal_path(db))
    if scan.problems:
        warn(scan.warning() or "")
    return scan


def _pending_note(db: Path, known: set[str]) -> None:
    """Reviews in the journal that the table lacks (written while the database was busy)."""
    from tracker.reviews import journal_path

    pending = {r.review_id for r in _journal_scan(db).reviews} - known
    if pending:
        print(
            f"note: {len(pending)} review(s) in {journal_path(db)} are not applied yet; "
            "the next command that writes to the database applies them",
            file=sys.stderr,
        )


@contextlib.contextmanager
def _review_store(db: Path) -> Iterator[Any]:
    """The database opened for one review; when another process holds it, the message says that the
    review was not recorded anywhere (the CLI journals a review only once the database is open)."""
    from tracker.store import DatabaseLocked, Store, StoreError

    _existing_db(db)
    try:
        store = Store(db)  # opening applies any reviews still only in the journal
    except DatabaseLocked as e:
        raise StoreError(f"{e}; the review was NOT saved (not in the journal either): run the command again") from None
    with store:
        yield store


def _require_reviews(con: Any, db: Path) -> None:
    from tracker.store import queries

    if not queries.has_reviews(con):
        raise ValueError(f"{db}: {queries.NO_REVIEWS_HINT.replace('FILE', str(db))}")


def _vocab_notes(con: Any, fields: dict[str, Any]) -> None:
    """A metric/dataset/task outside the vocabulary is allowed but usually a typo: say so."""
    from tracker.store import queries

    known = queries.known_values(con)
    for field in ("metric", "dataset", "task"):
        v = fields.get(field)
        if isinstance(v, str) and v not in known[field] and not v.startswith("other:"):
            print(f"note: {field} {v!r} is not in the vocabulary (a new {field} on the leaderboards)", file=sys.stderr)


def _claim_text(row: dict[str, Any]) -> str:
    unit = row.get("unit") or ""
    model = row.get("model") or "(no model)"
    return f"{model} {row['value']:g}{unit} {row['metric']} ({row['kind']})"


def _review_one(db: Path, claim_id: str, action: str, *, changes: Optional[dict[str, Any]] = None,
                note: Optional[str], reviewer: Optional[str]) -> None:  # fmt: skip
    from tracker.reviews import make_review
    from tracker.store import queries

    with _review_store(db) as store:
        ids = queries.find_claim_ids(store.con, claim_id)
        if not ids:
            short = "; a prefix needs at least 6 characters" if len(claim_id) < 6 else ""
            raise ValueError(f"no claim {claim_id!r} in {db}{short} (find one with `tracker review list --db {db}`)")
        if len(ids) > 1 and ids[0] != claim_id:
            more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
            raise ValueError(f"claim id prefix {claim_id!r} matches {len(ids)} claims: {', '.join(ids[:10])}{more}; give more characters")
        target = queries.review_target(store.con, ids[0])
        base, current = target["base"], target["current"]
        review = make_review(
            action, base, current=current or base, changes=changes, title=target["title"] or "-",
            note=note, reviewer=_reviewer(reviewer),
        )  # fmt: skip
        if changes:
            _vocab_notes(store.con, review.changes)
        store.add_reviews([review])
        after = queries.review_target(store.con, ids[0])
    verb = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}[action]
    shown = after["current"] or after["base"]
    print(f"{verb} claim {ids[0]}: {_claim_text(shown)} (review {review.review_id})")


@review_app.command("list")
def review_list(
    db: Path = DbOpt,
    status: Optional[ReviewStatus] = typer.Option(None, "--status", help="Only claims with this status; orphaned lists the reviews whose claim is gone (--paper and --metric apply to them)."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="Only claims on this dataset."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Only claims of this metric."),
    paper: Optional[str] = typer.Option(None, "--paper", help="Only claims of this paper id."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many rows."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """List claims with their review status (or, with --status orphaned, the reviews that lost their claim)."""
    from tracker.store import connect_readonly, queries

    with _user_errors():
        con = connect_readonly(db)
        try:
            _require_reviews(con, db)
            if status is ReviewStatus.orphaned:
                df = queries.orphaned_reviews(con, paper=paper, metric=metric, limit=limit)
                cols = ORPHAN_COLUMNS
            else:
                df = queries.review_queue(
                    con, statuses=[status.value] if status else (), datasets=[dataset] if dataset else (),
                    metrics=[metric] if metric else (), paper=paper, limit=limit,
                )  # fmt: skip
                cols = LIST_COLUMNS
            known = queries.review_ids(con)
        finally:
            con.close()
        if fmt is OutFormat.table:
            df = df[[c for c in cols if c in df.columns]]
        _print_df(df, fmt)
        _pending_note(db, known)


@review_app.command("accept")
def review_accept(
    claim_id: str = typer.Argument(..., help="The claim (its id, or a unique prefix of 6+ characters)."),
    db: Path = DbOpt,
    note: Optional[str] = NoteOpt,
    reviewer: Optional[str] = ReviewerOpt,
) -> None:
    """Confirm a claim as read: its leaderboard value then counts as human-reviewed."""
    with _user_errors():
        _review_one(db, claim_id, "accept", note=note, reviewer=reviewer)


@review_app.command("reject")
def review_reject(
    claim_id: str = typer.Argument(..., help="The claim (its id, or a unique prefix of 6+ characters)."),
    db: Path = DbOpt,
    note: Optional[str] = NoteOpt,
    reviewer: Optional[str] = ReviewerOpt,
) -> None:
    """Mark a claim as wrong: it leaves every leaderboard and export (a later accept brings it back)."""
    with _user_errors():
        _review_one(db, claim_id, "reject", note=note, reviewer=reviewer)


@review_app.command("correct")
def review_correct(
    claim_id: str = typer.Argument(..., help="The claim (its id, or a unique prefix of 6+ characters)."),
    set_: list[str] = typer.Option(..., "--set", help="FIELD=VALUE (repeatable): value, unit, metric, kind, model, dataset, task, comparator, direction, conditions, qualifier; FIELD=null clears."),
    db: Path = DbOpt,
    note: Optional[str] = NoteOpt,
    reviewer: Optional[str] = ReviewerOpt,
) -> None:
    """Correct fields of a claim (e.g. --set dataset=COCO --set value=51.2)."""
    from tracker.reviews import parse_changes

    with _user_errors():
        _review_one(db, claim_id, "correct", changes=parse_changes(set_), note=note, reviewer=reviewer)


@review_app.command("add")
def review_add(
    paper_id: str = typer.Argument(..., help="The paper whose abstract holds the number."),
    quote: str = typer.Option(..., "--quote", help="Evidence, copied verbatim from the abstract."),
    value: float = typer.Option(..., "--value", help="The number as written (1.1B -> 1.1)."),
    metric: str = typer.Option(..., "--metric", help="Canonical metric name, e.g. top1_accuracy."),
    kind: str = typer.Option(..., "--kind", help="absolute, delta or ratio."),
    unit: Optional[str] = typer.Option(None, "--unit", help="%, x, K, M, B, ms, ... (see docs/schema.md)."),
    model: Optional[str] = typer.Option(None, "--model"),
    dataset: Optional[str] = typer.Option(None, "--dataset"),
    task: Optional[str] = typer.Option(None, "--task"),
    comparator: Optional[str] = typer.Option(None, "--comparator", help="delta/ratio: compared with what."),
    direction: Optional[str] = typer.Option(None, "--direction", help="delta/ratio: up or down."),
    conditions: Optional[str] = typer.Option(None, "--conditions"),
    qualifier: Optional[str] = typer.Option(None, "--qualifier"),
    db: Path = DbOpt,
    note: Optional[str] = NoteOpt,
    reviewer: Optional[str] = ReviewerOpt,
) -> None:
    """Add a claim the extractor missed; the quote must be found verbatim in the paper's abstract."""
    from tracker.reviews import make_added_review
    from tracker.store import queries

    with _user_errors():
        fields = {
            "value": value, "metric": metric, "kind": kind, "unit": unit, "model": model, "dataset": dataset,
            "task": task, "comparator": comparator, "direction": direction, "conditions": conditions,
            "qualifier": qualifier,
        }  # fmt: skip
        with _review_store(db) as store:
            paper = queries.get_paper(store.con, paper_id)
            if paper is None:
                raise ValueError(f"no paper {paper_id!r} in {db}")
            review = make_added_review(paper, quote=quote, fields=fields, note=note, reviewer=_reviewer(reviewer))
            _vocab_notes(store.con, fields)
            store.add_reviews([review])
        c = review.claim or {}
        print(f"added claim h-{review.review_id[:14]} to {paper_id}: {_claim_text(c)} at {c['start']}-{c['end']} (review {review.review_id})")


@review_app.command("delete")
def review_delete(
    review_id: str = typer.Argument(..., help="The review (its review_id, or a unique prefix of 6+ characters)."),
    db: Path = DbOpt,
    note: Optional[str] = NoteOpt,
    reviewer: Optional[str] = ReviewerOpt,
) -> None:
    """Delete a review for good: a tombstone in the journal keeps it deleted when the journal is replayed."""
    from tracker.store import queries

    with _user_errors():
        if len(review_id) < 6:
            raise ValueError(f"review id {review_id!r} is too short: give 6 characters or more")
        with _review_store(db) as store:
            ids = sorted(i for i in queries.review_ids(store.con) if i.startswith(review_id))
            if not ids:
                raise ValueError(f"no review {review_id!r} in {db} (list them: tracker reviews export --db {db})")
            if len(ids) > 1:
                raise ValueError(f"review id prefix {review_id!r} is ambiguous: {', '.join(ids)}")
            store.delete_reviews(ids, note=note, reviewer=_reviewer(reviewer))
        print(f"deleted review {ids[0]}; a tombstone in {store.journal} keeps it deleted")


@reviews_app.command("export")
def reviews_export(
    db: Path = DbOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
) -> None:
    """Write every review as JSON lines, in the order recorded (the journal's format).

    A damaged journal does not stop it: the table's reviews and the journal's good lines are written,
    and the bad lines are reported on stderr (see `tracker reviews check`)."""
    from tracker.output import check_output, protected_paths, write_output
    from tracker.store import connect_readonly, queries

    with _user_errors():
        protect = protected_paths(db=db)
        if output is not None:
            check_output(output, protect)
        con = connect_readonly(db)
        try:
            _require_reviews(con, db)
            bodies = queries.review_bodies(con)
        finally:
            con.close()
        scan = _journal_scan(db)
        gone = scan.deleted  # tombstoned while the table was busy: deleted at the next writable open
        lines = [b for b in bodies if json.loads(b)["review_id"] not in gone]
        known = {json.loads(b)["review_id"] for b in bodies}
        # Reviews still only in the journal (written while the database was busy) come last, in journal order.
        lines += [r.model_dump_json() for r in scan.reviews if r.review_id not in known]
        text = "".join(line + "\n" for line in lines)
        write_output(output, text, protect=protect)
        if output is not None and str(output) != "-":
            print(f"wrote {len(lines)} reviews to {output}", file=sys.stderr)


@reviews_app.command("import")
def reviews_import(
    file: Path = typer.Argument(..., help="JSON lines from `tracker reviews export` (or a journal)."),
    db: Path = DbOpt,
) -> None:
    """Add the reviews of FILE that the database lacks (by review_id); the whole file or nothing.
    A journal's tombstones (`tracker review delete`) delete their reviews here too."""
    from tracker.reviews import Deletion, read_reviews
    from tracker.store import Store, queries

    with _user_errors():
        entries = read_reviews(file)  # every line checked before anything is written
        gone = {e.deletes for e in entries if isinstance(e, Deletion)}
        reviews = [e for e in entries if not isinstance(e, Deletion) and e.review_id not in gone]
        with Store(db) as store:
            new = store.add_reviews(reviews)
            deleted = store.delete_reviews(sorted(gone & store.review_ids())) if gone else []
            orphaned = len(queries.orphaned_reviews(store.con))
        msg = f"imported {len(new)} reviews from {file} ({len(reviews) - len(new)} already present)"
        if deleted:
            msg += f"; deleted {len(deleted)} reviews its tombstones name"
        if orphaned:
            msg += f"; {orphaned} reviews do not attach to a claim (tracker review list --status orphaned)"
        print(msg)


@reviews_app.command("check")
def reviews_check(
    db: Path = DbOpt,
    repair: bool = typer.Option(False, "--repair", help="Set aside the bad lines (in a side file) and journal table-only reviews."),
) -> None:
    """Check the review journal against the table: say what is wrong and how to repair it (exit 1 if damaged)."""
    from tracker import journal_check

    with _user_errors():
        diag = journal_check.diagnose(db)
        for line in diag.report():
            print(line)
        if repair and (diag.damaged or diag.scan.unterminated):
            for line in journal_check.repair(db):
                print(f"repaired: {line}")
            diag = journal_check.diagnose(db)
        if diag.damaged:
            print(f"{diag.journal}: damaged; `tracker reviews check --db {db} --repair` repairs it", file=sys.stderr)
            raise typer.Exit(1)
        print(f"{diag.journal}: ok ({len(diag.scan.reviews)} reviews)")


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
    from tracker.store import DatabaseLocked, connect_readonly

    with _user_errors():
        try:
            connect_readonly(db, wait_s=0).close()  # a clear message now rather than in the browser
        except DatabaseLocked as e:  # a load is running: the dashboard says so and shows the data once published
            print(f"note: {e}", file=sys.stderr)
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


from tracker.pwc_cli import register as _register_pwc  # noqa: E402  (`tracker pwc ...`, `tracker conflicts`)

_register_pwc(app)
__import__("tracker.compare_cli", fromlist=["register"]).register(app)  # `tracker compare MODEL...`
__import__("tracker.sota_cli", fromlist=["register"]).register(app)  # `tracker sota` (state of the art over time)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
