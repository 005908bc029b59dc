"""data/statistics.csv and .json (DESIGN.md: year, agency, category, decisions, withdrawn,
fines, confiscated): the rows add up to the computed figures, and 零执法 shows as zeros."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import write
from gongshi_exports import open_data, write_open_data
from gongshi_records import Corpus, validate_content
from gongshi_records.publication import public_view
from gongshi_records.zeroenforcement import power_categories
from gongshi_statistics.figures import compute, listed_categories
from gongshi_statistics.model import PortalStatistics
from statsfixture import AS_OF, QUIET, power, statistics_portal

COLUMNS = ["year", "agency", "category", "decisions", "withdrawn", "fines", "confiscated"]


@pytest.fixture
def corpus(mini: Path) -> Corpus:
    return validate_content(statistics_portal(mini)).corpus


@pytest.fixture
def stats(corpus: Corpus) -> PortalStatistics:
    return compute(corpus, AS_OF)


@pytest.fixture
def rows(corpus: Corpus, stats: PortalStatistics) -> list[dict[str, str]]:
    data = open_data(corpus, public_view(corpus, AS_OF), stats)
    text = data.files["statistics.csv"].decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in table[1:]]


def test_rows_add_up_to_the_portal_totals(
    rows: list[dict[str, str]], stats: PortalStatistics
) -> None:
    for total in stats.portal:
        mine = [r for r in rows if r["year"] == str(total.year)]
        assert sum(int(r["decisions"]) for r in mine) == total.decisions
        assert sum(int(r["withdrawn"]) for r in mine) == total.withdrawn
        assert sum(Decimal(r["fines"]) for r in mine) == total.fines
        assert sum(Decimal(r["confiscated"]) for r in mine) == total.confiscated
        for figures in total.categories:
            of_category = [r for r in mine if r["category"] == figures.category]
            assert sum(int(r["decisions"]) for r in of_category) == figures.decisions


def test_one_row_per_category_the_pages_list(
    rows: list[dict[str, str]],
) -> None:
    keys = [(r["year"], r["agency"], r["category"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    # demo-bureau has no power list: the categories it decided in, and the one its 2025
    # statistics file states 零执法 for (as its report page lists it); quiet-bureau a row of
    # zeros for each category of its power list in every year without decisions.
    assert {k for k in keys if k[1] == "demo-bureau"} == {
        ("2025", "demo-bureau", "行政处罚"),
        ("2025", "demo-bureau", "行政许可"),
        ("2025", "demo-bureau", "行政强制"),
        ("2025", "demo-bureau", "行政检查"),
        ("2026", "demo-bureau", "行政处罚"),
    }
    stated = next(r for r in rows if r["category"] == "行政检查")
    assert (stated["decisions"], stated["fines"]) == ("0", "0.00")
    quiet = [r for r in rows if r["agency"] == "quiet-bureau"]
    assert [(r["year"], r["category"], r["decisions"], r["fines"]) for r in quiet] == [
        ("2024", "行政处罚", "1", "1000.00"),
        ("2024", "行政许可", "0", "0.00"),
        ("2025", "行政处罚", "0", "0.00"),
        ("2025", "行政许可", "0", "0.00"),
        ("2026", "行政处罚", "0", "0.00"),
        ("2026", "行政许可", "0", "0.00"),
    ]


def test_withdrawn_and_expired_decisions_are_counted(rows: list[dict[str, str]]) -> None:
    penalties = next(
        r
        for r in rows
        if (r["year"], r["agency"], r["category"]) == ("2025", "demo-bureau", "行政处罚")
    )
    assert penalties == {
        "year": "2025",
        "agency": "demo-bureau",
        "category": "行政处罚",
        "decisions": "3",
        "withdrawn": "1",
        "fines": "205000.00",
        "confiscated": "0.00",
    }


def test_package_describes_the_table(
    corpus: Corpus, stats: PortalStatistics, tmp_path: Path
) -> None:
    write_open_data(tmp_path, corpus, public_view(corpus, AS_OF), stats)
    data = tmp_path / "data"
    package = json.loads((data / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "statistics")
    schema = resource["schema"]
    assert [f["name"] for f in schema["fields"]] == COLUMNS
    assert schema["primaryKey"] == ["year", "agency", "category"]
    assert schema["foreignKeys"] == [
        {"fields": "agency", "reference": {"resource": "agencies", "fields": "id"}}
    ]
    types = {f["name"]: f["type"] for f in schema["fields"]}
    assert types == {
        "year": "integer",
        "agency": "string",
        "category": "string",
        "decisions": "integer",
        "withdrawn": "integer",
        "fines": "number",
        "confiscated": "number",
    }
    objects = json.loads((data / "statistics.json").read_text("utf-8"))
    assert objects[0] == {
        "year": 2024,
        "agency": "quiet-bureau",
        "category": "行政处罚",
        "decisions": 1,
        "withdrawn": 0,
        "fines": 1000,
        "confiscated": 0,
    }
    # frictionless validates the whole package in tests/test_exports.py (this fixture has no
    # inspection results, an empty JSON table frictionless cannot read).


def test_without_figures_given_the_data_computes_them(
    corpus: Corpus, stats: PortalStatistics
) -> None:
    view = public_view(corpus, AS_OF)
    assert open_data(corpus, view).files == open_data(corpus, view, stats).files


def test_power_categories_in_the_vocabulary_order(mini: Path) -> None:
    """Read once for pages, data and report: the vocabulary's order, a renamed category
    upgraded, an agency without a power list absent."""
    content = statistics_portal(mini)
    write(content / QUIET / "powers/ZS-1.yaml", power("ZS-1", "行政征收"))
    write(content / QUIET / "powers/QT-1.yaml", power("QT-1", "其他"))
    corpus = validate_content(content).corpus
    assert power_categories(corpus) == {
        "quiet-bureau": ["行政处罚", "行政许可", "行政征收征用", "其他"],
    }


def test_listed_categories_without_a_power_list(stats: PortalStatistics) -> None:
    """What a year lists: decisions, the power list, the 零执法 the file states; nothing for
    a year with none of them, rather than every category."""
    demo = {y.year: y for y in stats.by_agency["demo-bureau"]}
    assert [c.category for c in listed_categories(demo[2025], [])] == [
        "行政处罚",
        "行政许可",
        "行政强制",
        "行政检查",  # stated in zero_enforcement
    ]
    quiet = {y.year: y for y in stats.by_agency["quiet-bureau"]}
    assert listed_categories(quiet[2025], []) == []
    assert [c.category for c in listed_categories(quiet[2025], ["行政许可"])] == ["行政许可"]
