"""The flow told in words: one paragraph for the SVG's <desc>, and an ordered list of steps (each
with where each branch leads) for screen readers and print. Every text goes through markupsafe,
which escapes it."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from .model import KIND_NAMES, Chart, Node


def step_numbers(chart: Chart) -> dict[str, int]:
    """Each node's step number, in the order the drawing reads: part by part, top to bottom,
    left to right."""
    order = sorted(chart.nodes.values(), key=lambda n: (n.part, n.rank, n.x, n.index))
    return {node.id: i for i, node in enumerate(order, 1)}


def node_summary(node: Node) -> str:
    """The node's label with its time limit and role."""
    return node.label + _bracketed(_details(node))


def _details(node: Node) -> list[str]:
    details = [f"时限：{node.time_limit}"] if node.time_limit else []
    return details + ([f"承办岗位：{node.role}"] if node.role else [])


def _bracketed(details: list[str]) -> str:
    return f"（{'；'.join(details)}）" if details else ""


def _branches(chart: Chart, node: Node, numbers: Mapping[str, int]) -> list[str]:
    """Where each line out of ``node`` leads, with its label."""
    branches: list[str] = []
    for edge in chart.edges:
        if edge.src != node.id:
            continue
        if edge.dst == node.id:
            goes = "重复本步骤"
        else:
            goes = f"转到第 {numbers[edge.dst]} 步：{chart.nodes[edge.dst].label}"
        branches.append(f"若“{edge.label}”，{goes}" if edge.label else goes)
    return branches


def description(chart: Chart, numbers: Mapping[str, int]) -> str:
    """The whole flow as one paragraph of text, for the SVG's <desc>."""
    sentences = [f"{chart.title}，共 {len(numbers)} 个环节。"]
    for node_id, number in numbers.items():
        node = chart.nodes[node_id]
        kind = "" if node.kind == "step" else f"（{KIND_NAMES[node.kind]}）"
        branches = _branches(chart, node, numbers)
        rest = "：" + "；".join(branches) if branches else ""
        sentences.append(f"第 {number} 步{kind}{node_summary(node)}{rest}。")
    return "".join(sentences)


def steps_html(chart: Chart, numbers: Mapping[str, int]) -> Markup:
    """The flow as an ``<ol class="fc-steps">``, in step order."""
    nodes = [chart.nodes[node_id] for node_id in numbers]
    body = Markup("\n").join(_step(node, _branches(chart, node, numbers)) for node in nodes)
    return Markup('<ol class="fc-steps" id="{}-steps">\n{}\n</ol>').format(chart.id, body)


def _step(node: Node, branches: list[str]) -> Markup:
    kind = [] if node.kind == "step" else [KIND_NAMES[node.kind]]
    meta = _bracketed(kind + _details(node))
    sub = Markup("").join(Markup("<li>{}</li>").format(b) for b in branches)
    more = Markup('<ul class="fc-branches">{}</ul>').format(sub) if branches else Markup("")
    return Markup("<li><strong>{}</strong>{}{}</li>").format(node.label, meta, more)
