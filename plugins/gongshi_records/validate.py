"""Load every record of a content folder and collect every finding, never stopping at the first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .changes import affected_paths
from .contentfiles import scan_content
from .crossrules import corpus_findings
from .findings import Finding, error, sort_findings, warning
from .future import future_findings
from .model import Corpus, Record
from .pages import page_findings
from .recordcache import Entry, RecordCache, Status, blob_id, cache_dir
from .registry import Place, expected_layout, place_of
from .rules import record_findings
from .schema import schema_findings
from .vocabulary import replaced_values, upgrade
from .yamlload import JsonPath, Mark, YamlProblem, load_path, mark_at


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


def read_record(path: Path, place: Place, shown: str) -> tuple[Record | None, list[Finding]]:
    """One file: its record (when it could be read) and its own findings."""
    try:
        loaded = load_path(path)
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


def validate_content(
    content_dir: Path,
    as_of: dt.date | None = None,
    *,
    cache: Path | str | None = None,
    changed: set[str] | None = None,
) -> Validation:
    """Every finding of a content folder; with ``as_of`` (the build's date, or today for
    `gongshi validate`) also the warnings for records dated after it (future.py). What each
    file alone finds is cached by its blob id (recordcache.py) in ``cache`` (a folder, or
    "off"), by default $GONGSHI_CACHE_DIR or the user's cache folder. With ``changed``
    (repository-relative paths), only the findings on those files and on the records that
    refer to them (changes.py), and the rules across records judge only those."""
    read = read_content(content_dir, cache=cache)
    corpus = read.corpus
    judged = corpus if changed is None else corpus.within(affected_paths(corpus, changed))
    findings = read.findings + judge_content(judged, as_of)
    if judged.scope is not None:
        findings = only_paths(findings, judged.scope)
    return Validation(corpus, sort_findings(findings))


def read_content(content_dir: Path, *, cache: Path | str | None = None) -> Validation:
    """Stages 1 and 2 of validate_content: every record read, with what each file alone finds
    (and what the scan of the folder finds); no rule across records has run yet."""
    root = repo_root(content_dir)
    store = RecordCache(cache_dir(cache), content_dir)
    corpus = Corpus(content_dir, display_path(content_dir, root))
    scanned = scan_content(content_dir, corpus.prefix)
    findings: list[Finding] = list(scanned.findings)
    findings += page_findings(scanned.pages, lambda path: display_path(path, root))
    base = f"{content_dir}{os.sep}"
    for parts in scanned.record_parts:
        relative = "/".join(parts)
        # display_path(path, root) without resolving each file: the scan follows no symlink.
        shown = relative if corpus.prefix in ("", ".") else f"{corpus.prefix}/{relative}"
        place = place_of(relative)
        if place is None:
            message = f"无法识别的记录位置 {relative}：{expected_layout()}"
            findings.append(error(shown, 1, 1, "layout", message))
            continue
        path = base + os.sep.join(parts)  # no Path object for each of 100,000 files
        record, own = read_cached(store, path, relative, place, shown)
        findings += own
        if record is not None:
            corpus.records.append(record)
    store.save()
    return Validation(corpus, findings)


def judge_content(corpus: Corpus, as_of: dt.date | None = None) -> list[Finding]:
    """Stage 3 of validate_content, on the records read_content read (or a scope of them): the
    rules across records, and with ``as_of`` the warnings for records dated after it."""
    findings = corpus_findings(corpus)
    if as_of is not None:
        findings += future_findings(corpus, as_of)
    return findings


def read_cached(
    store: RecordCache, path: str, relative: str, place: Place, shown: str
) -> tuple[Record | None, list[Finding]]:
    """read_record, or what it found last time for the same bytes: known without reading the
    file while its status is the one recorded (recordcache.Status), else by its blob id."""
    try:
        status = Status(path)
        blob = store.known_blob(relative, status) or blob_id(_bytes(path))
    except OSError:
        return read_record(Path(path), place, shown)  # file.unreadable, never cached
    entry = store.get(path, relative, shown, blob, status)
    if entry is not None:
        record = None
        if entry.data is not None:
            record = Record(place.kind, shown, place, entry.data, entry.marks, blob)
        return record, list(entry.findings)
    record, findings = read_record(Path(path), place, shown)
    try:
        unchanged = blob_id(_bytes(path)) == blob
    except OSError:
        unchanged = False
    if unchanged:  # not rewritten while it was read: the result belongs to ``blob``
        data = dict(record.data) if record is not None else None
        entry = Entry(data, record.marks if record else {}, findings)
        store.put(relative, shown, blob, entry, status)
        if record is not None:
            record = dataclasses.replace(record, blob=blob)
    return record, findings


def _bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def only_paths(findings: Iterable[Finding], paths: set[str] | frozenset[str]) -> list[Finding]:
    return [f for f in findings if f.path in paths]


def check_record_file(path: Path, kind: str) -> list[Finding]:
    """One file checked on its own as a record of ``kind`` (schema and single-record rules):
    what an editor or a clerk's pre-commit check can say without the rest of the portal."""
    place = Place(kind, "example", path.stem, path.stem)
    _record, findings = read_record(path, place, display_path(path, repo_root(path.parent)))
    return sort_findings(findings)
