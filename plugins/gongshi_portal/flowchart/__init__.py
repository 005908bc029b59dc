"""Flowchart records drawn at build time: an accessible SVG in a layered layout, and the same flow
as an ordered list of steps for screen readers and print.

The drawing is made in stages, one module each:

- ``text``: text measured (1 em for each CJK or full-width character, about 0.55 em for ASCII)
  and wrapped; labels are wrapped at 8 em a line (``metrics`` holds every size);
- ``model``: the record read into nodes and edges, each shape just big enough for its text;
- ``layout``: Sugiyama's layered layout (grandalf), cycles broken, boxes kept apart, parts not
  connected to the start node side by side;
- ``routing``: each edge's path between its boxes, and where its label goes;
- ``svg`` and ``steps``: the SVG, and the text alternative (its <desc> and the list of steps).

Every text comes from clerks and goes through ElementTree (SVG) or markupsafe (HTML), which
escape it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongshi_records.model import Record
from markupsafe import Markup

from .layout import lay_out
from .metrics import WIDTH_STEP
from .model import Chart, read_chart
from .routing import place_labels, route
from .steps import description, step_numbers, steps_html
from .svg import write_svg
from .text import char_em, text_em, wrap

__all__ = [
    "RenderedFlowchart",
    "char_em",
    "flowchart",
    "flowchart_steps",
    "render_flowchart",
    "text_em",
    "wrap",
]


# Charts at most this wide (user units = CSS px at 1:1) sit beside their list of steps on a wide
# screen instead of standing alone as a narrow strip (flowchart.css, .fc-layout-side).
SIDE_BY_SIDE_WIDTH = 6 * WIDTH_STEP


@dataclass(frozen=True)
class RenderedFlowchart:
    """A flowchart record drawn (``svg``, ``width`` user units wide) and told as a list of
    steps (``steps``)."""

    svg: Markup
    steps: Markup
    width: float

    @property
    def narrow(self) -> bool:
        return self.width <= SIDE_BY_SIDE_WIDTH


def _drawn(record: Record, element_id: str | None) -> Chart:
    """The record's chart with every node placed, every edge routed and labelled."""
    chart = read_chart(record, element_id)
    route(chart.nodes, chart.edges, lay_out(chart.nodes, chart.edges))
    place_labels(chart.nodes, chart.edges)
    return chart


def flowchart(record: Record, *, element_id: str | None = None) -> RenderedFlowchart:
    """Both renderings from one layout. ``element_id`` (default ``fc-<record key>``) prefixes
    every id in them; give another one to show the same chart twice on a page."""
    chart = _drawn(record, element_id)
    numbers = step_numbers(chart)
    svg, width = write_svg(chart, description(chart, numbers))
    # ElementTree and markupsafe have escaped every clerk's text.
    return RenderedFlowchart(svg=Markup(svg), steps=steps_html(chart, numbers), width=width)


def render_flowchart(record: Record, *, element_id: str | None = None) -> Markup:
    """The flowchart as an inline ``<svg>`` (role="img", titled and described), sized by CSS."""
    return flowchart(record, element_id=element_id).svg


def flowchart_steps(record: Record, *, element_id: str | None = None) -> Markup:
    """The flowchart as an ``<ol class="fc-steps">``: each step with where each branch leads."""
    return flowchart(record, element_id=element_id).steps
