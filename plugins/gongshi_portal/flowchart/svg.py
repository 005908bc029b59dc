"""The laid-out chart written as an accessible SVG: role="img", titled and described, each node
with a <title>. Its ``width``/``height`` attributes are its natural size (one user unit a CSS
pixel); a width class (fc-w1 … fc-w14, fc-wide) lets flowchart.css draw it at that size times the
large-text zoom, never smaller: below 1:1 its 12-unit texts would fall under 12 px.

No ``style`` attribute or element is written (the site's CSP blocks inline styles). Colours and
strokes come from the classes styled in theme/static/css/flowchart.css; only the geometry the
measurements rely on (font sizes, text anchoring, ``fill="none"`` on lines) is given as
presentation attributes, which CSP allows. Every text goes through ElementTree, which escapes it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil

from .geometry import Box, Point
from .metrics import (
    ARROW,
    ARROW_INSET,
    BASELINE,
    EDGE_FONT,
    EDGE_LINE_H,
    FONT,
    LINE_H,
    MARGIN,
    MIN_W,
    TIME_FONT,
    TIME_LINE_H,
    WIDTH_STEP,
    WIDTH_STEPS,
)
from .model import Chart, Edge, Node
from .steps import node_summary

SVG_NS = "http://www.w3.org/2000/svg"

_Line = tuple[str, float, float, str]  # text, font size, line height, class


@dataclass(frozen=True)
class _Frame:
    """The viewBox: where its top left corner is in layout units, its size, its width class."""

    left: float
    top: float
    width: float
    height: float
    size_class: str

    def x(self, x: float) -> str:
        return _num(x - self.left)

    def y(self, y: float) -> str:
        return _num(y - self.top)

    def at(self, point: Point) -> str:
        return f"{self.x(point[0])},{self.y(point[1])}"


def write_svg(chart: Chart, description: str) -> tuple[str, float]:
    """The chart as an ``<svg>`` element, ``description`` as its <desc>, and its natural width."""
    frame = _frame(chart)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "id": chart.id,
            "class": f"fc {frame.size_class}",
            "viewBox": f"0 0 {_num(frame.width)} {_num(frame.height)}",
            "width": _num(frame.width),
            "height": _num(frame.height),
            "role": "img",
            "aria-labelledby": f"{chart.id}-title {chart.id}-desc",
            "font-size": _num(FONT),
            "text-anchor": "middle",
        },
    )
    _element(root, "title", id=f"{chart.id}-title").text = chart.title
    _element(root, "desc", id=f"{chart.id}-desc").text = description
    arrow = _arrow_marker(root, chart.id)
    _draw_edges(_element(root, "g", class_="fc-edges"), chart.edges, frame, arrow)
    _draw_nodes(_element(root, "g", class_="fc-nodes"), chart.nodes.values(), frame)
    _draw_labels(_element(root, "g", class_="fc-edge-labels"), chart.edges, frame)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True), frame.width


def _num(value: float) -> str:
    """Coordinates rounded to 0.1, written the same way every time."""
    rounded = round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element; ``class_`` stands for ``class``, ``_`` in other names for ``-``."""
    named = {("class" if k == "class_" else k.replace("_", "-")): v for k, v in attributes.items()}
    return ET.SubElement(parent, tag, named)


def _extent(chart: Chart) -> Box:
    """What the drawing covers: boxes, lines (with room for their arrows) and labels."""
    boxes: list[Box] = [n.box() for n in chart.nodes.values()]
    for edge in chart.edges:
        boxes += [
            (x - ARROW / 2, y - ARROW / 2, x + ARROW / 2, y + ARROW / 2)
            for x, y in [*edge.points, *(edge.loop or ())]
        ]
        if edge.label_box:
            boxes.append(edge.label_box)
    if not boxes:
        boxes = [(0.0, 0.0, MIN_W, 0.0)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _frame(chart: Chart) -> _Frame:
    """The extent with a margin, widened to a whole number of 5rem steps: the width class then
    caps the drawing at 1:1."""
    left, top, right, bottom = _extent(chart)
    left, top = left - MARGIN, top - MARGIN
    width = right + MARGIN - left
    height = bottom + MARGIN - top
    steps = max(1, ceil(width / WIDTH_STEP - 1e-9))
    if steps > WIDTH_STEPS:
        return _Frame(left, top, width, height, "fc-wide")
    left -= (steps * WIDTH_STEP - width) / 2
    return _Frame(left, top, steps * WIDTH_STEP, height, f"fc-w{steps}")


def _arrow_marker(root: ET.Element, chart_id: str) -> str:
    """The arrowhead every line ends in, defined once; the reference to it."""
    marker = _element(
        _element(root, "defs"),
        "marker",
        id=f"{chart_id}-arrow",
        class_="fc-arrow",
        viewBox="0 0 10 10",
        refX=_num(10 - ARROW_INSET * 10 / ARROW),
        refY="5",
        markerWidth=_num(ARROW),
        markerHeight=_num(ARROW),
        markerUnits="userSpaceOnUse",
        orient="auto",
    )
    _element(marker, "path", d="M0,0L10,5L0,10z")
    return f"url(#{chart_id}-arrow)"


def _draw_edges(parent: ET.Element, edges: list[Edge], frame: _Frame, arrow: str) -> None:
    for edge in edges:
        if edge.loop is not None:
            a, b, c, d = (frame.at(point) for point in edge.loop)
            path, css = f"M{a}C{b} {c} {d}", "fc-edge fc-loop"
        else:
            path = "M" + "L".join(frame.at(point) for point in edge.points)
            css = "fc-edge fc-back" if edge.back else "fc-edge"
        _element(parent, "path", class_=css, d=path, fill="none", marker_end=arrow)


def _draw_nodes(parent: ET.Element, nodes: Iterable[Node], frame: _Frame) -> None:
    for node in nodes:
        group = _element(parent, "g", class_=f"fc-node fc-{node.kind}")
        _element(group, "title").text = node_summary(node)
        if node.shape in ("diamond", "hexagon"):
            points = " ".join(frame.at(point) for point in node.polygon())
            _element(group, "polygon", class_="fc-shape", points=points)
        else:
            left, top, _right, _bottom = node.box()
            _element(
                group,
                "rect",
                class_="fc-shape",
                x=frame.x(left),
                y=frame.y(top),
                width=_num(node.w),
                height=_num(node.h),
                rx=_num(node.corner),
            )
        lines = [(line, FONT, LINE_H, "") for line in node.lines]
        lines += [(line, TIME_FONT, TIME_LINE_H, "fc-time") for line in node.time_lines]
        block = len(node.lines) * LINE_H + len(node.time_lines) * TIME_LINE_H
        x, top = node.x - frame.left, node.y - block / 2 - frame.top
        _lines_text(group, x, top, lines, class_="fc-label")


def _draw_labels(parent: ET.Element, edges: list[Edge], frame: _Frame) -> None:
    for edge in edges:
        if edge.label_box is None:
            continue
        x0, y0, x1, y1 = edge.label_box
        group = _element(parent, "g", class_="fc-edge-label")
        width, height = _num(x1 - x0), _num(y1 - y0)
        _element(group, "rect", x=frame.x(x0), y=frame.y(y0), width=width, height=height, rx="2")
        lines = [(line, EDGE_FONT, EDGE_LINE_H, "") for line in edge.label_lines]
        x, top = (x0 + x1) / 2 - frame.left, y0 + 2 - frame.top
        _lines_text(group, x, top, lines, font_size=_num(EDGE_FONT))


def _lines_text(
    parent: ET.Element, x: float, top: float, lines: list[_Line], **attributes: str
) -> None:
    """A <text> with one <tspan> per (text, font size, line height, class) line from ``top``."""
    text = _element(parent, "text", **attributes)
    y = top
    for line, size, height, css in lines:
        tspan = _element(text, "tspan", x=_num(x), y=_num(y + height / 2 + BASELINE * size))
        if css:
            tspan.set("class", css)
        if size != FONT:
            tspan.set("font-size", _num(size))
        tspan.text = line
        y += height
