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

import json
import os
import uuid
from collections.abc import Iterable, Iterator
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
    """One human decision; the latest review of a claim wins."""

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
    """Append and fsync before anything else is written: a review acknowledged is a review kept."""
    lines = "".join(r.model_dump_json() + "\n" for r in reviews)
    if not lines:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(lines)
        f.flush()
        os.fsync(f.fileno())


def read_reviews(path: Path) -> Iterator[Review]:
    """Reviews of a journal or export file, in file order; a bad line is a ReviewError naming it."""
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise ReviewError(f"{path}: cannot read: {e.strerror or e}") from None
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield Review.model_validate(json.loads(line))
            except json.JSONDecodeError as e:
                raise ReviewError(f"{path}: line {n}: invalid JSON: {e.msg} at column {e.colno}") from None
            except ValidationError as e:
                err = e.errors()[0]
                field = ".".join(str(x) for x in err["loc"]) or "review"
                raise ReviewError(f"{path}: line {n}: {field}: {err['msg']}") from None


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
