"""The GONGSHI["trust"] settings: where the signing key is and how long a statement holds.

The central settings registry (gongshi_portal/settings.py) imports ``TRUST_DEFAULTS`` and checks
what pelicanconf.py (or publishconf.py) sets; :func:`trust_settings` reads the checked values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRUST_DEFAULTS: dict[str, Any] = {"signing_key": None, "statement_days": 8}

# The environment wins over the settings file: CI keeps the key path in a secret, not in git.
KEY_ENV = "GONGSHI_SIGNING_KEY"

# The files a build writes beside the site, at the root of the output folder.
MANIFEST = "SHA256SUMS"
STATEMENT = "SHA256SUMS.json"
SIGNATURE = "SHA256SUMS.sig"
PUBLIC_KEY = "signing-key.pub"
SEAL_FILES = frozenset({MANIFEST, STATEMENT, SIGNATURE})


class TrustError(Exception):
    """The site cannot be sealed as configured (a Chinese message naming the fix)."""


@dataclass(frozen=True)
class TrustSettings:
    signing_key: Path | None  # None: the site is published unsigned
    key_source: str  # where the path came from, named in messages
    statement_days: int


def trust_settings(settings: Mapping[str, Any]) -> TrustSettings:
    """The trust settings of a Pelican settings mapping, with the environment's key path.

    Unknown keys and wrong values were refused before the build started
    (gongshi_portal/settings.py, which knows every GONGSHI key); this only reads them."""
    configured = (settings.get("GONGSHI") or {}).get("trust") or {}
    merged = {**TRUST_DEFAULTS, **configured}
    days = int(merged["statement_days"])
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return TrustSettings(Path(from_env), f"环境变量 {KEY_ENV}", days)
    key = merged["signing_key"]
    if key is None:
        return TrustSettings(None, "", days)
    return TrustSettings(Path(key), "GONGSHI['trust']['signing_key']", days)


def os_reason(exc: OSError) -> str:
    """Why a file could not be read (a key, a mirror's file), in Chinese; the system's own
    words are kept for the unusual reasons."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    return f"系统错误：{exc.strerror or exc}"
