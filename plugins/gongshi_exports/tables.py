"""The four exported tables (DOMAIN.md: the national 双公示 data standard, abridged)."""

from __future__ import annotations

from gongshi_records.registry import Kind
from gongshi_records.standing import STANDING_VALUES

from .columns import Column, Table, agency_columns, page_column, to_agencies

SLUG = "[a-z0-9][a-z0-9-]*"

AGENCIES = Table(
    "agencies",
    "执法主体",
    "本平台公示的全部行政执法主体（谁执法谁公示）。",
    (
        Column(
            "id",
            "主体标识",
            "执法主体在本平台的标识（content/agencies/ 下的文件夹名），全平台唯一。",
            required=True,
            unique=True,
            pattern=SLUG,
        ),
        Column(
            "name", "执法主体名称", "执法主体全称。", source=(Kind.AGENCY, "name"), required=True
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            "执法主体的18位统一社会信用代码（GB 32100-2015）。",
            source=(Kind.AGENCY, "credit_code"),
            required=True,
        ),
        Column(
            "kind",
            "主体性质",
            "行政机关、法律法规授权组织或受委托组织。",
            source=(Kind.AGENCY, "kind"),
            required=True,
        ),
        Column(
            "region",
            "管辖区域",
            "执法主体的执法区域。",
            source=(Kind.AGENCY, "region"),
            required=True,
        ),
        Column("address", "办公地址", "对外办公地址。", source=(Kind.AGENCY, "address")),
        Column("phone", "联系电话", "办公或投诉举报电话。", source=(Kind.AGENCY, "phone")),
        Column(
            "website",
            "门户网站",
            "执法主体的网站地址。",
            source=(Kind.AGENCY, "website"),
            format="uri",
        ),
        page_column("执法主体"),
    ),
    ("id",),
)

OFFICERS = Table(
    "officers",
    "执法人员",
    "持有行政执法证件的人员，可按姓名或执法证号查询；含已离岗、暂扣和注销的证件。",
    (
        Column(
            "cert_no",
            "执法证号",
            "行政执法证件编号，全平台唯一。",
            source=(Kind.OFFICER, "cert_no"),
            required=True,
            unique=True,
            portal_pattern="cert_no_pattern",
        ),
        Column("name", "姓名", "执法人员姓名。", source=(Kind.OFFICER, "name"), required=True),
        *agency_columns(),
        Column(
            "category",
            "执法类别",
            "执法证上载明的执法类别。",
            source=(Kind.OFFICER, "category"),
            required=True,
        ),
        Column(
            "region",
            "执法区域",
            "执法证上载明的执法区域。",
            source=(Kind.OFFICER, "region"),
            required=True,
        ),
        Column(
            "roles",
            "岗位职能",
            "执法、法制审核中的一项或两项，多项以“；”分隔。",
            source=(Kind.OFFICER, "roles"),
            required=True,
            joined=True,
        ),
        Column(
            "valid_from",
            "有效期起",
            "执法证有效期的开始日期。",
            "date",
            source=(Kind.OFFICER, "valid_from"),
            required=True,
        ),
        Column(
            "valid_until",
            "有效期止",
            "执法证有效期的截止日期。",
            "date",
            source=(Kind.OFFICER, "valid_until"),
            required=True,
        ),
        Column(
            "status",
            "证件状态",
            "执法部门登记的状态：在岗、离岗、暂扣或注销。登记为在岗的证件在有效期外也不能执法，"
            "以 effective_status 为准。",
            source=(Kind.OFFICER, "status"),
            required=True,
        ),
        Column(
            "effective_status",
            "当前证件状态",
            "截至数据生成日期，执法人员页面显示的证件状态：有效，已过期或尚未生效"
            "（登记为在岗但不在有效期内），或离岗、暂扣、注销。只有“有效”的人员可以从事执法活动。",
            required=True,
            enum=STANDING_VALUES,
        ),
        Column("unit", "所在科室", "所在科室或执法队。", source=(Kind.OFFICER, "unit")),
        page_column("执法人员"),
    ),
    ("cert_no",),
    (to_agencies(),),
)

POWERS = Table(
    "powers",
    "权责清单",
    "各执法主体的权责清单事项。",
    (
        *agency_columns(),
        Column(
            "code",
            "事项编码",
            "权责清单事项编码，在同一执法主体内唯一。",
            source=(Kind.POWER, "code"),
            required=True,
        ),
        Column(
            "name", "事项名称", "权责清单中的事项名称。", source=(Kind.POWER, "name"), required=True
        ),
        Column(
            "category",
            "权力类型",
            "行政许可、行政处罚等权力类型。",
            source=(Kind.POWER, "category"),
            required=True,
        ),
        Column(
            "basis",
            "设定依据",
            "法律法规名称及条款，多条以“；”分隔；条文原文见事项页面。",
            required=True,
        ),
        Column(
            "handling_unit",
            "承办机构",
            "具体承办的科室或机构。",
            source=(Kind.POWER, "handling_unit"),
            required=True,
        ),
        Column("time_limit", "办理时限", "法定和承诺办理时限。", source=(Kind.POWER, "time_limit")),
        Column(
            "flowchart",
            "流程图标识",
            "本事项的执法流程图标识；"
            "流程图页面为 agencies/<agency_id>/flowcharts/<flowchart>.html。",
            source=(Kind.POWER, "flowchart"),
        ),
        page_column("权责清单事项"),
    ),
    ("agency_id", "code"),
    (to_agencies(),),
)
