"""The shapes of the statistics every layer shares: pages, charts, data/statistics.csv and the
report read these, and only ``figures.compute`` fills them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class CategoryFigures:
    """One decision category in one year: every decision made, withdrawn ones included."""

    category: str
    decisions: int = 0
    withdrawn: int = 0  # of ``decisions``, how many carry a withdrawal
    fines: Decimal = Decimal(0)  # yuan
    confiscated: Decimal = Decimal(0)  # yuan
    zero_reason: str | None = None  # 零执法: the statistics file's reason, when it states one


@dataclass
class KindFigures:
    """Penalties of one penalty kind (a decision with two kinds counts under both)."""

    kind: str
    decisions: int = 0
    fines: Decimal = Decimal(0)


@dataclass
class People:
    """An agency's officers on the as-of date (DOMAIN.md: share holding a valid certificate,
    legal-review staff ratio)."""

    officers: int = 0  # officers on the staff (在岗 or 暂扣), not those who left or were revoked
    valid: int = 0  # in post with a certificate valid on as_of
    enforcement: int = 0  # valid, with the 执法 role, not counted as review staff
    review_staff: int = 0  # valid officers with the 法制审核 role + advisers engaged on as_of
    minimum_share: Decimal = Decimal("0.05")  # the setting the ratio is judged against
    # False for a 受委托组织: its major decisions are reviewed by the entrusting agency, so it
    # has no review-staff ratio of its own (and stays out of the portal's).
    ratio_applies: bool = True

    @property
    def valid_share(self) -> Decimal | None:
        return Decimal(self.valid) / self.officers if self.officers else None

    @property
    def review_share(self) -> Decimal | None:
        return Decimal(self.review_staff) / self.enforcement if self.enforcement else None

    @property
    def meets_minimum(self) -> bool:
        """Whether review staff reach the minimum share (False without enforcement staff)."""
        share = self.review_share
        return share is not None and share >= self.minimum_share


@dataclass
class Timeliness:
    """Publication and withdrawal on time, from the git history (None without history)."""

    published: int = 0  # judged publications (on time + late + overdue)
    published_on_time: int = 0
    withdrawals: int = 0  # judged withdrawals
    withdrawals_on_time: int = 0

    @property
    def published_share(self) -> Decimal | None:
        return Decimal(self.published_on_time) / self.published if self.published else None

    @property
    def withdrawal_share(self) -> Decimal | None:
        return Decimal(self.withdrawals_on_time) / self.withdrawals if self.withdrawals else None


@dataclass
class YearFigures:
    """One agency's year (``agency`` None: the whole portal)."""

    year: int
    agency: str | None
    categories: list[CategoryFigures] = field(default_factory=list)  # vocabulary order
    penalty_kinds: list[KindFigures] = field(default_factory=list)  # vocabulary order
    licences: dict[str, int] = field(default_factory=dict)  # license.outcome → count
    coercive: int = 0  # 行政强制 decisions
    monthly: list[int] = field(default_factory=lambda: [0] * 12)  # decisions by month
    reported: dict[str, int] = field(default_factory=dict)  # figures from statistics/<year>.yaml
    people: People | None = None  # as of the build's date, current year only
    timeliness: Timeliness | None = None
    statistics_path: str | None = None  # the statistics file, when the agency published one

    @property
    def decisions(self) -> int:
        return sum(c.decisions for c in self.categories)

    @property
    def withdrawn(self) -> int:
        return sum(c.withdrawn for c in self.categories)

    @property
    def fines(self) -> Decimal:
        return sum((c.fines for c in self.categories), Decimal(0))

    @property
    def confiscated(self) -> Decimal:
        return sum((c.confiscated for c in self.categories), Decimal(0))


@dataclass
class PortalStatistics:
    """Every year owed, per agency and portal-wide, as of the build's date."""

    as_of: dt.date
    years: list[int]  # ascending: every year some agency owes figures for
    by_agency: dict[str, list[YearFigures]]  # agency id → its owed years, ascending
    portal: list[YearFigures]  # the portal-wide sum of each year

    def year(self, year: int) -> tuple[YearFigures | None, dict[str, YearFigures]]:
        """The portal-wide figures of ``year`` and each agency's (agencies not owing it absent)."""
        total = next((y for y in self.portal if y.year == year), None)
        agencies = {a: f for a, years in self.by_agency.items() for f in years if f.year == year}
        return total, agencies
