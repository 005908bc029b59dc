"""The Decap CMS configuration of one agency's web forms, generated from the JSON Schemas and
the registry: a collection per record type that has files in an agency's folder, every field
labelled with its Chinese title. Pure functions; the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml
from gongshi_records.registry import RECORD_TYPES, RecordType
from gongshi_records.schema import schema_for

from .widgets import Context, Field, collection_name, fields_of

SETTING = "GONGSHI_ADMIN"
FORGES = ("github", "gitlab", "gitea")
BACKEND_KEYS = (
    "name",
    "repo",
    "branch",
    "api_root",
    "base_url",
    "auth_endpoint",
    "auth_type",
    "app_id",
    "cms_label_prefix",
)
LOCAL_URL = "http://localhost:8081/api/v1"  # where `npx decap-server` listens by default
DEFAULT_BRANCH = "main"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a scanned decision is a few MB; 20 MB leaves room
DEFAULTS: Mapping[str, Any] = {
    "enabled": True,
    "backend": None,
    "local_backend": True,
    "max_file_size": MAX_FILE_BYTES,
}
HEADER = "# 由 gongshi build 根据 schemas/ 自动生成，请勿手工修改。\n"
# Decap forms are written in the ascii part of a slug only; a clerk never types a file name.
SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
NEW_ID = "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}"
# decisions/<year>/<id>.yaml: the year is the decision's own (rules.py warns otherwise).
YEAR_FOLDER = "{{fields.decided_on | date('YYYY')}}"
IDENTIFIERS = ("doc_no", "title", "name")


class AdminSettingsError(ValueError):
    """GONGSHI_ADMIN names an unknown key or an unusable backend."""


@dataclass(frozen=True)
class AdminSettings:
    """GONGSHI_ADMIN, checked. ``backend`` None = edit a local checkout through decap-server
    only; ``local_backend`` = also use decap-server when the page is opened on localhost."""

    enabled: bool = True
    backend: Mapping[str, str] | None = None
    local_backend: bool | str = True
    max_file_size: int = MAX_FILE_BYTES

    @property
    def local_url(self) -> str | None:
        if self.local_backend is False:
            return None
        return LOCAL_URL if self.local_backend is True else str(self.local_backend)


def read_settings(raw: Mapping[str, Any] | None) -> AdminSettings:
    """GONGSHI_ADMIN with every unknown key reported at once."""
    values = {**DEFAULTS, **(raw or {})}
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise AdminSettingsError(
            f"{SETTING} 中有不认识的设置：{', '.join(unknown)}（可用：{', '.join(DEFAULTS)}）"
        )
    backend = values["backend"]
    if backend is not None:
        backend = _check_backend(backend)
    local = values["local_backend"]
    if not isinstance(local, bool | str):
        raise AdminSettingsError(
            f"{SETTING}['local_backend'] 应为 true、false 或 decap-server 地址"
        )
    if backend is None and local is False:
        raise AdminSettingsError(
            f"{SETTING} 需要 backend（{'、'.join(FORGES)}）或 local_backend，否则表单无处保存"
        )
    size = values["max_file_size"]
    if not isinstance(size, int) or size <= 0:
        raise AdminSettingsError(f"{SETTING}['max_file_size'] 应为正整数（字节）")
    return AdminSettings(bool(values["enabled"]), backend, local, size)


def _check_backend(backend: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(backend) - set(BACKEND_KEYS))
    if unknown:
        raise AdminSettingsError(
            f"{SETTING}['backend'] 中有不认识的设置：{', '.join(unknown)}"
            f"（可用：{', '.join(BACKEND_KEYS)}）"
        )
    if backend.get("name") not in FORGES:
        raise AdminSettingsError(f"{SETTING}['backend']['name'] 应为 {'、'.join(FORGES)} 之一")
    if not backend.get("repo"):
        raise AdminSettingsError(f"{SETTING}['backend'] 缺少 repo（例如 org/portal）")
    return {key: str(backend[key]) for key in BACKEND_KEYS if backend.get(key) not in (None, "")}


def agency_types() -> list[RecordType]:
    """The record types kept in an agency's folder, in registry order."""
    return [t for t in RECORD_TYPES.values() if t.needs("agency")]


def agency_folder(agency: str) -> str:
    return f"content/agencies/{agency}"


def collections(agency: str, max_file_size: int = MAX_FILE_BYTES) -> list[Field]:
    """One folder collection per type with files per agency, then one file collection for the
    agency's single files (agency.yaml, review-catalog.yaml, av-list.yaml)."""
    found = [
        _folder_collection(t, agency, max_file_size) for t in agency_types() if not t.singleton
    ]
    singles = [_file_entry(t, agency, max_file_size) for t in agency_types() if t.singleton]
    found.append(
        {
            "name": "agency",
            "label": "本机构信息与清单",
            "label_singular": "本机构信息与清单",
            "editor": {"preview": False},
            "files": singles,
        }
    )
    return found


def _form_fields(record_type: RecordType, max_file_size: int) -> list[Field]:
    root = schema_for(record_type.name)
    return fields_of(root, Context(record_type.kind, root, max_file_size=max_file_size))


def _folder_collection(record_type: RecordType, agency: str, max_file_size: int) -> Field:
    root = schema_for(record_type.name)
    name = collection_name(record_type.kind)
    collection: Field = {
        "name": name,
        "label": record_type.label,
        "label_singular": record_type.label,
        "description": str(root.get("description", "")),
        "folder": f"{agency_folder(agency)}/{name}",
        "create": True,
        "delete": False,
        "format": "yml",
        "extension": "yaml",
        "identifier_field": _identifier(record_type, root),
        "slug": f"{{{{fields.{record_type.id_field}}}}}" if record_type.id_field else NEW_ID,
    }
    if record_type.needs("year"):
        collection["path"] = f"{YEAR_FOLDER}/{{{{slug}}}}"
    collection["editor"] = {"preview": False}
    collection["fields"] = _form_fields(record_type, max_file_size)
    return collection


def _identifier(record_type: RecordType, root: Mapping[str, Any]) -> str:
    required = set(root.get("required", ()))
    for name in IDENTIFIERS:
        if name in required:
            return name
    if record_type.id_field:
        return record_type.id_field
    raise ValueError(f"{record_type.name}: 没有可作列表标题的必填字段（{'、'.join(IDENTIFIERS)}）")


def _file_entry(record_type: RecordType, agency: str, max_file_size: int) -> Field:
    root = schema_for(record_type.name)
    return {
        "name": collection_name(record_type.kind),
        "label": record_type.label,
        "file": "content/" + record_type.path_for(agency),
        "description": str(root.get("description", "")),
        "fields": _form_fields(record_type, max_file_size),
    }


def backend_config(settings: AdminSettings) -> dict[str, Any]:
    """The backend, and decap-server on localhost beside it when wanted."""
    if settings.backend is None:
        return {
            "backend": {
                "name": "proxy",
                "proxy_url": settings.local_url,
                "branch": DEFAULT_BRANCH,
            }
        }
    backend = {**settings.backend, "branch": settings.backend.get("branch", DEFAULT_BRANCH)}
    if backend["name"] == "gitlab" and "app_id" in backend:
        backend.setdefault("auth_type", "pkce")
    found: dict[str, Any] = {"backend": backend}
    if settings.local_url:
        found["local_backend"] = {"url": settings.local_url}
    return found


def admin_config(agency: str, settings: AdminSettings) -> dict[str, Any]:
    files = agency_folder(agency) + "/files"
    return {
        **backend_config(settings),
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hans",
        "media_folder": files,
        "public_folder": "",
        "slug": dict(SLUG),
        "collections": collections(agency, settings.max_file_size),
    }


# libyaml's emitter writes the same text as PyYAML's pure one (tests/test_admin_config.py) in a
# fifth of the time: a portal of 300 agencies writes 300 configs of some 5,000 values each.
FAST_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_config(
    agency: str, settings: AdminSettings, dumper: type[yaml.SafeDumper] = FAST_DUMPER
) -> bytes:
    """config.yml, byte-identical for the same schemas, registry, agency and settings."""
    body = yaml.dump(
        admin_config(agency, settings),
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return (HEADER + body).encode("utf-8")


def origins(settings: AdminSettings) -> list[str]:
    """The origins the admin page talks to besides its own: forge API and auth, decap-server."""
    found = []
    backend = settings.backend or {}
    defaults = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}
    candidates = [
        backend.get("api_root") or defaults.get(backend.get("name", ""), ""),
        backend.get("base_url", ""),
        settings.local_url or "",
    ]
    for url in candidates:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found


def content_security_policy(settings: AdminSettings) -> str:
    """The admin pages' own policy: Decap needs eval and inline styles, nothing from a CDN."""
    connect = " ".join(["'self'", *origins(settings)])
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "media-src 'self' blob:",
            "frame-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )
