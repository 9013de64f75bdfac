"""Human reviews of claims, and the journal that makes them durable.

A review is a person's decision about one claim: accept it, reject it, correct some of its fields,
or add a claim the extractor missed. Reviews are the one thing in the database that cannot be
recomputed, so each is first appended (and fsynced) to a JSON-lines journal beside the database,
`<db>.reviews.jsonl`, and only then written to the `reviews` table. The journal is also the format
of `tracker reviews export/import`, so a team can keep reviews in git.

A review does not point at a claim by its id alone: a new extractor version may re-cut the quote
or rename the model, and the claim id changes with it. It carries an *anchor* — the paper, the
number as extracted, its metric and kind, and the quote's span — and the store re-attaches it to
the current claim that has the same paper and value with an overlapping span (see
`tracker/store/sql/reviews.sql`). A review that no longer finds its claim is reported as orphaned,
never dropped.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tracker.models import Claim

Action = Literal["accept", "reject", "correct", "add"]

# Fields a correction may change; the anchor and provenance fields are not the reviewer's to edit.
CORRECTABLE = (
    "value", "unit", "metric", "kind", "model", "dataset", "task",
    "comparator", "direction", "conditions", "qualifier",
)  # fmt: skip


class ReviewError(ValueError):
    """A review that cannot be used; the message names the source and the problem on one line."""


class Anchor(BaseModel):
    """What the reviewed claim looked like when it was reviewed: enough to find it again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    value: float
    metric: str
    kind: str
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    quote: str


class Review(BaseModel):
    """One human decision. The latest review of a claim sets its status (accepted, rejected,
    corrected); corrections accumulate field by field, so a later accept never undoes an earlier fix."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    review_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    paper_id: str = Field(min_length=1)
    action: Action
    anchor: Anchor | None = None  # every action but `add`
    changes: dict[str, Any] = Field(default_factory=dict)  # `correct`: field -> new value
    claim: dict[str, Any] | None = None  # `add`: the full claim, validated as a Claim
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        """Corrections and added claims with the types a claim has ("51.2" -> 51.2), checked field by field,
        so that the SQL that applies them never meets a value it cannot cast."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        changes = data.get("changes")
        if data.get("action") == "correct" and isinstance(changes, dict) and changes:
            bad = sorted(set(changes) - set(CORRECTABLE))
            if bad:
                raise ValueError(f"cannot correct {bad}; correctable fields are {list(CORRECTABLE)}")
            try:
                fixed = Claim.model_validate(_PLACEHOLDER | changes)
            except ValidationError as e:
                raise ValueError(f"changes: {_first_error(e)}") from None
            data["changes"] = {k: getattr(fixed, k) for k in changes}
        claim = data.get("claim")
        if data.get("action") == "add" and isinstance(claim, dict):
            try:
                data["claim"] = Claim.model_validate(claim).model_dump(mode="json")
            except ValidationError as e:
                raise ValueError(f"claim: {_first_error(e)}") from None
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Review:
        if self.action == "add":
            if self.claim is None or self.anchor is not None:
                raise ValueError("an 'add' review carries a claim and no anchor")
            Claim.model_validate(self.claim)  # the added claim must be a valid claim
        elif self.anchor is None:
            raise ValueError(f"a {self.action!r} review needs the anchor of the claim it reviews")
        if self.action == "correct":
            if not self.changes:
                raise ValueError("a 'correct' review must change at least one field")
            bad = sorted(set(self.changes) - set(CORRECTABLE))
            if bad:
                raise ValueError(f"cannot correct {bad}; correctable fields are {list(CORRECTABLE)}")
        elif self.changes:
            raise ValueError(f"only a 'correct' review has changes, not {self.action!r}")
        return self

    def corrected(self, claim: Claim) -> Claim:
        """The claim with this review's changes applied, validated as a whole (so a bad unit is refused)."""
        data = claim.model_dump() | self.changes
        return Claim.model_validate(data)


# A valid claim whose fields a correction replaces, to check the correction's values on their own.
_PLACEHOLDER: dict[str, Any] = {
    "paper_id": "-", "paper": "-", "quote": "0", "start": 0, "end": 1, "value": 0.0, "metric": "x",
    "kind": "absolute", "extractor_version": "-",
}  # fmt: skip
HUMAN_VERSION = "human"  # extractor_version of a claim a person added


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    field = ".".join(str(x) for x in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{field}: {msg}" if field else msg


def anchor_of(claim: Claim) -> Anchor:
    return Anchor(
        claim_id=claim.claim_id,
        value=claim.value,
        metric=claim.metric,
        kind=claim.kind,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
    )


def journal_path(db_path: str | Path) -> Path:
    """The journal lives beside the database so that copying both keeps the reviews."""
    return Path(f"{db_path}.reviews.jsonl")


class Deletion(BaseModel):
    """A tombstone: `tracker review delete` appends one, so the deleted review stays deleted when the
    journal is replayed (a rebuild, or the next writable open) instead of coming back."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    review_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    action: Literal["delete"] = "delete"
    deletes: str = Field(min_length=1)  # the review_id deleted
    paper_id: str = Field(min_length=1)  # that review's paper (whose boards change)
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


Entry = Review | Deletion


def parse_entry(obj: Any) -> Entry:
    """One journal line's object as a Review or a Deletion (pydantic's ValidationError if neither)."""
    if isinstance(obj, dict) and obj.get("action") == "delete":
        return Deletion.model_validate(obj)
    return Review.model_validate(obj)


def warn(msg: str) -> None:
    """A warning line on stderr: what reads or writes the journal says when it is damaged or repaired."""
    print(f"warning: {' '.join(msg.split())}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LineProblem:
    """A journal line that is not used: `kind` is "bad" (does not parse), "conflict" (a review_id that an
    earlier line has with other content: the first one counts) or "torn" (an unparsable last line without
    its newline: a write cut short)."""

    line: int
    kind: Literal["bad", "conflict", "torn"]
    problem: str
    raw: bytes


@dataclass
class JournalScan:
    """Everything read from a journal (or an export file): the usable entries in file order, exact
    repeats dropped, and every line that could not be used, with its number."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    unterminated: bool = False  # the last line is a complete entry that lacks its newline
    lines: int = 0

    @property
    def deleted(self) -> set[str]:
        return {e.deletes for e in self.entries if isinstance(e, Deletion)}

    @property
    def reviews(self) -> list[Review]:
        """The reviews that count: every review line not deleted by a tombstone."""
        gone = self.deleted
        return [e for e in self.entries if isinstance(e, Review) and e.review_id not in gone]

    def warning(self, *, shown: int = 3) -> str | None:
        """One line saying the journal is damaged (None when it is not), naming the first bad lines."""
        if not self.problems:
            return None
        listed = "; ".join(f"line {p.line}: {p.problem}" for p in self.problems[:shown])
        more = f"; and {len(self.problems) - shown} more" if len(self.problems) > shown else ""
        n = len(self.problems)
        return (
            f"the review journal {self.path} is damaged: {n} line{'s' if n != 1 else ''} not used ({listed}{more}); "
            f"the other reviews are used. `tracker reviews check --db {str(self.path).removesuffix(JOURNAL_SUFFIX)}` "
            "says how to repair it"
        )


JOURNAL_SUFFIX = ".reviews.jsonl"


def _decode_error(e: UnicodeDecodeError) -> str:
    return f"not UTF-8 text (byte 0x{e.object[e.start]:02x} at column {e.start + 1})"


def _parse_line(raw: bytes) -> Entry:
    """One line as an entry, or ReviewError with the problem (without the line number)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReviewError(_decode_error(e)) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ReviewError(f"invalid JSON: {e.msg} at column {e.colno}") from None
    except RecursionError:
        raise ReviewError("invalid JSON: nested too deeply") from None
    try:
        return parse_entry(obj)
    except ValidationError as e:
        raise ReviewError(_line_error(e)) from None


def scan_journal(path: Path, data: bytes | None = None) -> JournalScan:
    """Read every line of a journal (or export file) on its own, so that one bad line, invalid UTF-8
    included, is reported with its own number and never hides the lines after it. A missing file holds
    no reviews. Raises ReviewError only when the file cannot be read at all."""
    scan = JournalScan(Path(path))
    if data is None:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return scan
        except OSError as e:
            raise ReviewError(f"{path}: cannot read: {e.strerror or e}") from None
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the file ends with its newline
    elif lines:
        scan.unterminated = True
    scan.lines = len(lines)
    first: dict[str, tuple[int, Entry]] = {}
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        last = n == len(lines) and scan.unterminated
        try:
            entry = _parse_line(raw)
        except ReviewError as e:
            if last:
                scan.unterminated = False
                scan.problems.append(LineProblem(n, "torn", f"incomplete last line, no newline ({e})", raw))
            else:
                scan.problems.append(LineProblem(n, "bad", str(e), raw))
            continue
        seen = first.get(entry.review_id)
        if seen is not None:
            if seen[1] != entry:
                scan.problems.append(LineProblem(
                    n, "conflict", f"review_id {entry.review_id} is already on line {seen[0]} with different content "
                    f"(line {seen[0]} counts)", raw,
                ))  # fmt: skip
            continue
        first[entry.review_id] = (n, entry)
        scan.entries.append(entry)
    return scan


def read_reviews(path: Path) -> list[Entry]:
    """The entries of an import file, every line checked: the first bad line is a ReviewError naming it."""
    if not Path(path).is_file():
        raise ReviewError(f"{path}: no such file")
    scan = scan_journal(path)
    if scan.problems:
        p = scan.problems[0]
        raise ReviewError(f"{path}: line {p.line}: {p.problem}")
    return scan.entries


def fsync_dir(path: Path) -> None:
    """Make a new directory entry (a created or renamed file) durable."""
    fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def side_file(path: Path, what: str) -> Path:
    """A new file beside the journal for lines taken out of it: `<journal>.<what>-<UTC timestamp>`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return path.with_name(f"{path.name}.{what}-{stamp}")


def write_side_file(path: Path, what: str, data: bytes) -> Path:
    """Save `data` (lines cut from the journal) durably in a new side file, before the journal loses them."""
    side = side_file(path, what)
    fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(side)
    return side


def _fix_tail(fd: int, path: Path, size: int) -> list[str]:
    """The journal (locked, `size` bytes) does not end with a newline. A last line that parses is a
    complete entry whose newline an editor or a tool stripped: add the newline. One that does not parse is
    a write cut short: save it in a side file, then cut it. Returns what was done, for the caller to say."""
    data = os.pread(fd, size, 0)
    start = data.rfind(b"\n") + 1
    tail = data[start:]
    line = data.count(b"\n") + 1
    try:
        _parse_line(tail)
    except ReviewError as e:
        if not tail.strip():
            os.ftruncate(fd, start)
            return []
        side = write_side_file(path, "torn", tail)
        os.ftruncate(fd, start)
        return [f"{path}: line {line} was incomplete ({e}; {len(tail)} bytes without a newline): cut from the "
                f"journal and saved in {side}"]  # fmt: skip
    os.write(fd, b"\n")
    return [f"{path}: line {line} lacked its final newline: added it (the review on it is kept)"]


def lock_journal(path: Path) -> int:
    """An O_APPEND descriptor of the journal (created if missing) holding its exclusive `flock`. Opened
    again when the file was replaced while we waited for the lock (`reviews check --repair` renames a
    repaired copy over it), so that nothing is ever appended to a file no longer in place."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise ReviewError(f"{path}: cannot write the review journal: {e.strerror or e}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        except OSError as e:
            os.close(fd)
            raise ReviewError(f"{path}: cannot lock the review journal: {e.strerror or e}") from None
        os.close(fd)


def append_journal(path: Path, entries: Iterable[Entry]) -> list[str]:
    """Append and fsync before anything else is written: a review acknowledged is a review kept.

    One `write` of the whole text under an exclusive `flock`, so that the CLI and a dashboard appending
    at the same time never interleave lines. A last line without its newline is repaired first (see
    _fix_tail: never cut when it parses; saved in a side file when it does not). The file is fsynced, and
    its directory too when the journal is new, before this returns. Returns notes on any repair, which
    the caller shows (the CLI prints them as warnings, the dashboard next to its acknowledgement).
    """
    data = "".join(e.model_dump_json() + "\n" for e in entries).encode("utf-8")
    if not data:
        return []
    notes: list[str] = []
    fd = lock_journal(path)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            notes = _fix_tail(fd, path, size)
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
        if size == 0:
            fsync_dir(path)  # a new journal: its directory entry must survive a crash too
    except OSError as e:
        raise ReviewError(f"{path}: cannot write the review journal: {e.strerror or e}") from None
    finally:
        os.close(fd)  # also releases the flock
    return notes


def _line_error(e: ValidationError) -> str:
    err = e.errors()[0]
    field = ".".join(str(x) for x in err["loc"]) or "review"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return " ".join(f"{field}: {msg}".split())


def unique_reviews(reviews: Iterable[Review], source: str = "reviews") -> list[Review]:
    """Reviews in order with repeats of a review_id dropped; one id with two different bodies is an error."""
    seen: dict[str, Review] = {}
    out: list[Review] = []
    for r in reviews:
        if r.review_id in seen:
            if seen[r.review_id] != r:
                raise ReviewError(f"{source}: review_id {r.review_id} appears twice with different content")
            continue
        seen[r.review_id] = r
        out.append(r)
    return out


# --- building reviews from the store's rows (claims_reviewable / claims_effective columns) ---

ROW_FIELDS = ("paper_id", "quote", "value", "unit", "metric", "kind", "model", "dataset", "task",
              "comparator", "direction", "conditions", "qualifier", "required", "extractor_version")  # fmt: skip


def _clean(v: Any) -> Any:
    """pandas/numpy cells as plain Python (NaN/NaT -> None)."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and v != v:
        return None
    return v


def claim_of_row(row: Mapping[str, Any], title: str) -> Claim:
    """A Claim from a row of the store (start_offset/end_offset), to validate a correction against."""
    data = {k: _clean(row.get(k)) for k in ROW_FIELDS}
    data["required"] = bool(data["required"]) if data["required"] is not None else True
    return Claim(paper=title or "-", start=int(row["start_offset"]), end=int(row["end_offset"]), **data)


def anchor_of_row(row: Mapping[str, Any]) -> Anchor:
    """The anchor of a claim as stored (claims_reviewable: as extracted or added, before corrections)."""
    return Anchor(
        claim_id=str(row["claim_id"]), value=float(_clean(row["value"])), metric=str(row["metric"]),
        kind=str(row["kind"]), start=int(row["start_offset"]), end=int(row["end_offset"]), quote=str(row["quote"]),
    )  # fmt: skip


def make_review(
    action: Action,
    base: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    title: str = "-",
    note: str | None = None,
    reviewer: str | None = None,
) -> Review:
    """An accept/reject/correct review of the claim `base` (its stored row, which the anchor snapshots).

    `current` is the claim as it counts now (earlier corrections applied); a correction is checked
    against it as a whole, so `--set unit=furlongs` or `--set kind=delta` with a bad direction fails here.
    Changes that equal the current value are dropped; a correction that changes nothing is an error.
    """
    if action == "add":
        raise ReviewError("use make_added_review for an 'add'")
    changes = dict(changes or {})
    if action == "correct":
        now = claim_of_row(current or base, title)
        changes = {k: v for k, v in changes.items() if getattr(now, k, object()) != v}
        if not changes:
            raise ReviewError("the correction changes nothing (every --set equals the current value)")
        try:
            Claim.model_validate(now.model_dump() | changes)
        except ValidationError as e:
            raise ReviewError(f"correction of claim {base['claim_id']}: {_first_error(e)}") from None
    try:
        return Review(
            paper_id=str(base["paper_id"]), action=action, anchor=anchor_of_row(base), changes=changes,
            note=note or None, reviewer=reviewer or None,
        )  # fmt: skip
    except ValidationError as e:
        raise ReviewError(f"review of claim {base['claim_id']}: {_line_error(e)}") from None


def make_added_review(
    paper: Mapping[str, Any],
    *,
    quote: str,
    fields: Mapping[str, Any],
    note: str | None = None,
    reviewer: str | None = None,
) -> Review:
    """An 'add' review: a claim the extractor missed. The quote must be in the abstract verbatim
    (its first occurrence gives start/end); `fields` holds value, metric, kind and any of unit, model,
    dataset, task, comparator, direction, conditions, qualifier."""
    abstract = str(paper["abstract"])
    if not quote or not quote.strip():
        raise ReviewError("--quote must not be empty")
    start = abstract.find(quote)
    if start < 0:
        raise ReviewError(f"paper {paper['paper_id']}: the quote {quote!r} is not in its abstract (it must be copied verbatim)")
    claim = {k: v for k, v in fields.items() if v is not None}
    claim |= {
        "paper_id": str(paper["paper_id"]), "paper": str(paper.get("title") or "-"), "quote": quote,
        "start": start, "end": start + len(quote), "extractor_version": HUMAN_VERSION,
    }  # fmt: skip
    try:
        return Review(paper_id=str(paper["paper_id"]), action="add", claim=claim, note=note or None, reviewer=reviewer or None)
    except ValidationError as e:
        raise ReviewError(f"added claim: {_line_error(e)}") from None


def parse_changes(assignments: Iterable[str]) -> dict[str, Any]:
    """`field=value` pairs from the command line; `null` clears a field, numbers stay numbers."""
    changes: dict[str, Any] = {}
    for a in assignments:
        field, sep, raw = a.partition("=")
        field = field.strip()
        if not sep or not field:
            raise ReviewError(f"--set {a!r}: expected FIELD=VALUE")
        if field not in CORRECTABLE:
            raise ReviewError(f"--set {a!r}: {field!r} is not correctable; use one of {', '.join(CORRECTABLE)}")
        raw = raw.strip()
        if raw.lower() in ("null", "none", ""):
            changes[field] = None
        elif field == "value":
            try:
                changes[field] = float(raw)
            except ValueError:
                raise ReviewError(f"--set {a!r}: value must be a number") from None
        else:
            changes[field] = raw
    return changes
