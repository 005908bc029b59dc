"""The people behind the figures (DOMAIN.md, Statistics: officers, the share holding a valid
certificate, the legal-review staff ratio), as of the build's date.

The counting rule is ``gongshi_records.staffing`` (one officer with both roles counts once, as
review staff; engaged advisers are review staff), shared with ``gongshi report``'s
``review-staff-ratio`` finding; the agency hub shows the same :class:`People`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongshi_records.entrustment import ENTRUSTED
from gongshi_records.model import Corpus
from gongshi_records.publication import settings_for
from gongshi_records.staffing import Staffing, agency_staffing, minimum_share

from .model import People


def _people(staff: Staffing, ratio_applies: bool = True) -> People:
    return People(
        staff.officers, staff.valid, staff.enforcement, staff.review, staff.minimum, ratio_applies
    )


def agency_people(corpus: Corpus, agency: str, as_of: dt.date) -> People:
    """An agency's officers and review staff on ``as_of``, against its own minimum share; a
    受委托组织 is not judged on the ratio (as `gongshi report` does not judge it)."""
    record = corpus.agencies().get(agency)
    entrusted = record is not None and record.get("kind") == ENTRUSTED
    return _people(agency_staffing(corpus, agency, as_of), ratio_applies=not entrusted)


def portal_people(corpus: Corpus, agencies: Iterable[People]) -> People:
    """The sum of the agencies' people, against the portal's minimum share."""
    total = People(minimum_share=minimum_share(settings_for(corpus, None)))
    for part in agencies:
        total.officers += part.officers
        total.valid += part.valid
        if part.ratio_applies:
            total.enforcement += part.enforcement
            total.review_staff += part.review_staff
    return total
