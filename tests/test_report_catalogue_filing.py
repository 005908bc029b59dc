"""`gongshi report` over real git histories: decisions that meet the review catalogue without
being major (`catalogue-not-major`), and the filing of major penalties (`filing-late`,
`filing-missing`), a local duty checked only when a setting turns it on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Result
from gitrepo import AGENCY, Repo, decision, decision_path, mini_base

Run = Callable[..., Result]
MINE = ("catalogue-not-major", "filing-late", "filing-missing", "calendar-missing")
CATALOGUE = FIXTURES / "catalogue/agencies/demo-bureau/review-catalog.yaml"


def major(number: int, day: str, filed: str | None = None, **kwargs: Any) -> str:
    extra = (
        "major: true\n"
        f'review: {{reviewed_on: {day}, opinion: 同意, reviewers: ["33029900000003"]}}\n'
    )
    extra += f"filed_on: {filed}\n" if filed else ""
    return decision(number, day, extra=extra, **kwargs)


def fined(text: str, fine: int) -> str:
    return text.replace("fine: 5000}", f"fine: {fine}}}")


def repo_with(
    root: Path, settings: str, decisions: Mapping[str, str], merged: str = "2026-03-20"
) -> Repo:
    """The mini portal (with ``settings`` appended to its agency) and ``decisions`` merged in
    one pull request."""
    repo = Repo(root)
    base = mini_base()
    base[f"{AGENCY}/agency.yaml"] += settings
    repo.commit(base, "2024-01-02T10:00:00+08:00")
    repo.pull_request(dict(decisions), f"{merged}T09:00:00+08:00", f"{merged}T16:00:00+08:00")
    return repo


def mine(gongshi: Run, as_of: str) -> dict[tuple[str, str], dict[str, Any]]:
    result = gongshi("report", "--as-of", as_of, "--format", "json")
    assert result.code in (0, 1), result.err
    return {(f["path"], f["rule"]): f for f in result.json()["findings"] if f["rule"] in MINE}


FILING_ON = "settings:\n  deadlines: {major_filing_days: 15}\n"


@pytest.fixture
def filings() -> dict[str, str]:
    return {
        decision_path(1, 2026): major(1, "2026-03-02", "2026-03-17"),  # the 15th day: on time
        decision_path(2, 2026): major(2, "2026-03-02", "2026-03-18"),  # a day late
        decision_path(3, 2026): major(3, "2026-03-02"),  # never filed
        decision_path(4, 2026): major(4, "2026-05-25"),  # not due yet on 2026-06-01
        decision_path(5, 2026): decision(5, "2026-03-02"),  # not major
        decision_path(6, 2026): major(6, "2026-03-02", category="行政强制"),  # not a penalty
    }


def test_filing_late_and_missing_with_the_setting_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run, filings: dict[str, str]
) -> None:
    repo = repo_with(tmp_path / "repo", FILING_ON, filings)
    monkeypatch.chdir(repo.root)
    found = mine(gongshi, "2026-06-01")
    assert set(found) == {
        (decision_path(2, 2026), "filing-late"),
        (decision_path(3, 2026), "filing-missing"),
    }
    late = found[(decision_path(2, 2026), "filing-late")]
    assert (late["due"], late["actual"]) == ("2026-03-17", "2026-03-18")
    assert "15 日内报政府法制机构备案" in late["message"] and late["agency"] == "demo-bureau"
    missing = found[(decision_path(3, 2026), "filing-missing")]
    assert (missing["due"], missing["actual"]) == ("2026-03-17", None)
    assert "filed_on" in missing["message"]
    text = gongshi("report", "--as-of", "2026-06-01").out
    assert f"{decision_path(3, 2026)}: [filing-missing]" in text


def test_no_filing_findings_with_the_setting_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run, filings: dict[str, str]
) -> None:
    off = "settings:\n  deadlines: {major_filing_days: 0}\n"
    for name, settings in (("default", ""), ("zero", off)):
        repo = repo_with(tmp_path / name, settings, filings)
        monkeypatch.chdir(repo.root)
        assert mine(gongshi, "2026-06-01") == {}


def test_filing_in_working_days_uses_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    # 2024-09-27 + 7 working days = 2024-10-12 (a makeup Saturday; 1–7 October are holidays).
    decisions = {
        decision_path(1, 2024): major(1, "2024-09-27", "2024-10-12"),
        decision_path(2, 2024): major(2, "2024-09-27", "2024-10-14"),
    }
    working = "settings:\n  deadlines: {major_filing_days: 7, major_filing_working_days: true}\n"
    repo = repo_with(tmp_path / "working", working, decisions, merged="2024-09-30")
    monkeypatch.chdir(repo.root)
    found = mine(gongshi, "2024-12-01")
    assert list(found) == [(decision_path(2, 2024), "filing-late")]
    late = found[(decision_path(2, 2024), "filing-late")]
    assert (late["due"], late["actual"]) == ("2024-10-12", "2024-10-14")
    assert "7 个工作日内" in late["message"]
    # Counted in calendar days the same filing on 12 October is eight days late.
    calendar = "settings:\n  deadlines: {major_filing_days: 7}\n"
    repo = repo_with(tmp_path / "calendar", calendar, decisions, merged="2024-09-30")
    monkeypatch.chdir(repo.root)
    found = mine(gongshi, "2024-12-01")
    assert {f["due"] for f in found.values()} == {"2024-10-04"} and len(found) == 2


def test_a_filing_due_in_a_year_without_calendar_names_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    working = "settings:\n  deadlines: {major_filing_days: 15, major_filing_working_days: true}\n"
    decisions = {decision_path(1, 2026): major(1, "2026-12-28")}
    repo = repo_with(tmp_path / "repo", working, decisions, merged="2026-12-29")
    monkeypatch.chdir(repo.root)
    found = mine(gongshi, "2027-03-01")
    # Published on 29 December, before the uncovered year: only the filing needs 2027.
    missing = found[("content/calendar/2027.yaml", "calendar-missing")]
    assert "1 项期限无法计算" in missing["message"]
    assert decision_path(1, 2026) in missing["message"]
    assert (decision_path(1, 2026), "filing-missing") not in found


def test_catalogue_not_major(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run) -> None:
    decisions = {
        # 罚款 150,000 元 ≥ the catalogue's 100,000 for an organisation, not major.
        decision_path(1, 2026): fined(decision(1, "2026-03-02", extra="major: false\n"), 150000),
        # The same, marked major and reviewed: nothing to report.
        decision_path(2, 2026): fined(major(2, "2026-03-02"), 150000),
        # Below the threshold.
        decision_path(3, 2026): fined(decision(3, "2026-03-02"), 99999),
        # Before the catalogue's updated_on (2026-01-01): made under an earlier catalogue.
        decision_path(4, 2025): fined(decision(4, "2025-12-01"), 150000),
    }
    catalogue = {f"{AGENCY}/review-catalog.yaml": CATALOGUE.read_text("utf-8")}
    repo = repo_with(tmp_path / "repo", "", {**decisions, **catalogue})
    monkeypatch.chdir(repo.root)
    found = mine(gongshi, "2026-06-01")
    assert list(found) == [(decision_path(1, 2026), "catalogue-not-major")]
    finding = found[(decision_path(1, 2026), "catalogue-not-major")]
    assert (finding["due"], finding["actual"], finding["agency"]) == (None, None, "demo-bureau")
    message = finding["message"]
    assert "「较大数额罚款」" in message and "对法人或者其他组织罚款10万元以上" in message
    assert "法人及非法人组织罚款 150,000.00 元，不低于起点 100,000.00 元" in message
    assert "major: true" in message
