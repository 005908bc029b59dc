"""A portal with known figures for the statistics tests: the mini portal (demo-bureau: a
penalty that expired, one withdrawn, one current) with more decisions of 2025 and 2026, a
statistics file, and a second agency (quiet-bureau) that decided once in 2024 and never since.

As of 2026-11-24 the figures are (see tests/test_statistics_figures.py):
  demo-bureau 2025: 行政处罚 3 (1 withdrawn, 1 expired; fines 2000 + 200000 + 3000),
                    行政许可 3 (准予 1, 不予 1, 未写明 1), 行政强制 1
  demo-bureau 2026: 行政处罚 1 (fine 50000, confiscated 120); one decided after the as-of date
  quiet-bureau 2024: 行政处罚 1 (fine 1000); 2025 and 2026: nothing, 行政处罚 and 行政许可 in
                    its power list
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write

AS_OF = dt.date(2026, 11, 24)
DEMO = "agencies/demo-bureau"
QUIET = "agencies/quiet-bureau"

MINI = '"33029900000001", "33029900000002"'  # demo-bureau's enforcement officers
QUIET_OFFICERS = '"33029900000101", "33029900000102"'
PARTY = (
    "party: {name: 东江市测试区某某有限公司, kind: 法人及非法人组织, "
    "credit_code: 91330299MA2B3C4D59}\n"
)


def licence(doc_no: str, decided_on: str, outcome: str | None) -> str:
    stated = f"  outcome: {outcome}\n" if outcome else ""
    return (
        f"doc_no: {doc_no}\ncategory: 行政许可\n{PARTY}content: 许可决定。\n"
        f'decided_on: {decided_on}\nofficers: ["33029900000001"]\n'
        f"license:\n  doc_name: 行政许可决定书\n{stated}"
    )


def penalty(doc_no: str, decided_on: str, kinds: str, fine: int, officers: str = MINI) -> str:
    return (
        f"doc_no: {doc_no}\ncategory: 行政处罚\n{PARTY}violation: 违法行为\n"
        "facts: 违法事实。\nbasis: 依据。\n"
        f"penalty: {{kinds: [{kinds}], fine: {fine}}}\ncontent: 处罚内容。\n"
        f"decided_on: {decided_on}\nofficers: [{officers}]\n"
    )


COERCION = (
    f"doc_no: 测市监强〔2025〕1号\ncategory: 行政强制\n{PARTY}content: 查封涉案物品。\n"
    'decided_on: 2025-07-20\nofficers: ["33029900000001"]\n'
)

STATISTICS_2025 = """\
year: 2025
inspections: {planned: 40, done: 38, problems: 3}
transfers: {transferred: 2}
complaints: {received: 12, handled: 11}
zero_enforcement:
  行政检查: 本年度检查结果均按双随机抽查结果公示。
"""

QUIET_AGENCY = """\
name: 东江市测试区安静局
credit_code: 11330299MB0000012G
kind: 行政机关
region: 东江市测试区
address: 东江市测试区政务路2号
phone: 0571-88880001
duties: 负责安静执法。
remedies: 可申请行政复议。
"""


def officer(cert: str, name: str, roles: str, valid_until: str = "2028-12-31") -> str:
    return (
        f'name: {name}\ncert_no: "{cert}"\ncategory: 综合执法\nregion: 测试区\n'
        f"roles: [{roles}]\nvalid_from: 2022-01-01\nvalid_until: {valid_until}\nstatus: 在岗\n"
    )


def power(code: str, category: str) -> str:
    return (
        f"code: {code}\nname: 事项{code}\ncategory: {category}\n"
        "basis:\n  - law: 《某某法》\n    article: 第一条\nhandling_unit: 执法科\n"
    )


def statistics_portal(content: Path) -> Path:
    """Add the records above to a copy of the mini portal at ``content``."""
    demo, quiet = content / DEMO, content / QUIET
    decided = demo / "decisions"
    write(decided / "2025/2025-xk-1.yaml", licence("测市监许〔2025〕1号", "2025-03-03", "准予"))
    write(decided / "2025/2025-xk-2.yaml", licence("测市监许〔2025〕2号", "2025-03-20", None))
    write(decided / "2025/2025-xk-3.yaml", licence("测市监许〔2025〕3号", "2025-07-01", "不予"))
    write(decided / "2025/2025-qz-1.yaml", COERCION)
    warned = penalty("测市监处罚〔2025〕9号", "2025-12-30", "警告, 罚款", 3000)
    write(decided / "2025/2025-009.yaml", warned)
    late = penalty("测市监处罚〔2026〕9号", "2026-12-01", "罚款", 70000)
    write(decided / "2026/2026-009.yaml", late)  # after the as-of date: not counted
    write(quiet / "agency.yaml", QUIET_AGENCY)
    write(quiet / "officers/33029900000101.yaml", officer("33029900000101", "甲某", "执法"))
    write(quiet / "officers/33029900000102.yaml", officer("33029900000102", "乙某", "执法"))
    both = officer("33029900000103", "丙某", "执法, 法制审核")
    write(quiet / "officers/33029900000103.yaml", both)
    expired = officer("33029900000104", "丁某", "执法", valid_until="2025-12-31")
    write(quiet / "officers/33029900000104.yaml", expired)
    write(quiet / "powers/CF-1.yaml", power("CF-1", "行政处罚"))
    write(quiet / "powers/XK-1.yaml", power("XK-1", "行政许可"))
    once = penalty("测安处罚〔2024〕1号", "2024-05-06", "罚款", 1000, QUIET_OFFICERS)
    write(quiet / "decisions/2024/2024-001.yaml", once)
    write(demo / "statistics/2025.yaml", STATISTICS_2025)
    return content
