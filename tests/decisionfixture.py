"""The mini portal plus decisions a decision-page test needs: a fine with a confiscation, a
confiscation alone, a non-monetary penalty that credit repair cannot end, a decision of a
受委托组织 that states no remedies of its own, and one of an agency that states none at all.
Built once by `gongshi build`."""

from __future__ import annotations

import shutil
from pathlib import Path

from gongshi_cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-11-24"
AGENCY = "demo-bureau"
DECISIONS = f"agencies/{AGENCY}/decisions/2026"

_COMMON = """\
category: 行政处罚
party:
  name: {party}
  kind: 法人及非法人组织
  credit_code: {code}
violation: {violation}
facts: |
  当事人违法所得壹仟贰佰元（1200元），罚款伍仟元。
basis: |
  《中华人民共和国食品安全法》第一百二十四条。
content: |
  {content}
officers: ["33029900000001", "33029900000002"]
"""

# stem → (fields of the record beyond _COMMON)
CASES: dict[str, str] = {
    # 罚款 and 没收违法所得: 一般 (above the 3,000-yuan simple-procedure limit), 12 months.
    "2026-101": _COMMON.format(
        party="东江市测试区甲乙食品有限公司",
        code="91330299MA2DP10107",
        violation="经营超过保质期的食品",
        content="没收违法所得1200元，罚款5000元。",
    )
    + "doc_no: 测市监处罚〔2026〕101号\n"
    + "penalty: {kinds: [没收违法所得, 罚款], fine: 5000, confiscated: 1200}\n"
    + "decided_on: 2026-04-20\n",
    # Confiscations only, one amount for both.
    "2026-102": _COMMON.format(
        party="东江市测试区丙丁商贸有限公司",
        code="91330299MA2DP10208",
        violation="销售不合格产品",
        content="没收违法所得和不合格电热水壶37台。",
    )
    + "doc_no: 测市监处罚〔2026〕102号\n"
    + "penalty: {kinds: [没收非法财物, 没收违法所得], confiscated: 3456.7,"
    + " confiscated_items: 不合格电热水壶37台}\n"
    + "decided_on: 2026-05-08\n",
    # No money at all, and not repairable: 严重, 36 months, no early end.
    "2026-103": _COMMON.format(
        party="东江市测试区戊己餐饮有限公司",
        code="91330299MA2DP10309",
        violation="以欺骗手段取得食品经营许可",
        content="吊销食品经营许可证。",
    )
    + "doc_no: 测市监处罚〔2026〕103号\n"
    + "penalty: {kinds: [吊销许可证件], license: 食品经营许可证（JY13302990001234）}\n"
    + "decided_on: 2026-06-15\n",
}

# A 受委托组织 without remedies of its own, deciding in demo-bureau's name.
ENTRUSTED = """\
name: 东江市测试区某街道综合行政执法队
credit_code: 12330299MB1A2B3C4Y
kind: 受委托组织
region: 东江市测试区某街道
entrustment:
  agency: demo-bureau
  instrument_no: 测市监委〔2026〕1号
  scope: 占道经营的行政处罚。
  valid_from: 2026-01-01
  valid_until: 2027-12-31
"""
ENTRUSTED_DECISION = _COMMON.format(
    party="东江市测试区庚辛小吃有限公司",
    code="91330299MA2DP1040A",
    violation="擅自占用城市道路",
    content="罚款800元。",
) + (
    "doc_no: 测市监处罚〔2026〕104号\npenalty: {kinds: [罚款], fine: 800}\ndecided_on: 2026-10-20\n"
)

# An agency that states no remedies: its decision pages state the law and name the agency.
SILENT = """\
name: 东江市测试区某某管理局
credit_code: 11330299MB0000020B
kind: 行政机关
region: 东江市测试区
"""
SILENT_DECISION = _COMMON.format(
    party="东江市测试区壬癸建材有限公司",
    code="91330299MA2DP1050B",
    violation="未按规定处置建筑垃圾",
    content="罚款6000元。",
) + ("doc_no: 测管罚〔2026〕5号\npenalty: {kinds: [罚款], fine: 6000}\ndecided_on: 2026-09-01\n")


def _agency(content: Path, key: str, agency: str, decision: tuple[str, str]) -> None:
    folder = content / "agencies" / key
    (folder / "decisions/2026").mkdir(parents=True)
    (folder / "agency.yaml").write_text(agency, "utf-8")
    (folder / f"decisions/2026/{decision[0]}.yaml").write_text(decision[1], "utf-8")


def build_decision_site(root: Path) -> Path:
    """The mini portal with the cases above, built as of AS_OF into ``root/site``."""
    content = root / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for stem, text in CASES.items():
        (content / DECISIONS / f"{stem}.yaml").write_text(text, "utf-8")
    _agency(content, "street-team", ENTRUSTED, ("2026-104", ENTRUSTED_DECISION))
    _agency(content, "silent-office", SILENT, ("2026-005", SILENT_DECISION))
    output = root / "site"
    argv = ["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF]
    assert main(argv) == 0, "the decision-page fixture must build"
    return output
