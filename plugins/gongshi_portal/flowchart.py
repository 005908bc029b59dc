"""Flowchart records drawn at build time: an accessible SVG in a layered layout, and the same flow
as an ordered list of steps for screen readers and print.

The layout is Sugiyama's (grandalf): nodes in layers from top to bottom, crossings reduced, cycles
broken by turning round the edges that close them (those are drawn going back up, e.g. 补正 →
受理). Parts not connected to the start node are laid out on their own, side by side.

Text is measured here, not by the browser: 1 em for each CJK or full-width character, about
0.55 em for ASCII; labels are wrapped at 8 em a line and boxes follow their text.

No ``style`` attribute or element is written (the site's CSP blocks inline styles). Colours and
strokes come from the classes styled in theme/static/css/flowchart.css; only the geometry the
measurements rely on (font sizes, text anchoring, ``fill="none"`` on lines) is given as
presentation attributes, which CSP allows. Every text comes from clerks and goes through
ElementTree (SVG) or markupsafe (HTML), which escape it.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from math import ceil, cos, hypot, pi, sin
from typing import Any

from gongshi_records.model import Record
from grandalf.graphs import Edge as GraphEdge
from grandalf.graphs import Vertex as GraphVertex
from grandalf.graphs import graph_core
from grandalf.layouts import DummyVertex, SugiyamaLayout
from markupsafe import Markup

__all__ = ["RenderedFlowchart", "flowchart", "flowchart_steps", "render_flowchart", "wrap"]

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

SVG_NS = "http://www.w3.org/2000/svg"
KIND_NAMES = {"start": "开始", "step": "步骤", "decision": "判断", "end": "结束"}

# Text, in SVG user units (the viewBox is drawn 1:1 up to the width of the page).
FONT = 14.0  # node labels
LINE_H = 19.0
TIME_FONT = 12.0  # the time limit under a label
TIME_LINE_H = 16.0
EDGE_FONT = 12.0  # 是/否 on the lines
EDGE_LINE_H = 15.0
LABEL_EM = 8.0  # widest label line: 8 CJK characters
TIME_EM = 11.0
EDGE_EM = 6.0
BASELINE = 0.36  # from the middle of a line to its baseline, in em

# Boxes and spacing.
PAD_X = 12.0
PAD_Y = 9.0
MIN_W = 84.0
XSPACE = 32.0  # between neighbours in a layer
YSPACE = 52.0  # between layers: room for a bend, an arrow and a 是/否
COMP_GAP = 48.0  # between parts not connected to each other
MARGIN = 12.0
DUMMY_W = 16.0  # the lane a line takes through a layer it crosses
DUMMY_H = 16.0
LANE = 10.0  # between parallel lines sharing a lane
PORT_GAP = 14.0  # between lines leaving or entering the same side of a box
EXIT_STUB = 6.0
ENTRY_STUB = 14.0  # straight run into a box, so arrows point the way the flow goes
ARROW = 10.0  # arrowhead length
ARROW_INSET = 3.0  # the line stops short of the box, the arrow's tip reaches it
LOOP_OUT = 34.0  # how far a node's line to itself bulges out
WIDTH_STEP = 80.0  # the width classes fc-w1 … fc-w14 (5rem each)
WIDTH_STEPS = 14

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/_-][A-Za-z0-9]+)*%?|\s+|.", re.DOTALL)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】〉,.;:?!)%")
_NO_LINE_END = frozenset("（《「『“‘〔【〈(")
_PHRASE = re.compile(r"[^，、；：。！？,;: ]+[，、；：。！？,;: ]*|[，、；：。！？,;: ]+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


# --------------------------------------------------------------------------- text


def char_em(ch: str) -> float:
    """Width of one character in em: CJK and full-width 1, ASCII about 0.55."""
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch == " ":
        return 0.3
    if ch.isupper() or ch in "@%&#MWmw":
        return 0.7
    return 0.55


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def _fit_em(line: str) -> float:
    """Width a line needs to fit: closing punctuation at its end may hang past the limit."""
    line = line.rstrip()
    while line and line[-1] in _NO_LINE_START:
        line = line[:-1]
    return text_em(line)


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character, whole ASCII words; closing punctuation stays with
    what it closes, opening punctuation with what it opens (no line starts with “，”) and a number
    with its unit (5日, 20个)."""
    tokens: list[str] = []
    opening = ""
    for token in _TOKEN.findall(text):
        if token in _NO_LINE_START and tokens and not opening:
            tokens[-1] += token
        elif token in _NO_LINE_END:
            opening += token
        elif (
            tokens
            and not opening
            and tokens[-1].isascii()
            and tokens[-1][-1:].isdigit()
            and (char_em(token) == 1.0)
        ):
            tokens[-1] += token
        else:
            tokens.append(opening + token)
            opening = ""
    if opening:
        tokens.append(opening)
    return tokens


def _greedy(tokens: list[str], limit: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in tokens:
        if not line and token.isspace():
            continue
        if line and _fit_em(line + token) > limit + 1e-9:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _balanced(text: str, max_em: float) -> list[str]:
    """As few lines as greedy filling gives, made as even as the breaks allow."""
    tokens: list[str] = []
    for token in _tokens(text):
        tokens.extend(token if _fit_em(token) > max_em else [token])
    widest = _greedy(tokens, max_em)
    limit = _fit_em(text) / len(widest)
    while limit < max_em:
        even = _greedy(tokens, limit)
        if len(even) <= len(widest):
            return even
        limit += 0.5
    return widest


def _by_phrase(text: str, max_em: float) -> list[str]:
    """Lines broken after punctuation (，、；：) where possible; a phrase too long for one line is
    broken on its own."""
    lines: list[str] = []
    line = ""
    for phrase in _PHRASE.findall(text):
        if _fit_em(phrase) > max_em:
            lines += [line.rstrip()] if line.strip() else []
            lines += _balanced(phrase.strip(), max_em)
            line = ""
        elif line and _fit_em(line + phrase) > max_em:
            lines.append(line.rstrip())
            line = phrase.lstrip()
        else:
            line += phrase
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap(text: str, max_em: float) -> list[str]:
    """``text`` in lines of at most ``max_em`` (a longer word or hanging punctuation may overhang):
    after punctuation where that takes no more lines, else as even as the breaks allow (12
    characters at 8 a line give 6 + 6, not 8 + 4). Line breaks in ``text`` are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if _fit_em(paragraph) <= max_em:
            lines.append(paragraph)
            continue
        even = _balanced(paragraph, max_em)
        phrased = _by_phrase(paragraph, max_em)
        lines += phrased if len(phrased) <= len(even) else even
    return lines


def _clean(value: Any) -> str:
    """A clerk's value as text XML can carry (no control characters), trimmed."""
    return _XML_UNSAFE.sub("", "" if value is None else str(value)).strip()


def _num(value: float) -> str:
    """Coordinates rounded to 0.1, written the same way every time."""
    rounded = round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --------------------------------------------------------------------------- geometry


def _exit(polygon: list[Point], origin: Point, toward: Point) -> Point:
    """Where the ray from ``origin`` (inside the convex ``polygon``) to ``toward`` leaves it."""
    ox, oy = origin
    dx, dy = toward[0] - ox, toward[1] - oy
    best: float | None = None
    for (px, py), (qx, qy) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        ex, ey = qx - px, qy - py
        denominator = dx * ey - dy * ex
        if abs(denominator) < 1e-12:
            continue
        wx, wy = px - ox, py - oy
        t = (wx * ey - wy * ex) / denominator
        s = (wx * dy - wy * dx) / denominator
        if t > 1e-9 and -1e-9 <= s <= 1 + 1e-9 and (best is None or t < best):
            best = t
    return origin if best is None else (ox + best * dx, oy + best * dy)


def _simplify(points: list[Point]) -> list[Point]:
    """Without repeated points and without the middle one of three on a straight line."""
    result: list[Point] = []
    for point in points:
        if result and hypot(point[0] - result[-1][0], point[1] - result[-1][1]) < 0.05:
            continue
        if len(result) >= 2:
            (ax, ay), (bx, by) = result[-2], result[-1]
            cross = (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)
            if abs(cross) < 0.05 * max(1.0, hypot(point[0] - ax, point[1] - ay)):
                result[-1] = point
                continue
        result.append(point)
    return result


def _point_at(points: list[Point], fraction: float) -> Point:
    lengths = [hypot(b[0] - a[0], b[1] - a[1]) for a, b in pairwise(points)]
    remaining = sum(lengths) * fraction
    for (a, b), length in zip(pairwise(points), lengths, strict=True):
        if remaining <= length and length > 0:
            t = remaining / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        remaining -= length
    return points[-1]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_hits(box: Box, a: Point, b: Point) -> bool:
    """Whether the segment a–b passes through ``box`` (Liang–Barsky)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box[0]),
        (dx, box[2] - a[0]),
        (-dy, a[1] - box[1]),
        (dy, box[3] - a[1]),
    ):
        if abs(p) < 1e-12:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


# --------------------------------------------------------------------------- model


@dataclass
class _Node:
    index: int
    id: str
    label: str
    kind: str
    time_limit: str
    role: str
    lines: list[str] = field(default_factory=list)
    time_lines: list[str] = field(default_factory=list)
    shape: str = "rect"  # rect | pill | diamond | hexagon
    w: float = 0.0
    h: float = 0.0
    corner: float = 0.0  # corner radius (rect, pill) or depth of the points (hexagon)
    loop: float = 0.0  # room kept on each side for a line from the node to itself
    x: float = 0.0  # centre
    y: float = 0.0
    rank: int = 0
    part: int = 0

    def box(self, grow: float = 0.0) -> Box:
        return (
            self.x - self.w / 2 - grow,
            self.y - self.h / 2 - grow,
            self.x + self.w / 2 + grow,
            self.y + self.h / 2 + grow,
        )

    def polygon(self) -> list[Point]:
        left, top, right, bottom = self.box()
        x, y = self.x, self.y
        if self.shape == "diamond":
            return [(x, top), (right, y), (x, bottom), (left, y)]
        if self.shape == "hexagon":
            k = self.corner
            return [
                (left, y),
                (left + k, top),
                (right - k, top),
                (right, y),
                (right - k, bottom),
                (left + k, bottom),
            ]
        r = self.corner
        if r < 0.5:
            return [(left, top), (right, top), (right, bottom), (left, bottom)]
        points: list[Point] = []
        for cx, cy, start in (
            (right - r, top + r, -90),
            (right - r, bottom - r, 0),
            (left + r, bottom - r, 90),
            (left + r, top + r, 180),
        ):
            for step in range(7):
                angle = (start + step * 15) * pi / 180
                points.append((cx + r * cos(angle), cy + r * sin(angle)))
        return points

    def port_room(self) -> float:
        """How much of the top or bottom side lines may leave or enter by."""
        if self.shape == "diamond":
            return self.w * 0.3
        if self.shape == "hexagon":
            return self.w - 2 * self.corner - 8
        return self.w - 2 * max(self.corner, 6.0)


@dataclass
class _Edge:
    index: int
    src: str
    dst: str
    label: str
    label_lines: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    loop: tuple[Point, Point, Point, Point] | None = None  # a node's line to itself (Bézier)
    label_box: Box | None = None
    back: bool = False  # drawn going up: the edge closes a cycle


@dataclass
class _Lane:
    """Where a line crosses a layer it does not stop in."""

    x: float
    top: float
    bottom: float


@dataclass
class _Route:
    """The path of every edge between two nodes, from the upper node to the lower one."""

    upper: str
    lower: str
    lanes: list[_Lane]
    edges: list[_Edge]


class _View:
    """What grandalf reads and writes for each vertex: its size and its computed centre."""

    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h
        self.xy: tuple[float, float] = (0.0, 0.0)


def _text(node: Mapping[str, Any], key: str) -> str:
    return _clean(node.get(key))


def _read(record: Record) -> tuple[dict[str, _Node], list[_Edge]]:
    """The record's nodes (first of each id) and the edges between known nodes."""
    nodes: dict[str, _Node] = {}
    raw_nodes = record.get("nodes", default=[])
    for item in raw_nodes if isinstance(raw_nodes, list) else []:
        if not isinstance(item, Mapping) or not _text(item, "id") or _text(item, "id") in nodes:
            continue
        node_id = _text(item, "id")
        kind = _text(item, "kind")
        nodes[node_id] = _Node(
            index=len(nodes),
            id=node_id,
            label=_text(item, "label") or node_id,
            kind=kind if kind in KIND_NAMES else "step",
            time_limit=_text(item, "time_limit"),
            role=_text(item, "role"),
        )
    edges: list[_Edge] = []
    raw_edges = record.get("edges", default=[])
    for item in raw_edges if isinstance(raw_edges, list) else []:
        if not isinstance(item, Mapping):
            continue
        src, dst = _text(item, "from"), _text(item, "to")
        if src in nodes and dst in nodes:
            edges.append(_Edge(len(edges), src, dst, _text(item, "label")))
    for node in nodes.values():
        _size(node)
    for edge in edges:
        edge.label_lines = wrap(edge.label, EDGE_EM) if edge.label else []
    return nodes, edges


def _size(node: _Node) -> None:
    """Wrap the node's text and make its shape just big enough for it."""
    node.lines = wrap(node.label, LABEL_EM) or [node.id]
    node.time_lines = wrap(f"时限：{node.time_limit}", TIME_EM) if node.time_limit else []
    label_w = max(text_em(line) for line in node.lines) * FONT
    time_w = max((text_em(line) * TIME_FONT for line in node.time_lines), default=0.0)
    text_w = max(label_w, time_w)
    text_h = len(node.lines) * LINE_H + len(node.time_lines) * TIME_LINE_H
    node.h = text_h + 2 * PAD_Y
    if node.kind in ("start", "end"):
        node.shape = "pill"
        node.corner = min(node.h / 2, 20.0)
        node.w = text_w + 2 * PAD_X + node.corner
    elif (
        node.kind == "decision"
        and len(node.lines) + len(node.time_lines) == 1
        and (label_w <= 5 * FONT)
    ):
        # A rectangle of half-size (a, b) fits a diamond of half-size (2a, 2b) exactly.
        node.shape = "diamond"
        node.w = 2 * (text_w + 12)
        node.h = 2 * (text_h + 6)
    elif node.kind == "decision":
        node.shape = "hexagon"
        node.corner = round(node.h * 0.3, 1)
        node.w = text_w + 2 * PAD_X + 2 * node.corner
    else:
        node.shape = "rect"
        node.corner = 3.0
        node.w = text_w + 2 * PAD_X
    node.w = round(max(node.w, MIN_W), 1)
    node.h = round(node.h, 1)


# --------------------------------------------------------------------------- layout


class _Chart:
    """One flowchart record laid out: node positions, edge paths, label places."""

    def __init__(self, record: Record, element_id: str | None = None) -> None:
        self.record = record
        self.title = _clean(record.get("title")) or "执法流程图"
        self.id = element_id or "fc-" + (_ID_UNSAFE.sub("-", record.key).strip("-") or "chart")
        self.nodes, self.edges = _read(record)
        starts = [n.id for n in self.nodes.values() if n.kind == "start"]
        self.start = starts[0] if starts else None
        self.routes: dict[tuple[str, str], _Route] = {}
        self.rows: dict[tuple[int, int], tuple[float, float]] = {}  # (part, rank) → top, bottom
        if self.nodes:
            self._layout()
            self._route()
            self._place_labels()

    # ----- layers

    def _pairs(self) -> dict[tuple[str, str], list[_Edge]]:
        """Edges grouped by the two nodes they join (either way round), self-loops left out."""
        pairs: dict[tuple[str, str], list[_Edge]] = {}
        for edge in self.edges:
            if edge.src == edge.dst:
                continue
            key = (edge.dst, edge.src) if (edge.dst, edge.src) in pairs else (edge.src, edge.dst)
            pairs.setdefault(key, []).append(edge)
        return pairs

    def _parts(self, pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
        """Connected parts, each in record order; the start node's part first."""
        parent = {node_id: node_id for node_id in self.nodes}

        def find(node_id: str) -> str:
            while parent[node_id] != node_id:
                parent[node_id] = parent[parent[node_id]]
                node_id = parent[node_id]
            return node_id

        for a, b in pairs:
            parent[find(a)] = find(b)
        parts: dict[str, list[str]] = {}
        for node_id in self.nodes:
            parts.setdefault(find(node_id), []).append(node_id)
        ordered = list(parts.values())
        ordered.sort(key=lambda part: (self.start not in part, self.nodes[part[0]].index))
        return ordered

    def _feedback(
        self, part: list[str], pairs: list[tuple[str, str]]
    ) -> tuple[set[tuple[str, str]], list[str]]:
        """Edges closing a cycle (found depth first from the start node) and, once those are
        turned round, the nodes nothing leads to: the tops of the layering."""
        following: dict[str, list[tuple[str, tuple[str, str]]]] = {n: [] for n in part}
        for pair in pairs:
            following[pair[0]].append((pair[1], pair))
        order = ([self.start] if self.start in following else []) + part
        state = dict.fromkeys(part, 0)  # 0 unseen, 1 on the current path, 2 done
        turned: set[tuple[str, str]] = set()
        for root in order:
            if state[root]:
                continue
            state[root] = 1
            stack: list[tuple[str, Iterator[tuple[str, tuple[str, str]]]]] = [
                (root, iter(following[root]))
            ]
            while stack:
                node_id, rest = stack[-1]
                step = next(rest, None)
                if step is None:
                    state[node_id] = 2
                    stack.pop()
                elif state[step[0]] == 1:
                    turned.add(step[1])
                elif state[step[0]] == 0:
                    state[step[0]] = 1
                    stack.append((step[0], iter(following[step[0]])))
        lower = {(p[0] if p in turned else p[1]) for p in pairs}
        return turned, [n for n in part if n not in lower]

    def _layout(self) -> None:
        pairs = self._pairs()
        for edge in self.edges:
            if edge.src == edge.dst:
                node = self.nodes[edge.src]
                room = max((text_em(line) * EDGE_FONT for line in edge.label_lines), default=0)
                node.loop = max(node.loop, LOOP_OUT + (room + 12 if room else 0))
        left = 0.0
        for number, part in enumerate(self._parts(pairs)):
            members = set(part)
            own = [p for p in pairs if p[0] in members]
            right = self._layout_part(number, part, own, pairs, left)
            left = right + COMP_GAP

    def _layout_part(
        self,
        number: int,
        part: list[str],
        pairs: list[tuple[str, str]],
        edges_of: Mapping[tuple[str, str], list[_Edge]],
        left: float,
    ) -> float:
        """Lay one connected part out with grandalf, its left side at ``left``; its right side."""
        turned, roots = self._feedback(part, pairs)
        vertices: dict[str, Any] = {}
        for node_id in part:
            node = self.nodes[node_id]
            vertex = GraphVertex(node_id)
            vertex.view = _View(node.w + 2 * node.loop, node.h)
            vertices[node_id] = vertex
        graph_edges = {p: GraphEdge(vertices[p[0]], vertices[p[1]]) for p in pairs}
        graph = graph_core(list(vertices.values()), list(graph_edges.values()))
        sugiyama = SugiyamaLayout(graph)
        sugiyama.xspace, sugiyama.yspace = XSPACE, YSPACE
        sugiyama.dw, sugiyama.dh = DUMMY_W, DUMMY_H
        sugiyama.init_all(
            roots=[vertices[r] for r in roots],
            inverted_edges=[graph_edges[p] for p in pairs if p in turned],
        )
        for pair, graph_edge in graph_edges.items():
            for vertex in sugiyama.ctrls.get(graph_edge, {}).values():
                if isinstance(vertex, DummyVertex):
                    vertex.view.w = DUMMY_W + LANE * (len(edges_of[pair]) - 1)
        sugiyama.draw(N=3.5)

        # grandalf's x, pushed apart where averaging its four alignments let boxes touch.
        xs: dict[int, float] = {}
        for layer in sugiyama.layers:
            previous: Any = None
            for vertex in layer:
                x = float(vertex.view.xy[0])
                if previous is not None:
                    gap = XSPACE + (previous.view.w + vertex.view.w) / 2
                    x = max(x, xs[id(previous)] + gap)
                xs[id(vertex)] = x
                previous = vertex
        shift = left - min(xs[id(v)] - v.view.w / 2 for layer in sugiyama.layers for v in layer)
        gaps = self._gaps(sugiyama, graph_edges, edges_of)
        right = left
        top = 0.0
        for rank, layer in enumerate(sugiyama.layers):
            height = max(float(v.view.h) for v in layer)
            self.rows[(number, rank)] = (top, top + height)
            for vertex in layer:
                xs[id(vertex)] += shift
                right = max(right, xs[id(vertex)] + vertex.view.w / 2)
                if isinstance(vertex, DummyVertex):
                    continue
                node = self.nodes[vertex.data]
                node.x, node.y = xs[id(vertex)], top + height / 2
                node.rank, node.part = rank, number
            top += height + gaps.get(rank, YSPACE)

        for pair, graph_edge in graph_edges.items():
            upper, lower = (pair[1], pair[0]) if pair in turned else pair
            lanes: list[_Lane] = []
            ctrl = sugiyama.ctrls.get(graph_edge, {})
            for rank in range(self.nodes[upper].rank + 1, self.nodes[lower].rank):
                row_top, row_bottom = self.rows[(number, rank)]
                lanes.append(_Lane(xs[id(ctrl[rank])], row_top, row_bottom))
            self.routes[pair] = _Route(upper, lower, lanes, edges_of[pair])
        return right

    @staticmethod
    def _gaps(
        sugiyama: Any,
        graph_edges: Mapping[tuple[str, str], Any],
        edges_of: Mapping[tuple[str, str], list[_Edge]],
    ) -> dict[int, float]:
        """Room below each layer: more where several labelled lines leave it."""
        labels: dict[int, list[int]] = {}
        for pair, graph_edge in graph_edges.items():
            rank = min(int(sugiyama.grx[v].rank) for v in graph_edge.v)
            for edge in edges_of[pair]:
                if edge.label_lines:
                    labels.setdefault(rank, []).append(len(edge.label_lines))
        return {
            rank: YSPACE + (len(lines) - 1) * 16.0 + (max(lines) - 1) * EDGE_LINE_H
            for rank, lines in labels.items()
        }

    # ----- lines

    def _route(self) -> None:
        """Each edge from a port on the bottom of its upper node, through its lanes, to a port on
        the top of its lower node; ports on one side are spread out in the order of where their
        lines go, so lines leaving or entering the same box do not cross there."""
        ports: dict[tuple[str, str], list[tuple[float, int, int, _Edge]]] = {}
        for order, route in enumerate(self.routes.values()):
            count = len(route.edges)
            for k, edge in enumerate(route.edges):
                offset = (k - (count - 1) / 2) * LANE
                below = route.lanes[0].x + offset if route.lanes else self.nodes[route.lower].x
                above = route.lanes[-1].x + offset if route.lanes else self.nodes[route.upper].x
                ports.setdefault((route.upper, "bottom"), []).append((below, order, k, edge))
                ports.setdefault((route.lower, "top"), []).append((above, order, k, edge))
        where: dict[tuple[int, str], Point] = {}
        for (node_id, side), requests in ports.items():
            node = self.nodes[node_id]
            requests.sort(key=lambda r: (r[0], r[1], r[2]))
            gap = min(PORT_GAP, node.port_room() / max(len(requests) - 1, 1))
            for i, (_x, _order, _k, edge) in enumerate(requests):
                x = node.x + (i - (len(requests) - 1) / 2) * gap
                toward = (x, node.y + (1 if side == "bottom" else -1))
                where[(edge.index, side)] = _exit(node.polygon(), (x, node.y), toward)
        for route in self.routes.values():
            upper, lower = self.nodes[route.upper], self.nodes[route.lower]
            upper_bottom = self.rows[(upper.part, upper.rank)][1]
            lower_top = self.rows[(lower.part, lower.rank)][0]
            count = len(route.edges)
            for k, edge in enumerate(route.edges):
                offset = (k - (count - 1) / 2) * LANE
                start, end = where[(edge.index, "bottom")], where[(edge.index, "top")]
                points = [start, (start[0], upper_bottom), (start[0], upper_bottom + EXIT_STUB)]
                for lane in route.lanes:
                    points += [(lane.x + offset, lane.top), (lane.x + offset, lane.bottom)]
                points += [(end[0], lower_top - ENTRY_STUB), (end[0], lower_top), end]
                edge.back = edge.src != route.upper
                if edge.back:
                    points.reverse()
                edge.points = _shorten(_simplify(points), ARROW_INSET)
        for edge in self.edges:
            if edge.src == edge.dst:
                edge.loop = _self_loop(self.nodes[edge.src])

    # ----- labels on lines

    def _place_labels(self) -> None:
        """Each 是/否 near the middle of its line, moved along or beside it where it would cover a
        box, another label or another line."""
        node_boxes = [n.box(4.0) for n in self.nodes.values()]
        placed: list[Box] = []
        for edge in self.edges:
            if not edge.label_lines:
                continue
            w = max(text_em(line) for line in edge.label_lines) * EDGE_FONT + 8
            h = len(edge.label_lines) * EDGE_LINE_H + 4
            if edge.loop is not None:
                x = max(edge.loop[1][0], edge.loop[2][0]) * 0.75 + edge.loop[0][0] * 0.25
                y = (edge.loop[0][1] + edge.loop[3][1]) / 2
                edge.label_box = (x + 4, y - h / 2, x + 4 + w, y + h / 2)
                placed.append(edge.label_box)
                continue
            candidates = list(self._label_candidates(edge, w, h))
            # The first candidate clear of boxes, labels and lines; else the least in the way.
            edge.label_box = min(
                candidates, key=lambda c: self._clash(c[1], c[0], edge, node_boxes, placed)
            )[1]
            placed.append(edge.label_box)

    @staticmethod
    def _label_candidates(edge: _Edge, w: float, h: float) -> Iterator[tuple[bool, Box]]:
        for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
            x, y = _point_at(edge.points, fraction)
            for side in (0, 1, -1):
                cx = x + side * (w / 2 + 4)
                yield side == 0, (cx - w / 2, y - h / 2, cx + w / 2, y + h / 2)

    def _clash(
        self, box: Box, on_line: bool, edge: _Edge, nodes: list[Box], labels: list[Box]
    ) -> tuple[float, int]:
        """How much a label at ``box`` would cover: boxes and labels (area), then lines."""
        covered = 0.0
        for taken in nodes + labels:
            if _overlaps(box, taken):
                covered += (min(box[2], taken[2]) - max(box[0], taken[0])) * (
                    min(box[3], taken[3]) - max(box[1], taken[1])
                )
        lines = 0
        for other in self.edges:
            if other is edge and on_line:
                continue
            segments = pairwise(other.points)
            lines += sum(_segment_hits(box, a, b) for a, b in segments)
        return covered, lines

    # ----- reading order

    def step_order(self) -> list[_Node]:
        """Nodes as the drawing reads: part by part, top to bottom, left to right."""
        return sorted(self.nodes.values(), key=lambda n: (n.part, n.rank, n.x, n.index))


def _shorten(points: list[Point], by: float) -> list[Point]:
    """The path with its last segment ending ``by`` before the end: where the arrow's tip goes."""
    if len(points) < 2:
        return points
    (ax, ay), (bx, by_) = points[-2], points[-1]
    length = hypot(bx - ax, by_ - ay)
    if length <= by + 1:
        return points
    t = (length - by) / length
    return [*points[:-1], (ax + (bx - ax) * t, ay + (by_ - ay) * t)]


def _self_loop(node: _Node) -> tuple[Point, Point, Point, Point]:
    polygon = node.polygon()
    start = _exit(polygon, (node.x, node.y), (node.x + 10, node.y - 4))
    end = _exit(polygon, (node.x, node.y), (node.x + 10, node.y + 4))
    reach = max(start[0], end[0]) + LOOP_OUT
    return start, (reach, start[1] - 16), (reach, end[1] + 16), end


# --------------------------------------------------------------------------- SVG


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element; ``class_`` stands for ``class``, ``_`` in other names for ``-``."""
    named = {("class" if k == "class_" else k.replace("_", "-")): v for k, v in attributes.items()}
    return ET.SubElement(parent, tag, named)


def _lines_text(
    parent: ET.Element,
    x: float,
    top: float,
    lines: list[tuple[str, float, float, str]],
    **attributes: str,
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


def _svg(chart: _Chart) -> str:
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
    left = min(b[0] for b in boxes) - MARGIN
    top = min(b[1] for b in boxes) - MARGIN
    width = max(b[2] for b in boxes) + MARGIN - left
    height = max(b[3] for b in boxes) + MARGIN - top
    # Widen to a whole number of 5rem steps: the width class then caps the drawing at 1:1.
    steps = max(1, ceil(width / WIDTH_STEP - 1e-9))
    if steps <= WIDTH_STEPS:
        left -= (steps * WIDTH_STEP - width) / 2
        width = steps * WIDTH_STEP
    size_class = f"fc-w{steps}" if steps <= WIDTH_STEPS else "fc-wide"

    def at(x: float, y: float) -> str:
        return f"{_num(x - left)},{_num(y - top)}"

    root = ET.Element("svg", {"xmlns": SVG_NS})
    for name, value in (
        ("id", chart.id),
        ("class", f"fc {size_class}"),
        ("viewBox", f"0 0 {_num(width)} {_num(height)}"),
        ("role", "img"),
        ("aria-labelledby", f"{chart.id}-title {chart.id}-desc"),
        ("font-size", _num(FONT)),
        ("text-anchor", "middle"),
    ):
        root.set(name, value)
    _element(root, "title", id=f"{chart.id}-title").text = chart.title
    _element(root, "desc", id=f"{chart.id}-desc").text = _description(chart)
    marker = _element(
        _element(root, "defs"),
        "marker",
        id=f"{chart.id}-arrow",
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
    arrow = f"url(#{chart.id}-arrow)"

    edges = _element(root, "g", class_="fc-edges")
    for edge in chart.edges:
        css = "fc-edge fc-back" if edge.back else "fc-edge"
        if edge.loop is not None:
            a, b, c, d = edge.loop
            path = f"M{at(*a)}C{at(*b)} {at(*c)} {at(*d)}"
            css = "fc-edge fc-loop"
        else:
            path = "M" + "L".join(at(x, y) for x, y in edge.points)
        _element(edges, "path", class_=css, d=path, fill="none", marker_end=arrow)

    nodes = _element(root, "g", class_="fc-nodes")
    for node in chart.nodes.values():
        group = _element(nodes, "g", class_=f"fc-node fc-{node.kind}")
        _element(group, "title").text = _node_summary(node)
        if node.shape in ("diamond", "hexagon"):
            points = " ".join(at(x, y) for x, y in node.polygon())
            _element(group, "polygon", class_="fc-shape", points=points)
        else:
            box = node.box()
            shape = _element(
                group,
                "rect",
                class_="fc-shape",
                x=_num(box[0] - left),
                y=_num(box[1] - top),
                width=_num(node.w),
                height=_num(node.h),
            )
            if node.corner:
                shape.set("rx", _num(node.corner))
        lines = [(line, FONT, LINE_H, "") for line in node.lines]
        lines += [(line, TIME_FONT, TIME_LINE_H, "fc-time") for line in node.time_lines]
        block = len(node.lines) * LINE_H + len(node.time_lines) * TIME_LINE_H
        _lines_text(group, node.x - left, node.y - block / 2 - top, lines, class_="fc-label")

    labels = _element(root, "g", class_="fc-edge-labels")
    for edge in chart.edges:
        if edge.label_box is None:
            continue
        x0, y0, x1, y1 = edge.label_box
        group = _element(labels, "g", class_="fc-edge-label")
        _element(
            group,
            "rect",
            x=_num(x0 - left),
            y=_num(y0 - top),
            width=_num(x1 - x0),
            height=_num(y1 - y0),
            rx="2",
        )
        lines = [(line, EDGE_FONT, EDGE_LINE_H, "") for line in edge.label_lines]
        _lines_text(group, (x0 + x1) / 2 - left, y0 + 2 - top, lines, font_size=_num(EDGE_FONT))
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


# --------------------------------------------------------------------------- text alternative


def _node_summary(node: _Node) -> str:
    details = [f"时限：{node.time_limit}"] if node.time_limit else []
    details += [f"承办岗位：{node.role}"] if node.role else []
    return node.label + (f"（{'；'.join(details)}）" if details else "")


def _branches(chart: _Chart, node: _Node, numbers: Mapping[str, int]) -> list[str]:
    branches: list[str] = []
    for edge in chart.edges:
        if edge.src != node.id:
            continue
        target = chart.nodes[edge.dst]
        goes = (
            "重复本步骤"
            if edge.dst == node.id
            else f"转到第 {numbers[edge.dst]} 步：{target.label}"
        )
        branches.append(f"若“{edge.label}”，{goes}" if edge.label else goes)
    return branches


def _description(chart: _Chart) -> str:
    """The whole flow as one paragraph of text, for the SVG's <desc>."""
    order = chart.step_order()
    numbers = {node.id: i for i, node in enumerate(order, 1)}
    sentences = [f"{chart.title}，共 {len(order)} 个环节。"]
    for node in order:
        kind = "" if node.kind == "step" else f"（{KIND_NAMES[node.kind]}）"
        branches = _branches(chart, node, numbers)
        rest = "：" + "；".join(branches) if branches else ""
        sentences.append(f"第 {numbers[node.id]} 步{kind}{_node_summary(node)}{rest}。")
    return "".join(sentences)


def _steps_html(chart: _Chart) -> Markup:
    order = chart.step_order()
    numbers = {node.id: i for i, node in enumerate(order, 1)}
    items: list[Markup] = []
    for node in order:
        details = [] if node.kind == "step" else [KIND_NAMES[node.kind]]
        details += [f"时限：{node.time_limit}"] if node.time_limit else []
        details += [f"承办岗位：{node.role}"] if node.role else []
        meta = f"（{'；'.join(details)}）" if details else ""
        branches = _branches(chart, node, numbers)
        sub = Markup("").join(Markup("<li>{}</li>").format(b) for b in branches)
        more = Markup('<ul class="fc-branches">{}</ul>').format(sub) if branches else Markup("")
        items.append(Markup("<li><strong>{}</strong>{}{}</li>").format(node.label, meta, more))
    body = Markup("\n").join(items)
    return Markup('<ol class="fc-steps" id="{}-steps">\n{}\n</ol>').format(chart.id, body)


# --------------------------------------------------------------------------- API


@dataclass(frozen=True)
class RenderedFlowchart:
    """A flowchart record drawn (``svg``) and told as a list of steps (``steps``)."""

    svg: Markup
    steps: Markup


def flowchart(record: Record, *, element_id: str | None = None) -> RenderedFlowchart:
    """Both renderings from one layout. ``element_id`` (default ``fc-<record key>``) prefixes
    every id in them; give another one to show the same chart twice on a page."""
    chart = _Chart(record, element_id)
    # ElementTree and markupsafe have escaped every clerk's text above.
    return RenderedFlowchart(svg=Markup(_svg(chart)), steps=_steps_html(chart))


def render_flowchart(record: Record, *, element_id: str | None = None) -> Markup:
    """The flowchart as an inline ``<svg>`` (role="img", titled and described), sized by CSS."""
    return flowchart(record, element_id=element_id).svg


def flowchart_steps(record: Record, *, element_id: str | None = None) -> Markup:
    """The flowchart as an ``<ol class="fc-steps">``: each step with where each branch leads."""
    return flowchart(record, element_id=element_id).steps
