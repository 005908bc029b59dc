"""Real git repositories in temporary folders, with every date under the test's control.

A clerk's pull request is a commit on a branch, merged into ``main`` with ``--no-ff`` later than
the clerk committed: the publication date must be the merge's, never the clerk's.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"
CLERK = ("张三", "clerk@example.invalid")
MERGER = ("审核人", "reviewer@example.invalid")
AGENCY = "content/agencies/demo-bureau"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, when: str | None = None, who: tuple[str, str] = MERGER) -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": who[0],
            "GIT_AUTHOR_EMAIL": who[1],
            "GIT_COMMITTER_NAME": who[0],
            "GIT_COMMITTER_EMAIL": who[1],
        }
        if when:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    def write(self, path: str, text: str | None) -> None:
        """Write a file (repository-relative), or delete it when ``text`` is None."""
        target = self.root / path
        if text is None:
            target.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(
        self,
        files: Mapping[str, str | None],
        when: str,
        message: str = "提交",
        who: tuple[str, str] = MERGER,
    ) -> str:
        for path, text in files.items():
            self.write(path, text)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when, who=who)
        return self.git("rev-parse", "HEAD")

    def shallow_clone(self, target: Path) -> Repo:
        """A `git clone --depth 1` of this repository, as a CI checkout often is."""
        self.git("clone", "-q", "--depth", "1", f"file://{self.root}", str(target))
        clone = Repo.__new__(Repo)
        clone.root = target
        return clone

    def move(self, old: str, new: str, when: str) -> str:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
        self.git("commit", "-q", "-m", f"移动 {old}", when=when)
        return self.git("rev-parse", "HEAD")

    def pull_request(
        self, files: Mapping[str, str | None], clerk: str, merged: str, branch: str = "pr"
    ) -> tuple[str, str]:
        """A clerk's commit on ``branch`` dated ``clerk``, merged --no-ff at ``merged``.
        Returns (clerk commit, merge commit)."""
        self.git("checkout", "-q", "-b", branch)
        clerk_sha = self.commit(files, clerk, "书记员提交", who=CLERK)
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", "-m", f"合并 {branch}", branch, when=merged)
        self.git("branch", "-q", "-D", branch)
        return clerk_sha, self.git("rev-parse", "HEAD")


def mini_base() -> dict[str, str]:
    """The mini portal without its decisions: portal, agency, three officers, an adviser."""
    files = {}
    for path in sorted(MINI.rglob("*.yaml")):
        relative = path.relative_to(MINI).as_posix()
        if "/decisions/" not in relative:
            files[f"content/{relative}"] = path.read_text("utf-8")
    return files


def decision(
    number: int,
    decided_on: str,
    *,
    category: str = "行政处罚",
    extra: str = "",
) -> str:
    """A valid decision of the mini portal's agency."""
    year = decided_on[:4]
    penalty = (
        "violation: 经营超过保质期的食品\n"
        "facts: 当事人销售超过保质期的饼干。\n"
        "basis: 《中华人民共和国食品安全法》第一百二十四条。\n"
        "penalty: {kinds: [罚款], fine: 5000}\n"
        if category == "行政处罚"
        else ""
    )
    return (
        f"doc_no: 测市监决〔{year}〕{number}号\n"
        f"category: {category}\n"
        "party: {name: 东江市测试区某某有限公司, kind: 法人及非法人组织, "
        "credit_code: 91330299MA2B3C4D59}\n"
        f"{penalty}"
        "content: 决定内容。\n"
        f"decided_on: {decided_on}\n"
        'officers: ["33029900000001", "33029900000002"]\n'
        f"{extra}"
    )


def decision_path(number: int, year: int | str) -> str:
    return f"{AGENCY}/decisions/{year}/{year}-{number:03d}.yaml"


WITHDRAWAL = (
    "withdrawal:\n  cause: 撤销\n  occurred_on: {day}\n  reason: 经行政复议，原决定被撤销。\n"
)
