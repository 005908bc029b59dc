"""Flowcharts readable everywhere (issue 12 item 3), measured in real Chromium on a 360 px phone and
a desktop, in the normal and the large-text (大字号高对比) mode: every text of the drawing is at
least 12 CSS px (1.25 times that in large-text mode), the figure has no browser margins, the page
never scrolls sideways (the drawing scrolls in its own labelled, focusable box), and on a desktop
the drawing keeps its natural size beside its list of steps instead of standing as a narrow strip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gongshi_portal.flowchart import flowchart
from support import ROOT, new_context, serve
from test_flowchart import chart

playwright = pytest.importorskip("playwright.sync_api")

MIN_TEXT_PX = 12.0
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# The rendered size of every <text>/<tspan>: its computed font size in user units times the
# drawing's scale on screen (its CTM), and, for one-line texts, the height of its box.
MEASURE = """() => {
  const svg = document.querySelector('figure.flowchart svg');
  const scale = svg.getScreenCTM().a;
  const sizes = [];
  const boxes = [];
  for (const el of svg.querySelectorAll('text, tspan')) {
    if (!el.textContent.trim()) continue;
    sizes.push(parseFloat(getComputedStyle(el).fontSize) * scale);
    if (el.tagName === 'text' && el.querySelectorAll('tspan').length === 1) {
      boxes.push(el.getBoundingClientRect().height);
    }
  }
  const figure = getComputedStyle(svg.closest('figure'));
  const box = svg.getBoundingClientRect();
  return {
    sizes, boxes, scale,
    natural: svg.viewBox.baseVal.width,
    width: box.width,
    margins: [figure.marginTop, figure.marginRight, figure.marginBottom, figure.marginLeft],
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    base: parseFloat(getComputedStyle(document.body).fontSize),
  };
}"""


def flowchart_pages(site: Path) -> list[str]:
    pages = sorted(
        p.relative_to(site).as_posix() for p in site.glob("agencies/*/flowcharts/*.html")
    )
    assert pages, "the demo has flowcharts"
    return pages


def _open(page: Any, url: str, large: bool) -> None:
    page.goto(url)
    if large and "hc" not in (page.get_attribute("html", "class") or ""):
        page.click("#hc-toggle")
        page.wait_for_function("document.documentElement.classList.contains('hc')")


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_flowchart_text_size_margins_and_width(
    demo_site: Path, browser: Any, viewport: dict[str, int], large: bool
) -> None:
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    zoom = 1.25 if large else 1.0
    with serve(demo_site) as base:
        for path in flowchart_pages(demo_site):
            _open(page, f"{base}/{path}", large)
            m = page.evaluate(MEASURE)
            assert m["base"] == 16 * zoom, f"{path}: large-text mode is {large}"
            smallest = min(m["sizes"])
            assert smallest >= MIN_TEXT_PX * zoom - 0.01, f"{path}: text drawn at {smallest:.1f}px"
            # The glyph boxes agree: a one-line text is at least as tall as the minimum.
            assert m["boxes"] and min(m["boxes"]) >= MIN_TEXT_PX * zoom, (path, m["boxes"])
            assert m["margins"] == ["0px"] * 4, f"{path}: figure margins {m['margins']}"
            assert m["pageWidth"] <= m["viewport"], f"{path}: the page scrolls sideways"
            # Natural size (times the large-text zoom), never squeezed to the column.
            assert m["width"] == pytest.approx(m["natural"] * zoom, abs=0.5), path
    context.close()


def test_wide_chart_scrolls_in_a_labelled_focusable_box_on_a_phone(
    demo_site: Path, browser: Any
) -> None:
    """In large-text mode every demo chart is wider than a 360 px phone: it scrolls inside its
    box, which is a named region the keyboard reaches and scrolls, and the page does not."""
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    with serve(demo_site) as base:
        _open(page, f"{base}/{flowchart_pages(demo_site)[0]}", large=True)
        box = page.locator("figure.flowchart .fc-scroll")
        assert box.get_attribute("role") == "region"
        assert "流程图" in (box.get_attribute("aria-label") or "")
        assert box.get_attribute("tabindex") == "0"
        sizes = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert sizes[0] > sizes[1], "the drawing is wider than the phone in large-text mode"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        box.focus()
        assert page.evaluate("document.activeElement.classList.contains('fc-scroll')")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "document.querySelector('figure.flowchart .fc-scroll').scrollLeft > 0"
        )
        # The text alternative stays.
        assert page.locator(".flowchart-steps ol.fc-steps > li").count() > 3
    context.close()


def test_narrow_chart_stands_beside_its_steps_on_a_desktop(demo_site: Path, browser: Any) -> None:
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    with serve(demo_site) as base:
        for path in flowchart_pages(demo_site):
            page.goto(f"{base}/{path}")
            figure = page.locator("figure.flowchart").bounding_box()
            steps = page.locator(".flowchart-steps").bounding_box()
            main = page.locator("main").bounding_box()
            assert figure and steps and main
            assert steps["x"] >= figure["x"] + figure["width"], f"{path}: steps not beside"
            assert steps["y"] < figure["y"] + figure["height"] / 2, path
            # Together they use the column: no narrow strip with empty space beside it.
            assert steps["x"] + steps["width"] >= main["x"] + main["width"] * 0.8, path
        # On a phone they stack: the steps follow the chart.
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/{flowchart_pages(demo_site)[0]}")
        figure = page.locator("figure.flowchart").bounding_box()
        steps = page.locator(".flowchart-steps").bounding_box()
        assert figure and steps and steps["y"] >= figure["y"] + figure["height"]
    context.close()


def _wide_chart_page(folder: Path) -> str:
    """A page with a chart wider than the width classes (fc-wide: twenty steps side by side)
    and the theme's stylesheets and prefs.js, as flowchart.html lays it out."""
    steps = [(f"n{i}", f"并行环节{i}", "step") for i in range(20)]
    nodes = [("s", "开始", "start"), *steps, ("e", "结束", "end")]
    edges = [("s", n, "是" if i % 2 else "") for i, (n, _l, _k) in enumerate(steps)]
    edges += [(n, "e", "") for n, _l, _k in steps]
    drawn = flowchart(chart(nodes, edges))
    assert "fc-wide" in str(drawn.svg) and not drawn.narrow
    for name in ("css/site.css", "css/flowchart.css", "js/prefs.js"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((ROOT / "theme/static" / name).read_bytes())
    (folder / "wide.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>宽流程图</title>"
        '<link rel="stylesheet" href="css/site.css">'
        '<link rel="stylesheet" href="css/flowchart.css">'
        '<script src="js/prefs.js"></script></head><body>'
        '<button type="button" class="hc-toggle" id="hc-toggle" hidden>大字号高对比</button>'
        '<main class="wrap"><div class="fc-layout"><figure class="flowchart">'
        f'<div class="fc-scroll" role="region" tabindex="0" aria-label="流程图">{drawn.svg}</div>'
        f'</figure><section class="flowchart-steps">{drawn.steps}</section></div></main>'
        "</body></html>",
        encoding="utf-8",
    )
    return "wide.html"


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_a_chart_wider_than_every_width_class_keeps_its_text_size(
    browser: Any, tmp_path: Path, large: bool
) -> None:
    name = _wide_chart_page(tmp_path)
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    zoom = 1.25 if large else 1.0
    with serve(tmp_path) as base:
        _open(page, f"{base}/{name}", large)
        m = page.evaluate(MEASURE)
        assert m["natural"] > 14 * 80, "wider than the widest width class"
        assert min(m["sizes"]) >= MIN_TEXT_PX * zoom - 0.01
        assert m["width"] == pytest.approx(m["natural"] * zoom, abs=1)
        assert m["pageWidth"] <= m["viewport"], "the chart scrolls in its box, not the page"
    context.close()
