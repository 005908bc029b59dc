"""A flowchart record read into nodes and edges, each node's text wrapped and its shape made just
big enough for it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import cos, pi, sin
from typing import Any

from gongshi_records.model import Record

from .geometry import Box, Point
from .metrics import (
    EDGE_EM,
    FONT,
    LABEL_EM,
    LINE_H,
    MIN_W,
    PAD_X,
    PAD_Y,
    TIME_EM,
    TIME_FONT,
    TIME_LINE_H,
)
from .text import text_em, wrap

KIND_NAMES = {"start": "开始", "step": "步骤", "decision": "判断", "end": "结束"}

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Node:
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
        x, y, k = self.x, self.y, self.corner
        if self.shape == "diamond":
            return [(x, top), (right, y), (x, bottom), (left, y)]
        if self.shape == "hexagon":
            return [
                (left, y),
                (left + k, top),
                (right - k, top),
                (right, y),
                (right - k, bottom),
                (left + k, bottom),
            ]
        if k < 0.5:
            return [(left, top), (right, top), (right, bottom), (left, bottom)]
        return _rounded(self.box(), k)

    def port_room(self) -> float:
        """How much of the top or bottom side lines may leave or enter by."""
        if self.shape == "diamond":
            return self.w * 0.3
        if self.shape == "hexagon":
            return self.w - 2 * self.corner - 8
        return self.w - 2 * max(self.corner, 6.0)


def _rounded(box: Box, r: float) -> list[Point]:
    """The outline of a rectangle with corners of radius ``r``, each in 15° steps."""
    left, top, right, bottom = box
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


@dataclass
class Edge:
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
class Chart:
    """One flowchart record: its title, the id its elements' ids start with, nodes and edges."""

    id: str
    title: str
    nodes: dict[str, Node]
    edges: list[Edge]


def clean(value: Any) -> str:
    """A clerk's value as text XML can carry (no control characters), trimmed."""
    return _XML_UNSAFE.sub("", "" if value is None else str(value)).strip()


def read_chart(record: Record, element_id: str | None = None) -> Chart:
    """The record's nodes and edges, sized but not yet placed."""
    nodes = _read_nodes(record)
    return Chart(
        id=element_id or "fc-" + (_ID_UNSAFE.sub("-", record.key).strip("-") or "chart"),
        title=clean(record.get("title")) or "执法流程图",
        nodes=nodes,
        edges=_read_edges(record, nodes),
    )


def _items(record: Record, key: str) -> list[Mapping[str, Any]]:
    """The mappings in the record's list ``key`` (anything else there is skipped)."""
    raw = record.get(key, default=[])
    return [item for item in raw if isinstance(item, Mapping)] if isinstance(raw, list) else []


def _read_nodes(record: Record) -> dict[str, Node]:
    """The record's nodes, the first of each id, sized to their text."""
    nodes: dict[str, Node] = {}
    for item in _items(record, "nodes"):
        node_id = clean(item.get("id"))
        if not node_id or node_id in nodes:
            continue
        kind = clean(item.get("kind"))
        nodes[node_id] = node = Node(
            index=len(nodes),
            id=node_id,
            label=clean(item.get("label")) or node_id,
            kind=kind if kind in KIND_NAMES else "step",
            time_limit=clean(item.get("time_limit")),
            role=clean(item.get("role")),
        )
        _size(node)
    return nodes


def _read_edges(record: Record, nodes: Mapping[str, Node]) -> list[Edge]:
    """The record's edges between known nodes, their labels wrapped."""
    edges: list[Edge] = []
    for item in _items(record, "edges"):
        src, dst = clean(item.get("from")), clean(item.get("to"))
        if src in nodes and dst in nodes:
            label = clean(item.get("label"))
            lines = wrap(label, EDGE_EM) if label else []
            edges.append(Edge(len(edges), src, dst, label, label_lines=lines))
    return edges


def _size(node: Node) -> None:
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
        and label_w <= 5 * FONT
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
