"""Web addresses from records (an agency's website) as links, safely.

Records are untrusted input: only an absolute ``http``/``https`` address with a host becomes a
link. Anything else — ``javascript:``, ``data:``, a relative path, an address with spaces, tabs
or control characters (browsers drop tabs and newlines inside an address, so ``java\\tscript:``
would run) — is shown as plain text. The schema already requires ``^https?://`` for an agency's
``website``; this check does not rely on it.

These are the only links to another host the portal writes (``rel="external"``, no referrer,
no opener); its resources never come from one (docs/deploy.md's CSP).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SCHEMES = ("http", "https")
EXTERNAL_REL = "external noopener noreferrer"


def web_address(value: Any) -> str | None:
    """``value`` when it is a safe absolute http(s) address, else None."""
    if not isinstance(value, str) or not value:
        return None
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an invalid IPv6 host
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return value


def web_link(value: Any) -> Markup:
    """An external link to ``value``, or the value as escaped text when it is not a safe
    http(s) address (empty for no value)."""
    if value is None or value == "":
        return Markup("")
    address = web_address(value)
    if address is None:
        return escape(str(value))
    return Markup('<a class="external" href="{0}" rel="{1}">{0}</a>').format(address, EXTERNAL_REL)
