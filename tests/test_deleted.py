"""`gongshi validate --changed-since REV`: a published record deleted since REV is an error that
says to withdraw it instead; records REV never had, and moves git sees as renames, are fine."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gitrepo import AGENCY, Repo, decision, decision_path, mini_base
from gongshi_history.changed import Deleted, deleted_records

Run = Callable[..., Result]
FIRST, SECOND = decision_path(1, 2024), decision_path(2, 2024)
STATISTICS = f"{AGENCY}/statistics/2024.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Two decisions and the 2024 statistics merged on main; work goes on in branch ``pr``."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    published = {
        FIRST: decision(1, "2024-03-05"),
        SECOND: decision(2, "2024-04-01"),
        STATISTICS: "year: 2024\n",
    }
    repo.pull_request(published, "2024-04-01T09:00:00+08:00", "2024-04-02T16:00:00+08:00")
    repo.git("checkout", "-q", "-b", "pr")
    monkeypatch.chdir(repo.root)
    return repo


def validate(gongshi: Run) -> Result:
    return gongshi("validate", "--changed-since", "main")


def test_deleting_a_published_decision_is_an_error(repo: Repo, gongshi: Run) -> None:
    repo.write(FIRST, None)  # deleted in the working tree, not even staged
    result = validate(gongshi)
    assert result.code == 1
    line = f"{FIRST}:1:1: error [record.deleted] 已公示的执法决定不能删除：请恢复此文件，改用"
    line += " gongshi withdraw 添加撤下说明"
    assert line in result.out, result.out
    assert "《行政处罚法》第四十八条" in result.out
    assert f"git checkout main -- {FIRST}" in result.out
    assert SECOND not in result.out


def test_committed_deletion_is_an_error_too(repo: Repo, gongshi: Run) -> None:
    repo.commit({FIRST: None}, "2024-05-01T10:00:00+08:00", "删除")
    result = validate(gongshi)
    assert result.code == 1
    assert f"{FIRST}:1:1: error [record.deleted]" in result.out


def test_withdrawing_instead_is_fine(repo: Repo, gongshi: Run) -> None:
    args = ("--cause", "撤销", "--occurred-on", "2024-05-06", "--reason", "原决定被撤销。")
    assert gongshi("withdraw", FIRST, *args).code == 0
    result = validate(gongshi)
    assert result.code == 0, result.out
    assert "record.deleted" not in result.out


def test_deleting_what_rev_never_had_is_fine(repo: Repo, gongshi: Run) -> None:
    third = decision_path(3, 2024)
    repo.commit({third: decision(3, "2024-04-20")}, "2024-04-21T10:00:00+08:00")
    repo.commit({third: None}, "2024-04-22T10:00:00+08:00")
    repo.write(decision_path(4, 2024), decision(4, "2024-04-20"))
    repo.write(decision_path(4, 2024), None)
    result = validate(gongshi)
    assert result.code == 0, result.out
    assert deleted_records(repo.root / "content", "main") == []


def test_staged_rename_is_not_a_deletion(repo: Repo, gongshi: Run) -> None:
    repo.git("mv", FIRST, decision_path(9, 2024))
    result = validate(gongshi)
    assert "record.deleted" not in result.out, result.out


def test_unstaged_move_is_not_a_deletion(repo: Repo, gongshi: Run) -> None:
    shutil.move(repo.root / FIRST, repo.root / decision_path(9, 2024))
    assert deleted_records(repo.root / "content", "main") == []
    assert "record.deleted" not in validate(gongshi).out


def test_committed_rename_with_an_edit_is_not_a_deletion(repo: Repo) -> None:
    text = (repo.root / FIRST).read_text("utf-8") + "title: 对某公司的行政处罚\n"
    repo.commit({FIRST: None, decision_path(9, 2024): text}, "2024-05-01T10:00:00+08:00")
    assert deleted_records(repo.root / "content", "main") == []


@pytest.mark.parametrize(
    "target", ["archive/2024-001.yaml", f"{AGENCY}/decisions/old/2024-001.yaml"]
)
def test_moving_out_of_the_records_is_a_deletion(repo: Repo, target: str) -> None:
    (repo.root / target).parent.mkdir(parents=True, exist_ok=True)
    repo.git("mv", FIRST, target)
    gone = deleted_records(repo.root / "content", "main")
    assert gone == [Deleted(FIRST, "decision")]


def test_deleting_an_officer_is_an_error(repo: Repo, gongshi: Run) -> None:
    officer = f"{AGENCY}/officers/33029900000003.yaml"
    repo.write(officer, None)
    result = validate(gongshi)
    assert result.code == 1
    assert f"{officer}:1:1: error [record.deleted] 已公示的执法人员不能删除" in result.out
    assert "“离岗”或“注销”" in result.out


def test_deleting_other_public_records_is_a_warning(repo: Repo, gongshi: Run) -> None:
    repo.write(STATISTICS, None)
    result = validate(gongshi)
    assert result.code == 0, result.out
    assert f"{STATISTICS}:1:1: warning [record.deleted] 删除了 main 中已有的年度统计" in result.out


def test_paths_filter_keeps_deletions_under_it(repo: Repo, gongshi: Run) -> None:
    repo.write(FIRST, None)
    repo.write(STATISTICS, None)
    result = gongshi("validate", f"{AGENCY}/decisions", "--changed-since", "main")
    assert FIRST in result.out and STATISTICS not in result.out


def test_content_folder_as_repository_root(tmp_path: Path, gongshi: Run) -> None:
    repo = Repo(tmp_path / "content")
    files = {path.removeprefix("content/"): text for path, text in mini_base().items()}
    repo.commit(files, "2024-01-02T10:00:00+08:00")
    officer = "agencies/demo-bureau/officers/33029900000001.yaml"
    repo.write(officer, None)
    assert deleted_records(repo.root, "HEAD") == [Deleted(officer, "officer")]


def test_unknown_revision_is_a_usage_error(repo: Repo, gongshi: Run) -> None:
    result = gongshi("validate", "--changed-since", "no-such-branch")
    assert result.code == 2
