"""Where a site to verify is read from: a folder, or a mirror over HTTP(S).

Both only ever read paths that :func:`manifest.unsafe_reason` accepted, and both confirm that
what they open is under the site root: a folder by resolving the path, a mirror by building the
URL from the percent-encoded path and refusing redirects that leave the base URL.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import quote, urlsplit

from .config import os_reason
from .manifest import CHUNK, sha256_stream

# How long one read from the server may wait for the next bytes.
TIMEOUT_SECONDS = 30
# How long one whole file may take: a mirror that trickles bytes must not hold verify forever.
# 20 MB (the largest attachment) at a slow 1 Mbit/s takes under three minutes.
FILE_DEADLINE_SECONDS = 300
# The most bytes read of one file. The build writes nothing near it: attachments are at most
# 20 MB, pages and data exports of even a large portal far less. Past it, the file is not the
# site's and reading stops (a mirror could otherwise stream without end).
MAX_FILE_BYTES = 64 * 1024 * 1024
# Sent instead of a name of our own: a mirror must not be able to tell the verifier from a
# visitor and serve the genuine files to it alone (see docs/verify.md for what remains).
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


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
            raise ReadFailed(os_reason(exc)) from exc

    def read(self, path: str, limit: int) -> bytes | None:
        stream = self._open(path)
        if stream is None:
            return None
        with stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise ReadFailed(f"超过 {limit} 字节，不像是 {path}")
        return bytes(data)

    def digest(self, path: str) -> str | None:
        stream = self._open(path)
        if stream is None:
            return None
        with stream:
            try:
                return sha256_stream(stream)
            except OSError as exc:
                raise ReadFailed(os_reason(exc)) from exc

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
    """A mirror; the limits default to the module's constants (read when it is made)."""

    def __init__(
        self,
        url: str,
        timeout: float | None = None,
        deadline: float | None = None,
        max_bytes: int | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceUnavailable(f"{url} 不是 http(s) 网址")
        if parts.query or parts.fragment:
            raise SourceUnavailable(f"{url} 应为网站根目录的网址，不带 ? 或 # 部分")
        self.base = url if url.endswith("/") else url + "/"
        self.location = self.base
        self.timeout = TIMEOUT_SECONDS if timeout is None else timeout
        self.deadline = FILE_DEADLINE_SECONDS if deadline is None else deadline
        self.max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
        self._opener = urllib.request.build_opener(_StayUnderBase(self.base))

    def url(self, path: str) -> str:
        # Percent-encoding every character but '/' keeps ':', '?', '#' and '%' in a name from
        # turning it into another URL; unsafe_reason already refused '..' and absolute paths.
        return self.base + quote(path, safe="/")

    def _open(self, path: str) -> Any:
        request = urllib.request.Request(self.url(path), headers={"User-Agent": USER_AGENT})
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (404, 410):
                return None
            raise ReadFailed(f"服务器返回 HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason if isinstance(exc.reason, OSError) else None
            said = net_failure(reason, self.timeout) if reason else f"网络错误（{exc.reason}）"
            raise SourceUnavailable(f"无法连接 {self.base}：{said}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise SourceUnavailable(
                f"无法连接 {self.base}：{net_failure(exc, self.timeout)}"
            ) from exc

    def _chunks(self, path: str, limit: int) -> Iterator[bytes] | None:
        """The file's bytes in pieces, stopped past ``limit`` bytes or the whole-file deadline."""
        started = time.monotonic()
        response = self._open(path)
        if response is None:
            return None
        return self._drain(response, limit, started)

    def _drain(self, response: Any, limit: int, started: float) -> Iterator[bytes]:
        size = 0
        with response:
            while True:
                if time.monotonic() - started > self.deadline:
                    raise ReadFailed(f"超过 {self.deadline:g} 秒仍未读完，已放弃（镜像过慢）")
                try:
                    # read1 returns what one receive brings; read(n) would wait for all n bytes
                    # however slowly they trickle, past any deadline.
                    chunk = response.read1(CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise ReadFailed(f"读取中断：{net_failure(exc, self.timeout)}") from exc
                if not chunk:
                    return
                size += len(chunk)
                if size > limit:
                    raise ReadFailed(
                        f"超过 {limit} 字节仍未读完，已停止读取：网站不会生成这么大的文件"
                    )
                yield chunk

    def read(self, path: str, limit: int) -> bytes | None:
        chunks = self._chunks(path, limit)
        return None if chunks is None else b"".join(chunks)

    def digest(self, path: str) -> str | None:
        chunks = self._chunks(path, self.max_bytes)
        if chunks is None:
            return None
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
        return digest.hexdigest()

    def listing(self) -> None:
        return None


def net_failure(exc: BaseException, timeout: float) -> str:
    """A network error in Chinese, the library's own words kept for the unusual ones."""
    if isinstance(exc, TimeoutError):
        return f"服务器 {timeout:g} 秒无响应"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝（服务器未运行或端口不对）"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "连接被服务器断开"
    if isinstance(exc, socket.gaierror):
        return "找不到这个主机名（请检查网址）"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"HTTPS 证书无效（{exc.verify_message}）"
    if isinstance(exc, http.client.IncompleteRead):
        return "文件没有传完连接就断开了"
    return f"网络错误（{exc}）"


def open_source(location: str) -> Source:
    if "://" in location:
        return HttpSource(location)
    return DirectorySource(Path(location))
