"""Test support: a local HTTP server (with a gate to hold chosen requests), and Chromium via
Playwright with one generous timeout as the last guard of every wait."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags the browser needs on a machine with no network beyond the package registries.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Tests wait for conditions; this only ends a test that would otherwise hang. It is generous
# because the first Chromium start on a busy CI machine (cold profile, font cache) is slow.
BROWSER_TIMEOUT_MS = 120_000
# The same guard for waits outside the browser (a gate's request arriving, a server starting).
WAIT_SECONDS = BROWSER_TIMEOUT_MS / 1000


# The two screens the portal is tested on: a 360 px phone (the narrowest in common use) and a
# desktop.
VIEWPORTS: dict[str, dict[str, int]] = {
    "phone": {"width": 360, "height": 780},
    "desktop": {"width": 1280, "height": 900},
}


def launch(playwright: Any) -> Any:
    """Debian's Chromium through its executable path (no browser download)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=BROWSER_TIMEOUT_MS
    )


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context whose every wait and navigation has the last-guard timeout."""
    context = browser.new_context(**options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    return context


@dataclass
class Gate:
    """Holds every request whose path contains ``fragment`` until ``release()``: a slow
    network on demand, so a test can order responses without waiting for time."""

    fragment: str
    arrived: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def wait_arrived(self) -> None:
        assert self.arrived.wait(WAIT_SECONDS), f"no request for {self.fragment} arrived"

    def release(self) -> None:
        self.opened.set()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    gates: tuple[Gate, ...] = ()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        for gate in self.gates:
            if gate.fragment in self.path:
                gate.arrived.set()
                gate.opened.wait(WAIT_SECONDS)
        super().do_GET()


@contextmanager
def serve(directory: Path, *gates: Gate) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port; yields the base URL."""
    handler_class = type("GatedHandler", (_QuietHandler,), {"gates": gates})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        for gate in gates:
            gate.release()
        server.shutdown()
        server.server_close()


def wait_until(check: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    """Polls ``check`` (a condition outside the browser: a file in a git repository, a server
    answering) five times a second until it holds; fails after the last-guard timeout. The
    pause between polls only spaces the checks: the test waits for the condition, not a time."""
    pause = threading.Event()
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not reached within {seconds:.0f} s"
        pause.wait(0.2)
