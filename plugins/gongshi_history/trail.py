"""The history of every record: publication, withdrawal and every change with its fields.

:func:`read_history` walks git once (:mod:`.gitlog`); file contents are then read in one batch
for exactly the records a question needs (:mod:`.blobs`): all decisions to find withdrawals, one
record for ``gongshi history``, every record for the portal's change lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongshi_records.model import Corpus
from gongshi_records.registry import Kind, place_of

from .blobs import BlobStore, blob_id
from .fields import field_diff
from .gitlog import (
    Commit,
    GitLog,
    Lineage,
    Status,
    Version,
    Walking,
    open_repo,
)


@dataclass(frozen=True)
class Change:
    """One first-parent commit's change to one record, with the fields it touched."""

    commit: Commit
    status: Status
    path: str
    old_path: str | None
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unreadable: bool  # this version is not a readable record (YAML error): no field list

    @property
    def fields(self) -> tuple[str, ...]:
        return self.added + self.changed + self.removed


class History:
    """Answers about records' histories; paths are repository-relative, as in findings."""

    def __init__(self, log: GitLog, blobs: BlobStore) -> None:
        self.log = log
        self._blobs = blobs
        self._withdrawn: dict[str, Commit] | None = None
        self._changes: dict[int, list[Change]] = {}

    @property
    def shallow(self) -> bool:
        return self.log.shallow

    @property
    def head(self) -> str | None:
        return self.log.head

    def paths(self) -> list[str]:
        """Every record file present at the walked commit."""
        return sorted(self.log.live)

    def lineage(self, path: str) -> Lineage | None:
        return self.log.live.get(path) or self.log.deleted.get(path)

    def published(self, path: str) -> Commit | None:
        """The first first-parent commit containing the record (None: never committed)."""
        lineage = self.log.live.get(path)
        return lineage.published if lineage else None

    def withdrawn(self, path: str) -> Commit | None:
        """The commit that added the ``withdrawal:`` the record carries now."""
        return self.withdrawals().get(path)

    def withdrawals(self) -> Mapping[str, Commit]:
        """``withdrawn`` of every withdrawn record, read (contents in one batch) at the first
        question."""
        if self._withdrawn is None:
            self._withdrawn = self._find_withdrawals()
        return self._withdrawn

    def first_where(
        self, paths: Iterable[str], test: Callable[[Mapping[str, Any]], bool]
    ) -> dict[str, Commit]:
        """For each present record of ``paths``, the first first-parent commit whose version
        passes ``test`` (an unreadable version never does); contents read in one batch."""
        lineages = {p: lin for p in paths if (lin := self.log.live.get(p)) is not None}
        self._blobs.fetch(v.blob for lin in lineages.values() for v in lin.versions)
        found: dict[str, Commit] = {}
        for path, lineage in lineages.items():
            for version in lineage.versions:
                data = self._blobs.data(version.blob) if version.blob else None
                if data is not None and test(data):
                    found[path] = version.commit
                    break
        return found

    def changes(self, path: str) -> list[Change]:
        lineage = self.lineage(path)
        return self._changes_of([lineage])[0] if lineage else []

    def all_changes(self) -> dict[str, list[Change]]:
        """Every present record's changes, contents read in one batch."""
        paths = self.paths()
        lineages = [self.log.live[p] for p in paths]
        return dict(zip(paths, self._changes_of(lineages), strict=True))

    def reuse(self, corpus: Corpus) -> None:
        """Take the parse of every record the build already loaded whose file is unchanged since
        the walked commit, so only older versions are parsed here (never a file twice). The
        blob id validation read the record from, when it has one in the repository's hash;
        else the file is read for it."""
        for record in corpus:
            lineage = self.log.live.get(record.path)
            latest = lineage.versions[-1].blob if lineage else None
            if latest is None:
                continue
            if record.blob is not None and len(record.blob) == len(latest):
                known = record.blob
            else:
                try:
                    known = blob_id((self.log.root / record.path).read_bytes(), latest)
                except OSError:
                    continue
            if known == latest:
                self._blobs.prime(latest, record.data)

    def _kind(self, path: str) -> str | None:
        prefix = self.log.prefix
        relative = path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else path
        place = place_of(relative)
        return place.kind if place else None

    def _find_withdrawals(self) -> dict[str, Commit]:
        decisions = {p: lin for p, lin in self.log.live.items() if self._kind(p) == Kind.DECISION}
        # Only a decision withdrawn now has a withdrawal date, and the build has parsed the
        # latest version of each (reuse): the earlier versions of the withdrawn ones are all
        # that is read from git, not the 100,000 latest ones of a province again.
        self._fetch(lin.versions[-1].blob for lin in decisions.values())
        withdrawn = {
            path: lineage
            for path, lineage in decisions.items()
            if _has_withdrawal(lineage.versions[-1].blob, self._blobs)
        }
        self._fetch(v.blob for lin in withdrawn.values() for v in lin.versions)
        found: dict[str, Commit] = {}
        for path, lineage in withdrawn.items():
            since = _withdrawn_since(lineage, self._blobs)
            if since is not None:
                found[path] = since
        return found

    def _fetch(self, shas: Iterable[str | None]) -> None:
        """The bytes of the blobs among ``shas`` whose record is not known yet, in one batch."""
        self._blobs.fetch(sha for sha in shas if sha and not self._blobs.parsed(sha))

    def _changes_of(self, lineages: Iterable[Lineage]) -> list[list[Change]]:
        new = [lin for lin in lineages if id(lin) not in self._changes]
        self._fetch(sha for lin in new for v in lin.versions for sha in (v.blob, v.old_blob))
        for lineage in new:
            self._changes[id(lineage)] = [_change(v, self._blobs) for v in lineage.versions]
        return [self._changes[id(lin)] for lin in lineages]


def _has_withdrawal(blob: str | None, blobs: BlobStore) -> bool:
    """Whether the record at ``blob`` has a withdrawal: from its parse when known, else a cheap
    test of its bytes first (most decisions never have one). A key spelled with an escape
    ("withdr\\u0061wal") has no such bytes but a backslash: it is parsed."""
    if blob is None:
        return False
    if not blobs.parsed(blob):
        raw = blobs.raw(blob)
        if raw is None or (b"withdrawal" not in raw and b"\\" not in raw):
            return False
    data = blobs.data(blob)
    return bool(data and data.get("withdrawal"))


def _withdrawn_since(lineage: Lineage, blobs: BlobStore) -> Commit | None:
    """The first commit of the unbroken run of versions, up to the latest, with a withdrawal.

    Normally the one commit that added it; if a withdrawal was removed and added again, the
    decision was public again in between, so the withdrawal dates from the re-adding commit."""
    since = None
    for version in reversed(lineage.versions):
        if not _has_withdrawal(version.blob, blobs):
            break
        since = version.commit
    return since


def _change(version: Version, blobs: BlobStore) -> Change:
    new = blobs.data(version.blob) if version.blob else None
    old = blobs.data(version.old_blob) if version.old_blob else None
    unreadable = version.blob is not None and new is None
    if version.status is Status.DELETED or version.blob == version.old_blob:
        diff = field_diff(None, None)
    else:
        diff = field_diff(old, new)
    return Change(
        version.commit,
        version.status,
        version.path,
        version.old_path,
        diff.added,
        diff.changed,
        diff.removed,
        unreadable,
    )


def read_history(content_dir: Path, rev: str = "HEAD", *, publish: bool = False) -> History:
    """The history of every record under ``content_dir`` on the publishing branch ``rev``.

    Raises :class:`~.gitlog.HistoryUnavailable` outside a repository or for an unknown ``rev``,
    and :class:`~.gitlog.ShallowClone` for a shallow clone when ``publish`` is set."""
    with HistoryReading(content_dir, rev, publish=publish) as reading:
        return reading.result()


class HistoryReading:
    """``read_history`` begun: git walks the history (gitlog.Walking) while the caller does
    something else (a build reads its records), and ``result()`` is the history, or raises
    what read_history raises. Used as a context manager, or ``close()``: a reading never
    finished is stopped."""

    def __init__(self, content_dir: Path, rev: str = "HEAD", *, publish: bool = False) -> None:
        self._walking: Walking | None = None
        self._problem: Exception | None = None
        try:
            self._repo, prefix = open_repo(content_dir)
            self._walking = Walking(self._repo, prefix, rev, publish=publish)
        except Exception as problem:
            # Raised by result(), where read_history would raise it: a build that began the
            # reading validates its records first, whatever git says.
            self._problem = problem

    def result(self) -> History:
        if self._problem is not None:
            raise self._problem
        assert self._walking is not None
        with self._walking:
            return History(self._walking.result(), BlobStore(self._repo))

    def close(self) -> None:
        if self._walking is not None:
            self._walking.close()

    def __enter__(self) -> HistoryReading:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
