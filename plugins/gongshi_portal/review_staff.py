"""Who reviews an agency's major decisions, as its hub page shows them (DOMAIN.md, "Legal
review in detail"): its legal-review officers, its advisers, and the staff ratio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gongshi_records import Corpus, Record
from gongshi_records.staffing import engaged_on
from gongshi_statistics.model import People
from gongshi_statistics.people import agency_people


@dataclass(frozen=True)
class StaffRatio:
    """An agency's legal-review staff ratio as the hub prints it. The counting is the
    statistics' (gongshi_statistics.people: review staff are valid 法制审核 officers and
    engaged advisers; an officer with both roles counts once, as review staff)."""

    people: People

    @property
    def review(self) -> int:
        return self.people.review_staff

    @property
    def enforcement(self) -> int:
        return self.people.enforcement

    @property
    def meets_minimum(self) -> bool:
        return self.people.meets_minimum

    @property
    def percent(self) -> str:
        share = self.people.review_share
        return "—" if share is None else f"{share * 100:.1f}%"

    @property
    def minimum(self) -> str:
        return f"{(self.people.minimum_share * 100).normalize():f}%"


def staff_ratio(corpus: Corpus, agency: str, as_of: dt.date) -> StaffRatio:
    return StaffRatio(agency_people(corpus, agency, as_of))


@dataclass(frozen=True)
class Engagement:
    """An adviser and whether their engagement covers the build's date."""

    adviser: Record
    current: bool
    label: str  # 在聘 | 聘期已满 | 尚未开始


def engagements(advisers: Iterable[Record], as_of: dt.date) -> list[Engagement]:
    """Every adviser, those engaged on ``as_of`` first; the others stay listed with their
    period, so a reader can check a past review against the engagement it was made under."""
    found = [_engagement(a, as_of) for a in advisers]
    return sorted(found, key=lambda e: (not e.current, str(e.adviser.get("name")), e.adviser.key))


def _engagement(adviser: Record, as_of: dt.date) -> Engagement:
    # engaged_on is what the staff ratio counts; the label says why one does not count.
    if engaged_on(adviser, as_of):
        return Engagement(adviser, True, "在聘")
    end = adviser.date("valid_until")
    return Engagement(adviser, False, "聘期已满" if end and end < as_of else "尚未开始")
