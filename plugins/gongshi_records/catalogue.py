"""What makes a decision major besides the clerk's word: the review catalogue's machine-checkable
criteria (``match`` on a review-catalog item, DESIGN.md) and a hearing (DOMAIN.md, "Legal review
in detail": a decision made after a hearing is always major).

The matching is pure — does decision X meet item Y, which items does it meet — so the validator
(``review.catalogue``, a warning at the decision's ``major:`` line), ``gongshi report``
(``catalogue-not-major``) and the catalogue's page all read one definition.

An item is met when the decision has the item's category and meets *any* of its criteria:
a listed penalty kind, a fine or confiscation at or above the threshold for its party kind, or a
hearing. A catalogue is the one in force since its ``updated_on``: earlier decisions were made
under an earlier catalogue the portal does not know, so they are not judged against this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import yuan
from .findings import Finding, error, warning
from .model import Corpus, Record
from .registry import Kind
from .views import Decision
from .vocabulary import PARTY_KINDS


def _thresholds(value: object) -> dict[str, Decimal]:
    """Party kind → positive amount, in the vocabulary's order (the schema reports the rest)."""
    if not isinstance(value, Mapping):
        return {}
    found = {}
    for kind in PARTY_KINDS:
        amount = value.get(kind)
        if isinstance(amount, int | float) and not isinstance(amount, bool) and amount > 0:
            found[kind] = Decimal(str(amount))
    return found


@dataclass(frozen=True)
class CatalogueItem:
    """One item of a review catalogue, with its machine-checkable criteria."""

    name: str
    category: str | None
    criteria: str
    penalty_kinds: tuple[str, ...] = ()
    fine_at_least: Mapping[str, Decimal] = field(default_factory=dict)
    confiscated_at_least: Mapping[str, Decimal] = field(default_factory=dict)
    hearing: bool = False

    @classmethod
    def from_data(cls, data: object) -> CatalogueItem:
        item = data if isinstance(data, Mapping) else {}
        match = item.get("match")
        match = match if isinstance(match, Mapping) else {}
        kinds = match.get("penalty_kinds")
        return cls(
            name=str(item.get("name") or ""),
            category=item.get("category") if isinstance(item.get("category"), str) else None,
            criteria=str(item.get("criteria") or ""),
            penalty_kinds=tuple(str(k) for k in kinds) if isinstance(kinds, list) else (),
            fine_at_least=_thresholds(match.get("fine_at_least")),
            confiscated_at_least=_thresholds(match.get("confiscated_at_least")),
            hearing=match.get("hearing") is True,
        )

    @property
    def checkable(self) -> bool:
        return bool(
            self.penalty_kinds or self.fine_at_least or self.confiscated_at_least or self.hearing
        )


def criteria_lines(item: CatalogueItem) -> tuple[str, ...]:
    """The item's criteria in readable Chinese, one line each (any one of them suffices)."""
    lines = []
    if item.penalty_kinds:
        kinds = "、".join(item.penalty_kinds)
        lines.append(f"处罚种类含{kinds}" + ("之一" if len(item.penalty_kinds) > 1 else ""))
    for label, floors in (("罚款", item.fine_at_least), ("没收金额", item.confiscated_at_least)):
        # "法人及非法人组织罚款 ≥ 100,000 元；个体工商户 ≥ 50,000 元": the label once.
        parts = [
            f"{kind}{'' if i else label} ≥ {yuan(amount)}"
            for i, (kind, amount) in enumerate(floors.items())
        ]
        if parts:
            lines.append("；".join(parts))
    if item.hearing:
        lines.append("经听证程序作出")
    return tuple(lines)


def meets(decision: Decision, item: CatalogueItem) -> tuple[str, ...]:
    """What in ``decision`` meets ``item``'s criteria, in Chinese; empty when nothing does."""
    if not item.checkable or decision.category != item.category:
        return ()
    reasons = []
    kinds = [kind for kind in item.penalty_kinds if kind in decision.penalty_kinds]
    if kinds:
        reasons.append(f"处罚种类含{'、'.join(kinds)}")
    party = decision.party_kind or ""
    for label, amount, floors in (
        ("罚款", decision.fine, item.fine_at_least),
        ("没收金额", decision.confiscated, item.confiscated_at_least),
    ):
        floor = floors.get(party)
        if floor is not None and amount >= floor:
            reasons.append(f"{party}{label} {yuan(amount)}，不低于起点 {yuan(floor)}")
    if item.hearing and decision.hearing:
        reasons.append("经听证程序作出")
    return tuple(reasons)


@dataclass(frozen=True)
class Met:
    """A catalogue item a decision meets, and why."""

    item: CatalogueItem
    reasons: tuple[str, ...]

    def text(self) -> str:
        return f"「{self.item.name}」（{'；'.join(self.reasons)}）"


def items_met(decision: Decision, items: Iterable[CatalogueItem]) -> list[Met]:
    """Every item ``decision`` meets, in catalogue order."""
    met = [Met(item, meets(decision, item)) for item in items]
    return [m for m in met if m.reasons]


@dataclass(frozen=True)
class Catalogue:
    """An agency's review catalogue."""

    record: Record

    @property
    def updated_on(self) -> dt.date | None:
        return self.record.date("updated_on")

    @property
    def items(self) -> tuple[CatalogueItem, ...]:
        items = self.record.get("items")
        return tuple(CatalogueItem.from_data(i) for i in items) if isinstance(items, list) else ()

    def in_force_for(self, decision: Decision) -> bool:
        """Whether the decision was made under this version of the catalogue."""
        if self.updated_on is None:
            return True
        return decision.decided_on is not None and decision.decided_on >= self.updated_on


def unmarked_major(corpus: Corpus) -> Iterator[tuple[Record, list[Met]]]:
    """Decisions that meet an item of their agency's catalogue but are not marked major, with
    the items they meet. The validator warns about them and `gongshi report` lists them: one
    condition for both."""
    catalogues = {r.agency: Catalogue(r) for r in corpus.of(Kind.REVIEW_CATALOG)}
    for record in corpus.subjects(Kind.DECISION):
        catalogue = catalogues.get(record.agency)
        decision = Decision(record)
        if catalogue is None or decision.major or not catalogue.in_force_for(decision):
            continue
        met = items_met(decision, catalogue.items)
        if met:
            yield record, met


def catalogue_thresholds(corpus: Corpus) -> Iterator[Finding]:
    """A warning at the `major:` line (or `decided_on`, when `major` is absent) of a decision
    that meets its agency's catalogue without being marked major. Not an error: a catalogue may
    be stricter than the law, and a decision already made cannot be changed."""
    for record, met in unmarked_major(corpus):
        where = ("major",) if Decision(record).has_major else ("decided_on",)
        mark = record.mark(where)
        items = "、".join(m.text() for m in met)
        message = (
            f"本决定满足本机关法制审核目录中的{items}，属于重大执法决定，应先经法制审核再作出："
            "请核对，属实的写 major: true 并填写法制审核 review"
        )
        yield warning(record.path, mark.line, mark.col, "review.catalogue", message)


def hearing_major(record: Record) -> Iterator[Finding]:
    """A decision made after a hearing is major: an error at its `major:` line, or at its
    `hearing:` line when `major` is absent (absent counts as not major)."""
    if record.kind != Kind.DECISION:
        return
    decision = Decision(record)
    if not decision.hearing or decision.major:
        return
    where = ("major",) if decision.has_major else ("hearing",)
    mark = record.mark(where)
    fix = "改为" if decision.has_major else "加上"
    message = (
        "听证后作出的决定属于重大执法决定，须 major: true 并经法制审核："
        f"请{fix} major: true 并填写法制审核 review"
    )
    yield error(record.path, mark.line, mark.col, "decision.hearing-major", message)
