"""The Pelican generator that loads the records once and writes their pages.

Records are not Pelican articles (STYLE.md): they are read through gongshi_records, validated,
and written with ``writer.write_file`` so that every page is relative to the site root.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongshi_records import TYPE_LABELS, Corpus, Finding, Record, validate_content
from gongshi_records.findings import has_errors
from gongshi_records.publication import PublicDecision, PublicView, public_view, resolve_as_of
from pelican.generators import Generator

from .urls import page_of

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """The content has errors; nothing may be published until they are fixed."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{sum(1 for f in findings if f.severity == 'error')} 个错误，未生成网站")
        self.findings = findings


def gongshi_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    return dict(settings.get("GONGSHI") or {})


class RecordsGenerator(Generator):  # type: ignore[misc]  # Pelican ships no type hints
    """Validates content/ and writes the pages of every published record."""

    corpus: Corpus
    view: PublicView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.globals.update(page_of=page_of, TYPE_LABELS=TYPE_LABELS)

    def generate_context(self) -> None:
        validation = validate_content(Path(self.path))
        if has_errors(validation.findings):
            raise BuildFailed(validation.findings)
        for finding in validation.findings:  # warnings only: the site is built all the same
            log.warning("gongshi: %s", finding.text())
        self.corpus = validation.corpus
        as_of = resolve_as_of(gongshi_settings(self.settings).get("as_of"))
        self.view = public_view(self.corpus, as_of)
        self.context["gongshi"] = self
        self.context["portal"] = self.corpus.portal.data if self.corpus.portal else {}
        self.context["as_of"] = as_of

    # Queries the templates use -------------------------------------------------------------

    def agencies(self) -> list[Record]:
        return sorted(self.corpus.of("agency"), key=lambda r: r.key)

    def agency(self, key: str | None) -> Record | None:
        return self.corpus.agencies().get(key or "")

    def officers_of(self, agency: str) -> list[Record]:
        return sorted(self.corpus.by_agency("officer", agency), key=lambda r: r.key)

    def officer(self, cert: str) -> Record | None:
        return self.corpus.officers().get(str(cert))

    def decisions_of(self, agency: str) -> list[PublicDecision]:
        return self.view.by_agency(agency)

    def withdrawn_of(self, agency: str) -> list[PublicDecision]:
        return [d for d in self.view.withdrawn if d.record.agency == agency]

    # Output ----------------------------------------------------------------------------------

    def _write(self, writer: Any, name: str, template: str, **kwargs: Any) -> None:
        writer.write_file(
            name,
            self.get_template(template),
            self.context,
            relative_urls=True,
            page_name=name,
            **kwargs,
        )

    def generate_output(self, writer: Any) -> None:
        self._write(writer, "index.html", "index")
        for agency in self.agencies():
            self._write(writer, page_of(agency), "agency", agency=agency)
        for officer in self.corpus.of("officer"):
            self._write(
                writer,
                page_of(officer),
                "officer",
                officer=officer,
                agency=self.agency(officer.agency),
            )
        for entry in self.view.published:
            self._write(
                writer,
                page_of(entry.record),
                "decision",
                decision=entry,
                agency=self.agency(entry.record.agency),
            )
        for entry in self.view.withdrawn:
            self._write(
                writer,
                page_of(entry.record),
                "withdrawal",
                decision=entry,
                agency=self.agency(entry.record.agency),
            )
