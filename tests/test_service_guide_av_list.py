"""The rest of the 事前 information on the demo portal: a complete 服务指南 and 音像记录事项清单."""

from __future__ import annotations

import re
from pathlib import Path

from gongshi_records.registry import Kind
from gongshi_records.schema import schema_for

# DOMAIN.md "The rest of the 事前 information": the elements of a service guide, in order.
GUIDE_ELEMENTS = [
    "事项名称",
    "依据",
    "受理机构",
    "审批机构",
    "许可条件",
    "申请材料",
    "办理流程",
    "办理时限",
    "监督方式",
    "责任追究",
    "救济渠道",
    "办公时间",
    "办公地址",
    "办公电话",
]
NUMERALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
]
GUIDE = "agencies/qingxi-scjgj/service-guides/food-business-license.html"
AV_LIST = "agencies/qingxi-zhzf/av-list.html"


def main_of(page: Path) -> str:
    html = page.read_text("utf-8")
    return html[html.index("<main") : html.index("</main>")]


def test_the_service_guide_schema_has_a_field_for_every_element() -> None:
    titles = [str(p["title"]) for p in schema_for(Kind.SERVICE_GUIDE)["properties"].values()]
    renamed = {"依据": "设定依据"}
    assert [e for e in GUIDE_ELEMENTS if renamed.get(e, e) not in titles] == []


def test_the_demo_service_guide_shows_every_element_in_order(demo_site: Path) -> None:
    headings = re.findall(r"<h2>(.+?)</h2>", main_of(demo_site / GUIDE))
    assert headings[:14] == [f"{n}、{e}" for n, e in zip(NUMERALS, GUIDE_ELEMENTS, strict=True)]
    assert headings[14:16] == ["十五、收费标准", "十六、网上办理"]
    text = main_of(demo_site / GUIDE)
    assert "《中华人民共和国食品安全法》" in text and "国家对食品生产经营实行许可制度" in text


def test_a_guide_without_some_elements_numbers_only_those_present(demo_site: Path) -> None:
    water = demo_site / "agencies/qingxi-slj/service-guides/water-permit.html"
    headings = re.findall(r"<h2>(.+?)</h2>", main_of(water))
    numbered = [h for h in headings if "、" in h]
    assert 0 < len(numbered) < len(GUIDE_ELEMENTS)
    assert all(h.startswith(f"{n}、") for n, h in zip(NUMERALS, numbered, strict=False))


def test_the_av_list_shows_every_column_and_the_acts_under_full_recording(
    demo_site: Path,
) -> None:
    page = main_of(demo_site / AV_LIST)
    columns = re.findall(r'<th scope="col">(.+?)</th>', page)
    assert columns[:12] == [
        "序号",
        "事项名称",
        "执法类别",
        "记录情形",
        "记录方式",
        "记录形式",
        "记录主体",
        "设备配备",
        "记录要素",
        "公开属性",
        "储存期限和方式",
        "监督管理",
    ]
    full = page[page.index("必须全程音像记录的执法活动") : page.index("</section>")]
    assert re.findall(r"<li>(.+?)</li>", full) == ["查封施工现场", "强制拆除"]
    # A list written before these fields existed keeps its five columns.
    older = main_of(demo_site / "agencies/qingxi-scjgj/av-list.html")
    assert "记录形式" not in older and "必须全程音像记录" not in older
