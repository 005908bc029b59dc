"""`gongshi report` and `gongshi history` through main(argv), over real repositories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gitrepo import AGENCY, WITHDRAWAL, Repo, decision, decision_path, mini_base

Run = Callable[..., Result]


def pr(repo: Repo, path: str, text: str | None, clerk: str, merge: str) -> None:
    repo.pull_request({path: text}, f"{clerk}T09:00:00+08:00", f"{merge}T16:00:00+08:00")


@pytest.fixture
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Two decisions of 2024 published and withdrawn in time, statistics on time."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    pr(repo, decision_path(1, 2024), decision(1, "2024-09-27"), "2024-09-27", "2024-10-12")
    path = decision_path(2, 2024)
    pr(repo, path, decision(2, "2024-03-05"), "2024-03-05", "2024-03-06")
    text = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    pr(repo, path, text, "2024-05-07", "2024-05-09")
    pr(repo, f"{AGENCY}/statistics/2024.yaml", "year: 2024\n", "2025-01-20", "2025-01-31")
    monkeypatch.chdir(repo.root)
    return repo


def test_clean_history_exits_0(clean: Repo, gongshi: Run) -> None:
    result = gongshi("report", "--as-of", "2025-03-01")
    assert result.code == 0, result.out + result.err
    assert "应公示决定 2 件，按时 2，迟延 0" in result.out
    assert "撤回 1 件，按时 1，迟延 0" in result.out
    data = gongshi("report", "--as-of", "2025-03-01", "--format", "json").json()
    assert data["findings"] == []
    [summary] = data["agencies"]
    assert summary["on_time_share"] == 1.0 and summary["withdrawals_on_time"] == 1


@pytest.fixture
def troubled(clean: Repo) -> Repo:
    repo = clean
    # Published one working day late (due 2025-03-12).
    pr(repo, decision_path(3, 2025), decision(3, "2025-03-03"), "2025-03-04", "2025-03-13")
    # Withdrawal event 2025-03-03, due 2025-03-06, merged 2025-03-10.
    path = decision_path(1, 2024)
    text = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2025-03-03")
    pr(repo, path, text, "2025-03-04", "2025-03-10")
    # A major decision reviewed after it was made.
    review = (
        "major: true\n"
        'review: {reviewed_on: 2025-03-06, opinion: 同意, reviewers: ["33029900000003"]}\n'
    )
    pr(
        repo,
        decision_path(4, 2025),
        decision(4, "2025-03-05", extra=review),
        "2025-03-06",
        "2025-03-07",
    )
    # Migrated: declares a publication date git cannot confirm.
    migrated = decision(5, "2025-01-06", extra="published_on: 2025-01-08\n")
    pr(repo, decision_path(5, 2025), migrated, "2025-03-01", "2025-03-03")
    # An officer whose certificate expires within 30 days of the as-of date.
    officer = repo.root / AGENCY / "officers/33029900000003.yaml"
    text = officer.read_text("utf-8").replace("valid_until: 2027-12-31", "valid_until: 2026-12-20")
    pr(repo, officer.relative_to(repo.root).as_posix(), text, "2026-01-05", "2026-01-05")
    # Decided just before a year without calendar, published in it.
    pr(repo, decision_path(6, 2026), decision(6, "2026-12-25"), "2026-12-28", "2027-01-06")
    # Not merged at all.
    repo.write(decision_path(7, 2026), decision(7, "2026-11-02"))
    return repo


def test_report_lists_every_problem(troubled: Repo, gongshi: Run) -> None:
    result = gongshi("report", "--as-of", "2026-12-01", "--format", "json")
    assert result.code == 1, result.err
    data = result.json()
    found = {(f["path"], f["rule"]): f for f in data["findings"]}
    late = found[(decision_path(3, 2025), "late-publication")]
    assert (late["due"], late["actual"]) == ("2025-03-12", "2025-03-13")
    assert "7 个工作日" in late["message"]
    withdrawal = found[(decision_path(1, 2024), "late-withdrawal")]
    assert (withdrawal["due"], withdrawal["actual"]) == ("2025-03-06", "2025-03-10")
    review = found[(decision_path(4, 2025), "review-after-decision")]
    assert (review["due"], review["actual"]) == ("2025-03-05", "2025-03-06")
    stats = found[(f"{AGENCY}/statistics/2025.yaml", "statistics-missing")]
    assert (stats["due"], stats["actual"]) == ("2026-01-31", None)
    unconfirmed = found[(decision_path(5, 2025), "published-on-unconfirmed")]
    assert unconfirmed["actual"] == "2025-03-03" and "2025-01-08" in unconfirmed["message"]
    cert = found[(f"{AGENCY}/officers/33029900000003.yaml", "certificate-expiring")]
    assert cert["due"] == "2026-12-20"
    calendar = found[("content/calendar/2027.yaml", "calendar-missing")]
    assert "2027" in calendar["message"] and decision_path(6, 2026) in calendar["message"]
    assert (decision_path(7, 2026), "unpublished") in found
    overdue = found[(decision_path(7, 2026), "late-publication")]
    assert (overdue["due"], overdue["actual"]) == ("2026-11-11", None)
    assert all(set(f) >= {"path", "rule", "due", "actual", "message"} for f in data["findings"])
    [summary] = data["agencies"]
    assert summary["decisions"] == 7
    assert (summary["published_late"], summary["overdue"], summary["unassessed"]) == (1, 1, 1)
    assert summary["late_publications"] == [decision_path(3, 2025), decision_path(7, 2026)]
    assert (summary["withdrawals"], summary["withdrawals_late"]) == (2, 1)
    assert summary["late_withdrawals"] == [decision_path(1, 2024)]


def test_report_text_and_calendar_file_fixes_the_year(troubled: Repo, gongshi: Run) -> None:
    result = gongshi("report", "--as-of", "2026-12-01")
    assert result.code == 1
    assert f"{decision_path(3, 2025)}: [late-publication]" in result.out
    assert "按时率" in result.out and "个问题" in result.err
    troubled.write("content/calendar/2027.yaml", "holidays: [2027-01-01]\nworkdays: []\n")
    fixed = gongshi("report", "--as-of", "2026-12-01").out
    assert "calendar-missing" not in fixed and decision_path(6, 2026) not in fixed.split("\n\n")[0]


def test_report_refuses_a_shallow_clone(clean: Repo, gongshi: Run, tmp_path: Path) -> None:
    shallow = clean.shallow_clone(tmp_path / "shallow").root
    result = gongshi("report", "--content", str(shallow / "content"))
    assert result.code == 2 and "浅克隆" in result.err


def test_report_outside_a_repository(mini: Path, gongshi: Run) -> None:
    result = gongshi("report", "--content", str(mini))
    assert result.code == 2 and "不在 git 仓库中" in result.err


def test_history_follows_renames(clean: Repo, gongshi: Run) -> None:
    old = decision_path(2, 2024)
    new = f"{AGENCY}/decisions/2024/2024-002-renamed.yaml"
    clean.move(old, new, "2024-06-01T10:00:00+08:00")
    result = gongshi("history", new)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith(new)
    assert "2024-03-06 16:00" in lines[1] and "新增" in lines[1] and "审核人" in lines[1]
    assert "修改；新增 withdrawal" in lines[2]
    assert f"移动；自 {old}" in lines[3]
    assert "公示日期：2024-03-06" in result.out and "撤回日期：2024-05-09" in result.out
    data = gongshi("history", new, "--format", "json").json()
    assert data["published"]["date"] == "2024-03-06"
    assert data["withdrawn"]["date"] == "2024-05-09"
    assert [c["status"] for c in data["changes"]] == ["added", "modified", "renamed"]
    assert data["changes"][1]["added"] == ["withdrawal"]
    assert data["changes"][2]["old_path"] == old
    assert len(data["changes"][0]["commit"]) == 40


def test_history_of_a_chinese_path(clean: Repo, gongshi: Run) -> None:
    clean.commit({"content/pages/关于本平台.md": "# 关于\n"}, "2024-02-01T10:00:00+08:00")
    result = gongshi("history", "content/pages/关于本平台.md", "--format", "json")
    assert result.code == 0 and result.json()["path"] == "content/pages/关于本平台.md"


def test_history_of_unpublished_and_unknown_paths(clean: Repo, gongshi: Run) -> None:
    path = decision_path(9, 2024)
    clean.write(path, decision(9, "2024-03-05"))
    result = gongshi("history", path)
    assert result.code == 0 and "未发布" in result.out
    missing = gongshi("history", decision_path(10, 2024))
    assert missing.code == 2 and "没有" in missing.err


def test_report_refuses_a_broken_calendar(tmp_path: Path, gongshi: Run) -> None:
    """A calendar with an invalid date must not silently lose a holiday from every deadline."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2025-01-02T10:00:00+08:00")
    repo.write("content/calendar/2027.yaml", "holidays: [2027-02-30]\nworkdays: []\n")
    result = gongshi("report", "--content", str(tmp_path / "repo/content"), "--as-of", "2026-11-24")
    assert result.code == 2
    assert "calendar/2027.yaml" in result.out and "工作日历文件有错误" in result.err
