"""Serialising the portal's XML files (feed, sitemap) the same deterministic way."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def xml_document(root: ET.Element) -> bytes:
    """Indented UTF-8 XML with a declaration: byte-identical for the same tree."""
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
