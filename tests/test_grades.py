"""Publicity grades (DOMAIN.md, "How long a decision stays published"): the regime by decision
date, the grading table and its boundaries, periods, credit repair, and the build's --as-of."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from gitrepo import Repo, decision_path, mini_base
from gitrepo import decision as decision_yaml
from gongshi_history.deadlines import deadline_settings
from gongshi_records import validate_content
from gongshi_records.forking import PROCESSES_ENV, can_fork
from gongshi_records.grades import Grade, Regime, derived_grade, publicity
from gongshi_records.model import Record
from gongshi_records.paths import PROJECT_ROOT
from gongshi_records.publication import (
    PUBLICATION_SETTINGS,
    Status,
    merge_settings,
    public_view,
    publication,
    settings_for,
)
from gongshi_records.registry import place_of
from gongshi_records.schema import schema_for
from gongshi_records.views import Decision
from gongshi_records.vocabulary import PartyKind
from test_rules import edit

Run = Callable[..., Result]
DEFAULTS = merge_settings({name: default for name, default, _ in PUBLICATION_SETTINGS}, [])
ORG, SOLE, PERSON = "法人及非法人组织", "个体工商户", "自然人"


def penalty(
    kinds: list[str],
    fine: float | None = None,
    *,
    party: str = ORG,
    decided: str = "2026-05-10",
    restriction_until: str | None = None,
    **extra: Any,
) -> Decision:
    """A 行政处罚 decision with only the fields grading reads."""
    penalty: dict[str, Any] = {"kinds": kinds}
    if fine is not None:
        penalty["fine"] = fine
    if restriction_until is not None:
        penalty["restriction_until"] = restriction_until
    data: dict[str, Any] = {
        "category": "行政处罚",
        "party": {"kind": party},
        "penalty": penalty,
        "decided_on": decided,
        **extra,
    }
    place = place_of("agencies/demo-bureau/decisions/2026/t.yaml")
    assert place is not None
    return Decision(Record("decision", "t.yaml", place, data, {}))


def grade(decision: Decision, **settings: Any) -> Grade:
    return derived_grade(decision, merge_settings(DEFAULTS, [settings]))


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (penalty(["警告"]), Grade.MINOR),
        (penalty(["通报批评"]), Grade.MINOR),
        (penalty(["警告", "通报批评"]), Grade.MINOR),
        # 行政处罚法 art. 51: 200 yuan for a natural person (and a 个体工商户), 3,000 otherwise.
        (penalty(["罚款"], 200, party=PERSON), Grade.MINOR),
        (penalty(["罚款"], 201, party=PERSON), Grade.GENERAL),
        (penalty(["罚款"], 200, party=SOLE), Grade.MINOR),
        (penalty(["罚款"], 201, party=SOLE), Grade.GENERAL),
        (penalty(["罚款"], 3000), Grade.MINOR),
        (penalty(["罚款"], 3001), Grade.GENERAL),
        (penalty(["警告", "罚款"], 3000), Grade.MINOR),
        # A small fine with anything else is no longer a simple-procedure penalty.
        (penalty(["罚款", "没收违法所得"], 100), Grade.GENERAL),
        (penalty(["罚款", "没收非法财物"], 50000), Grade.GENERAL),
        (penalty(["暂扣许可证件"]), Grade.GENERAL),
        (penalty(["罚款"], 999999.99), Grade.GENERAL),
        (penalty(["罚款"], 1000000), Grade.SERIOUS),
        (penalty(["吊销许可证件"]), Grade.SERIOUS),
        (penalty(["警告", "责令停产停业"]), Grade.SERIOUS),
        (penalty(["责令关闭"]), Grade.SERIOUS),
        (penalty(["限制从业"]), Grade.SERIOUS),
        (penalty(["行政拘留"], party=PERSON), Grade.SERIOUS),
    ],
)
def test_grading_table(decision: Decision, expected: Grade) -> None:
    assert grade(decision) is expected


def test_thresholds_are_settings() -> None:
    assert grade(penalty(["罚款"], 5000), minor_fine_limits={ORG: 5000}) is Grade.MINOR
    assert grade(penalty(["罚款"], 500000), huge_fine=500000) is Grade.SERIOUS
    # Key by key: raising the organisations' limit keeps the natural persons' 200.
    assert grade(penalty(["罚款"], 201, party=PERSON), minor_fine_limits={ORG: 5000}) is (
        Grade.GENERAL
    )


def test_the_schema_offers_exactly_the_grades() -> None:
    assert schema_for("decision")["properties"]["grade"]["enum"] == [g.value for g in Grade]


def test_domain_example_is_general_for_one_year() -> None:
    period = publicity(penalty(["罚款", "没收非法财物"], 50000), DEFAULTS)
    assert period is not None
    assert (period.regime, period.grade, period.stated) == (
        Regime.CREDIT_REPAIR_2026,
        Grade.GENERAL,
        False,
    )
    assert period.until == dt.date(2027, 5, 10)
    assert period.repair_from == dt.date(2026, 8, 10)  # 3 months' minimum


def test_the_regime_follows_the_decision_date() -> None:
    kinds = ["罚款", "没收违法所得"]
    before = publicity(penalty(kinds, 50000, decided="2026-03-31"), DEFAULTS)
    after = publicity(penalty(kinds, 50000, decided="2026-04-01"), DEFAULTS)
    assert before is not None and after is not None
    # 2021: 3 years, credit repair after 1 year (repair_months_2021); no grade.
    assert (before.regime, before.grade) == (Regime.SAMR_2021, None)
    assert (before.until, before.repair_from) == (dt.date(2029, 3, 31), dt.date(2027, 3, 31))
    assert (after.regime, after.grade) == (Regime.CREDIT_REPAIR_2026, Grade.GENERAL)
    assert (after.until, after.repair_from) == (dt.date(2027, 4, 1), dt.date(2026, 7, 1))
    # The switch date is a setting.
    later = merge_settings(DEFAULTS, [{"grades_from": "2026-07-01"}])
    moved = publicity(penalty(kinds, 50000, decided="2026-04-01"), later)
    assert moved is not None and moved.regime is Regime.SAMR_2021


def test_the_2021_small_fine_keeps_its_own_threshold() -> None:
    small = publicity(penalty(["罚款"], 10000, decided="2025-01-06"), DEFAULTS)
    assert small is not None and small.until == dt.date(2025, 4, 6)
    # The minimum before credit repair never exceeds the period itself.
    assert small.repair_from == small.until


def test_periods_by_grade_and_minor_publication() -> None:
    minor = publicity(penalty(["罚款"], 100), DEFAULTS)
    serious = publicity(penalty(["吊销许可证件"]), DEFAULTS)
    assert minor is not None and serious is not None
    assert (minor.until, minor.repair_from, minor.published) == (
        dt.date(2026, 8, 10),
        dt.date(2026, 5, 10),  # 轻微: repair once the obligations are met
        True,
    )
    assert (serious.until, serious.repair_from) == (dt.date(2029, 5, 10), None)
    assert serious.not_repairable == {"吊销许可证件"}
    hidden = publicity(penalty(["罚款"], 100), merge_settings(DEFAULTS, [{"publish_minor": False}]))
    assert hidden is not None and not hidden.published


def test_a_stated_grade_wins() -> None:
    stated = publicity(penalty(["罚款"], 100, grade="严重"), DEFAULTS)
    assert stated is not None
    assert (stated.grade, stated.stated, stated.until) == (
        Grade.SERIOUS,
        True,
        dt.date(2029, 5, 10),
    )
    lowered = publicity(penalty(["罚款"], 2000000, grade="一般"), DEFAULTS)
    assert lowered is not None and (lowered.grade, lowered.until) == (
        Grade.GENERAL,
        dt.date(2027, 5, 10),
    )


def test_a_longer_restriction_keeps_its_length_and_a_record_date_wins() -> None:
    # 严重 is shown for 3 years; a five-year 限制从业 for all five.
    longer = penalty(["限制从业", "罚款"], 50000, restriction_until="2031-05-10")
    period = publicity(longer, DEFAULTS)
    assert period is not None and period.until == dt.date(2031, 5, 10)
    shorter = penalty(["罚款", "没收非法财物"], 50000, restriction_until="2026-12-31")
    period = publicity(shorter, DEFAULTS)
    assert period is not None and period.until == dt.date(2027, 5, 10)
    declared = publicity(penalty(["罚款"], 50000, publicity_until="2026-06-30"), DEFAULTS)
    assert declared is not None and declared.until == dt.date(2026, 6, 30)


def test_settings_merge_key_by_key_per_agency(mini: Path) -> None:
    edit(
        mini,
        "portal.yaml",
        "publisher:",
        "settings: {grade_max_months: {一般: 6}, minor_fine_limits: {自然人: 500}}\npublisher:",
    )
    edit(
        mini,
        "agencies/demo-bureau/agency.yaml",
        "kind: 行政机关",
        "kind: 行政机关\nsettings: {grade_max_months: {严重: 24}, huge_fine: 500000}",
    )
    validation = validate_content(mini)
    assert not [f for f in validation.findings if f.severity == "error"], validation.findings
    settings = settings_for(validation.corpus, "demo-bureau")
    assert settings["grade_max_months"] == {"轻微": 3, "一般": 6, "严重": 24}
    assert settings["grade_min_months"] == {"轻微": 0, "一般": 3, "严重": 12}
    assert settings["minor_fine_limits"] == {"自然人": 500, "个体工商户": 200, ORG: 3000}
    assert settings["huge_fine"] == 500000
    # The 2021 settings keep working beside them.
    assert settings["publicity_months"] == {"minor": 3, "general": 36}
    # The mini portal's 2026-04-10 fine of 50,000 is 一般: now shown for 6 months only.
    view = public_view(validation.corpus, dt.date(2026, 10, 10))
    assert [d for d in view.published if d.record.path.endswith("2026-001.yaml")]
    assert not public_view(validation.corpus, dt.date(2026, 10, 11)).published


@pytest.mark.parametrize("processes", ["2", "3"])
def test_the_public_view_read_in_forked_workers_is_that_of_one_process(
    monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """public_view reads the decisions across the cores (100,000 at scale): the demo portal's
    61 decisions (published, withdrawn, expired, graded) come out the same as in one process,
    each with the corpus's own record."""
    assert can_fork()
    corpus = validate_content(PROJECT_ROOT / "content").corpus
    as_of = dt.date(2026, 11, 24)
    monkeypatch.setenv(PROCESSES_ENV, "1")
    alone = public_view(corpus, as_of)
    monkeypatch.setenv(PROCESSES_ENV, processes)
    forked = public_view(corpus, as_of)
    assert alone.published and alone.withdrawn
    assert forked == alone
    records = [d.record for d in alone.published + alone.withdrawn]
    assert all(
        d.record is r for d, r in zip(forked.published + forked.withdrawn, records, strict=True)
    )


def test_a_minor_decision_can_be_kept_off_the_portal(mini: Path) -> None:
    edit(
        mini,
        "agencies/demo-bureau/decisions/2026/2026-001.yaml",
        "penalty: {kinds: [罚款, 没收违法所得], fine: 50000, confiscated: 120}",
        "penalty: {kinds: [罚款], fine: 3000}",
    )
    corpus = validate_content(mini).corpus
    [shown] = public_view(corpus, dt.date(2026, 5, 1)).published
    assert shown.publicity is not None and shown.publicity.grade is Grade.MINOR
    edit(mini, "portal.yaml", "publisher:", "settings: {publish_minor: false}\npublisher:")
    view = public_view(validate_content(mini).corpus, dt.date(2026, 5, 1))
    assert view.published == []


# Credit repair -------------------------------------------------------------------------------
REPAIRED = "agencies/demo-bureau/decisions/2026/2026-001.yaml"


def _withdraw(mini: Path, occurred: str, kinds: str = "[罚款, 没收违法所得]") -> list[Any]:
    path = mini / REPAIRED
    text = path.read_text("utf-8").replace("kinds: [罚款, 没收违法所得]", f"kinds: {kinds}")
    text += (
        f"withdrawal:\n  cause: 信用修复\n  occurred_on: {occurred}\n  reason: 已完成信用修复。\n"
    )
    path.write_text(text, "utf-8")
    return [f for f in validate_content(mini).findings if f.path.endswith("2026-001.yaml")]


def test_credit_repair_before_the_minimum_is_an_error(mini: Path) -> None:
    [finding] = _withdraw(mini, "2026-07-09")
    assert (finding.severity, finding.rule, finding.line) == (
        "error",
        "credit-repair.too-early",
        22,
    )
    assert "2026-07-10" in finding.message and "一般" in finding.message


def test_credit_repair_on_the_earliest_day_is_fine(mini: Path) -> None:
    assert _withdraw(mini, "2026-07-10") == []


def test_a_penalty_that_cannot_be_repaired(mini: Path) -> None:
    [finding] = _withdraw(mini, "2027-07-10", kinds="[罚款, 吊销许可证件]")
    assert (finding.rule, finding.line) == ("credit-repair.not-repairable", 21)
    assert "吊销许可证件" in finding.message and "2029-04-10" in finding.message


def test_credit_repair_before_2026_uses_the_2021_minimum(mini: Path) -> None:
    path = mini / "agencies/demo-bureau/decisions/2025/2025-007.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("cause: 撤销", "cause: 信用修复"), "utf-8")
    findings = [f for f in validate_content(mini).findings if f.path.endswith("2025-007.yaml")]
    # Decided 2025-06-02 (a fine of 200,000: 3 years), repaired 2025-09-01: before a year.
    assert [(f.rule, f.line) for f in findings] == [("credit-repair.too-early", 19)]
    assert "2026-06-02" in findings[0].message
    edit(mini, "portal.yaml", "publisher:", "settings: {repair_months_2021: 2}\npublisher:")
    assert not [f for f in validate_content(mini).findings if f.path.endswith("2025-007.yaml")]


def test_a_grade_without_effect_is_a_warning(mini: Path) -> None:
    decision = "agencies/demo-bureau/decisions/2025/2025-002.yaml"
    edit(mini, decision, "decided_on:", "grade: 一般\ndecided_on:")
    findings = [f for f in validate_content(mini).findings if f.path.endswith("2025-002.yaml")]
    assert [(f.severity, f.rule) for f in findings] == [("warning", "grade.not-applicable")]


# The build ----------------------------------------------------------------------------------
DOMAIN_EXAMPLE = """\
doc_no: 测市监处罚〔2026〕9号
category: 行政处罚
party:
  name: 东江市测试区示例期满商贸有限公司
  kind: 法人及非法人组织
  credit_code: 91330299MA00XK12PP
violation: 销售假冒商品
facts: |
  公示期满专用事实文本：当事人销售假冒注册商标的商品。
basis: |
  《中华人民共和国商标法》第六十条第二款。
penalty: {kinds: [罚款, 没收非法财物], fine: 50000, confiscated_items: 假冒商品20件}
content: |
  没收假冒商品20件，罚款50000元。
decided_on: 2026-05-10
officers: ["33029900000001", "33029900000002"]
"""
TRACES = ("示例期满商贸", "公示期满专用事实", "测市监处罚〔2026〕9号", "2026-009")


def _build(gongshi: Run, content: Path, out: Path, as_of: str) -> str:
    result = gongshi("build", "--content", str(content), "--output", str(out), "--as-of", as_of)
    assert result.code == 0, result.out + result.err
    return "\n".join(
        p.read_text("utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file()
    )


def test_domain_example_leaves_every_output_after_its_last_day(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    (mini / "agencies/demo-bureau/decisions/2026/2026-009.yaml").write_text(DOMAIN_EXAMPLE, "utf-8")
    shown = _build(gongshi, mini, tmp_path / "last-day", "2027-05-10")
    for trace in TRACES:
        assert trace in shown, trace
    page = (tmp_path / "last-day/agencies/demo-bureau/decisions/2026/2026-009.html").read_text(
        "utf-8"
    )
    assert "一般（按处罚种类和金额认定）" in page and "公示至 2027年5月10日" in page
    assert "自 2026年8月10日 起" in page and "信用中国" in page
    rows = json.loads((tmp_path / "last-day/data/decisions.json").read_text("utf-8"))
    [row] = [r for r in rows if r["doc_no"] == "测市监处罚〔2026〕9号"]
    assert (row["publicity_until"], row["grade"]) == ("2027-05-10", "一般")
    for as_of in ("2027-05-11", "2027-06-01"):
        out = tmp_path / as_of
        everything = _build(gongshi, mini, out, as_of)
        for trace in TRACES:
            assert trace not in everything, (as_of, trace)
        assert not (out / "agencies/demo-bureau/decisions/2026/2026-009.html").exists()


def test_pages_say_when_credit_repair_cannot_end_publication(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    revoked = DOMAIN_EXAMPLE.replace("〔2026〕9号", "〔2026〕10号").replace(
        "[罚款, 没收非法财物]", "[罚款, 吊销许可证件]"
    )
    (mini / "agencies/demo-bureau/decisions/2026/2026-010.yaml").write_text(revoked, "utf-8")
    (mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml").write_text(
        (mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml")
        .read_text("utf-8")
        .replace("decided_on:", "grade: 严重\ndecided_on:"),
        "utf-8",
    )
    out = tmp_path / "site"
    _build(gongshi, mini, out, "2026-06-01")
    pages = out / "agencies/demo-bureau/decisions"
    page = (pages / "2026/2026-010.html").read_text("utf-8")
    assert "严重（按处罚种类和金额认定）" in page and "公示至 2029年5月10日" in page
    assert "不适用信用修复" in page and "信用中国" not in page
    stated = (pages / "2026/2026-001.html").read_text("utf-8")
    assert "严重（执法机关认定）" in stated and "自 2027年4月10日 起" in stated
    # Before 2026-04-01: the 2021 rule, no grade; a withdrawal notice has no such section.
    notice = (pages / "2025/2025-007.html").read_text("utf-8")
    assert "失信信息等级" not in notice and "信用修复" not in notice
    _build(gongshi, mini, out, "2025-03-01")
    small = (pages / "2025/2025-002.html").read_text("utf-8")
    assert "《市场监督管理行政处罚信息公示规定》（2021）" in small
    assert "失信信息等级" not in small and "公示至 2025年4月6日" in small
    # Its 3-month period is no longer than the minimum: nothing to repair early.
    assert "申请信用修复" not in small


def test_a_credit_repaired_decision_expires_like_any_other(mini: Path) -> None:
    """Its withdrawal notice is shown until the grade's maximum, then nothing is."""
    example = DOMAIN_EXAMPLE + "withdrawal:\n  cause: 信用修复\n  occurred_on: 2026-08-10\n"
    example += "  reason: 已完成信用修复。\n"
    (mini / "agencies/demo-bureau/decisions/2026/2026-009.yaml").write_text(example, "utf-8")
    validation = validate_content(mini)
    assert not [f for f in validation.findings if f.path.endswith("2026-009.yaml")]
    settings = settings_for(validation.corpus, "demo-bureau")
    [record] = [r for r in validation.corpus if r.path.endswith("2026-009.yaml")]
    assert publication(record, settings, dt.date(2027, 5, 10)).status is Status.WITHDRAWN
    assert publication(record, settings, dt.date(2027, 5, 11)).status is Status.EXPIRED


def test_gongshi_withdraw_refuses_an_early_credit_repair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    path = decision_path(1, 2024)
    # A fine of 5,000 in 2024: the 2021 rule's 3-month period, so no repair before 2024-06-05.
    repo.pull_request(
        {path: decision_yaml(1, "2024-03-05")},
        "2024-03-05T09:00:00+08:00",
        "2024-03-06T16:00:00+08:00",
    )
    monkeypatch.chdir(repo.root)
    before = (repo.root / path).read_bytes()
    args = ("--cause", "信用修复", "--reason", "已完成信用修复。")
    early = gongshi("withdraw", path, *args, "--occurred-on", "2024-05-06")
    assert early.code == 1 and "[credit-repair.too-early]" in early.out, early.out + early.err
    assert "2024-06-05" in early.out and (repo.root / path).read_bytes() == before
    assert gongshi("withdraw", path, *args, "--occurred-on", "2024-06-05").code == 0


def test_malformed_settings_fall_back_to_the_defaults(mini: Path) -> None:
    """The schema reports them; validation and `gongshi report` go on without crashing."""
    edit(
        mini,
        "portal.yaml",
        "publisher:",
        "settings: {grades_from: 2026-02-30, huge_fine: 很多}\npublisher:",
    )
    validation = validate_content(mini)
    rules = {f.rule for f in validation.findings if f.path.endswith("portal.yaml")}
    assert rules == {"settings.grades_from", "settings.huge_fine"}
    [shown] = public_view(validation.corpus, dt.date(2026, 5, 1)).published
    assert shown.until == dt.date(2027, 4, 10)


def test_a_settings_change_rechecks_the_decisions_it_judges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Callable[..., Result]
) -> None:
    """`validate --changed-since`: raising a minimum in portal.yaml shows the credit-repair
    withdrawals it now makes too early, though no decision file changed."""
    repair = (
        "withdrawal: {cause: 信用修复, occurred_on: 2026-09-01, reason: 当事人已完成信用修复。}\n"
    )
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {**mini_base(), decision_path(1, 2026): decision_yaml(1, "2026-05-10", extra=repair)},
        "2026-09-02T10:00:00+08:00",
    )
    repo.git("tag", "base")
    monkeypatch.chdir(repo.root)
    assert gongshi("validate", "--changed-since", "base").code == 0
    portal = repo.root / "content/portal.yaml"
    text = portal.read_text("utf-8")
    portal.write_text(text + "settings: {grade_min_months: {一般: 6}}\n", "utf-8")
    result = gongshi("validate", "--changed-since", "base")
    assert result.code == 1
    assert f"{decision_path(1, 2026)}:" in result.out and "credit-repair.too-early" in result.out


def test_settings_of_the_wrong_type_are_reported_and_passed_over(mini: Path) -> None:
    """The schema reports them; every rule and the report go on with the defaults."""
    bad = (
        "settings: {minor_fine_limits: [1], huge_fine: 十万, grade_max_months: {一般: x},"
        " publish_minor: 是, deadlines: {major_filing_days: x, withdrawal: -1}}\n"
    )
    edit(mini, "portal.yaml", "publisher:", bad + "publisher:")
    validation = validate_content(mini)
    rules = {f.rule for f in validation.findings if f.path.endswith("portal.yaml")}
    assert "settings.minor_fine_limits" in rules and "settings.huge_fine" in rules
    settings = settings_for(validation.corpus, "demo-bureau")
    assert settings["minor_fine_limits"][PartyKind.ORGANISATION] == 3000
    assert settings["huge_fine"] == 1000000 and settings["publish_minor"] is True
    assert settings["grade_max_months"]["一般"] == 12
    assert deadline_settings(validation.corpus, "demo-bureau").filing_days == 0
    assert deadline_settings(validation.corpus, "demo-bureau").withdrawal_days == 3


def test_a_decision_near_the_end_of_the_calendar_does_not_crash(mini: Path) -> None:
    edit(mini, "agencies/demo-bureau/decisions/2026/2026-001.yaml", "2026-04-10", "9999-12-01")
    rules = {f.rule for f in validate_content(mini).findings}
    # Beyond 2100: a date.range error, and the date reads as absent to every other rule.
    assert rules == {"date.range"}
