"""One ``git log --first-parent`` walk over the publishing branch (DESIGN.md, "Dates come
from git").

The walk reads, in a single git process, every first-parent commit that touched the content
folder, with its committer date, author and the raw diff against its first parent (``-m``): for a
merged pull request that is the merge commit, dated when it was merged, never the clerk's own
older commits. ``-M`` follows renames and moves; ``-z`` keeps every path (Chinese included)
byte-exact. The result is one :class:`Lineage` per record: its versions, oldest first, each with
the blob of the file at that commit, so later steps read file contents in one batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import IO

import git

# Legal deadlines run in China Standard Time; a merge at 23:30 UTC is published the next day.
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")

# Record separator before each commit, field separator inside its header.
_RS, _FS = "\x1e", "\x1f"
_FORMAT = _RS + _FS.join(("%H", "%ct", "%aN", "%aE", "%s"))


class HistoryUnavailable(Exception):
    """No git history can be read (not a repository, unknown revision): a Chinese message."""


class ShallowClone(HistoryUnavailable):
    """A shallow clone: the walk would start at an arbitrary commit and date every record by it."""

    def __init__(self, root: Path) -> None:
        super().__init__(
            f"{root} 是浅克隆（shallow clone），只含最近的提交：按它计算的公示日期、撤回日期和"
            "修订记录都会是错的（较早发布的记录会被当作在最早一个可见提交中才发布）。"
            "正式发布必须使用完整历史：执行 git fetch --unshallow，"
            "或在 CI 中完整检出（例如 actions/checkout 的 fetch-depth: 0）"
        )


class Status(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    RENAMED = "renamed"
    DELETED = "deleted"


STATUS_LABELS = {
    Status.ADDED: "新增",
    Status.MODIFIED: "修改",
    Status.RENAMED: "移动",
    Status.DELETED: "删除",
}


@dataclass(frozen=True)
class Commit:
    """A first-parent commit: for a merged pull request, the merge (its author is the merger)."""

    sha: str
    when: dt.datetime  # committer date, in China Standard Time
    author: str
    email: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    @cached_property
    def date(self) -> dt.date:
        # Asked 400,000 times a build at scale (publication dates, deadlines, timelines).
        return self.when.date()


@dataclass(frozen=True)
class Version:
    """What one commit did to one record's file."""

    commit: Commit
    status: Status
    path: str  # repository-relative path after the commit
    old_path: str | None  # before a move/rename
    blob: str | None  # the file's content at this commit (None once deleted)
    old_blob: str | None  # the file's content before the commit (None when added)


@dataclass
class Lineage:
    """Every version of one record, oldest first, across renames, deletions and restorations."""

    versions: list[Version] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.versions[-1].path

    @property
    def published(self) -> Commit:
        """The first first-parent commit that contained the record."""
        return self.versions[0].commit

    @property
    def deleted(self) -> bool:
        return self.versions[-1].status is Status.DELETED


@dataclass
class GitLog:
    """The outcome of the walk: lineages by current path, and those of deleted records."""

    root: Path  # the repository's work tree
    prefix: str  # the content folder, relative to root ("" when it is the root)
    rev: str
    head: str | None  # the commit walked from; None in a repository without commits
    shallow: bool
    live: dict[str, Lineage] = field(default_factory=dict)
    deleted: dict[str, Lineage] = field(default_factory=dict)  # by last path


def open_repo(content_dir: Path) -> tuple[git.Repo, str]:
    """The repository holding ``content_dir`` and the folder's path inside it."""
    try:
        repo = git.Repo(content_dir, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryUnavailable(
            f"{content_dir} 不在 git 仓库中：公示日期、撤回日期和修订记录都取自 git 历史"
        ) from exc
    root = Path(repo.working_tree_dir or content_dir).resolve()
    prefix = content_dir.resolve().relative_to(root).as_posix()
    return repo, "" if prefix == "." else prefix


def is_shallow(repo: git.Repo) -> bool:
    return str(repo.git.rev_parse("--is-shallow-repository")).strip() == "true"


def _head(repo: git.Repo, rev: str) -> str | None:
    try:
        return str(repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")).strip()
    except git.GitCommandError as exc:
        if rev == "HEAD":
            return None  # a repository without commits: nothing is published yet
        raise HistoryUnavailable(f"找不到发布分支的修订 {rev}") from exc


class Walking:
    """The whole first-parent history of the folder ``prefix``, read in one git process, begun:
    the process started, its output read by ``result()``. ``publish`` refuses a shallow clone
    (:class:`ShallowClone`); a preview accepts it and marks the result ``shallow`` so callers
    can say the dates are unreliable.

    A build starts it before reading the records, which takes longer than git at 100,000
    decisions (4-6 s of the one process of a rebuild after one change), and reads it after.
    Git writes to a temporary file, not a pipe: nothing here has to read while it runs (a
    thread reading the pipe would stop the build forking its workers: forking.can_fork). Used
    as a context manager, or ``close()``: a walk begun and never read is stopped and its file
    removed."""

    def __init__(self, repo: git.Repo, prefix: str, rev: str = "HEAD", *, publish: bool = False):
        shallow = is_shallow(repo)
        root = Path(repo.working_tree_dir or ".").resolve()
        if shallow and publish:
            raise ShallowClone(root)
        self.log = GitLog(root, prefix, rev, _head(repo, rev), shallow)
        self._held = contextlib.ExitStack()  # the process and its files, until read
        self._process: subprocess.Popen[bytes] | None = None
        self._problem: HistoryUnavailable | None = None  # what result() raises, once known
        if self.log.head is None:
            return
        try:
            # Held by the exit stack, closed with it.
            out, err = (self._held.enter_context(tempfile.TemporaryFile()) for _ in "12")  # noqa: SIM115
            self._process = subprocess.Popen(
                [
                    git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git",
                    *_log_arguments(self.log.head, prefix),
                ],
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        except BaseException as exc:
            self._held.close()
            if isinstance(exc, OSError):  # no temporary file (TMPDIR), no git, no process
                raise HistoryUnavailable(f"无法运行 git log（{exc.strerror or exc}）") from exc
            raise
        self._held.callback(_stopped, self._process)
        self._files = out, err

    def result(self) -> GitLog:
        """The walk, once git has written it."""
        if self._problem is not None:
            raise self._problem
        if self._process is None:
            return self.log
        code = self._process.wait()
        raw, problem = (_read_back(file) for file in self._files)
        self._process = None
        self.close()
        if code != 0:  # a missing object, a full temporary folder …: the same answer each time
            message = problem.decode("utf-8", "replace").strip()
            self._problem = HistoryUnavailable(f"git log 未能读出 {self.log.rev} 的历史：{message}")
            raise self._problem
        for commit, entries in parse_log(raw.decode("utf-8", "surrogateescape")):
            for version in entries:
                _apply(self.log, commit, version)
        return self.log

    def close(self) -> None:
        if self._process is not None:  # closed before its log was read: never half a history
            self._problem = HistoryUnavailable(f"git log 在读出 {self.log.rev} 的历史前已被停止")
        self._process = None
        self._held.close()

    def __enter__(self) -> Walking:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _stopped(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def _read_back(file: IO[bytes]) -> bytes:
    file.seek(0)
    return file.read()


def _log_arguments(head: str, prefix: str) -> list[str]:
    return [
        "log",
        "--first-parent",
        "-m",  # show a merge's diff against its first parent: what the merge published
        "-M",
        "--root",  # the first commit's files too, whatever log.showRoot says
        "--raw",
        "--no-abbrev",
        "-z",
        "--reverse",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        f"--format={_FORMAT}",
        head,
        "--",
        f":(literal){prefix or '.'}",
    ]


def parse_log(text: str) -> Iterator[tuple[Commit, list[Version]]]:
    """Commits with their raw diff entries, from ``git log -z --raw --format=<_FORMAT>``."""
    for chunk in text.split(_RS)[1:]:
        header, _, body = chunk.partition("\0")
        sha, stamp, author, email, subject = header.split(_FS, 4)
        when = dt.datetime.fromtimestamp(int(stamp), CHINA_TIME)
        commit = Commit(sha, when, author, email, subject)
        yield commit, list(_entries(commit, body.lstrip("\n").split("\0")))


def _entries(commit: Commit, tokens: list[str]) -> Iterator[Version]:
    for entry in raw_entries(tokens):
        yield _version(
            commit, entry.letter, entry.path, entry.old_path, entry.old_blob, entry.new_blob
        )


@dataclass(frozen=True)
class RawEntry:
    """One line of ``git log/diff --raw -z``: a status letter, paths and blob ids."""

    letter: str  # A, C, D, M, R, T
    old_path: str
    path: str
    old_blob: str
    new_blob: str


def raw_entries(tokens: list[str]) -> Iterator[RawEntry]:
    """The entries of ``--raw -z`` output split at NUL (a rename or copy has two paths)."""
    i = 0
    while i < len(tokens):
        meta = tokens[i]
        if not meta.startswith(":"):
            i += 1
            continue
        _old_mode, _new_mode, old_blob, new_blob, code = meta[1:].split(" ")
        letter = code[0]
        if letter in "RC":
            old_path, path = tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            old_path, path = tokens[i + 1], tokens[i + 1]
            i += 2
        yield RawEntry(letter, old_path, path, old_blob, new_blob)


def _version(
    commit: Commit, letter: str, path: str, old_path: str, old_blob: str, new_blob: str
) -> Version:
    old = None if set(old_blob) == {"0"} else old_blob
    new = None if set(new_blob) == {"0"} else new_blob
    if letter == "A" or letter == "C":
        return Version(commit, Status.ADDED, path, None, new, None)
    if letter == "D":
        return Version(commit, Status.DELETED, path, None, None, old)
    if letter == "R":
        return Version(commit, Status.RENAMED, path, old_path, new, old)
    return Version(commit, Status.MODIFIED, path, None, new, old)  # M, T


def _apply(log: GitLog, commit: Commit, version: Version) -> None:
    """Attach one version to its lineage; commits arrive oldest first."""
    if version.status is Status.ADDED:
        # A record deleted earlier and restored at the same path keeps its old history.
        lineage = log.deleted.pop(version.path, Lineage())
        lineage.versions.append(version)
        log.live[version.path] = lineage
    elif version.status is Status.RENAMED:
        lineage = log.live.pop(version.old_path or "", Lineage())
        lineage.versions.append(version)
        log.live[version.path] = lineage
    elif version.status is Status.DELETED:
        lineage = log.live.pop(version.path, Lineage())
        lineage.versions.append(version)
        log.deleted[version.path] = lineage
    else:
        log.live.setdefault(version.path, Lineage()).versions.append(version)
