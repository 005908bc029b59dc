"""What a decision page tells a party it can act on (issue 12 item 6): one summary line (the
penalty, its amounts, how long it stays public), the statutory remedy deadlines and the agency
section that says where to apply.

The deadlines run from the day the party knew of the decision (received it), which the portal
does not know: the page states them as the law has them, and any date it prints is labelled as
counted from the decision date — the earliest the legal start can be, so the true deadline is
never earlier than that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gongshi_records import Record
from gongshi_records.amounts import yuan
from gongshi_records.entrustment import entrustment_of
from gongshi_records.grades import add_months
from gongshi_records.publication import PublicDecision
from gongshi_records.views import Decision
from gongshi_records.vocabulary import PENALTY_KINDS, PenaltyKind

# 《中华人民共和国行政复议法》（2023修订）第二十条: within 60 days of knowing the act.
REVIEW_DAYS = 60
# 《中华人民共和国行政诉讼法》第四十六条: within 6 months of knowing the act (suing directly).
LITIGATION_MONTHS = 6
# The two confiscations share one amount (`penalty.confiscated`: 没收违法所得, 含非法财物折价).
_CONFISCATIONS = (PenaltyKind.CONFISCATE_GAINS.value, PenaltyKind.CONFISCATE_PROPERTY.value)


@dataclass(frozen=True)
class Summary:
    """The line at the top of a decision page."""

    what: str  # "罚款 5,000.00 元；没收违法所得 1,200.00 元", or the category of a non-penalty
    grade: str | None  # "一般失信信息" (from 2026-04-01 only; the 2021 rule has no grades)
    until: dt.date | None  # the last day it is public, when it has an end


@dataclass(frozen=True)
class Remedy:
    """The remedy deadlines, with dates counted from the decision date (labelled so)."""

    decided_on: dt.date | None
    review_by: dt.date | None  # decision date + 60 days
    litigation_by: dt.date | None  # decision date + 6 months
    agency: Record | None  # whose 救济渠道 section (agency page ``#remedies``) the page links


def _ordered(kinds: Iterable[str]) -> list[str]:
    """Penalty kinds in 行政处罚法 art. 9's order (the vocabulary's), unknown ones last."""
    rank = {kind: i for i, kind in enumerate(PENALTY_KINDS)}
    return sorted(kinds, key=lambda kind: (rank.get(kind, len(rank)), kind))


def penalty_text(decision: Decision) -> str:
    """The penalty in words, e.g. "罚款 5,000.00 元；没收违法所得 1,200.00 元；吊销许可证件": each
    kind once, an amount beside the kind it belongs to; an amount the record states without
    its kind is still shown."""
    parts: list[str] = []
    fine, confiscated = decision.fine, decision.confiscated
    kinds = _ordered(decision.penalty_kinds)
    for kind in kinds:
        if kind == PenaltyKind.FINE:
            parts.append(f"罚款 {yuan(fine)}" if fine > 0 else kind)
        elif kind in _CONFISCATIONS:
            if kind == next(k for k in kinds if k in _CONFISCATIONS):  # the group, once
                group = "、".join(k for k in kinds if k in _CONFISCATIONS)
                parts.append(f"{group} {yuan(confiscated)}" if confiscated > 0 else group)
        else:
            parts.append(kind)
    if fine > 0 and PenaltyKind.FINE not in kinds:
        parts.append(f"罚款 {yuan(fine)}")
    if confiscated > 0 and not any(k in _CONFISCATIONS for k in kinds):
        parts.append(f"没收 {yuan(confiscated)}")
    return "；".join(parts)


def summary(entry: PublicDecision) -> Summary:
    decision = Decision(entry.record)
    period = entry.publicity
    if decision.is_penalty:
        what = penalty_text(decision) or str(decision.category)
    else:
        outcome = decision.licence_outcome
        what = f"{decision.category}：{outcome}" if outcome else str(decision.category or "")
    grade = f"{period.grade}失信信息" if period and period.grade else None
    return Summary(what, grade, entry.until)


def remedy(entry: PublicDecision, agencies: Mapping[str, Record]) -> Remedy:
    decided = Decision(entry.record).decided_on
    review_by = litigation_by = None
    if decided is not None:
        litigation_by = add_months(decided, LITIGATION_MONTHS)
        if decided <= dt.date.max - dt.timedelta(days=REVIEW_DAYS):
            review_by = decided + dt.timedelta(days=REVIEW_DAYS)
    return Remedy(decided, review_by, litigation_by, remedies_agency(entry.record, agencies))


def remedies_agency(decision: Record, agencies: Mapping[str, Record]) -> Record | None:
    """The agency whose 救济渠道 the decision page links: its own when it states them, else —
    for a 受委托组织 — the entrusting agency in whose name it decided; None when neither
    does (the page then states the law without a link)."""
    own = agencies.get(decision.agency or "")
    if own is None:
        return None
    if own.get("remedies"):
        return own
    entrustment = entrustment_of(own, agencies)
    authority = entrustment.authority.record if entrustment else None
    return authority if authority is not None and authority.get("remedies") else None
