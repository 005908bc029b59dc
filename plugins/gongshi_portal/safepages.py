"""Pelican's own page powers, switched off (issue 11: content is untrusted input).

The validator refuses a page that sets ``Save_as``, ``Template``, ``Status`` …, uses a
``{static}`` link, is not UTF-8 or is a symlink (gongshi_records.pages), and the build stops
on any such error before a file is written. This module is the second line, for a build that
somehow ran without that check: Pelican reads pages only through :class:`SafeMarkdownReader`,
which refuses symlinks and keeps only the metadata a page may set, no other reader (HTML,
reStructuredText) is active, and intrasite link indicators are never expanded, so no page
can copy a file into the site or write anywhere but ``pages/<slug>.html``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongshi_records.contentfiles import first_symlink
from gongshi_records.findings import Finding, error
from gongshi_records.pages import PAGE_METADATA, PLAIN_SLUG
from pelican.readers import MarkdownReader

log = logging.getLogger(__name__)

# Replaces Pelican's INTRASITE_LINK_REGEX: a pattern that never matches (``(?!)`` fails at
# every position), with the group name Pelican's link code expects.
NO_INTRASITE_LINKS = r"(?P<what>(?!))"
# Readers Pelican needs besides ours: "static" copies theme files.
_KEPT_READERS = ("static",)
PAGE_EXTENSION = "md"


class PageRefused(ValueError):
    """A page Pelican must not read; logged here (Pelican shows a reader's reason only with
    DEBUG), so the ``page.unreadable`` finding's 原因见上方日志 points at a Chinese line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        log.error("gongshi: %s", message)


class SafeMarkdownReader(MarkdownReader):  # type: ignore[misc]  # Pelican ships no hints
    """Pelican's Markdown reader, refusing symlinks and keeping only ``PAGE_METADATA``."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        link = symlink_on_the_way(Path(source_path), Path(self.settings["PATH"]))
        if link is not None:
            raise PageRefused(
                f"{link} 是符号链接或不在内容目录中，未读取："
                "请删除链接，把页面文件本身放在 pages/ 中"
            )
        content, metadata = super().read(source_path)
        slug = metadata.get("slug")
        if not isinstance(slug, str) or not PLAIN_SLUG.fullmatch(slug):
            # pages/{slug}.html: "../index" would replace the home page.
            shown = "（缺少）" if slug is None else f"「{slug}」"
            raise PageRefused(
                f"{source_path}：Slug{shown}不是合法的网址名称，页面未读取："
                "只能用小写字母、数字和连字符，例如 Slug: about"
            )
        return content, {key: value for key, value in metadata.items() if key in PAGE_METADATA}


def symlink_on_the_way(path: Path, root: Path) -> Path | None:
    """The first symlink on the way from ``root`` down to ``path`` (itself included), if any;
    ``path`` itself when it is not inside ``root`` at all."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path
    return first_symlink(root, parts)


def use_safe_readers(readers: Any) -> None:
    """``readers_init``: Markdown pages through SafeMarkdownReader, no other page format."""
    for extension in list(readers.reader_classes):
        if extension not in _KEPT_READERS:
            readers.reader_classes[extension] = None
    readers.reader_classes[PAGE_EXTENSION] = SafeMarkdownReader


def no_intrasite_links(pelican: Any) -> None:
    """``initialized``: ``{static}``, ``{filename}``, ``|attach|`` … stay plain text, so no
    page can make Pelican copy a file of content/ (or beyond) into the site."""
    pelican.settings["INTRASITE_LINK_REGEX"] = NO_INTRASITE_LINKS


def dropped_pages(context: Mapping[str, Any], prefix: str) -> list[Finding]:
    """A finding for each page Pelican failed to read (it logs a line and drops the page):
    the build stops rather than publish a site with a page silently missing."""
    generated = context.get("generated_content") or {}
    findings = []
    for source, content in sorted(generated.items()):
        if content is None and str(source).endswith(f".{PAGE_EXTENSION}"):
            message = (
                "Pelican 未能读取这个页面（原因见上方日志），网站将缺少它："
                "请检查编码（UTF-8）、Title、Slug 和 Markdown 写法"
            )
            shown = f"{prefix.rstrip('/')}/{source}" if prefix not in ("", ".") else str(source)
            findings.append(error(shown, 1, 1, "page.unreadable", message))
    return findings
