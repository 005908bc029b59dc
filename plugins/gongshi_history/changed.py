"""Which files under content/ changed since a revision, and which published records were deleted
(for `gongshi validate --changed-since`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import git
from gongshi_records.findings import Finding, error, warning
from gongshi_records.registry import RECORD_TYPES, Kind, place_of

from .gitlog import HistoryUnavailable, RawEntry, open_repo, raw_entries

RULE_DELETED = "record.deleted"


@dataclass(frozen=True)
class ContentChanges:
    """What changed under a content folder since a revision, committed or not, from one
    ``git diff`` and one listing of untracked files (each walks 100,000 files at scale)."""

    rev: str
    prefix: str  # the content folder, relative to the repository
    entries: list[RawEntry]  # the diff, renames detected
    untracked: list[str]
    repo: git.Repo
    ignored: list[str] = dataclasses.field(default_factory=list)  # files git is told to ignore

    @property
    def paths(self) -> set[str]:
        """Repository-relative paths changed since ``rev``: both ends of a move, untracked
        files included."""
        ends = {p for entry in self.entries for p in (entry.old_path, entry.path)}
        return ends | set(self.untracked)


def content_changes(content_dir: Path, rev: str) -> ContentChanges:
    """Raises HistoryUnavailable outside a repository or for an unknown revision."""
    repo, prefix = open_repo(content_dir)
    scope = f":(literal){prefix or '.'}"
    try:
        raw = repo.git.diff("--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", rev, "--", scope)
        # Untracked and ignored files in one walk; which are which only when there are any.
        others = _listed(repo.git.ls_files("--others", "-z", "--", scope))
        untracked = others and _listed(
            repo.git.ls_files("--others", "--exclude-standard", "-z", "--", scope)
        )
    except git.GitCommandError as exc:
        raise HistoryUnavailable(f"无法与修订 {rev} 比较：{exc.stderr.strip()}") from exc
    entries = list(raw_entries(str(raw).split("\0")))
    ignored = sorted(set(others) - set(untracked))
    return ContentChanges(rev, prefix, entries, untracked, repo, ignored)


def _listed(output: object) -> list[str]:
    return [p for p in str(output).split("\0") if p]


class GitContent:
    """What git says of a content folder, for the corpus index (gongshi_records.validate's
    GitState): the commit checked out, and the files that differ from a commit. The changes
    since a revision are listed once (``changes``) and reused for the same commit. Given
    ``since``, git lists the changes since that revision in a thread from the start, while
    the check reads the corpus index (both take a third of a second at 100,000 files)."""

    def __init__(self, content_dir: Path, since: str | None = None) -> None:
        self.content_dir, self.since = content_dir, since
        self._listed: dict[str, ContentChanges] = {}  # by commit id
        self._pending: Future[ContentChanges] | None = None
        self._pool: ThreadPoolExecutor | None = None
        if since is not None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="gongshi-changes")
            self._pending = self._pool.submit(content_changes, content_dir, since)

    def changed_paths(self) -> set[str]:
        """ContentChanges.paths since ``since``. Raises HistoryUnavailable."""
        if self.since is None:
            raise ValueError("GitContent without a revision to compare with")
        return self.changes(self.since).paths

    def changes(self, rev: str) -> ContentChanges:
        """content_changes since ``rev``. Raises HistoryUnavailable."""
        if rev == self.since and self._pending is not None:
            try:
                changes = self._pending.result()  # what content_changes raised, raised here
            finally:
                if self._pool is not None:  # joined: a process with a thread cannot fork
                    self._pool.shutdown(wait=True)
                    self._pool = None
        else:
            changes = content_changes(self.content_dir, rev)
        commit = _commit_of(changes.repo, rev)
        if commit is not None:
            self._listed[commit] = changes
        return changes

    def head(self) -> str | None:
        try:
            repo, _prefix = open_repo(self.content_dir)
        except (HistoryUnavailable, ValueError):  # ValueError: content linked from elsewhere
            return None
        return _commit_of(repo, "HEAD")

    def changed_since(self, commit: str) -> set[str] | None:
        try:
            changes = self._listed.get(commit) or self.changes(commit)
        except (HistoryUnavailable, git.GitError, OSError, ValueError):
            return None  # no git to ask (not installed, not a repository): no index
        paths = changes.paths | set(changes.ignored)
        start = f"{changes.prefix}/" if changes.prefix else ""
        return {p.removeprefix(start) for p in paths if p.startswith(start)}


def _commit_of(repo: git.Repo, rev: str) -> str | None:
    try:
        return str(repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")).strip() or None
    except (git.GitError, OSError):
        return None


# Deleting what the public has seen: a decision is withdrawn with a public reason instead
# (行政处罚法第四十八条); an officer who leaves keeps the record with status 离岗 or 注销, so
# the public can still check who made the decisions. Other published records may go (an
# abolished power-list item), but a reviewer should see it: a warning.
_INSTEAD: Mapping[str, str] = {
    Kind.DECISION: "改用 gongshi withdraw 添加撤下说明并公开理由（《行政处罚法》第四十八条）",
    Kind.OFFICER: "改为把证件状态 status 写成“离岗”或“注销”并填写 status_since，"
    "公众仍能核对他经办过的决定",
}


@dataclass(frozen=True)
class Deleted:
    path: str  # repository-relative, as in findings
    kind: str


def deleted_records(content_dir: Path, rev: str) -> list[Deleted]:
    """Records under ``content_dir`` that ``rev`` has and the working tree no longer has: deleted
    or moved somewhere that is not a record of the same type. A move git detects as a rename
    (staged or not) to another valid place of the same type is not a deletion. Raises
    HistoryUnavailable outside a repository or for an unknown revision."""
    return deleted_since(content_changes(content_dir, rev))


def deleted_since(changes: ContentChanges) -> list[Deleted]:
    """deleted_records of the changes already listed."""
    prefix = changes.prefix
    gone: dict[str, str | None] = {}  # old path -> its blob, for moves not yet added to git
    for entry in changes.entries:
        old, new, status = entry.old_path, entry.path, entry.letter
        if status == "D" or (status == "R" and _kind(prefix, new) != _kind(prefix, old)):
            gone[old] = entry.old_blob if status == "D" else None
    moved = _blobs_of(changes.repo, changes.untracked, prefix) if gone else []
    return [
        Deleted(path, kind)
        for path, blob in sorted(gone.items())
        if (kind := _kind(prefix, path)) is not None
        and not (blob and any(b == blob and _kind(prefix, p) == kind for p, b in moved))
    ]


def _blobs_of(repo: git.Repo, paths: list[str], prefix: str) -> list[tuple[str, str]]:
    """(path, blob id) of the untracked record files among ``paths``, in one git call."""
    records = [p for p in paths if _kind(prefix, p) is not None]
    if not records:
        return []
    root = Path(repo.working_tree_dir or ".")
    ids = str(repo.git.hash_object("--", *(str(root / p) for p in records))).split()
    return list(zip(records, ids, strict=True))


def _kind(prefix: str, path: str) -> str | None:
    relative = path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else path
    if prefix and relative == path:
        return None  # outside the content folder
    place = place_of(relative)
    return place.kind if place else None


def deletion_findings(changes: ContentChanges) -> list[Finding]:
    """``record.deleted`` for every published record removed since the changes' revision: an
    error for decisions and officers (say what to do instead), a warning for other public
    records."""
    findings, rev = [], changes.rev
    for gone in deleted_since(changes):
        record_type = RECORD_TYPES[Kind(gone.kind)]
        if record_type.page is None:
            continue  # portal settings, calendars: not shown to the public as records
        instead = _INSTEAD.get(gone.kind)
        restore = f"恢复方法：git checkout {rev} -- {gone.path}"
        if instead:
            message = f"已公示的{record_type.label}不能删除：请恢复此文件，{instead}。{restore}"
            findings.append(error(gone.path, 1, 1, RULE_DELETED, message))
        else:
            message = (
                f"删除了 {rev} 中已有的{record_type.label}，网站上将不再显示："
                f"请确认确应删除，误删请{restore}"
            )
            findings.append(warning(gone.path, 1, 1, RULE_DELETED, message))
    return findings
