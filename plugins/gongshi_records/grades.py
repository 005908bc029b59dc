"""How long a 行政处罚 decision stays published, and from when credit repair may end it early.

Two regimes, chosen by the decision date (DOMAIN.md, "How long a decision stays published"):

- before ``grades_from`` (2026-04-01): 《市场监督管理行政处罚信息公示规定》(市场监管总局令第45号,
  2021) art. 13 — 通报批评 or a small fine 3 months, other penalties 3 years;
- from then on: 《信用修复管理办法》(国家发展改革委令第36号, in force 2026-04-01) — penalties are
  graded 轻微 / 一般 / 严重, each with a minimum (credit repair possible after it) and a maximum
  (publication ends by itself) period, counted from the decision date.

Either way a restriction (限制从业 …) lasting longer keeps the decision up for its whole length,
and a record's own ``publicity_until`` wins over every default. Every number here is a setting
(portal.yaml or agency.yaml ``settings:``), merged key by key over the defaults below.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .views import Decision
from .vocabulary import PartyKind, PenaltyKind


class Regime(StrEnum):
    # Values are shown on decision pages.
    SAMR_2021 = "《市场监督管理行政处罚信息公示规定》（2021）"
    CREDIT_REPAIR_2026 = "《信用修复管理办法》（2026）"


class Grade(StrEnum):
    """失信信息的严重程度 (信用修复管理办法): the values of a decision's ``grade`` field."""

    MINOR = "轻微"
    GENERAL = "一般"
    SERIOUS = "严重"


# 《信用修复管理办法》 in force (国家发展改革委令第36号, 2025-11-20): the default of grades_from.
CREDIT_REPAIR_IN_FORCE = dt.date(2026, 4, 1)

# Settings of this module: (name, default, meaning), part of PUBLICATION_SETTINGS.
GRADE_SETTINGS: tuple[tuple[str, Any, str], ...] = (
    (
        "grades_from",
        CREDIT_REPAIR_IN_FORCE.isoformat(),
        "自此日（含）起作出的行政处罚按《信用修复管理办法》分轻微、一般、严重三级确定公示期；"
        "此前作出的按《市场监督管理行政处罚信息公示规定》（2021）",
    ),
    (
        # 行政处罚法 art. 51: 当场处罚 (简易程序) covers fines up to 200 yuan for a 公民 and 3,000
        # for a 法人或者其他组织. A 个体工商户 is a natural person in business (民法典 art. 54, in
        # the chapter on 自然人); its fine is imposed on the operator as a 公民, and local review
        # catalogues group it with 自然人 ("对自然人或个体工商户处以…"). So it gets 200.
        "minor_fine_limits",
        {PartyKind.NATURAL_PERSON: 200, PartyKind.INDIVIDUAL_BUSINESS: 200}
        | {PartyKind.ORGANISATION: 3000},
        "简易程序罚款上限（元，按相对人类别）：仅处警告、通报批评或不超过此数的罚款的，为轻微失信信息"
        "（行政处罚法第五十一条）",
    ),
    (
        "huge_fine",
        1000000,
        "巨额罚款下限（元）：罚款达到此数的，为严重失信信息",
    ),
    (
        "grade_max_months",
        {Grade.MINOR: 3, Grade.GENERAL: 12, Grade.SERIOUS: 36},
        "各等级最长公示期（月），即默认公示期：届满后自动停止公示",
    ),
    (
        "grade_min_months",
        {Grade.MINOR: 0, Grade.GENERAL: 3, Grade.SERIOUS: 12},
        "各等级最短公示期（月）：届满后方可申请信用修复提前撤下",
    ),
    (
        "publish_minor",
        True,
        "是否公示轻微失信信息（原则上不公示，确有必要的最长公示3个月）；"
        "仅处警告的另按 publish_warnings",
    ),
    (
        # 总局令第45号 art. 14 lets a party ask for early removal once 通报批评/较低数额罚款
        # information has been public 3 months and other information 1 year. The cap at the
        # decision's own period turns 12 into exactly that (a 3-month one gets 3). Counted from
        # the decision date, not the day it went public: a few days lenient, and a validator
        # has no git history. Recalled from the rule's text, not checked offline: a setting.
        "repair_months_2021",
        12,
        "2026-04-01 前作出的行政处罚，公示满多少个月后方可申请信用修复提前停止公示"
        "（《市场监督管理行政处罚信息公示规定》第十四条）；不超过其公示期",
    ),
)

_MINOR_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.CRITICISM})
_SERIOUS_KINDS = frozenset(
    {PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE}
    | {PenaltyKind.BAR_FROM_TRADE, PenaltyKind.DETENTION}
)
# Penalties whose publication credit repair cannot end early: 总局令第45号 art. 14 excludes
# 责令停产停业、吊销许可证件、限制从业-type penalties (DOMAIN.md); 责令关闭 is the graver form of
# 责令停产停业. They stay up for their whole period.
NOT_REPAIRABLE = frozenset(
    {PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.CLOSE}
    | {PenaltyKind.BAR_FROM_TRADE}
)


@dataclass(frozen=True)
class Publicity:
    """A 行政处罚 decision's publication period under the regime of its decision date."""

    regime: Regime
    grade: Grade | None  # None under the 2021 regime, which has no grades
    stated: bool  # the record states its grade (else derived from kinds and amounts)
    until: dt.date  # the last day it is shown
    min_months: int  # months before credit repair may end it early
    repair_from: dt.date | None  # earliest credit repair; None when the penalty cannot be repaired
    not_repairable: frozenset[str]  # the penalty kinds that rule credit repair out
    published: bool  # False only for a 轻微 decision while ``publish_minor`` is off
    longest: dt.date  # the regime's own end (a longer restriction included), whatever is stated

    @property
    def repair_ends_early(self) -> bool:
        """Whether credit repair can end publication before ``until`` (a 2021 small penalty's
        minimum equals its whole period)."""
        return self.repair_from is not None and self.repair_from < self.until


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it has no such day); the
    last date there is when that is past year 9999 (a decision dated 9999-12-01)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grades_start(settings: Mapping[str, Any]) -> dt.date:
    """The first decision date graded; a malformed setting (the schema reports it) reads as
    the date the 信用修复管理办法 came into force."""
    try:
        return dt.date.fromisoformat(str(settings.get("grades_from")))
    except ValueError:
        return CREDIT_REPAIR_IN_FORCE


def regime_on(decided: dt.date, settings: Mapping[str, Any]) -> Regime:
    start = grades_start(settings)
    return Regime.SAMR_2021 if decided < start else Regime.CREDIT_REPAIR_2026


def _yuan(value: object) -> Decimal:
    return Decimal(str(value))


def derived_grade(decision: Decision, settings: Mapping[str, Any]) -> Grade:
    """The grade a penalty's kinds and amounts give, with the agency's thresholds."""
    kinds, fine = decision.penalty_kinds, decision.fine
    if kinds & _SERIOUS_KINDS or fine >= _yuan(settings["huge_fine"]):
        return Grade.SERIOUS
    limits: Mapping[str, Any] = settings["minor_fine_limits"]
    # An unknown party kind (the schema reports it) gets the strictest limit.
    limit = limits.get(decision.party_kind or "", min(limits.values()))
    if kinds and kinds <= _MINOR_KINDS:
        return Grade.MINOR
    # A 罚款 without its amount cannot be judged small: it is not graded down to 轻微.
    small = decision.states_fine and fine <= _yuan(limit)
    if kinds and kinds <= _MINOR_KINDS | {PenaltyKind.FINE} and small:
        return Grade.MINOR
    return Grade.GENERAL


def grade_of(decision: Decision, settings: Mapping[str, Any]) -> tuple[Grade, bool]:
    """(grade, stated): the record's own ``grade`` when it has a valid one, else derived."""
    stated = decision.grade
    if stated in tuple(Grade):
        return Grade(stated), True
    return derived_grade(decision, settings), False


def _small_2021(decision: Decision, settings: Mapping[str, Any]) -> bool:
    """总局令第45号 art. 13: only 通报批评 (or 警告) or a fine up to ``small_fine``."""
    kinds = decision.penalty_kinds
    if kinds <= _MINOR_KINDS:
        return True
    return kinds <= _MINOR_KINDS | {PenaltyKind.FINE} and decision.fine <= _yuan(
        settings["small_fine"]
    )


def publicity(decision: Decision, settings: Mapping[str, Any]) -> Publicity | None:
    """The period of a 行政处罚 decision; None for other decisions or without a decision date."""
    decided = decision.decided_on
    if decided is None or not decision.is_penalty:
        return None
    regime = regime_on(decided, settings)
    grade: Grade | None = None
    stated, shown = False, True
    if regime is Regime.SAMR_2021:
        tier = "minor" if _small_2021(decision, settings) else "general"
        months = int(settings["publicity_months"][tier])
        min_months = min(int(settings["repair_months_2021"]), months)
    else:
        grade, stated = grade_of(decision, settings)
        months = int(settings["grade_max_months"][grade])
        min_months = int(settings["grade_min_months"][grade])
        shown = grade is not Grade.MINOR or bool(settings["publish_minor"])
    until = add_months(decided, months)
    restriction = decision.restriction_until
    if restriction and restriction > until:
        until = restriction
    longest, until = until, decision.publicity_until or until
    blocked = frozenset(str(kind) for kind in decision.penalty_kinds & NOT_REPAIRABLE)
    repair_from = None if blocked else add_months(decided, min_months)
    return Publicity(regime, grade, stated, until, min_months, repair_from, blocked, shown, longest)
