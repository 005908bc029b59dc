"""Lines of text files the privacy scan of the output found no candidate number in.

After one decision changed, ``data/decisions.json`` and ``decisions.csv`` (200 MB of text at
100,000 decisions) have new bytes, so the last check of the site (sitescan.py) read them
through again, every line through every number pattern: 40 s of a rebuild. What a line holds
depends on its text alone, so the scan remembers the digests of the lines of text files it
found without a single candidate (allowed or not, like a clean file) and passes over them next
time; a changed row is a new line, and is read.

Kept in the build cache (``clean-lines``), made for the scan's own code: a change to the
privacy patterns, to what they read or to this scan (or another Python's Unicode tables)
forgets every line. Only the lines of this scan are kept, so
it does not grow. An optimisation only: without it every line is read (the same findings).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import unicodedata
from functools import cache
from pathlib import Path

from gongshi_records import fasthtml, htmltext, identifiers, invisible, privacy

log = logging.getLogger(__name__)

FILE_NAME = "clean-lines"
DIGEST_SIZE = 8  # bytes: a line taken for another needs a 64-bit collision with a clean one
_MAGIC = b"gongshi-clean-lines 1\n"


def line_digest(line: str) -> bytes:
    encoded = line.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=DIGEST_SIZE).digest()


@cache
def scan_code_key() -> bytes:
    """The code that decides whether a line or a file is clean: the patterns, the checks of
    the numbers they find, the characters folded or dropped, the HTML reading, this scan, and
    the Unicode tables of this Python (which digits fold)."""
    from . import sitescan  # here: sitescan imports this module

    digest = hashlib.sha256(_MAGIC)
    digest.update(f"{sys.version}|{unicodedata.unidata_version}".encode())
    for module in (privacy, identifiers, invisible, htmltext, fasthtml, sitescan):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.digest()


def load(folder: Path) -> frozenset[bytes]:
    """The clean lines the previous scan left in ``folder``; none when there are none, or they
    were made by other code, or the file is damaged."""
    path = folder / FILE_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return frozenset()
    except OSError as problem:
        log.warning("gongshi: 无法读取 %s（%s）", path, problem)
        return frozenset()
    key = scan_code_key()
    head = len(key)
    body = data[head:]
    if data[:head] != key or len(body) % DIGEST_SIZE:
        return frozenset()
    return frozenset(body[i : i + DIGEST_SIZE] for i in range(0, len(body), DIGEST_SIZE))


def save(folder: Path, lines: set[bytes]) -> None:
    path = folder / FILE_NAME
    temporary = path.with_name(f".{FILE_NAME}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(scan_code_key() + b"".join(sorted(lines)))
        os.replace(temporary, path)
    except OSError as problem:
        log.warning("gongshi: 无法写入 %s（%s）", path, problem)
