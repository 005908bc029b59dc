"""What reading one record file found (its data and own findings: load, schema and
single-record rules), cached by the file's git blob id so an unchanged file is not parsed and
checked again; where each value stands in the file (its marks) is read again from the file when
a finding needs it. Rules across records always run on the whole corpus.

An entry depends only on the file's bytes, where it lies (its path as shown in findings and its
place under content/) and the code: the cache as a whole is keyed by the gongshi_records
sources, the schemas and the versions of the libraries that read them, so any change there
empties it. It is a folder per content folder, outside content/, with a file per agency folder
(``shard_of``: a change rewrites only its agency's file): a JSON header (format, code key,
content folder, shard, SHA-256 of the body) and a JSON body of entries. Never pickle: a planted, cut
or edited file is read as data and ignored when its header does not match, and each entry is
checked field by field before use. An entry also keeps the file's status (size, modification
and change times, inode, device) when the file had not changed for a while before the run: while the
status is the same, the bytes are taken to be the same and the file is not read at all (as git
trusts its index; see ``Status``). The folder is
``$GONGSHI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gongshi`` or ``~/.cache/gongshi``.
``GONGSHI_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .findings import Finding, Severity
from .paths import SCHEMA_DIR
from .yamlload import MAX_BYTES, JsonPath, Mark, YamlProblem, load_bytes

CACHE_ENV = "GONGSHI_CACHE_DIR"
# "off": every file is read for its blob id, whatever its status (content on a network file
# system whose client caches attributes, or on one whose change time is its creation time).
STATUS_ENV = "GONGSHI_CACHE_STATUS"
OFF = ("off", "none", "0", "false", "no")
FORMAT = "gongshi-record-cache/3"
_LIBRARIES = ("pyyaml", "jsonschema", "fastjsonschema", "referencing")


def blob_id(raw: bytes) -> str:
    """The id git gives a file's bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


# A temporary file older than this is a writer's that was killed (Ctrl-C on a build, a worker
# out of memory): no write takes that long, so a concurrent run's file is never taken.
STALE_TEMPORARY_SECONDS = 3600


def drop_stale_temporaries(folder: Path) -> None:
    """Removes what killed writers left in ``folder``: each cache file is written to a
    temporary file beside it and renamed over it, and a writer killed in between left the
    temporary (up to 35 MB for the corpus index at 100,000 decisions)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.endswith(".tmp"):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            found = entry.stat(follow_symlinks=False)
            # The files' age only: nothing here decides what a build publishes.
            if (
                stat.S_ISREG(found.st_mode)
                and time.time() - found.st_mtime > STALE_TEMPORARY_SECONDS
            ):
                os.unlink(entry.path)


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


# How long before a run a file must have last changed for its status to vouch for its bytes.
# A file written in the same tick of the file system's clock as it was looked at could change
# again without its times changing (git's "racily clean" entries); two seconds is the
# coarsest tick of a file system a portal is kept on (FAT).
_SETTLED_NS = 2_000_000_000


class Status:
    """What the file system says of a file without reading it: ``same`` when it is what an
    entry recorded. Recorded only for files unchanged since well before the run started
    (``_SETTLED_NS``), so any later write moves the change time past it; on a local POSIX file
    system the change time is not one a program can set back (``touch -d`` sets the
    modification time only). Not so where the change time is a creation time (Windows, FAT)
    or where a client caches attributes (NFS): ``GONGSHI_CACHE_STATUS=off`` there."""

    def __init__(self, path: str | Path) -> None:
        found = os.lstat(path)
        self.row = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev]

    def settled(self, started_ns: int) -> bool:
        return max(self.row[1], self.row[2]) < started_ns - _SETTLED_NS

    def same(self, recorded: object) -> bool:
        return recorded == self.row


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
                    self._marks = load_bytes(raw).marks
            except (OSError, YamlProblem):
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


def finding_of_row(row: Any) -> Finding:
    path, line, col, severity, rule, message = row
    if not (type(line) is int and type(col) is int and isinstance(path, str)):
        raise ValueError("finding")
    if not (isinstance(rule, str) and isinstance(message, str)):
        raise ValueError("finding")
    return Finding(path, line, col, Severity(severity), rule, message)


def row_of_finding(finding: Finding) -> list[Any]:
    f = finding
    return [f.path, f.line, f.col, str(f.severity), f.rule, f.message]


@dataclasses.dataclass(frozen=True)
class Entry:
    """What reading one file found: its record's data and marks (None: no record) and its own
    findings."""

    data: dict[str, Any] | None
    marks: Mapping[JsonPath, Mark]
    findings: list[Finding]


def shard_of(relative: str) -> str:
    """Which file of the cache holds the entry of ``relative``: one per agency folder
    (``agencies/<agency>``), one per other top folder or file. A change in one agency's
    records rewrites that agency's file only, not the 100 MB of a province's."""
    parts = relative.split("/", 2)
    return "/".join(parts[:2]) if parts[0] == "agencies" and len(parts) > 2 else parts[0]


class RecordCache:
    """The entries of one content folder, read once and written back once, a file per shard."""

    def __init__(self, folder: Path | None, content_dir: Path, *, lazy: bool = False) -> None:
        # When this run started, by the clock file times are stamped with: which statuses
        # may be recorded (Status.settled). Never part of any output.
        self._started_ns = time.time_ns()
        self._statuses = os.environ.get(STATUS_ENV, "").strip().lower() not in OFF
        self.content = str(content_dir.resolve())
        name = hashlib.sha256(self.content.encode()).hexdigest()[:24]
        self.folder = folder / f"records-{name}" if folder is not None else None
        # Where format 2 kept the whole folder in one file: removed when this one is saved.
        self._single = folder / f"records-{name}.json" if folder is not None else None
        self._old: dict[str, Any] = {}
        self._old_shards: dict[str, set[str]] = {}
        # Lazy (`validate --changed-since` with a corpus index): a shard's file is read when an
        # entry of it is asked for, and saving keeps the entries of the files it did not see.
        self._lazy = lazy
        if not lazy:
            self._read()
        self._new: dict[str, Any] = {}
        self._changed: set[str] = set()  # shards with an entry made or restamped in this run

    def _shard_file(self, shard: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{hashlib.sha256(shard.encode()).hexdigest()[:24]}.json"

    def _read(self) -> None:
        """The entries of every shard file that is whole (its body has the digest its header
        states) and was written for this shard of this content folder by this code."""
        try:
            files = sorted(self.folder.glob("*.json")) if self.folder is not None else []
        except OSError:
            files = []
        for file in files:
            entries = self._read_shard(file)
            for shard, relatives in entries.items():
                self._old_shards[shard] = set(relatives)
                self._old.update(relatives)

    def _read_shard_of(self, relative: str) -> None:
        self._read_lazily(shard_of(relative))

    def _read_lazily(self, shard: str) -> None:
        if self._lazy and shard not in self._old_shards:
            self._old_shards[shard] = set()
            if self.folder is not None:
                for relatives in self._read_shard(self._shard_file(shard)).values():
                    self._old_shards[shard] = set(relatives)
                    self._old.update(relatives)

    def data_of(self, relative: str, blob: str) -> dict[str, Any] | None:
        """The data an entry keeps of ``relative`` when it was made from ``blob``."""
        self._read_shard_of(relative)
        raw = self._old.get(relative)
        data = raw.get("data") if isinstance(raw, dict) and raw.get("blob") == blob else None
        return data if isinstance(data, dict) else None

    def _read_shard(self, file: Path) -> dict[str, dict[str, Any]]:
        """{shard: its entries} of one file, or nothing when the file is not whole or not
        this shard's; entries of another shard planted in it are left out."""
        try:
            raw = file.read_bytes()
            first, _, body = raw.partition(b"\n")
            header = json.loads(first)
            shard = header.get("shard") if isinstance(header, dict) else None
            if not isinstance(shard, str) or header != self._header(shard, body):
                return {}
            if file.name != self._shard_file(shard).name:
                return {}
            entries = json.loads(body)
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {shard: {k: v for k, v in entries.items() if shard_of(k) == shard}}

    def _header(self, shard: str, body: bytes) -> dict[str, str]:
        digest = hashlib.sha256(body).hexdigest()
        return {
            "format": FORMAT,
            "code": code_key(),
            "content": self.content,
            "shard": shard,
            "sha256": digest,
        }

    def has_entry(self, relative: str) -> bool:
        """Whether there is an entry of ``relative`` at all: without one, ``get`` finds none
        whatever the file's blob id (a reader need not hash the file to ask)."""
        self._read_shard_of(relative)
        return relative in self._old

    def known_blob(self, relative: str, status: Status) -> str | None:
        """The blob id of ``relative`` without reading it: its entry's, while the file's
        status is the one the entry recorded."""
        self._read_shard_of(relative)
        raw = self._old.get(relative)
        if self._statuses and isinstance(raw, dict) and status.same(raw.get("status")):
            blob = raw.get("blob")
            return blob if isinstance(blob, str) else None
        return None

    def get(
        self, path: str | Path, relative: str, shown: str, blob: str, status: Status | None = None
    ) -> Entry | None:
        """The entry of ``relative`` (the file at ``path``) if it was made from ``blob``;
        ``status``, the file's now, is recorded with it when settled."""
        self._read_shard_of(relative)
        raw = self._old.get(relative)
        entry = None
        try:
            if isinstance(raw, dict) and raw.get("blob") == blob and raw.get("shown") == shown:
                entry = self._decoded(raw, path, blob)
        except (ValueError, TypeError, KeyError):
            entry = None
        if entry is None or not isinstance(raw, dict):
            return None
        self._keep(relative, self._stamped(raw, status))
        return entry

    def _stamped(self, raw: dict[str, Any], status: Status | None) -> dict[str, Any]:
        """``raw`` with ``status`` as its recorded status (none when not settled)."""
        settled = self._statuses and status is not None and status.settled(self._started_ns)
        row = status.row if settled and status is not None else None
        return raw if raw.get("status") == row else {**raw, "status": row}

    def _keep(self, relative: str, raw: dict[str, Any]) -> None:
        if raw is not self._old.get(relative):
            self._changed.add(shard_of(relative))
        self._new[relative] = raw

    @staticmethod
    def _decoded(raw: Mapping[str, Any], path: str | Path, blob: str) -> Entry:
        data, findings = raw["data"], raw["findings"]
        if data is not None and not isinstance(data, dict):
            raise ValueError("record")
        if not isinstance(findings, list):
            raise ValueError("findings")
        found = [finding_of_row(row) for row in findings]
        return Entry(data, FileMarks(path, blob) if data is not None else {}, found)

    def put(
        self,
        relative: str,
        shown: str,
        blob: str,
        entry: Entry,
        status: Status | None = None,
        *,
        plain: bool | None = None,
    ) -> None:
        """Keeps ``entry`` for ``blob``; ``plain``: ``plain_json(entry.data)`` when the caller
        knows it (a worker that read the file found it)."""
        if plain is None:
            plain = entry.data is None or plain_json(entry.data)
        if not plain:
            return  # JSON would not give it back as it is: read the file every time
        raw = {
            "blob": blob,
            "shown": shown,
            "data": entry.data,
            "findings": [row_of_finding(f) for f in entry.findings],
        }
        self._keep(relative, self._stamped(raw, status))

    def save(self) -> None:
        """Each shard written when anything in it changed, atomically; the file of a shard
        left with no entry removed. A cache that cannot be written is no error (the next run
        reads the files again)."""
        if self.folder is None:
            return
        drop_stale_temporaries(self.folder)
        if self._lazy:
            self._save_seen()
            return
        shards: dict[str, dict[str, Any]] = {}
        for relative, raw in self._new.items():
            shards.setdefault(shard_of(relative), {})[relative] = raw
        for shard, entries in shards.items():
            if shard in self._changed or set(entries) != self._old_shards.get(shard):
                self._write(shard, entries)
        gone = [self._shard_file(shard) for shard in self._old_shards.keys() - shards.keys()]
        if self._single is not None and self._changed:
            gone.append(self._single)
        for file in gone:
            with contextlib.suppress(OSError):  # else read next time, and never asked for
                file.unlink(missing_ok=True)

    def keeps(self, relative: str, blob: str) -> bool:
        """Whether this run keeps the data of ``relative`` made from ``blob`` (JSON can hold
        it: see ``put``)."""
        raw = self._new.get(relative)
        return isinstance(raw, dict) and raw.get("blob") == blob and raw.get("data") is not None

    def _save_seen(self) -> None:
        """A lazy cache's save: each shard with a new or restamped entry written whole, with
        the entries this run did not ask for as they were (it saw only the files it read)."""
        for shard in sorted(self._changed):
            self._read_lazily(shard)
            kept = {r: self._old[r] for r in self._old_shards.get(shard, ())}
            ours = {r: raw for r, raw in self._new.items() if shard_of(r) == shard}
            self._write(shard, dict(sorted({**kept, **ours}.items())))

    def _write(self, shard: str, entries: dict[str, Any]) -> None:
        body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
        text = json.dumps(self._header(shard, body)).encode() + b"\n" + body
        target = self._shard_file(shard)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text)
            os.replace(temporary, target)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
