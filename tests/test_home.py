"""The home page in 事前/事中/事后, the site-wide indexes and the page about subscribing
(issue 12, item 8), on real builds: the demo portal and the mini fixture portal.

Every link of the home page resolves to a built file; each index lists every record of its type
that has a page (found from the registry's page addresses, not from the index's own code) and
names nothing withdrawn or expired; every 订阅 link a person follows leads to feeds/index.html,
which links each feed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import DEMO_AS_OF, write
from gitrepo import Repo
from gongshi_portal.build import build_site
from gongshi_portal.feedpage import FEEDS
from gongshi_portal.indexes import INSPECTIONS_PAGE, RECORD_INDEXES, RecordIndex
from gongshi_records import validate_content
from gongshi_records.publication import public_view
from gongshi_records.registry import RECORD_TYPES, Kind

CONTENT = Path(__file__).parents[1] / "content"
MINI = Path(__file__).parent / "fixtures/mini"
AS_OF = dt.date(2026, 11, 24)
PHASES = {
    "before": ("事前公示", ["执法主体", "权责清单", "执法流程图", "法制审核目录清单", "服务指南",
                         "音像记录事项清单", "行政裁量权基准"]),
    "during": ("事中公示", ["亮证核验", "执法人员", "双随机抽查"]),
    "after": ("事后公示", ["执法决定", "双随机抽查结果", "撤回公告", "执法统计", "公示监督"]),
}  # fmt: skip
NEW_PAGES = [index.page for index in RECORD_INDEXES] + [INSPECTIONS_PAGE, "feeds/index.html"]
# The mini fixture's decisions that are not on display on AS_OF.
WITHDRAWN = ("测市监处罚〔2025〕7号", "东江市测试区撤回建材有限公司")
EXPIRED = ("测市监处罚〔2025〕2号",)
INSPECTION = """\
title: 2026年度食品销售者双随机抽查
year: 2026
subject: 东江市测试区市场监督管理局
basis:
  - law: 《中华人民共和国食品安全法》
objects: 辖区内食品销售者
content: 进货查验记录
ratio: "5%"
method: 现场检查
frequency: 每年1次
results:
  - party: {name: 东江市测试区百川商贸有限公司, credit_code: 91330299MA2Q8R6T1U}
    checked_on: 2026-03-20
    outcome: 未发现问题
  - party: {name: 东江市测试区临江五金店, kind: 个体工商户, credit_code: 92330299MA2P7L3K5E}
    checked_on: 2025-06-02
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2025〕7号
  - party: {name: 东江市测试区青禾食品有限公司, credit_code: 91330299MA2B3C4D59}
    checked_on: 2025-01-05
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2025〕2号
"""
# A later year's inspection without results yet: listed, its results 尚未公布.
PLAN = "\n".join(INSPECTION.replace("2026年度", "2027年度").split("\n")[:10]).replace(
    "year: 2026", "year: 2027"
)


class _Page(HTMLParser):
    """Links (with the <section id> they are in) and headings of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str | None, str]] = []
        self.headings: list[tuple[str, str]] = []
        self._sections: list[str | None] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self._sections.append(values.get("id"))
        elif tag in ("h1", "h2", "h3"):
            self._heading = ""
            self.headings.append((tag, ""))
        elif tag == "a" and values.get("href"):
            ids = [s for s in self._sections if s]
            self.links.append((ids[0] if ids else None, str(values["href"])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._sections:
            self._sections.pop()
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings[-1] = (self.headings[-1][0], self._heading.strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def text(site: Path, name: str) -> str:
    return (site / name).read_text("utf-8")


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def target(site: Path, page: str, href: str) -> Path:
    """The built file a relative link of ``page`` names (fragment and query dropped)."""
    url = urljoin(f"http://site/{page}", href)
    assert urlsplit(url).netloc == "site", f"{page}: {href} leaves the site"
    return site / urlsplit(url).path.lstrip("/")


def section(html: str, ident: str) -> str:
    start = html.index(f'<section class="phase" id="{ident}"')
    rest = html[start + 1 :]
    end = rest.find('<section class="phase"')
    return rest if end < 0 else rest[:end]


def entry(phase_html: str, label: str) -> str:
    """The <li> of an entry of a phase, by its label."""
    found = re.search(rf"<li>(?:(?!</li>).)*>{re.escape(label)}<(?:(?!</li>).)*</li>", phase_html)
    assert found, label
    return found.group(0)


def records_with_pages(site: Path, kind: Kind) -> set[Path]:
    """Every built page of a record type, found from the registry's page address."""
    address = RECORD_TYPES[kind].page
    assert address is not None
    return set(site.glob(re.sub(r"\{[a-z]+\}", "*", address)))


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture (one published, one withdrawn, one expired decision; no power list,
    flowchart, catalogue, guide, av list or benchmark) with two inspections."""
    root = tmp_path_factory.mktemp("mini")
    content = root / "content"
    shutil.copytree(MINI, content)
    write(content / "agencies/demo-bureau/inspections/2026-food-sales.yaml", INSPECTION)
    write(content / "agencies/demo-bureau/inspections/2027-food-sales.yaml", PLAN)
    out = root / "site"
    build_site(content, out, as_of=AS_OF)
    return out


# The home page ---------------------------------------------------------------------------
def test_the_three_phases_are_headings_in_order_with_their_entries(demo_site: Path) -> None:
    html = text(demo_site, "index.html")
    headings = [h for tag, h in parse(html).headings if tag == "h2"]
    titles = [title for title, _entries in PHASES.values()]
    assert [h for h in headings if h in titles] == titles
    for ident, (_title, labels) in PHASES.items():
        phase = section(html, ident)
        found = re.findall(r"<li>(?:<a [^>]*>|<span class=\"entry-label\">)([^<]+)<", phase)
        assert found == labels, ident


def test_every_link_of_the_home_page_resolves_to_a_built_file(demo_site: Path) -> None:
    links = parse(text(demo_site, "index.html")).links
    phases = {ident for ident, _href in links}
    assert {"before", "during", "after"} <= phases
    missing = [href for _id, href in links if not target(demo_site, "index.html", href).is_file()]
    assert not missing
    # In-page targets exist too: the nav's phases and the 亮证核验 entry's search box.
    html = text(demo_site, "index.html")
    for href in {h for _id, h in links if h.startswith("./index.html#")}:
        assert f'id="{href.split("#")[1]}"' in html, href


def test_the_counts_say_what_they_count(demo_site: Path) -> None:
    view = public_view(validate_content(CONTENT).corpus, dt.date.fromisoformat(DEMO_AS_OF))
    html = text(demo_site, "index.html")
    after = section(html, "after")
    assert f"公示中 {len(view.published)} 件" in entry(after, "执法决定")
    assert f"{len(view.withdrawn)} 件" in entry(after, "撤回公告")
    # The statistics count every decision of a year, and the page says so beside them.
    assert "作出的执法决定" in after and 'id="home-counts-note"' in after
    assert "包括已撤回和公示期满" in after


def test_an_empty_entry_says_nothing_is_published_and_links_nowhere(mini_site: Path) -> None:
    html = text(mini_site, "index.html")
    before = section(html, "before")
    for label in ("权责清单", "执法流程图", "法制审核目录清单", "服务指南", "音像记录事项清单"):
        item = entry(before, label)
        assert "暂未公布" in item and "href" not in item, item
    assert "href" in entry(before, "执法主体")
    for index in RECORD_INDEXES:  # the index page exists all the same, and says so
        assert "暂未公布" in main_of(text(mini_site, index.page)), index.page


def test_the_mini_home_counts_leave_out_withdrawn_and_expired(mini_site: Path) -> None:
    html = text(mini_site, "index.html")
    after = section(html, "after")
    assert "公示中 1 件" in entry(after, "执法决定")
    assert "1 件" in entry(after, "撤回公告")
    assert "已公布 3 户" in entry(after, "双随机抽查结果")
    assert "抽查事项 2 项" in entry(section(html, "during"), "双随机抽查")
    for secret in WITHDRAWN + EXPIRED:
        assert secret not in html


def test_the_home_page_stays_light(demo_site: Path) -> None:
    """The most visited page, often on a phone: small, no search index, no chart."""
    html = text(demo_site, "index.html")
    assert len(html.encode("utf-8")) < 40_000
    assert "lunr" not in html and "<svg" not in html
    assert len(re.findall(r"<tr>", html)) <= 5 + 5 + 4 + 3  # latest 5 + 5, figures, headers


# The navigation and the footer -----------------------------------------------------------
def test_the_navigation_names_the_three_phases(demo_site: Path) -> None:
    for name in ("index.html", "decisions/index.html", "pages/about.html"):
        html = text(demo_site, name)
        nav = html[html.index('aria-label="主导航"') : html.index("</nav>")]
        for ident, (title, _labels) in PHASES.items():
            assert re.search(rf'href="[^"]*index\.html#{ident}">{title}<', nav), (name, ident)
    home = text(demo_site, "index.html")
    assert all(f'<section class="phase" id="{ident}"' in home for ident in PHASES)


def test_every_page_links_the_feeds_page_and_no_link_for_people_opens_raw_xml(
    demo_site: Path,
) -> None:
    for page in sorted(demo_site.rglob("*.html")):
        name = page.relative_to(demo_site).as_posix()
        if name.startswith("admin/"):
            continue
        html = page.read_text("utf-8")
        footer = html[html.index('<footer class="site-footer">') :]
        links = [href for _id, href in parse(footer).links]
        assert any(target(demo_site, name, h) == demo_site / "feeds/index.html" for h in links)
        # Feed readers still find both feeds in the head.
        assert html.count('<link rel="alternate" type="application/atom+xml"') == 2, name
        if name != "feeds/index.html":
            body = html[html.index("<body") :]
            assert ".atom.xml" not in body, f"{name} sends a person to raw XML"


# The site-wide indexes -------------------------------------------------------------------
@pytest.mark.parametrize("index", RECORD_INDEXES, ids=lambda i: i.kind.value)
def test_each_index_lists_every_record_of_its_type(demo_site: Path, index: RecordIndex) -> None:
    expected = records_with_pages(demo_site, index.kind)
    assert expected, f"the demo has {index.kind.value} records"
    links = parse(main_of(text(demo_site, index.page))).links
    listed = {target(demo_site, index.page, href) for _id, href in links}
    assert expected <= listed
    assert all(p.is_file() for p in listed), index.page
    assert f"共 {len(expected)} {index.unit}" in text(demo_site, index.page)


def test_the_inspection_index_lists_every_inspection_by_year(demo_site: Path) -> None:
    expected = records_with_pages(demo_site, Kind.INSPECTION)
    html = text(demo_site, INSPECTIONS_PAGE)
    listed = {target(demo_site, INSPECTIONS_PAGE, h) for _id, h in parse(main_of(html)).links}
    assert expected and expected <= listed
    assert all(p.is_file() for p in listed)
    assert "未发现问题 4 户" in html  # the food inspection's results, counted by outcome


def test_the_inspection_index_names_nothing_withdrawn_or_expired(mini_site: Path) -> None:
    html = text(mini_site, INSPECTIONS_PAGE)
    headings = [h for tag, h in parse(html).headings if tag == "h2"]
    assert headings[:2] == ["2027年度", "2026年度"]
    assert "已公布 3 户的结果" in html and "抽查结果尚未公布" in html
    assert "发现问题已立案查处 2 户" in html
    for secret in WITHDRAWN + EXPIRED:
        assert secret not in html
    for page in (index.page for index in RECORD_INDEXES):
        assert not any(secret in text(mini_site, page) for secret in WITHDRAWN + EXPIRED)


def test_new_pages_are_in_the_sitemap(demo_site: Path) -> None:
    urlset = ET.parse(demo_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {u.findtext(f"{ns}loc") for u in urlset.findall(f"{ns}url")}
    assert set(NEW_PAGES) <= locs
    assert all((demo_site / page).is_file() for page in NEW_PAGES)


# The page about subscribing --------------------------------------------------------------
def test_the_feeds_page_links_each_feed_and_says_how_to_subscribe(demo_site: Path) -> None:
    html = text(demo_site, "feeds/index.html")
    links = {target(demo_site, "feeds/index.html", h) for _id, h in parse(main_of(html)).links}
    for feed in FEEDS:
        assert demo_site / feed.path in links and (demo_site / feed.path).is_file()
        assert f'id="{feed.ident}"' in html
        assert demo_site / feed.page in links
    assert "复制链接地址" in html and "阅读器" in html
    assert "<?xml-stylesheet" not in text(demo_site, FEEDS[0].path)  # not XSLT
    # The home page's 订阅 links open the feeds page at the feed's own section.
    home = text(demo_site, "index.html")
    assert all(f'href="./feeds/index.html#{feed.ident}"' in home for feed in FEEDS)


def test_a_publish_build_states_each_feed_s_full_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo(tmp_path / "repo")
    files = {
        f"content/{p.relative_to(MINI).as_posix()}": p.read_text("utf-8")
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-01-05T10:00:00+08:00", "建立门户")
    monkeypatch.setenv("GONGSHI_SITEURL", "https://zfgs.example.gov.cn/qingxi")
    out = tmp_path / "publish"
    build_site(repo.root / "content", out, publish=True, as_of=AS_OF)
    html = text(out, "feeds/index.html")
    for feed in FEEDS:
        address = f"https://zfgs.example.gov.cn/qingxi/{feed.path}"
        assert f'<code class="url" id="{feed.ident}-address">{address}</code>' in html
        # The links themselves stay relative: the page works on any mirror.
        assert f'href="../{feed.path}"' in html
