"""One search in headless Chromium with a cold cache: how long until the first result (or the
"nothing found" message) shows, and every file the page fetched."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support import launch, new_context, serve

# Notes the moment the first result item appears, or the page's done signal (data-outcome on
# the status: none, broad, failed …) says there is nothing to list.
WATCH = """
window.__first = null;
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var note = function () {
    if (window.__first === null && (list.children.length ||
        status.hasAttribute("data-outcome"))) {
      window.__first = performance.now();
    }
  };
  new MutationObserver(note).observe(document.body, {childList: true, subtree: true,
                                                    characterData: true, attributes: true});
});
"""


@dataclass(frozen=True)
class Visit:
    millis: float  # navigation start to first result
    files: list[str]  # paths fetched, relative to the site root
    ids: list[str]  # Pagefind's result ids (empty for ours)


@cache
def gzip_size(path: Path) -> int:
    """What a server with gzip on sends: already-compressed files (Pagefind's) as they are."""
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, compresslevel=6))


class Browser:
    def __init__(self, playwright: Any) -> None:
        self.chromium = launch(playwright)

    def visit(self, base: str, page_path: str, query: str) -> Visit:
        context = new_context(self.chromium)  # a cold cache for every visit
        context.add_init_script(WATCH)
        files: list[str] = []
        context.on("request", lambda r: files.append(unquote(urlsplit(r.url).path)))
        page = context.new_page()
        page.goto(f"{base}/{page_path}?q={quote(query)}")
        page.wait_for_function("window.__first !== null")
        page.wait_for_load_state("networkidle")
        millis = float(page.evaluate("window.__first"))
        ids = page.evaluate("window.__ids || []")
        context.close()
        return Visit(millis, [f.lstrip("/") for f in files], list(ids))

    def close(self) -> None:
        self.chromium.close()


@contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = Browser(p)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def served(site: Path) -> Iterator[str]:
    with serve(site) as base:
        yield base


def is_index(name: str) -> bool:
    """Index data, as opposed to the page, its scripts and Pagefind's WebAssembly."""
    if name.startswith("search/"):
        return True
    data = (".json", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
    return name.startswith("pagefind/") and name.endswith(data)


def bytes_of(site: Path, files: list[str]) -> tuple[int, int]:
    """(index bytes, all bytes) fetched, gzip, counting each file once."""
    index = total = 0
    for name in dict.fromkeys(files):
        path = site / name
        if not path.is_file():
            continue
        size = gzip_size(path)
        total += size
        if is_index(name):
            index += size
    return index, total
