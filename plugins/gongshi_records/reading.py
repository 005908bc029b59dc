"""Reading the record files of content/: each file's record and own findings (load, schema,
single-record rules), from the record cache (recordcache.py) when it knows the file's bytes,
else from the file.

Files the cache does not know are read in worker processes forked from the command when there
are many (the policy of forking.py): a first run, a new machine, a changed program. At 100,000
decisions that was 45 s in one process, most of a cold `gongshi validate` and a fifth of a build
from nothing. A worker sends back what the cache would keep (the data and the findings), not
the marks of every value: the record reads them again from its file when a finding asks for
one, as a record from the cache does (``FileMarks``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .findings import Finding, error, warning
from .forking import map_forked, process_count
from .model import Corpus, Record
from .recordcache import Entry, FileMarks, RecordCache, Status, blob_id, plain_json
from .registry import Place, expected_layout, place_of
from .rules import record_findings
from .schema import schema_findings
from .vocabulary import replaced_values, upgrade
from .yamlload import JsonPath, Loaded, Mark, YamlProblem, load_bytes, load_path, mark_at

# Files to read from scratch before they are read by worker processes, and at most per task.
_FORK_READS = 2000
_READS_PER_TASK = 200

Read = tuple[Record | None, list[Finding]]


def read_record(path: Path, place: Place, shown: str) -> Read:
    """One file: its record (when it could be read) and its own findings."""
    return _read_loaded(lambda: load_path(path), place, shown)


def _read_loaded(load: Callable[[], Loaded], place: Place, shown: str) -> Read:
    """read_record of what ``load`` loads (a file, or bytes read from it)."""
    try:
        loaded = load()
    except YamlProblem as problem:
        return None, [error(shown, problem.line, problem.col, problem.rule, problem.message)]
    if not isinstance(loaded.data, dict):
        return None, [error(shown, 1, 1, "yaml", "记录应由若干“字段: 值”组成，而不是单个值或列表")]
    findings = list(_renamed_values(loaded.data, loaded.marks, shown))
    # A copy only when a value was renamed: the marks walk the loaded data when a finding asks.
    data = upgrade(loaded.data) if findings else loaded.data
    record = Record(place.kind, shown, place, data, loaded.marks)
    findings += schema_findings(place.kind, data, loaded.marks, shown)
    findings += record_findings(record)
    return record, findings


def _renamed_values(data: object, marks: Mapping[JsonPath, Mark], shown: str) -> Iterator[Finding]:
    """A warning for each value the vocabulary has renamed; the record reads the new one."""
    for where, old, new in replaced_values(data):
        mark = mark_at(marks, where)
        message = f"「{old}」已统一为「{new}」：请改为 {where[-1]}: {new}（旧写法暂按新值处理）"
        yield warning(shown, mark.line, mark.col, "vocabulary.renamed", message)


class _Unread(NamedTuple):
    """A file the cache does not know: where it is, what it is, its status when looked at,
    and its place among the files read (``slot``)."""

    path: str
    relative: str
    place: Place
    shown: str
    status: Status
    slot: int


class _Fresh(NamedTuple):
    """What a worker found in an _Unread file: the record's data (None: no record), the
    findings, the blob id of the bytes they were read from (None: the file could not be read,
    nothing to keep in the cache), and the marks when they came along (else the record reads
    them again from the file, as a cached record does)."""

    data: dict[str, Any] | None
    findings: list[Finding]
    blob: str | None
    marks: Mapping[JsonPath, Mark] | None
    plain: bool  # whether JSON gives the data back as it is (recordcache.plain_json)


def read_records(
    record_parts: Iterable[tuple[str, ...]], corpus: Corpus, store: RecordCache
) -> list[Finding]:
    """The records at ``record_parts`` (paths under content/, part by part) added to
    ``corpus`` in that order; what reading them found."""
    base = f"{corpus.content_dir}{os.sep}"
    done: list[Read] = []
    unread: list[_Unread] = []
    for parts in record_parts:
        relative = "/".join(parts)
        # display_path(path, root) without resolving each file: the scan follows no symlink.
        shown = relative if corpus.prefix in ("", ".") else f"{corpus.prefix}/{relative}"
        place = place_of(relative)
        if place is None:
            message = f"无法识别的记录位置 {relative}：{expected_layout()}"
            done.append((None, [error(shown, 1, 1, "layout", message)]))
            continue
        path = base + os.sep.join(parts)  # no Path object for each of 100,000 files
        known = _from_cache(store, path, relative, place, shown)
        if isinstance(known, Status):
            unread.append(_Unread(path, relative, place, shown, known, len(done)))
            done.append((None, []))
        else:
            done.append(known)
    if process_count(len(unread), _FORK_READS) > 1:
        fresh = map_forked(
            lambda start, stop: [_read_fresh(file) for file in unread[start:stop]],
            len(unread),
            minimum=_FORK_READS,
            most=_READS_PER_TASK,
        )
    else:  # here, where the marks read cost nothing to keep
        fresh = [_read_fresh(file, with_marks=True) for file in unread]
    for file, found in zip(unread, fresh, strict=True):
        done[file.slot] = _kept(store, file, found)
    findings: list[Finding] = []
    for record, own in done:
        findings += own
        if record is not None:
            corpus.records.append(record)
    return findings


def _from_cache(
    store: RecordCache, path: str, relative: str, place: Place, shown: str
) -> Read | Status:
    """What the cache knows of the file, or, when it does not know it, the file's status
    to keep with what reading it finds."""
    try:
        status = Status(path)
        if not store.has_entry(relative):
            return status
        blob = store.known_blob(relative, status) or blob_id(_bytes(path))
    except OSError:
        return read_record(Path(path), place, shown)  # file.unreadable, never cached
    entry = store.get(path, relative, shown, blob, status)
    if entry is None:
        return status
    record = None
    if entry.data is not None:
        record = Record(place.kind, shown, place, entry.data, entry.marks, blob)
    return record, list(entry.findings)


def _read_fresh(file: _Unread, *, with_marks: bool = False) -> _Fresh:
    """read_record of the file's bytes, read once (what is kept is what was hashed, however
    the file changes meanwhile), as a worker sends it back: the marks only ``with_marks`` or
    when the file could not be read (there is no blob to read them again by)."""
    try:
        raw = _bytes(file.path)
    except OSError:  # read_record says why the file is unreadable
        blob, (record, findings) = None, read_record(Path(file.path), file.place, file.shown)
    else:
        blob = blob_id(raw)
        record, findings = _read_loaded(lambda: load_bytes(raw), file.place, file.shown)
    data = dict(record.data) if record is not None else None
    marks = record.marks if record is not None and (with_marks or blob is None) else None
    plain = data is None or plain_json(data)  # here, not in the one process that keeps it
    return _Fresh(data, findings, blob, marks, plain)


def _kept(store: RecordCache, file: _Unread, found: _Fresh) -> Read:
    """The record of what was found in the file, kept in the cache under the blob it was
    read from."""
    place, shown, data, blob = file.place, file.shown, found.data, found.blob
    if data is None:
        record = None
    elif found.marks is not None:
        record = Record(place.kind, shown, place, data, found.marks, blob)
    else:  # sent without them: the file still has the blob's bytes to read them from
        assert blob is not None
        record = Record(place.kind, shown, place, data, FileMarks(file.path, blob), blob)
    if blob is not None:
        entry = Entry(data, record.marks if record else {}, found.findings)
        store.put(file.relative, shown, blob, entry, file.status, plain=found.plain)
    return record, found.findings


def _bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
