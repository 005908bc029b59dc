"""Sealing a built site: SHA256SUMS, the statement, and its signature when a key is configured.

:func:`seal` runs at the very end of the build, in the staging folder that gongshi build swaps
in only on success: an exception here leaves the previous site untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gongshi_records.publication import resolve_as_of

from .config import MANIFEST, SIGNATURE, STATEMENT, TrustError, TrustSettings, trust_settings
from .keys import KeyRefused, KeyUnreadable, fingerprint, inside_git_work_tree, read_private_key
from .manifest import render_manifest
from .statement import VERSION, Statement, provenance

log = logging.getLogger(__name__)

# Set by gongshi build: the folder the staging folder will replace (a key there is refused too).
FINAL_OUTPUT_SETTING = "GONGSHI_FINAL_OUTPUT"
CACHE_SETTING = "GONGSHI_BUILD_CACHE"  # gongshi_portal.buildcache.SETTING
# Set by gongshi build for a partitioned build: no part is sealed; the final job seals the
# merged site (gongshi_portal.build calls :func:`seal` on it).
SEAL_LATER_SETTING = "GONGSHI_SEAL_LATER"


@dataclass(frozen=True)
class Provenance:
    """What the statement and the verify page say about this build."""

    commit: str | None  # None outside git or when uncommitted
    uncommitted: bool  # the content folder had changes no commit holds (a preview)
    serial: int
    as_of: dt.date
    expires: dt.date
    site_url: str | None
    fingerprint: str | None  # None: unsigned


def _options(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    return settings.get("GONGSHI") or {}


def signing_key(
    settings: Mapping[str, Any], trust: TrustSettings, *, warn: bool = False
) -> Ed25519PrivateKey | None:
    """The configured private key, or None for an unsigned site. A key inside the content, its
    repository or the output is always refused (:class:`KeyRefused`); a key that cannot be read
    stops a publish build, while a preview is built unsigned, with a warning when ``warn``."""
    if trust.signing_key is None:
        return None
    content = Path(str(settings["PATH"]))
    forbidden = [content, Path(str(settings["OUTPUT_PATH"]))]
    if settings.get(FINAL_OUTPUT_SETTING):
        forbidden.append(Path(str(settings[FINAL_OUTPUT_SETTING])))
    tree = inside_git_work_tree(content)
    if tree is not None:
        forbidden.append(tree)
    try:
        return read_private_key(trust.signing_key, trust.key_source, forbidden)
    except KeyUnreadable as refused:
        if _options(settings).get("publish"):
            raise KeyRefused(f"{refused}；正式发布不能不签名") from refused
        if warn:
            log.warning("gongshi: %s；本次预览生成的网站不签名", refused)
        return None


def provenance_of(
    settings: Mapping[str, Any], key: Ed25519PrivateKey | None, trust: TrustSettings
) -> Provenance:
    origin = provenance(Path(str(settings["PATH"])))
    as_of = resolve_as_of(_options(settings).get("as_of"))
    return Provenance(
        commit=origin.commit,
        uncommitted=origin.uncommitted,
        serial=origin.serial,
        as_of=as_of,
        expires=as_of + dt.timedelta(days=trust.statement_days),
        site_url=str(settings.get("SITEURL") or "") or None,
        fingerprint=fingerprint(key.public_key()) if key else None,
    )


def seal(output: Path, settings: Mapping[str, Any]) -> None:
    """Write SHA256SUMS over every file of ``output``, the statement, and its signature."""
    trust = trust_settings(settings)
    key = signing_key(settings, trust)
    made = provenance_of(settings, key, trust)
    if made.uncommitted and _options(settings).get("publish"):
        # A published statement names the commit anyone can rebuild; work in progress has none.
        raise TrustError(
            "content/ 中有未提交或未跟踪的改动：正式发布必须从已合并的提交生成，"
            "请先提交（经审核合并）或删除这些改动，原有网站保持不变"
        )
    for name in (MANIFEST, STATEMENT, SIGNATURE):
        if (output / name).is_symlink() or (output / name).is_dir():
            raise TrustError(f"输出目录中的 {name} 不是普通文件：它由签署步骤写入")
    # gongshi build's cache (gongshi_portal.buildcache): files unchanged since the previous
    # build are links to it, their hashes and privacy scans are not computed again.
    cache = settings.get(CACHE_SETTING)
    digests = cache.settle(output) if cache is not None else None
    _scan_for_personal_data(output, settings)
    manifest = render_manifest(output, digests)
    (output / MANIFEST).write_bytes(manifest)
    statement = Statement(
        version=VERSION,
        commit=made.commit,
        uncommitted=made.uncommitted,
        as_of=made.as_of,
        serial=made.serial,
        expires=made.expires,
        manifest_sha256=hashlib.sha256(manifest).hexdigest(),
        site_url=made.site_url,
    )
    data = statement.canonical()
    (output / STATEMENT).write_bytes(data)
    if key is not None:
        (output / SIGNATURE).write_bytes(key.sign(data))
    else:
        (output / SIGNATURE).unlink(missing_ok=True)
    if cache is not None:
        cache.settle_written(output, (MANIFEST, STATEMENT, SIGNATURE))


def _scan_for_personal_data(output: Path, settings: Mapping[str, Any]) -> None:
    """The last privacy check, on the built site, before it is sealed: a publish build with an
    unmasked ID, mobile or bank card number anywhere stops (a site that leaks is never sealed),
    a preview logs each as a warning."""
    # Imported here: gongshi_portal reads this package's settings, so it must not load first.
    from gongshi_portal.sitescan import ALLOWED_SETTING, check_output

    final = Path(str(settings.get(FINAL_OUTPUT_SETTING) or output))
    allowed = settings.get(ALLOWED_SETTING) or ()
    publish = bool(_options(settings).get("publish"))
    cache = settings.get(CACHE_SETTING)
    check_output(output, allowed, publish=publish, prefix=f"{final.name}/", cache=cache)
