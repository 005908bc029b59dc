"""Decisions' texts read as plain text, kept from one build to the next.

In a rebuild after one decision changed, few pages are rendered, so the Markdown of the other
decisions' facts, basis and content was not converted for a page first: reading all of it as
plain text again for the open data was most of that data's time (50 CPU s at 100,000
decisions). A text's plain text depends on the text and the code alone, so the build cache
keeps each one under the text's digest (``plain-texts``) and the next build reads it back.

Made for one code (the build's code digest: the Markdown conversion, this reading and the
installed packages); written again after each build with only the texts that build read, so
it does not grow. A header line, then a line per text: its digest and its plain text as a
JSON string; last, the SHA-256 of all the lines before; written and read a line at a time. A
file that is missing, damaged or of other code is ignored. An optimisation only: without it
every text is converted (the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .plaintext import markdown_text

log = logging.getLogger(__name__)

FILE_NAME = "plain-texts"
_FORMAT = "gongshi-plain-texts 2"
_DIGEST_CHARS = 32
_TRAILER = b"#sha256 "  # the last line: no text's line starts with "#"


def text_digest(text: str) -> str:
    encoded = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=_DIGEST_CHARS // 2).hexdigest()


class PlainTexts:
    """``markdown_text`` with the answers of the previous build kept in ``folder`` (none:
    every text converted)."""

    def __init__(self, folder: Path | None = None, key: str = "") -> None:
        self.folder, self.key = folder, key
        self._known: dict[str, str] | None = None

    @property
    def known(self) -> dict[str, str]:
        """The texts kept by the previous build, by digest: read from the file when first
        asked (call it before forking workers, so they share one copy)."""
        if self._known is None:
            self._known = self._load() if self.folder else {}
        return self._known

    def of(self, source: object) -> str:
        if source is None or source == "":
            return ""
        text = str(source)
        known = self.known.get(text_digest(text))
        return markdown_text(text) if known is None else known

    def _load(self) -> dict[str, str]:
        assert self.folder is not None
        path = self.folder / FILE_NAME
        try:
            with path.open("rb") as handle:
                first = handle.readline()
                header = json.loads(first)
                if not isinstance(header, dict):
                    raise ValueError("不是纯文本缓存文件")
                if header.get("format") != _FORMAT or header.get("key") != self.key:
                    return {}  # made by other code: not a problem, just of no use
                return _entries(handle, hashlib.sha256(first))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as problem:
            log.warning("gongshi: 忽略无法读取的 %s（%s）", path, problem)
            return {}

    def save(self, pairs: Iterable[tuple[object, str]]) -> None:
        """Keep (text, its plain text) of this build's texts for the next, a line each, written
        as they come (a province's texts are not held twice); nothing without a folder.
        Renamed over the old file, so a reader never sees half of one."""
        if self.folder is None:
            return
        path = self.folder / FILE_NAME
        temporary = path.with_name(f".{FILE_NAME}.tmp")
        header = json.dumps({"format": _FORMAT, "key": self.key}).encode()
        written: set[str] = set()
        checksum = hashlib.sha256(header + b"\n")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as out:
                out.write(header + b"\n")
                for source, plain in pairs:
                    if source is None or source == "":
                        continue
                    digest = text_digest(str(source))
                    if digest not in written:
                        written.add(digest)
                        line = _line(digest, plain)
                        checksum.update(line)
                        out.write(line)
                out.write(_TRAILER + checksum.hexdigest().encode() + b"\n")
            os.replace(temporary, path)
        except OSError as problem:
            log.warning("gongshi: 无法写入 %s（%s）", path, problem)
            temporary.unlink(missing_ok=True)
        self._known = None  # read back from the file if asked again


def _line(digest: str, plain: str) -> bytes:
    """``<digest> <plain text as a JSON string>``: JSON escapes every line break."""
    encoded = json.dumps(plain, ensure_ascii=False)
    return f"{digest} {encoded}\n".encode("utf-8", "surrogatepass")


def _entries(lines: Iterable[bytes], checksum: Any) -> dict[str, str]:
    """The lines after the header, up to the trailer with the SHA-256 of all before it: a
    byte changed inside a text would still read as a text, the wrong one."""
    texts: dict[str, str] = {}
    for line in lines:
        if line.startswith(_TRAILER):
            if line.rstrip(b"\n") != _TRAILER + checksum.hexdigest().encode():
                raise ValueError("校验和不符")
            return texts
        checksum.update(line)
        digest, plain = _entry(line)
        texts[digest] = plain
    raise ValueError("文件不完整")


def _entry(line: bytes) -> tuple[str, str]:
    digest, space, encoded = line.rstrip(b"\n").partition(b" ")
    plain = json.loads(encoded.decode("utf-8", "surrogatepass"))
    if not space or len(digest) != _DIGEST_CHARS or not isinstance(plain, str):
        raise ValueError("格式不对的一行")
    return digest.decode("ascii"), plain
