"""The statistics pages (statistics/index.html, statistics/<year>.html, each agency's annual report
agencies/<id>/statistics/<year>.html) on real builds: the figures in the tables and charts, the
charts accessible, an owed year without a statistics file shown as 尚未公布, the home page's
headline figures, and data/statistics.csv adding up to the totals on the pages."""

from __future__ import annotations

import csv
import io
import re
import shutil
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, Result, write
from gongshi_cli.main import main
from statsfixture import QUIET, statistics_portal

Run = Callable[..., Result]
AS_OF = "2026-11-24"
REPORT = "agencies/demo-bureau/statistics/{year}.html"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
STATISTICS_2025 = """\
year: 2025
inspections:
  planned: 40
  done: 36
  problems: 5
complaints:
  received: 12
  handled: 11
zero_enforcement:
  行政许可: 本年度没有收到行政许可申请。
"""


def build(content: Path, output: Path) -> Path:
    code = main(["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF])
    assert code == 0, "the content must build"
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini portal as it is: decisions in 2025 (one withdrawn, one expired) and 2026, and
    no statistics file, so 2025 is owed and not published."""
    root = tmp_path_factory.mktemp("stats")
    shutil.copytree(FIXTURES / "mini", root / "content")
    return build(root / "content", root / "site")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini portal once its 2025 statistics file is published."""
    root = tmp_path_factory.mktemp("stats-published")
    shutil.copytree(FIXTURES / "mini", root / "content")
    write(root / "content/agencies/demo-bureau/statistics/2025.yaml", STATISTICS_2025)
    return build(root / "content", root / "site")


def page(site: Path, name: str) -> str:
    return (site / name).read_text("utf-8")


def charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in SVG.findall(html)]


def chart(html: str, chart_id: str) -> ET.Element:
    found = [c for c in charts(html) if c.get("id") == chart_id]
    assert len(found) == 1, f"no chart {chart_id}"
    return found[0]


def chart_texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]


def totals(html: str, table_id: str) -> dict[str, str]:
    """The 合计 row of a table: data-figure name → the cell's text."""
    table = re.search(rf'<table[^>]*id="{re.escape(table_id)}-table".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    cells = re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)<', table.group(0))
    return dict(cells)


def figure(text: str) -> Decimal:
    """A count ("1,234") or an amount ("1,234.00 元") as printed on a page."""
    return Decimal(text.removesuffix(" 元").replace(",", ""))


def test_every_statistics_page_is_written_and_listed(site: Path) -> None:
    for name in (
        "statistics/index.html",
        "statistics/2025.html",
        "statistics/2026.html",
        REPORT.format(year=2025),
        REPORT.format(year=2026),
    ):
        assert (site / name).is_file(), name
        assert f"<loc>{name}</loc>" in page(site, "sitemap.xml"), name
    assert 'href="./statistics/index.html"' in page(site, "index.html")  # the navigation
    assert "statistics/index.html" in page(site, "data/index.html")
    hub = page(site, "agencies/demo-bureau/index.html")
    assert "statistics/2025.html" in hub and "statistics/2026.html" in hub
    index = page(site, "statistics/index.html")
    assert "2025.html" in index and "2026.html" in index


def test_year_page_tables_and_charts_show_the_figures(site: Path) -> None:
    html = page(site, "statistics/2025.html")
    # 2025: two penalties, one of them withdrawn, the other expired: both counted.
    assert totals(html, "c-2025-portal-categories") == {
        "decisions": "2",
        "withdrawn": "1",
        "fines": "202,000.00 元",
        "confiscated": "0.00 元",
    }
    # An agency's own figures are on its annual report, linked from its row, not repeated here.
    assert f'href="../{REPORT.format(year=2025)}"' in html and "c-2025-demo-bureau" not in html
    categories = chart(html, "c-2025-portal-categories")
    assert chart_texts(categories) == ["行政处罚", "2 件"]
    amounts = chart_texts(chart(html, "c-2025-portal-amounts"))
    assert "202,000.00 元" in amounts
    monthly = chart_texts(chart(html, "c-2025-portal-monthly"))
    assert [f"{m}月" for m in range(1, 13)] == [t for t in monthly if t.endswith("月")]
    assert sum(int(t) for t in monthly if t.isdigit()) == 2
    agencies = chart_texts(chart(html, "c-2025-portal-agencies"))
    assert agencies == ["东江市测试区市场监督管理局", "2 件"]


def test_every_chart_is_an_image_with_title_and_description(site: Path) -> None:
    names = ["statistics/index.html", "statistics/2025.html", "statistics/2026.html"]
    names += [REPORT.format(year=y) for y in (2025, 2026)]
    seen = 0
    for name in names:
        html = page(site, name)
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), f"duplicate ids on {name}"
        for svg in charts(html):
            seen += 1
            assert svg.get("role") == "img"
            title_id, desc_id = (svg.get("aria-labelledby") or "").split()
            ns = "{http://www.w3.org/2000/svg}"
            title, desc = svg.find(f"{ns}title"), svg.find(f"{ns}desc")
            assert title is not None and title.get("id") == title_id and title.text
            assert desc is not None and desc.get("id") == desc_id and desc.text
            assert "style" not in ET.tostring(svg, encoding="unicode")
    assert seen >= 20


def test_an_owed_year_without_a_statistics_file_says_so(site: Path) -> None:
    report = page(site, REPORT.format(year=2025))
    assert "尚未公布年度统计" in report
    assert totals(report, "c-report-categories")["decisions"] == "2"  # computed all the same
    year = page(site, "statistics/2025.html")
    assert '<span class="missing-file">尚未公布</span>' in year  # the agency's row says so
    assert "0 / 1" in year  # agencies that published, of those owing
    # The current year is not owed yet.
    current = page(site, REPORT.format(year=2026))
    assert "尚未公布" not in current and "年度尚未结束" in current
    assert "尚未公布年度统计" in page(site, "agencies/demo-bureau/index.html")


def test_a_published_file_adds_its_figures_and_zero_reasons(published: Path) -> None:
    report = page(published, REPORT.format(year=2025))
    assert "尚未公布" not in report and "已公布2025年度统计" in report
    assert "完成检查数" in report and ">36<" in report
    assert "本年度没有收到行政许可申请。" in report  # 零执法, with its reason
    rates = chart_texts(chart(report, "c-report-reported"))
    assert "90.0%（36/40）" in rates and "91.7%（11/12）" in rates
    year = page(published, "statistics/2025.html")
    assert "1 / 1" in year


POWER = """\
code: XK-00108
name: 食品经营许可
category: 行政许可
basis:
  - law: 《中华人民共和国食品安全法》
handling_unit: 行政审批科
"""


def test_zero_enforcement_of_the_power_list(mini: Path, tmp_path: Path) -> None:
    """A category of the agency's power list with no decision is 零执法: listed with its zero,
    the reason still owed while the statistics file is missing, pending in the current year."""
    write(mini / "agencies/demo-bureau/powers/XK-00108.yaml", POWER)
    out = build(mini, tmp_path / "site")
    past = page(out, REPORT.format(year=2025))
    zero = re.search(r'id="c-report-zero-h".*?</section>', past, re.S)
    assert zero is not None
    assert "行政许可" in zero.group(0) and "尚未公布年度统计" in zero.group(0)
    assert chart_texts(chart(past, "c-report-categories")) == [
        "行政处罚",
        "2 件",
        "行政许可",
        "0 件",
    ]
    current = page(out, REPORT.format(year=2026))
    assert "年度尚未结束，至今没有决定" in current
    year = page(out, "statistics/2025.html")
    assert re.findall(r'data-label="零执法类别">([^<]*)<', year) == ["行政许可"]


def test_a_file_of_a_year_before_the_first_keeps_its_page(mini: Path, tmp_path: Path) -> None:
    """statistics/2023.yaml, from before the agency's first decision: its report page stays
    (same address as ever), with the file's figures, linking to no year page there is none of."""
    write(
        mini / "agencies/demo-bureau/statistics/2023.yaml",
        "year: 2023\ncomplaints:\n  received: 7\n",
    )
    out = build(mini, tmp_path / "site")
    report = page(out, REPORT.format(year=2023))
    assert "收到件数" in report and ">7<" in report
    assert not (out / "statistics/2023.html").exists() and "2023.html#" not in report
    assert "statistics/2023.html" in page(out, "agencies/demo-bureau/index.html")
    assert "<loc>agencies/demo-bureau/statistics/2023.html</loc>" in page(out, "sitemap.xml")


def test_a_half_year_report_is_not_the_statistics_yet(mini: Path, tmp_path: Path) -> None:
    write(
        mini / "agencies/demo-bureau/statistics/2025.yaml",
        "year: 2025\nhalf_year:\n  reported_on: 2025-07-20\n",
    )
    out = build(mini, tmp_path / "site")
    report = page(out, REPORT.format(year=2025))
    assert "尚未公布年度统计" in report and "目前只有上半年报送情况" in report
    assert "0 / 1" in page(out, "statistics/2025.html")


def test_current_year_has_the_people_and_their_shares(site: Path) -> None:
    html = page(site, REPORT.format(year=2026))
    people = chart_texts(chart(html, "c-report-people"))
    assert "持有效执法证件" in people and any("%（" in t for t in people)


def test_home_page_shows_this_and_last_year_linked(site: Path) -> None:
    html = page(site, "index.html")
    table = re.search(r'<table[^>]*id="home-statistics".*?</table>', html, re.S)
    assert table is not None
    assert "2026年（截至2026年11月24日）" in table.group(0) and "2025年全年" in table.group(0)
    assert "1 件" in table.group(0) and "202,000.00 元" in table.group(0)
    assert 'href="./statistics/2026.html"' in html and 'href="./statistics/2025.html"' in html


def test_hostile_agency_names_are_escaped_in_charts(
    mini: Path, tmp_path: Path, gongshi: Run
) -> None:
    agency = mini / "agencies/demo-bureau/agency.yaml"
    text = agency.read_text("utf-8")
    hostile = 'name: "<script>x</script>东江市测试区市场监督管理局"'
    agency.write_text(text.replace("name: 东江市测试区市场监督管理局", hostile), "utf-8")
    out = build(mini, tmp_path / "site")
    html = page(out, "statistics/2025.html")
    assert "<script>x" not in html
    assert chart_texts(chart(html, "c-2025-portal-agencies"))[0].startswith("<script>x</script>")


def csv_sums(site: Path) -> Iterator[tuple[tuple[int, str], dict[str, Decimal]]]:
    """data/statistics.csv summed per (year, agency)."""
    text = (site / "data/statistics.csv").read_text("utf-8-sig")
    sums: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in csv.DictReader(io.StringIO(text)):
        for column in ("decisions", "withdrawn", "fines", "confiscated"):
            sums[(int(row["year"]), row["agency"])][column] += Decimal(row[column])
    yield from sums.items()


def assert_csv_adds_up(site: Path) -> int:
    """Each agency's rows of a year add up to its report's 合计, each year's to the year page's
    portal-wide 合计; the number of figures compared."""
    by_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    checked = 0
    for (year, agency), sums in csv_sums(site):
        report = page(site, f"agencies/{agency}/statistics/{year}.html")
        shown = totals(report, "c-report-categories")
        for column, value in sums.items():
            by_year[year][column] += value
            assert figure(shown[column]) == value, (year, agency, column)
            checked += 1
    for year, sums in by_year.items():
        shown = totals(page(site, f"statistics/{year}.html"), f"c-{year}-portal-categories")
        for column, value in sums.items():
            assert figure(shown[column]) == value, (year, column)
    return checked


def test_statistics_csv_adds_up_to_the_pages_mini(site: Path) -> None:
    assert assert_csv_adds_up(site) >= 8


def test_statistics_csv_adds_up_to_the_pages_demo(demo_site: Path) -> None:
    assert assert_csv_adds_up(demo_site) >= 4 * 3
    html = page(demo_site, "statistics/2025.html")
    # The demo's agencies each published 2025's file: none is marked as missing.
    assert "尚未公布年度统计" not in html and 'class="missing-file"' not in html
    assert len(charts(html)) >= 6


def listed(html: str) -> list[str]:
    """The category rows of a report's 执法决定（按类别） table (none without the table)."""
    table = re.search(r'<table[^>]*id="c-report-categories-table".*?</tbody>', html, re.S)
    return re.findall(r'<th scope="row">([^<]*)</th>', table.group(0)) if table else []


def test_no_power_list_is_said_not_taken_for_zero_enforcement(mini: Path, tmp_path: Path) -> None:
    """Neither agency has a power list: quiet-bureau decided once in 2024 and never since, so
    its 2025 lists no category (未录入权责清单, not 零执法 in all ten); demo-bureau's 2025 lists
    what it decided and the category its statistics file states 零执法 for. The data have a
    row for exactly each category a report lists."""
    content = statistics_portal(mini)
    shutil.rmtree(content / QUIET / "powers")
    out = build(content, tmp_path / "site")
    quiet = page(out, "agencies/quiet-bureau/statistics/2025.html")
    zero = re.search(r'id="c-report-zero-h".*?</section>', quiet, re.S)
    assert zero is not None and "未录入权责清单" in zero.group(0)
    assert "<table" not in zero.group(0) and "行政奖励" not in zero.group(0)
    assert listed(quiet) == [] and "本机关未录入权责清单" in quiet
    assert re.search(r"零执法类别</th><td[^>]*>未录入权责清单<", quiet)
    year = page(out, "statistics/2025.html")
    cells = re.findall(r'data-label="零执法类别">([^<]*)<', year)
    assert cells == ["行政检查", "未录入权责清单"]  # demo-bureau, quiet-bureau
    demo = page(out, REPORT.format(year=2025))
    assert listed(demo) == ["行政处罚", "行政许可", "行政强制", "行政检查"]
    assert "其他类别无法对照权责清单核对" in demo

    text = (out / "data/statistics.csv").read_text("utf-8-sig")
    rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        rows[(row["year"], row["agency"])].append(row["category"])
    for agency in ("demo-bureau", "quiet-bureau"):
        for year in (2024, 2025, 2026):
            name = f"agencies/{agency}/statistics/{year}.html"
            shown = listed(page(out, name)) if (out / name).exists() else []
            assert sorted(rows.get((str(year), agency), [])) == sorted(shown), (agency, year)
    assert rows[("2024", "quiet-bureau")] == ["行政处罚"]
    assert ("2025", "quiet-bureau") not in rows
    assert assert_csv_adds_up(out) >= 8
