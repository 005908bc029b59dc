"""Load every record of a content folder and collect every finding, never stopping at the first."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .changes import affected_paths
from .collector import collector_paused, freeze, unfreeze
from .contentfiles import PAGES, files_below, scan_content, scan_paths
from .corpusindex import (
    StaleIndex,
    drop_index,
    index_commit,
    indexed_records,
    load_index,
    relative_of,
    write_index,
)
from .crossrules import corpus_findings
from .findings import Finding, sort_findings
from .forking import ForkedWorkFailed, alongside
from .future import future_findings
from .model import Corpus, LazyData, Record
from .pages import page_findings
from .reading import read_record, read_records
from .recordcache import RecordCache, cache_dir
from .registry import Place

log = logging.getLogger(__name__)


@dataclass
class Validation:
    corpus: Corpus
    findings: list[Finding]


def repo_root(start: Path) -> Path:
    """The enclosing git work tree (findings name paths relative to it), else the working dir."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / ".git").exists():
            return folder
    return Path.cwd().resolve()


def display_path(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(resolved, Path.cwd()).replace(os.sep, "/")


def record_files(content_dir: Path) -> list[Path]:
    """Every record file under content/, in a stable order, files/ attachments excluded; no
    symlink is followed (contentfiles.py)."""
    return scan_content(content_dir, "").record_paths()


class GitState(Protocol):
    """What git says of a content folder (gongshi_history.changed.GitContent): the corpus index
    is kept for the commit checked out, and read back with the files changed since."""

    def head(self) -> str | None:
        """The commit checked out, or None (no repository, no commit)."""

    def changed_since(self, commit: str) -> set[str] | None:
        """Paths under content/ whose files differ from ``commit`` (changed, added, deleted,
        untracked or ignored), or None when git cannot say."""


def validate_content(
    content_dir: Path,
    as_of: dt.date | None = None,
    *,
    cache: Path | str | None = None,
    changed: set[str] | Callable[[], set[str]] | None = None,
    git: GitState | None = None,
) -> Validation:
    """Every finding of a content folder; with ``as_of`` (the build's date, or today for
    `gongshi validate`) also the warnings for records dated after it (future.py). What each
    file alone finds is cached by its blob id (recordcache.py) in ``cache`` (a folder, or
    "off"), by default $GONGSHI_CACHE_DIR or the user's cache folder. With ``changed``
    (repository-relative paths), only the findings on those files and on the records that
    refer to them (changes.py), and the rules across records judge only those; with ``git``
    too, the records git says are unchanged come from the corpus index (corpusindex.py).
    ``changed`` may be a function giving those paths, called when they are needed: after
    the index is read (git lists them meanwhile). The corpus of such a check holds records
    summarised by the index (model.LazyData): read whole only while its cache is there."""
    if changed is not None and git is not None:
        quick = _from_index(content_dir, as_of, cache, changed, git)
        if quick is not None:
            return quick
    if callable(changed):
        changed = changed()  # before reading every file: an unknown revision fails at once
    # The commit the files are read at: the index is written only if it is still checked out
    # after (a commit or checkout during the run would give it files of another commit).
    folder = cache_dir(cache)
    head = git.head() if git is not None and folder is not None else None
    with collector_paused():  # not while files are parsed: a YAML error's traceback is a cycle
        store = RecordCache(folder, content_dir)
    read = _read_all(content_dir, store)
    corpus = read.corpus
    judged = corpus if changed is None else corpus.within(affected_paths(corpus, changed))
    # The corpus index, when the commit moved, by a process forked for it while the rules
    # run (three seconds of a rebuild at 100,000 decisions), which then saves the record cache
    # too (a second or two after reading every file). Only an optimisation: a writer that
    # fails (killed for memory …) is a warning, never a failed validation.
    index = _index_writer(store, read, git, head)
    if index is None:
        store.save()
    try:
        with alongside(None if index is None else lambda: _saved_then(store, index)):
            findings = read.findings + judge_content(judged, as_of)
    except ForkedWorkFailed as failure:
        log.warning("gongshi: 未能写入记录缓存和索引（不影响校验结果）：%s", failure)
    if judged.scope is not None:
        findings = only_paths(findings, judged.scope)
    return Validation(corpus, sort_findings(findings))


def _read_all(content_dir: Path, store: RecordCache) -> Validation:
    root = repo_root(content_dir)
    corpus = Corpus(content_dir, display_path(content_dir, root))
    scanned = scan_content(content_dir, corpus.prefix)
    findings: list[Finding] = list(scanned.findings)
    findings += page_findings(scanned.pages, lambda path: display_path(path, root))
    findings += read_records(scanned.record_parts, corpus, store)
    return Validation(corpus, findings)


def _index_writer(
    store: RecordCache, read: Validation, git: GitState | None, head: str | None
) -> Callable[[], None] | None:
    """What writes the corpus index of ``read`` for ``head``, the commit checked out before
    the files were read, when it still is and the index in ``store`` is not that commit's;
    None when there is nothing to write."""
    if git is None or head is None or store.folder is None or head == index_commit(store):
        return None
    # Listed here, straight after the read: a file put back before a later listing would
    # leave what was read of it written down as the commit's.
    differing = git.changed_since(head) if git.head() == head else None
    if differing is None:
        return None

    def write() -> None:
        try:
            write_index(store, head, differing, read.corpus, read.findings)
        except Exception as exc:  # the index is an optimisation: never fatal
            log.warning("gongshi: 未能写入记录索引（不影响校验结果）：%s", exc)

    return write


def _saved_then(store: RecordCache, index: Callable[[], None]) -> None:
    """The record cache saved, then the index written: the index's records are summaries of
    entries the saved cache holds whole."""
    store.save()
    index()


def _from_index(
    content_dir: Path,
    as_of: dt.date | None,
    cache: Path | str | None,
    changed: set[str] | Callable[[], set[str]],
    git: GitState,
) -> Validation | None:
    """validate_content of ``changed`` with the records git says are unchanged since the
    corpus index's commit taken from the index; None when there is no index to use (one
    that turns out unusable is removed: the next whole run writes it again)."""
    store = RecordCache(cache_dir(cache), content_dir, lazy=True)
    root = repo_root(content_dir)
    corpus = Corpus(content_dir, display_path(content_dir, root))
    # Plain values only: the index decoded, a record of each row; garbage collected first, as
    # what is made here is frozen after.
    with collector_paused(collected=True):
        index = load_index(store)
        if index is None:
            return None
        paths = changed() if callable(changed) else changed  # listed by git meanwhile
        differing = git.changed_since(index.commit)
        if differing is None:
            return None
        again, folders = _read_again(content_dir, differing | set(index.extra), corpus, paths)
        try:
            indexed, findings = indexed_records(index, corpus, store, again, folders)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            drop_index(store)
            return None
        # 115,000 records, frozen before the collector is back (its first pass would walk
        # them all) and while the rules run.
        freeze()
    try:
        return _check(corpus, indexed, findings, again, store, paths, as_of)
    except StaleIndex:
        drop_index(store)
        return None
    finally:
        unfreeze()


def _read_again(
    content_dir: Path, differing: set[str], corpus: Corpus, changed: set[str]
) -> tuple[set[str], tuple[str, ...]]:
    """The paths under content/ to read from the files, and the folders (each with a "/")
    whose every file is read: those differing from the index's commit and those changed
    since the revision, a folder among them (a nested repository, a submodule: git names the
    folder) as every file in it; every page when one is there."""
    again = {p.rstrip("/") for p in differing} | {relative_of(corpus, p) for p in changed}
    folders = [
        p for p in again if (content_dir / p).is_dir() and not (content_dir / p).is_symlink()
    ]
    # A page's findings matter when it changed; their slugs are checked together.
    if any(path.startswith(f"{PAGES}/") for path in again):
        folders.append(PAGES)
    for folder in folders:
        again |= {f"{folder}/{name}" for name in files_below(content_dir / folder)}
    return again, tuple(f"{folder}/" for folder in folders)


def _check(
    corpus: Corpus,
    indexed: list[Record],
    findings: list[Finding],
    again: set[str],
    store: RecordCache,
    changed: set[str],
    as_of: dt.date | None,
) -> Validation:
    """The rest of _from_index: the files in ``again`` read into the index's records, the
    scope worked out, and the records in it judged whole."""
    root = repo_root(corpus.content_dir)
    scanned = scan_paths(corpus.content_dir, corpus.prefix, again)
    findings += scanned.findings
    findings += page_findings(scanned.pages, lambda path: display_path(path, root))
    findings += read_records(scanned.record_parts, corpus, store)  # the files read again
    # In path order, as the full scan reads them (the index's are): uniqueness reports the
    # later of two.
    for record in corpus.records:
        bisect.insort(indexed, record, key=_path_order)
    corpus.records = indexed
    store.save()
    scope = affected_paths(corpus, changed)
    # The records judged are read whole (a rule walks all their fields); the others keep
    # their summaries, which hold what the rules read of a record they do not judge.
    judged = corpus.read_whole(scope, _whole)
    findings += judge_content(judged, as_of)
    return Validation(judged, sort_findings(only_paths(findings, scope)))


def _whole(record: Record) -> Record:
    if isinstance(record.data, LazyData):
        return dataclasses.replace(record, data=record.data.whole())
    return record


def _path_order(record: Record) -> list[str]:
    return record.path.split("/")


def judge_content(corpus: Corpus, as_of: dt.date | None = None) -> list[Finding]:
    """Stage 3 of validate_content, on the records stages 1 and 2 read (or a scope of them): the
    rules across records, and with ``as_of`` the warnings for records dated after it."""
    findings = corpus_findings(corpus)
    if as_of is not None:
        findings += future_findings(corpus, as_of)
    return findings


def only_paths(findings: Iterable[Finding], paths: set[str] | frozenset[str]) -> list[Finding]:
    return [f for f in findings if f.path in paths]


def check_record_file(path: Path, kind: str) -> list[Finding]:
    """One file checked on its own as a record of ``kind`` (schema and single-record rules):
    what an editor or a clerk's pre-commit check can say without the rest of the portal."""
    place = Place(kind, "example", path.stem, path.stem)
    _record, findings = read_record(path, place, display_path(path, repo_root(path.parent)))
    return sort_findings(findings)
