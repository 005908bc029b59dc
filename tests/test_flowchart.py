"""Flowcharts drawn at build time: valid, escaped, accessible, deterministic SVG with a clean
layout, and the same flow as a list of steps."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gongshi_portal.flowchart import (
    flowchart,
    flowchart_steps,
    render_flowchart,
    text_em,
    wrap,
)
from gongshi_records.model import Record
from gongshi_records.registry import Place
from gongshi_records.validate import check_record_file
from gongshi_records.yamlload import load_text
from markupsafe import Markup

SVG = "{http://www.w3.org/2000/svg}"
VALID = Path(__file__).parent / "examples" / "flowchart" / "valid"

# A licence procedure with two loops (补正 → 受理, 现场核查 → 审查) and a three-way decision.
XUKE = """\
title: 行政许可办理流程图
powers: ["XK-00101"]
nodes:
  - id: shenqing
    label: 申请人提交申请材料
    kind: start
  - id: shouli
    label: 材料是否齐全、符合法定形式
    kind: decision
    time_limit: 5个工作日
    role: 窗口受理人员
  - id: buzheng
    label: 一次性告知补正材料
    role: 窗口受理人员
  - id: buyu
    label: 不予受理并出具告知书
    kind: end
  - id: shencha
    label: 审查
    kind: decision
    time_limit: 法定20个工作日，承诺5个工作日
    role: 审批科室
  - id: xianchang
    label: 现场核查（必要时）
    role: 执法人员
  - id: zhunyu
    label: 作出准予许可决定并颁发证照
    kind: end
    time_limit: 10个工作日
  - id: buyu_xuke
    label: 作出不予许可决定，说明理由并告知复议诉讼权利
    kind: end
edges:
  - {from: shenqing, to: shouli}
  - {from: shouli, to: shencha, label: 是}
  - {from: shouli, to: buzheng, label: 需补正}
  - {from: shouli, to: buyu, label: 不属于受理范围}
  - {from: buzheng, to: shouli, label: 补正后}
  - {from: shencha, to: xianchang, label: 需核查}
  - {from: xianchang, to: shencha}
  - {from: shencha, to: zhunyu, label: 符合条件}
  - {from: shencha, to: buyu_xuke, label: 不符合}
"""


def record(text: str, stem: str = "sample") -> Record:
    loaded = load_text(text)
    place = Place("flowchart", "example", f"example/{stem}", stem)
    return Record("flowchart", f"{stem}.yaml", place, loaded.data, loaded.marks)


def chart(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, str]]) -> Record:
    """A record from (id, label, kind) nodes and (from, to, label) edges."""
    lines = ["title: 测试流程图", "nodes:"]
    for node_id, label, kind in nodes:
        lines += [f"  - id: {node_id}", f"    label: '{label}'", f"    kind: {kind}"]
    lines.append("edges:")
    for src, dst, label in edges:
        lines += [f"  - from: {src}", f"    to: {dst}"] + ([f"    label: {label}"] if label else [])
    return record("\n".join(lines) + "\n")


SAMPLES = {
    **{path.stem: path.read_text("utf-8") for path in sorted(VALID.glob("*.yaml"))},
    "xuke": XUKE,
}


def parse(svg: Markup) -> ET.Element:
    return ET.fromstring(str(svg))


def node_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "fc-node" in (g.get("class") or "").split()]


def label_of(group: ET.Element) -> str:
    text = group.find(f"{SVG}text")
    assert text is not None
    return "".join(t.text or "" for t in text if t.get("class") != "fc-time")


def box_of(group: ET.Element) -> tuple[float, float, float, float]:
    shape = group.find(f"{SVG}rect")
    if shape is not None:
        x, y = float(shape.get("x", 0)), float(shape.get("y", 0))
        return x, y, x + float(shape.get("width", 0)), y + float(shape.get("height", 0))
    polygon = group.find(f"{SVG}polygon")
    assert polygon is not None
    points = [tuple(map(float, p.split(","))) for p in (polygon.get("points") or "").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_sample_is_valid_record(stem: str, tmp_path: Path) -> None:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(SAMPLES[stem], "utf-8")
    assert check_record_file(path, "flowchart") == []


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_svg_structure(stem: str) -> None:
    rec = record(SAMPLES[stem], stem)
    svg = render_flowchart(rec)
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox") or "")
    # The natural size (one unit a CSS pixel) as width/height: flowchart.css never draws smaller.
    _0, _0, view_w, view_h = (root.get("viewBox") or "").split()
    assert (root.get("width"), root.get("height")) == (view_w, view_h)
    assert "fc" in (root.get("class") or "").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    labelled = (root.get("aria-labelledby") or "").split()
    assert len(labelled) == 2 and set(labelled) <= ids
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == rec.get("title")
    assert desc is not None and desc.get("id") in labelled and desc.text

    # Every node once, with its whole label; one arrow per edge.
    groups = node_groups(root)
    labels = [" ".join(str(n["label"]).split()) for n in rec.get("nodes")]
    assert sorted(label_of(g) for g in groups) == sorted(labels)
    arrows = [el for el in root.iter() if el.get("marker-end")]
    assert len(arrows) == len(rec.get("edges"))
    marker = root.find(f"{SVG}defs/{SVG}marker")
    assert marker is not None and all(
        a.get("marker-end") == f"url(#{marker.get('id')})" for a in arrows
    )
    for edge in rec.get("edges"):
        if "label" in edge:
            assert edge["label"] in "".join(root.itertext())


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_natural_width_decides_the_layout(stem: str) -> None:
    """The page puts a chart of six width steps (480 units) or fewer beside its steps."""
    chart = flowchart(record(SAMPLES[stem], stem))
    width = float((parse(chart.svg).get("viewBox") or "").split()[2])
    assert chart.width == width
    assert chart.narrow == (width <= 480)


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_no_inline_styles(stem: str) -> None:
    root = parse(render_flowchart(record(SAMPLES[stem], stem)))
    assert all("style" not in el.attrib for el in root.iter())
    assert not list(root.iter(f"{SVG}style"))
    assert "style" not in str(flowchart_steps(record(SAMPLES[stem], stem)))


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_layout_is_clean(stem: str) -> None:
    """No two boxes overlap, every label fits its box, coordinates have one decimal at most."""
    svg = render_flowchart(record(SAMPLES[stem], stem))
    root = parse(svg)
    boxes = [box_of(g) for g in node_groups(root)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    for group, box in zip(node_groups(root), boxes, strict=True):
        for tspan in group.iter(f"{SVG}tspan"):
            size = float(tspan.get("font-size", "14"))
            half = text_em(tspan.text or "") * size / 2
            x, y = float(tspan.get("x", 0)), float(tspan.get("y", 0))
            assert box[0] <= x - half and x + half <= box[2], (tspan.text, box)
            assert box[1] <= y - size and y <= box[3], (tspan.text, box)
    labels = [box_of(g) for g in root.iter(f"{SVG}g") if g.get("class") == "fc-edge-label"]
    for label in labels:
        assert all(
            not (a[0] < label[2] and label[0] < a[2] and a[1] < label[3] and label[1] < a[3])
            for a in boxes
        )
    for number in re.findall(r'(?:[ ",MLC])(-?\d+\.\d+)', str(svg)):
        assert re.fullmatch(r"-?\d+\.\d", number), number


def test_arrows_reach_their_boxes() -> None:
    """Each line ends where the arrow's tip (3 units further on) touches the target's box."""
    rec = record(SAMPLES["minimal"], "minimal")
    root = parse(render_flowchart(rec))
    boxes = [box_of(g) for g in node_groups(root)]
    for path in root.iter(f"{SVG}path"):
        if not path.get("marker-end"):
            continue
        x, y = map(float, (path.get("d") or "").split("L")[-1].split(","))
        assert any(b[0] <= x <= b[2] and abs(b[1] - (y + 3)) < 0.15 for b in boxes), (x, y)


def test_escapes_clerks_text() -> None:
    rec = chart(
        [("a", "<script>alert(1)</script>", "start"), ("b", 'A & B "q"', "end")],
        [("a", "b", "<b>是</b>")],
    )
    result = flowchart(rec)
    for html in (str(result.svg), str(result.steps)):
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html and "&amp;" in html
    root = parse(result.svg)
    assert "<script>alert(1)</script>" in [label_of(g) for g in node_groups(root)]
    assert "<b>是</b>" in "".join(root.itertext())


def test_long_label_wraps_into_tspans() -> None:
    label = "一二三四五六七八九十一二三四五六七八九十"
    root = parse(render_flowchart(chart([("a", label, "start")], [("a", "a", "")])))
    (group,) = node_groups(root)
    lines = [t.text or "" for t in group.iter(f"{SVG}tspan")]
    assert len(lines) >= 3 and "".join(lines) == label
    assert all(text_em(line) <= 8 for line in lines)


def test_wrap() -> None:
    assert wrap("调查取证", 8) == ["调查取证"]
    assert wrap("告知陈述、申辩和听证权利", 8) == ["告知陈述、", "申辩和听证权利"]
    # Even lines, no line starting with punctuation, numbers kept with their unit.
    assert wrap("随机抽取对象和执法人员", 8) == ["随机抽取对象", "和执法人员"]
    assert all(not line.startswith("，") for line in wrap("一二三四五六七八，九十", 8))
    assert wrap("时限：陈述申辩5日，申请听证5日", 11) == ["时限：陈述申辩5日，", "申请听证5日"]
    assert wrap("Administrative procedure", 8) == ["Administrative", "procedure"]
    assert wrap("第一行\n第二行", 8) == ["第一行", "第二行"]


def test_cycles_render() -> None:
    """Loops back (补正 → 受理), a loop through the start, a node's line to itself."""
    rec = chart(
        [
            ("s", "开始", "start"),
            ("a", "受理", "decision"),
            ("b", "补正", "step"),
            ("c", "审查", "step"),
            ("e", "结束", "end"),
        ],
        [
            ("s", "a", ""),
            ("a", "b", "否"),
            ("b", "a", ""),
            ("a", "c", "是"),
            ("c", "s", "重新申请"),
            ("c", "c", "补充审查"),
            ("c", "e", ""),
        ],
    )
    root = parse(render_flowchart(rec))
    assert len([el for el in root.iter() if el.get("marker-end")]) == 7
    classes = [p.get("class") or "" for p in root.iter(f"{SVG}path")]
    assert sum("fc-back" in c for c in classes) == 2
    assert sum("fc-loop" in c for c in classes) == 1
    # The start stays on top even though a line comes back to it.
    tops = {label_of(g): box_of(g)[1] for g in node_groups(root)}
    assert tops["开始"] == min(tops.values())
    steps = str(flowchart_steps(rec))
    assert "若“补充审查”，重复本步骤" in steps
    assert "若“重新申请”，转到第 1 步：开始" in steps


def test_disconnected_parts_side_by_side() -> None:
    rec = chart(
        [
            ("s", "开始", "start"),
            ("a", "办理", "step"),
            ("x", "另一部分", "step"),
            ("y", "另一部分结束", "end"),
            ("z", "孤立节点", "step"),
        ],
        [("s", "a", ""), ("x", "y", ""), ("y", "x", "返回")],
    )
    root = parse(render_flowchart(rec))
    boxes = {label_of(g): box_of(g) for g in node_groups(root)}
    assert len(boxes) == 5
    assert boxes["开始"][2] < boxes["另一部分"][0] < boxes["孤立节点"][0]


def test_parallel_and_broken_edges_are_tolerated() -> None:
    """Two lines between the same nodes, an edge to an unknown node, no edges at all."""
    rec = chart(
        [("s", "开始", "start"), ("e", "结束", "end")],
        [("s", "e", "甲"), ("s", "e", "乙"), ("s", "nowhere", "")],
    )
    root = parse(render_flowchart(rec))
    paths = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("marker-end")]
    assert len(paths) == 2 and paths[0] != paths[1]
    empty = record("title: 空\nnodes: []\nedges: []\n")
    assert parse(render_flowchart(empty)).get("role") == "img"


def test_steps_text_alternative() -> None:
    rec = record(SAMPLES["chufa-yiban"], "chufa-yiban")
    steps = flowchart_steps(rec)
    assert isinstance(steps, Markup)
    root = ET.fromstring(str(steps))
    assert root.tag == "ol" and root.get("class") == "fc-steps"
    assert len(root.findall("li")) == len(rec.get("nodes"))
    first = root.find("li/strong")
    assert first is not None and first.text == "发现违法线索"
    assert "若“是”，转到第 4 步：调查取证" in str(steps)
    assert "若“退回补充调查”，转到第 4 步：调查取证" in str(steps)
    assert "时限：15个工作日" in str(steps)


def test_deterministic_across_processes() -> None:
    """Byte-identical output on every run, whatever the hash seed."""
    code = (
        "import sys; from pathlib import Path; "
        "sys.path.insert(0, str(Path(sys.argv[1]).parent)); "
        "from test_flowchart import SAMPLES, record; "
        "from gongshi_portal.flowchart import flowchart; "
        "print(''.join(str(flowchart(record(t, s)).svg) for s, t in sorted(SAMPLES.items())))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code, __file__],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(run.stdout)
    here = "".join(str(flowchart(record(t, s)).svg) for s, t in sorted(SAMPLES.items()))
    assert outputs == {here + "\n"}
    assert render_flowchart(record(XUKE)) == render_flowchart(record(XUKE))
