"""``output/admin/``: Decap CMS's browser bundle once, and per agency its form page and
config.yml. The index page listing the agencies is a theme template (admin_index.html)."""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping
from pathlib import Path

from gongshi_records.paths import NODE_MODULES

from .config import AdminSettings, content_security_policy, render_config

ADMIN_DIR = "admin"
BUNDLE_SOURCE = NODE_MODULES / "decap-cms/dist"
BUNDLE = "decap-cms.js"
# The entry script loads its numbered chunks and two WebAssembly files from beside itself;
# source maps (ten times the size) and the second build (cms.js) stay out.
BUNDLE_GLOBS = (BUNDLE, f"*.{BUNDLE}", "*.wasm", f"{BUNDLE}.LICENSE.txt")


class AdminBuildError(Exception):
    """admin/ cannot be written (for example Decap CMS was never installed)."""


def bundle_files(source: Path = BUNDLE_SOURCE) -> list[Path]:
    """The files of Decap's bundle to publish, sorted; AdminBuildError when it is missing."""
    if not (source / BUNDLE).is_file():
        raise AdminBuildError(
            f"找不到 {source / BUNDLE}：网上填报页面需要 Decap CMS，请先运行 npm ci"
            "（make site 会按 package-lock.json 安装）"
        )
    return sorted({p for pattern in BUNDLE_GLOBS for p in source.glob(pattern) if p.is_file()})


def copy_bundle(admin: Path, source: Path = BUNDLE_SOURCE) -> list[str]:
    """Copies the bundle into ``admin/``; returns the names written."""
    admin.mkdir(parents=True, exist_ok=True)
    names = []
    for path in bundle_files(source):
        shutil.copyfile(path, admin / path.name)
        names.append(path.name)
    return names


def agency_page(name: str, policy: str) -> str:
    """One agency's form page: the admin policy, config.yml beside it, the shared bundle."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>网上填报 · {html.escape(name)}</title>\n"
        '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        "</head>\n"
        "<body>\n"
        "<noscript>网上填报需要启用浏览器的 JavaScript。</noscript>\n"
        f'<script src="../{BUNDLE}"></script>\n'
        "</body>\n"
        "</html>\n"
    )


def write_admin(output: Path, agencies: Mapping[str, str], settings: AdminSettings) -> Path:
    """Writes ``output/admin/``: the bundle, and for every agency (id → name) its page and
    config.yml. Returns the admin folder."""
    admin = output / ADMIN_DIR
    copy_bundle(admin)
    policy = content_security_policy(settings)
    for agency, name in sorted(agencies.items()):
        folder = admin / agency
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.yml").write_bytes(render_config(agency, settings))
        (folder / "index.html").write_text(agency_page(name, policy), encoding="utf-8")
    return admin
