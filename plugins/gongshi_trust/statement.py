"""SHA256SUMS.json: the statement a build makes about its manifest, and its signature.

Canonical JSON (sorted keys, no spaces, ASCII only, one final newline), so one commit and one
as-of date give the same bytes on every machine, and an Ed25519 signature over those bytes
(SHA256SUMS.sig, the raw 64 bytes) is the same too. Fields:

- ``version``: 1, the format of this statement;
- ``commit``: HEAD of the git repository holding the content (null outside git, and null when
  the content folder has uncommitted or untracked changes: the site is then no commit's);
- ``uncommitted``: true when the content folder had uncommitted or untracked changes (a preview
  of work in progress; a publish build refuses uncommitted records before it gets here);
- ``as_of``: the build's date (``gongshi build --as-of``);
- ``serial``: the number of first-parent commits up to HEAD (0 outside git): it only
  increases along the publishing branch, so a mirror serving an older one has rolled back;
- ``expires``: as_of + GONGSHI["trust"]["statement_days"]; a mirror whose statement is past
  this date has stopped updating;
- ``manifest_sha256``: the SHA-256 of SHA256SUMS;
- ``site_url``: SITEURL when set, else null.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import git
from gongshi_history.gitlog import HistoryUnavailable, open_repo

VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True)
class Statement:
    version: int
    commit: str | None
    uncommitted: bool
    as_of: dt.date
    serial: int
    expires: dt.date
    manifest_sha256: str
    site_url: str | None

    def canonical(self) -> bytes:
        fields: dict[str, Any] = asdict(self)
        fields["as_of"] = self.as_of.isoformat()
        fields["expires"] = self.expires.isoformat()
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return (text + "\n").encode("ascii")


class StatementInvalid(ValueError):
    """The statement file is not one this version writes (a Chinese message)."""


@dataclass(frozen=True)
class Origin:
    """Which commit the content is: ``commit`` is None outside git or when ``uncommitted``."""

    commit: str | None
    serial: int
    uncommitted: bool


def provenance(content: Path) -> Origin:
    """The content repository's HEAD commit and its first-parent commit count; a content folder
    with uncommitted or untracked (not ignored) changes is no commit, so it names none."""
    try:
        repo, prefix = open_repo(content)
    except HistoryUnavailable:
        return Origin(None, 0, uncommitted=False)
    scope = f":(literal){prefix or '.'}"
    try:
        changes = str(repo.git.status("--porcelain", "-z", "--untracked-files=all", "--", scope))
        commit = str(repo.git.rev_parse("--verify", "--quiet", "HEAD^{commit}")).strip()
        count = str(repo.git.rev_list("--first-parent", "--count", "HEAD")).strip()
    except git.GitCommandError:
        return Origin(None, 0, uncommitted=True)  # a repository without commits yet
    if changes:
        return Origin(None, int(count), uncommitted=True)
    return Origin(commit, int(count), uncommitted=False)


def parse_statement(data: bytes) -> Statement:
    """The statement in ``data``; :class:`StatementInvalid` when it is not a valid one."""
    try:
        fields = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise StatementInvalid("SHA256SUMS.json 不是有效的 JSON") from exc
    if not isinstance(fields, dict) or set(fields) != set(Statement.__dataclass_fields__):
        raise StatementInvalid(
            "SHA256SUMS.json 的字段应为 "
            + "、".join(sorted(Statement.__dataclass_fields__))
            + "，不多不少"
        )
    problems = _field_problems(fields)
    if problems:
        raise StatementInvalid("SHA256SUMS.json 中" + "；".join(problems))
    return Statement(
        version=fields["version"],
        commit=fields["commit"],
        uncommitted=fields["uncommitted"],
        as_of=dt.date.fromisoformat(fields["as_of"]),
        serial=fields["serial"],
        expires=dt.date.fromisoformat(fields["expires"]),
        manifest_sha256=fields["manifest_sha256"],
        site_url=fields["site_url"],
    )


def _field_problems(fields: dict[str, Any]) -> list[str]:
    problems = []
    if fields["version"] != VERSION or isinstance(fields["version"], bool):
        problems.append(f"version 应为 {VERSION}")
    commit = fields["commit"]
    if commit is not None and not (isinstance(commit, str) and _COMMIT.fullmatch(commit)):
        problems.append("commit 应为 git 提交号或 null")
    if not isinstance(fields["uncommitted"], bool):
        problems.append("uncommitted 应为 true 或 false")
    elif fields["uncommitted"] and commit is not None:
        problems.append("含未提交修改（uncommitted 为 true）时 commit 应为 null")
    for name in ("as_of", "expires"):
        if not (isinstance(fields[name], str) and _is_date(fields[name])):
            problems.append(f"{name} 应为 YYYY-MM-DD 日期")
    serial = fields["serial"]
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 0:
        problems.append("serial 应为不小于 0 的整数")
    digest = fields["manifest_sha256"]
    if not (isinstance(digest, str) and _HEX64.fullmatch(digest)):
        problems.append("manifest_sha256 应为 64 位小写十六进制")
    if fields["site_url"] is not None and not isinstance(fields["site_url"], str):
        problems.append("site_url 应为字符串或 null")
    return problems


def _is_date(text: str) -> bool:
    try:
        return len(text) == 10 and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False
