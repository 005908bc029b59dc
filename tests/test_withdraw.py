"""`gongshi withdraw` on real repositories: the withdrawal is appended, the rest of the file
stays byte for byte, and what would not validate or was never published is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gitrepo import AGENCY, Repo, decision, decision_path, mini_base
from gongshi_records.yamlload import load_path

Run = Callable[..., Result]

# A decision as clerks write them: comments, a blank line, flow style, no final newline.
HANDWRITTEN = (
    "# 原始记录：请勿改动本注释\n"
    + decision(1, "2024-03-05")
    + "\n# 承办：执法一队\npublicity_until: 2027-03-05"
)
PATH = decision_path(1, 2024)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The mini portal with decision 1 of 2024 merged on main."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    repo.pull_request({PATH: HANDWRITTEN}, "2024-03-05T09:00:00+08:00", "2024-03-06T16:00:00+08:00")
    monkeypatch.chdir(repo.root)
    return repo


def withdraw(
    gongshi: Run, path: str, *extra: str, reason: str = "经行政复议，原决定被撤销。"
) -> Result:
    args = ["--cause", "撤销", "--occurred-on", "2024-05-06", "--reason", reason]
    return gongshi("withdraw", path, *args, *extra)


def test_appends_the_withdrawal_and_keeps_every_byte(repo: Repo, gongshi: Run) -> None:
    before = (repo.root / PATH).read_bytes()
    result = withdraw(gongshi, PATH)
    assert result.code == 0, result.out + result.err
    assert result.out == PATH + "\n"
    after = (repo.root / PATH).read_bytes()
    assert (
        after
        == before
        + (
            "\nwithdrawal:\n  cause: 撤销\n  occurred_on: 2024-05-06\n"
            '  reason: "经行政复议，原决定被撤销。"\n'
        ).encode()
    )
    data = load_path(repo.root / PATH).data
    assert data["withdrawal"] == {
        "cause": "撤销",
        "occurred_on": "2024-05-06",
        "reason": "经行政复议，原决定被撤销。",
    }
    assert gongshi("validate").code == 0


def test_withdrawal_date_comes_from_the_merge(repo: Repo, gongshi: Run) -> None:
    assert withdraw(gongshi, PATH).code == 0
    repo.git("checkout", "-q", "-b", "withdraw")
    repo.commit({}, "2024-05-07T09:00:00+08:00", "撤下")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "合并", "withdraw", when="2024-05-08T16:00:00+08:00")
    result = gongshi("history", PATH)
    assert "撤回日期：2024-05-08" in result.out, result.out


TRICKY = [
    '冒号: 井号 # 引号 " 反斜杠 \\ 结尾',
    "- 看起来像列表\n第二行: 有冒号\n\n  缩进的第四行 # 不是注释",
    "{看起来像映射}",
    "null",
    "2024-05-06",
    "制表\t符",
]


@pytest.mark.parametrize("reason", TRICKY)
def test_any_reason_reads_back_as_written(repo: Repo, gongshi: Run, reason: str) -> None:
    result = withdraw(gongshi, PATH, reason=reason)
    assert result.code == 0, result.out + result.err
    assert load_path(repo.root / PATH).data["withdrawal"]["reason"] == reason


def test_multi_line_reason_is_a_literal_block(repo: Repo, gongshi: Run) -> None:
    assert withdraw(gongshi, PATH, reason="  第一行\r\n第二行  \n").code == 0
    text = (repo.root / PATH).read_text("utf-8")
    assert text.endswith("  reason: |-\n    第一行\n    第二行\n")


def test_crlf_file_gets_crlf_lines(repo: Repo, gongshi: Run) -> None:
    crlf = HANDWRITTEN.replace("\n", "\r\n") + "\r\n"
    repo.commit({PATH: crlf}, "2024-03-07T10:00:00+08:00")
    assert withdraw(gongshi, PATH).code == 0
    raw = (repo.root / PATH).read_bytes()
    assert raw.startswith(crlf.encode()) and b"\n" not in raw.replace(b"\r\n", b"")


def test_already_withdrawn_is_refused(repo: Repo, gongshi: Run) -> None:
    assert withdraw(gongshi, PATH).code == 0
    before = (repo.root / PATH).read_bytes()
    result = withdraw(gongshi, PATH)
    assert result.code == 2
    assert "已经有撤下说明" in result.err
    assert (repo.root / PATH).read_bytes() == before


def test_only_decisions_are_withdrawn(repo: Repo, gongshi: Run) -> None:
    officer = f"{AGENCY}/officers/33029900000001.yaml"
    before = (repo.root / officer).read_bytes()
    result = withdraw(gongshi, officer)
    assert result.code == 2
    assert "是执法人员：只有执法决定可以撤下公示" in result.err
    assert (repo.root / officer).read_bytes() == before
    assert withdraw(gongshi, "content/portal.yaml").code == 2
    outside = repo.root / "elsewhere.yaml"
    outside.write_text(HANDWRITTEN, "utf-8")
    result = withdraw(gongshi, str(outside))
    assert result.code == 2 and "不在内容目录" in result.err


def test_unpublished_decision_is_deleted_not_withdrawn(repo: Repo, gongshi: Run) -> None:
    path = decision_path(2, 2024)
    repo.write(path, decision(2, "2024-04-01"))
    result = withdraw(gongshi, path)
    assert result.code == 2
    assert "还没有合并进发布分支，从未公示过" in result.err and "直接删除" in result.err
    assert "withdrawal" not in (repo.root / path).read_text("utf-8")


def test_withdrawal_that_would_not_validate_writes_nothing(repo: Repo, gongshi: Run) -> None:
    before = (repo.root / PATH).read_bytes()
    result = gongshi(
        "withdraw", PATH, "--cause", "撤销", "--occurred-on", "2024-03-01", "--reason", "撤销"
    )
    assert result.code == 1
    assert f"{PATH}:" in result.out and "[date.order] 撤回事由发生日 2024-03-01 早于决定日期" in (
        result.out
    )
    assert "未作任何修改" in result.err
    assert (repo.root / PATH).read_bytes() == before


def test_existing_errors_do_not_block_the_withdrawal(repo: Repo, gongshi: Run) -> None:
    broken = HANDWRITTEN.replace("content: 决定内容。", 'content: ""')
    repo.commit({PATH: broken}, "2024-03-07T10:00:00+08:00")
    result = withdraw(gongshi, PATH)
    assert result.code == 0, result.out + result.err
    assert "原有 1 个错误（与撤下无关）" in result.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--cause", "撤销", "--occurred-on", "2024-05-06", "--reason", " \n "), "不能为空"),
        (("--cause", "作废", "--occurred-on", "2024-05-06", "--reason", "x"), "invalid choice"),
        (("--cause", "撤销", "--occurred-on", "2024-02-30", "--reason", "x"), "YYYY-MM-DD"),
    ],
)
def test_bad_arguments(repo: Repo, gongshi: Run, argv: tuple[str, ...], message: str) -> None:
    before = (repo.root / PATH).read_bytes()
    result = gongshi("withdraw", PATH, *argv)
    assert result.code == 2
    assert message in result.err
    assert (repo.root / PATH).read_bytes() == before


def test_future_event_is_refused(repo: Repo, gongshi: Run) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    result = gongshi(
        "withdraw", PATH, "--cause", "撤销", "--occurred-on", tomorrow, "--reason", "x"
    )
    assert result.code == 2 and "晚于今天" in result.err


def test_content_outside_git_is_a_usage_error(mini: Path, gongshi: Run) -> None:
    path = "content/agencies/demo-bureau/decisions/2026/2026-001.yaml"
    before = Path(path).read_bytes()
    result = withdraw(gongshi, path)
    assert result.code == 2
    assert "不在 git 仓库中" in result.err and "不能撤下" in result.err
    assert Path(path).read_bytes() == before
