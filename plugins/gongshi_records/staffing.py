"""Who can enforce and who can review on a given day (DOMAIN.md: legal-review staff at least 5%
of an agency's enforcement staff [policy], seeds/001, seeds/004).

The one counting rule, read by the statistics, the agency hub and ``gongshi report``:
- *review staff*: officers in post with a valid certificate and the 法制审核 role, plus legal
  advisers (法律顾问, 公职律师, 专家) whose engagement covers the day;
- *enforcement staff*: officers in post with a valid certificate and the 执法 role who are not
  review staff. An officer holding both roles counts once, as review staff: counting them on
  both sides would let an agency meet the ratio with nobody reviewing full time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .model import Corpus, Record
from .publication import settings_for
from .registry import Kind
from .standing import standing
from .views import Officer, covers

REVIEW_ROLE = "法制审核"
ENFORCEMENT_ROLE = "执法"
# The setting holding the minimum share, and its default (publication.PUBLICATION_SETTINGS).
MIN_SHARE_SETTING = "review_staff_min_share"
DEFAULT_MIN_SHARE = 0.05


@dataclass(frozen=True)
class Staffing:
    """An agency's people on one day."""

    officers: int  # officers on the staff: 在岗 or 暂扣 (not 离岗, 注销)
    valid: int  # in post with a certificate valid on the day
    review: int  # review staff: valid 法制审核 officers + engaged advisers
    enforcement: int  # valid 执法 officers who are not review staff
    minimum: Decimal  # the minimum share of review staff the agency is judged against

    @property
    def share(self) -> Decimal | None:
        """Review staff against enforcement staff; None without enforcement staff."""
        return Decimal(self.review) / Decimal(self.enforcement) if self.enforcement else None

    @property
    def meets_minimum(self) -> bool:
        share = self.share
        return share is not None and share >= self.minimum


def staffing(
    officers: Iterable[Record],
    advisers: Iterable[Record],
    as_of: dt.date,
    minimum: Decimal = Decimal(str(DEFAULT_MIN_SHARE)),
) -> Staffing:
    """Count one agency's officers and advisers as of ``as_of`` (the rule above)."""
    staff = [o for o in officers if Officer(o).on_staff]
    valid = [Officer(o).roles for o in staff if standing(o, as_of).valid]
    officer_reviewers = sum(REVIEW_ROLE in roles for roles in valid)
    engaged = sum(engaged_on(a, as_of) for a in advisers)
    enforcement = sum(ENFORCEMENT_ROLE in roles and REVIEW_ROLE not in roles for roles in valid)
    return Staffing(len(staff), len(valid), officer_reviewers + engaged, enforcement, minimum)


def engaged_on(adviser: Record, day: dt.date) -> bool:
    """Whether an adviser's engagement period covers ``day``."""
    return covers(adviser.date("valid_from"), adviser.date("valid_until"), day)


def minimum_share(settings: Mapping[str, Any]) -> Decimal:
    """The ``review_staff_min_share`` setting as a Decimal (merged settings: a number ≥ 0)."""
    value = settings.get(MIN_SHARE_SETTING, DEFAULT_MIN_SHARE)
    if isinstance(value, bool) or not isinstance(value, int | float):
        value = DEFAULT_MIN_SHARE
    return Decimal(str(value))


def agency_staffing(corpus: Corpus, agency: str, as_of: dt.date) -> Staffing:
    """An agency's staffing as of ``as_of``, judged against its own minimum share (the portal's
    or the agency's ``review_staff_min_share`` setting)."""
    return staffing(
        corpus.by_agency(Kind.OFFICER, agency),
        corpus.by_agency(Kind.ADVISER, agency),
        as_of,
        minimum_share(settings_for(corpus, agency)),
    )
