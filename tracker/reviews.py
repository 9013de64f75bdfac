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
import uuid
from collections.abc import Iterable, Iterator, Mapping
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


def append_journal(path: Path, reviews: Iterable[Review]) -> None:
    """Append and fsync before anything else is written: a review acknowledged is a review kept.

    One `write` of the whole text under an exclusive `flock`, so that the CLI and a dashboard appending
    at the same time never interleave lines. A torn last line (a crash in the middle of an earlier
    append, before its fsync, so never acknowledged) is cut off first instead of being glued to ours.
    """
    data = "".join(r.model_dump_json() + "\n" for r in reviews).encode("utf-8")
    if not data:
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError as e:
        raise ReviewError(f"{path}: cannot write the review journal: {e.strerror or e}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            tail = os.pread(fd, min(size, 1 << 20), max(0, size - (1 << 20)))
            keep = size - len(tail) + tail.rfind(b"\n") + 1 if b"\n" in tail else 0
            os.ftruncate(fd, keep)
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    except OSError as e:
        raise ReviewError(f"{path}: cannot write the review journal: {e.strerror or e}") from None
    finally:
        os.close(fd)  # also releases the flock


def read_reviews(path: Path, *, journal: bool = False) -> Iterator[Review]:
    """Reviews of a journal or export file, in file order; a bad line is a ReviewError naming it.

    `journal=True`: a last line without its newline that does not parse is a torn append (never
    acknowledged) and is skipped; a missing journal holds no reviews.
    """
    try:
        f = open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        if journal:
            return
        raise ReviewError(f"{path}: no such file") from None
    except OSError as e:
        raise ReviewError(f"{path}: cannot read: {e.strerror or e}") from None
    with f:
        n = 0
        while True:
            try:
                line = f.readline()
            except UnicodeDecodeError:
                raise ReviewError(f"{path}: line {n + 1}: not UTF-8 text") from None
            if not line:
                break
            n += 1
            if not line.strip():
                continue
            try:
                yield Review.model_validate(json.loads(line))
            except json.JSONDecodeError as e:
                if journal and not line.endswith("\n"):
                    return  # torn tail
                raise ReviewError(f"{path}: line {n}: invalid JSON: {e.msg} at column {e.colno}") from None
            except ValidationError as e:
                if journal and not line.endswith("\n"):
                    return
                raise ReviewError(f"{path}: line {n}: {_line_error(e)}") from None


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
