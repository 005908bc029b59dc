"""What the portal asks of the history: which records are not published yet, and for every
record its publication date, withdrawal date and change list (修订记录)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import git
from gongshi_records.findings import Finding, Severity
from gongshi_records.model import Corpus, Record

from .gitlog import STATUS_LABELS, HistoryUnavailable
from .trail import History

_UNPUBLISHED = "未发布：此记录还没有合并进发布分支（git），没有公示日期"
_UNCOMMITTED = "有未提交的修改：网站上的内容必须与发布分支上经过审核合并的版本一致"


def unpublished(corpus: Corpus, history: History) -> list[Record]:
    """Records in the working tree that the publishing branch does not contain."""
    return [record for record in corpus if history.published(record.path) is None]


def uncommitted(corpus: Corpus, history: History) -> list[Record]:
    """Published records whose file in the working tree differs from the publishing branch."""
    if history.head is None:
        return []
    prefix = history.log.prefix
    try:
        repo = git.Repo(history.log.root)
        out = repo.git.diff(
            "--name-only", "-z", "--no-renames", history.head, "--", f":(literal){prefix or '.'}"
        )
    except git.GitCommandError as exc:
        raise HistoryUnavailable(f"无法比较工作区与发布分支：{exc.stderr.strip()}") from exc
    changed = set(str(out).split("\0"))
    return [r for r in corpus if r.path in changed and history.published(r.path) is not None]


def publish_findings(corpus: Corpus, history: History, *, publish: bool) -> list[Finding]:
    """未发布 and uncommitted records: errors that stop a publish build, warnings in a preview
    (where such records are shown marked 未发布)."""
    severity = Severity.ERROR if publish else Severity.WARNING
    tail = "：正式发布前请提交并合并" if publish else "（预览中标为未发布）"
    findings = [
        Finding(r.path, 1, 1, severity, "unpublished", _UNPUBLISHED + tail)
        for r in unpublished(corpus, history)
    ]
    findings += [
        Finding(r.path, 1, 1, severity, "uncommitted", _UNCOMMITTED + tail)
        for r in uncommitted(corpus, history)
    ]
    return sorted(findings)


def shown_publication_date(record: Record, history: History) -> dt.date | None:
    """The date a record page shows: a migrated record's declared ``published_on`` as declared
    (``gongshi report`` flags one history cannot confirm), otherwise the date from git."""
    declared = record.date("published_on")
    if declared is not None:
        return declared
    commit = history.published(record.path)
    return commit.date if commit else None


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a record's 修订记录."""

    date: dt.date
    commit: str  # short hash
    status: str  # 新增 | 修改 | 移动 | 删除
    fields: tuple[str, ...]
    author: str  # shown only when the show_authors setting allows it


@dataclass(frozen=True)
class Timeline:
    path: str
    published: dt.date | None  # from git: the merge that first contained the record
    withdrawn: dt.date | None  # from git: the merge that added its withdrawal
    changes: tuple[TimelineEntry, ...]  # oldest first


def record_timelines(history: History, corpus: Corpus | None = None) -> dict[str, Timeline]:
    """Every present record's publication date, withdrawal date and change list, from the one
    history pass (file contents read in one batch). Given the build's ``corpus``, the current
    version of each record is not parsed again."""
    if corpus is not None:
        history.reuse(corpus)
    timelines: dict[str, Timeline] = {}
    for path, changes in history.all_changes().items():
        published = history.published(path)
        withdrawn = history.withdrawn(path)
        entries = tuple(
            TimelineEntry(
                c.commit.date, c.commit.short, STATUS_LABELS[c.status], c.fields, c.commit.author
            )
            for c in changes
        )
        timelines[path] = Timeline(
            path,
            published.date if published else None,
            withdrawn.date if withdrawn else None,
            entries,
        )
    return timelines
