"""A decision page on a 360 px phone: the summary line in the first screen (also with large
text), the remedy link landing on the agency's 救济渠道 section, and no serious axe violation
in the new sections, in real Chromium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from decisionfixture import AGENCY, AS_OF, DECISIONS, build_decision_site
from support import new_context, serve
from test_accessibility import AXE, serious_violations

playwright = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_decision_site(tmp_path_factory.mktemp("decision-browser"))


def first_screen_holds(page: Any, selector: str) -> bool:
    """Whether the element is shown and wholly inside the viewport without scrolling."""
    return bool(
        page.evaluate(
            """(selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
            }""",
            selector,
        )
    )


@pytest.mark.parametrize(
    ("large_text", "reader_date"),
    [
        # Days after the build: the page's stale-date notice comes first, the line still fits.
        (False, "2026-11-29"),
        # Large text on the day of the build (the portal rebuilds daily).
        (True, AS_OF),
    ],
)
def test_summary_line_is_in_the_first_screen_of_a_phone(
    site: Path, browser: Any, large_text: bool, reader_date: str
) -> None:
    context = new_context(browser, viewport=PHONE)
    with serve(site) as base:
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{reader_date}T10:00:00+08:00"))
        page.goto(f"{base}/{DECISIONS}/2026-101.html")
        if large_text:  # the high-contrast mode sets 20 px text
            page.click("#hc-toggle")
            page.wait_for_function("document.documentElement.classList.contains('hc')")
        summary = page.locator(".decision-summary")
        assert summary.is_visible()
        assert "罚款 5,000.00 元" in summary.inner_text()
        assert page.evaluate("window.scrollY") == 0
        assert first_screen_holds(page, ".decision-summary"), summary.bounding_box()
    context.close()


def test_remedy_link_lands_on_the_agencys_remedies_section(site: Path, browser: Any) -> None:
    context = new_context(browser, viewport=PHONE)
    with serve(site) as base:
        page = context.new_page()
        page.goto(f"{base}/{DECISIONS}/2026-101.html")
        link = page.locator(".remedies a[href$='#remedies']")
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(f"{base}/agencies/{AGENCY}/index.html#remedies")
        heading = page.locator("#remedies h2")
        assert heading.inner_text() == "救济渠道"
        # The section is where the reader lands: its heading at the top of the screen.
        page.wait_for_function(
            """() => {
                const box = document.querySelector('#remedies').getBoundingClientRect();
                return box.top >= -1 && box.top < window.innerHeight / 2;
            }"""
        )
        assert first_screen_holds(page, "#remedies h2")
    context.close()


@pytest.mark.parametrize("mode", ["default", "high-contrast", "phone"])
def test_decision_pages_have_no_serious_axe_violation(site: Path, browser: Any, mode: str) -> None:
    assert AXE.is_file(), "run `make test`: it installs axe-core from package-lock.json"
    viewport = PHONE if mode == "phone" else {"width": 1280, "height": 900}
    context = new_context(browser, viewport=viewport)
    failures: dict[str, list[str]] = {}
    with serve(site) as base:
        page = context.new_page()
        for path in (
            f"{DECISIONS}/2026-101.html",
            f"{DECISIONS}/2026-103.html",
            "agencies/street-team/decisions/2026/2026-104.html",
            f"agencies/{AGENCY}/index.html",
        ):
            page.goto(f"{base}/{path}")
            if mode == "high-contrast":
                page.click("#hc-toggle")
            found = serious_violations(page)
            if found:
                failures[path] = found
    context.close()
    assert not failures, failures
