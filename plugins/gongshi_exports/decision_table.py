"""The decisions table: the fields of a published decision from the national 双公示 standard."""

from __future__ import annotations

from gongshi_records.registry import Kind

from .columns import Column, Table, agency_columns, page_column, to_agencies


def _amount(name: str, what: str, unit: str, decimals: int) -> Column:
    return Column(
        name,
        f"{what}（{unit}）",
        f"{what}，单位{unit}，保留{decimals}位小数；空值表示不适用或未填写。",
        "number",
        decimals=decimals,
    )


def _license(name: str, title: str, description: str, kind: str = "string") -> Column:
    field = name.removeprefix("license_")
    return Column(name, title, description, kind, source=(Kind.DECISION, "license", field))


DECISIONS = Table(
    "decisions",
    "行政执法决定",
    "公示期内的行政执法决定（行政处罚、行政许可等）；已撤回和公示期满的决定不在其中。",
    (
        Column(
            "doc_no",
            "决定书文号",
            "执法决定书文号，全平台唯一。",
            source=(Kind.DECISION, "doc_no"),
            required=True,
            unique=True,
        ),
        *agency_columns(),
        Column(
            "agency_credit_code",
            "执法主体统一社会信用代码",
            "作出决定的执法主体的统一社会信用代码。",
            source=(Kind.AGENCY, "credit_code"),
        ),
        Column(
            "authority_name",
            "决定机关名称",
            "以其名义作出决定的行政机关（处罚机关、许可机关）：通常就是执法主体本身；"
            "受委托组织作出的决定以委托机关的名义作出，此处为委托机关。",
            required=True,
        ),
        Column(
            "authority_credit_code",
            "决定机关统一社会信用代码",
            "决定机关的统一社会信用代码；平台外的委托机关未登记代码时为空。",
            source=(Kind.AGENCY, "credit_code"),
        ),
        Column(
            "category",
            "决定类别",
            "行政处罚、行政许可、行政强制等。",
            source=(Kind.DECISION, "category"),
            required=True,
        ),
        Column(
            "party_name",
            "当事人名称",
            "单位全称；自然人按平台设置公示全名或“姓氏加某”。",
            source=(Kind.DECISION, "party", "name"),
            required=True,
        ),
        Column(
            "party_kind",
            "当事人类别",
            "法人及非法人组织、个体工商户或自然人。",
            source=(Kind.DECISION, "party", "kind"),
            required=True,
        ),
        Column(
            "party_credit_code",
            "当事人统一社会信用代码",
            "当事人不是自然人时填写。",
            source=(Kind.DECISION, "party", "credit_code"),
        ),
        Column(
            "legal_rep",
            "法定代表人",
            "单位的法定代表人或负责人、个体工商户的经营者。",
            source=(Kind.DECISION, "party", "legal_rep"),
        ),
        Column(
            "violation",
            "违法行为类型",
            "行政处罚的违法行为名称。",
            source=(Kind.DECISION, "violation"),
        ),
        Column(
            "penalty_kinds",
            "处罚类别",
            "《行政处罚法》第九条规定的处罚种类，多项以“；”分隔；仅行政处罚填写。",
            source=(Kind.DECISION, "penalty", "kinds"),
            joined=True,
        ),
        _amount("fine_yuan", "罚款金额", "元", 2),
        _amount("fine_wan_yuan", "罚款金额", "万元", 4),
        _amount("confiscated_yuan", "没收违法所得、没收非法财物的金额", "元", 2),
        _amount("confiscated_wan_yuan", "没收违法所得、没收非法财物的金额", "万元", 4),
        Column(
            "penalty_license",
            "暂扣或吊销证照名称及编号",
            "被暂扣或吊销的证照名称及编号。",
            source=(Kind.DECISION, "penalty", "license"),
        ),
        _license("license_doc_name", "许可文书名称", "行政许可决定文书的名称。"),
        _license("license_kind", "许可类别", "普通、特许、认可、核准、登记或其他。"),
        _license("license_certificate_name", "许可证书名称", "颁发的许可证书名称。"),
        _license("license_certificate_no", "许可编号", "许可证书编号。"),
        _license("license_valid_from", "有效期自", "许可有效期的开始日期。", "date"),
        _license("license_valid_until", "有效期至", "许可有效期的截止日期。", "date"),
        Column("content", "决定内容", "处罚内容或许可内容（纯文本）。", required=True),
        Column("basis", "依据", "作出决定的法律依据（纯文本）。"),
        Column("facts", "违法事实", "查明的违法事实或主要事实（纯文本）。"),
        Column(
            "decided_on",
            "决定日期",
            "决定书上的日期。",
            "date",
            source=(Kind.DECISION, "decided_on"),
            required=True,
        ),
        Column(
            "publicity_until",
            "公示截止期",
            "在网上公示的最后一天（记录写明的日期，或按设置和处罚种类计算的日期）。",
            "date",
        ),
        Column(
            "grade",
            "失信信息等级",
            "2026年4月1日起作出的行政处罚按《信用修复管理办法》认定的等级：轻微、一般或严重"
            "（记录写明的，或按处罚种类和金额认定的）；其他决定和此前作出的处罚为空。",
            source=(Kind.DECISION, "grade"),
        ),
        Column(
            "major", "重大执法决定", "是否属于经法制审核的重大执法决定。", "boolean", required=True
        ),
        Column(
            "late_reason",
            "迟延公示原因",
            "超过公示期限才公示的，执法主体说明的原因；按时公示或未说明的为空。",
            source=(Kind.DECISION, "late_reason"),
        ),
        page_column("执法决定"),
    ),
    ("doc_no",),
    (to_agencies(),),
)
