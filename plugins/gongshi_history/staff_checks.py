"""Report rule on the legal-review staff ratio (DOMAIN.md: review staff at least 5% of an
agency's enforcement staff [policy], seeds/001, seeds/004; the share is the setting
``review_staff_min_share``). Counted by ``gongshi_records.staffing``, as the statistics and the
agency hub count it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from gongshi_records.entrustment import ENTRUSTED
from gongshi_records.model import Corpus
from gongshi_records.staffing import agency_staffing

from .reportfinding import ReportFinding


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))}%"


def review_staff_ratio(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """An agency whose review staff on ``as_of`` fall short of its minimum share of its
    enforcement staff. A 受委托组织 is left out: its major decisions are reviewed by the
    entrusting agency (gongshi_records.entrustment); an agency without enforcement staff has
    no ratio to judge."""
    for key, agency in sorted(corpus.agencies().items()):
        if agency.get("kind") == ENTRUSTED:
            continue
        staff = agency_staffing(corpus, key, as_of)
        share = staff.share
        if share is None or share >= staff.minimum:
            continue
        message = (
            f"截至 {as_of}，法制审核人员 {staff.review} 名（含在聘法律顾问），执法人员 "
            f"{staff.enforcement} 名，比例 {_percent(share)}，低于 {_percent(staff.minimum)}："
            "请为法制审核人员办理执法证、增配法制审核人员，或聘请法律顾问、公职律师参与审核"
        )
        yield ReportFinding(agency.path, "review-staff-ratio", None, None, message, key)
