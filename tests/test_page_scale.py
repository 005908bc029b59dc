"""Pages stay small however many records an agency has (docs/portal.md, 分页).

One agency of the mini fixture is given enough decisions and officers to fill dozens of list
pages over several years, and the real build must keep every HTML page under the size limit,
every list page under the list limit, each pager to a bounded number of links, and every list
page reachable by following links from the list's first page (no orphans).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, Result, write
from gongshi_cli.main import main
from gongshi_portal.pages import WINDOW
from gongshi_records.identifiers import uscc_check_char

KB = 1024
PAGE_LIMIT = 60 * KB  # any HTML page, raw bytes
LIST_LIMIT = 30 * KB  # any page of a paginated list
AS_OF = "2026-11-24"
AGENCY = "agencies/demo-bureau"
DECISIONS = 500  # 25 pages of 20, decided over five years
OFFICERS = 160  # 8 roster pages
# More agencies, in three regions, than one page of an all-agency table holds.
AGENCIES = 45
REGIONS = ("东江市甲区", "东江市乙区", "东江市丙区")
YEARS = ("2022", "2023", "2024", "2025", "2026")
# The pager's links: first, last, the current page's WINDOW neighbours each side, a page
# shown instead of a gap of one on each side, and 上一页/下一页 (the current page is no link).
MAX_PAGER_LINKS = 2 + 2 * WINDOW + 2 + 2
LIST_PAGE = re.compile(r"(^|/)(index|page-\d+)\.html$|-page-\d+\.html$|/officers\.html$")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "明华国强伟芳娜敏静丽军磊洋勇艳杰涛超"

Run = Callable[..., Result]


def _credit_code(n: int) -> str:
    body = f"91330299MA{n:07d}"
    return body + str(uscc_check_char(body))


def _decision(n: int) -> tuple[str, str]:
    year = YEARS[n * len(YEARS) // DECISIONS]
    day = dt.date(int(year), 1, 1) + dt.timedelta(days=(n * 7) % 320)
    text = f"""\
doc_no: 测市监许〔{year}〕{n + 1}号
category: 行政许可
party:
  name: 东江市测试区第{n + 1}号商贸有限公司
  kind: 法人及非法人组织
  credit_code: {_credit_code(n)}
content: 准予食品经营许可。
decided_on: {day.isoformat()}
officers: ["33029900000001", "33029900000002"]
"""
    return f"{AGENCY}/decisions/{year}/x{n:04d}.yaml", text


def _officer(n: int) -> tuple[str, str]:
    cert = f"3302991{n:07d}"
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + GIVEN[(n // 7) % len(GIVEN)]
    text = f"""\
name: {name}
cert_no: "{cert}"
category: 市场监管综合执法
region: 测试区
roles: [执法]
valid_from: 2022-01-01
valid_until: 2028-12-31
status: 在岗
"""
    return f"{AGENCY}/officers/{cert}.yaml", text


def _agency(n: int) -> tuple[str, str]:
    body = f"11330299MB{n + 100:07d}"
    region = REGIONS[n % len(REGIONS)]  # interleaved: the tables gather each region
    text = f"""\
name: {region}第{n + 1}执法局
credit_code: {body}{uscc_check_char(body)}
kind: 行政机关
region: {region}
"""
    return f"agencies/t{n:02d}/agency.yaml", text


class _Links(HTMLParser):
    """Every href of a page, and the links inside its nav.pager elements."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.pager_links = 0
        self._depth = 0  # nesting inside <nav class="pager"> (0: outside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        classes = (named.get("class") or "").split()
        pager = "pager" in classes and "pager-jumps" not in classes
        if tag == "nav" and (self._depth or pager):
            self._depth += 1
        if tag == "a" and named.get("href"):
            self.hrefs.append(str(named["href"]).split("#")[0])
            self.pager_links += 1 if self._depth else 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1


def links_of(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return parser


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    content = root / "content"
    shutil.copytree(FIXTURES / "mini", content)
    records = [*map(_decision, range(DECISIONS)), *map(_officer, range(OFFICERS))]
    for path, text in [*records, *map(_agency, range(AGENCIES))]:
        write(content / path, text)
    output = root / "site"
    code = main(["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF])
    assert code == 0, "the generated portal must build"
    return output


def html_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "admin"]


def test_no_page_outgrows_its_limit(big_site: Path) -> None:
    over = []
    for page in html_pages(big_site):
        name = page.relative_to(big_site).as_posix()
        limit = LIST_LIMIT if LIST_PAGE.search(name) else PAGE_LIMIT
        if page.stat().st_size > limit:
            over.append(f"{name}: {page.stat().st_size / KB:.1f} KB > {limit // KB} KB")
    assert not over, "\n".join(over)


def test_the_lists_are_long_enough_to_need_a_window(big_site: Path) -> None:
    """Guards the other tests: the agency's list has far more pages than the pager shows."""
    assert (big_site / f"{AGENCY}/decisions/page-{DECISIONS // 20}.html").is_file()
    assert (big_site / f"decisions/page-{DECISIONS // 20}.html").is_file()
    assert (big_site / f"{AGENCY}/officers-page-{-(-(OFFICERS + 3) // 20)}.html").is_file()
    assert (big_site / "officers/page-2.html").is_file()
    assert (big_site / "agencies/page-3.html").is_file()  # 46 agencies, 20 a page
    assert (big_site / "supervision/page-3.html").is_file()


@pytest.mark.parametrize(
    "first",
    [
        f"{AGENCY}/decisions/index.html",
        "decisions/index.html",
        "decisions/license/index.html",
        "decisions/2024/index.html",
        "officers/index.html",
        "officers/status-active.html",
        f"{AGENCY}/officers.html",
        "agencies/index.html",
        "supervision/index.html",
        "statistics/2026.html",
        "review-catalogs/index.html",
    ],
)
def test_every_page_of_a_list_is_reached_by_a_bounded_pager(big_site: Path, first: str) -> None:
    """Following links from the first page reaches every page of the list, and no page's
    pager links more than first, last, the window, 上一页 and 下一页."""
    start = big_site / first
    members = _list_members(big_site, first)
    assert len(members) > 1
    seen, todo = {start.resolve()}, [start]
    while todo:
        page = todo.pop()
        links = links_of(page)
        assert links.pager_links <= MAX_PAGER_LINKS, f"{page}: {links.pager_links} pager links"
        for href in links.hrefs:
            target = (page.parent / href).resolve()
            if target in members and target not in seen:
                seen.add(target)
                todo.append(target)
    assert seen == members, sorted(str(m) for m in members - seen)[:5]


def _list_members(site: Path, first: str) -> set[Path]:
    path = site / first
    if path.name == "index.html":
        pages = [path, *path.parent.glob("page-*.html")]
    else:
        pages = [path, *path.parent.glob(f"{path.stem}-page-*.html")]
    return {p.resolve() for p in pages}


def test_an_agency_list_jumps_to_each_year(big_site: Path) -> None:
    """A reader after a 2024 decision jumps to the page where 2024 starts, from any page."""
    last = big_site / f"{AGENCY}/decisions/page-{DECISIONS // 20}.html"
    html = last.read_text("utf-8")
    assert 'aria-label="按年度跳转"' in html
    for year in YEARS:
        match = re.search(rf'<a href="([^"]+)">{year}年</a>', html)
        assert match, year
        target = (last.parent / match.group(1)).resolve()
        listed = target.read_text("utf-8")
        assert f"{year}年" in listed and f"〔{year}〕" in listed, (year, target)


def test_decision_lists_link_one_agency_index(big_site: Path) -> None:
    """The portal-wide lists name no agency's list themselves: they link the agency index,
    which links every agency's own decision list."""
    page = (big_site / "decisions/page-2.html").read_text("utf-8")
    assert "decisions/agencies.html" in page
    assert f"{AGENCY}/decisions/index.html" not in page
    index = big_site / "decisions/agencies.html"
    hrefs = {(index.parent / h).resolve() for h in links_of(index).hrefs}
    assert (big_site / f"{AGENCY}/decisions/index.html").resolve() in hrefs
    assert 'aria-current="page"' in page


def test_the_pager_marks_the_current_page_and_leaves_out_the_rest(big_site: Path) -> None:
    html = (big_site / "decisions/page-12.html").read_text("utf-8")
    pager = html[html.index('<nav class="pager" aria-label="分页">') :]
    pager = pager[: pager.index("</nav>")]
    assert '<span aria-current="page">12</span>' in pager
    numbers = re.findall(r">(\d+)</a>", pager)
    assert numbers == ["1", "10", "11", "13", "14", "26"]
    assert pager.count("…") == 2
    assert 'rel="prev"' in pager and 'rel="next"' in pager


@pytest.mark.parametrize(
    "first", ["agencies/index.html", "supervision/index.html", "flowcharts/index.html"]
)
def test_an_agency_table_gathers_each_region_and_jumps_to_it(big_site: Path, first: str) -> None:
    """Every agency once, the agencies of a region together, and a jump to each region."""
    page = big_site / first
    names: list[str] = []
    while True:
        html = page.read_text("utf-8")
        names += re.findall(r"(东江市.区)第\d+执法局", html)
        after = re.search(r'<a href="([^"]+)" rel="next">', html)
        if not after:
            break
        page = (page.parent / after.group(1)).resolve()
    assert len(names) == AGENCIES
    assert names == sorted(names, key=names.index)  # each region's agencies together
    first_html = (big_site / first).read_text("utf-8")
    assert 'aria-label="按管辖区域跳转"' in first_html
    for region in REGIONS:
        assert re.search(rf'<a href="[^"]+">{region}</a>', first_html), region
