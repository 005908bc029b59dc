"""The annual statistics table (DESIGN.md: ``data/statistics.csv`` with ``year, agency,
category, decisions, withdrawn, fines, confiscated``), from ``gongshi_statistics.compute``.

One row per agency, year and category, for the years the statistics pages show (every year the
agency owes and the current year so far), and for the categories the pages list
(``gongshi_statistics.figures.listed_categories``): those with decisions that year, those of the
agency's power list and those its statistics file names in ``zero_enforcement``. A listed
category with no decision is a row of zeros, so 零执法 is visible in the data too. An agency
with no power list has rows only for what it decided or stated, so none for a year without
decisions: the pages say it has not entered its power list (未录入权责清单) rather than claim
零执法 in every category. Counts cover every decision made that year, withdrawn and expired
ones included (statistics describe enforcement, not what is on display); no decision's content
is in the table, only counts and sums.
"""

from __future__ import annotations

from decimal import Decimal

from gongshi_records import Corpus
from gongshi_records.registry import Kind
from gongshi_records.zeroenforcement import power_categories
from gongshi_statistics.figures import listed_categories
from gongshi_statistics.model import PortalStatistics

from .columns import Column, ForeignKey, Row, Table

STATISTICS = Table(
    "statistics",
    "年度执法统计",
    "各执法主体每个应公布年度（含本年度截至数据日期）按决定类别的执法决定数、撤回数、"
    "罚款和没收金额；按全部决定统计，含已撤回和公示期满的决定。"
    "某类别列入权责清单或年度统计写明零执法而当年没有决定的，各数为 0（零执法）；"
    "未录入权责清单的执法主体只列有决定或写明零执法的类别。",
    (
        Column("year", "统计年度", "决定日期所在的年度。", "integer", required=True),
        Column(
            "agency",
            "执法主体标识",
            "执法主体在本平台的标识，对应 agencies 表的 id。",
            required=True,
        ),
        Column(
            "category",
            "决定类别",
            "行政处罚、行政许可等执法决定类别。",
            source=(Kind.DECISION, "category"),
            required=True,
        ),
        Column(
            "decisions",
            "决定数",
            "当年作出的该类决定件数，含此后撤回和公示期满的。",
            "integer",
            required=True,
        ),
        Column("withdrawn", "撤回数", "决定数中已撤下公示的件数。", "integer", required=True),
        Column(
            "fines",
            "罚款金额（元）",
            "这些决定的罚款合计，单位元，保留2位小数。",
            "number",
            required=True,
            decimals=2,
        ),
        Column(
            "confiscated",
            "没收金额（元）",
            "这些决定的没收违法所得（含非法财物折价）合计，单位元，保留2位小数。",
            "number",
            required=True,
            decimals=2,
        ),
    ),
    ("year", "agency", "category"),
    (ForeignKey(("agency",), "agencies", ("id",)),),
)


def statistics_rows(corpus: Corpus, statistics: PortalStatistics) -> list[Row]:
    """Every row of the table (unsorted: the package sorts by primary key)."""
    powers = power_categories(corpus)
    rows: list[Row] = []
    for agency, years in statistics.by_agency.items():
        listed = powers.get(agency, [])
        for year in years:
            for figures in listed_categories(year, listed):
                rows.append(
                    {
                        "year": Decimal(year.year),
                        "agency": agency,
                        "category": figures.category,
                        "decisions": Decimal(figures.decisions),
                        "withdrawn": Decimal(figures.withdrawn),
                        "fines": figures.fines,
                        "confiscated": figures.confiscated,
                    }
                )
    return rows
