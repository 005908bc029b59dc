"""Nodes placed in layers with grandalf's Sugiyama layout: top to bottom, crossings reduced.

Cycles are broken by turning round the edges that close them, found depth first from the start
node (those are drawn going back up, e.g. 补正 → 受理). Parts not connected to the start node are
laid out on their own, side by side. Where grandalf's averaging lets boxes in a layer touch, they
are pushed apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from grandalf.graphs import Edge as GraphEdge
from grandalf.graphs import Vertex as GraphVertex
from grandalf.graphs import graph_core
from grandalf.layouts import DummyVertex, SugiyamaLayout

from .metrics import (
    COMP_GAP,
    DUMMY_H,
    DUMMY_W,
    EDGE_FONT,
    EDGE_LINE_H,
    LANE,
    LOOP_OUT,
    XSPACE,
    YSPACE,
)
from .model import Edge, Node
from .text import text_em

Pair = tuple[str, str]


@dataclass
class Lane:
    """Where a line crosses a layer it does not stop in."""

    x: float
    top: float
    bottom: float


@dataclass
class Route:
    """The path of every edge between two nodes, from the upper node to the lower one."""

    upper: str
    lower: str
    below: float  # the bottom of the upper node's layer
    above: float  # the top of the lower node's layer
    lanes: list[Lane]
    edges: list[Edge]


class _View:
    """What grandalf reads and writes for each vertex: its size and its computed centre."""

    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h
        self.xy: tuple[float, float] = (0.0, 0.0)


def lay_out(nodes: Mapping[str, Node], edges: list[Edge]) -> list[Route]:
    """Give every node its place (centre, layer, part); the routes between them, part by part."""
    _keep_loop_room(nodes, edges)
    pairs = _pairs(edges)
    start = next((n.id for n in nodes.values() if n.kind == "start"), None)
    routes: list[Route] = []
    left = 0.0
    for number, part in enumerate(_parts(nodes, pairs, start)):
        members = set(part)
        own = {pair: joined for pair, joined in pairs.items() if pair[0] in members}
        right, own_routes = _lay_out_part(nodes, number, part, own, start, left)
        routes += own_routes
        left = right + COMP_GAP
    return routes


def _keep_loop_room(nodes: Mapping[str, Node], edges: list[Edge]) -> None:
    """Room beside each node with a line to itself, for the line and its label."""
    for edge in edges:
        if edge.src == edge.dst:
            node = nodes[edge.src]
            room = max((text_em(line) * EDGE_FONT for line in edge.label_lines), default=0.0)
            node.loop = max(node.loop, LOOP_OUT + (room + 12 if room else 0))


def _pairs(edges: list[Edge]) -> dict[Pair, list[Edge]]:
    """Edges grouped by the two nodes they join (either way round), self-loops left out."""
    pairs: dict[Pair, list[Edge]] = {}
    for edge in edges:
        if edge.src == edge.dst:
            continue
        key = (edge.dst, edge.src) if (edge.dst, edge.src) in pairs else (edge.src, edge.dst)
        pairs.setdefault(key, []).append(edge)
    return pairs


def _parts(nodes: Mapping[str, Node], pairs: Iterable[Pair], start: str | None) -> list[list[str]]:
    """Connected parts, each in record order; the start node's part first."""
    parent = {node_id: node_id for node_id in nodes}

    def find(node_id: str) -> str:
        while parent[node_id] != node_id:
            parent[node_id] = parent[parent[node_id]]
            node_id = parent[node_id]
        return node_id

    for a, b in pairs:
        parent[find(a)] = find(b)
    parts: dict[str, list[str]] = {}
    for node_id in nodes:
        parts.setdefault(find(node_id), []).append(node_id)
    return sorted(parts.values(), key=lambda part: (start not in part, nodes[part[0]].index))


def _feedback(
    part: list[str], pairs: Collection[Pair], start: str | None
) -> tuple[set[Pair], list[str]]:
    """Edges closing a cycle (found depth first from the start node) and, once those are turned
    round, the nodes nothing leads to: the tops of the layering."""
    following: dict[str, list[tuple[str, Pair]]] = {n: [] for n in part}
    for pair in pairs:
        following[pair[0]].append((pair[1], pair))
    turned = _closing(following, [n for n in part if n == start] + part)  # the start first
    lower = {(p[0] if p in turned else p[1]) for p in pairs}
    return turned, [n for n in part if n not in lower]


def _closing(following: Mapping[str, list[tuple[str, Pair]]], order: list[str]) -> set[Pair]:
    """The pairs a depth-first walk (from each node of ``order`` not yet seen) finds leading
    back to a node on its current path."""
    state = dict.fromkeys(following, 0)  # 0 unseen, 1 on the current path, 2 done
    turned: set[Pair] = set()
    for root in order:
        if state[root]:
            continue
        state[root] = 1
        stack: list[tuple[str, Iterator[tuple[str, Pair]]]] = [(root, iter(following[root]))]
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
    return turned


def _lay_out_part(
    nodes: Mapping[str, Node],
    number: int,
    part: list[str],
    pairs: Mapping[Pair, list[Edge]],
    start: str | None,
    left: float,
) -> tuple[float, list[Route]]:
    """Lay one connected part out with its left side at ``left``: its right side and routes."""
    turned, roots = _feedback(part, pairs, start)
    sugiyama, graph_edges = _sugiyama(nodes, part, pairs, turned, roots)
    xs = _spread(sugiyama.layers, left)
    rows = _place(nodes, number, sugiyama.layers, xs, _gaps(sugiyama, graph_edges, pairs))
    routes: list[Route] = []
    for pair, graph_edge in graph_edges.items():
        upper_id, lower_id = (pair[1], pair[0]) if pair in turned else pair
        upper, lower = nodes[upper_id], nodes[lower_id]
        ctrl = sugiyama.ctrls.get(graph_edge, {})
        lanes = [Lane(xs[ctrl[r]], *rows[r]) for r in range(upper.rank + 1, lower.rank)]
        below, above = rows[upper.rank][1], rows[lower.rank][0]
        routes.append(Route(upper.id, lower.id, below, above, lanes, pairs[pair]))
    return max(xs[v] + v.view.w / 2 for v in xs), routes


def _sugiyama(
    nodes: Mapping[str, Node],
    part: list[str],
    pairs: Mapping[Pair, list[Edge]],
    turned: set[Pair],
    roots: list[str],
) -> tuple[Any, dict[Pair, Any]]:
    """grandalf's layout of the part (with the cycles' edges turned round) and its graph's edges;
    each vertex as wide as its node and the room for the node's line to itself, each lane as wide
    as the lines sharing it need."""
    vertices: dict[str, Any] = {}
    for node_id in part:
        node = nodes[node_id]
        vertices[node_id] = GraphVertex(node_id)
        vertices[node_id].view = _View(node.w + 2 * node.loop, node.h)
    graph_edges = {p: GraphEdge(vertices[p[0]], vertices[p[1]]) for p in pairs}
    sugiyama = SugiyamaLayout(graph_core(list(vertices.values()), list(graph_edges.values())))
    sugiyama.xspace, sugiyama.yspace = XSPACE, YSPACE
    sugiyama.dw, sugiyama.dh = DUMMY_W, DUMMY_H
    sugiyama.init_all(
        roots=[vertices[r] for r in roots],
        inverted_edges=[graph_edges[p] for p in pairs if p in turned],
    )
    for pair, graph_edge in graph_edges.items():
        for vertex in sugiyama.ctrls.get(graph_edge, {}).values():
            if isinstance(vertex, DummyVertex):
                vertex.view.w = DUMMY_W + LANE * (len(pairs[pair]) - 1)
    sugiyama.draw(N=3.5)
    return sugiyama, graph_edges


def _spread(layers: list[list[Any]], left: float) -> dict[Any, float]:
    """Each vertex's x: grandalf's, pushed apart where averaging its four alignments let boxes
    touch, then shifted so the part's left side is at ``left``."""
    xs: dict[Any, float] = {}
    for layer in layers:
        previous: Any = None
        for vertex in layer:
            x = float(vertex.view.xy[0])
            if previous is not None:
                gap = XSPACE + (previous.view.w + vertex.view.w) / 2
                x = max(x, xs[previous] + gap)
            xs[vertex] = x
            previous = vertex
    shift = left - min(x - vertex.view.w / 2 for vertex, x in xs.items())
    return {vertex: x + shift for vertex, x in xs.items()}


def _gaps(
    sugiyama: Any,
    graph_edges: Mapping[Pair, Any],
    pairs: Mapping[Pair, list[Edge]],
) -> dict[int, float]:
    """Room below each layer: more where several labelled lines leave it."""
    labels: dict[int, list[int]] = {}
    for pair, graph_edge in graph_edges.items():
        rank = min(int(sugiyama.grx[v].rank) for v in graph_edge.v)
        for edge in pairs[pair]:
            if edge.label_lines:
                labels.setdefault(rank, []).append(len(edge.label_lines))
    return {
        rank: YSPACE + (len(lines) - 1) * 16.0 + (max(lines) - 1) * EDGE_LINE_H
        for rank, lines in labels.items()
    }


def _place(
    nodes: Mapping[str, Node],
    number: int,
    layers: list[list[Any]],
    xs: Mapping[Any, float],
    gaps: Mapping[int, float],
) -> list[tuple[float, float]]:
    """Put the part's nodes at their x, layer by layer from the top; each layer's top and
    bottom."""
    rows: list[tuple[float, float]] = []
    top = 0.0
    for rank, layer in enumerate(layers):
        height = max(float(v.view.h) for v in layer)
        rows.append((top, top + height))
        for vertex in layer:
            if not isinstance(vertex, DummyVertex):
                node = nodes[vertex.data]
                node.x, node.y = xs[vertex], top + height / 2
                node.rank, node.part = rank, number
        top += height + gaps.get(rank, YSPACE)
    return rows
