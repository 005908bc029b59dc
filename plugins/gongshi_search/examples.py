"""What search.html suggests typing before a search: real queries taken from the portal's own
records, so every example finds something on this portal (and on no other).

Chosen deterministically from the same public view as the index: an officer whose certificate
is valid on the build's date (by certificate number), the newest published decision against an
organisation (its party and its document number), the first power-list item and agency. A
natural person is never an example: a masked name (张某) finds many people and says little.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongshi_records import Corpus, Record
from gongshi_records.publication import PublicDecision, PublicView
from gongshi_records.registry import Kind
from gongshi_records.standing import standing
from gongshi_records.views import Decision
from gongshi_records.vocabulary import PartyKind


@dataclass(frozen=True)
class Example:
    """One suggested query: what it is (UI label) and the text to search for."""

    label: str  # 执法人员姓名 | 执法证号 | 当事人名称 | 文号 | 权责清单事项 | 执法主体
    query: str


def search_examples(corpus: Corpus, view: PublicView) -> list[Example]:
    """The examples in the order the page lists them; a kind the portal lacks is left out."""
    found: list[Example] = []
    officer = _valid_officer(corpus, view.as_of)
    if officer is not None:
        found += [
            Example("执法人员姓名", str(officer.get("name"))),
            Example("执法证号", officer.key),
        ]
    decision = _organisation_decision(view)
    if decision is not None:
        found += [
            Example("当事人名称", decision.party_name),
            Example("文号", str(decision.record.get("doc_no"))),
        ]
    powers = sorted(corpus.of(Kind.POWER), key=lambda r: (r.agency or "", r.key))
    if powers:
        found.append(Example("权责清单事项", str(powers[0].get("name"))))
    agencies = sorted(corpus.of(Kind.AGENCY), key=lambda r: r.key)
    if agencies:
        agency = agencies[0]
        found.append(Example("执法主体", str(agency.get("short_name") or agency.get("name"))))
    return [example for example in found if example.query.strip()]


def _valid_officer(corpus: Corpus, as_of: dt.date) -> Record | None:
    valid = [r for r in corpus.of(Kind.OFFICER) if standing(r, as_of).valid and r.get("name")]
    return min(valid, key=lambda r: r.key, default=None)


def _organisation_decision(view: PublicView) -> PublicDecision | None:
    organisations = [
        d
        for d in view.published
        if Decision(d.record).party_kind != PartyKind.NATURAL_PERSON
        and d.party_name
        and d.record.get("doc_no")
    ]
    newest = sorted(
        organisations,
        key=lambda d: (str(d.record.get("decided_on", default="")), str(d.record.get("doc_no"))),
        reverse=True,
    )
    return newest[0] if newest else None
