"""`gongshi history PATH`: the audit trail of one record, from the publishing branch's history."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gongshi_history.gitlog import STATUS_LABELS, Commit, HistoryUnavailable
from gongshi_history.trail import Change, History, read_history

from ..common import EXIT_OK, UsageError, add_content_option, add_format_option, content_dir

NAME = "history"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="一条记录的修订记录：日期、提交人、提交、改动的字段")
    parser.add_argument("path", metavar="PATH", help="记录文件（移动或改名前后的路径均可）")
    add_content_option(parser)
    add_format_option(parser)
    parser.set_defaults(func=run)


def repo_path(history: History, path: str) -> str:
    """PATH as the history names it: relative to the repository, POSIX."""
    root = history.log.root
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path} 不在仓库 {root} 中") from None


def _commit(commit: Commit | None) -> dict[str, str] | None:
    if commit is None:
        return None
    return {"date": commit.date.isoformat(), "commit": commit.sha}


def change_dict(change: Change) -> dict[str, Any]:
    commit = change.commit
    return {
        "date": commit.date.isoformat(),
        "time": commit.when.isoformat(),
        "commit": commit.sha,
        "author": commit.author,
        "email": commit.email,
        "subject": commit.subject,
        "status": str(change.status),
        "path": change.path,
        "old_path": change.old_path,
        "added": list(change.added),
        "changed": list(change.changed),
        "removed": list(change.removed),
        "unreadable": change.unreadable,
    }


def change_line(change: Change) -> str:
    commit = change.commit
    parts = [STATUS_LABELS[change.status]]
    if change.old_path:
        parts.append(f"自 {change.old_path}")
    for label, names in (
        ("新增", change.added),
        ("修改", change.changed),
        ("删除", change.removed),
    ):
        if names:
            parts.append(f"{label} {', '.join(names)}")
    if change.unreadable:
        parts.append("该版本不是可读的记录（YAML 错误）")
    when = commit.when.strftime("%Y-%m-%d %H:%M")
    return f"{when}  {commit.short}  {commit.author} <{commit.email}>  {'；'.join(parts)}"


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    try:
        history = read_history(content)
    except HistoryUnavailable as exc:
        raise UsageError(str(exc)) from exc
    if history.shallow:
        sys.stderr.write("注意：仓库是浅克隆，较早的修订不在本地，以下记录不完整\n")
    path = repo_path(history, args.path)
    if history.lineage(path) is None:
        if Path(args.path).is_file():
            sys.stdout.write(f"{path}：未发布（还没有合并进发布分支，没有修订记录）\n")
            return EXIT_OK
        raise UsageError(f"发布分支的历史中没有 {path}")
    changes = history.changes(path)
    published, withdrawn = history.published(path), history.withdrawn(path)
    if args.format == "json":
        data = {
            "path": path,
            "published": _commit(published),
            "withdrawn": _commit(withdrawn),
            "changes": [change_dict(c) for c in changes],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    lines = [f"{path} 的修订记录（发布分支上的合并时间，北京时间）："]
    lines += [change_line(c) for c in changes]
    lines.append(f"公示日期：{published.date if published else '已删除'}")
    if withdrawn:
        lines.append(f"撤回日期：{withdrawn.date}（提交 {withdrawn.short}）")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
