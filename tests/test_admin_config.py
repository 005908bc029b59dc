"""The web forms' config.yml, generated from the schemas: complete, deterministic, checked."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from gongshi_admin import AdminBuildError, AdminSettingsError, read_settings, render_config
from gongshi_admin.config import agency_types, content_security_policy
from gongshi_admin.widgets import collection_name
from gongshi_admin.writer import bundle_files
from gongshi_records.schema import resolve_refs, schema_for

AGENCY = "demo-bureau"


def schema_fields(root: Mapping[str, Any], node: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """(path, enum values) of every field, "*" for list items."""
    node = resolve_refs(root, node)
    for name, prop in node.get("properties", {}).items():
        prop = resolve_refs(root, prop)
        items = resolve_refs(root, prop.get("items", {}))
        yield (name,), tuple(prop.get("enum", ()) or items.get("enum", ()))
        for sub in (prop, items):
            for path, enum in schema_fields(root, sub):
                yield (name, *path), enum


def config_field(fields: list[dict[str, Any]], path: tuple[str, ...]) -> dict[str, Any]:
    found = next(f for f in fields if f["name"] == path[0])
    if len(path) == 1:
        return found
    inner = found.get("fields") or [found["field"]]
    return config_field(inner, path[1:])


def forms() -> dict[str, list[dict[str, Any]]]:
    config = yaml.safe_load(render_config(AGENCY, read_settings(None)))
    found = {c["name"]: c["fields"] for c in config["collections"] if "fields" in c}
    for collection in config["collections"]:
        for entry in collection.get("files", []):
            found[entry["name"]] = entry["fields"]
    return found


def test_every_schema_field_and_enum_value_is_in_the_form() -> None:
    collections = forms()
    for record_type in agency_types():
        root = schema_for(record_type.name)
        fields = collections[collection_name(record_type.kind)]
        for path, enum in schema_fields(root, root):
            field = config_field(fields, path)
            assert field["label"] and field["hint"], path
            for value in enum:
                assert value in field["options"], (record_type.name, path, value)


def test_widgets_follow_the_schema() -> None:
    officer = {f["name"]: f for f in forms()["officers"]}
    assert officer["cert_no"]["pattern"] == [
        "^[A-Za-z0-9-]+$",
        '：执法证件编号，必须与文件名相同并加引号，例如 "32119020240001"。',
    ]
    assert officer["valid_from"]["widget"] == "datetime"
    assert officer["valid_from"]["format"] == "YYYY-MM-DD"
    assert officer["roles"]["widget"] == "select" and officer["roles"]["multiple"] is True
    assert officer["unit"]["required"] is False and officer["name"]["required"] is True
    decision = {f["name"]: f for f in forms()["decisions"]}
    assert decision["officers"]["widget"] == "relation"
    assert decision["officers"]["collection"] == "officers"
    assert decision["officers"]["value_field"] == "cert_no"
    assert decision["power"]["value_field"] == "code"
    assert decision["facts"]["widget"] == "markdown"
    withdrawal = {f["name"]: f for f in decision["withdrawal"]["fields"]}
    assert withdrawal["cause"]["required"] is False  # the whole withdrawal is optional
    attachment = {f["name"]: f for f in decision["attachments"]["fields"]}["file"]
    assert attachment["widget"] == "file" and ".[Pp][Dd][Ff]$" in attachment["pattern"][0]


def test_collections_point_at_the_agency_folders() -> None:
    config = yaml.safe_load(render_config(AGENCY, read_settings(None)))
    folders = {c["name"]: c.get("folder") for c in config["collections"]}
    assert folders["officers"] == f"content/agencies/{AGENCY}/officers"
    decisions = next(c for c in config["collections"] if c["name"] == "decisions")
    assert decisions["path"] == "{{fields.decided_on | date('YYYY')}}/{{slug}}"
    files = [f["file"] for c in config["collections"] for f in c.get("files", [])]
    assert files == [
        f"content/agencies/{AGENCY}/agency.yaml",
        f"content/agencies/{AGENCY}/review-catalog.yaml",
        f"content/agencies/{AGENCY}/av-list.yaml",
    ]
    assert config["media_folder"] == f"content/agencies/{AGENCY}/files"
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "zh_Hans"


def test_the_config_is_byte_identical_for_the_same_input() -> None:
    settings = read_settings({"backend": {"name": "gitlab", "repo": "a/b", "app_id": "x"}})
    assert render_config(AGENCY, settings) == render_config(AGENCY, settings)
    backend = yaml.safe_load(render_config(AGENCY, settings))["backend"]
    assert backend == {"name": "gitlab", "repo": "a/b", "app_id": "x", "branch": "main",
                       "auth_type": "pkce"}  # fmt: skip


@pytest.mark.parametrize("agency", [AGENCY, "r59-zhzf", "a"])
def test_libyaml_writes_the_same_config_as_the_pure_emitter(agency: str) -> None:
    """The fast emitter is only a speed-up: the bytes a webmaster gets do not depend on it."""
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the build would be five times slower"
    settings = read_settings({"backend": {"name": "github", "repo": "a/b"}})
    fast = render_config(agency, settings)
    assert fast == render_config(agency, settings, yaml.SafeDumper)
    assert yaml.safe_load(fast)["media_folder"] == f"content/agencies/{agency}/files"


@pytest.mark.parametrize(
    "raw",
    [
        {"backnd": None},
        {"backend": {"name": "bitbucket", "repo": "a/b"}},
        {"backend": {"name": "github"}},
        {"backend": {"name": "github", "repo": "a/b", "secret": "x"}},
        {"backend": None, "local_backend": False},
        {"max_file_size": 0},
    ],
)
def test_bad_settings_are_refused(raw: dict[str, Any]) -> None:
    with pytest.raises(AdminSettingsError):
        read_settings(raw)


def test_the_admin_policy_allows_eval_but_only_known_origins() -> None:
    settings = read_settings(
        {"backend": {"name": "gitea", "repo": "a/b", "api_root": "https://git.gov.cn/api/v1"}}
    )
    policy = content_security_policy(settings)
    assert "'unsafe-eval'" in policy and "https://git.gov.cn" in policy
    assert "http://localhost:8081" in policy and "*" not in policy


def test_a_missing_decap_bundle_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(AdminBuildError, match="npm ci"):
        bundle_files(tmp_path)


def test_the_demo_build_writes_one_admin_per_agency(demo_site: Path) -> None:
    admin = demo_site / "admin"
    agencies = sorted(p.name for p in (demo_site / "agencies").iterdir() if p.is_dir())
    assert sorted(p.name for p in admin.iterdir() if p.is_dir()) == agencies
    for agency in agencies:
        page = (admin / agency / "index.html").read_text("utf-8")
        assert '<script src="../decap-cms.js">' in page and "Content-Security-Policy" in page
        assert (admin / agency / "config.yml").read_bytes() == render_config(
            agency, read_settings({"enabled": True, "backend": None, "local_backend": True})
        )
    index = (admin / "index.html").read_text("utf-8")
    assert all(f'href="../admin/{a}/index.html"' in index for a in agencies)
    assert not list(admin.glob("*.map")) and (admin / "decap-cms.js").is_file()
    assert list(admin.glob("*.wasm"))
    assert sum(p.stat().st_size for p in admin.iterdir() if p.is_file()) < 8_000_000
    assert "admin/" not in (demo_site / "sitemap.xml").read_text("utf-8")
