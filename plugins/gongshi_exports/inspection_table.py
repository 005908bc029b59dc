"""The inspection-results table: one row per inspected party of a 双随机 inspection (DOMAIN.md:
results of random inspections are published like decisions, findable by the party's name)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from gongshi_records import Corpus, Record
from gongshi_records.inspections import PublicResult, public_results
from gongshi_records.publication import PublicView
from gongshi_records.registry import Kind
from gongshi_records.urls import page_of

from .columns import Column, ForeignKey, Row, Table, agency_columns, to_agencies

_RESULT = (Kind.INSPECTION, "results", 0)

INSPECTIONS = Table(
    "inspections",
    "双随机抽查结果",
    "“双随机、一公开”抽查的结果，每个被抽查对象一行；自然人对象的姓名按平台设置公示。",
    (
        *agency_columns(),
        Column(
            "inspection_id",
            "抽查事项标识",
            "抽查事项在本执法主体内的标识（inspections/ 下的文件名）。",
            required=True,
            pattern="[a-z0-9][a-z0-9-]*",
        ),
        Column(
            "number",
            "结果序号",
            "本条结果在该抽查事项结果中的序号，从 1 开始。",
            "integer",
            required=True,
        ),
        Column(
            "inspection_title",
            "抽查事项名称",
            "抽查事项的名称。",
            source=(Kind.INSPECTION, "title"),
            required=True,
        ),
        Column("year", "抽查年度", "抽查计划所属年度。", "integer", required=True),
        Column(
            "party_name",
            "被检查对象名称",
            "单位全称；自然人按平台设置公示全名或“姓氏加某”。",
            source=(*_RESULT, "party", "name"),
            required=True,
        ),
        Column(
            "party_kind",
            "被检查对象类别",
            "法人及非法人组织、个体工商户或自然人；记录未写明时为空。",
            source=(*_RESULT, "party", "kind"),
        ),
        Column(
            "party_credit_code",
            "统一社会信用代码",
            "被检查对象的统一社会信用代码。",
            source=(*_RESULT, "party", "credit_code"),
        ),
        Column(
            "checked_on",
            "检查日期",
            "实施检查的日期。",
            "date",
            source=(*_RESULT, "checked_on"),
            required=True,
        ),
        Column(
            "outcome",
            "检查结果",
            "按公示标准填写的检查结果。",
            source=(*_RESULT, "outcome"),
            required=True,
        ),
        Column("note", "说明", "对检查结果的补充说明。", source=(*_RESULT, "note")),
        Column(
            "decision_doc_no",
            "后续处理决定文号",
            "立案查处后作出的决定的文号，对应 decisions 表的 doc_no；"
            "该决定已撤回或公示期满时为空。",
        ),
        Column(
            "page",
            "页面地址",
            "抽查事项页面的地址：正式发布的数据为完整网址（以本平台网址开头，"
            "见 datapackage.json 的 homepage），预览版为相对于网站根目录（data/ 的上一级）的地址；"
            "同一抽查事项的各条结果指向同一页面。",
            required=True,
        ),
    ),
    ("agency_id", "inspection_id", "number"),
    (to_agencies(), ForeignKey(("decision_doc_no",), "decisions", ("doc_no",))),
)


def inspection_rows(corpus: Corpus, view: PublicView) -> list[Row]:
    """Every result; a follow-up decision's 文号 only while that decision is published."""
    agencies = corpus.agencies()
    return [_row(result, agencies) for result in public_results(corpus, view)]


def _row(result: PublicResult, agencies: Mapping[str, Record]) -> Row:
    inspection = result.inspection
    agency = agencies.get(inspection.agency or "")
    year = inspection.get("year")
    followup = result.followup.record.get("doc_no") if result.followup else None
    return {
        "agency_id": inspection.agency,
        "agency_name": str(agency.get("name")) if agency else None,
        "inspection_id": inspection.place.id,
        "number": Decimal(result.number),
        "inspection_title": str(inspection.get("title", default="")) or None,
        "year": Decimal(year) if isinstance(year, int) and not isinstance(year, bool) else None,
        "party_name": result.party_name or None,  # masked per settings; never party.name
        "party_kind": result.party_kind,
        "party_credit_code": result.credit_code,
        "checked_on": result.checked_on or None,
        "outcome": result.outcome or None,
        "note": result.note,
        "decision_doc_no": str(followup) if followup else None,
        "page": page_of(inspection),
    }
