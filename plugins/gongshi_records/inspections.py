"""双随机 results as the public sees them: one entry per inspected party, with the party's name
as publication allows it and the follow-up decision only while that decision is on the site.

Every output that shows a result (the inspection page, search, open data, the feed) reads
:func:`public_results`, so they agree on what is shown: a natural person's name is masked the
way a decision's party is (``publication.public_party_name``), and the 文号 of a follow-up
decision that was withdrawn or has expired is not repeated anywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .identifiers import normalise_doc_no
from .model import Corpus, Record
from .publication import PublicDecision, PublicView, public_party_name, settings_for
from .registry import Kind
from .vocabulary import PartyKind


@dataclass(frozen=True)
class PublicResult:
    """One inspected party's result, as published."""

    inspection: Record
    number: int  # 1-based position in the inspection's results (the page's anchor result-<n>)
    party_name: str  # masked per settings for a natural person
    party_kind: str | None
    credit_code: str | None
    checked_on: str  # ISO date as recorded
    outcome: str
    note: str | None
    followup: PublicDecision | None  # the published follow-up decision, if any
    followup_as_written: str | None  # its 文号 as the result writes it (any bracket spelling)

    @property
    def natural_person(self) -> bool:
        return self.party_kind == PartyKind.NATURAL_PERSON

    @property
    def anchor(self) -> str:
        return f"result-{self.number}"


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def published_by_doc_no(view: PublicView) -> dict[str, PublicDecision]:
    """Published decisions by normalised 文号 (any bracket spelling names the same decision)."""
    found: dict[str, PublicDecision] = {}
    for decision in view.published:
        doc_no = decision.record.get("doc_no")
        if isinstance(doc_no, str):
            found.setdefault(normalise_doc_no(doc_no), decision)
    return found


def results_of(
    inspection: Record,
    settings: Mapping[str, Any],
    published: Mapping[str, PublicDecision],
) -> list[PublicResult]:
    """The results of one inspection record, in the order the record lists them."""
    results = inspection.get("results", default=[]) or []
    out = []
    for number, item in enumerate(results, start=1):
        if not isinstance(item, dict):
            continue
        # public_party_name reads `party.name` and `party.kind` of a record: a result has the
        # same shape, so the one masking rule serves decisions and inspections alike.
        as_party = dataclasses.replace(inspection, data=item)
        doc_no = item.get("decision")
        followup = published.get(normalise_doc_no(doc_no)) if isinstance(doc_no, str) else None
        out.append(
            PublicResult(
                inspection,
                number,
                public_party_name(as_party, settings),
                _text(as_party.get("party", "kind")),
                _text(as_party.get("party", "credit_code")),
                str(item.get("checked_on", "")),
                str(item.get("outcome", "")),
                _text(item.get("note")),
                followup,
                doc_no if followup is not None and isinstance(doc_no, str) else None,
            )
        )
    return out


def public_results(corpus: Corpus, view: PublicView) -> list[PublicResult]:
    """Every inspection result of the portal, newest check first (then by inspection)."""
    published = published_by_doc_no(view)
    settings: dict[str | None, dict[str, Any]] = {}
    results: list[PublicResult] = []
    for inspection in corpus.of(Kind.INSPECTION):
        if inspection.agency not in settings:
            settings[inspection.agency] = settings_for(corpus, inspection.agency)
        results += results_of(inspection, settings[inspection.agency], published)
    return sorted(results, key=lambda r: (r.checked_on, r.inspection.key, -r.number), reverse=True)
