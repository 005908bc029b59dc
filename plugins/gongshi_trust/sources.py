"""Where a site to verify is read from: a folder, or a mirror over HTTP(S).

Both only ever read paths that :func:`manifest.unsafe_reason` accepted, and both confirm that
what they open is under the site root: a folder by resolving the path, a mirror by building the
URL from the percent-encoded path and refusing redirects that leave the base URL.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import quote, urlsplit

from .manifest import sha256_stream

TIMEOUT_SECONDS = 30
_CHUNK = 1 << 16


class SourceUnavailable(Exception):
    """The site cannot be read at all (unreachable, not a folder): exit 2."""


class ReadFailed(Exception):
    """One file could not be read; the reason is a Chinese phrase."""


class Source(Protocol):
    location: str  # the folder or base URL, as remembered in a state file

    def read(self, path: str, limit: int) -> bytes | None:
        """The file's bytes (at most ``limit``), or None when it does not exist."""

    def digest(self, path: str) -> str | None:
        """The file's SHA-256, or None when it does not exist."""

    def listing(self) -> Iterator[str] | None:
        """Every file under the root (a folder), or None where it cannot be listed (HTTP)."""


class DirectorySource:
    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise SourceUnavailable(f"{root} 不是目录")
        self.root = root.resolve()
        self.location = str(self.root)

    def _open(self, path: str) -> IO[bytes] | None:
        target = self.root / path
        if not target.exists() and not target.is_symlink():
            return None
        if not target.resolve().is_relative_to(self.root):
            raise ReadFailed("是指向站点目录之外的符号链接，未读取")
        if not target.is_file():
            raise ReadFailed("不是普通文件")
        try:
            return target.open("rb")
        except OSError as exc:
            raise ReadFailed(exc.strerror or str(exc)) from exc

    def read(self, path: str, limit: int) -> bytes | None:
        stream = self._open(path)
        if stream is None:
            return None
        with stream:
            return _bounded(stream, limit, path)

    def digest(self, path: str) -> str | None:
        stream = self._open(path)
        if stream is None:
            return None
        with stream:
            return sha256_stream(stream)

    def listing(self) -> Iterator[str]:
        for folder, dirs, files in os.walk(self.root):
            dirs.sort()
            here = Path(folder).relative_to(self.root)
            # A symlinked folder is listed as an entry, not walked into.
            names = files + [d for d in dirs if (Path(folder) / d).is_symlink()]
            for name in sorted(names):
                yield (here / name).as_posix()


class _StayUnderBase(urllib.request.HTTPRedirectHandler):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not newurl.startswith(self.base):
            raise ReadFailed(f"被重定向到站点之外（{newurl}），未读取")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpSource:
    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceUnavailable(f"{url} 不是 http(s) 网址")
        if parts.query or parts.fragment:
            raise SourceUnavailable(f"{url} 应为网站根目录的网址，不带 ? 或 # 部分")
        self.base = url if url.endswith("/") else url + "/"
        self.location = self.base
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_StayUnderBase(self.base))

    def url(self, path: str) -> str:
        # Percent-encoding every character but '/' keeps ':', '?', '#' and '%' in a name from
        # turning it into another URL; unsafe_reason already refused '..' and absolute paths.
        return self.base + quote(path, safe="/")

    def _open(self, path: str) -> Any:
        request = urllib.request.Request(self.url(path), headers={"User-Agent": "gongshi-verify"})
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (404, 410):
                return None
            raise ReadFailed(f"服务器返回 HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            raise SourceUnavailable(f"无法连接 {self.base}（{exc.reason}）") from exc
        except TimeoutError as exc:
            raise SourceUnavailable(f"连接 {self.base} 超时（{self.timeout} 秒）") from exc

    def read(self, path: str, limit: int) -> bytes | None:
        response = self._open(path)
        if response is None:
            return None
        with response:
            try:
                return _bounded(response, limit, path)
            except (OSError, TimeoutError) as exc:
                raise ReadFailed(f"读取中断（{exc}）") from exc

    def digest(self, path: str) -> str | None:
        response = self._open(path)
        if response is None:
            return None
        with response:
            try:
                return sha256_stream(response)
            except (OSError, TimeoutError) as exc:
                raise ReadFailed(f"读取中断（{exc}）") from exc

    def listing(self) -> None:
        return None


def _bounded(stream: IO[bytes] | Any, limit: int, path: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadFailed(f"超过 {limit} 字节，不像是 {path}")
    return bytes(data)


def open_source(location: str) -> Source:
    if "://" in location:
        return HttpSource(location)
    return DirectorySource(Path(location))
