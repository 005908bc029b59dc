"""What the public may see of a decision on a given day (DOMAIN.md, publication periods).

Every output (pages, search, feeds, exports) asks this module, so a withdrawn or expired
decision disappears from all of them at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .forking import LIGHT_RECORDS, LIGHT_RECORDS_PER_TASK, map_forked
from .grades import GRADE_SETTINGS, Publicity, publicity
from .model import Corpus, Record
from .registry import Kind
from .views import Decision
from .vocabulary import PartyKind, PenaltyKind

# Publication settings: (name, default, meaning). portal.yaml `settings:` overrides them for the
# portal, agency.yaml `settings:` for one agency.
PUBLICATION_SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("party_name", "姓氏加某", "自然人当事人姓名的公开方式：全名 | 姓氏加某"),
    ("publish_warnings", False, "是否公开仅给予警告的行政处罚（市场监管总局规定默认不公开）"),
    ("small_fine", 10000, "不超过此金额（元）的单处罚款视为“较小数额罚款”，公示3个月"),
    (
        "publicity_months",
        {"minor": 3, "general": 36},
        "公示期（月）：minor 通报批评/小额罚款；general 其他处罚",
    ),
    ("show_authors", False, "修订记录中是否显示修改人"),
    # staffing.py: legal-review staff against enforcement staff, at least 5% [policy].
    ("review_staff_min_share", 0.05, "法制审核人员占执法人员的最低比例，默认 0.05（5%）"),
    # small_fine and publicity_months above are the 2021 rule; the 2026 grades are these:
    *GRADE_SETTINGS,
)

COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙"}
    | {"宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里"}
)


class Status(StrEnum):
    PUBLISHED = "published"  # shown everywhere
    WITHDRAWN = "withdrawn"  # only a withdrawal notice, none of the content
    EXPIRED = "expired"  # publicity period over: nowhere at all
    NOT_PUBLISHED = "not-published"  # never published (warning-only penalty by setting)
    PENDING = "pending"  # dated after the build's date: held back until that day (future.py)


@dataclass(frozen=True)
class Publication:
    status: Status
    until: dt.date | None
    publicity: Publicity | None = None  # a 行政处罚's grade and credit-repair dates


def settings_layers(corpus: Corpus, agency: str | None) -> list[Mapping[str, Any]]:
    """The `settings:` mappings that apply to an agency's records: the portal's, then its own."""
    layers = [corpus.portal, corpus.agencies().get(agency or "")]
    found = [layer.get("settings") for layer in layers if layer is not None]
    return [settings for settings in found if isinstance(settings, Mapping)]


def merge_settings(defaults: Mapping[str, Any], layers: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Defaults overridden layer by layer; a nested mapping (publicity_months, deadlines) is
    merged key by key, so `publicity_months: {minor: 6}` keeps the default `general`. A value
    of another type than its default (`huge_fine: 十万`, `minor_fine_limits: [1]`) is the
    schema's error to report; here it is passed over, so no rule or report trips on it."""
    merged = {
        key: dict(value) if isinstance(value, Mapping) else value for key, value in defaults.items()
    }
    for layer in layers:
        for key, value in layer.items():
            default = defaults.get(key)
            if isinstance(default, Mapping) and isinstance(value, Mapping):
                sample = next(iter(default.values()), None)
                merged[key].update(
                    (k, v) for k, v in value.items() if _fits(default.get(k, sample), v)
                )
            elif _fits(default, value):
                merged[key] = value
    return merged


def _fits(default: Any, value: Any) -> bool:
    """Whether ``value`` may stand for ``default``: same kind, and a number finite and ≥ 0."""
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int | float):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and math.isfinite(value) and value >= 0
    return isinstance(value, type(default) if not isinstance(default, Mapping) else Mapping)


def settings_for(corpus: Corpus, agency: str | None) -> dict[str, Any]:
    """Defaults, then the portal's overrides, then the agency's."""
    defaults = {name: default for name, default, _ in PUBLICATION_SETTINGS}
    return merge_settings(defaults, settings_layers(corpus, agency))


def period_of(record: Record, settings: Mapping[str, Any]) -> Publicity | None:
    """A 行政处罚's period, grade and credit-repair dates (grades.py); None for other decisions.
    ``settings`` come from :func:`merge_settings`, so every value has its default's type."""
    return publicity(Decision(record), settings)


def publicity_until(record: Record, settings: Mapping[str, Any]) -> dt.date | None:
    """The last day a decision stays public: its own date, else the default for its penalty
    under the regime of its decision date (grades.py)."""
    period = period_of(record, settings)
    return period.until if period else record.date("publicity_until")


def publishable(record: Record, settings: Mapping[str, Any]) -> bool:
    """False for a decision the settings keep off the portal altogether: warning-only
    (publish_warnings), or a 轻微 one under the 2026 grades (publish_minor)."""
    return _publishable(record, settings, period_of(record, settings))


def _publishable(record: Record, settings: Mapping[str, Any], period: Publicity | None) -> bool:
    """publishable, with the decision's period already worked out (``period_of``)."""
    if Decision(record).penalty_kinds == {PenaltyKind.WARNING}:
        # A warning alone follows publish_warnings only, under either regime.
        return bool(settings["publish_warnings"])
    return period is None or period.published


def publication(record: Record, settings: Mapping[str, Any], as_of: dt.date) -> Publication:
    period = period_of(record, settings)
    until = period.until if period else record.date("publicity_until")
    # Never published, so never withdrawn either: no notice for what the public never saw.
    # (The period worked out once: for 100,000 decisions it is most of the view's time.)
    if not _publishable(record, settings, period):
        return Publication(Status.NOT_PUBLISHED, until, period)
    # A static site has no clock: a decision dated after the build appears with the first
    # daily build on or after its date, not at once (and not never).
    decision = Decision(record)
    if decision.decided_on is not None and decision.decided_on > as_of:
        return Publication(Status.PENDING, until, period)
    # Once the period is over even a withdrawal notice has nothing left to correct.
    if until is not None and until < as_of:
        return Publication(Status.EXPIRED, until, period)
    if decision.withdrawn_by(as_of):
        return Publication(Status.WITHDRAWN, until, period)
    return Publication(Status.PUBLISHED, until, period)


def public_party_name(record: Record, settings: Mapping[str, Any]) -> str:
    """A natural person's name as the settings allow it (张三 → 张某); organisations in full."""
    name = str(record.get("party", "name", default=""))
    natural = Decision(record).party_kind == PartyKind.NATURAL_PERSON
    if not natural or settings["party_name"] == "全名":
        return name
    if "某" in name or "*" in name:
        return name
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname + "某"


# A decision as a forked worker of public_view reads it: what PublicDecision holds but the record.
_Reading = tuple[Status, dt.date | None, str, Publicity | None]


@dataclass(frozen=True)
class PublicDecision:
    """A decision as the public may see it on the build's date."""

    record: Record
    status: Status
    until: dt.date | None
    party_name: str
    publicity: Publicity | None = None  # grade, regime and credit repair (行政处罚 only)


@dataclass
class PublicView:
    """The decisions that appear in any output, split by how they appear."""

    as_of: dt.date
    published: list[PublicDecision]
    withdrawn: list[PublicDecision]

    def by_agency(self, agency: str) -> list[PublicDecision]:
        return [d for d in self.published if d.record.agency == agency]


def public_view(corpus: Corpus, as_of: dt.date) -> PublicView:
    """Sort every decision into published, withdrawn (notice only) or absent, newest first.
    Each decision is read across the cores (100,000 decisions took 3 s in one process)."""
    view = PublicView(as_of, [], [])
    decisions = sorted(
        corpus.of(Kind.DECISION), key=lambda r: (str(r.get("decided_on")), r.path), reverse=True
    )

    def read(start: int, stop: int) -> list[_Reading]:
        by_agency: dict[str | None, dict[str, Any]] = {}
        readings = []
        for record in decisions[start:stop]:
            if record.agency not in by_agency:
                by_agency[record.agency] = settings_for(corpus, record.agency)
            settings = by_agency[record.agency]
            pub = publication(record, settings, as_of)
            name = public_party_name(record, settings)
            readings.append((pub.status, pub.until, name, pub.publicity))
        return readings

    made = map_forked(read, len(decisions), minimum=LIGHT_RECORDS, most=LIGHT_RECORDS_PER_TASK)
    for record, (status, until, name, period) in zip(decisions, made, strict=True):
        entry = PublicDecision(record, status, until, name, period)
        if status is Status.PUBLISHED:
            view.published.append(entry)
        elif status is Status.WITHDRAWN:
            view.withdrawn.append(entry)
    return view


def resolve_as_of(value: str | dt.date | None) -> dt.date:
    """The build's date. This is the one place a build may read the wall clock: only when no
    ``--as-of`` was given, and only once, so every output agrees on what has expired."""
    if isinstance(value, dt.date):
        return value
    if value:
        return dt.date.fromisoformat(value)
    return dt.date.today()
