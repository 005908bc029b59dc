"""A masked natural person's full name appears in no published text (privacy.party-name)."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from gongshi_records import validate_content

DECISION = "agencies/demo-bureau/decisions/2026/2026-071.yaml"
INSPECTION = "agencies/demo-bureau/inspections/2026-01.yaml"
FACTS = "当事人张三丰于2026年3月在测试区人民路无证经营食品。"


def decision(facts: str, kind: str = "自然人") -> str:
    return f"""doc_no: 测市监处罚〔2026〕71号
category: 行政处罚
party:
  name: 张三丰
  kind: {kind}
violation: 无证经营食品
facts: {facts}
basis: 《中华人民共和国食品安全法》第一百二十二条第一款。
penalty: {{kinds: [罚款], fine: 2000}}
content: 罚款人民币2000元。
decided_on: 2026-04-20
officers: ["33029900000001", "33029900000002"]
"""


def party_name_findings(content: Path) -> list[tuple[str, int, str]]:
    found = validate_content(content).findings
    return [(f.path.rsplit("/", 1)[-1], f.line, f.message) for f in found
            if f.rule == "privacy.party-name"]  # fmt: skip


def test_the_full_name_in_the_facts_is_an_error_naming_the_masked_form(mini: Path) -> None:
    write(mini / DECISION, decision(FACTS))
    [(name, line, message)] = party_name_findings(mini)
    assert (name, line) == ("2026-071.yaml", 7)
    assert "张三丰" in message and "“张某”" in message


def test_a_compound_surname_is_masked_as_the_pages_mask_it(mini: Path) -> None:
    write(mini / DECISION, decision("当事人欧阳明月无证经营。").replace("张三丰", "欧阳明月"))
    [(_name, _line, message)] = party_name_findings(mini)
    assert "“欧阳某”" in message


def test_a_portal_that_publishes_full_names_allows_them(mini: Path) -> None:
    write(mini / DECISION, decision(FACTS))
    portal = mini / "portal.yaml"
    portal.write_text(
        portal.read_text("utf-8") + "settings:\n  party_name: 全名\n", encoding="utf-8"
    )
    assert party_name_findings(mini) == []


def test_an_organisation_is_named_in_full(mini: Path) -> None:
    write(mini / DECISION, decision(FACTS, kind="个体工商户"))
    assert party_name_findings(mini) == []


def test_an_inspected_persons_name_in_the_results_note(mini: Path) -> None:
    write(
        mini / INSPECTION,
        """title: 食品经营者监督检查
year: 2026
subject: 东江市测试区某某管理局
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第一百一十条
objects: 辖区内食品经营者
content: 食品经营许可情况
ratio: 5%
method: 实地核查
frequency: 每年1次
results:
  - party:
      name: 李四光
      kind: 自然人
    checked_on: 2026-03-02
    outcome: 未发现问题
    note: 李四光的摊位证照齐全。
""",
    )
    [(name, line, message)] = party_name_findings(mini)
    assert (name, line) == ("2026-01.yaml", 18) and "“李某”" in message
