"""sitemap.xml over the planned pages: what is published is what is listed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .xmldoc import xml_document

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(site_url: str, pages: Iterable[tuple[str, dt.date | None]]) -> bytes:
    """``pages``: (path relative to the site root, last modification or None). Locations are
    absolute when publishing with a SITEURL, else relative to the sitemap itself."""
    ET.register_namespace("", SITEMAP_NS)
    base = site_url.rstrip("/") + "/" if site_url else ""
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path, modified in sorted(pages):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + path
        if modified:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
    return xml_document(urlset)
