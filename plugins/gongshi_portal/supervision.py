"""The record checks of `gongshi report` on the supervision pages (a failed legal review, a
review after the decision, and whatever else gongshi_history.report.RECORD_CHECKS holds).

They read the records alone, so the pages list them even where a preview has no git history.
A finding is named (文号, link, message) only when its record is on public display: a
withdrawn, expired or never-published decision is counted in the figures but never named,
since none of its content may stay on the site (DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from gongshi_history.report import record_findings
from gongshi_history.reportfinding import NOT_PROBLEMS, ReportFinding, rule_label
from gongshi_records import Corpus, Record
from gongshi_records.publication import PublicView
from gongshi_records.registry import Kind, record_type


@dataclass(frozen=True)
class ShownFinding:
    """A finding as a supervision page lists it."""

    label: str  # the rule in Chinese
    name: str  # the record's 文号 (a decision) or name
    page: str | None  # the record's page, linked from the name; None: it has none
    message: str


class Supervision:
    """Record-check findings per agency, split into those a page may name and a count of the
    rest."""

    def __init__(self, corpus: Corpus, view: PublicView, as_of: dt.date) -> None:
        records = {r.path: r for r in corpus}
        published = {d.record.path for d in view.published}
        self._shown: dict[str | None, list[ShownFinding]] = defaultdict(list)
        self._hidden: Counter[str | None] = Counter()
        findings = sorted(record_findings(corpus, as_of), key=lambda f: (f.path, f.rule))
        for finding in (f for f in findings if f.rule not in NOT_PROBLEMS):
            record = records.get(finding.path)
            if record is not None and record.kind == Kind.DECISION and record.path not in published:
                self._hidden[finding.agency] += 1
            else:
                self._shown[finding.agency].append(_shown(finding, record))

    def shown(self, agency: str) -> list[ShownFinding]:
        return list(self._shown.get(agency, []))

    def hidden(self, agency: str) -> int:
        """Findings on decisions no longer (or never) on display: counted, not named."""
        return self._hidden.get(agency, 0)

    def count(self, agency: str) -> int:
        return len(self._shown.get(agency, [])) + self.hidden(agency)


def _shown(finding: ReportFinding, record: Record | None) -> ShownFinding:
    if record is None:
        return ShownFinding(rule_label(finding.rule), finding.path, None, finding.message)
    name = record.get("doc_no") or record.get("name") or record.get("title") or record.place.id
    page = record_type(record.kind).page_for(record.place)
    return ShownFinding(rule_label(finding.rule), str(name), page, finding.message)
