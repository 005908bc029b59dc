"""Clerks' Markdown fields (facts, basis, duties …) turned into HTML, one way for every output.

The HTML is not sanitised here: pages pass it through nh3 (gongshi_portal.markup), data
exports reduce it to plain text (gongshi_exports.plaintext).

Markdown here is untrusted input and Python-Markdown has weak spots: it recurses once per
level of list nesting (a pasted run of indented list items exhausts the stack), scans from
every ``[`` to the end of the text for its ``]`` (10,000 brackets take half a minute), and
its list parsing grows faster than the text. Text beyond those limits is shown as plain
escaped paragraphs instead, so a build never crashes or stalls on a field; no real decision
text comes near them.
"""

from __future__ import annotations

import html
import re
import threading

import markdown

EXTENSIONS = ("tables", "sane_lists")

# Real texts use a handful of brackets (《》 are not brackets) and two or three list levels.
# Each "[" may be scanned to the end of the text: brackets × length stays under a budget
# (a quarter of a second); and list parsing grows faster than the text, so a longer text (10
# printed pages) is not parsed at all.
MAX_BRACKETS = 200
BRACKET_BUDGET = 500_000
MAX_INDENT = 64  # leading columns of one line: sixteen list levels of four spaces
MAX_LENGTH = 20_000

_INDENT = re.compile(rf"^[ \t>]{{{MAX_INDENT + 1}}}", re.M)


# Each text's HTML, remembered so pages and data exports convert a text once per build. The
# HTML is a pure function of the text, so sharing it between builds or threads is harmless;
# the generator clears it after a build (clear_memo), and it stops growing at MEMO_CHARS of
# HTML (a province of long decisions would otherwise hold all their HTML until the end).
MEMO_CHARS = 40_000_000
_memo: dict[str, str] = {}
_memo_chars = 0
# Texts remembered since take_added(): a page-rendering worker process hands them back to
# the build, so the exports there do not convert the texts the pages already did.
_added: list[str] = []


def markdown_html(source: object) -> str:
    if source is None or source == "":
        return ""
    text = str(source)
    known = _memo.get(text)
    if known is None:
        known = _html(text)
        remember(text, known)
    return known


def remember(text: str, html: str) -> None:
    """Keep ``html`` as the conversion of ``text`` while the memo has room."""
    global _memo_chars
    if text not in _memo and _memo_chars + len(html) <= MEMO_CHARS:
        _memo[text] = html
        _memo_chars += len(html)
        _added.append(text)


def take_added() -> list[tuple[str, str]]:
    """(text, HTML) of each text remembered since the last call."""
    added = [(text, _memo[text]) for text in _added if text in _memo]
    _added.clear()
    return added


def clear_memo() -> None:
    global _memo_chars
    _memo.clear()
    _added.clear()
    _memo_chars = 0


def _html(text: str) -> str:
    if not renders_as_markdown(text):
        return plain_html(text)
    try:
        return _convert(text)
    except RecursionError:  # a nesting the limits above did not foresee: still no crash
        return plain_html(text)


class _Converters(threading.local):
    markdown: markdown.Markdown | None = None


_converters = _Converters()


def _convert(text: str) -> str:
    """``markdown.markdown(text, …)`` without building a new ``Markdown`` for every text
    (building one costs twice what converting a decision's text does): one instance per
    thread (a forked process has its own copy), reset before each text. An instance whose
    conversion raised is dropped, since its parser may be left half way through a block."""
    md = _converters.markdown
    _converters.markdown = None
    if md is None:
        md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    html = md.reset().convert(text)
    _converters.markdown = md
    return html


def renders_as_markdown(text: str) -> bool:
    """Whether ``text`` is within the limits Python-Markdown handles quickly and safely."""
    return beyond_markdown_limits(text) is None


def beyond_markdown_limits(text: str) -> str | None:
    """Which limit ``text`` exceeds, in Chinese with the fix (None: within all of them)."""
    if len(text) > MAX_LENGTH:
        return f"超过 {MAX_LENGTH} 字（现有 {len(text)} 字）：请删减或拆成几个部分"
    brackets = text.count("[") + text.count("]")
    if brackets > MAX_BRACKETS or brackets * len(text) > BRACKET_BUDGET:
        return (
            f"方括号 [ ] 过多（{brackets} 个）：请删除多余的方括号，"
            "链接少的正文才能安全转换（长正文中允许的方括号更少）"
        )
    if _INDENT.search(text.expandtabs(4)):
        return f"有一行开头的空格或 > 超过 {MAX_INDENT} 个：请减少缩进或引用的层次"
    return None


def plain_html(text: str) -> str:
    """Paragraphs of escaped text, line breaks kept: what a pathological field is shown as."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    return "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
