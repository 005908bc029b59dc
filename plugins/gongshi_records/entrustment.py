"""委托执法: an organisation of kind 受委托组织 acts in the name of the agency that entrusted it,
within the scope and period of a written entrustment (DOMAIN.md; 行政处罚法 art. 20).

The entrustment is a field of the organisation's own agency.yaml (``entrustment``). The view
here is what pages and exports read (in whose name a decision is made); the rules check that the
field is present exactly on a 受委托组织, names its authority, and that every decision of the
organisation falls within the entrustment's period. Whether the entrusting agency exists is the
registry's link (``reference.agency``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .findings import Finding
from .model import Corpus, Record, finding_at
from .registry import Kind
from .views import covers

ENTRUSTED = "受委托组织"  # the agency kind that needs an entrustment (agency.schema.json)


@dataclass(frozen=True)
class Authority:
    """The agency in whose name decisions are made: a record of this portal, or an agency
    outside it known by name (and credit code)."""

    name: str | None
    credit_code: str | None
    record: Record | None  # the agency's record when it is in this portal


@dataclass(frozen=True)
class Entrustment:
    """A 受委托组织's written entrustment."""

    authority: Authority
    instrument_no: str | None
    scope: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None  # None: the instrument states no end

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the entrustment's period (both ends included)."""
        return covers(self.valid_from, self.valid_until, day)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def entrustment_of(agency: Record, agencies: Mapping[str, Record]) -> Entrustment | None:
    """The entrustment of a 受委托组织 (None for any other agency, or when it states none);
    ``agencies`` (by key) resolves an entrusting agency of this portal."""
    if agency.get("kind") != ENTRUSTED or not isinstance(agency.get("entrustment"), dict):
        return None
    entrusting = agencies.get(str(agency.get("entrustment", "agency", default="")))
    if entrusting is not None and entrusting.key != agency.key:
        authority = Authority(
            _text(entrusting.get("name")), _text(entrusting.get("credit_code")), entrusting
        )
    else:
        authority = Authority(
            _text(agency.get("entrustment", "name")),
            _text(agency.get("entrustment", "credit_code")),
            None,
        )
    return Entrustment(
        authority,
        _text(agency.get("entrustment", "instrument_no")),
        _text(agency.get("entrustment", "scope")),
        agency.date("entrustment", "valid_from"),
        agency.date("entrustment", "valid_until"),
    )


def deciding_authority(agency: Record, agencies: Mapping[str, Record]) -> Authority:
    """In whose name an agency's decisions are made (the 处罚机关 / 决定机关 of the data
    standard): the entrusting agency for a 受委托组织, else the agency itself."""
    entrustment = entrustment_of(agency, agencies)
    if entrustment is not None and entrustment.authority.name:
        return entrustment.authority
    return Authority(_text(agency.get("name")), _text(agency.get("credit_code")), agency)


def entrustment_fields(record: Record) -> Iterator[Finding]:
    """A 受委托组织 states its entrustment and the authority behind it; no other agency does."""
    if record.kind != Kind.AGENCY:
        return
    kind, entrustment = record.get("kind"), record.get("entrustment")
    if kind == ENTRUSTED and entrustment is None:
        yield finding_at(
            record,
            ("kind",),
            "entrustment.missing",
            "主体性质为“受委托组织”，但没有填写委托执法 entrustment：请写明委托机关、委托书编号、"
            "委托范围和委托期限（行政处罚法第二十条）",
            at_key=False,
        )
    # An empty kind (a fresh `gongshi new` template) is the schema's finding, not this one.
    if entrustment is not None and isinstance(kind, str) and kind not in ("", ENTRUSTED):
        yield finding_at(
            record,
            ("entrustment",),
            "entrustment.kind",
            f"主体性质为“{kind}”，不是受委托组织，不应填写委托执法 entrustment："
            "请删除 entrustment，或把 kind 改为 受委托组织",
            at_key=True,
        )
    if isinstance(entrustment, dict) and not (entrustment.get("agency") or entrustment.get("name")):
        yield finding_at(
            record,
            ("entrustment",),
            "entrustment.authority",
            "委托执法没有写明委托机关：委托机关在本平台公示的，写 agency（其文件夹名）；"
            "不在本平台的，写 name（全称）和 credit_code",
            at_key=True,
        )


def entrustment_rules(corpus: Corpus) -> Iterator[Finding]:
    """The entrusting agency may not be the organisation itself nor another 受委托组织 (no
    sub-entrustment), and every decision of a 受委托组织 falls within its entrustment's period."""
    agencies = corpus.agencies()
    for agency in agencies.values():
        entrusting = agencies.get(str(agency.get("entrustment", "agency", default="")))
        if entrusting is not None and agency.get("kind") == ENTRUSTED:
            yield from _entrusting_agency(agency, entrusting)
        entrustment = entrustment_of(agency, agencies)
        if entrustment is not None:
            for decision in corpus.by_agency(Kind.DECISION, agency.key):
                yield from _within_period(decision, entrustment)


def _entrusting_agency(agency: Record, entrusting: Record) -> Iterator[Finding]:
    where = ("entrustment", "agency")
    if entrusting.key == agency.key:
        yield finding_at(
            agency,
            where,
            "entrustment.agency",
            "委托机关不能是本主体自己：请写委托本组织执法的行政机关的标识",
            at_key=False,
        )
    elif entrusting.get("kind") == ENTRUSTED:
        yield finding_at(
            agency,
            where,
            "entrustment.agency",
            f"「{entrusting.get('name')}」本身是受委托组织，不得再委托其他组织（行政处罚法第二十条）："
            "请写原委托的行政机关",
            at_key=False,
        )


def _within_period(decision: Record, entrustment: Entrustment) -> Iterator[Finding]:
    decided = decision.date("decided_on")
    if decided is None or entrustment.covers(decided):
        return
    start = entrustment.valid_from.isoformat() if entrustment.valid_from else "（未写）"
    end = entrustment.valid_until.isoformat() if entrustment.valid_until else "（未写）"
    yield finding_at(
        decision,
        ("decided_on",),
        "entrustment.period",
        f"决定日期 {decided} 不在委托期限 {start} 至 {end} 内：受委托组织只能在委托期限内"
        "以委托机关的名义执法；请核对决定日期，或在 agency.yaml 中更正委托期限",
        at_key=False,
    )
