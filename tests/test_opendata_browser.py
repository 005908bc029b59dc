"""Open data says what the site says, as a reader sees both: in Chromium, on a 360 px phone and
on a desktop, every officer's ``effective_status`` in the downloaded ``data/officers.csv`` is
the status the officer page shows once its scripts have run, and the column dictionary on the
data page names the column. The reader's clock is the demo's build date (validity.js would
otherwise re-mark a certificate that expired since the build, as it should)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_AS_OF
from support import VIEWPORTS, new_context, serve

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as base:
        yield base


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = new_context(browser, viewport=VIEWPORTS[request.param], timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.clock.set_fixed_time(f"{DEMO_AS_OF}T10:00:00+08:00")
    yield page
    context.close()


def downloaded_officers(page: Any, site: str) -> list[dict[str, str]]:
    """data/officers.csv as the data page's link downloads it."""
    page.goto(f"{site}/data/index.html")
    link = page.locator("a[href$='officers.csv']").first
    text = page.evaluate("href => fetch(href).then(r => r.text())", link.evaluate("a => a.href"))
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def shown_status(page: Any, site: str, cert: str) -> str:
    page.goto(f"{site}/officers/{cert}.html")
    page.wait_for_selector("html[data-validity-checked]", state="attached")
    field = page.locator(".field", has=page.locator("dt", has_text="证件状态"))
    return str(field.locator(".badge").first.inner_text())


def test_the_csv_status_of_every_officer_is_what_the_page_shows(page: Any, site: str) -> None:
    officers = downloaded_officers(page, site)
    assert len(officers) >= 10
    statuses = {row["effective_status"] for row in officers}
    assert {"有效", "已过期", "注销", "暂扣"} <= statuses, statuses  # the demo has them all
    for row in officers:
        assert shown_status(page, site, row["cert_no"]) == row["effective_status"], row["cert_no"]


def test_the_data_page_names_the_status_column_readably(page: Any, site: str) -> None:
    page.goto(f"{site}/data/index.html")
    row = page.locator(
        "xpath=//h3[@id='columns-officers']/following::table[1]"
        "//tr[th/code[text()='effective_status']]"
    )
    assert row.count() == 1
    assert "当前证件状态" in row.inner_text() and row.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # the dictionary never scrolls sideways
