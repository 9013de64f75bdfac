"""The two records that flow through the tracker: a `Paper` from a reader and a `Claim` from an extractor.

Both are pydantic models so that every boundary (a reader's output, an extractor's output, a
JSON line handed to `tracker eval`, a human correction) is validated the same way, and an invalid
value fails with a message that names the field.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Kind = Literal["absolute", "delta", "ratio"]
Direction = Literal["up", "down"]
Qualifier = Literal["more_than", "up_to", "about", "at_least", "less_than", "only"]

# Units as ANNOTATION.md normalises them; anything else is a bug in an extractor, not a new unit.
UNITS = frozenset({"%", "x", "K", "M", "B", "T", "G", "ms", "s", "us", "min", "h", "fps", "dB", "GB", "MB", "TB"})


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()


class Paper(BaseModel):
    """One paper as a reader found it; `id` is stable across re-reads of the same source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    abstract: str = Field(min_length=1)
    published: date | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    source: str = Field(min_length=1, description="reader format name, e.g. 'arxiv_snapshot'")
    categories: tuple[str, ...] = ()
    # Where the reader found it ("line 12", "entry 3"), so later steps can name the record in an
    # error (a duplicate id, say). Not part of the paper: left out of dumps and of the content hash.
    record: str | None = Field(default=None, exclude=True, repr=False)

    @field_validator("title", "abstract")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v

    @cached_property  # asked for 3 times a paper by a load; pydantic compares and dumps fields only
    def content_hash(self) -> str:
        """What extraction depends on: a changed title or abstract means the claims must be redone."""
        return _digest(self.title, self.abstract)[:16]


class Claim(BaseModel):
    """One reported number, with the fields of shared/ANNOTATION.md plus where it sits in the abstract."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str = Field(min_length=1)
    paper: str = Field(min_length=1, description="the paper's title, as the scorer matches on it")
    quote: str = Field(min_length=1)
    start: int = Field(ge=0, description="offset of `quote` in the abstract")
    end: int = Field(gt=0)
    value: float
    unit: str | None = None
    metric: str = Field(pattern=r"^(other:[^\s]+|[a-z0-9_]+)$")
    kind: Kind
    model: str | None = None
    dataset: str | None = None
    task: str | None = None
    comparator: str | None = None
    direction: Direction | None = None
    conditions: str | None = None
    qualifier: Qualifier | None = None
    required: bool = True
    extractor_version: str = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, v: str | None) -> str | None:
        if v is not None and v not in UNITS:
            raise ValueError(f"unknown unit {v!r}; expected one of {sorted(UNITS)}")
        return v

    @model_validator(mode="after")
    def _span_matches_quote(self) -> Claim:
        if self.end - self.start != len(self.quote):
            raise ValueError(f"end - start ({self.end - self.start}) must equal len(quote) ({len(self.quote)})")
        return self

    @property
    def claim_id(self) -> str:
        """Stable id of this claim within one extraction: same paper, span and reading give the same id."""
        return _digest(self.paper_id, self.start, self.end, self.value, self.metric, self.kind, self.model)[:16]
