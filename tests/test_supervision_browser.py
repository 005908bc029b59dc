"""The supervision pages on a 360 px phone, in real Chromium: the tables are readable (no page
wider than the screen; a table that scrolls sideways does so inside a labelled region) and a
figure's drill-down link moves the reader to its list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from supervisionfixture import SUPERVISION, build_late_site
from support import new_context, serve

playwright = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 360, "height": 780}
PAGES = ("supervision/index.html", SUPERVISION)


@pytest.fixture(scope="module")
def late_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_late_site(tmp_path_factory.mktemp("late"))


def overflowing_tables(page: Any) -> list[str]:
    """Tables wider than their box that are not inside a labelled scroll region."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('table')].filter(t => {
                const wrap = t.closest('.table-wrap');
                const wide = t.scrollWidth > (wrap || t).clientWidth + 1;
                const labelled = wrap && wrap.getAttribute('role') === 'region'
                    && wrap.getAttribute('aria-label');
                return wide && !labelled;
            }).map(t => t.outerHTML.slice(0, 80))"""
        )
    )


def test_supervision_tables_fit_a_phone(late_site: Path, browser: Any) -> None:
    context = new_context(browser, viewport=PHONE)
    with serve(late_site) as base:
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{base}/{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide on a 360px phone"
            assert not overflowing_tables(page), path
            # Each late row shows its mark in words, legible beside its label.
            if path == SUPERVISION:
                mark = page.locator("#late-publications ~ .table-wrap .late-mark").first
                assert "迟延公示" in mark.inner_text()
                assert mark.is_visible()
    context.close()


def in_view(page: Any, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.top >= -1 && box.top < window.innerHeight;
            }""",
            selector,
        )
    )


def test_a_figure_drills_down_to_its_list(late_site: Path, browser: Any) -> None:
    context = new_context(browser, viewport=PHONE)
    with serve(late_site) as base:
        page = context.new_page()
        page.goto(f"{base}/supervision/index.html")
        figure = page.locator("td[data-label='迟延公示'] a")  # the agency's 3 late publications
        assert figure.inner_text() == "3"
        figure.click()
        page.wait_for_url("**/supervision.html#late-publications")
        page.wait_for_function(
            """() => {
                const box = document.getElementById('late-publications').getBoundingClientRect();
                return box.top >= -1 && box.top < window.innerHeight;
            }"""
        )
        # On the agency page, the summary's figure moves to its list as well.
        page.evaluate("window.scrollTo(0, 0)")
        assert not in_view(page, "#late-withdrawals")
        page.locator("#summary ~ dl a[href='#late-withdrawals']").click()
        page.wait_for_url("**/supervision.html#late-withdrawals")
        page.wait_for_function(
            """() => {
                const box = document.getElementById('late-withdrawals').getBoundingClientRect();
                return box.top >= -1 && box.top < window.innerHeight;
            }"""
        )
    context.close()
