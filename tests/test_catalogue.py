"""The review catalogue's machine-checkable criteria (`match`) and the hearing rule: matching,
its readable form, the schema's messages and the validator's findings in a portal."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Result, write
from gitrepo import AGENCY, Repo, decision_path, mini_base
from gitrepo import decision as decision_text
from gongshi_portal.markup import match_lines
from gongshi_records.catalogue import (
    CatalogueItem,
    criteria_lines,
    items_met,
    meets,
)
from gongshi_records.model import Record
from gongshi_records.registry import Kind, Place
from gongshi_records.schema import SCHEMA_DIR
from gongshi_records.validate import check_record_file, validate_content
from gongshi_records.views import Decision
from gongshi_records.vocabulary import PARTY_KINDS

FINE = CatalogueItem.from_data(
    {
        "name": "较大数额罚款",
        "category": "行政处罚",
        "criteria": "对单位罚款10万元以上，对个体工商户罚款5万元以上",
        "match": {"fine_at_least": {"法人及非法人组织": 100000, "个体工商户": 50000}},
    }
)
CONFISCATED = CatalogueItem.from_data(
    {
        "name": "没收较大数额",
        "category": "行政处罚",
        "criteria": "没收10万元以上",
        "match": {"confiscated_at_least": {"自然人": 100000}},
    }
)
KINDS = CatalogueItem.from_data(
    {
        "name": "吊销、停产停业",
        "category": "行政处罚",
        "criteria": "一律审核",
        "match": {"penalty_kinds": ["吊销许可证件", "责令停产停业"]},
    }
)
HEARING = CatalogueItem.from_data(
    {"name": "听证", "category": "行政处罚", "criteria": "经听证的", "match": {"hearing": True}}
)


def decision(**fields: Any) -> Decision:
    data: dict[str, Any] = {
        "category": "行政处罚",
        "party": {"kind": fields.pop("party", "法人及非法人组织")},
        "penalty": {"kinds": fields.pop("kinds", ["罚款"])},
        "decided_on": "2026-06-10",
    }
    for name in ("fine", "confiscated"):
        if name in fields:
            data["penalty"][name] = fields.pop(name)
    data.update(fields)
    place = Place(Kind.DECISION, "demo-bureau", "demo-bureau/2026-001", "2026-001", "2026")
    return Decision(Record(Kind.DECISION, "t.yaml", place, data, {}))


def test_fine_at_the_threshold_meets_it_and_below_does_not() -> None:
    assert meets(decision(fine=100000), FINE) == (
        "法人及非法人组织罚款 100,000.00 元，不低于起点 100,000.00 元",
    )
    assert meets(decision(fine=99999.99), FINE) == ()
    assert meets(decision(party="个体工商户", fine=50000), FINE)
    assert meets(decision(party="个体工商户", fine=49999), FINE) == ()


def test_a_party_kind_the_item_does_not_list_is_not_judged_by_amount() -> None:
    assert meets(decision(party="自然人", fine=10_000_000), FINE) == ()
    assert meets(decision(party="法人及非法人组织", confiscated=500000), CONFISCATED) == ()


def test_confiscation_threshold() -> None:
    met = meets(decision(party="自然人", fine=0, confiscated=100000.5), CONFISCATED)
    assert met == ("自然人没收金额 100,000.50 元，不低于起点 100,000.00 元",)
    assert meets(decision(party="自然人", confiscated=99999), CONFISCATED) == ()


def test_any_listed_penalty_kind_meets() -> None:
    assert meets(decision(kinds=["罚款", "责令停产停业"]), KINDS) == ("处罚种类含责令停产停业",)
    assert meets(decision(kinds=["罚款", "警告"]), KINDS) == ()


def test_hearing_meets_only_a_decision_made_after_one() -> None:
    assert meets(decision(hearing=True), HEARING) == ("经听证程序作出",)
    assert meets(decision(hearing=False), HEARING) == ()
    assert meets(decision(), HEARING) == ()


def test_category_must_equal_the_items() -> None:
    licence = decision(category="行政许可", fine=500000, hearing=True, kinds=["吊销许可证件"])
    assert [meets(licence, item) for item in (FINE, KINDS, HEARING)] == [(), (), ()]


def test_an_item_without_match_meets_nothing() -> None:
    plain = CatalogueItem.from_data({"name": "复杂案件", "category": "行政处罚", "criteria": "x"})
    assert not plain.checkable
    assert meets(decision(fine=10**9, hearing=True, kinds=["吊销许可证件"]), plain) == ()


def test_items_met_lists_every_item_in_catalogue_order() -> None:
    big = decision(fine=200000, kinds=["罚款", "吊销许可证件"], hearing=True)
    met = items_met(big, (HEARING, FINE, CONFISCATED, KINDS))
    assert [m.item.name for m in met] == ["听证", "较大数额罚款", "吊销、停产停业"]
    assert (
        met[1].text()
        == "「较大数额罚款」（法人及非法人组织罚款 200,000.00 元，不低于起点 100,000.00 元）"
    )


def test_criteria_read_as_chinese() -> None:
    assert criteria_lines(FINE) == (
        "法人及非法人组织罚款 ≥ 100,000.00 元；个体工商户 ≥ 50,000.00 元",
    )
    assert criteria_lines(CONFISCATED) == ("自然人没收金额 ≥ 100,000.00 元",)
    assert criteria_lines(KINDS) == ("处罚种类含吊销许可证件、责令停产停业之一",)
    assert criteria_lines(HEARING) == ("经听证程序作出",)
    # The template filter reads the raw YAML item.
    assert match_lines({"name": "x", "match": {"fine_at_least": {"自然人": 1280.5}}}) == (
        "自然人罚款 ≥ 1,280.50 元",
    )
    assert match_lines({"name": "x"}) == ()


def test_threshold_keys_are_the_vocabularys_party_kinds() -> None:
    schema = json.loads((SCHEMA_DIR / "review-catalog.schema.json").read_text("utf-8"))
    assert tuple(schema["$defs"]["thresholds"]["properties"]) == PARTY_KINDS


def test_a_wrong_party_kind_key_is_named_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "review-catalog.yaml",
        "unit: 法规科\nitems:\n  - name: 罚款\n    category: 行政处罚\n    criteria: x\n"
        "    match:\n      fine_at_least:\n        单位: 100000\n",
    )
    [finding] = check_record_file(path, Kind.REVIEW_CATALOG)
    assert (finding.line, finding.rule) == (8, "items.0.match.fine_at_least.单位")
    assert finding.message == "未知字段「单位」：可用字段为 法人及非法人组织、个体工商户、自然人"


@pytest.fixture
def catalogued(mini: Path) -> Path:
    """The mini portal with tests/fixtures/catalogue's review catalogue (updated 2026-01-01)."""
    shutil.copytree(FIXTURES / "catalogue", mini, dirs_exist_ok=True)
    return mini


DECISION = """doc_no: 测市监处罚〔{year}〕9{n}号
category: 行政处罚
party: {{name: 测试区青禾食品有限公司, kind: 法人及非法人组织, credit_code: 91330299MA2B3C4D59}}
violation: 经营超过保质期的食品
facts: 当事人销售超过保质期的饼干。
basis: 《中华人民共和国食品安全法》第一百二十四条。
penalty: {{kinds: [罚款], fine: {fine}}}
content: 罚款。
decided_on: {day}
officers: ["33029900000001", "33029900000002"]
{extra}"""


def add(content: Path, n: int, day: str, fine: int, extra: str = "") -> str:
    text = DECISION.format(year=day[:4], n=n, day=day, fine=fine, extra=extra)
    path = content / f"agencies/demo-bureau/decisions/{day[:4]}/t{n}.yaml"
    write(path, text)
    return f"content/agencies/demo-bureau/decisions/{day[:4]}/t{n}.yaml"


def test_the_fixture_with_a_catalogue_is_clean(catalogued: Path) -> None:
    # 2025-007 (罚款 200,000 元, not major) predates the catalogue's updated_on.
    assert validate_content(catalogued).findings == []


def test_threshold_met_without_major_is_a_warning_at_the_major_line(catalogued: Path) -> None:
    path = add(catalogued, 1, "2026-06-10", 150000, "major: false\n")
    [finding] = [f for f in validate_content(catalogued).findings if f.path == path]
    assert (finding.severity, finding.line, finding.rule) == ("warning", 11, "review.catalogue")
    assert "「较大数额罚款」" in finding.message and "150,000.00 元" in finding.message
    assert "major: true" in finding.message


def test_without_a_major_line_the_warning_is_at_the_decision_date(catalogued: Path) -> None:
    path = add(catalogued, 2, "2026-06-10", 150000)
    [finding] = [f for f in validate_content(catalogued).findings if f.path == path]
    assert (finding.line, finding.rule) == (9, "review.catalogue")


def test_decisions_before_the_catalogue_was_updated_are_not_judged(catalogued: Path) -> None:
    add(catalogued, 3, "2025-12-31", 150000)
    assert validate_content(catalogued).findings == []
    (catalogued / "agencies/demo-bureau/review-catalog.yaml").write_text(
        (FIXTURES / "catalogue/agencies/demo-bureau/review-catalog.yaml")
        .read_text("utf-8")
        .replace("updated_on: 2026-01-01\n", ""),
        "utf-8",
    )
    rules = {f.rule for f in validate_content(catalogued).findings}
    assert rules == {"review.catalogue"}  # no date: every decision, 2025-007 included


def test_no_catalogue_no_warning(mini: Path) -> None:
    add(mini, 4, "2026-06-10", 150000, "major: false\n")
    assert validate_content(mini).findings == []


def test_hearing_without_major_is_an_error_at_the_major_line(mini: Path) -> None:
    path = add(mini, 5, "2026-06-10", 5000, "major: false\nhearing: true\n")
    [finding] = [f for f in validate_content(mini).findings if f.path == path]
    assert (finding.severity, finding.line, finding.rule) == ("error", 11, "decision.hearing-major")
    assert "听证后作出的决定属于重大执法决定，须 major: true 并经法制审核" in finding.message


def test_filed_before_the_decision_is_a_date_order_error(mini: Path) -> None:
    extra = (
        "major: true\n"
        'review: {reviewed_on: 2026-06-08, opinion: 同意, reviewers: ["33029900000003"]}\n'
        "filed_on: 2026-06-09\n"
    )
    path = add(mini, 6, "2026-06-10", 5000, extra)
    [finding] = [f for f in validate_content(mini).findings if f.path == path]
    assert (finding.line, finding.rule) == (13, "date.order")
    assert "备案日期 2026-06-09 早于决定日期 2026-06-10" in finding.message


def test_pages_show_thresholds_hearing_and_filing(
    catalogued: Path, gongshi: Callable[..., Result], tmp_path: Path
) -> None:
    extra = (
        "major: true\nhearing: true\n"
        'review: {reviewed_on: 2026-06-08, opinion: 同意, reviewers: ["33029900000003"]}\n'
        "filed_on: 2026-06-19\n"
    )
    add(catalogued, 7, "2026-06-10", 150000, extra)
    out = tmp_path / "site"
    args = ("build", "--content", str(catalogued), "--output", str(out), "--as-of", "2026-11-24")
    result = gongshi(*args)
    assert result.code == 0, result.out + result.err
    page = (out / "agencies/demo-bureau/review-catalog.html").read_text("utf-8")
    assert (
        "法人及非法人组织罚款 ≥ 100,000.00 元；个体工商户 ≥ 50,000.00 元；自然人 ≥ 50,000.00 元"
        in page
    )
    assert "处罚种类含吊销许可证件、责令停产停业、责令关闭、限制从业之一" in page
    assert "法人及非法人组织没收金额 ≥ 100,000.00 元" in page and "经听证程序作出" in page
    decision_page = (out / "agencies/demo-bureau/decisions/2026/t7.html").read_text("utf-8")
    assert "本决定经听证程序作出" in decision_page and "2026年6月19日" in decision_page


def test_a_catalogue_change_rechecks_its_agencys_decisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Callable[..., Result]
) -> None:
    """`validate --changed-since`: tightening a catalogue shows the decisions it now catches."""
    catalogue = (FIXTURES / "catalogue/agencies/demo-bureau/review-catalog.yaml").read_text("utf-8")
    loose = catalogue.replace(
        "法人及非法人组织: 100000, 个体工商户: 50000", "法人及非法人组织: 200000, 个体工商户: 50000"
    )
    repo = Repo(tmp_path / "repo")
    big = decision_text(1, "2026-03-02").replace("fine: 5000}", "fine: 150000}")
    repo.commit(
        {
            **mini_base(),
            f"{AGENCY}/review-catalog.yaml": loose,
            decision_path(1, 2026): big,
        },
        "2026-03-03T10:00:00+08:00",
    )
    repo.git("tag", "base")
    monkeypatch.chdir(repo.root)
    assert "review.catalogue" not in gongshi("validate", "--changed-since", "base").out
    repo.write(f"{AGENCY}/review-catalog.yaml", catalogue)
    result = gongshi("validate", "--changed-since", "base")
    assert f"{decision_path(1, 2026)}:9:13: warning [review.catalogue]" in result.out
