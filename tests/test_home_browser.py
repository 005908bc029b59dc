"""The home page, the site-wide indexes and the feeds page in Chromium, on a 360 px phone and a
desktop (issue 12, item 8): nothing wider than the screen, the three phases visible as headings,
the search box usable, the navigation's phases landing on their sections, the feeds page's full
addresses with and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gongshi_portal.feedpage import FEEDS
from gongshi_portal.indexes import INSPECTIONS_PAGE, RECORD_INDEXES
from searchpage import wait_answered
from support import VIEWPORTS, new_context, serve

playwright = pytest.importorskip("playwright.sync_api")

PAGES = ["index.html", INSPECTIONS_PAGE, "feeds/index.html", *(i.page for i in RECORD_INDEXES)]
PHASES = ("事前公示", "事中公示", "事后公示")
OFFICER = "欧阳明轩"  # an officer of the demo portal


@dataclass
class Screen:
    page: Any
    base: str
    width: int
    height: int

    def open(self, path: str) -> Any:
        self.page.goto(f"{self.base}/{path}")
        return self.page


@pytest.fixture(params=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, demo_site: Path, browser: Any) -> Iterator[Screen]:
    viewport = VIEWPORTS[request.param]
    context = new_context(browser, viewport=viewport)
    with serve(demo_site) as base:
        yield Screen(context.new_page(), base, viewport["width"], viewport["height"])
    context.close()


def test_no_page_is_wider_than_the_screen(screen: Screen) -> None:
    for path in PAGES:
        scroll = screen.open(path).evaluate("document.documentElement.scrollWidth")
        assert scroll <= screen.width, f"{path} is {scroll}px wide on a {screen.width}px screen"


def test_the_three_phases_are_visible_headings(screen: Screen) -> None:
    page = screen.open("index.html")
    for title in PHASES:
        heading = page.get_by_role("heading", name=title, level=2)
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
    # Each phase's entries are links a finger can hit (WCAG 2.5.8: at least 24 px high).
    sizes = page.eval_on_selector_all(
        ".entries a", "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 24, sizes


def test_the_search_box_finds_an_officer(screen: Screen) -> None:
    page = screen.open("index.html")
    box = page.get_by_role("searchbox", name="亮证核验和查询：执法人员、执法决定、权责清单")
    # On a phone it is on the first screen, where the person checking a certificate starts.
    top = box.bounding_box()
    assert top is not None and top["y"] + top["height"] <= screen.height
    box.fill(OFFICER)
    box.press("Enter")
    page.wait_for_url("**/search.html*")
    assert wait_answered(page, OFFICER) == "found"
    assert OFFICER in page.inner_text("#search-results")


def test_the_navigation_s_phases_land_on_their_sections(screen: Screen) -> None:
    page = screen.open("decisions/index.html")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="事后公示").click()
    page.wait_for_url("**/index.html#after")
    heading = page.get_by_role("heading", name="事后公示", level=2)
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < screen.height


def test_the_feeds_page_gives_each_full_address(screen: Screen) -> None:
    page = screen.open("feeds/index.html")
    for feed in FEEDS:
        address = page.locator(f"#{feed.ident}-address")
        page.wait_for_function(
            "el => el.textContent.startsWith('http')", arg=address.element_handle()
        )
        assert address.inner_text() == f"{screen.base}/{feed.path}"


def test_without_javascript_the_feeds_page_says_how_to_copy(demo_site: Path, browser: Any) -> None:
    context = new_context(browser, java_script_enabled=False, viewport=VIEWPORTS["phone"])
    with serve(demo_site) as base:
        page = context.new_page()
        page.goto(f"{base}/feeds/index.html")
        for feed in FEEDS:
            assert page.inner_text(f"#{feed.ident}-address") == f"本站网址后接 {feed.path}"
            assert not page.is_visible(f'button[data-copy="{feed.ident}-address"]')
            link = page.get_by_role("link", name=feed.path)
            assert link.get_attribute("href") == f"../{feed.path}"
        assert "复制链接地址" in page.inner_text("main")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    context.close()
