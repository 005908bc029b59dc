"""What reading one record file found (its data and own findings: load, schema and
single-record rules), cached by the file's git blob id so an unchanged file is not parsed and
checked again; where each value stands in the file (its marks) is read again from the file when
a finding needs it. Rules across records always run on the whole corpus.

An entry depends only on the file's bytes, where it lies (its path as shown in findings and its
place under content/) and the code: the cache as a whole is keyed by the gongshi_records
sources, the schemas and the versions of the libraries that read them, so any change there
empties it. It is one file per content folder, outside content/: a JSON header (format, code key,
content folder, SHA-256 of the body) and a JSON body of entries. Never pickle: a planted, cut
or edited file is read as data and ignored when its header does not match, and each entry is
checked field by field before use. The folder is
``$GONGSHI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gongshi`` or ``~/.cache/gongshi``.
``GONGSHI_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .findings import Finding, Severity
from .paths import SCHEMA_DIR
from .yamlload import MAX_BYTES, JsonPath, Mark, YamlProblem, load_text

CACHE_ENV = "GONGSHI_CACHE_DIR"
OFF = ("off", "none", "0", "false", "no")
FORMAT = "gongshi-record-cache/2"
_LIBRARIES = ("pyyaml", "jsonschema", "fastjsonschema", "referencing")


def blob_id(raw: bytes) -> str:
    """The id git gives a file's bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def cache_dir(setting: Path | str | None = None) -> Path | None:
    """Where the cache lives: ``setting`` (a folder, or "off"), else $GONGSHI_CACHE_DIR, else
    the user's cache folder; None when turned off."""
    value = str(setting) if setting is not None else os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in (*OFF, "") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gongshi"


@cache
def code_key() -> str:
    """Everything besides a file's bytes that decides what reading it finds."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\n".encode())
    package = Path(__file__).parent
    for path in [*sorted(package.glob("*.py")), *sorted(SCHEMA_DIR.glob("*.json"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class FileMarks(Mapping[JsonPath, Mark]):
    """A cached record's marks, read again from its file only when a finding asks for one.
    Most records of a large portal have none, and carrying every record's marks made two fifths
    of the cache file, of the time to read and write it, and of the memory records hold. The
    file must still have the bytes the entry was made from (its blob id): if it changed since,
    there are no marks, and a finding points at the record's first line."""

    def __init__(self, path: str | Path, blob: str) -> None:
        self._path, self._blob = path, blob
        self._marks: Mapping[JsonPath, Mark] | None = None

    def _decoded(self) -> Mapping[JsonPath, Mark]:
        if self._marks is None:
            self._marks = {}
            try:
                with open(self._path, "rb") as handle:  # bounded, as load_path reads
                    raw = handle.read(MAX_BYTES + 1)
                if blob_id(raw) == self._blob:
                    self._marks = load_text(raw.decode("utf-8-sig")).marks
            except (OSError, ValueError, YamlProblem):
                pass  # not the bytes the entry was made from: no marks
        return self._marks

    def __getitem__(self, key: JsonPath) -> Mark:
        return self._decoded()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._decoded()

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())


def plain_json(value: Any) -> bool:
    """Whether JSON gives ``value`` back exactly: str keys only (YAML allows `1: x`)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_json(v) for v in value)
    return value is None or isinstance(value, str | int | float)


def _finding(row: Any) -> Finding:
    path, line, col, severity, rule, message = row
    if not (type(line) is int and type(col) is int and isinstance(path, str)):
        raise ValueError("finding")
    if not (isinstance(rule, str) and isinstance(message, str)):
        raise ValueError("finding")
    return Finding(path, line, col, Severity(severity), rule, message)


def _row(finding: Finding) -> list[Any]:
    f = finding
    return [f.path, f.line, f.col, str(f.severity), f.rule, f.message]


@dataclasses.dataclass(frozen=True)
class Entry:
    """What reading one file found: its record's data and marks (None: no record) and its own
    findings."""

    data: dict[str, Any] | None
    marks: Mapping[JsonPath, Mark]
    findings: list[Finding]


class RecordCache:
    """The entries of one content folder, read once and written back once."""

    def __init__(self, folder: Path | None, content_dir: Path) -> None:
        self.content = str(content_dir.resolve())
        name = hashlib.sha256(self.content.encode()).hexdigest()[:24]
        self.file = folder / f"records-{name}.json" if folder is not None else None
        self._old: dict[str, Any] = self._read()
        self._new: dict[str, Any] = {}
        self.hits = self.misses = 0

    def _read(self) -> dict[str, Any]:
        """The entries, when the file is whole (its body has the digest its header states) and
        was written for this content folder by this code; else none."""
        if self.file is None:
            return {}
        try:
            raw = self.file.read_bytes()
            first, _, body = raw.partition(b"\n")
            header = json.loads(first)
            if not isinstance(header, dict) or header != self._header(body):
                return {}
            entries = json.loads(body)
        except (OSError, ValueError, RecursionError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def _header(self, body: bytes) -> dict[str, str]:
        digest = hashlib.sha256(body).hexdigest()
        return {"format": FORMAT, "code": code_key(), "content": self.content, "sha256": digest}

    def get(self, path: str | Path, relative: str, shown: str, blob: str) -> Entry | None:
        """The entry of ``relative`` (the file at ``path``) if it was made from ``blob``."""
        raw = self._old.get(relative)
        entry = None
        try:
            if isinstance(raw, dict) and raw.get("blob") == blob and raw.get("shown") == shown:
                entry = self._decoded(raw, path, blob)
        except (ValueError, TypeError, KeyError):
            entry = None
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[relative] = raw
        return entry

    @staticmethod
    def _decoded(raw: Mapping[str, Any], path: str | Path, blob: str) -> Entry:
        data, findings = raw["data"], raw["findings"]
        if data is not None and not isinstance(data, dict):
            raise ValueError("record")
        if not isinstance(findings, list):
            raise ValueError("findings")
        found = [_finding(row) for row in findings]
        return Entry(data, FileMarks(path, blob) if data is not None else {}, found)

    def put(self, relative: str, shown: str, blob: str, entry: Entry) -> None:
        if entry.data is not None and not plain_json(entry.data):
            return  # JSON would not give it back as it is: read the file every time
        self._new[relative] = {
            "blob": blob,
            "shown": shown,
            "data": entry.data,
            "findings": [_row(f) for f in entry.findings],
        }

    def save(self) -> None:
        """Written when anything changed, atomically; a cache that cannot be written is no
        error (the next run reads the files again)."""
        if self.file is None or (self.misses == 0 and len(self._new) == len(self._old)):
            return
        body = json.dumps(self._new, ensure_ascii=False, separators=(",", ":")).encode()
        text = json.dumps(self._header(body)).encode() + b"\n" + body
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text)
            os.replace(temporary, self.file)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
