"""What a collection's search files were made from, kept in the build cache between builds.

A rebuild after one decision changed used to tokenise every document again and rewrite every
term bucket and store: a quarter of the rebuild. With the previous build's state a collection
(shards.py) takes an unchanged document's postings from here instead of tokenising it, and
writes again only the files whose contents change; the others are the previous site's files,
linked (buildcache.py). What is kept, per collection:

* every term seen so far, in term-id order, with its bucket hash (fnv1a) and the number of
  documents that hold it;
* every document in number order: a digest of everything search knows of it (``doc_digest``)
  and its postings (term ids, frequencies with ``BODY_FLAG``), as the collection holds them;
* the SHA-256 of each file the collection wrote.

The state is only an optimisation: a build without it writes the same bytes (tested). It is
written into the user's own cache folder, yet read defensively, like the build manifest: its own
format and key (the code and settings it was made with), a digest over the whole file and every
term id checked; anything else and it is ignored with a warning. What its digest covers is
trusted as it is (as the build manifest is): a state written with a valid digest by someone
who can write to the user's cache folder can make the search files wrong, not stop a build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

log = logging.getLogger(__name__)

MAGIC = b"gongshi-search-state 1\n"
DIGEST_SIZE = 16  # bytes of a document's digest
_HEADER_LENGTH = 8
_SHA = 32
# What reading a state file that is not what it should be may raise (UnicodeDecodeError is a
# ValueError).
_DAMAGED = (ValueError, TypeError, KeyError, AttributeError, EOFError, RecursionError)


class PreviousSite(Protocol):
    """The previous build's published files, as the build cache knows them."""

    def previous_sha256(self, name: str) -> str | None:
        """The SHA-256 the previous build recorded for site file ``name``, if any."""

    def reuse(self, name: str, target: Path) -> bool:
        """``target`` becomes the previous site's ``name`` (still intact); False if it cannot."""


@dataclass(frozen=True)
class Incremental:
    """How a search build reaches the previous one: the folder its states are kept in, the
    code they must have been made with (``key``), and the previous site's files."""

    folder: Path
    key: str
    site: PreviousSite


@dataclass
class State:
    """One collection's state (see the module's docstring)."""

    words: list[str]
    hashes: array[int]  # fnv1a of each term
    df: array[int]  # documents per term
    digests: list[bytes]  # documents in number order
    term_ids: list[array[int]]
    freqs: list[array[int]]
    files: dict[str, str] = field(default_factory=dict)  # file name → SHA-256 as written
    buckets: int = 0  # how many term buckets were written

    @property
    def count(self) -> int:
        return len(self.digests)

    def save(self, path: Path, key: str) -> None:
        """Written beside and renamed over, so a reader never sees half a state."""
        lengths = array("I", (len(ids) for ids in self.term_ids))
        header = {
            "key": key,
            "byteorder": sys.byteorder,
            "words": self.words,
            "documents": self.count,
            "postings": sum(lengths),
            "files": self.files,
            "buckets": self.buckets,
        }
        text = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
        encoded = text.encode("utf-8", "surrogatepass")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        digest = hashlib.sha256()
        # Written a document at a time: all postings at once are 100 MB at 100,000 decisions,
        # and the search index is where a large build's memory peaks.
        with temporary.open("wb") as stream:

            def put(part: bytes) -> None:
                digest.update(part)
                stream.write(part)

            put(MAGIC + len(encoded).to_bytes(_HEADER_LENGTH, "little") + encoded)
            for values in (self.hashes, self.df, lengths, *self.term_ids, *self.freqs):
                put(values.tobytes())
            put(b"".join(self.digests))
            stream.write(digest.digest())
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path, key: str) -> State | None:
        """The state at ``path`` if it is whole and was made with ``key``, else None. Read
        twice from the file, a piece at a time (once for its digest, once for its contents),
        never held whole: it is 100 MB at 100,000 decisions."""
        try:
            with path.open("rb") as stream:
                return cls._read(stream, key)
        except FileNotFoundError:
            return None
        except OSError as problem:
            log.warning("gongshi: 搜索索引缓存 %s 无法读取（%s），本次重新生成", path, problem)
        except _DAMAGED as problem:
            log.warning("gongshi: 搜索索引缓存 %s 无法使用（%s），本次重新生成", path, problem)
        return None

    @classmethod
    def _read(cls, stream: BinaryIO, key: str) -> State | None:
        reader = _Reader(stream)
        if reader.take(len(MAGIC)) != MAGIC:
            raise ValueError("不是搜索索引缓存文件")
        header = json.loads(reader.take(reader.number()).decode("utf-8"))
        if not isinstance(header, dict) or not isinstance(header["files"], dict):
            raise ValueError("文件头格式不对")
        if header["key"] != key:
            return None  # made by other code or settings: simply not this build's
        if header["byteorder"] != sys.byteorder:
            raise ValueError("字节序不同")
        words = [str(word) for word in header["words"]]
        if len(set(words)) != len(words):
            raise ValueError("词表有重复")
        documents = int(header["documents"])
        hashes, df = reader.ints(len(words)), reader.ints(len(words))
        lengths = reader.ints(documents)
        if sum(lengths) != int(header["postings"]):
            raise ValueError("词项数目不符")
        term_ids = [reader.ints(length) for length in lengths]
        freqs = [reader.ints(length) for length in lengths]
        digests = reader.chunks(DIGEST_SIZE, documents)
        reader.done()
        if any(ids and max(ids) >= len(words) for ids in term_ids):
            raise ValueError("词项编号超出词表")
        files = {str(k): str(v) for k, v in header["files"].items()}
        return cls(words, hashes, df, digests, term_ids, freqs, files, int(header["buckets"]))


class Within:
    """The previous site seen from one folder of it: names relative to ``prefix``."""

    def __init__(self, site: PreviousSite, prefix: str) -> None:
        self.site, self.prefix = site, prefix

    def previous_sha256(self, name: str) -> str | None:
        return self.site.previous_sha256(self.prefix + name)

    def reuse(self, name: str, target: Path) -> bool:
        return self.site.reuse(self.prefix + name, target)


class CollectionFiles:
    """The files of one collection's folder: written, or taken over from the previous site
    when the state says the previous build wrote the same bytes under the same name."""

    def __init__(self, folder: Path, site: PreviousSite | None, previous: State | None) -> None:
        self.folder, self.site = folder, site
        self.before = previous.files if previous is not None else {}
        self.written: dict[str, str] = {}  # name → SHA-256
        folder.mkdir(parents=True, exist_ok=True)

    def reuse(self, name: str) -> bool:
        sha = self.before.get(name)
        if sha is None or self.site is None or self.site.previous_sha256(name) != sha:
            return False
        if not self.site.reuse(name, self.folder / name):
            return False
        self.written[name] = sha
        return True

    def write_json(self, name: str, value: Any) -> str:
        """``name`` written; returns its SHA-256. A file taken over is a link to the live
        site's: replaced, never written through."""
        data = json_bytes(value)
        target = self.folder / name
        target.unlink(missing_ok=True)
        target.write_bytes(data)
        self.written[name] = digest = hashlib.sha256(data).hexdigest()
        return digest


class _Reader:
    """A state file's parts in order, each checked to be there whole, from a file whose last
    bytes are the SHA-256 of all before them (checked first, reading it through once)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.end = os.fstat(stream.fileno()).st_size - _SHA
        if self.end < len(MAGIC) + _HEADER_LENGTH:
            raise ValueError("文件不完整")
        digest, left = hashlib.sha256(), self.end
        while left:
            chunk = stream.read(min(left, 1 << 20))
            if not chunk:
                raise ValueError("文件不完整")
            digest.update(chunk)
            left -= len(chunk)
        if stream.read(_SHA) != digest.digest():
            raise ValueError("摘要不符，可能已损坏")
        stream.seek(0)

    def take(self, size: int) -> bytes:
        if size < 0 or self.stream.tell() + size > self.end:
            raise ValueError("文件不完整")
        return self.stream.read(size)

    def number(self) -> int:
        return int.from_bytes(self.take(_HEADER_LENGTH), "little")

    def ints(self, count: int) -> array[int]:
        values = array("I")
        if count < 0 or self.stream.tell() + count * values.itemsize > self.end:
            raise ValueError("文件不完整")
        values.fromfile(self.stream, count)
        return values

    def chunks(self, size: int, count: int) -> list[bytes]:
        blob = self.take(size * count)
        return [blob[i : i + size] for i in range(0, len(blob), size)]

    def done(self) -> None:
        if self.stream.tell() != self.end:
            raise ValueError("文件末尾有多余内容")


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON, as every search file is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def doc_digest(parts: Sequence[Any]) -> bytes:
    """A digest of a document's parts (strings and lists of strings): JSON keeps the parts
    apart whatever they contain."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    encoded = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=DIGEST_SIZE).digest()
