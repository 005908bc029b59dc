"""The data version every page states in its footer, in words instead of a bare commit hash.

"数据版本：2026年11月20日更新（序号 57，编号 ac27c27bc3）": the day the content last changed on the
publishing branch (the newest first-parent commit that touched content/), then the statement's
serial and commit exactly as SHA256SUMS.json and verify.html give them, so a reader can match
the page with the signed statement. Everything comes from git and the build, never from a clock:
one commit built twice gives the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from gongshi_history.trail import History

from .markup import date_zh

# As long as the 修订记录 tables write a commit (gongshi_history's Commit.short).
SHORT_COMMIT = 10


class Seal(Protocol):
    """What the version needs of gongshi_trust's Provenance (the `trust` template variable)."""

    @property
    def commit(self) -> str | None: ...
    @property
    def uncommitted(self) -> bool: ...
    @property
    def serial(self) -> int: ...


def last_content_change(history: History | None) -> dt.date | None:
    """The date of the newest first-parent commit that changed a file under content/ (a record,
    a deleted one, a Markdown page)."""
    if history is None:
        return None
    log = history.log
    dates = [
        lineage.versions[-1].commit.date
        for lineage in (*log.live.values(), *log.deleted.values())
        if lineage.versions
    ]
    return max(dates, default=None)


def version_label(seal: Seal | None, history: History | None) -> str:
    """The footer's words for this build's data version."""
    if seal is None:
        return ""
    if seal.commit is None:
        why = "含未提交的修改" if seal.uncommitted else "未在 git 仓库中生成"
        return f"数据版本：预览（{why}，不对应任何已发布的版本）"
    number = f"序号 {seal.serial}，编号 {seal.commit[:SHORT_COMMIT]}"
    changed = last_content_change(history)
    if changed is None:  # no history read (a preview that could not read it)
        return f"数据版本：{number}"
    return f"数据版本：{date_zh(changed)}更新（{number}）"
