"""The figures only an agency's statistics file gives (statistics/<year>.yaml, DOMAIN.md:
inspections carried out, 复议 and 诉讼 cases and outcomes, cases transferred to judicial organs,
complaints) and its 零执法 reasons, put into the year they belong to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gongshi_history.deadlines import holds_annual_figures
from gongshi_records.model import Corpus, Record
from gongshi_records.registry import Kind
from gongshi_records.schema import field_schema, schema_for

from .model import YearFigures

# The sections of statistics.schema.json whose whole-number fields are figures, in the order
# pages show them; ``YearFigures.reported`` keys are "<section>.<field>" (inspections.done).
SECTIONS: tuple[str, ...] = (
    "inspections",
    "reconsideration",
    "litigation",
    "transfers",
    "complaints",
)
ZERO_ENFORCEMENT = "zero_enforcement"


@dataclass(frozen=True)
class ReportedField:
    """One figure of the statistics file, with the schema's Chinese titles."""

    key: str  # "inspections.done"
    section: str  # 行政检查
    title: str  # 完成检查数
    description: str


def reported_fields() -> list[ReportedField]:
    """Every figure a statistics file may give, in schema order (the pages' rows)."""
    root = schema_for(Kind.STATISTICS)
    found = []
    for section in SECTIONS:
        node = field_schema(root, (section,))
        for name in node.get("properties", {}):
            field = field_schema(root, (section, name))
            if field.get("type") == "integer":
                found.append(
                    ReportedField(
                        f"{section}.{name}",
                        str(node.get("title", section)),
                        str(field.get("title", name)),
                        str(field.get("description", "")),
                    )
                )
    return found


def reported_files(corpus: Corpus) -> dict[tuple[str, int], Record]:
    """Each agency's statistics files by (agency, year); the year is the file's name."""
    files: dict[tuple[str, int], Record] = {}
    for record in corpus.of(Kind.STATISTICS):
        if record.agency and record.place.id.isdigit():
            files[(record.agency, int(record.place.id))] = record
    return files


def reported_figures(record: Record) -> dict[str, int]:
    """The whole-number figures a statistics file states, keyed "<section>.<field>"."""
    figures: dict[str, int] = {}
    for section in SECTIONS:
        values = record.get(section)
        if not isinstance(values, Mapping):
            continue
        for name, value in values.items():
            if isinstance(value, int) and not isinstance(value, bool):
                figures[f"{section}.{name}"] = value
    return figures


def zero_reasons(record: Record) -> dict[str, str]:
    """The categories the file says had no enforcement (零执法), with the reason given."""
    reasons = record.get(ZERO_ENFORCEMENT)
    if not isinstance(reasons, Mapping):
        return {}
    return {str(k): v for k, v in reasons.items() if isinstance(v, str) and v}


def add_reported(year: YearFigures, record: Record | None) -> None:
    """Put a statistics file's figures and 零执法 reasons into its year (nothing without one).
    A file holding only the half-year report (``year`` and ``half_year``) is not the year's
    statistics yet: ``statistics_path`` stays None until it holds the annual figures."""
    if record is None:
        return
    if holds_annual_figures(record.data):
        year.statistics_path = record.path
    year.reported.update(reported_figures(record))
    reasons = zero_reasons(record)
    for category in year.categories:
        category.zero_reason = reasons.get(category.category)
