"""The rows of every table, read from the record model (values typed, not yet written)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gongshi_records import Corpus, Record
from gongshi_records.entrustment import deciding_authority
from gongshi_records.forking import map_forked
from gongshi_records.publication import PublicDecision, PublicView
from gongshi_records.registry import Kind
from gongshi_records.standing import standing
from gongshi_records.urls import page_of
from gongshi_records.views import Decision

from .columns import JOIN, Row
from .plainmemo import PlainTexts

log = logging.getLogger(__name__)
_WAN = Decimal(10000)
# Below this many decisions the rows are made here; decisions per task of a worker.
_FORK_ROWS = 2000
_ROWS_PER_TASK = 500


def text(value: Any) -> str | None:
    """A text cell: None for a missing or empty value, so CSV and JSON agree on "no value"."""
    if value is None or value == "":
        return None
    return str(value)


def joined(values: Any) -> str | None:
    return text(JOIN.join(str(v) for v in values)) if isinstance(values, list) else None


def amount(value: Any) -> Decimal | None:
    """Yuan as an exact decimal (YAML gives int or float: its shortest repr is the written one)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def wan(yuan: Decimal | None) -> Decimal | None:
    return None if yuan is None else yuan / _WAN


def _agency_part(record: Record, agencies: Mapping[str, Record]) -> Row:
    agency = agencies.get(record.agency or "")
    return {
        "agency_id": text(record.agency),
        "agency_name": text(agency.get("name") if agency else None),
    }


def agency_rows(corpus: Corpus) -> list[Row]:
    return [
        {
            "id": record.key,
            **{name: text(record.get(name)) for name in ("name", "credit_code", "kind", "region")},
            **{name: text(record.get(name)) for name in ("address", "phone", "website")},
            "page": page_of(record),
        }
        for record in corpus.of(Kind.AGENCY)
    ]


def officer_rows(corpus: Corpus, as_of: dt.date) -> list[Row]:
    """``effective_status`` is the officer page's status on the build date (``standing``)."""
    agencies = corpus.agencies()
    return [
        {
            "cert_no": record.key,
            "name": text(record.get("name")),
            **_agency_part(record, agencies),
            "category": text(record.get("category")),
            "region": text(record.get("region")),
            "roles": joined(record.get("roles")),
            "valid_from": text(record.get("valid_from")),
            "valid_until": text(record.get("valid_until")),
            "status": text(record.get("status")),
            "effective_status": standing(record, as_of).label,
            "unit": text(record.get("unit")),
            "page": page_of(record),
        }
        for record in corpus.of(Kind.OFFICER)
    ]


def legal_bases(bases: Any) -> str | None:
    """[{law: 《食品安全法》, article: 第三十四条}, …] → 《食品安全法》第三十四条；…"""
    if not isinstance(bases, list):
        return None
    parts = (
        str(b.get("law", "")) + str(b.get("article", "")) for b in bases if isinstance(b, dict)
    )
    return text(JOIN.join(p for p in parts if p))


def power_rows(corpus: Corpus) -> list[Row]:
    agencies = corpus.agencies()
    return [
        {
            **_agency_part(record, agencies),
            "code": record.place.stem,
            "name": text(record.get("name")),
            "category": text(record.get("category")),
            "basis": legal_bases(record.get("basis")),
            "handling_unit": text(record.get("handling_unit")),
            "time_limit": text(record.get("time_limit")),
            "flowchart": text(record.get("flowchart")),
            "page": page_of(record),
        }
        for record in corpus.of(Kind.POWER)
    ]


# The decision texts read as plain text (plainmemo.py keeps them from build to build).
_TEXTS = ("content", "basis", "facts")


def decision_rows(corpus: Corpus, view: PublicView, texts: PlainTexts | None = None) -> list[Row]:
    """Published decisions only: withdrawn and expired ones leave nothing in the data. Their
    texts' Markdown read as plain text is most of the work in a rebuild, where few pages
    converted it first: ``texts`` has the previous build's, and the rest is done by forked
    workers when there are many."""
    agencies, published = corpus.agencies(), view.published
    plain = texts or PlainTexts()
    if plain.known:  # read here, before the workers fork: they share it, not each read it
        log.debug("gongshi: %d 段决定文字沿用上次生成的纯文本", len(plain.known))

    def rows(start: int, stop: int) -> list[Row]:
        return [_decision_row(published[n], agencies, plain) for n in range(start, stop)]

    made = map_forked(rows, len(published), minimum=_FORK_ROWS, most=_ROWS_PER_TASK)
    if texts is not None:
        texts.save(
            (decision.record.get(name), str(row[name] or ""))
            for decision, row in zip(published, made, strict=True)
            for name in _TEXTS
        )
    return made


def _decision_row(
    decision: PublicDecision, agencies: Mapping[str, Record], plain: PlainTexts
) -> Row:
    record = decision.record
    agency = agencies.get(record.agency or "")
    return {
        "doc_no": text(record.get("doc_no")),
        **_agency_part(record, agencies),
        "agency_credit_code": text(agency.get("credit_code") if agency else None),
        **_authority_part(agency, agencies),
        "category": text(record.get("category")),
        "party_name": text(decision.party_name),  # masked per settings; never party.name
        "party_kind": text(record.get("party", "kind")),
        "party_credit_code": text(record.get("party", "credit_code")),
        "legal_rep": text(record.get("party", "legal_rep")),
        "violation": text(record.get("violation")),
        **_penalty_part(record),
        **_license_part(record),
        **{name: text(plain.of(record.get(name))) for name in _TEXTS},
        "decided_on": text(record.get("decided_on")),
        "publicity_until": text(decision.until.isoformat() if decision.until else None),
        "grade": text(decision.publicity.grade if decision.publicity else None),
        "major": record.get("major") is True,
        "late_reason": text(Decision(record).late_reason("publication")),
        "page": page_of(record),
    }


def _authority_part(agency: Record | None, agencies: Mapping[str, Record]) -> Row:
    """The 决定机关: a 受委托组织 decides in its entrusting agency's name."""
    authority = deciding_authority(agency, agencies) if agency else None
    return {
        "authority_name": text(authority.name if authority else None),
        "authority_credit_code": text(authority.credit_code if authority else None),
    }


def _penalty_part(record: Record) -> Row:
    fine = amount(record.get("penalty", "fine"))
    confiscated = amount(record.get("penalty", "confiscated"))
    return {
        "penalty_kinds": joined(record.get("penalty", "kinds")),
        "fine_yuan": fine,
        "fine_wan_yuan": wan(fine),
        "confiscated_yuan": confiscated,
        "confiscated_wan_yuan": wan(confiscated),
        "penalty_license": text(record.get("penalty", "license")),
    }


_LICENSE_FIELDS = (
    "doc_name",
    "kind",
    "certificate_name",
    "certificate_no",
    "valid_from",
    "valid_until",
)


def _license_part(record: Record) -> Row:
    return {f"license_{name}": text(record.get("license", name)) for name in _LICENSE_FIELDS}
