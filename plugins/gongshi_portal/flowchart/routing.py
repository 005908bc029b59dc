"""Each edge drawn from a port on the bottom of its upper node, through the lanes it takes across
the layers in between, to a port on the top of its lower node; and each edge's label (是/否) put
where it covers the least."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise

from .geometry import (
    Box,
    Point,
    exit_point,
    overlap_area,
    point_at,
    segment_hits,
    shorten,
    simplify,
)
from .layout import Route
from .metrics import (
    ARROW_INSET,
    EDGE_FONT,
    EDGE_LINE_H,
    ENTRY_STUB,
    EXIT_STUB,
    LANE,
    LOOP_OUT,
    PORT_GAP,
)
from .model import Edge, Node
from .text import text_em

_Request = tuple[float, int, int, Edge]  # where its line goes, the route's and the line's number


def route(nodes: Mapping[str, Node], edges: list[Edge], routes: list[Route]) -> None:
    """Every edge's path; back edges (closing a cycle) go up, a node's line to itself loops."""
    ports = _ports(nodes, routes)
    for way in routes:
        for edge, offset in zip(way.edges, _offsets(len(way.edges)), strict=True):
            start, end = ports[(edge.index, "bottom")], ports[(edge.index, "top")]
            points = _path(way, offset, start, end)
            edge.back = edge.src != way.upper
            if edge.back:
                points.reverse()
            edge.points = shorten(simplify(points), ARROW_INSET)
    for edge in edges:
        if edge.src == edge.dst:
            edge.loop = _self_loop(nodes[edge.src])


def _offsets(count: int) -> list[float]:
    """How far each of ``count`` parallel lines runs from the middle of the lane they share."""
    return [(k - (count - 1) / 2) * LANE for k in range(count)]


def _path(way: Route, offset: float, start: Point, end: Point) -> list[Point]:
    """Down from ``start``, through the lanes (``offset`` from their middle), into ``end``."""
    points = [start, (start[0], way.below), (start[0], way.below + EXIT_STUB)]
    for lane in way.lanes:
        points += [(lane.x + offset, lane.top), (lane.x + offset, lane.bottom)]
    return [*points, (end[0], way.above - ENTRY_STUB), (end[0], way.above), end]


def _ports(nodes: Mapping[str, Node], routes: list[Route]) -> dict[tuple[int, str], Point]:
    """Where each edge leaves the bottom of its upper node and enters the top of its lower node
    (by edge index and side)."""
    requests: dict[tuple[str, str], list[_Request]] = {}
    for order, way in enumerate(routes):
        for k, offset in enumerate(_offsets(len(way.edges))):
            below = way.lanes[0].x + offset if way.lanes else nodes[way.lower].x
            above = way.lanes[-1].x + offset if way.lanes else nodes[way.upper].x
            edge = way.edges[k]
            requests.setdefault((way.upper, "bottom"), []).append((below, order, k, edge))
            requests.setdefault((way.lower, "top"), []).append((above, order, k, edge))
    ports: dict[tuple[int, str], Point] = {}
    for (node_id, side), wanted in requests.items():
        ports.update(_side_ports(nodes[node_id], side, wanted))
    return ports


def _side_ports(
    node: Node, side: str, requests: list[_Request]
) -> Iterator[tuple[tuple[int, str], Point]]:
    """The ports on one side of ``node``, spread out in the order of where their lines go, so
    lines leaving or entering the same box do not cross there."""
    requests.sort(key=lambda request: request[:3])
    gap = min(PORT_GAP, node.port_room() / max(len(requests) - 1, 1))
    polygon = node.polygon()
    dy = 1 if side == "bottom" else -1
    for i, (*_, edge) in enumerate(requests):
        x = node.x + (i - (len(requests) - 1) / 2) * gap
        yield (edge.index, side), exit_point(polygon, (x, node.y), (x, node.y + dy))


def _self_loop(node: Node) -> tuple[Point, Point, Point, Point]:
    """A curve out of the node's right side and back in, below where it left."""
    polygon = node.polygon()
    start = exit_point(polygon, (node.x, node.y), (node.x + 10, node.y - 4))
    end = exit_point(polygon, (node.x, node.y), (node.x + 10, node.y + 4))
    reach = max(start[0], end[0]) + LOOP_OUT
    return start, (reach, start[1] - 16), (reach, end[1] + 16), end


def place_labels(nodes: Mapping[str, Node], edges: list[Edge]) -> None:
    """Each 是/否 near the middle of its line, moved along or beside it where it would cover a
    box, another label or another line; beside a node's line to itself, on the outside."""
    node_boxes = [n.box(4.0) for n in nodes.values()]
    placed: list[Box] = []
    for edge in edges:
        if not edge.label_lines:
            continue
        w = max(text_em(line) for line in edge.label_lines) * EDGE_FONT + 8
        h = len(edge.label_lines) * EDGE_LINE_H + 4
        if edge.loop is not None:
            edge.label_box = _beside_loop(edge.loop, w, h)
        else:
            edge.label_box = _least_in_the_way(edge, w, h, edges, node_boxes + placed)
        placed.append(edge.label_box)


def _beside_loop(loop: tuple[Point, Point, Point, Point], w: float, h: float) -> Box:
    x = max(loop[1][0], loop[2][0]) * 0.75 + loop[0][0] * 0.25
    y = (loop[0][1] + loop[3][1]) / 2
    return (x + 4, y - h / 2, x + 4 + w, y + h / 2)


def _least_in_the_way(edge: Edge, w: float, h: float, edges: list[Edge], taken: list[Box]) -> Box:
    """The first place along the line clear of boxes, labels and lines; else the least in the
    way: boxes and labels covered (area) first, lines crossed next."""

    def clash(candidate: tuple[bool, Box]) -> tuple[float, int]:
        on_line, box = candidate
        covers = sum((overlap_area(box, other) for other in taken), 0.0)
        crosses = sum(
            segment_hits(box, a, b)
            for other in edges
            if other is not edge or not on_line
            for a, b in pairwise(other.points)
        )
        return covers, crosses

    return min(_label_candidates(edge, w, h), key=clash)[1]


def _label_candidates(edge: Edge, w: float, h: float) -> Iterator[tuple[bool, Box]]:
    """Places along the line, from its middle out: on it, to its right, to its left."""
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
        x, y = point_at(edge.points, fraction)
        for side in (0, 1, -1):
            cx = x + side * (w / 2 + 4)
            yield side == 0, (cx - w / 2, y - h / 2, cx + w / 2, y + h / 2)
