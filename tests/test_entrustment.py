"""委托执法: a 受委托组织 in the mini portal, entrusted by demo-bureau, and its decisions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

from conftest import Result, write
from gongshi_exports import open_data
from gongshi_records import validate_content
from gongshi_records.entrustment import deciding_authority, entrustment_of
from gongshi_records.publication import public_view

STREET = "agencies/demo-street"
AGENCY = """\
name: 东江市测试区东湖街道综合行政执法队
credit_code: "12330299MB0A1B2C38"
kind: 受委托组织
region: 东江市测试区东湖街道
entrustment:
  agency: demo-bureau
  instrument_no: 测市监委〔2025〕1号
  scope: |
    无照经营的**行政处罚**（单处罚款5000元以下）。
  valid_from: 2025-01-01
  valid_until: 2026-12-31
"""
OFFICER = """\
name: 林{n}
cert_no: "3302990000010{n}"
category: 市场监管综合执法
region: 东湖街道
roles: [执法]
valid_from: 2024-01-01
valid_until: 2029-12-31
status: 在岗
"""
DECISION = """\
doc_no: 测市监处罚〔2026〕9号
category: 行政处罚
party:
  name: 东江市测试区东湖果品店
  kind: 个体工商户
  credit_code: "92330299MA2N5K8Q1A"
violation: 无照经营
facts: 当事人未取得营业执照从事水果零售。
basis: 《无证无照经营查处办法》第十三条。
penalty: {kinds: [罚款], fine: 4000}
content: 罚款4000元。
decided_on: 2026-06-01
officers: ["33029900000101", "33029900000102"]
"""


def add_street(content: Path, decided_on: str = "2026-06-01") -> Path:
    write(content / STREET / "agency.yaml", AGENCY)
    for n in (1, 2):
        write(content / STREET / f"officers/3302990000010{n}.yaml", OFFICER.format(n=n))
    decision = DECISION.replace("2026-06-01", decided_on)
    return write(content / STREET / "decisions/2026/2026-009.yaml", decision)


def findings(content: Path) -> list[tuple[str, str, int, str]]:
    found = validate_content(content).findings
    return [(f.severity, f.rule, f.line, f.path.rsplit("/", 1)[-1]) for f in found]


def test_an_entrusted_organisation_validates_clean(mini: Path) -> None:
    add_street(mini)
    assert findings(mini) == []


def test_a_decision_outside_the_entrustment_period_is_an_error_at_its_date(mini: Path) -> None:
    add_street(mini, decided_on="2027-01-04")
    assert ("error", "entrustment.period", 12, "2026-009.yaml") in findings(mini)


def test_a_decision_before_the_entrustment_began_is_an_error(mini: Path) -> None:
    path = add_street(mini)
    path.write_text(path.read_text("utf-8").replace("2026-06-01", "2024-12-31"), "utf-8")
    assert ("error", "entrustment.period", 12, "2026-009.yaml") in findings(mini)


def test_an_open_ended_entrustment_covers_later_decisions(mini: Path) -> None:
    add_street(mini, decided_on="2026-06-01")
    agency = mini / STREET / "agency.yaml"
    agency.write_text(agency.read_text("utf-8").replace("  valid_until: 2026-12-31\n", ""), "utf-8")
    add_street_decision = mini / STREET / "decisions/2026/2026-009.yaml"
    text = add_street_decision.read_text("utf-8").replace("2026-06-01", "2026-12-31")
    add_street_decision.write_text(text, "utf-8")
    assert findings(mini) == []


def test_a_sub_entrustment_is_refused(mini: Path) -> None:
    add_street(mini)
    second = (
        AGENCY.replace("东湖街道综合行政执法队", "东湖社区服务站")
        .replace("12330299MB0A1B2C38", "12330299MB2C3D4E5B")
        .replace("agency: demo-bureau", "agency: demo-street")
    )
    write(mini / "agencies/demo-station/agency.yaml", second)
    assert ("error", "entrustment.agency", 6, "agency.yaml") in findings(mini)


def test_the_entrusting_agency_is_resolved_for_pages_and_exports(mini: Path) -> None:
    add_street(mini)
    corpus = validate_content(mini).corpus
    agencies = corpus.agencies()
    street = agencies["demo-street"]
    entrustment = entrustment_of(street, agencies)
    assert entrustment is not None
    assert entrustment.authority.record is agencies["demo-bureau"]
    assert entrustment.instrument_no == "测市监委〔2025〕1号"
    assert entrustment.covers(dt.date(2026, 12, 31)) and not entrustment.covers(dt.date(2027, 1, 1))
    assert deciding_authority(street, agencies).name == "东江市测试区市场监督管理局"
    assert deciding_authority(agencies["demo-bureau"], agencies).record is agencies["demo-bureau"]
    assert entrustment_of(agencies["demo-bureau"], agencies) is None


def test_the_export_names_the_entrusting_agency_as_deciding_authority(mini: Path) -> None:
    add_street(mini)
    corpus = validate_content(mini).corpus
    data = open_data(corpus, public_view(corpus, dt.date(2026, 11, 24)))
    text = data.files["decisions.csv"].decode("utf-8-sig")
    rows = {row["doc_no"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    row = rows["测市监处罚〔2026〕9号"]
    assert row["agency_id"] == "demo-street"
    assert row["authority_name"] == "东江市测试区市场监督管理局"
    assert row["authority_credit_code"] == "11330299MB0000012G"
    own = rows["测市监处罚〔2026〕1号"]
    assert own["authority_name"] == own["agency_name"] == "东江市测试区市场监督管理局"


def test_pages_show_the_entrustment_and_the_name_decisions_are_made_in(
    mini: Path, gongshi: Callable[..., Result], tmp_path: Path
) -> None:
    add_street(mini)
    out = tmp_path / "site"
    result = gongshi("build", "--content", str(mini), "--output", str(out), "--as-of", "2026-11-24")
    assert result.code == 0, result.out + result.err
    hub = text_of(out / STREET / "index.html")
    assert "委托执法" in hub and "委托书编号 测市监委〔2025〕1号" in hub
    assert "委托期限 2025年1月1日 至 2026年12月31日" in hub
    # Reviewed by the entrusting agency: no staff ratio of its own to fall short of.
    assert "不单独计算法制审核人员比例" in hub and "低于 5%" not in hub
    assert "委托机关 东江市测试区市场监督管理局" in hub and "<strong>行政处罚</strong>" in (
        out / STREET / "index.html"
    ).read_text("utf-8")
    assert 'href="../../agencies/demo-bureau/index.html"' in (
        out / STREET / "index.html"
    ).read_text("utf-8")
    bureau = text_of(out / "agencies/demo-bureau/index.html")
    assert "受本机关委托执法的组织 东江市测试区东湖街道综合行政执法队" in bureau
    decision = text_of(out / STREET / "decisions/2026/2026-009.html")
    assert "以委托机关 东江市测试区市场监督管理局 名义作出" in decision
    assert "或向东江市测试区市场监督管理局申请信用修复" in decision  # not the street office
    own = text_of(out / "agencies/demo-bureau/decisions/2026/2026-001.html")
    assert "名义作出" not in own


def text_of(page: Path) -> str:
    """A page's text with tags dropped and whitespace runs made one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text("utf-8")))
