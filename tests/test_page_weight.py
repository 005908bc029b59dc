"""The page-weight budget of docs/portal.md, enforced on the demo site without a browser.

A page's weight is what a reader's browser downloads to show it: the HTML and every stylesheet,
script, icon and image it references (``<link rel="stylesheet"|"icon">``, ``<script src>``,
``<img src>``), each counted gzip-compressed at level 6 as the server of docs/deploy.md sends
it. Feeds (``rel="alternate"``) are not fetched by a browser. The search shards that search.js
fetches per query are budgeted by docs/search.md and not counted here; neither are the web forms
(admin/, not a public page).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

KB = 1024
PAGE_BUDGET = 30 * KB  # any public page with everything it loads
SEARCH_BUDGET = 45 * KB  # search.html with lunr and the search scripts (shards: docs/search.md)
FILE_BUDGET = 10 * KB  # any one stylesheet or script of the theme
SEARCH_PAGE = "search.html"
# What the browser fetches for a <link>: stylesheets (print ones too, at low priority) and icons.
FETCHED_LINKS = {"stylesheet", "icon"}


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "link" and FETCHED_LINKS & set((named.get("rel") or "").split()):
            self._add(named.get("href"))
        elif tag in ("script", "img"):
            self._add(named.get("src"))

    def _add(self, value: str | None) -> None:
        if value:
            self.found.append(value.split("#")[0].split("?")[0])


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.found


@cache
def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def page_weight(site: Path, html_file: Path) -> tuple[int, dict[str, int]]:
    """The page's gzip bytes with everything it loads, and each loaded file's share."""
    loaded: dict[str, int] = {}
    for ref in references(html_file.read_text("utf-8")):
        target = (html_file.parent / ref).resolve()
        assert target.is_relative_to(site.resolve()), f"{html_file}: {ref} is not on the site"
        assert target.is_file(), f"{html_file.relative_to(site)} loads missing {ref}"
        loaded[target.relative_to(site.resolve()).as_posix()] = gzip_size(target)
    return gzip_size(html_file) + sum(loaded.values()), loaded


def public_pages(site: Path) -> Iterator[Path]:
    for html_file in sorted(site.rglob("*.html")):
        if html_file.relative_to(site).parts[0] != "admin":
            yield html_file


def budget_of(site: Path, html_file: Path) -> int:
    return SEARCH_BUDGET if html_file.relative_to(site).as_posix() == SEARCH_PAGE else PAGE_BUDGET


def test_every_page_keeps_its_budget(demo_site: Path) -> None:
    over = []
    for html_file in public_pages(demo_site):
        weight, loaded = page_weight(demo_site, html_file)
        if weight > budget_of(demo_site, html_file):
            shares = ", ".join(f"{name} {size / KB:.1f}" for name, size in sorted(loaded.items()))
            over.append(f"{html_file.relative_to(demo_site)}: {weight / KB:.1f} KB ({shares})")
    assert not over, "over the page-weight budget (docs/portal.md):\n" + "\n".join(over)


def test_every_theme_file_keeps_its_budget(demo_site: Path) -> None:
    theme = demo_site / "theme"
    files = sorted([*theme.glob("css/*.css"), *theme.glob("js/*.js")])
    assert any(f.suffix == ".css" for f in files) and any(f.suffix == ".js" for f in files)
    heavy = {f.name: gzip_size(f) for f in files if gzip_size(f) > FILE_BUDGET}
    assert not heavy, heavy


def test_the_weight_counts_what_a_page_loads(demo_site: Path) -> None:
    html_file = demo_site / SEARCH_PAGE
    weight, loaded = page_weight(demo_site, html_file)
    assert {"theme/css/site.css", "theme/css/print.css", "theme/js/prefs.js"} <= set(loaded)
    assert "theme/img/favicon.svg" in loaded and "theme/js/lunr.min.js" in loaded
    assert not any(name.endswith(".xml") for name in loaded), "feeds are not fetched"
    assert weight == gzip_size(html_file) + sum(loaded.values())


def test_a_heavy_page_fails_the_budget(tmp_path: Path) -> None:
    """The budget catches a page that loads too much (here 64 KB of incompressible script)."""
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/big.js").write_bytes(bytes(range(256)) * 16 + _noise(64 * KB))
    html_file = tmp_path / "heavy.html"
    html_file.write_text(
        '<!DOCTYPE html><html><head><link rel="alternate" href="feed.xml">'
        '<script src="theme/big.js" defer></script></head><body></body></html>',
        encoding="utf-8",
    )
    weight, loaded = page_weight(tmp_path, html_file)
    assert list(loaded) == ["theme/big.js"]
    assert weight > budget_of(tmp_path, html_file)


def _noise(size: int) -> bytes:
    """Deterministic bytes gzip cannot shrink."""
    out, block = bytearray(), b"gongshi"
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="stylesheet" href="a.css">', ["a.css"]),
        ('<link rel="stylesheet" href="p.css" media="print">', ["p.css"]),
        ('<link rel="icon" href="i.svg#x">', ["i.svg"]),
        ('<link rel="alternate" type="application/atom+xml" href="f.xml">', []),
        ('<script src="s.js?v=1" defer></script><img src="x.png" alt="">', ["s.js", "x.png"]),
        ("<script>inline</script>", []),
    ],
)
def test_references(html: str, expected: list[str]) -> None:
    assert references(html) == expected
