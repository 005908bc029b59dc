"""No break inside a word in table headers and dates (issue 12 item 9: "执法类/别",
"2026年4月21/日"), measured in Chromium: every visible column header and every date cell of the
demo's list pages lays its text out on one line (the client rects of a Range over its text share
one top), on a 360 px phone, a 660 px tablet (tables with all their columns) and a desktop in
large-text mode — and no page scrolls sideways (wide tables scroll in their own box)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import new_context, serve

playwright = pytest.importorskip("playwright.sync_api")

PAGES = (
    "index.html",
    "agencies/index.html",
    "officers/index.html",
    "agencies/qingxi-zhzf/officers.html",
    "decisions/index.html",
    "agencies/qingxi-scjgj/decisions/page-2.html",
    "decisions/withdrawn.html",
    "agencies/qingxi-scjgj/inspections/2026-food-business.html",
    "agencies/qingxi-slj/inspections/2026-water-permit.html",
    "agencies/qingxi-slj/review-catalog.html",
    "agencies/qingxi-scjgj/powers/index.html",
    "supervision/index.html",
    "agencies/qingxi-zhzf/supervision.html",
    "statistics/index.html",
    "statistics/2025.html",
    "officers/33029919010002.html",
)

# Cells whose text is broken over lines: visible column headers (thead th) and cells holding
# one date ("2026年4月21日"). A cell hidden as on a phone (thead clipped to 1 px) is skipped.
BROKEN = r"""() => {
  const lines = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    return new Set(rects.map(r => Math.round(r.top))).size;
  };
  const shown = el => {
    for (let a = el; a; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (r.width < 3 || r.height < 3) return false;
    }
    return true;
  };
  const date = /^\d{4}年\d{1,2}月\d{1,2}日$/;
  const broken = [];
  let checked = 0;
  for (const el of document.querySelectorAll('thead th, td')) {
    const text = el.textContent.trim();
    if (!(el.tagName === 'TH' || date.test(text)) || !text || !shown(el)) continue;
    checked += 1;
    if (lines(el) > 1) broken.push(text);
  }
  return {broken, checked, width: document.documentElement.scrollWidth};
}"""

LAYOUTS = {
    "phone": ({"width": 360, "height": 780}, False),
    "phone-large-text": ({"width": 360, "height": 780}, True),
    "tablet": ({"width": 660, "height": 900}, False),
    "tablet-large-text": ({"width": 660, "height": 900}, True),
    "desktop-large-text": ({"width": 1280, "height": 900}, True),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_headers_and_dates_never_break_inside_a_word(
    demo_site: Path, browser: Any, layout: str
) -> None:
    viewport, large = LAYOUTS[layout]
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    failures: dict[str, Any] = {}
    checked = 0
    with serve(demo_site) as base:
        for path in PAGES:
            assert (demo_site / path).is_file(), path
            page.goto(f"{base}/{path}")
            if large and "hc" not in (page.get_attribute("html", "class") or ""):
                page.click("#hc-toggle")
                page.wait_for_function("document.documentElement.classList.contains('hc')")
            found = page.evaluate(BROKEN)
            checked += found["checked"]
            if found["broken"]:
                failures[path] = found["broken"][:5]
            if found["width"] > viewport["width"]:
                failures[path + " (page width)"] = found["width"]
    context.close()
    assert checked > 50, "the pages have headers and dates to check"
    assert not failures, failures
