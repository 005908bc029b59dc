"""`gongshi serve`: build, preview on localhost, rebuild when a record or the theme changes.

Pages reload themselves: in preview only, HTML responses get one external script that polls
the build number (no inline script, so the preview runs under the same CSP as the real site).
A build with errors prints them and keeps the previous site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gongshi_records.paths import SCHEMA_DIR, THEME_DIR
from gongshi_records.publication import resolve_as_of

from ..common import EXIT_OK, add_content_option, content_dir, iso_date, print_findings

NAME = "serve"
RELOAD_PATH = "/__gongshi__/reload.js"
BUILD_PATH = "/__gongshi__/build"
RELOAD_JS = b"""(function () {
  var seen = null;
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/__gongshi__/build");
    request.onload = function () {
      if (seen !== null && request.responseText !== seen) { window.location.reload(); }
      seen = request.responseText;
    };
    request.send();
  }
  poll();
  window.setInterval(poll, 1000);
}());
"""


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="生成网站并在本机预览，记录改动后自动重新生成")
    add_content_option(parser)
    parser.add_argument("--output", default="output", help="输出目录（默认 output/）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--as-of", type=iso_date, help="以该日期判断公示是否到期（默认今天）")
    parser.set_defaults(func=run)


class Preview:
    """The build number pages poll, and the rebuild when watched files change."""

    def __init__(self, content: Path, output: Path, as_of: dt.date) -> None:
        self.content, self.output, self.as_of = content, output, as_of
        self.build_number = 0
        self.watched = [content, THEME_DIR, SCHEMA_DIR]

    def build(self) -> None:
        from gongshi_portal.build import build_site
        from gongshi_portal.generator import BuildFailed
        from gongshi_portal.settings import SettingsError
        from gongshi_search import SearchBuildError

        try:
            build_site(self.content, self.output, as_of=self.as_of)
        except BuildFailed as failed:
            print_findings(failed.findings, "text")
            sys.stderr.write(f"{failed}：预览仍显示上一次生成的网站\n")
            return
        except (SearchBuildError, SettingsError) as missing:
            sys.stderr.write(f"{missing}：预览仍显示上一次生成的网站\n")
            return
        self.build_number += 1
        sys.stderr.write(f"已生成（第 {self.build_number} 次）\n")

    def watch(self, interval: float = 1.0) -> None:
        stamp = _stamp(self.watched)
        while True:
            time.sleep(interval)
            now = _stamp(self.watched)
            if now != stamp:
                stamp = now
                self.build()


def _stamp(folders: Iterable[Path]) -> tuple[tuple[str, float], ...]:
    """Every file's modification time: a change, addition or removal changes the stamp."""
    return tuple(
        (str(p), p.stat().st_mtime)
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        if self.path == RELOAD_PATH:
            self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        elif self.path == BUILD_PATH:
            self._send(str(self.preview.build_number).encode(), "text/plain; charset=utf-8")
        elif self.path.split("?")[0].endswith((".html", "/")):
            self._send_page()
        else:
            super().do_GET()

    def _send_page(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        script = f'<script src="{RELOAD_PATH}"></script></body>'.encode()
        self._send(path.read_bytes().replace(b"</body>", script), "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def run(args: argparse.Namespace) -> int:
    preview = Preview(content_dir(args.content), Path(args.output), resolve_as_of(args.as_of))
    preview.build()
    handler = type("Handler", (_Handler,), {"preview": preview})
    serve = functools.partial(handler, directory=str(Path(args.output).resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), serve)
    threading.Thread(target=preview.watch, daemon=True).start()
    sys.stderr.write(f"预览地址：http://127.0.0.1:{args.port}/index.html（Ctrl+C 结束）\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
