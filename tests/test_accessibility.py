"""axe-core's WCAG 2.1 A/AA rules on every page type of the demo portal, in real Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from searchpage import query_string, wait_answered
from support import ROOT, new_context, serve

playwright = pytest.importorskip("playwright.sync_api")

AXE = ROOT / "node_modules/axe-core/axe.min.js"
SEARCH_QUERY = "欧阳明轩"
PAGE_TYPES = {
    "home": "index.html",
    "search with results": "search.html" + query_string(SEARCH_QUERY),
    "agencies": "agencies/index.html",
    "agency hub": "agencies/qingxi-scjgj/index.html",
    "roster": "officers/index.html",
    "roster filtered": "officers/status-active.html",
    "agency roster": "agencies/qingxi-slj/officers.html",
    "officer": "officers/33029919010003.html",
    "revoked officer": "officers/33029919010009.html",
    "power list": "agencies/qingxi-scjgj/powers/index.html",
    "all powers": "powers/index.html",
    "decisions": "decisions/index.html",
    "decisions by year": "decisions/2025/index.html",
    "decisions of an agency (year jumps)": "agencies/qingxi-scjgj/decisions/index.html",
    "agency index of the decision lists": "decisions/agencies.html",
    "withdrawn list": "decisions/withdrawn.html",
    "withdrawal notice": "agencies/qingxi-zhzf/decisions/2026/2026-019.html",
    "review catalogue": "agencies/qingxi-scjgj/review-catalog.html",
    "av list": "agencies/qingxi-scjgj/av-list.html",
    "open data": "data/index.html",
    "statistics": "statistics/index.html",
    "statistics of a year": "statistics/2025.html",
    "annual report of the current year": "agencies/qingxi-zhzf/statistics/2026.html",
    "page": "pages/about.html",
    "all flowcharts": "flowcharts/index.html",
    "all review catalogues": "review-catalogs/index.html",
    "all inspections": "inspections/index.html",
    "feeds page": "feeds/index.html",
}
GLOBS = {
    "power": "agencies/qingxi-scjgj/powers/*.html",
    "flowchart": "agencies/*/flowcharts/*.html",
    "inspection": "agencies/*/inspections/*.html",
    "service guide": "agencies/*/service-guides/*.html",
    "statistics": "agencies/*/statistics/*.html",
    "decision": "agencies/qingxi-scjgj/decisions/2025/*.html",
}


def pages_to_check(site: Path) -> dict[str, str]:
    pages = dict(PAGE_TYPES)
    for label, pattern in GLOBS.items():
        first = sorted(site.glob(pattern))[0]
        pages[label] = first.relative_to(site).as_posix()
    return pages


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("mode", ["default", "high-contrast", "phone"])
def test_no_serious_axe_violation_on_any_page_type(
    demo_site: Path, browser: Any, mode: str
) -> None:
    assert AXE.is_file(), "run `make test`: it installs axe-core from package-lock.json"
    viewport = {"width": 360, "height": 780} if mode == "phone" else {"width": 1280, "height": 900}
    context = new_context(browser, viewport=viewport)
    failures: dict[str, list[str]] = {}
    with serve(demo_site) as base:
        page = context.new_page()
        for label, path in pages_to_check(demo_site).items():
            page.goto(f"{base}/{path}")
            if path.startswith("search.html"):
                assert wait_answered(page, SEARCH_QUERY) == "found"
            if mode == "high-contrast":
                page.click("#hc-toggle")
            found = serious_violations(page)
            if found:
                failures[f"{label} ({path})"] = found
    context.close()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


@pytest.fixture(scope="module")
def late_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal whose supervision pages have late rows, reasons and expiring certificates."""
    from supervisionfixture import build_late_site

    return build_late_site(tmp_path_factory.mktemp("late"))


@pytest.mark.parametrize("mode", ["default", "high-contrast", "phone"])
def test_no_serious_axe_violation_on_supervision_pages(
    late_site: Path, demo_site: Path, browser: Any, mode: str
) -> None:
    viewport = {"width": 360, "height": 780} if mode == "phone" else {"width": 1280, "height": 900}
    context = new_context(browser, viewport=viewport)
    failures: dict[str, list[str]] = {}
    for site in (late_site, demo_site):
        with serve(site) as base:
            page = context.new_page()
            for path in ("supervision/index.html", *site.glob("agencies/*/supervision.html")):
                shown = path if isinstance(path, str) else path.relative_to(site).as_posix()
                page.goto(f"{base}/{shown}")
                # The choice persists: click only where the mode is not on yet.
                if (
                    mode == "high-contrast"
                    and page.get_attribute("#hc-toggle", "aria-pressed") != "true"
                ):
                    page.click("#hc-toggle")
                found = serious_violations(page)
                if found:
                    failures[f"{site.name}/{shown}"] = found
            page.close()
    context.close()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_high_contrast_mode_persists(demo_site: Path, browser: Any) -> None:
    context = new_context(browser)
    with serve(demo_site) as base:
        page = context.new_page()
        page.goto(f"{base}/index.html")
        assert page.get_attribute("html", "class") in (None, "")
        page.click("#hc-toggle")
        assert page.get_attribute("#hc-toggle", "aria-pressed") == "true"
        page.goto(f"{base}/decisions/index.html")
        assert "hc" in (page.get_attribute("html", "class") or "")
        font = page.evaluate("getComputedStyle(document.body).fontSize")
        assert font == "20px"
    context.close()


def test_phone_width_has_no_horizontal_scroll(demo_site: Path, browser: Any) -> None:
    context = new_context(browser, viewport={"width": 360, "height": 780})
    with serve(demo_site) as base:
        page = context.new_page()
        for path in (
            "index.html",
            "decisions/index.html",
            "officers/index.html",
            "statistics/2025.html",
        ):
            page.goto(f"{base}/{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width}px wide on a 360px phone"
    context.close()


def test_the_axe_check_can_fail(browser: Any) -> None:
    """The accessibility test is only worth something if it catches a real violation."""
    context = new_context(browser)
    page = context.new_page()
    page.set_content('<html lang="zh-CN"><body><img src="x.png"><input type="text"></body></html>')
    assert any(v.startswith(("image-alt", "label")) for v in serious_violations(page))
    context.close()
