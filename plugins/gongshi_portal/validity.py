"""Validity that states its date: what a page says about a certificate, as of the build's date,
and what theme/static/js/validity.js needs to check it again against the reader's date.

A static site has no clock (DOMAIN.md): the build decides with ``--as-of``; the page says
"截至 <as-of>" and carries the dates in ``data-*`` attributes, so the script can say when the
reader's day is past them. The script may only make a status look worse, never better.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongshi_records import Record
from gongshi_records.standing import Standing, expires_within, standing

# 即将到期: a valid certificate whose last valid day is at most this many calendar days away,
# unless the agency's settings say otherwise (deadlines.certificate_notice, the window the
# supervision pages and gongshi report use: one window for the officer page and its supervisor).
EXPIRY_NOTICE_DAYS = 30
# The publishing rule is a daily rebuild; a page this many days older than the reader's date
# (a missed rebuild or a stale mirror, not a time zone) says it may be out of date.
STALE_AFTER_DAYS = 3


@dataclass(frozen=True)
class OfficerValidity:
    """An officer's certificate as the officer page and the rosters state it on ``as_of``."""

    standing: Standing
    as_of: dt.date
    valid_until: dt.date | None
    expiring_soon: bool  # valid on as_of, last valid day within notice_days
    notice_days: int = EXPIRY_NOTICE_DAYS

    @property
    def days_left(self) -> int | None:
        """Calendar days from as_of to the last valid day (0: it ends today)."""
        return (self.valid_until - self.as_of).days if self.valid_until else None

    def attributes(self) -> dict[str, str]:
        """The ``data-*`` attributes validity.js reads (names without the ``data-`` prefix)."""
        values = {
            "as-of": self.as_of.isoformat(),
            "standing": "valid" if self.standing.valid else "invalid",
            "valid-until": self.valid_until.isoformat() if self.valid_until else "",
            "notice-days": str(self.notice_days),
        }
        return {name: value for name, value in values.items() if value}


def officer_validity(
    officer: Record, as_of: dt.date, notice_days: int = EXPIRY_NOTICE_DAYS
) -> OfficerValidity:
    return OfficerValidity(
        standing=standing(officer, as_of),
        as_of=as_of,
        valid_until=officer.date("valid_until"),
        expiring_soon=expires_within(officer, as_of, notice_days),
        notice_days=notice_days,
    )
