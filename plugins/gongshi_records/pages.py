"""The portal's Markdown pages (content/pages/*.md) checked as untrusted content.

Pelican reads these pages itself, and its page metadata is powerful: ``Save_as: index.html``
replaces the home page, ``Template:`` picks any template (an unknown one aborts the build),
``Status: draft`` hides a page, ``{static}`` links copy any file of content/ into the site.
So a page may set only ``Title`` and ``Slug``; anything else, and any Pelican link
indicator, is an error here, and the portal plugin also strips them from what Pelican reads
(gongshi_portal.safepages), so a page error can never become a published page.

Pages are read the way Pelican reads them: UTF-8 (a BOM is allowed), metadata lines at the top
as the Markdown ``meta`` extension parses them, the body rendered with Pelican's default
Markdown extensions, so what would crash or drop a page in the build is a finding here.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

from .findings import Finding, error
from .htmltext import read_html
from .privacy import find_leaks, fold
from .privacy_rules import decoded_leaks
from .prose import beyond_markdown_limits
from .registry import SLUG

# The only metadata a page may set (lower case, as Pelican stores it). The date, summary,
# language, tags and authors of a page are shown nowhere in the theme; the URL, output path,
# template and status are the platform's to decide.
PAGE_METADATA = frozenset({"title", "slug"})
# Named in the message because each one lets a page take over another part of the site.
_POWERS = frozenset({"save_as", "url", "template", "status", "lang", "translation"})
# Pelican's link indicators: {static}/|static| etc. copy or point at content files.
_INDICATOR = re.compile(
    r"[{|]\s*(static|filename|attach|index|tag|category|author)\s*[|}]", re.IGNORECASE
)
# Python-Markdown recurses once per nesting level and fails near 250 levels, depending on the
# stack depth it is called from; far below that, a deeper list is a mistake.
MAX_NESTING = 16
_NESTING_WIDTH = 4
# Pelican's default Markdown extensions (pelican.settings.DEFAULT_CONFIG["MARKDOWN"]:
# markdown.extensions.extra and .codehilite, here by their short names; meta is parsed above).
_PELICAN_EXTENSIONS = ("extra", "codehilite")
PLAIN_SLUG = re.compile(SLUG)


@dataclass
class Page:
    """One page as Pelican would read it: its text, metadata (lower-case keys) and body."""

    shown: str
    text: str
    meta: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    body_start: int = 1  # the line the body starts on
    html: str | None = None  # the body as Pelican renders it, once _markdown could

    def first(self, key: str) -> tuple[int, str] | None:
        values = self.meta.get(key)
        return values[0] if values else None


def page_findings(paths: Iterable[Path], shown: Callable[[Path], str]) -> list[Finding]:
    """Findings of every page in ``paths`` and of their slugs together."""
    findings: list[Finding] = []
    slugs: dict[str, str] = {}
    for path in paths:
        page, own = read_page(path, shown(path))
        findings += own
        if page is None:
            continue
        findings += check_page(page)
        findings += _duplicate_slug(page, slugs)
    return findings


def read_page(path: Path, shown: str) -> tuple[Page | None, list[Finding]]:
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        byte = raw[problem.start]
        message = (
            f"页面不是 UTF-8 编码（第 {line} 行有无法识别的字节 0x{byte:02X}，"
            "常见于用 GBK/GB2312 保存的文件），不会被发布：请在编辑器中以 UTF-8 编码重新保存"
        )
        return None, [error(shown, line, 1, "page.encoding", message)]
    return parse_page(text, shown), []


def parse_page(text: str, shown: str) -> Page:
    """Metadata as the Markdown ``meta`` extension reads it, with the line of each value."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    page = Page(shown, "\n".join(lines))
    number = 1
    if lines and BEGIN_RE.match(lines[0]):
        number = 2
    key: str | None = None
    for index in range(number - 1, len(lines)):
        line, number = lines[index], index + 1
        if line.strip() == "" or END_RE.match(line):
            page.body_start = number + 1
            return page
        head, more = META_RE.match(line), META_MORE_RE.match(line)
        if head:
            key = head.group("key").lower().strip()
            page.meta.setdefault(key, []).append((number, head.group("value").strip()))
        elif more and key:
            page.meta[key].append((number, more.group("value").strip()))
        else:
            page.body_start = number
            return page
    page.body_start = len(lines) + 1
    return page


def check_page(page: Page) -> Iterator[Finding]:
    yield from _metadata(page)
    yield from _title(page)
    yield from _slug(page)
    yield from _links(page)
    yield from _markdown(page)
    yield from _privacy(page)


def _metadata(page: Page) -> Iterator[Finding]:
    for key, values in page.meta.items():
        line = values[0][0]
        if key in _POWERS:
            message = (
                f"页面不能设置 {key}：页面的网址、保存位置、模板、状态和语言由平台决定"
                f"（否则可以替换首页或其他页面）；请删除这一行。页面只能设置 Title 和 Slug"
            )
            yield error(page.shown, line, 1, "page.metadata", message)
        elif key not in PAGE_METADATA:
            message = f"页面只能设置 Title 和 Slug，{key} 不会被使用：请删除这一行"
            yield error(page.shown, line, 1, "page.metadata", message)
        elif len(values) > 1:
            message = f"{key} 只能写一次、写在一行：请删除第 {values[1][0]} 行"
            yield error(page.shown, values[1][0], 1, "page.metadata", message)


def _title(page: Page) -> Iterator[Finding]:
    title = page.first("title")
    if title is None or not title[1]:
        line = title[0] if title else 1
        message = "页面缺少标题，不会被发布：请在第一行写 Title: 页面标题，下面一行写 Slug"
        yield error(page.shown, line, 1, "page.title", message)


def _slug(page: Page) -> Iterator[Finding]:
    slug = page.first("slug")
    if slug is None:
        message = (
            "页面缺少 Slug（网址中的名称，中文标题生成不了网址）：请在 Title 下面加一行，"
            "例如 Slug: about（小写字母、数字和连字符）"
        )
        yield error(page.shown, 1, 1, "page.slug", message)
    elif not PLAIN_SLUG.fullmatch(slug[1]):
        message = (
            f"Slug「{slug[1]}」不是合法的网址名称：只能用小写字母、数字和连字符，"
            "不能含 /、.. 或空格，例如 Slug: about"
        )
        yield error(page.shown, slug[0], 1, "page.slug", message)


def _duplicate_slug(page: Page, seen: dict[str, str]) -> Iterator[Finding]:
    slug = page.first("slug")
    if slug is None or not PLAIN_SLUG.fullmatch(slug[1]):
        return
    if slug[1] in seen:
        message = (
            f"Slug「{slug[1]}」已被 {seen[slug[1]]} 使用：两个页面会写到同一个网址，"
            "请改用另一个 Slug"
        )
        yield error(page.shown, slug[0], 1, "page.slug", message)
    else:
        seen[slug[1]] = page.shown


def _links(page: Page) -> Iterator[Finding]:
    for number, line in enumerate(page.text.split("\n"), start=1):
        for match in _INDICATOR.finditer(line):
            message = (
                f"页面不能使用 {match.group(0)} 这类 Pelican 链接（它会把 content/ 中的文件"
                "复制到网站上，包括已撤回的记录）：请改用普通的相对链接，例如 "
                "../agencies/<机构代号>/decisions/<年份>/<编号>.html 链接到决定页面，"
                "附件在该页面上列出"
            )
            yield error(page.shown, number, match.start() + 1, "page.link", message)


def _markdown(page: Page) -> Iterator[Finding]:
    lines = page.text.split("\n")
    for number in range(page.body_start, len(lines) + 1):
        line = lines[number - 1]
        depth = (len(line) - len(line.lstrip(" "))) // _NESTING_WIDTH
        if line.strip() and depth > MAX_NESTING:
            message = (
                f"列表或缩进嵌套超过 {MAX_NESTING} 层，页面无法可靠转换：请减少嵌套层次"
                "（每层缩进 4 个空格）"
            )
            yield error(page.shown, number, 1, "page.markdown", message)
            return
    body = "\n".join(lines[page.body_start - 1 :])
    # Python-Markdown's quadratic spots (a run of "[" takes half a minute) would stall both
    # validate and the build, which renders every page whatever validate says.
    beyond = beyond_markdown_limits(body)
    if beyond is not None:
        message = f"页面正文超出 Markdown 能安全转换的范围，{beyond}"
        yield error(page.shown, page.body_start, 1, "page.markdown", message)
        return
    try:
        page.html = markdown.markdown(
            body, extensions=list(_PELICAN_EXTENSIONS), output_format="html"
        )
    except Exception as problem:  # a third-party parser fed untrusted text
        message = (
            f"页面的 Markdown 无法转换（{type(problem).__name__}），构建会丢弃这个页面："
            "请检查特殊的 HTML 写法（如 <![…]>）或过深的嵌套"
        )
        yield error(page.shown, page.body_start, 1, "page.markdown", message)


def _privacy(page: Page) -> Iterator[Finding]:
    """The whole text: the title reaches every page's navigation, the body its own page. Read
    as written, with entities and URL escapes decoded (``&#49;&#51;…``), and as rendered: each
    piece of text (``138\\-1234\\-5678`` shows as 138-1234-5678) and each block with its inline
    markup removed (``135**1234**5678`` shows as one number)."""
    starts = [0]
    for line in page.text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    seen: set[str] = set()
    for leak, offset in decoded_leaks(page.text):
        seen.add(leak.digits)
        number = bisect.bisect_right(starts, offset)
        col = offset - starts[number - 1] + 1
        yield error(page.shown, number, col, leak.rule, f"页面{leak.message}")
    rendered = read_html(page.html) if page.html else None
    texts = [piece for _at, piece in rendered.pieces] if rendered else []
    texts += [block.text for block in rendered.blocks] if rendered else []
    for text in texts:
        for leak in find_leaks(text):
            if leak.digits not in seen:
                seen.add(leak.digits)
                number = _source_line(page, leak.digits)
                message = (
                    f"页面{leak.message}（这是页面显示出来的号码：加粗、斜体、转义符等"
                    "Markdown 写法把它拆开了，但读者看到的仍是完整号码）"
                )
                yield error(page.shown, number, 1, leak.rule, message)


def _source_line(page: Page, digits: str) -> int:
    """The first line of the body that holds ``digits`` once its markup is ignored, or the
    body's first line when the number spans lines."""
    lines = page.text.split("\n")
    for number in range(page.body_start, len(lines) + 1):
        if digits in "".join(c for c in fold(html.unescape(lines[number - 1])) if c.isdigit()):
            return number
    return page.body_start
