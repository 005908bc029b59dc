"""The corpus index: every record a full read of a content folder found, kept for the git commit
the folder was at, so that `validate --changed-since` reads again only the files git says
differ from that commit and takes every other record from here: no listing, status or parse of
the 100,000 files of a province that a pull request does not touch.

One file beside the record cache's shards (recordcache.py) with the same kind of header (format,
code key, content folder, SHA-256 of the body); one that does not match is not used, and the
check reads everything as before. Per record: its path under content/, blob id, place, own
findings and data. A decision keeps only the fields the rules across records read of the
decisions they do not judge (``SUMMARY_FIELDS``: every 文号 for uniqueness and references, the
date, category and power item that statistics and benchmarks count); any other field is read
from the record cache when a rule asks for it (``LazyData``), and if the cache no longer has it
the check reads everything (``StaleIndex``): a rule that reads more is slower, never wrong.
The paths that differed from the commit when the index was written are listed in it and read
again each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .findings import Finding
from .identifiers import normalise_doc_no
from .model import Corpus, LazyData, Record
from .recordcache import (
    FileMarks,
    RecordCache,
    code_key,
    finding_of_row,
    row_of_finding,
)
from .registry import RECORD_TYPES, Kind, Place

FORMAT = "gongshi-corpus-index/1"
INDEX_FILE = "corpus-index-1.jsonl"  # a JSON header line, a JSON body line


def _summary(kind: Kind, *counted: str) -> tuple[str, ...]:
    """``counted`` and every field the type's links and attachments start at."""
    return tuple(dict.fromkeys((*counted, *RECORD_TYPES[kind].linked_fields)))


# What the rules across records read of a decision they do not judge: its 文号 (the duplicate
# check, references by 文号), what statistics and benchmarks count (date, category, power
# item), and the fields its links and attachments start at (a changed officer, power item or
# adviser brings the decisions that name it into the check). Other types are kept whole: few.
SUMMARY_FIELDS: Mapping[str, tuple[str, ...]] = {
    Kind.DECISION: _summary(Kind.DECISION, "doc_no", "decided_on", "category", "power"),
}


class StaleIndex(Exception):
    """A record's full data is no longer where the index says (its file changed during the
    run, or the cache went): the check reads everything instead."""


@dataclass
class CorpusIndex:
    commit: str  # the commit the content folder was at, but for ``extra``
    extra: list[str]  # paths under content/ that differed from it when the index was written
    # The top-level fields of summarised records, each list once (100,000 decisions have a
    # few dozen), named by its place here in each row.
    shapes: list[tuple[str, ...]]
    rows: list[list[Any]]
    # The standard spelling of each 文号 not written in it (normalise_doc_no), so that none
    # is worked out again: the duplicate and reference rules compare every decision's.
    doc_nos: dict[str, str]


def index_commit(store: RecordCache) -> str | None:
    """The commit of the index in ``store``, from its header alone."""
    header = _read(store, header_only=True)
    return header[0] if header is not None else None


def load_index(store: RecordCache) -> CorpusIndex | None:
    read = _read(store, header_only=False)
    if read is None:
        return None
    commit, body = read
    try:
        found = json.loads(body)
        shapes = [tuple(str(key) for key in shape) for shape in found["shapes"]]
        doc_nos = {str(k): str(v) for k, v in found["doc_nos"].items()}
        rows = list(found["records"])
        index = CorpusIndex(found["commit"], list(found["extra"]), shapes, rows, doc_nos)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if index.commit != commit or not all(isinstance(p, str) for p in index.extra):
        return None
    return index


def drop_index(store: RecordCache) -> None:
    """Remove an index that turned out unusable: the next whole run writes it again (one
    whose header still matches the commit would otherwise be kept, and read, every time)."""
    if store.folder is not None:
        with contextlib.suppress(OSError):
            (store.folder / INDEX_FILE).unlink(missing_ok=True)


def _read(store: RecordCache, *, header_only: bool) -> tuple[str, bytes] | None:
    if store.folder is None:
        return None
    try:
        with open(store.folder / INDEX_FILE, "rb") as handle:
            header = json.loads(handle.readline())
            body = b"" if header_only else handle.read()
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or not isinstance(header.get("commit"), str):
        return None
    expected = _header(store, header["commit"], body)
    if header_only:
        header.pop("sha256", None)
        expected.pop("sha256")
    return (header["commit"], body) if header == expected else None


def _header(store: RecordCache, commit: str, body: bytes) -> dict[str, str]:
    return {
        "format": FORMAT,
        "code": code_key(),
        "content": store.content,
        "commit": commit,
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def write_index(
    store: RecordCache, commit: str, extra: Iterable[str], corpus: Corpus, findings: list[Finding]
) -> None:
    """The index of ``corpus`` (every record read, with ``findings`` of the read) for
    ``commit``; ``extra`` the paths under content/ that differ from it. A record whose data
    the cache could not keep is listed with them, to be read each time."""
    if store.folder is None:
        return
    own: dict[str, list[list[Any]]] = {}
    for finding in findings:
        own.setdefault(finding.path, []).append(row_of_finding(finding))
    again, rows, doc_nos = set(extra), [], {}
    shapes: dict[tuple[str, ...], int] = {}
    for record in corpus.records:
        relative = relative_of(corpus, record.path)
        # Kept whole in the cache: a summarised record's other fields are read from there.
        if record.blob is None or not store.keeps(relative, record.blob):
            again.add(relative)
            continue
        data, fields, shape = record.data, SUMMARY_FIELDS.get(record.kind), None
        if fields is not None:
            shape = shapes.setdefault(tuple(data), len(shapes))
            data = {key: data[key] for key in fields if key in data}
        doc_no = data.get("doc_no") if record.kind == Kind.DECISION else None
        if isinstance(doc_no, str) and normalise_doc_no(doc_no) != doc_no:
            doc_nos[doc_no] = normalise_doc_no(doc_no)
        place = record.place
        where = [place.kind, place.agency, place.key, place.stem, place.folder_year]
        rows.append([relative, record.blob, where, shape, data, own.get(record.path, [])])
    body = json.dumps(
        {
            "commit": commit,
            "extra": sorted(again),
            "shapes": list(shapes),
            "doc_nos": doc_nos,
            "records": rows,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    _write(store.folder, json.dumps(_header(store, commit, body)).encode() + b"\n" + body)


def _write(folder: Path, text: bytes) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return  # no index: the next check reads everything
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        os.replace(temporary, folder / INDEX_FILE)
    except OSError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink(missing_ok=True)


def relative_of(corpus: Corpus, shown: str) -> str:
    """A path as findings show it, relative to the content folder again."""
    prefix = corpus.prefix
    return shown if prefix in ("", ".") else shown.removeprefix(prefix.rstrip("/") + "/")


def indexed_records(
    index: CorpusIndex, corpus: Corpus, store: RecordCache, skip: set[str], under: tuple[str, ...]
) -> tuple[list[Record], list[Finding]]:
    """The index's records but those at ``skip`` or in the folders ``under`` (paths under
    content/, each ending in "/"), with their own findings; ``corpus.spellings`` takes the
    index's 文号 spellings. Raises ValueError for a row that is not as written."""
    records: list[Record] = []
    findings: list[Finding] = []
    base = f"{corpus.content_dir}{os.sep}"
    spellings: dict[str, str] = {}
    shapes = index.shapes
    for relative, blob, where, shape, data, rows in index.rows:
        if relative in skip or (under and relative.startswith(under)):
            continue
        kind, agency, key, stem, folder_year = where
        if not (_plain_path(relative) and type(blob) is str and type(data) is dict):
            raise ValueError("row")
        if not (
            type(key) is str
            and type(stem) is str
            and (agency is None or type(agency) is str)
            and (folder_year is None or type(folder_year) is str)
        ):
            raise ValueError("place")
        kind = _KINDS[kind]
        place = restored(
            Place, kind=kind, agency=agency, key=key, stem=stem, folder_year=folder_year
        )
        shown = relative if corpus.prefix in ("", ".") else f"{corpus.prefix}/{relative}"
        path = base + relative.replace("/", os.sep)
        if shape is not None:
            data = LazyData(data, shapes[shape], _loader(store, path, relative, blob))
        if kind == Kind.DECISION and type(doc_no := data.get("doc_no")) is str:
            spellings[doc_no] = index.doc_nos.get(doc_no, doc_no)
        marks = FileMarks(path, blob)
        record = restored(
            Record, kind=kind, path=shown, place=place, data=data, marks=marks, blob=blob
        )
        records.append(record)
        if rows:
            findings += [finding_of_row(row) for row in rows]
    corpus.spellings = spellings
    return records, findings


def _plain_path(relative: object) -> bool:
    """A path under content/ as the scan writes one: nothing that leaves the folder."""
    if type(relative) is not str or not relative or "\\" in relative or "//" in relative:
        return False
    ends = (relative.startswith(("/", "./", "../")), relative.endswith(("/", "/.", "/..")))
    return not (any(ends) or "/./" in relative or "/../" in relative or relative in (".", ".."))


_KINDS: Mapping[str, Kind] = {kind.value: kind for kind in Kind}
_T = TypeVar("_T")


def restored(cls: type[_T], **fields: Any) -> _T:
    """An instance of the frozen dataclass ``cls`` with ``fields`` (every one of them), made
    without its ``__init__``, which sets each field through ``object.__setattr__``: a third of
    the time to take 115,000 records from the index. The instance is the one ``__init__``
    makes (``cls`` has no ``__post_init__``; tests/test_corpus_index.py compares them) and as
    frozen."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


def _loader(
    store: RecordCache, path: str, relative: str, blob: str
) -> Callable[[], dict[str, Any]]:
    def load() -> dict[str, Any]:
        data = store.data_of(relative, blob)
        if data is None:
            raise StaleIndex(path)
        return data

    return load
