"""Typed views of records: what rules, pages and reports read instead of raw ``record.get``.

A view never fails on a malformed record (the schema reports those): a field of the wrong
type reads as absent, so a rule that needs it simply does not apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

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


def covers(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether a period (both ends included; a missing end is open) covers ``day``: an
    officer's certificate, an adviser's engagement, an entrustment."""
    return not ((start and day < start) or (end and day > end))


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
    def officers(self) -> tuple[str, ...]:
        """The signing officers' certificate numbers (none when the field is not a list)."""
        return _strings(self.record.get("officers"))

    @property
    def party_kind(self) -> str | None:
        return _text(self.record.get("party", "kind"))

    @cached_property
    def penalty_kinds(self) -> frozenset[str]:
        # Kept: working out a penalty's publicity period asks for it half a dozen times.
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
    def has_major(self) -> bool:
        """Whether the record states `major` at all (true or false)."""
        return "major" in self.record.data

    @property
    def filed_on(self) -> dt.date | None:
        """When a major penalty was filed with the government's legal department (备案)."""
        return self.record.date("filed_on")

    @property
    def power(self) -> str | None:
        return _text(self.record.get("power"))

    @property
    def discretion_level(self) -> str | None:
        """The level of its power item's 裁量基准 the decision says it applied."""
        return _text(self.record.get("discretion_level"))

    @property
    def has_penalty(self) -> bool:
        """Whether the record states a penalty at all (a fine of 0 then means "no fine")."""
        return isinstance(self.record.get("penalty"), dict)

    @property
    def states_fine(self) -> bool:
        """Whether ``penalty.fine`` is written (``fine`` reads 0 when it is not)."""
        return self.record.get("penalty", "fine") is not None

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

    def withdrawn_by(self, day: dt.date) -> bool:
        """Whether the withdrawal has taken effect on ``day``: one whose event (``occurred_on``)
        lies after it does so only from that date (a record without a readable date is taken
        as withdrawn: when in doubt, nothing of its content is shown)."""
        occurred = self.withdrawal_occurred_on
        return self.withdrawn and (occurred is None or occurred <= day)

    @property
    def withdrawal_cause(self) -> str | None:
        return _text(self.record.get("withdrawal", "cause"))

    @property
    def withdrawal_occurred_on(self) -> dt.date | None:
        return self.record.date("withdrawal", "occurred_on")

    def late_reason(self, duty: str) -> str | None:
        """Why a duty was done after its deadline, as the record states it: ``late_reason``
        for the publication, ``withdrawal.late_reason`` for the withdrawal."""
        if duty == "withdrawal":
            return _text(self.record.get("withdrawal", "late_reason"))
        return _text(self.record.get("late_reason")) if duty == "publication" else None

    @property
    def grade(self) -> str | None:
        """The publicity grade (轻微/一般/严重) the record states, if any."""
        return _text(self.record.get("grade"))

    @property
    def publicity_until(self) -> dt.date | None:
        return self.record.date("publicity_until")

    @property
    def licence_outcome(self) -> str | None:
        """A 行政许可's result (准予, 不予 …: ``license.outcome``), when the record states it."""
        return _text(self.record.get("license", "outcome"))

    @property
    def restriction_until(self) -> dt.date | None:
        return self.record.date("penalty", "restriction_until")


@dataclass(frozen=True)
class Officer:
    """An officer record's fields the rules and pages combine, typed."""

    record: Record

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(_strings(self.record.get("roles")))

    @property
    def status(self) -> str | None:
        return _text(self.record.get("status"))

    @property
    def on_staff(self) -> bool:
        """Still one of the agency's officers: in post, or with the certificate suspended (暂扣)
        — not one who has left (离岗) or whose certificate was revoked (注销)."""
        return self.status in ("在岗", "暂扣")
