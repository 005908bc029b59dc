"""Pages scanned for personal data by the process that rendered them (sitescan.page_is_clean):
the verdict is the seal's own on the file written, and a build with its cache leaves the seal
only the pages that hold a candidate number."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO_AS_OF
from gongshi_cli.main import main
from gongshi_portal import buildcache, sitescan
from gongshi_portal.sitescan import page_is_clean
from gongshi_records.forking import PROCESSES_ENV, can_fork
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

AGENCY = "agencies/demo-bureau/agency.yaml"
HOTLINE = (
    "privacy_exemptions:\n"
    '  - text: "139 5710 0000"\n'
    "    reason: 本局对外公布的投诉举报手机，不是个人号码\n"
)

# Pieces a page is made of: markup of our templates and of Markdown, text with and without
# digits, entities, escapes and every kind of line break the file reader translates.
PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<strong>",
        "</strong>",
        "<td>",
        "</td>",
        '<a href="../officers/',
        '.html">',
        "</a>",
        "<br>",
        "<!-- ",
        " -->",
        "&nbsp;",
        "&#49;",
        "&#x200B;",
        "%31",
        "\\u0031",
        "\n",
        "\r\n",
        "\r",
        " ",
        "-",
        "+86 ",
        "公示",
        "2026-11-24",
        "138",
        "1234",
        "5678",
        "13812345678",
        "110105",
        "19491231",
        "002X",
        "6222021001123456789",
    ]
)
PAGES = st.lists(PIECES, max_size=30).map("".join)
NAMES = st.sampled_from(["index.html", "a/b.HTM", "z/13812345678/index.html", "data/x.json"])


def scanned_leaks(tmp_path: Path, name: str, html: str) -> list[object]:
    """What the seal's scan finds in ``html`` written as the build writes pages."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode("utf-8"))
    leaks, _clean = sitescan._scan_file(path, name)
    return list(leaks)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES, html=PAGES)
@example(name="index.html", html="<p>138\r1234\r\n5678</p>")
@example(name="index.html", html="<p>138<strong>1234</strong>5678</p>")
@example(name="index.html", html='<a href="../officers/13812345678.html">x</a>')
@example(name="z/13812345678/index.html", html="<p>公示</p>")
def test_a_page_is_clean_exactly_when_the_scan_of_its_file_finds_nothing(
    tmp_path: Path, name: str, html: str
) -> None:
    if not name.lower().endswith((".html", ".htm")):
        assert not page_is_clean(name, html)  # left to the seal, which reads it as text
        return
    assert page_is_clean(name, html) == (scanned_leaks(tmp_path, name, html) == [])


def build(content: Path, output: Path, cache: Path) -> None:
    argv = ["build", "--content", str(content), "--output", str(output), "--as-of", DEMO_AS_OF]
    assert main([*argv, "--cache-dir", str(cache)]) == 0


@pytest.fixture
def seal_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files the seal's scan reads (its list, made in the build's process)."""
    read: list[str] = []
    scan_files = sitescan._scan_files

    def recording(
        output: Path, names: list[str], known: frozenset[bytes] | None
    ) -> Iterator[sitescan.Scanned]:
        read.extend(names)
        return scan_files(output, names, known)

    monkeypatch.setattr(sitescan, "_scan_files", recording)
    yield read


@pytest.mark.parametrize("processes", ["1", "2"])
def test_the_seal_reads_no_page_its_renderer_found_clean(
    mini: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seal_reads: list[str],
    caplog: pytest.LogCaptureFixture,
    processes: str,
) -> None:
    assert can_fork(), "the pages must be rendered, and scanned, by forked workers too"
    caplog.set_level(logging.INFO, logger="gongshi_portal.render")
    monkeypatch.setenv(PROCESSES_ENV, processes)
    agency = mini / AGENCY
    text = agency.read_text("utf-8").replace("phone: 0571-88880000\n", "phone: 139 5710 0000\n")
    agency.write_text(text + HOTLINE, "utf-8")  # a number the site may show: a candidate
    output, cache = tmp_path / "out", tmp_path / "cache"
    build(mini, output, cache)
    assert f"由 {processes} 个进程生成" in caplog.text
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    read_pages = {name for name in seal_reads if name.endswith(".html")}
    # The agency's page and every page naming its phone were read again by the seal (and the
    # number let through as allowed); no other rendered page was.
    assert "agencies/demo-bureau/index.html" in read_pages
    holding = {name for name in pages if "139 5710 0000" in (output / name).read_text("utf-8")}
    # The planned pages (render.py); Pelican's Markdown pages, the short addresses and the web
    # forms are written by other writers, and the seal reads them as before.
    rendered = {name for name in pages if not name.startswith(("pages/", "z/", "admin/"))}
    assert read_pages & rendered == holding & rendered
    entries = buildcache.BuildCache(cache, output).previous
    assert all(entries[name].clean for name in rendered - holding)
    assert not any(entries[name].clean for name in holding)


def test_a_page_written_as_the_previous_file_is_clean_once_scanned_clean(tmp_path: Path) -> None:
    """A page rendered again with the previous build's very bytes is linked to the previous
    file; the worker's verdict on those bytes is remembered for it."""
    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    data = "<p>2026-11-24 公示</p>\n".encode()
    first = buildcache.BuildCache(cache_dir, site)
    first.write("index.html", site / "index.html", data)  # as a build without the verdict
    first.settle(site)
    first.save()
    assert not first.files["index.html"].clean
    again = buildcache.BuildCache(cache_dir, site)
    staging = tmp_path / "staging"
    again.write("index.html", staging / "index.html", data, clean=True)
    assert (staging / "index.html").stat().st_ino == (site / "index.html").stat().st_ino
    assert again.is_clean("index.html", staging / "index.html")
