"""`gongshi serve`: a real preview server that rebuilds and tells pages to reload."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support import WAIT_SECONDS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(check: object, seconds: float = WAIT_SECONDS) -> None:
    """Polls ``check`` until it holds; the time limit is only the last guard against a hang."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_serve_builds_previews_and_rebuilds(mini: Path, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    output = tmp_path / "preview"
    command = [sys.executable, "-m", "gongshi_cli", "serve", "--content", str(mini),
               "--output", str(output), "--port", str(port), "--as-of", "2026-11-24"]  # fmt: skip
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: "测试区" in fetch(f"{base}/index.html"))
        page = fetch(f"{base}/index.html")
        assert '<script src="/__gongshi__/reload.js"></script></body>' in page
        assert "reload" in fetch(f"{base}/__gongshi__/reload.js")
        first = fetch(f"{base}/__gongshi__/build")
        officer = mini / "agencies/demo-bureau/officers/33029900000001.yaml"
        officer.write_text(officer.read_text("utf-8").replace("欧阳明轩", "欧阳明哲"), "utf-8")
        wait_for(lambda: fetch(f"{base}/__gongshi__/build") != first)
        assert "欧阳明哲" in fetch(f"{base}/officers/33029900000001.html")
        # The built site itself carries no preview script.
        assert "__gongshi__" not in (tmp_path / "preview/index.html").read_text("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)
