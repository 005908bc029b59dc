"""Who reviews an agency's major decisions, as its hub page shows them (DOMAIN.md, "Legal
review in detail"): its legal-review officers, its advisers, and the staff ratio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from gongshi_records import Record
from gongshi_records.standing import standing
from gongshi_records.views import Officer

# Legal-review staff should be at least 5% of an agency's enforcement staff [policy]
# (seeds/001, seeds/004; DOMAIN.md "Legal review in detail").
REVIEW_STAFF_MIN_SHARE = Decimal("0.05")


@dataclass(frozen=True)
class StaffRatio:
    """Officers able to act as of the build's date: 法制审核 role, 执法 role (one officer with
    both roles counts in both)."""

    review: int
    enforcement: int

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.review) / Decimal(self.enforcement) if self.enforcement else None

    @property
    def meets_minimum(self) -> bool:
        share = self.share
        return share is not None and share >= REVIEW_STAFF_MIN_SHARE

    @property
    def percent(self) -> str:
        share = self.share
        return "—" if share is None else f"{share * 100:.1f}%"

    @property
    def minimum(self) -> str:
        return f"{REVIEW_STAFF_MIN_SHARE * 100:.0f}%"


@dataclass(frozen=True)
class Engagement:
    """An adviser and whether their engagement covers the build's date."""

    adviser: Record
    current: bool
    label: str  # 在聘 | 聘期已满 | 尚未开始


def staff_ratio(officers: Iterable[Record], as_of: dt.date) -> StaffRatio:
    active = [o for o in officers if standing(o, as_of).valid]
    roles = [Officer(o).roles for o in active]
    return StaffRatio(
        review=sum("法制审核" in r for r in roles), enforcement=sum("执法" in r for r in roles)
    )


def engagements(advisers: Iterable[Record], as_of: dt.date) -> list[Engagement]:
    """Every adviser, those engaged on ``as_of`` first; the others stay listed with their
    period, so a reader can check a past review against the engagement it was made under."""
    found = [_engagement(a, as_of) for a in advisers]
    return sorted(found, key=lambda e: (not e.current, str(e.adviser.get("name")), e.adviser.key))


def _engagement(adviser: Record, as_of: dt.date) -> Engagement:
    start, end = adviser.date("valid_from"), adviser.date("valid_until")
    if end and end < as_of:
        return Engagement(adviser, False, "聘期已满")
    if start and start > as_of:
        return Engagement(adviser, False, "尚未开始")
    return Engagement(adviser, True, "在聘")
