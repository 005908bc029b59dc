"""The statistics charts (gongshi_statistics.charts): accessible, escaped, every value printed,
inside their viewBox, and the same every time."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from gongshi_statistics.charts import (
    FONT,
    MARGIN,
    VALUE_FONT,
    WIDTH,
    Bar,
    Share,
    bar_chart,
    monthly_chart,
    share_chart,
    text_width,
)
from markupsafe import Markup

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script>\'&'


def parsed(svg: Markup) -> ET.Element:
    """The chart as XML: it must be well-formed, whatever its labels were."""
    return ET.fromstring(str(svg))


def texts(root: ET.Element, css: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{{{NS['svg']}}}text") if t.get("class") == css]


def bars(root: ET.Element, css: str = "chart-bar") -> list[ET.Element]:
    return [r for r in root.iter(f"{{{NS['svg']}}}rect") if r.get("class") == css]


def assert_accessible(root: ET.Element, chart_id: str, title: str) -> str:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title_el = root.find("svg:title", NS)
    desc_el = root.find("svg:desc", NS)
    assert title_el is not None and title_el.get("id") == f"{chart_id}-title"
    assert title_el.text == title
    assert desc_el is not None and desc_el.get("id") == f"{chart_id}-desc"
    return desc_el.text or ""


def assert_no_inline_style(svg: Markup) -> None:
    assert "style" not in str(svg)


def test_bar_chart_prints_every_value_and_describes_them() -> None:
    svg = bar_chart("c", "各类别决定数", [Bar("行政处罚", 12), Bar("行政许可", 3)])
    root = parsed(svg)
    desc = assert_accessible(root, "c", "各类别决定数")
    assert texts(root, "chart-label") == ["行政处罚", "行政许可"]
    assert texts(root, "chart-value") == ["12", "3"]
    assert "行政处罚：12" in desc and "行政许可：3" in desc
    widths = [float(r.get("width", "0")) for r in bars(root)]
    assert widths[0] == pytest.approx(4 * widths[1], rel=0.01)  # drawn to scale
    assert_no_inline_style(svg)


def test_hostile_labels_are_escaped_everywhere() -> None:
    svg = bar_chart("c", HOSTILE, [Bar(HOSTILE, 1, text=HOSTILE)])
    assert "<script>" not in str(svg)
    root = parsed(svg)
    desc = assert_accessible(root, "c", HOSTILE)
    assert "".join(texts(root, "chart-label")) == HOSTILE
    assert HOSTILE in desc
    shares = parsed(share_chart("s", HOSTILE, [Share(HOSTILE, 1, 2)]))
    assert "".join(texts(shares, "chart-label")) == HOSTILE


def test_chart_ids_must_be_ids() -> None:
    with pytest.raises(ValueError):
        bar_chart('x" onload="alert(1)', "t", [Bar("a", 1)])


def test_zero_draws_no_bar_but_prints_zero() -> None:
    root = parsed(bar_chart("c", "t", [Bar("有", 5), Bar("无", 0)]))
    assert texts(root, "chart-value") == ["5", "0"]
    assert len(bars(root)) == 1


def test_all_zero_data() -> None:
    root = parsed(bar_chart("c", "零执法", [Bar("行政处罚", 0), Bar("行政许可", 0)]))
    desc = assert_accessible(root, "c", "零执法")
    assert bars(root) == []
    assert texts(root, "chart-value") == ["0", "0"]
    assert "各项均为 0" in desc
    months = parsed(monthly_chart("m", "月度", [0] * 12))
    assert bars(months) == []
    assert texts(months, "chart-value") == ["0"] * 12


def test_no_data_at_all() -> None:
    root = parsed(bar_chart("c", "空", []))
    assert "无数据" in assert_accessible(root, "c", "空")


def test_small_values_stay_visible() -> None:
    root = parsed(bar_chart("c", "t", [Bar("大", 100_000), Bar("小", 1)]))
    assert float(bars(root)[1].get("width", "0")) >= 2


def test_long_labels_wrap_inside_the_width() -> None:
    label = "因当事人未按期履行行政处罚决定而依法申请人民法院强制执行的案件" * 2
    root = parsed(bar_chart("c", "t", [Bar(label, 7)]))
    lines = texts(root, "chart-label")
    assert len(lines) > 1 and "".join(lines) == label
    assert all(text_width(line, FONT) <= WIDTH - 2 * MARGIN for line in lines)
    height = float((root.get("viewBox") or "").split()[3])
    last = max(float(t.get("y", "0")) for t in root.iter(f"{{{NS['svg']}}}text"))
    assert last <= height


def test_huge_numbers_are_printed_whole_inside_the_chart() -> None:
    huge = Decimal("123456789012345.67")
    root = parsed(bar_chart("c", "罚款", [Bar("罚款", huge, text="123,456,789,012,345.67 元")]))
    (value,) = [t for t in root.iter(f"{{{NS['svg']}}}text") if t.get("class") == "chart-value"]
    assert value.text == "123,456,789,012,345.67 元"
    # Too wide to follow its bar: printed at the end of the label line, inside the drawing.
    assert value.get("text-anchor") == "end"
    assert float(value.get("x", "0")) == WIDTH - MARGIN
    assert text_width(value.text, VALUE_FONT) < WIDTH - 2 * MARGIN
    assert float(bars(root)[0].get("width", "0")) == pytest.approx(WIDTH - 2 * MARGIN)


def test_values_following_bars_stay_inside_the_width() -> None:
    root = parsed(bar_chart("c", "t", [Bar("甲", 999_999), Bar("乙", 3)]))
    for bar, value in zip(bars(root), texts(root, "chart-value"), strict=True):
        end = float(bar.get("x", "0")) + float(bar.get("width", "0"))
        assert end + 4 + text_width(value, VALUE_FONT) <= WIDTH - MARGIN + 0.1


def test_output_is_deterministic() -> None:
    def draw() -> tuple[Markup, ...]:
        return (
            bar_chart("c", "t", [Bar("行政处罚", Decimal("1.5")), Bar("行政许可", 2)]),
            monthly_chart("m", "t", list(range(12))),
            share_chart("s", "t", [Share("持证", 2, 3, Decimal("0.05"))]),
        )

    assert draw() == draw()


def test_monthly_chart_has_every_month_and_count() -> None:
    counts = [3, 0, 1, 0, 0, 12, 0, 0, 0, 0, 0, 7]
    svg = monthly_chart("m", "2025年各月决定数", counts)
    root = parsed(svg)
    desc = assert_accessible(root, "m", "2025年各月决定数")
    assert texts(root, "chart-label") == [f"{m}月" for m in range(1, 13)]
    assert texts(root, "chart-value") == [str(c) for c in counts]
    assert len(bars(root)) == 4  # the months with decisions
    assert "6月：12 件" in desc
    assert "chart-columns" in (root.get("class") or "")
    assert_no_inline_style(svg)


def test_monthly_counts_too_wide_for_columns_become_bars() -> None:
    root = parsed(monthly_chart("m", "t", [12_345] + [0] * 11))
    assert "chart-bars" in (root.get("class") or "")
    assert texts(root, "chart-value")[0] == "12,345"


def test_monthly_chart_needs_twelve_months() -> None:
    with pytest.raises(ValueError):
        monthly_chart("m", "t", [1, 2, 3])


def test_shares_print_percentage_and_count() -> None:
    svg = share_chart(
        "s",
        "执法人员",
        [
            Share("持有效证件", 17, 20),
            Share("法制审核人员", 1, 30, Decimal("0.05")),
            Share("无", 0, 0),
        ],
    )
    root = parsed(svg)
    desc = assert_accessible(root, "s", "执法人员")
    assert texts(root, "chart-value") == ["85.0%（17/20）", "3.3%（1/30）", "无数据"]
    assert len(bars(root, "chart-track")) == 3 and len(bars(root)) == 2
    marks = [m for m in root.iter(f"{{{NS['svg']}}}line") if m.get("class") == "chart-minimum"]
    assert len(marks) == 1
    track = bars(root, "chart-track")[1]
    expected = float(track.get("x", "0")) + 0.05 * float(track.get("width", "0"))
    assert float(marks[0].get("x1", "0")) == pytest.approx(expected, abs=0.1)
    assert "法制审核人员（不低于 5.0%）：3.3%（1/30）" in desc


def test_a_share_never_outgrows_its_track() -> None:
    root = parsed(share_chart("s", "t", [Share("错", 5, 2)]))
    (track,) = bars(root, "chart-track")
    (bar,) = bars(root)
    assert bar.get("width") == track.get("width")
