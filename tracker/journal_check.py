"""`tracker reviews check`: what is wrong with a database's review journal, and how to repair it.

The journal `<db>.reviews.jsonl` is the durable copy of the reviews (tracker/reviews.py); the table is
rebuilt from it. So the check compares the two: lines of the journal that cannot be used (with their
numbers and what is wrong), reviews that only the table holds (written with `tracker sql --write`, or the
journal was replaced: a rebuild would lose them), and reviews the table has not applied yet.

`repair` rewrites the journal under its lock: the good lines kept byte for byte and in order, a missing
final newline added, the table-only reviews appended, and every line taken out saved first in a side file
`<journal>.bad-<timestamp>` (to fix by hand and `tracker reviews import`). The repaired copy replaces the
journal by an atomic rename (appenders re-open it, see `lock_journal`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tracker.reviews import (
    JournalScan, Review, ReviewError, fsync_dir, journal_path, lock_journal, parse_entry, scan_journal,
    write_side_file,
)  # fmt: skip

REPAIR_HINT = {
    "bad": "--repair moves it to a side file (fix it there, then `tracker reviews import` that file)",
    "conflict": "--repair moves it to a side file (the first line with this review_id counts)",
    "torn": "a write cut short; --repair moves it to a side file",
}


@dataclass
class Diagnosis:
    """The findings on one database's journal. `damaged` findings make `tracker reviews check` exit 1."""

    db: Path
    journal: Path
    scan: JournalScan
    table_only: list[Review] = field(default_factory=list)  # in the table, not in the journal
    pending: int = 0  # in the journal, not yet in the table
    changed: list[str] = field(default_factory=list)  # same review_id, the table's copy differs
    unreadable: list[str] = field(default_factory=list)  # table rows whose body is not their review
    table_note: str | None = None  # why the table could not be compared
    side_files: list[Path] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return bool(self.scan.problems or self.table_only or self.unreadable)

    def report(self) -> list[str]:
        """One line per finding, each saying what to do."""
        j = self.journal
        out: list[str] = []
        for p in self.scan.problems:
            out.append(f"{j}: line {p.line}: {p.problem}; {REPAIR_HINT[p.kind]}")
        if self.scan.unterminated:
            out.append(f"{j}: line {self.scan.lines}: lacks its final newline (harmless: the next append adds it; so does --repair)")
        if self.table_only:
            where = "the journal is missing" if not j.exists() else "they are not in the journal"
            out.append(
                f"{self.db}: {len(self.table_only)} review(s) are only in the table ({where}; written with "
                "`tracker sql --write`?): a rebuild would lose them; --repair appends them to the journal"
            )
        if self.unreadable:
            out.append(
                f"{self.db}: {len(self.unreadable)} row(s) of the reviews table do not hold their review in `body` "
                f"(written with `tracker sql --write`?), e.g. {self.unreadable[0]}: the journal cannot keep them; "
                f"delete them (`tracker sql --write --db {self.db} \"DELETE FROM reviews WHERE review_id = '...'\"`)"
            )
        if self.changed:
            out.append(
                f"{self.db}: {len(self.changed)} review(s) differ between the table and the journal (changed with "
                f"`tracker sql --write`?), e.g. {self.changed[0]}: the journal's copy is what a rebuild uses"
            )
        if self.pending:
            out.append(
                f"{j}: {self.pending} review(s) are not applied to the table yet (saved while the database was "
                "busy); the next command that writes to the database applies them"
            )
        if self.table_note:
            out.append(self.table_note)
        for side in self.side_files:
            out.append(f"{side}: lines once cut from the journal are kept here (check them, then delete the file)")
        return out


def _table_reviews(db: Path) -> tuple[dict[str, Review | None], str | None]:
    """review_id -> Review as the table holds it (its `body`; None when the body is not that review's), or a
    note instead when the table cannot be read."""
    from tracker.store import StoreError, connect_readonly, queries

    if not db.is_file():
        return {}, f"{db}: no database file: only the journal was checked"
    try:
        con = connect_readonly(db)
    except StoreError as e:
        return {}, f"{e} (only the journal was checked)"
    try:
        if not queries.has_reviews(con):
            return {}, None
        rows = queries.review_rows(con)
    finally:
        con.close()
    out: dict[str, Review | None] = {}
    for review_id, body in rows:
        try:
            entry = parse_entry(json.loads(body))
        except (ValueError, ValidationError):
            entry = None
        out[review_id] = entry if isinstance(entry, Review) and entry.review_id == review_id else None
    return out, None


def diagnose(db: str | Path) -> Diagnosis:
    db = Path(db)
    journal = journal_path(db)
    scan = scan_journal(journal)
    table, note = _table_reviews(db)
    in_journal = {e.review_id: e for e in scan.entries}
    deleted = scan.deleted
    live = {r.review_id for r in scan.reviews}
    return Diagnosis(
        db=db, journal=journal, scan=scan,
        table_only=[r for i, r in table.items() if r is not None and i not in in_journal and i not in deleted],
        unreadable=sorted(i for i, r in table.items() if r is None),
        pending=len(live - set(table)) if note is None else 0,
        changed=sorted(i for i, r in table.items() if i in in_journal and in_journal[i] != r),
        table_note=note,
        side_files=sorted(journal.parent.glob(f"{journal.name}.torn-*")) + sorted(journal.parent.glob(f"{journal.name}.bad-*")),
    )  # fmt: skip


def repair(db: str | Path) -> list[str]:
    """Rewrite the journal as described in the module docstring; returns what was done, one line each."""
    db = Path(db)
    journal = journal_path(db)
    table, _ = _table_reviews(db)
    fd = lock_journal(journal)
    done: list[str] = []
    try:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
        scan = scan_journal(journal, data)
        cut = sorted(scan.problems, key=lambda p: p.line)
        if cut:
            side = write_side_file(journal, "bad", b"".join(p.raw + b"\n" for p in cut))
            done.append(f"moved {len(cut)} line(s) ({', '.join(str(p.line) for p in cut)}) to {side}")
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        dropped = {p.line for p in cut}
        kept = [raw for n, raw in enumerate(lines, start=1) if n not in dropped and raw.strip()]
        if scan.unterminated:
            done.append(f"added the final newline of line {scan.lines}")
        known = {e.review_id for e in scan.entries} | scan.deleted
        extra = [r for i, r in table.items() if r is not None and i not in known]
        if extra:
            kept += [r.model_dump_json().encode("utf-8") for r in extra]
            done.append(f"appended {len(extra)} review(s) that were only in the table")
        if not done:
            return []
        tmp = journal.with_name(f"{journal.name}.repair-{os.getpid()}")
        with open(tmp, "wb") as f:
            f.write(b"".join(raw + b"\n" for raw in kept))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, journal)
        fsync_dir(journal)
    except OSError as e:
        raise ReviewError(f"{journal}: cannot repair the review journal: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return done
