"""亮证: each officer's short, stable address and, in a publish build, a QR code of it.

A printed certificate (or the officer's phone) carries ``z/<cert_no>/``: a page that sends the
reader on to ``officers/<cert_no>.html`` (a meta refresh, which the strict CSP allows, and a
visible link). The QR code encodes the *absolute* short address, so it exists only where the
build knows the site's public address (a publish build's ``FEED_DOMAIN``, from
``GONGSHI_SITEURL``): a preview shows the relative short address and no code, because a code
of a relative or localhost address would lead a phone nowhere.

The certificate number becomes a folder name. It is the officer file's stem, which the record
registry only accepts in the form ``CODE`` (letters, digits, hyphens, not starting with a
hyphen); it is checked again here, and every file is written only inside ``z/``.
"""

from __future__ import annotations

import io
import ipaddress
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import segno
from gongshi_records import Record
from gongshi_records.registry import CODE

log = logging.getLogger(__name__)

SHORT_FOLDER = "z"  # z/<cert_no>/: 证
QR_FILE = "qr.svg"
TEMPLATE = "shortlink"
_CERT = re.compile(CODE)


def short_folder(cert_no: str) -> str:
    """``z/<cert_no>/``; ValueError for anything but a certificate number's form, so no value
    can name a path outside its own folder (``..``, ``/``, ``\\``, ``%2F`` are all refused)."""
    if not isinstance(cert_no, str) or not _CERT.fullmatch(cert_no):
        raise ValueError(f"执法证号 {cert_no!r} 不能用作短地址")
    return f"{SHORT_FOLDER}/{cert_no}/"


def public_base(site_url: str) -> str | None:
    """The site's public address ending in ``/``, or None when it has none a phone in the
    street could open: empty (a preview), relative, not http(s), with credentials, a query or
    a fragment, ``localhost``, or a loopback, private, link-local or unspecified IP address."""
    parts = urlsplit(site_url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return None
    if parts.username or parts.password or parts.query or parts.fragment:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None and (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified
    ):
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as an SVG file: error correction M (a printed, handled card),
    the quiet zone of four modules the standard asks for, black on white whatever the page's
    colours, no style attribute (strict CSP), the same bytes for the same address."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, scale=4, border=4, dark="#000", light="#fff")
    return out.getvalue()


@dataclass(frozen=True)
class ShortLinks:
    """What templates ask about an officer's short address (``shortlinks`` in their context)."""

    base: str | None  # the site's public address (public_base), None in a preview

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ShortLinks:
        configured = str(settings.get("FEED_DOMAIN") or "")
        base = public_base(configured)
        if configured and base is None:
            log.warning(
                "gongshi: 网站地址 %s 不是公众可以访问的地址（须为 http(s)，不能是 localhost 或"
                "内网地址），未生成亮证二维码",
                configured,
            )
        return cls(base)

    def folder(self, officer: Record) -> str:
        """The short address relative to the site root, e.g. ``z/33029919010003/``."""
        return short_folder(officer.key)

    def absolute(self, officer: Record) -> str | None:
        """The short address a phone can open, or None in a preview."""
        return self.base + self.folder(officer) if self.base else None

    def qr_image(self, officer: Record) -> str | None:
        """The QR code's file, relative to the site root; None when there is no code."""
        return self.folder(officer) + QR_FILE if self.base else None


def write_short_addresses(
    writer: Any,
    template: Any,
    context: Mapping[str, Any],
    output: Path,
    officers: Iterable[Record],
    links: ShortLinks,
) -> None:
    """``z/<cert_no>/index.html`` for every officer, and its ``qr.svg`` when there is a code."""
    root = (output / SHORT_FOLDER).resolve()
    for officer in officers:
        folder = links.folder(officer)
        if not (output / folder).resolve().is_relative_to(root):
            raise ValueError(f"短地址 {folder} 不在 {SHORT_FOLDER}/ 之内")
        name = folder + "index.html"
        writer.write_file(
            name, template, context, relative_urls=True, page_name=name, officer=officer
        )
        address, image = links.absolute(officer), links.qr_image(officer)
        if address and image:
            (output / image).write_bytes(qr_svg(address))
