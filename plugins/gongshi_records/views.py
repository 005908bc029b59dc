"""Typed views of records: what rules, pages and reports read instead of raw ``record.get``.

A view never fails on a malformed record (the schema reports those): a field of the wrong
type reads as absent, so a rule that needs it simply does not apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .model import Record
from .vocabulary import PASSING_OPINIONS, Category


def _amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Decimal(0)
    return Decimal(str(value))


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Review:
    """A decision's 法制审核."""

    reviewed_on: dt.date | None
    opinion: str | None
    reviewers: tuple[str, ...]  # officers, by certificate number
    advisers: tuple[str, ...]  # legal advisers, by file stem

    @property
    def passed(self) -> bool:
        return self.opinion in PASSING_OPINIONS


@dataclass(frozen=True)
class Decision:
    """A decision record's fields, typed."""

    record: Record

    @property
    def category(self) -> str | None:
        return _text(self.record.get("category"))

    @property
    def is_penalty(self) -> bool:
        return self.category == Category.PENALTY

    @property
    def decided_on(self) -> dt.date | None:
        return self.record.date("decided_on")

    @property
    def party_kind(self) -> str | None:
        return _text(self.record.get("party", "kind"))

    @property
    def penalty_kinds(self) -> frozenset[str]:
        return frozenset(_strings(self.record.get("penalty", "kinds")))

    @property
    def fine(self) -> Decimal:
        return _amount(self.record.get("penalty", "fine"))

    @property
    def confiscated(self) -> Decimal:
        return _amount(self.record.get("penalty", "confiscated"))

    @property
    def major(self) -> bool:
        return self.record.get("major") is True

    @property
    def hearing(self) -> bool:
        return self.record.get("hearing") is True

    @property
    def power(self) -> str | None:
        return _text(self.record.get("power"))

    @property
    def review(self) -> Review | None:
        if not isinstance(self.record.get("review"), dict):
            return None
        return Review(
            self.record.date("review", "reviewed_on"),
            _text(self.record.get("review", "opinion")),
            _strings(self.record.get("review", "reviewers")),
            _strings(self.record.get("review", "advisers")),
        )

    @property
    def withdrawn(self) -> bool:
        return isinstance(self.record.get("withdrawal"), dict)

    @property
    def withdrawal_cause(self) -> str | None:
        return _text(self.record.get("withdrawal", "cause"))
