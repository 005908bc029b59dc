"""SHA256SUMS: one ``<sha256>  <path>`` line per file of the site, as ``sha256sum -c`` reads it.

Paths are relative to the site root with '/' separators, sorted by their UTF-8 bytes (the same
order on every machine, whatever its locale). The manifest and the statement files are not in
it: they describe it. A manifest read back is untrusted input (a mirror serves it): a path that
could leave the site folder is a finding, never opened.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gongshi_records.walk import entries_under

from .config import SEAL_FILES, TrustError

_LINE = re.compile(r"([0-9a-f]{64}) [ *](.*)")
# Unicode's control characters (category Cc): a regex, not a category per character, as 150,000
# paths are checked on every build.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
CHUNK = 1 << 16  # read size when hashing files (shared with sources)


def sha256_stream(stream: IO[bytes] | Any) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    with path.open("rb") as stream:
        return sha256_stream(stream)


def unsafe_reason(path: str) -> str | None:
    """Why a manifest path may not be opened or fetched under the site root, or None."""
    if not path:
        return "路径为空"
    if "\\" in path:
        return "含反斜杠"
    if path.startswith("/"):
        return "是绝对路径"
    if _CONTROL.search(path):
        return "含控制字符"
    parts = path.split("/")
    if ".." in parts:
        return "含 .. 路径段"
    if "" in parts or "." in parts:
        return "含空的或 . 路径段"
    return None


def site_files(output: Path) -> Iterator[str]:
    """Every file under ``output`` as a '/'-separated relative path, except the seal's own."""
    for name, entry in entries_under(output):
        if entry.is_symlink():
            raise TrustError(f"输出目录中的 {name} 是符号链接：网站只发布普通文件")
        if entry.is_file(follow_symlinks=False) and name not in SEAL_FILES:
            yield name


def render_manifest(output: Path, digests: Mapping[str, str] | None = None) -> bytes:
    """SHA256SUMS of ``output``; ``digests`` are hashes already known (the build cache's,
    computed in this build or checked against the previous file's size, mtime and inode)."""
    known = digests or {}
    lines = []
    for name in sorted(site_files(output), key=lambda n: n.encode("utf-8")):
        reason = unsafe_reason(name)
        if reason:
            # sha256sum would escape such a name, and verify refuses escaped lines.
            raise TrustError(f"输出文件名 {name!r} {reason}，无法写入 SHA256SUMS：请改名")
        digest = known.get(name) or sha256_file(output / name)
        lines.append(f"{digest}  {name}\n")
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str


@dataclass(frozen=True)
class Manifest:
    entries: list[Entry]
    problems: list[str]  # lines that are not entries, each a Chinese sentence


def parse_manifest(data: bytes) -> Manifest:
    entries: list[Entry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw:
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"SHA256SUMS 第 {number} 行不是 UTF-8 文本")
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            problems.append(f"SHA256SUMS 第 {number} 行格式不对（应为“<64 位十六进制>  <路径>”）")
            continue
        digest, path = match.groups()
        reason = unsafe_reason(path)
        if reason:
            problems.append(f"SHA256SUMS 第 {number} 行的路径 {path!r} {reason}，未读取")
        elif path in SEAL_FILES:
            problems.append(f"SHA256SUMS 第 {number} 行列出了 {path}，它不应在清单中")
        elif path in seen:
            problems.append(f"SHA256SUMS 第 {number} 行重复列出 {path}")
        else:
            seen.add(path)
            entries.append(Entry(path, digest))
    return Manifest(entries, problems)
