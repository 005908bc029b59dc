"""Whether an officer's certificate lets them enforce today: shown the same on every page,
in the roster filters, the search index and the exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Record

# Status values → ASCII slugs for filter page names (stable URLs without Chinese characters).
STATUS_SLUGS = {"在岗": "active", "离岗": "left", "暂扣": "suspended", "注销": "revoked"}
EXPIRED_SLUG = "expired"
VALID_LABEL, EXPIRED_LABEL = "有效", "已过期"
# The badge classes a standing is shown with (site.css): the officer page and rosters
# (_macros.html standing_badge) and the search results (the manifest's ``standings``).
BADGE_VALID, BADGE_INVALID = "badge-ok", "badge-bad"


@dataclass(frozen=True)
class Standing:
    valid: bool
    label: str  # 有效 | 已过期 | 尚未生效 | 离岗 | 暂扣 | 注销
    slug: str  # the roster filter the officer appears under

    @property
    def badge(self) -> str:
        return BADGE_VALID if self.valid else BADGE_INVALID


def standing(officer: Record, as_of: dt.date) -> Standing:
    status = str(officer.get("status", default=""))
    if status != "在岗":
        return Standing(False, status, STATUS_SLUGS.get(status, "other"))
    start, end = officer.date("valid_from"), officer.date("valid_until")
    if end and end < as_of:
        return Standing(False, EXPIRED_LABEL, EXPIRED_SLUG)
    if start and start > as_of:
        return Standing(False, "尚未生效", EXPIRED_SLUG)
    return Standing(True, VALID_LABEL, STATUS_SLUGS["在岗"])


def expires_within(officer: Record, as_of: dt.date, days: int) -> bool:
    """Whether a certificate valid on ``as_of`` stops being valid within ``days`` calendar
    days: its last valid day ``valid_until`` lies from ``as_of`` to ``as_of`` + ``days``, both
    included (即将到期: the officer page's notice, the supervision pages' list)."""
    until = officer.date("valid_until")
    if until is None or not standing(officer, as_of).valid:
        return False
    try:
        return until <= as_of + dt.timedelta(days=days)
    except OverflowError:  # an as-of date near 9999-12-31: every later day is within
        return True


# Every label ``standing`` gives: what the officer page, the roster and the exports' effective
# status column can say (the open data's Table Schema lists them as its enum).
STANDING_VALUES: tuple[str, ...] = (
    VALID_LABEL,
    EXPIRED_LABEL,
    "尚未生效",
    *(status for status in STATUS_SLUGS if status != "在岗"),
)


def standing_badges() -> dict[str, str]:
    """Each label of STANDING_VALUES → its badge class, for pages that show a standing without
    the record at hand: search results read this table from the index manifest."""
    return {label: Standing(label == VALID_LABEL, label, "").badge for label in STANDING_VALUES}


STANDING_LABELS = {
    "active": "有效",
    "expired": "已过期或未生效",
    "left": "离岗",
    "suspended": "暂扣",
    "revoked": "注销",
}
