"""File contents from git history, read in one ``git cat-file --batch`` process per request.

A blob is the content of a file at one commit; the same blob (an unchanged file, a pure move)
is read and parsed once. Parsing goes through the strict record loader, so a historical version
is read exactly as the build reads the current one.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

import git
from gongshi_records.yamlload import YamlProblem, load_bytes


class BlobStore:
    """Raw and parsed blob contents, fetched in batches and cached by object id."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo
        self._raw: dict[str, bytes | None] = {}
        self._parsed: dict[str, Mapping[str, Any] | None] = {}

    def fetch(self, shas: Iterable[str | None]) -> None:
        """Read every blob not read yet, all in one git process."""
        wanted = sorted({sha for sha in shas if sha and sha not in self._raw})
        if not wanted:
            return
        with tempfile.TemporaryFile() as request:
            request.write("".join(f"{sha}\n" for sha in wanted).encode("ascii"))
            request.seek(0)
            out = self._repo.git.cat_file(
                "--batch", istream=request, stdout_as_string=False, strip_newline_in_stdout=False
            )
        self._raw.update(parse_batch(bytes(out)))
        for sha in wanted:
            self._raw.setdefault(sha, None)  # missing (a shallow clone's cut-off history)

    def prime(self, sha: str, data: Mapping[str, Any]) -> None:
        """Record the parse of a blob already loaded elsewhere (the build's current records)."""
        self._parsed.setdefault(sha, data)

    def parsed(self, sha: str) -> bool:
        """Whether the record at this blob is known without reading it (primed or parsed)."""
        return sha in self._parsed

    def raw(self, sha: str) -> bytes | None:
        if sha not in self._raw:
            self.fetch([sha])
        return self._raw[sha]

    def data(self, sha: str) -> Mapping[str, Any] | None:
        """The record at this blob, or None when it cannot be read as a record."""
        if sha not in self._parsed:
            self._parsed[sha] = _parse(self.raw(sha))
        return self._parsed[sha]


def blob_id(raw: bytes, like: str) -> str:
    """The id git gives ``raw`` as a blob, in the repository's hash (SHA-1, or SHA-256 when
    ``like`` is 64 hex digits long)."""
    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(raw) + raw).hexdigest()


def parse_batch(out: bytes) -> dict[str, bytes | None]:
    """``git cat-file --batch`` output: ``<sha> <type> <size>\\n<content>\\n`` per object."""
    blobs: dict[str, bytes | None] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split(" ")
        pos = end + 1
        if len(header) != 3:  # "<sha> missing"
            blobs[header[0]] = None
            continue
        size = int(header[2])
        blobs[header[0]] = out[pos : pos + size]
        pos += size + 1
    return blobs


def _parse(raw: bytes | None) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    try:
        data = load_bytes(raw).data  # the size limit and UTF-8, as a file's bytes are read
    except YamlProblem:
        return None
    return data if isinstance(data, dict) else None
