"""What search knows of each record: the tokens it is found by and the line it is shown with.

Only the public view is read: published decisions, and for a withdrawn decision a notice found
by its document number alone (nothing of the decision's content). Expired decisions and
warnings that are not published are absent from the view and so from the index. A natural
person's name is ``PublicDecision.party_name`` (masked), never ``party.name``.

Decisions' long texts (facts, basis, content) and inspection results' findings are the
``body``: indexed in a second, lighter field (texts.py). Certificate numbers and credit codes
add their 4-grams, so a fragment of four characters or more finds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, overload

from gongshi_records import Corpus, Record
from gongshi_records.inspections import PublicResult, public_results
from gongshi_records.publication import PublicDecision, PublicView
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.standing import standing
from gongshi_records.urls import page_of
from gongshi_records.views import Decision
from gongshi_records.vocabulary import PartyKind

from .texts import decision_body, result_body
from .tokens import code_grams, tokens

DIRECTORY, DECISIONS = "directory", "decisions"

# Record types search shows, in result order, with their labels (the type filter's options).
TYPES: Mapping[str, str] = {
    **{kind.value: RECORD_TYPES[kind].label for kind in (Kind.AGENCY, Kind.OFFICER, Kind.POWER)},
    Kind.DECISION.value: RECORD_TYPES[Kind.DECISION].label,
    "withdrawal": "撤回公告",  # not a record type: the notice that replaces a withdrawn decision
    # One document per inspected party (not a record type): 双随机 results must be findable by
    # the inspected party's name (DOMAIN.md). Last, so earlier types keep their numbers.
    "inspection": "双随机抽查结果",
}
# The types the decisions collection holds (the rest are in the directory).
DECISION_TYPES = (Kind.DECISION.value, "withdrawal", "inspection")
TYPE_ORDER = {kind: i for i, kind in enumerate(TYPES)}


# How a source text of a document's tokens is read (Terms).
FIELD, NAME, GRAMS = "field", "name", "grams"


class Terms(Sequence[str]):
    """A document's tokens (repeats kept: term frequencies), from its source texts, segmented
    when first asked. A rebuild finds most documents unchanged by their sources
    (``shards.Collection.add`` compares digests of them) and never needs their tokens:
    segmenting 100,000 decisions' fields was most of making the documents."""

    def __init__(self, *sources: tuple[str, str]) -> None:
        self.sources = sources  # (FIELD | NAME | GRAMS, text), in token order
        self._tokens: list[str] | None = None

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            made: list[str] = []
            for how, text in self.sources:
                if how == GRAMS:
                    made.extend(code_grams(text))
                else:
                    made.extend(tokens(text, name=how == NAME))
            self._tokens = made
        return self._tokens

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.tokens[index]

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[str]:
        return iter(self.tokens)  # not Sequence's, a __getitem__ call per token

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Terms):
            return self.sources == other.sources or self.tokens == other.tokens
        return isinstance(other, list) and self.tokens == other

    __hash__ = None  # type: ignore[assignment]  # as a list's: equal by value, mutable cache

    def __repr__(self) -> str:
        return f"Terms{self.sources!r}"


def field_sources(values: Iterable[Any], *, name: bool = False) -> list[tuple[str, str]]:
    """Each field a source of its own, so no token spans two fields; empty ones left out."""
    how = NAME if name else FIELD
    return [(how, str(v)) for v in values if v is not None and v != ""]


def gram_source(code: str) -> tuple[str, str]:
    return (GRAMS, code)


@dataclass(frozen=True)
class SearchDoc:
    """One search result: facets (filters), tokens and what the result list shows."""

    kind: str  # a key of TYPES
    agency: str  # agency key, "" for none
    year: str  # the year decided (notices: withdrawn; inspection results: checked); "" for none
    category: str  # decision or power category, officer 执法类别; "" for none
    order: tuple[str, ...]  # position among records with the same facets
    terms: Sequence[str]  # tokens with repeats (term frequencies): Terms, or a list
    title: str
    date: str  # ISO date shown with the result, "" for none
    url: str  # page, relative to the site root
    text: str  # the line under the title; highlighted by the browser
    # Searchable but not in the text line: a party's credit code, an agency's short name, an
    # officer's standing label (shown as a badge).
    extra: str = ""
    body: str = ""  # long text (facts, basis …): indexed with a lower weight, not shown

    def facets(self) -> tuple[int, str, str, str]:
        return (TYPE_ORDER[self.kind], self.agency, self.year, self.category)

    def parts(self) -> list[Any]:
        """Everything the document is made of, as JSON can state it: its tokens by their
        sources (the same sources give the same tokens under the same code)."""
        out: list[Any] = []
        for item in fields(self):
            value = getattr(self, item.name)
            out.append([list(s) for s in value.sources] if isinstance(value, Terms) else value)
        return out


def _text(*parts: tuple[str, Any]) -> str:
    return "　".join(f"{label}：{value}" for label, value in parts if value not in (None, ""))


def agency_doc(record: Record) -> SearchDoc:
    name, code = record.get("name", default=""), record.get("credit_code")
    return SearchDoc(
        kind=Kind.AGENCY,
        agency=record.key,
        year="",
        category="",
        order=(str(name),),
        terms=Terms(
            *field_sources([name, record.get("short_name"), code]), gram_source(str(code or ""))
        ),
        title=str(name),
        date="",
        url=page_of(record),
        text=_text(("统一社会信用代码", code), ("主体类别", record.get("kind"))),
        extra=str(record.get("short_name", default="") or ""),
    )


def officer_doc(record: Record, agency_name: str, as_of: dt.date) -> SearchDoc:
    name, category = str(record.get("name", default="")), str(record.get("category", default=""))
    label = standing(record, as_of).label
    return SearchDoc(
        kind=Kind.OFFICER,
        agency=record.agency or "",
        year="",
        category=category,
        order=(name, record.key),
        terms=Terms(
            *field_sources([name], name=True),
            *field_sources([record.key, category, label, agency_name]),
            gram_source(record.key),
        ),
        title=name,
        date=str(record.get("valid_until", default="") or ""),
        url=page_of(record),
        text=_text(("执法证号", record.key), ("执法类别", category)),
        # The effective standing on the build's date, as the officer page states it: searchable,
        # and shown as the page's badge (search.js, with the manifest's ``standings`` classes).
        extra=label,
    )


def power_doc(record: Record, agency_name: str) -> SearchDoc:
    name, code = str(record.get("name", default="")), record.get("code")
    category = str(record.get("category", default=""))
    return SearchDoc(
        kind=Kind.POWER,
        agency=record.agency or "",
        year="",
        category=category,
        order=(str(code), record.key),
        terms=Terms(*field_sources([name, code, category, agency_name])),
        title=name,
        date="",
        url=page_of(record),
        text=_text(("事项编码", code), ("事项类别", category)),
    )


def decision_doc(entry: PublicDecision, agency_name: str) -> SearchDoc:
    record = entry.record
    doc_no, category = record.get("doc_no"), str(record.get("category", default=""))
    decided = str(record.get("decided_on", default="") or "")
    natural = Decision(record).party_kind == PartyKind.NATURAL_PERSON
    credit_code = str(record.get("party", "credit_code", default="") or "")
    terms = Terms(
        *field_sources([entry.party_name], name=natural),
        *field_sources(
            [
                doc_no,
                credit_code,
                record.get("violation"),
                record.get("title"),
                category,
                agency_name,
                decided[:4],
            ]
        ),
        gram_source(credit_code),
    )
    return SearchDoc(
        kind=Kind.DECISION,
        agency=record.agency or "",
        year=decided[:4],
        category=category,
        order=(_reverse(decided), str(doc_no)),
        terms=terms,
        title=str(record.get("title") or doc_no),
        date=decided,
        url=page_of(record),
        text=_text(
            ("文号", doc_no), ("当事人", entry.party_name), ("违法行为", record.get("violation"))
        ),
        extra=credit_code,
        body=decision_body(record),
    )


def withdrawal_doc(entry: PublicDecision) -> SearchDoc:
    """A withdrawal notice, found by its document number only: the notice page shows the number,
    the cause and the date, and nothing else of the decision may be searchable."""
    record = entry.record
    doc_no = str(record.get("doc_no", default=""))
    occurred = str(record.get("withdrawal", "occurred_on", default="") or "")
    return SearchDoc(
        kind="withdrawal",
        agency=record.agency or "",
        year=occurred[:4],
        category="",
        order=(_reverse(occurred), doc_no),
        terms=Terms(*field_sources([doc_no])),
        title=f"撤回公告：{doc_no}",
        date=occurred,
        url=page_of(record),
        text=_text(("文号", doc_no), ("撤回原因", record.get("withdrawal", "cause"))),
    )


def inspection_doc(result: PublicResult, agency_name: str) -> SearchDoc:
    """One inspected party's result, found by the party's name (masked for a natural person, as
    the inspection page shows it) or credit code; it opens the inspection page at that row."""
    inspection = result.inspection
    title = str(inspection.get("title", default=""))
    checked = result.checked_on
    terms = Terms(
        *field_sources([result.party_name], name=result.natural_person),
        *field_sources([result.credit_code, title, result.outcome, agency_name, checked[:4]]),
        gram_source(result.credit_code or ""),
    )
    return SearchDoc(
        kind="inspection",
        agency=inspection.agency or "",
        year=checked[:4],
        category="",
        order=(_reverse(checked), inspection.key, f"{result.number:06d}"),
        terms=terms,
        title=f"抽查结果：{result.party_name}",
        date=checked,
        url=f"{page_of(inspection)}#{result.anchor}",
        text=_text(("抽查事项", title), ("检查结果", result.outcome)),
        extra=result.credit_code or "",
        body=result_body(result),
    )


def _reverse(iso_date: str) -> str:
    """Sorts newest first: digits complemented (2025-02-20 → 7974-97-79)."""
    return "".join(str(9 - int(c)) if c.isdigit() else c for c in iso_date)


def directory_docs(corpus: Corpus, as_of: dt.date) -> Iterator[SearchDoc]:
    names = {key: str(r.get("name", default="")) for key, r in corpus.agencies().items()}
    for record in corpus.records:
        if record.kind == Kind.AGENCY:
            yield agency_doc(record)
        elif record.kind == Kind.OFFICER:
            yield officer_doc(record, names.get(record.agency or "", ""), as_of)
        elif record.kind == Kind.POWER:
            yield power_doc(record, names.get(record.agency or "", ""))


def decision_docs(corpus: Corpus, view: PublicView) -> Iterator[SearchDoc]:
    agencies = corpus.agencies()
    for entry in view.published:
        agency = agencies.get(entry.record.agency or "")
        yield decision_doc(entry, str(agency.get("name") if agency else ""))
    for entry in view.withdrawn:
        yield withdrawal_doc(entry)


def inspection_docs(corpus: Corpus, view: PublicView) -> Iterator[SearchDoc]:
    names = {key: str(r.get("name", default="")) for key, r in corpus.agencies().items()}
    for result in public_results(corpus, view):
        yield inspection_doc(result, names.get(result.inspection.agency or "", ""))
