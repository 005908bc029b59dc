"""The published portal as the templates see it: one object of queries over the record model.

Everything here reads the public view (gongshi_records.publication), so no template can reach
a withdrawn decision's content or an expired decision at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gongshi_exports import TABLES, Table, open_data_licence
from gongshi_history.report import AgencySummary
from gongshi_records import Corpus, Record
from gongshi_records.collation import officer_key
from gongshi_records.discretion import Benchmark, Level
from gongshi_records.entrustment import Entrustment, entrustment_of
from gongshi_records.identifiers import normalise_doc_no
from gongshi_records.inspections import PublicResult, public_results, results_of
from gongshi_records.publication import PublicDecision, PublicView, settings_for
from gongshi_records.registry import Kind
from gongshi_records.standing import STANDING_LABELS, Standing, standing
from gongshi_records.views import Decision
from gongshi_records.vocabulary import CATEGORIES, CATEGORY_SLUGS
from gongshi_search.examples import Example, search_examples
from gongshi_statistics.figures import compute

from .audit import Audit
from .decisionpage import Remedy, Summary, remedy, summary
from .review_staff import Engagement, StaffRatio, engagements, staff_ratio
from .statistics import Statistics
from .supervision import Supervision
from .validity import OfficerValidity, officer_validity
from .version import Seal, version_label

# Decision categories → ASCII slugs for list URLs, and the order lists show categories in.
POWER_CATEGORIES = CATEGORIES


# The order the agency index lists agencies' kinds in (agency.schema.json's enum).
AGENCY_KINDS = ("行政机关", "法律法规授权组织", "受委托组织")


# Open-data tables on the data page: each table's title, shorter where the page says less.
DATA_TABLE_LABELS: Mapping[str, str] = {"decisions": "执法决定"}
# Table Schema types as the data page's column dictionary names them.
DATA_TYPE_LABELS: Mapping[str, str] = {
    "string": "文本",
    "number": "数值",
    "integer": "整数",
    "date": "日期（YYYY-MM-DD）",
    "boolean": "是否（true / false）",
}


def text_slug(text: str) -> str:
    """A stable ASCII name for a Chinese value (e.g. an officer category) in a page URL."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Group:
    label: str
    items: list[Any]


def group_by(items: Iterable[Any], key: Any, order: Iterable[str] = ()) -> list[Group]:
    """Items grouped by ``key(item)``; groups in ``order`` first, then the rest sorted."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[str(key(item))].append(item)
    ordered = [label for label in order if label in groups]
    ordered += sorted(label for label in groups if label not in ordered)
    return [Group(label, groups[label]) for label in ordered]


class Site:
    """Queries the templates use; built once per build from the validated corpus."""

    def __init__(self, corpus: Corpus, view: PublicView, audit: Audit | None = None) -> None:
        self.corpus = corpus
        self.view = view
        self.audit = audit or Audit(None, problem="未读取 git 历史")
        self.as_of: dt.date = view.as_of
        self._agencies = corpus.agencies()
        self._officers = corpus.officers()
        self._powers = {r.key: r for r in corpus.of(Kind.POWER)}
        self._flowcharts = {r.key: r for r in corpus.of(Kind.FLOWCHART)}
        self._benchmarks = {r.key: r for r in corpus.of(Kind.DISCRETION)}
        # Everything a page asks per agency, grouped once (each group in corpus or view order):
        # record kind → agency → records, as Corpus.by_agency would list them.
        self._kinds: dict[str, dict[str | None, list[Record]]] = defaultdict(dict)
        for record in corpus:
            self._kinds[record.kind].setdefault(record.agency, []).append(record)
        self._published = _by_agency(view.published)
        self._withdrawn = _by_agency(view.withdrawn)
        self._on_site = {d.record.path for d in (*view.published, *view.withdrawn)}
        self._by_doc_no: dict[str, PublicDecision] = {}
        for d in view.published:
            doc_no = d.record.get("doc_no")
            if isinstance(doc_no, str):
                self._by_doc_no.setdefault(normalise_doc_no(doc_no), d)
        self._show_authors: dict[str | None, bool] = {}
        self._versions: dict[tuple[str | None, bool, int] | None, str] = {}
        self._all_officers = _officer_order(self._officers.values())
        years = {str(d.record.get("decided_on"))[:4] for d in view.published}
        self._years = sorted(years, reverse=True)
        present = {str(d.record.get("category")) for d in view.published}
        self._categories = [c for c in CATEGORY_SLUGS if c in present]
        self.standing_labels: Mapping[str, str] = STANDING_LABELS
        # Record-check findings of `gongshi report` (failed reviews …), per agency.
        self.supervision = Supervision(corpus, view, self.as_of)
        # The statistics pages' figures, from every record (withdrawn and expired included) and
        # the history where the build has one (timeliness; the agencies' first years).
        judged = self.audit.timeliness_on(self.as_of)  # the audit's judgement, not a second one
        figures = compute(corpus, self.as_of, self.audit.history, judged)
        self.statistics = Statistics(figures, corpus)

    # Agencies ------------------------------------------------------------------------------
    def agencies(self) -> list[Record]:
        return sorted(self._agencies.values(), key=lambda r: r.key)

    def agency_regions(self) -> list[tuple[str, list[Group]]]:
        """Agencies by 管辖区域, then by 主体性质 (the agency index of the decision lists)."""
        by_region = group_by(self.agencies(), lambda a: a.get("region") or "未填管辖区域")
        return [
            (region.label, group_by(region.items, lambda a: a.get("kind"), AGENCY_KINDS))
            for region in by_region
        ]

    def agency(self, key: str | None) -> Record | None:
        return self._agencies.get(key or "")

    def _of_kind(self, kind: str, agency: str) -> list[Record]:
        """The agency's records of a kind in corpus order (as Corpus.by_agency answers)."""
        return self._kinds.get(kind, {}).get(agency, [])

    def of_agency(self, kind: str, agency: str) -> list[Record]:
        return sorted(self._of_kind(kind, agency), key=lambda r: r.key)

    def one_of_agency(self, kind: str, agency: str) -> Record | None:
        return next(iter(self._of_kind(kind, agency)), None)

    def entrustment(self, agency: Record | None) -> Entrustment | None:
        """A 受委托组织's entrustment, its entrusting agency resolved (None for other agencies)."""
        return entrustment_of(agency, self._agencies) if agency is not None else None

    def entrusted_by(self, agency: Record) -> list[Record]:
        """The 受委托组织 of this portal that act in ``agency``'s name."""
        return [
            other
            for other in self.agencies()
            if (e := entrustment_of(other, self._agencies)) and e.authority.record is agency
        ]

    def supervision_rows(self) -> list[tuple[Record, AgencySummary | None]]:
        return [(agency, self.audit.summary(agency.key)) for agency in self.agencies()]

    def show_authors(self, record: Record) -> bool:
        """修订记录 name who changed a record only where the portal or agency allows it."""
        agency = record.agency
        if agency not in self._show_authors:
            shown = bool(settings_for(self.corpus, agency)["show_authors"])
            self._show_authors[agency] = shown
        return self._show_authors[agency]

    def data_version(self, trust: Seal | None = None) -> str:
        """The footer's data version in words (version.py); ``trust`` is gongshi_trust's.
        Worked out once per seal, not on every page: it reads every record's history."""
        seal = None if trust is None else (trust.commit, trust.uncommitted, trust.serial)
        if seal not in self._versions:
            self._versions[seal] = version_label(trust, self.audit.history)
        return self._versions[seal]

    # Officers ------------------------------------------------------------------------------
    def officers(self, agency: str | None = None) -> list[Record]:
        if agency is None:
            return list(self._all_officers)
        return _officer_order(self._of_kind(Kind.OFFICER, agency))

    def officer_groups(self, officers: Iterable[Record]) -> list[tuple[Record, list[Record]]]:
        """``officers`` by agency, in agency order, leaving out agencies with none (rosters)."""
        groups: dict[str | None, list[Record]] = defaultdict(list)
        for officer in officers:
            groups[officer.agency].append(officer)
        return [(a, groups[a.key]) for a in self.agencies() if groups.get(a.key)]

    def reviewers(self, agency: str) -> list[Record]:
        return [o for o in self.officers(agency) if "法制审核" in (o.get("roles") or [])]

    def review_staff(self, agency: str) -> list[Record]:
        """The agency's legal-review officers able to review as of the build's date."""
        return [o for o in self.reviewers(agency) if self.standing(o).valid]

    def review_staff_ratio(self, agency: str) -> StaffRatio:
        return staff_ratio(self.corpus, agency, self.as_of)

    def advisers(self, agency: str) -> list[Engagement]:
        """The agency's 法律顾问、公职律师 and experts, those engaged as of the build first."""
        return engagements(self._of_kind(Kind.ADVISER, agency), self.as_of)

    def adviser(self, agency: str | None, ident: Any) -> Record | None:
        """An adviser a decision of ``agency`` names in review.advisers."""
        return next(
            (a for a in self._of_kind(Kind.ADVISER, agency or "") if a.place.id == str(ident)), None
        )

    def officer(self, cert: Any) -> Record | None:
        return self._officers.get(str(cert))

    def standing(self, officer: Record) -> Standing:
        return standing(officer, self.as_of)

    def validity(self, officer: Record) -> OfficerValidity:
        """The certificate as pages state it "截至" the build's date, 即将到期 within the
        agency's certificate_notice window (the supervision page's)."""
        notice = self.supervision.notice_days(officer.agency)
        return officer_validity(officer, self.as_of, notice)

    def officer_categories(self) -> list[str]:
        return sorted({str(o.get("category")) for o in self._officers.values()})

    # Powers and flowcharts -------------------------------------------------------------------
    def powers(self, agency: str) -> list[Group]:
        items = self.of_agency(Kind.POWER, agency)
        return group_by(items, lambda r: r.get("category"), POWER_CATEGORIES)

    def power(self, agency: str | None, code: Any) -> Record | None:
        return self._powers.get(f"{agency}/{code}")

    def flowchart(self, agency: str | None, key: Any) -> Record | None:
        return self._flowcharts.get(f"{agency}/{key}")

    def discretion(self, agency: str | None, code: Any) -> Record | None:
        """The 行政裁量权基准 of a power item, if its agency publishes one."""
        return self._benchmarks.get(f"{agency}/{code}") if code else None

    def discretion_levels(self, benchmark: Record) -> list[tuple[Mapping[str, Any], str]]:
        """Each level of a benchmark, in its order, with its fine range in words (yuan)."""
        items = benchmark.get("levels") or []
        levels = Benchmark.of(benchmark).levels
        return [(items[level.index], self.fine_range(level)) for level in levels]

    @staticmethod
    def fine_range(level: Level) -> str:
        """A level's fine range as pages state amounts: "50,000.00 元至100,000.00 元"."""
        return level.range_text()

    def applied_discretion(self, decision: Record) -> tuple[Record, Level | None] | None:
        """The benchmark of a decision's power item and the level the decision names (None
        when it names none); None when the power item has no benchmark."""
        view = Decision(decision)
        benchmark = self.discretion(decision.agency, view.power)
        if benchmark is None:
            return None
        name = view.discretion_level
        return benchmark, Benchmark.of(benchmark).level(name) if name else None

    def powers_using(self, flowchart: Record) -> list[Record]:
        linked = {str(c) for c in flowchart.get("powers", default=[]) or []}
        return [
            p
            for p in self.of_agency(Kind.POWER, flowchart.agency or "")
            if p.get("flowchart") == flowchart.place.stem or str(p.get("code")) in linked
        ]

    # Decisions ---------------------------------------------------------------------------------
    def decisions(self, agency: str | None = None) -> list[PublicDecision]:
        if agency is None:
            return self.view.published
        return list(self._published.get(agency, []))

    def withdrawn(self, agency: str | None = None) -> list[PublicDecision]:
        if agency is None:
            return list(self.view.withdrawn)
        return list(self._withdrawn.get(agency, []))

    def on_site(self, record: Record) -> bool:
        """Whether a decision has a page (published, or its withdrawal notice): an expired one
        is counted in supervision figures but never named."""
        return record.path in self._on_site

    def decision_by_doc_no(self, doc_no: Any) -> PublicDecision | None:
        """The published decision with this 文号, in whichever bracket spelling validation
        accepts (`[2024]`, `【2024】`, `第…号` name the same decision as `〔2024〕`)."""
        if not isinstance(doc_no, str):
            return None
        return self._by_doc_no.get(normalise_doc_no(doc_no))

    def inspection_results(self, inspection: Record) -> list[PublicResult]:
        """An inspection's results as published: names masked like decisions' parties, a
        follow-up decision linked only while it is on the site."""
        settings = settings_for(self.corpus, inspection.agency)
        return results_of(inspection, settings, self._by_doc_no)

    def latest_inspection_results(self, count: int = 10) -> list[PublicResult]:
        """The portal's most recent 双随机 results (the home page, beside the latest decisions)."""
        return public_results(self.corpus, self.view)[:count]

    def decision_summary(self, entry: PublicDecision) -> Summary:
        """The decision page's first line: penalty and amounts, grade, 公示至 (decisionpage)."""
        return summary(entry)

    def decision_remedy(self, entry: PublicDecision) -> Remedy:
        """The remedy deadlines and the agency whose 救济渠道 section the page links."""
        return remedy(entry, self._agencies)

    def decision_years(self) -> list[str]:
        return list(self._years)

    def decision_categories(self) -> list[str]:
        return list(self._categories)

    def search_examples(self) -> list[Example]:
        """What search.html suggests typing: queries from this portal's own records."""
        return search_examples(self.corpus, self.view)

    # Open data -----------------------------------------------------------------------------
    def data_tables(self) -> list[tuple[str, str]]:
        """(name, label) of each open-data table, in export order (the data page)."""
        return [(t.name, DATA_TABLE_LABELS.get(t.name, t.title)) for t in TABLES]

    def data_dictionary(self) -> list[tuple[str, Table]]:
        """(label, table) of each open-data table: the data page lists its columns (the same
        declarations datapackage.json is written from, so the two cannot differ)."""
        labels = self.data_tables()
        return [(label, table) for (_name, label), table in zip(labels, TABLES, strict=True)]

    def data_type_label(self, type_name: str) -> str:
        return DATA_TYPE_LABELS.get(type_name, type_name)

    def data_licence(self) -> dict[str, str]:
        """The open data's licence, as datapackage.json states it."""
        return open_data_licence(self.corpus.portal.data if self.corpus.portal else {})


def _by_agency(decisions: Iterable[PublicDecision]) -> dict[str | None, list[PublicDecision]]:
    groups: dict[str | None, list[PublicDecision]] = defaultdict(list)
    for d in decisions:
        groups[d.record.agency].append(d)
    return dict(groups)


def _officer_order(officers: Iterable[Record]) -> list[Record]:
    """By agency, then in pinyin order (gongshi_records.collation: one key for every list)."""
    return sorted(officers, key=lambda r: (r.agency or "", officer_key(r)))
