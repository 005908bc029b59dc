"""The last privacy check: the *built* site, file by file, as a mirror will serve it.

Record rules scan what clerks write; this scans what the templates, exports, search shards,
feeds and Markdown pages made of it, so a number that reached the output by any road (a
template showing a field nobody scanned, a page title in every page's navigation, a file name
in a URL) is still found. Every text a reader or a program gets is scanned: HTML text, comments
and attribute values after entities are decoded; JSON, CSV, XML (Atom feeds, the sitemap),
YAML and plain text line by line, with ``&…;`` entities, ``%XX`` URL escapes and ``\\uXXXX``
string escapes decoded as well; search shards (JSON and JS under ``search/``); and every file's
own path. HTML is read twice: each piece of text where it stands, and each block (paragraph,
list item, table cell, heading) as one string with its inline tags removed
(``135<strong>1234</strong>5678`` is one number on the page; fasthtml.py reads the plain markup
of our templates as html.parser would, faster). Files are scanned by worker processes forked
from the build when there are many; with the build cache, the planned pages were scanned
already by the workers that rendered them (``page_is_clean``) and only those holding a
candidate number are read here. Vendored scripts and styles
(``theme/``, the web-form bundle under ``admin/``) and binary files are not text a record
reaches.

A publish build stops on any finding; a preview logs them as warnings (``check_output``).
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from gongshi_records.findings import Finding, error
from gongshi_records.forking import imap_forked
from gongshi_records.htmltext import read_html
from gongshi_records.privacy import ENOUGH_DIGITS, Leak, find_leaks
from gongshi_records.walk import files_under

from . import cleanlines, render
from .cleanlines import line_digest

log = logging.getLogger(__name__)

# Where the records generator leaves ``site_allowances(corpus)`` for the seal step to pass on.
ALLOWED_SETTING = "GONGSHI_SITESCAN_ALLOWED"

_HTML = (".html", ".htm")
_TEXT = (".json", ".csv", ".xml", ".atom", ".rss", ".txt", ".yml", ".yaml", ".md", ".webmanifest")
_SCRIPT_DIR = "search"  # scripts here are data (search shards); elsewhere they are code
_CHUNK = 200  # files per task of a worker, at most (in pages: see _weight)
# A text file is read three to seven times faster per byte than a page of HTML (130 MB of
# decisions.json in 3.6 s with its clean lines known, 8.3 s without; a 6 KB page in 1.2 ms):
# this many of its bytes take about a page's time.
_TEXT_BYTES_PER_PAGE = 32 * 1024
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
# Matches (from its start) a text _variants_leaks may find something in: enough digits, or an
# escape (``&``, ``%``, ``\\u``) that could decode to more. One regex, so the lines of a data
# file are tested by ``map`` in C (3.3 million in decisions.json at 100,000 decisions).
_WORTH_READING = re.compile(f"{ENOUGH_DIGITS.pattern}|(?:[^&%\\\\]++|\\\\(?!u))*+[&%\\\\]")
# Texts of pages whose leaks (most often none) are remembered, in one process: short ones only
# (a code, a number, a name), as a paragraph of facts is on one page only.
_TEXTS_KEPT = 50_000
_TEXT_KEPT_CHARS = 200
# Characters read from a text file at a time: whole lines are tested a block at a time.
_TEXT_BLOCK = 1 << 20
# What str.splitlines ends a line at.
_LINE_BREAK = re.compile("[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")


class ScanCache(Protocol):
    """What the scan asks of the build cache (buildcache.BuildCache)."""

    folder: Path  # where the clean lines are kept (cleanlines.py)

    def is_clean(self, name: str, path: str | os.PathLike[str]) -> bool: ...
    def mark_clean(self, name: str, path: Path) -> None: ...


# A file's leaks (line, column, leak) and the digests of its text lines found clean.
Scanned = tuple[list[tuple[int, int, Leak]], list[bytes]]


def scan_output(
    output: Path, allowed: Collection[str] = (), prefix: str = "", cache: ScanCache | None = None
) -> list[Finding]:
    """Every unmasked ID, mobile or bank card number in the built site under ``output``, as
    findings naming the file (``prefix`` + its path in the site) and the line.

    ``allowed`` is what may appear as it is: ``gongshi_records.privacy_rules.site_allowances``
    of the corpus built (exempted texts, credit codes and certificate numbers that validated as
    such). The caller decides what a finding does: a publish build stops on any, a preview
    logs each as a warning.

    With the build ``cache``, a file whose very bytes were scanned before without a single
    candidate number (allowed or not, so a change of ``allowed`` cannot matter) is skipped,
    and a file found without one is remembered as such; so are the lines of text files
    (cleanlines.py)."""
    keys = _AllowedKeys(allowed)
    # Without a cache to keep them in, lines are neither looked up nor remembered.
    known = cleanlines.load(cache.folder) if cache is not None else None
    clean_lines: set[bytes] = set()
    findings: list[Finding] = []
    # In path order (folder by folder), as findings are reported: "/" made the lowest
    # character sorts the names as their lists of parts would, without 150,000 such lists.
    # Names only, not paths or directory entries: the workers fork from this list (100 MB
    # of Path objects at 100,000 decisions).
    names = sorted((name for name, _entry in files_under(output)), key=_folder_order)
    if cache is not None:
        root = os.fspath(output)
        names = [name for name in names if not cache.is_clean(name, os.path.join(root, name))]
    for relative, (leaks, clean) in zip(names, _scan_files(output, names, known), strict=True):
        clean_lines.update(clean)
        shown = prefix + relative
        seen: set[tuple[int, str, str]] = set()
        if not leaks and cache is not None:
            cache.mark_clean(relative, output / relative)
        for line, col, leak in leaks:
            key = (line, leak.rule, leak.digits)
            if key in seen or leak.text in allowed or leak.digits in keys.digits():
                continue
            seen.add(key)
            message = f"生成的网站文件{leak.message}：请改正产生它的记录或页面后重新生成"
            findings.append(error(shown, line, col, leak.rule, message))
    if cache is not None:
        cleanlines.save(cache.folder, clean_lines)
    return findings


def check_output(
    output: Path,
    allowed: Collection[str] = (),
    *,
    publish: bool,
    prefix: str = "",
    cache: ScanCache | None = None,
) -> list[Finding]:
    """``scan_output``, acted on: a publish build stops (``BuildFailed``: `gongshi build` prints
    the findings, exits 1 and leaves the previous site in place); a preview logs each finding
    as a warning and goes on."""
    from .generator import BuildFailed  # here: the generator imports this module

    findings = scan_output(output, allowed, prefix, cache)
    if findings and publish:
        raise BuildFailed(findings)
    for finding in findings:
        log.warning("gongshi: %s", finding.text())
    return findings


class _AllowedKeys:
    """The numbers the allowed texts read as, so ``139 5710 0000`` allowed in a record also
    lets ``+86 13957100000`` on a page through. Worked out when a number found is not an
    allowed text as it stands: most scans find none (90,000 allowed texts at 100,000
    decisions, read in a second of every build)."""

    def __init__(self, allowed: Collection[str]) -> None:
        self._allowed = allowed
        self._digits: frozenset[str] | None = None

    def digits(self) -> frozenset[str]:
        if self._digits is None:
            found = (leak.digits for text in self._allowed for leak in find_leaks(text))
            self._digits = frozenset(found)
        return self._digits


def _folder_order(name: str) -> str:
    return name.replace("/", "\0")


def _scan_files(
    output: Path, names: list[str], known: frozenset[bytes] | None
) -> Iterator[Scanned]:
    """What each file holds, in order, as the chunks come back: in worker processes forked
    from the build when there are many files (the same policy as rendering:
    gongshi_records/forking.py), else here. ``known``: text lines found clean before, not read
    again (None: no line remembered either way). Streamed: the candidates of 150,000 pages
    (allowed certificate numbers and credit codes among them) held at once were 250 MB at L."""

    def scan(start: int, stop: int) -> list[Scanned]:
        return [_scan_file(output / names[n], names[n], known) for n in range(start, stop)]

    weights = [_weight(output, name) for name in names]
    return imap_forked(scan, len(names), minimum=render.MIN_PAGES, most=_CHUNK, weights=weights)


def _weight(output: Path, name: str) -> int:
    """About how many pages' time a file takes to scan: 1 for a page; a data file by its size
    (decisions.json, at 130 MB, as much as 4,000 pages, and the files a rebuild after one
    change scans are mostly data files like it: weighed, they go to different processes)."""
    if not name.lower().endswith(_TEXT):
        return 1
    try:
        return 1 + (output / name).stat().st_size // _TEXT_BYTES_PER_PAGE
    except OSError:
        return 1  # reported by the scan itself


def page_is_clean(relative: str, html: str) -> bool:
    """Whether the scan of the site would find no candidate number at all in the page
    ``html`` once written as ``relative`` (UTF-8): in its name, its text, its attribute values
    and its blocks, as ``_scan_file`` reads it back. A render worker asks this of each page
    while the page is in memory (render.py), so the seal need not read 150,000 pages again
    only to find most of them clean; a page with any candidate, allowed or not, is left to
    the seal, which reports it with its line and column."""
    if os.path.splitext(relative)[1].lower() not in _HTML:
        return False  # read as text lines, or not at all: the seal decides
    if "\r" in html:  # as read_text gives it back: universal newlines
        html = html.replace("\r\n", "\n").replace("\r", "\n")
    if next(_variants_leaks(relative), None) is not None:
        return False
    return next(_scan_html(html), None) is None


def _scan_file(path: Path, relative: str, known: frozenset[bytes] | None = None) -> Scanned:
    leaks = [(1, 1, leak) for leak in _variants_leaks(relative)]
    clean: list[bytes] = []
    suffix = path.suffix.lower()
    in_scripts = relative.startswith(f"{_SCRIPT_DIR}/") and suffix in (".js", ".mjs")
    if suffix not in _HTML + _TEXT and not in_scripts and suffix != "":
        return leaks, clean
    try:
        if suffix in _HTML:
            found = list(_scan_html(path.read_text("utf-8")))
        else:
            found = list(_scan_text_file(path, known, clean if known is not None else None))
    except (UnicodeDecodeError, OSError):
        return leaks, []  # a binary file (an attachment PDF, an image): not text a record reaches
    return leaks + found, clean


def _scan_text_file(
    path: Path, known: frozenset[bytes] | None = None, clean: list[bytes] | None = None
) -> Iterator[tuple[int, int, Leak]]:
    """``_scan_lines`` of the file's text, read a block at a time: decisions.json is 134 MB at
    100,000 decisions, several times that as one string and its list of lines. Lines are split
    as ``str.splitlines`` splits (``\\n``, ``\\r\\n``, ``\\r``, ``\\v``, ``\\u2028`` …), the last
    line of a block held back until the next block has been read, so the lines and their
    numbers are those of ``text.splitlines()``. With ``clean``, a line whose digest is in
    ``known`` is passed over, and the digests of lines found clean are added to ``clean``."""
    number = 0  # lines before the block
    with path.open(encoding="utf-8", newline="") as stream:
        pending: list[str] = []  # the start of a line the blocks read so far have not ended
        while True:
            block = stream.read(_TEXT_BLOCK)
            if block and not _LINE_BREAK.search(block):
                pending.append(block)  # a line longer than a block: joined once, when it ends
                continue
            lines = "".join([*pending, block]).splitlines(keepends=True)
            pending = [lines.pop()] if block and lines else []
            # Most lines (a JSON field each in decisions.json) hold nothing to find: only the
            # others are looked at, and only they are remembered.
            for index in _worth_reading(lines):
                line = lines[index].splitlines()[0]
                yield from _scan_line(number + index + 1, line, known, clean)
            number += len(lines)
            if not block:
                return


def _worth_reading(texts: Iterable[str]) -> Iterator[int]:
    """The indexes of the texts ``_variants_leaks`` may find something in, the others passed
    over by ``map`` in C, not a Python step each (most lines and pieces hold nothing)."""
    return compress(count(), map(_WORTH_READING.match, texts))


def _scan_line(
    number: int, line: str, known: frozenset[bytes] | None, clean: list[bytes] | None
) -> Iterator[tuple[int, int, Leak]]:
    """The leaks of line ``number`` of a text file, unless ``known`` clean (see above)."""
    digest = line_digest(line) if clean is not None else b""
    if clean is not None and known and digest in known:
        clean.append(digest)
        return
    found = False
    for leak in _variants_leaks(line):
        found = True
        yield number, leak.offset + 1, leak
    if clean is not None and not found:
        clean.append(digest)


def _variants_leaks(text: str) -> Iterator[Leak]:
    """Leaks in ``text`` as written and as a reader gets it: entities, URL and string escapes
    decoded (each only when the text holds one)."""
    yield from find_leaks(text)
    if "&" in text:
        yield from find_leaks(html.unescape(text))
    if "%" in text:
        yield from find_leaks(unquote(text))
    if "\\u" in text:
        yield from find_leaks(_JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def _scan_lines(text: str) -> Iterator[tuple[int, int, Leak]]:
    for number, line in enumerate(text.splitlines(), start=1):
        for leak in _variants_leaks(line):
            yield number, leak.offset + 1, leak


def _page_text_leaks(text: str) -> Iterator[Leak]:
    """_variants_leaks of a piece or block of a page, the short ones remembered: they come
    back page after page (an agency's credit code on each of its decisions, an officer's
    certificate number on each of the officer's), and are read once."""
    if len(text) > _TEXT_KEPT_CHARS:
        return _variants_leaks(text)
    return iter(_remembered_leaks(text))


@lru_cache(maxsize=_TEXTS_KEPT)
def _remembered_leaks(text: str) -> tuple[Leak, ...]:
    return tuple(_variants_leaks(text))


def _scan_html(text: str) -> Iterator[tuple[int, int, Leak]]:
    page = read_html(text)
    if page is None:
        # html.parser gives up on some malformed markup: read the page as lines instead,
        # which sees the same text (and the markup around it).
        yield from _scan_lines(text)
        return
    pieces = page.pieces  # most (a word, a date, a class name: 300 on a page) hold nothing
    for index in _worth_reading(map(itemgetter(1), pieces)):
        at, chunk = pieces[index]
        for leak in _page_text_leaks(chunk):
            line, col = page.lines.at(at)
            breaks = [i for i, c in enumerate(chunk[: leak.offset]) if c == "\n"]
            column = col + leak.offset if not breaks else leak.offset - breaks[-1]
            yield line + len(breaks), column, leak
    blocks = page.blocks  # 135<strong>1234</strong>5678: one number across pieces
    for index in _worth_reading(map(attrgetter("text"), blocks)):
        block = blocks[index]
        for leak in _page_text_leaks(block.text):
            yield *block.position(leak.offset, page.lines), leak
