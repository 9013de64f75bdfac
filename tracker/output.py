"""Where command output goes, so that writing it never destroys a file, and CSV cells safe to open.

Every command with an output path (`extract -o`, `export`, `reviews export -o`, `sql -o`) writes
through `open_output`:

    protect = protected_paths(db=db, inputs=inputs)        # the database, its WAL and journal, the inputs
    with open_output(path, protect=protect) as f:          # "-" or None: stdout
        f.write(text)

What it guarantees (README, "Reliability"):
  * an output path that is the database, its WAL, its review journal or one of the inputs (same
    resolved path or same inode: a hard link, a symlink) is refused before anything is opened;
  * a regular file (or a new path) is written atomically: a temporary file in the same directory,
    fsync, rename over the target, fsync of the directory. A failure leaves the old file as it was.
    The file keeps an existing file's mode (and owner, as root); a new file gets 0666 minus the umask;
  * a symlink stays a symlink: its target is what is replaced;
  * a character device (/dev/null, a terminal) or a FIFO is written straight into, never replaced;
    a block device, a socket or a directory is refused.

CSV formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (and, in some,
tab or carriage return) as a formula, so a paper title like `=HYPERLINK(...)` would become a link or a
command. `csv_cell` prefixes such text with a single quote; text that is a plain number (`-1.5`) and
non-text values are left alone. Every CSV the project writes goes through it; `--raw` turns it off.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

STDOUT = "-"


class OutputError(ValueError):
    """An output path that must not or cannot be written; one line naming the path and the reason."""


# --- which paths an output must never be ---


def protected_paths(*, db: str | Path | None = None, inputs: Iterable[str | Path] = ()) -> list[tuple[Path, str]]:
    """(path, what it is) for the database, its WAL and review journal, and every input."""
    out: list[tuple[Path, str]] = []
    if db is not None:
        from tracker.reviews import journal_path

        out += [
            (Path(db), "the database"),
            (Path(f"{db}.wal"), "the database's write-ahead log"),
            (journal_path(db), "the database's review journal"),
        ]
    out += [(Path(p), "an input") for p in inputs]
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: str | Path, protect: Sequence[tuple[Path, str]] = ()) -> None:
    """OutputError when writing `path` would overwrite (or land inside) one of the protected paths."""
    p = Path(path)
    real = Path(os.path.realpath(p))
    for q, what in protect:
        q_real = Path(os.path.realpath(q))
        if real == q_real or _same_file(p, q):
            raise OutputError(f"{p}: refusing to write the output over {what} ({q})")
        if what == "an input" and q_real.is_dir() and q_real in real.parents:
            raise OutputError(f"{p}: refusing to write the output inside the input directory {q} (it would be read as an input)")


# --- writing ---


@contextlib.contextmanager
def _atomic(target: Path, shown: Path, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file beside `target`, renamed over it when the block ends without an exception."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    parent = target.parent
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)  # 0666 minus the umask, as any program creating a file
            break
        except FileExistsError:
            continue
        except OSError as e:
            raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    else:  # pragma: no cover - 100 random names taken
        raise OutputError(f"{shown}: cannot create a temporary file in {parent}")
    try:
        if old is not None:
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
            if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):  # only root may give a file away; others keep their own
                    os.fchown(fd, old.st_uid, old.st_gid)
        f = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):
            raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a crash once the directory is synced
        dfd = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


@contextlib.contextmanager
def open_output(
    path: str | Path | None, *, protect: Sequence[tuple[Path, str]] = (), binary: bool = False
) -> Iterator[IO[Any]]:
    """A file object to write the output to (text, UTF-8, or bytes with `binary=True`); see the module doc."""
    if path is None or str(path) == STDOUT:
        out = sys.stdout.buffer if binary else sys.stdout
        yield out
        out.flush()
        return
    shown = Path(path)
    check_output(shown, protect)
    try:
        st = os.stat(shown)  # follows a symlink: what matters is what it points at
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            # /dev/null, a terminal, a pipe: write into it; replacing it would break every later writer.
            try:
                f = open(shown, "ab" if binary else "a", **({} if binary else {"encoding": "utf-8", "newline": ""}))
            except OSError as e:
                raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
            with f:
                yield f
            return
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file, a character device or a FIFO"
        raise OutputError(f"{shown}: cannot write the output here: {kind}")
    target = Path(os.path.realpath(shown))  # a symlink keeps being a symlink: its target is replaced
    if not target.parent.is_dir():
        raise OutputError(f"{shown}: cannot write: directory {target.parent} does not exist")
    with _atomic(target, shown, binary) as f:
        yield f


def write_output(path: str | Path | None, data: str | bytes, *, protect: Sequence[tuple[Path, str]] = ()) -> None:
    """`data` written to `path` through `open_output` (one call)."""
    with open_output(path, protect=protect, binary=isinstance(data, bytes)) as f:
        f.write(data)


# --- CSV cells a spreadsheet will not run ---

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(v: Any, *, raw: bool = False) -> Any:
    """`v`, with a single quote in front when it is text a spreadsheet would take for a formula."""
    if raw or not isinstance(v, str) or not v.startswith(FORMULA_START) or _PLAIN_NUMBER.fullmatch(v):
        return v
    return "'" + v


def csv_writer(f: IO[str], *, raw: bool = False) -> Any:
    """A csv.writer whose `writerow`/`writerows` neutralise formula cells (unless `raw`)."""
    return _SafeWriter(f, raw)


def _has_cr(cells: Iterable[Any]) -> bool:
    return any(isinstance(v, str) and "\r" in v for v in cells)


class _SafeWriter:
    """csv.writer with "\n" line ends does not quote a bare CR, which some readers take for a row end:
    a row with a CR in a cell has its text cells quoted."""

    def __init__(self, f: IO[str], raw: bool) -> None:
        self._w = csv.writer(f, lineterminator="\n")
        self._quoted = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        self._raw = raw

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [csv_cell(v, raw=self._raw) for v in row]
        (self._quoted if _has_cr(cells) else self._w).writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for r in rows:
            self.writerow(r)


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]], *, raw: bool = False) -> str:
    """Header and rows as CSV text (formula cells neutralised unless `raw`)."""
    buf = io.StringIO()
    w = csv_writer(buf, raw=raw)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def frame_csv(df: Any, *, raw: bool = False) -> str:
    """A pandas DataFrame as CSV (pandas' number formatting; formula text cells neutralised unless `raw`)."""
    from pandas.api import types

    if not raw:
        df = df.copy()
        for c in df.columns:  # text columns (object, string or str dtype); numbers and dates are left alone
            col = df[c]
            if not (types.is_numeric_dtype(col) or types.is_datetime64_any_dtype(col) or types.is_bool_dtype(col)):
                df[c] = col.map(csv_cell)
        df.columns = [csv_cell(str(c)) for c in df.columns]
    cr = any(_has_cr(df[c]) for c in df.columns if df[c].dtype == object or types.is_string_dtype(df[c]))
    return df.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC if cr else csv.QUOTE_MINIMAL)
