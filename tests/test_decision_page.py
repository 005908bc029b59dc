"""Decision pages a company can act on (issue 12 item 6): the summary line, the remedy deadlines
with a link to the agency's 救济渠道, the credit-repair path, and one amount format site-wide."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from decisionfixture import AGENCY, DECISIONS, build_decision_site
from gongshi_portal.decisionpage import penalty_text
from gongshi_records import Record
from gongshi_records.amounts import yuan
from gongshi_records.registry import place_of
from gongshi_records.views import Decision

# Every way an amount followed by 元 may be written: 5000元, 5,000 元, 5000.00元, 0.5万元 …
AMOUNT = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*(万?元)")
CANONICAL = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2} 元$")
# Words quoted as written, not amounts the portal writes: clerks' Markdown (facts, basis,
# content, an agency's remedies …), the text of a law, a review catalogue's own criteria.
QUOTED = re.compile(
    r'<div class="prose">.*?</div>|<blockquote>.*?</blockquote>|<td data-label="审核标准">.*?</td>',
    re.S,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_decision_site(tmp_path_factory.mktemp("decision-page"))


def page(site: Path, stem: str, where: str = DECISIONS) -> str:
    return (site / where / f"{stem}.html").read_text("utf-8")


class _Text(HTMLParser):
    """The text and links of the first element with a class, and every id of the page."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth, self.text = wanted, 0, ""
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if self.depth:
            self.depth += 1
        elif self.wanted in (found.get("class") or "").split() and not self.text:
            self.depth = 1
        if self.depth and tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def parsed(html: str, wanted: str = "decision-summary") -> _Text:
    parser = _Text(wanted)
    parser.feed(html)
    return parser


def lands(folder: Path, link: str) -> tuple[Path, str]:
    """The file a relative link opens from a page in ``folder``, and its fragment."""
    target, _, fragment = link.partition("#")
    return (folder / target).resolve(), fragment


def text_of(html: str, wanted: str) -> str:
    return " ".join(parsed(html, wanted).text.split())


# --- the one amount format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (5000, "5,000.00 元"),
        (96.5, "96.50 元"),
        (Decimal("1280.5"), "1,280.50 元"),
        ("3000", "3,000.00 元"),
        (0, "0.00 元"),
        (Decimal("0.005"), "0.01 元"),  # half up, as money is rounded
        (Decimal("12345678901234.56"), "12,345,678,901,234.56 元"),  # no float on the way
        (None, ""),
        ("", ""),
        (True, ""),
        ("五千", ""),
        (float("nan"), ""),
    ],
)
def test_one_formatter_writes_every_amount(amount: object, text: str) -> None:
    assert yuan(amount) == text


# --- the summary line ----------------------------------------------------------------------------


def penalty(**fields: Any) -> Decision:
    """A 行政处罚 with only the penalty the summary reads."""
    place = place_of("agencies/demo-bureau/decisions/2026/t.yaml")
    assert place is not None
    data = {"category": "行政处罚", "penalty": fields}
    return Decision(Record("decision", "t.yaml", place, data, {}))


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"kinds": ["罚款"], "fine": 5000}, "罚款 5,000.00 元"),
        ({"kinds": ["罚款"]}, "罚款"),  # the amount is not stated: no "0.00 元"
        ({"kinds": ["罚款", "警告"], "fine": 0}, "警告；罚款"),
        (
            {"kinds": ["责令停产停业", "没收违法所得", "罚款"], "fine": 1, "confiscated": 2},
            "罚款 1.00 元；没收违法所得 2.00 元；责令停产停业",
        ),
        ({"kinds": ["没收非法财物"], "confiscated_items": "假冒商品20件"}, "没收非法财物"),
        # Amounts the record states without their kind are shown all the same.
        (
            {"kinds": ["警告"], "fine": 300, "confiscated": 40},
            "警告；罚款 300.00 元；没收 40.00 元",
        ),
    ],
)
def test_penalty_in_words(fields: dict[str, Any], text: str) -> None:
    assert penalty_text(penalty(**fields)) == text


def test_summary_line_of_a_fine_and_a_confiscation(site: Path) -> None:
    assert text_of(page(site, "2026-101"), "decision-summary") == (
        "罚款 5,000.00 元；没收违法所得 1,200.00 元 · 一般失信信息 · 公示至 2027年4月20日"
    )


def test_summary_line_of_confiscations_alone(site: Path) -> None:
    # Both kinds share the record's one confiscation amount, in 行政处罚法 art. 9's order.
    assert text_of(page(site, "2026-102"), "decision-summary") == (
        "没收违法所得、没收非法财物 3,456.70 元 · 一般失信信息 · 公示至 2027年5月8日"
    )


def test_summary_line_of_a_penalty_without_money(site: Path) -> None:
    assert text_of(page(site, "2026-103"), "decision-summary") == (
        "吊销许可证件 · 严重失信信息 · 公示至 2029年6月15日"
    )


def test_summary_line_comes_right_after_the_heading(site: Path) -> None:
    html = page(site, "2026-101")
    main = html[html.index("<main") :]
    assert main.index('class="decision-summary"') < main.index('class="fields"')
    assert main.index("</h1>") < main.index('class="decision-summary"')


# --- remedies ------------------------------------------------------------------------------------


def test_remedy_deadlines_as_the_law_states_them(site: Path) -> None:
    remedies = text_of(page(site, "2026-101"), "remedies")
    for part in (
        "自知道或者应当知道本决定之日起 60 日内",
        "《中华人民共和国行政复议法》第二十条",
        "自知道或者应当知道作出本决定之日起 6 个月内",
        "《中华人民共和国行政诉讼法》第四十六条",
        "不从本页公示之日起算",
        # 复议前置 for a penalty made on the spot (行政复议法 2023).
        "对当场作出的行政处罚决定不服的，应当先申请行政复议",
        "《中华人民共和国行政复议法》第二十三条",
        # A computed date says what it is counted from, and that the legal start is receipt.
        "按决定日期 2026年4月20日 起算，60 日于 2026年6月19日 届满，6 个月于 2026年10月20日 届满",
        "法定起算日是当事人收到决定书",
    ):
        assert part in remedies, part


def test_remedy_link_lands_on_the_agency_section(site: Path) -> None:
    links = [h for h in parsed(page(site, "2026-101"), "remedies").links if "#" in h]
    assert links, "the remedy section links the agency's 救济渠道"
    agency_page, anchor = lands(site / DECISIONS, links[0])
    assert agency_page == (site / f"agencies/{AGENCY}/index.html").resolve()
    agency = agency_page.read_text("utf-8")
    assert anchor == "remedies" and anchor in parsed(agency).ids
    section = agency[agency.index('id="remedies"') :]
    assert "收到决定书之日起六十日内申请行政复议" in section[: section.index("</section>")]


def test_an_entrusted_organisation_links_its_entrusting_agencys_remedies(site: Path) -> None:
    where = "agencies/street-team/decisions/2026"
    links = [h for h in parsed(page(site, "2026-104", where), "remedies").links if "#" in h]
    assert [lands(site / where, link) for link in links] == [
        ((site / f"agencies/{AGENCY}/index.html").resolve(), "remedies")
    ]
    agency = (site / "agencies/street-team/index.html").read_text("utf-8")
    assert 'id="remedies"' not in agency  # it states none of its own


def test_without_stated_remedies_the_page_names_the_agency(site: Path) -> None:
    where = "agencies/silent-office/decisions/2026"
    remedies = parsed(page(site, "2026-005", where), "remedies")
    assert "第二十条" in remedies.text and "向东江市测试区某某管理局咨询" in remedies.text
    assert [lands(site / where, link) for link in remedies.links] == [
        ((site / "agencies/silent-office/index.html").resolve(), "")
    ]


# --- credit repair -------------------------------------------------------------------------------


def test_credit_repair_of_a_repairable_penalty(site: Path) -> None:
    html = page(site, "2026-101")
    repair = text_of(html, "publicity")
    assert "自 2026年7月20日 起（最短公示期 3 个月届满）" in repair
    assert "“信用中国”网站" in repair and "东江市测试区市场监督管理局申请信用修复" in repair
    assert "办公地址和联系电话见东江市测试区市场监督管理局" in repair
    links = [lands(site / DECISIONS, link) for link in parsed(html, "publicity").links]
    assert ((site / f"agencies/{AGENCY}/index.html").resolve(), "") in links


def test_credit_repair_of_a_penalty_that_cannot_be_repaired(site: Path) -> None:
    repair = text_of(page(site, "2026-103"), "publicity")
    assert "本决定含吊销许可证件处罚，不适用信用修复提前停止公示" in repair
    assert "申请信用修复" not in repair and "信用中国" not in repair


# --- one amount format everywhere ----------------------------------------------------------------


def amounts_outside_prose(site: Path) -> dict[str, set[str]]:
    """Every amount written on a page, an SVG chart or a feed (as written, spaces folded) and
    where, except in quoted text."""
    found: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".svg", ".xml") or "admin" in path.parts:
            continue
        text = QUOTED.sub("", path.read_text("utf-8", errors="replace"))
        for match in AMOUNT.finditer(text):
            form = " ".join(match.group(0).split())
            found.setdefault(form, set()).add(path.relative_to(site).as_posix())
    return found


def other_formats(site: Path) -> dict[str, list[str]]:
    return {
        form: sorted(pages)[:3]
        for form, pages in amounts_outside_prose(site).items()
        if not CANONICAL.match(form)
    }


def test_every_amount_on_the_site_is_written_one_way(site: Path) -> None:
    written = amounts_outside_prose(site)
    assert {"5,000.00 元", "1,200.00 元", "3,456.70 元"} <= set(written)
    assert not other_formats(site)


def test_the_scan_sees_another_format(tmp_path: Path) -> None:
    """The site-wide scan is only worth something if it catches a second format."""
    (tmp_path / "p.html").write_text(
        '<p>罚款 5,000.00 元</p><p>罚款5000元</p><div class="prose">1200元</div>', "utf-8"
    )
    assert set(amounts_outside_prose(tmp_path)) == {"5,000.00 元", "5000元"}
    assert set(other_formats(tmp_path)) == {"5000元"}


def test_demo_amounts_have_one_format(demo_site: Path) -> None:
    """The demo portal: decision pages, lists, statistics (tables and charts), catalogue
    criteria, discretion ranges and supervision messages write amounts one way."""
    assert "50,000.00 元" in amounts_outside_prose(demo_site)
    assert not other_formats(demo_site)
