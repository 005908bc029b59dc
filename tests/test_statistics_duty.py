"""The statistics duty over real git histories: every agency owes the figures of every year from
its first on the portal, 零执法 years too; late statistics; the local reporting duties (to the
司法局 by 10 January, the half year by 31 July), off by default; `gongshi report --due-within`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from gitrepo import AGENCY, WITHDRAWAL, Repo, decision, decision_path, mini_base
from gongshi_history.deadlines import first_years, month_day, owed_years
from gongshi_history.trail import read_history
from gongshi_records.validate import validate_content

Run = Callable[..., Result]
D = dt.date
STATISTICS = f"{AGENCY}/statistics"
LOCAL = (
    "statistics-missing",
    "late-statistics",
    "statistics-not-reported",
    "late-statistics-report",
    "half-year-missing",
    "late-half-year",
    "half-year-zero-reason",
)
LOCAL_ON = 'settings:\n  deadlines: {statistics_to_judicial_by: "01-10", half_year_by: "07-31"}\n'
POWER = (
    "code: {code}\nname: {name}\ncategory: {category}\n"
    "basis:\n  - law: 《中华人民共和国食品安全法》\n    article: 第一百二十四条\n"
    "handling_unit: 执法稽查大队\n"
)


def pr(repo: Repo, files: dict[str, str | None], clerk: str, merge: str) -> None:
    repo.pull_request(files, f"{clerk}T09:00:00+08:00", f"{merge}T16:00:00+08:00")


def portal(root: Path, settings: str = "", published: str = "2024-03-01") -> Repo:
    """The mini portal, its agency.yaml first published on ``published``, with two power-list
    items (行政处罚, 行政强制) and ``settings`` appended to the agency."""
    repo = Repo(root)
    base = mini_base()
    base[f"{AGENCY}/agency.yaml"] += settings
    for code, name, category in (
        ("CF-00001", "对经营超过保质期食品的行政处罚", "行政处罚"),
        ("QZ-00001", "查封、扣押不符合食品安全标准的食品", "行政强制"),
    ):
        base[f"{AGENCY}/powers/{code}.yaml"] = POWER.format(code=code, name=name, category=category)
    repo.commit(base, f"{published}T10:00:00+08:00")
    return repo


def found(gongshi: Run, as_of: str, *extra: str) -> dict[tuple[str, str], dict[str, Any]]:
    result = gongshi("report", "--as-of", as_of, "--format", "json", *extra)
    assert result.code in (0, 1), result.err
    return {(f["path"], f["rule"]): f for f in result.json()["findings"] if f["rule"] in LOCAL}


def test_month_day_reads_only_real_recurring_dates() -> None:
    assert month_day("01-10") == (1, 10) and month_day("01-10").in_year(2027) == D(2027, 1, 10)
    assert month_day("07-31", first_month=7) == (7, 31)
    for wrong in ("1-10", "02-29", "13-01", "06-31", "0110", 110, None, "01-10 "):
        assert month_day(wrong) is None, wrong
    assert month_day("06-30", first_month=7) is None


def test_owed_from_the_year_agency_yaml_was_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """Published in 2024, decisions only from 2025: 2024 (零执法) and 2025 are owed."""
    repo = portal(tmp_path / "repo")
    pr(repo, {decision_path(1, 2025): decision(1, "2025-03-03")}, "2025-03-04", "2025-03-05")
    content = repo.root / "content"
    corpus, history = validate_content(content).corpus, read_history(content)
    assert first_years(corpus, history) == {"demo-bureau": 2024}
    assert owed_years(corpus, history, D(2026, 2, 1)) == {"demo-bureau": [2024, 2025]}
    assert owed_years(corpus, history, D(2024, 12, 31)) == {"demo-bureau": []}
    # Without history (a page build of a plain folder) only the decisions say anything.
    assert owed_years(corpus, None, D(2026, 2, 1)) == {"demo-bureau": [2025]}

    monkeypatch.chdir(repo.root)
    findings = found(gongshi, "2026-02-01")
    assert set(findings) == {
        (f"{STATISTICS}/2024.yaml", "statistics-missing"),
        (f"{STATISTICS}/2025.yaml", "statistics-missing"),
    }
    zero = findings[(f"{STATISTICS}/2024.yaml", "statistics-missing")]
    assert (zero["due"], zero["actual"], zero["agency"]) == ("2025-01-31", None, "demo-bureau")
    assert "2024 年没有执法决定（零执法），仍应在 2025-01-31 前公布" in zero["message"]
    assert "zero_enforcement" in zero["message"]
    active = findings[(f"{STATISTICS}/2025.yaml", "statistics-missing")]
    assert "零执法" not in active["message"] and "2026-01-31" in active["message"]
    # Not due yet on 31 January itself.
    assert (f"{STATISTICS}/2025.yaml", "statistics-missing") not in found(gongshi, "2026-01-31")


def test_a_migrated_archive_owes_from_its_earliest_decision(tmp_path: Path) -> None:
    repo = portal(tmp_path / "repo")
    pr(repo, {decision_path(1, 2022): decision(1, "2022-06-01")}, "2024-03-04", "2024-03-05")
    content = repo.root / "content"
    corpus, history = validate_content(content).corpus, read_history(content)
    assert owed_years(corpus, history, D(2025, 6, 1)) == {"demo-bureau": [2022, 2023, 2024]}


def test_late_statistics_and_the_due_day_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    repo = portal(tmp_path / "repo")
    pr(repo, {f"{STATISTICS}/2024.yaml": "year: 2024\n"}, "2025-01-30", "2025-02-03")
    pr(repo, {f"{STATISTICS}/2025.yaml": "year: 2025\n"}, "2026-01-30", "2026-01-31")
    monkeypatch.chdir(repo.root)
    findings = found(gongshi, "2026-06-01")
    assert set(findings) == {(f"{STATISTICS}/2024.yaml", "late-statistics")}
    late = findings[(f"{STATISTICS}/2024.yaml", "late-statistics")]
    assert (late["due"], late["actual"]) == ("2025-01-31", "2025-02-03")


def test_a_half_year_report_is_not_the_annual_statistics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """statistics/2025.yaml created in July with the half year only counts as published once
    it holds the annual figures."""
    repo = portal(tmp_path / "repo", published="2025-03-01")
    path = f"{STATISTICS}/2025.yaml"
    half = "year: 2025\nhalf_year: {reported_on: 2025-07-28}\n"
    pr(repo, {path: half}, "2025-07-28", "2025-07-29")
    monkeypatch.chdir(repo.root)
    missing = found(gongshi, "2026-02-05")[(path, "statistics-missing")]
    assert "只有上半年报送情况" in missing["message"] and missing["actual"] is None
    pr(repo, {path: half + "inspections: {planned: 10, done: 10}\n"}, "2026-02-09", "2026-02-10")
    late = found(gongshi, "2026-02-15")[(path, "late-statistics")]
    assert (late["due"], late["actual"]) == ("2026-01-31", "2026-02-10")


@pytest.fixture
def reporting(tmp_path: Path) -> Repo:
    """Statistics files with local reporting dates; settings added by each test."""
    repo = portal(tmp_path / "repo")
    pr(repo, {decision_path(1, 2024): decision(1, "2024-04-01")}, "2024-04-02", "2024-04-03")
    stats_2024 = (
        "year: 2024\nreported_on: 2025-01-09\n"
        "half_year: {reported_on: 2024-08-02}\n"  # two days late
        "inspections: {planned: 10, done: 10}\n"
    )
    stats_2025 = "year: 2025\nreported_on: 2026-01-12\ninspections: {planned: 8, done: 8}\n"
    pr(repo, {f"{STATISTICS}/2024.yaml": stats_2024}, "2025-01-20", "2025-01-21")
    pr(repo, {f"{STATISTICS}/2025.yaml": stats_2025}, "2026-01-20", "2026-01-21")
    return repo


def test_local_duties_are_off_by_default(
    reporting: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    monkeypatch.chdir(reporting.root)
    assert found(gongshi, "2026-02-01") == {}


def test_local_duties_with_the_settings_on(
    reporting: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    agency = f"{AGENCY}/agency.yaml"
    text = (reporting.root / agency).read_text("utf-8") + LOCAL_ON
    pr(reporting, {agency: text}, "2026-01-25", "2026-01-26")
    monkeypatch.chdir(reporting.root)
    findings = found(gongshi, "2026-02-01")
    s24, s25 = f"{STATISTICS}/2024.yaml", f"{STATISTICS}/2025.yaml"
    assert set(findings) == {
        (s24, "late-half-year"),
        (s24, "half-year-zero-reason"),
        (s25, "late-statistics-report"),
        (s25, "half-year-missing"),
    }
    half = findings[(s24, "late-half-year")]
    assert (half["due"], half["actual"]) == ("2024-07-31", "2024-08-02")
    assert "迟报 2 日" in half["message"]
    reason = findings[(s24, "half-year-zero-reason")]
    assert "没有行政强制决定" in reason["message"] and "行政处罚" not in reason["message"]
    judicial = findings[(s25, "late-statistics-report")]
    assert (judicial["due"], judicial["actual"]) == ("2026-01-10", "2026-01-12")
    assert "报送司法局" in judicial["message"]
    missing = findings[(s25, "half-year-missing")]
    assert (missing["due"], missing["actual"]) == ("2025-07-31", None)
    assert "half_year.reported_on" in missing["message"] and "零执法" in missing["message"]

    # A year later: 2026 has no file at all; its statistics are not due before 31 January.
    later = found(gongshi, "2027-01-15")
    s26 = f"{STATISTICS}/2026.yaml"
    assert {(s26, "statistics-not-reported"), (s26, "half-year-missing")} <= set(later)
    assert (s26, "statistics-missing") not in later
    assert "还没有" in later[(s26, "statistics-not-reported")]["message"]

    # The reasons stated, the zero-reason finding goes.
    reasons = "zero_enforcement: {行政强制: 未发现需要查封的情形}"
    text = (reporting.root / s24).read_text("utf-8")
    text = text.replace("{reported_on: 2024-08-02}", f"{{reported_on: 2024-08-02, {reasons}}}")
    pr(reporting, {s24: text}, "2026-01-27", "2026-01-28")
    assert (s24, "half-year-zero-reason") not in found(gongshi, "2026-02-01")


def test_an_agency_setting_overrides_the_portal(
    reporting: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """The portal turns the judicial date on; the agency moves it to 15 January."""
    monkeypatch.chdir(reporting.root)
    portal_yaml = "content/portal.yaml"
    text = (reporting.root / portal_yaml).read_text("utf-8")
    assert "settings:" not in text
    text += 'settings:\n  deadlines: {statistics_to_judicial_by: "01-10"}\n'
    pr(reporting, {portal_yaml: text}, "2026-01-25", "2026-01-26")
    late = (f"{STATISTICS}/2025.yaml", "late-statistics-report")
    assert set(found(gongshi, "2026-02-01")) == {late}
    agency = f"{AGENCY}/agency.yaml"
    text = (reporting.root / agency).read_text("utf-8")
    text += 'settings:\n  deadlines: {statistics_to_judicial_by: "01-15"}\n'
    pr(reporting, {agency: text}, "2026-01-27", "2026-01-28")
    assert set(found(gongshi, "2026-02-01")) == set()  # 2026-01-12 is on time by 01-15


# --- 零执法 reasons in the annual statistics: the national rule, always checked ------------

ZERO_REASON = "statistics-zero-reason"


def zero_reasons(gongshi: Run, as_of: str) -> dict[str, dict[str, Any]]:
    """The `statistics-zero-reason` findings, by path."""
    result = gongshi("report", "--as-of", as_of, "--format", "json")
    assert result.code in (0, 1), result.err
    return {f["path"]: f for f in result.json()["findings"] if f["rule"] == ZERO_REASON}


def test_annual_zero_reasons_are_checked_without_any_setting(
    reporting: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """Power list: 行政处罚, 行政强制 and 行政奖励 (a category no code names specially). 2024
    has a penalty; 2025 only a coercive measure, withdrawn since, which counts all the same."""
    s24, s25 = f"{STATISTICS}/2024.yaml", f"{STATISTICS}/2025.yaml"
    reward = POWER.format(code="JL-00001", name="举报奖励", category="行政奖励")
    coercion = decision_path(2, 2025)
    made = {f"{AGENCY}/powers/JL-00001.yaml": reward}
    made[coercion] = decision(2, "2025-05-06", category="行政强制")
    pr(reporting, made, "2025-05-07", "2025-05-08")
    withdrawn = reporting.root.joinpath(coercion).read_text("utf-8")
    withdrawn += WITHDRAWAL.format(day="2025-06-02")
    pr(reporting, {coercion: withdrawn}, "2025-06-03", "2025-06-04")
    monkeypatch.chdir(reporting.root)

    findings = zero_reasons(gongshi, "2026-02-01")
    assert set(findings) == {s24, s25}
    first = findings[s24]
    assert (first["due"], first["actual"], first["agency"]) == ("2025-01-31", None, "demo-bureau")
    assert "2024 年没有行政强制、行政奖励决定（零执法" in first["message"]
    assert f"请在 {s24} 的 zero_enforcement 中逐项写明“类别: 原因”" in first["message"]
    assert "2025 年没有行政处罚、行政奖励决定" in findings[s25]["message"]
    # Before 2025 is over its file is not judged (decisions may still come).
    assert set(zero_reasons(gongshi, "2025-12-31")) == {s24}

    # The reasons stated, the finding goes; one of two stated is not enough.
    text = reporting.root.joinpath(s24).read_text("utf-8")
    reasons = "zero_enforcement:\n  行政强制: 未发现需要查封的情形。\n"
    pr(reporting, {s24: text + reasons}, "2026-01-27", "2026-01-28")
    assert "没有行政奖励决定" in zero_reasons(gongshi, "2026-02-01")[s24]["message"]
    reasons += "  行政奖励: 没有符合奖励条件的举报。\n"
    pr(reporting, {s24: text + reasons}, "2026-01-29", "2026-01-30")
    assert set(zero_reasons(gongshi, "2026-02-01")) == {s25}


def test_annual_zero_reasons_need_the_annual_figures_and_a_power_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """A file holding only the half-year report is not the annual statistics yet (its absence
    is statistics-missing); an agency with no power list has no category to explain."""
    repo = portal(tmp_path / "repo")
    path = f"{STATISTICS}/2024.yaml"
    pr(
        repo,
        {path: "year: 2024\nhalf_year: {reported_on: 2024-07-20}\n"},
        "2024-07-20",
        "2024-07-21",
    )
    monkeypatch.chdir(repo.root)
    assert zero_reasons(gongshi, "2025-02-01") == {}
    pr(repo, {path: "year: 2024\ninspections: {planned: 3, done: 3}\n"}, "2025-01-20", "2025-01-21")
    assert set(zero_reasons(gongshi, "2025-02-01")) == {path}
    powers = {f"{AGENCY}/powers/{code}.yaml": None for code in ("CF-00001", "QZ-00001")}
    pr(repo, powers, "2025-01-22", "2025-01-23")
    assert zero_reasons(gongshi, "2025-02-01") == {}


# --- gongshi report --due-within ----------------------------------------------------------


@pytest.fixture
def pending(tmp_path: Path) -> Repo:
    """As of Monday 2025-09-29, before the National Day holiday (1–8 October 2025, Saturday
    11 October a working day): decisions not published yet, a withdrawal not made yet."""
    repo = portal(tmp_path / "repo")
    officer = f"{AGENCY}/officers/33029900000003.yaml"
    text = (
        (repo.root / officer)
        .read_text("utf-8")
        .replace("valid_until: 2027-12-31", "valid_until: 2025-10-09")
    )
    published = decision_path(9, 2025)
    pr(repo, {officer: text, published: decision(9, "2025-09-01")}, "2025-09-02", "2025-09-03")
    # Not merged: a penalty of Wednesday 2025-09-24, due 2025-10-10 (7 working days).
    repo.write(decision_path(1, 2025), decision(1, "2025-09-24"))
    # Not merged: a coercive measure of 2025-09-16, due 2025-10-20 (20 working days).
    repo.write(decision_path(2, 2025), decision(2, "2025-09-16", category="行政强制"))
    # The withdrawal event on 2025-09-29, due 2025-10-10 (3 working days), not merged.
    withdrawn = (repo.root / published).read_text("utf-8") + WITHDRAWAL.format(day="2025-09-29")
    repo.write(published, withdrawn)
    return repo


def due_soon(gongshi: Run, as_of: str, days: int) -> dict[tuple[str, str], dict[str, Any]]:
    result = gongshi("report", "--as-of", as_of, "--due-within", str(days), "--format", "json")
    assert result.code in (0, 1), result.err
    data = result.json()
    assert data["due_within"] == days
    for reminder in data["due_soon"]:
        assert set(reminder) == {"path", "rule", "due", "message", "agency"}
    return {(r["path"], r["rule"]): r for r in data["due_soon"]}


def test_due_within_counts_working_days_across_the_holiday(
    pending: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    monkeypatch.chdir(pending.root)
    three = due_soon(gongshi, "2025-09-29", 3)  # 30 Sept, 9 Oct, 10 Oct
    penalty = three[(decision_path(1, 2025), "due-publication")]
    assert (penalty["due"], penalty["agency"]) == ("2025-10-10", "demo-bureau")
    assert "7 个工作日" in penalty["message"] and "还没有合并" in penalty["message"]
    withdrawal = three[(decision_path(9, 2025), "due-withdrawal")]
    assert withdrawal["due"] == "2025-10-10"
    cert = three[(f"{AGENCY}/officers/33029900000003.yaml", "due-certificate")]
    assert cert["due"] == "2025-10-09"
    assert set(three) == {
        (decision_path(1, 2025), "due-publication"),
        (decision_path(9, 2025), "due-withdrawal"),
        (f"{AGENCY}/officers/33029900000003.yaml", "due-certificate"),
    }
    assert [r["due"] for r in three.values()] == sorted(r["due"] for r in three.values())
    two = due_soon(gongshi, "2025-09-29", 2)  # up to 9 Oct: the penalty is not due by then
    assert (decision_path(1, 2025), "due-publication") not in two
    five = due_soon(gongshi, "2025-09-29", 5)
    assert (decision_path(2, 2025), "due-publication") not in five  # due in 10 working days
    ten = due_soon(gongshi, "2025-09-29", 10)
    assert ten[(decision_path(2, 2025), "due-publication")]["due"] == "2025-10-20"


def test_due_within_text_and_exit_code(
    pending: Repo, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    monkeypatch.chdir(pending.root)
    result = gongshi("report", "--as-of", "2025-09-29", "--due-within", "3")
    section = result.out.split("即将到期（3 个工作日内，至 2025-10-10）：\n", 1)[1]
    assert f"{decision_path(1, 2025)}: [due-publication]" in section.split("\n\n")[0]
    assert "3 项即将到期" in result.err
    plain = gongshi("report", "--as-of", "2025-09-29", "--format", "json").json()
    assert "due_soon" not in plain and "due_within" not in plain
    bad = gongshi("report", "--due-within", "-1")
    assert bad.code == 2


def test_reminders_alone_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """Statistics of 2025 not yet published on 26 January 2026: a reminder, not a finding."""
    repo = portal(tmp_path / "repo", published="2025-03-01")
    monkeypatch.chdir(repo.root)
    result = gongshi("report", "--as-of", "2026-01-26", "--due-within", "5", "--format", "json")
    assert result.code == 0, result.out
    data = result.json()
    assert data["findings"] == [] and data["due_until"] == "2026-02-02"
    [stats] = data["due_soon"]
    assert (stats["path"], stats["rule"], stats["due"]) == (
        f"{STATISTICS}/2025.yaml",
        "due-statistics",
        "2026-01-31",
    )
    assert "没有执法决定" in stats["message"]
    monkeypatch.chdir(portal(tmp_path / "new", published="2026-03-01").root)
    text = gongshi("report", "--as-of", "2026-03-02", "--due-within", "5")
    assert text.code == 0 and "即将到期（5 个工作日内，至 2026-03-09）：无" in text.out


def test_due_within_local_duties_when_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    repo = portal(tmp_path / "repo", settings=LOCAL_ON, published="2025-03-01")
    monkeypatch.chdir(repo.root)
    january = due_soon(gongshi, "2026-01-05", 5)
    assert january[(f"{STATISTICS}/2025.yaml", "due-statistics-report")]["due"] == "2026-01-10"
    july = due_soon(gongshi, "2026-07-27", 5)
    assert july[(f"{STATISTICS}/2026.yaml", "due-half-year")]["due"] == "2026-07-31"
    off = portal(tmp_path / "off", published="2025-03-01")
    monkeypatch.chdir(off.root)
    assert not {r for _, r in due_soon(gongshi, "2026-01-05", 5)} & {
        "due-statistics-report",
        "due-half-year",
    }


def test_due_within_says_when_a_calendar_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    repo = portal(tmp_path / "repo", published="2025-03-01")
    monkeypatch.chdir(repo.root)
    soon = due_soon(gongshi, "2026-12-28", 5)  # 29, 30, 31 December; then 2027, unknown
    missing = soon[("content/calendar/2027.yaml", "calendar-missing")]
    assert missing["due"] is None and "2026-12-31 以前" in missing["message"]
    assert not any(rule == "due-statistics" for _, rule in soon)  # due 2027-01-31: not listed
    repo.write("content/calendar/2027.yaml", "holidays: [2027-01-01]\nworkdays: []\n")
    covered = due_soon(gongshi, "2026-12-28", 5)
    assert not any(rule == "calendar-missing" for _, rule in covered)
