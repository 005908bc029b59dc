"""Clerks' Markdown fields (facts, basis, duties …) turned into HTML, one way for every output.

The HTML is not sanitised here: pages pass it through nh3 (gongshi_portal.markup), data
exports reduce it to plain text (gongshi_exports.plaintext).
"""

from __future__ import annotations

import markdown

EXTENSIONS = ("tables", "sane_lists")


def markdown_html(source: object) -> str:
    if source is None or source == "":
        return ""
    return markdown.markdown(str(source), extensions=list(EXTENSIONS), output_format="html")
