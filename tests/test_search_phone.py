"""search.html as people use it, on a 360 px phone and on a desktop, in real Chromium.

After a search the answer is in view: focus moves from the input to the answer's heading (so
the on-screen keyboard closes and a screen reader reads it) and the page scrolls to it, on an
explicit submit and on arrival from a ?q= link, never on a changed filter. An officer result
leads with the officer page's status badge (same classes, same words). The empty query says
what to type, with examples from the portal's own records; a fruitless query says what to try.

The reader's date is the demo's build date (Playwright's clock), except where a test moves it.
Every wait is for a condition: the page's done signal (searchpage.wait_answered) or validity.js's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import DEMO_AS_OF
from searchpage import STATUS, open_search, result_links, wait_answered
from support import VIEWPORTS, Gate, new_context, serve
from test_accessibility import serious_violations

playwright = pytest.importorskip("playwright.sync_api")

# Officers of the demo by standing on DEMO_AS_OF: certificate number, label, badge class.
OFFICERS = {
    "valid": ("33029919010003", "有效", "badge-ok"),  # 欧阳明轩, valid until 2028-05-31
    "suspended": ("33029919030009", "暂扣", "badge-bad"),  # 许文博, dates run to 2027-03-31
    "revoked": ("33029919010009", "注销", "badge-bad"),  # 黄国栋
    "expired": ("33029919010006", "已过期", "badge-bad"),  # 刘建华, 在岗 until 2025-05-31
}
SOON = "33029919010004"  # 李俊杰, valid until 2026-12-10
NOTHING = "青市监处罚〔2025〕999号"  # the form of a 文号, and no such decision


@pytest.fixture(scope="module")
def site(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as base:
        yield base


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = new_context(browser, viewport=VIEWPORTS[request.param], timezone_id="Asia/Shanghai")
    page = context.new_page()
    read_on(page, dt.date.fromisoformat(DEMO_AS_OF))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def read_on(page: Any, day: dt.date) -> None:
    """The reader's device says ``day``, 10:00 in Beijing (before any navigation)."""
    page.clock.set_fixed_time(f"{day.isoformat()}T10:00:00+08:00")


def phone(page: Any) -> bool:
    return bool(page.viewport_size["width"] == VIEWPORTS["phone"]["width"])


def focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement ? document.activeElement.id : ''"))


def in_view(page: Any, locator: Any) -> bool:
    """The element's whole box lies inside the viewport."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= height)


def page_top(page: Any, locator: Any) -> float:
    """Where the element starts on the page (not on the screen)."""
    return float(locator.evaluate("el => el.getBoundingClientRect().top + window.scrollY"))


def submit(page: Any, site: str, q: str) -> str:
    """Opens the empty search page, types ``q`` and presses Enter; returns the outcome."""
    page.goto(f"{site}/search.html")
    assert wait_answered(page, "") == "empty"
    page.fill("#search-q", q)
    page.press("#search-q", "Enter")
    return wait_answered(page, q)


# The answer in view -------------------------------------------------------------------------


def test_enter_moves_focus_to_the_results_and_brings_them_into_view(page: Any, site: str) -> None:
    assert submit(page, site, "许文博") == "found"
    heading = page.locator("#search-results-h")
    assert focused(page) == "search-results-h"
    assert heading.get_attribute("tabindex") == "-1"
    assert in_view(page, heading)
    assert in_view(page, page.locator(".search-result").first)
    assert in_view(page, page.locator(STATUS))  # "找到 1 条…" is read with them
    scrolled = page.evaluate("window.scrollY")
    if phone(page):  # the form fills the screen: the page had to scroll to the answer
        assert page_top(page, heading) > page.viewport_size["height"] and scrolled > 0
    else:  # already in view: nothing jumps
        assert scrolled == 0


def test_a_link_with_a_query_opens_on_its_results(page: Any, site: str) -> None:
    open_search(page, site, "33029919010003")
    assert focused(page) == "search-results-h"
    assert in_view(page, page.locator("#search-results-h"))
    assert in_view(page, page.locator(".search-result").first)


def test_a_changed_filter_leaves_focus_on_the_filter(page: Any, site: str) -> None:
    open_search(page, site, "青市监")
    page.focus("#search-year")
    page.select_option("#search-year", "2025")
    assert wait_answered(page, "青市监", year="2025") == "found"
    assert focused(page) == "search-year"


def test_a_search_never_takes_focus_from_where_the_reader_moved_it(page: Any, site: str) -> None:
    """Back restores the earlier results without moving focus."""
    assert submit(page, site, "许文博") == "found"
    page.fill("#search-q", "欧阳明轩")
    page.press("#search-q", "Enter")
    assert wait_answered(page, "欧阳明轩") == "found"
    page.focus("#search-q")
    page.go_back()
    assert wait_answered(page, "许文博") == "found"
    assert focused(page) == "search-q"


def test_typing_on_while_the_index_loads_keeps_the_keyboard(page: Any, demo_site: Path) -> None:
    """The answer to a submitted query never takes focus from someone still typing."""
    stores = Gate("/search/directory/s")
    with serve(demo_site, stores) as base:
        page.goto(f"{base}/search.html")
        assert wait_answered(page, "") == "empty"
        page.fill("#search-q", "许文博")
        page.press("#search-q", "Enter")
        stores.wait_arrived()
        page.type("#search-q", "的")  # typing on while the answer is still loading
        stores.release()
        assert wait_answered(page, "许文博") == "found"
        assert focused(page) == "search-q"
        assert page.input_value("#search-q") == "许文博的"


# Officer results carry the officer page's badge ---------------------------------------------


def page_badge(page: Any, site: str, cert: str) -> tuple[str, str]:
    """The badge of the officer page's 证件状态 field: (class, text)."""
    page.goto(f"{site}/officers/{cert}.html")
    page.wait_for_selector("html[data-validity-checked]", state="attached")
    field = page.locator(".field", has=page.locator("dt", has_text="证件状态"))
    badge = field.locator(".badge").first
    return str(badge.get_attribute("class")), badge.inner_text()


def result_badge(page: Any, site: str, cert: str) -> tuple[str, str]:
    """The badge of the officer's search result (searched by certificate number)."""
    assert open_search(page, site, cert).startswith("找到")
    item = page.locator(".search-result", has=page.locator(f"a[href$='officers/{cert}.html']"))
    assert item.count() == 1
    first = item.locator(".result-meta > *").first  # the result leads with the status
    assert first.get_attribute("class") == "result-standing"
    badge = first.locator(".badge")
    return str(badge.get_attribute("class")), badge.inner_text()


@pytest.mark.parametrize("which", list(OFFICERS))
def test_an_officer_result_has_the_badge_of_the_officer_page(
    page: Any, site: str, which: str
) -> None:
    cert, label, badge = OFFICERS[which]
    on_page = page_badge(page, site, cert)
    assert on_page == (f"badge {badge}", label)
    assert result_badge(page, site, cert) == on_page
    assert page.is_visible("#search-asof")
    assert "2026年11月24日" in page.inner_text("#search-asof")


def test_past_its_end_on_the_readers_date_a_certificate_never_looks_valid(
    page: Any, site: str
) -> None:
    """Read the day after 李俊杰's certificate ends, on a page built before: the result says
    已过期 like the officer page (validity.js), not the build's 有效."""
    read_on(page, dt.date(2026, 12, 11))
    on_page = page_badge(page, site, SOON)
    assert on_page == ("badge badge-bad", "已过期")
    assert result_badge(page, site, SOON) == on_page
    assert "已过期" in page.inner_text("#search-asof")


def test_a_phone_set_to_utc_reads_the_beijing_date(browser: Any, site: str) -> None:
    """01:00 in Beijing the day after the certificate ends is still the day before in UTC: the
    result must say 已过期 all the same, as validity.js does on the officer page."""
    context = new_context(browser, viewport=VIEWPORTS["phone"], timezone_id="UTC")
    try:
        reader = context.new_page()
        reader.clock.set_fixed_time("2026-12-11T01:00:00+08:00")
        assert result_badge(reader, site, SOON) == ("badge badge-bad", "已过期")
    finally:
        context.close()


def test_a_result_without_an_officer_has_no_badge_and_no_status_note(page: Any, site: str) -> None:
    assert open_search(page, site, "尚品装饰").startswith("找到")
    assert page.locator(".search-result .badge").count() == 0
    assert page.is_hidden("#search-asof")


# The empty query and the fruitless one ------------------------------------------------------


def examples(page: Any) -> list[tuple[str, str]]:
    """The empty page's examples: (label, query of the link)."""
    pairs = page.eval_on_selector_all(
        "#search-empty li",
        """items => items.map(li => [li.querySelector('.search-example-label').textContent,
                                     li.querySelector('a').getAttribute('href')])""",
    )
    return [(label, parse_qs(urlsplit(href).query)["q"][0]) for label, href in pairs]


def test_the_empty_page_says_what_to_type_and_every_example_finds_something(
    page: Any, site: str
) -> None:
    page.goto(f"{site}/search.html")
    assert wait_answered(page, "") == "empty"
    assert page.is_visible("#search-empty") and page.inner_text(STATUS) == ""
    assert focused(page) != "search-empty-h"  # opening the page moves nothing
    shown = examples(page)
    assert [label for label, _ in shown][:4] == ["执法人员姓名", "执法证号", "当事人名称", "文号"]
    for _label, query in shown:
        page.click(f"#search-empty a:text-is('{query}')")
        assert wait_answered(page, query) == "found", query
        assert focused(page) == "search-results-h"
        assert parse_qs(urlsplit(page.url).query) == {"q": [query]}
        assert page.is_hidden("#search-empty")
        page.go_back()
        assert wait_answered(page, "") == "empty"


def test_enter_on_an_empty_query_shows_what_to_type(page: Any, site: str) -> None:
    assert submit(page, site, "") == "empty"
    page.wait_for_function(
        "s => document.querySelector(s).textContent.indexOf('请输入') === 0", arg=STATUS
    )
    assert focused(page) == "search-empty-h"
    assert in_view(page, page.locator("#search-empty-h"))
    assert in_view(page, page.locator("#search-empty li").first)
    assert page.is_hidden("#search-output") and page.is_hidden("#search-help")


def visible_tips(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            "#search-help li[data-tip]",
            "items => items.filter(li => !li.hidden).map(li => li.getAttribute('data-tip'))",
        )
    )


def test_a_fruitless_query_says_what_to_try_and_names_the_filters(page: Any, site: str) -> None:
    open_search(page, site, NOTHING, type="decision", year="2025")
    assert page.get_attribute(STATUS, "data-outcome") == "none"
    assert page.is_hidden("#search-output") and page.is_visible("#search-help")
    assert focused(page) == "search-help-h"
    assert in_view(page, page.locator("#search-help-h"))
    assert page.inner_text("#search-help-h") == "没有找到，可以这样再试"
    assert visible_tips(page) == ["shorter", "filters", "number", "withdrawn", "browse"]
    filters = page.inner_text("#search-help li[data-tip=filters]")
    assert "类型“执法决定”" in filters and "决定年份“2025年”" in filters
    doc_no = dict(examples(page))["文号"]
    assert doc_no in page.inner_text("#search-help li[data-tip=number]")
    browse = page.eval_on_selector_all(
        "#search-help li[data-tip=browse] a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert browse == [
        "./officers/index.html",
        "./decisions/index.html",
        "./powers/index.html",
        "./agencies/index.html",
    ]
    page.click("#search-unfilter")
    assert wait_answered(page, NOTHING) == "none"
    assert page.input_value("#search-type") == "" and page.input_value("#search-year") == ""
    assert "filters" not in visible_tips(page)
    assert focused(page) == "search-help-h"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_tips_fit_the_query(page: Any, site: str) -> None:
    open_search(page, site, "甲乙丙丁戊己庚")
    assert page.get_attribute(STATUS, "data-outcome") == "none"
    assert visible_tips(page) == ["shorter", "withdrawn", "browse"]
    page.fill("#search-q", "尚品装饰")
    page.press("#search-q", "Enter")
    assert wait_answered(page, "尚品装饰") == "found"
    assert result_links(page) and page.is_hidden("#search-help")


def test_help_and_examples_have_no_serious_axe_violation(page: Any, site: str) -> None:
    open_search(page, site, NOTHING, year="2025")
    assert not serious_violations(page)
    assert submit(page, site, "") == "empty"
    page.click("#hc-toggle")
    assert not serious_violations(page)


def test_a_too_common_query_says_to_type_more(page: Any, site: str) -> None:
    """On a large portal 东江 and 江市 are in every record and left out of the index (common
    terms, docs/search.md § 3); the demo is small, so the manifest is made to say so."""

    def common(route: Any) -> None:
        manifest = route.fetch().json()
        for entry in manifest["collections"].values():
            entry["common"] = ["东江", "江市"]
        route.fulfill(json=manifest)

    page.route("**/search/manifest.json", common)
    assert submit(page, site, "东江市") == "broad"
    assert page.inner_text(STATUS).startswith("“东江市”过于常见")
    assert focused(page) == "search-help-h"
    assert page.inner_text("#search-help-h") == "查询词过于常见，可以这样缩小范围"
    assert visible_tips(page) == ["longer", "browse"]
