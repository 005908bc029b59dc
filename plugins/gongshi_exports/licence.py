"""The open data's licence: portal.yaml's ``open_data_licence``, or CC BY 4.0 by default.

CC BY 4.0 is the default because it lets anyone reuse, republish and build on the data,
commercially too, asking only that the source is named — so a copy of a decision or a
certificate list keeps pointing back to the portal that answers for it. It is an Open
Definition conformant licence with an official Chinese text, and the one most open-data
portals use. (Official documents are not protected by copyright at all — 著作权法 art. 5 — but
the compiled tables are the portal's; a portal that wants no condition at all sets CC0-1.0.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_LICENCE: dict[str, str] = {
    "name": "CC-BY-4.0",
    "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

_KEYS = ("name", "title", "path")


def open_data_licence(portal: Mapping[str, Any]) -> dict[str, str]:
    """The Data Package ``licenses`` entry: {name, title, path} (the schema requires all three)."""
    chosen = portal.get("open_data_licence")
    if isinstance(chosen, Mapping) and all(isinstance(chosen.get(k), str) for k in _KEYS):
        return {key: str(chosen[key]) for key in _KEYS}
    return dict(DEFAULT_LICENCE)
