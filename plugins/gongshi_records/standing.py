"""Whether an officer's certificate lets them enforce today: shown the same on every page,
in the roster filters, the search index and the exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Record

# Status values → ASCII slugs for filter page names (stable URLs without Chinese characters).
STATUS_SLUGS = {"在岗": "active", "离岗": "left", "暂扣": "suspended", "注销": "revoked"}
EXPIRED_SLUG = "expired"


@dataclass(frozen=True)
class Standing:
    valid: bool
    label: str  # 有效 | 已过期 | 尚未生效 | 离岗 | 暂扣 | 注销
    slug: str  # the roster filter the officer appears under


def standing(officer: Record, as_of: dt.date) -> Standing:
    status = str(officer.get("status", default=""))
    if status != "在岗":
        return Standing(False, status, STATUS_SLUGS.get(status, "other"))
    start, end = officer.date("valid_from"), officer.date("valid_until")
    if end and end < as_of:
        return Standing(False, "已过期", EXPIRED_SLUG)
    if start and start > as_of:
        return Standing(False, "尚未生效", EXPIRED_SLUG)
    return Standing(True, "有效", STATUS_SLUGS["在岗"])


# Every label ``standing`` gives: what the officer page, the roster and the exports' effective
# status column can say (the open data's Table Schema lists them as its enum).
STANDING_VALUES: tuple[str, ...] = (
    "有效",
    "已过期",
    "尚未生效",
    *(status for status in STATUS_SLUGS if status != "在岗"),
)

STANDING_LABELS = {
    "active": "有效",
    "expired": "已过期或未生效",
    "left": "离岗",
    "suspended": "暂扣",
    "revoked": "注销",
}
