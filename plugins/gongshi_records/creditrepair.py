"""Withdrawal for credit repair (信用修复): only after the grade's minimum period, and never for a
penalty that cannot be repaired (DOMAIN.md; the periods come from grades.py).

A portal rule, not a record rule: the minimum periods and the date the 2026 grades start are
settings of the portal and the agency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .findings import Finding
from .grades import Publicity, Regime, grades_start, regime_on
from .model import Corpus, finding_at
from .publication import period_of, settings_for
from .registry import Kind
from .views import Decision

CREDIT_REPAIR = "信用修复"


def credit_repair(corpus: Corpus) -> Iterator[Finding]:
    """A 信用修复 withdrawal of a repairable penalty, on or after the earliest repair date; a
    stated grade where it has an effect."""
    settings: dict[str | None, dict[str, Any]] = {}
    for record in corpus.subjects(Kind.DECISION):
        if record.agency not in settings:
            settings[record.agency] = settings_for(corpus, record.agency)
        decision = Decision(record)
        yield from _grade_applies(decision, settings[record.agency])
        repair = decision.withdrawal_cause == CREDIT_REPAIR
        if not repair and decision.publicity_until is None:
            continue  # neither rule below can find anything: no period to work out
        period = period_of(record, settings[record.agency])
        if period is not None and repair:
            yield from _repair(decision, period)
        if period is not None:
            yield from _too_long(decision, period)


def _too_long(decision: Decision, period: Publicity) -> Iterator[Finding]:
    """A stated end past the grade's maximum keeps a penalty up longer than the law allows:
    the very mistake of a portal still on the 2021 periods (DOMAIN.md). Only from the 2026
    grades, whose maximum is the rule's own; the 2021 tiers hang on a local small-fine figure,
    so a longer stated period there may be the agency's reading, not a mistake."""
    stated = decision.publicity_until
    if period.regime is not Regime.CREDIT_REPAIR_2026 or stated is None or stated <= period.longest:
        return
    yield finding_at(
        decision.record,
        ("publicity_until",),
        "publicity.too-long",
        f"公示截止日 {stated} 晚于{period.regime}对{period.grade}失信信息的最长公示期"
        f"（至 {period.longest}）："
        "期满应停止公示，请核对；不写 publicity_until 即按规定计算",
        warn=True,
    )


def _repair(decision: Decision, period: Publicity) -> Iterator[Finding]:
    record, decided = decision.record, decision.decided_on
    if period.repair_from is None:
        kinds = "、".join(sorted(period.not_repairable))
        yield finding_at(
            record,
            ("withdrawal", "cause"),
            "credit-repair.not-repairable",
            f"处罚种类含“{kinds}”，属于不可信用修复的处罚，不能以信用修复提前撤下："
            f"将公示至 {period.until}，期满自动撤下；如因撤销、变更等撤下，请改正撤下原因",
        )
        return
    occurred = decision.withdrawal_occurred_on
    if decided is None or occurred is None or occurred >= period.repair_from:
        return
    yield finding_at(
        record,
        ("withdrawal", "occurred_on"),
        "credit-repair.too-early",
        f"信用修复最早可在 {period.repair_from} 申请：{_minimum(period)}，自决定日期 {decided} "
        f"起算；{occurred} 尚未满最短公示期，不能以信用修复撤下，请核对事由发生日期",
    )


def _minimum(period: Publicity) -> str:
    if period.regime is Regime.SAMR_2021:
        return f"按{period.regime}须公示满 {period.min_months} 个月（设置 repair_months_2021）"
    how = "记录写明" if period.stated else "按处罚种类和金额认定"
    return (
        f"{period.grade}失信信息（{how}）最短公示期为 {period.min_months} 个月"
        "（《信用修复管理办法》）"
    )


def _grade_applies(decision: Decision, settings: Mapping[str, Any]) -> Iterator[Finding]:
    """A stated grade on a decision it means nothing for is a mistake the clerk should see."""
    if decision.grade is None:
        return
    decided = decision.decided_on
    if not decision.is_penalty:
        problem = "只用于行政处罚决定"
    elif decided is not None and regime_on(decided, settings) is Regime.SAMR_2021:
        start = grades_start(settings)
        problem = (
            f"只用于 {start} 起作出的行政处罚；本决定按《市场监督管理行政处罚信息公示规定》"
            "（2021）计算公示期，写明的等级不起作用"
        )
    else:
        return
    yield finding_at(
        decision.record,
        ("grade",),
        "grade.not-applicable",
        f"失信信息等级（grade）{problem}：请删除 grade",
        warn=True,
    )
