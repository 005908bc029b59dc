"""The GONGSHI settings: one module knows every key and its default; an unknown key or a wrong
value stops the build naming it; docs/portal.md documents every key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from gongshi_portal import build as build_module
from gongshi_portal.settings import (
    NAMESPACES,
    SettingsError,
    merged,
    read_gongshi,
    registered_keys,
)
from gongshi_records.paths import PROJECT_ROOT
from gongshi_search import ShardSettings
from gongshi_trust.config import TRUST_DEFAULTS
from pelican.settings import read_settings

Run = Callable[..., Result]
DOCS = PROJECT_ROOT / "docs/portal.md"


def test_no_settings_give_every_default() -> None:
    settings = read_gongshi(None)
    assert settings.as_of is None and settings.publish is False
    assert settings.search == ShardSettings()
    assert settings.trust == TRUST_DEFAULTS


def test_settings_merge_key_by_key_with_the_defaults() -> None:
    settings = read_gongshi(
        {"as_of": "2026-11-24", "search": {"store_size": 50}, "trust": {"statement_days": 3}}
    )
    assert settings.as_of == dt.date(2026, 11, 24)
    assert settings.search == dataclasses.replace(ShardSettings(), store_size=50)
    assert settings.trust == {**TRUST_DEFAULTS, "statement_days": 3}
    assert read_gongshi({"search": {"common_df": None}}).search.common_df is None


def test_the_registry_has_every_key_the_code_reads() -> None:
    """The defaults live beside their code; the registry takes every one of them."""
    assert set(NAMESPACES["search"]) == {f.name for f in dataclasses.fields(ShardSettings)}
    assert set(NAMESPACES["trust"]) == set(TRUST_DEFAULTS)
    assert set(merged(None)) == {"as_of", "publish", *NAMESPACES}


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"serach": {"store_size": 5}}, "serach"),  # a typo of a namespace
        ({"as-of": "2026-01-01"}, "as-of"),
        ({"search": {"bucket_kb": 10}}, "GONGSHI['search'] 中有不认识的设置“bucket_kb”"),
        ({"trust": {"key": "/etc/k"}}, "GONGSHI['trust'] 中有不认识的设置“key”"),
    ],
)
def test_an_unknown_key_is_an_error_naming_it(raw: dict[str, Any], named: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(named)):
        merged(raw)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"search": {"store_size": "100"}}, "GONGSHI['search']['store_size'] 应为整数"),
        ({"search": {"bucket_bytes": True}}, "GONGSHI['search']['bucket_bytes'] 应为整数"),
        ({"search": {"store_size": 0}}, "GONGSHI['search']['store_size'] 应为正数"),
        ({"search": {"posting_bytes": "9"}}, "GONGSHI['search']['posting_bytes'] 应为数字"),
        ({"search": {"verify_limit": None}}, "GONGSHI['search']['verify_limit'] 不能为空"),
        ({"search": [1]}, "GONGSHI['search'] 应为字典"),
        ({"publish": "yes"}, "GONGSHI['publish'] 应为True 或 False"),
        ({"as_of": "2026-13-01"}, "GONGSHI['as_of'] 应为日期"),
        ({"trust": {"statement_days": -1}}, "GONGSHI['trust']['statement_days'] 应为正数"),
        ({"trust": {"signing_key": ""}}, "GONGSHI['trust']['signing_key'] 不能为空字符串"),
        ({"trust": {"signing_key": 5}}, "GONGSHI['trust']['signing_key'] 应为字符串或路径或None"),
        ({"trust": {"statement_days": 400}}, "GONGSHI['trust']['statement_days'] 不能大于 366"),
    ],
)
def test_a_value_of_the_wrong_type_is_an_error_naming_it(raw: dict[str, Any], named: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(named)):
        merged(raw)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        merged({"extra": 1, "publish": 1, "search": {"store_size": "x", "nope": 2}})
    for name in ("extra", "publish", "store_size", "nope"):
        assert name in str(caught.value)


def test_a_float_setting_takes_an_integer_and_a_key_a_path() -> None:
    assert read_gongshi({"search": {"posting_bytes": 8}}).search.posting_bytes == 8
    key = Path("/srv/keys/gongshi.key")
    assert read_gongshi({"trust": {"signing_key": key}}).trust["signing_key"] == key


@pytest.mark.parametrize("conf", ["pelicanconf.py", "publishconf.py"])
def test_the_shipped_configurations_pass_the_check(conf: str) -> None:
    settings = read_settings(str(PROJECT_ROOT / conf))
    assert read_gongshi(settings["GONGSHI"]).publish is (conf == "publishconf.py")


def _configuration(tmp_path: Path, gongshi_setting: str) -> Path:
    """A copy of pelicanconf.py with another GONGSHI (loaded under another name, as Pelican
    loads the file as pelicanconf)."""
    conf = tmp_path / "conf"
    conf.mkdir()
    real = PROJECT_ROOT / "pelicanconf.py"
    (conf / "pelicanconf.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('real', {str(real)!r})\n"
        "real = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(real)\n"
        "globals().update({k: v for k, v in vars(real).items() if k.isupper()})\n"
        f"THEME = {str(PROJECT_ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(PROJECT_ROOT / 'plugins')!r}]\n"
        f"GONGSHI = {gongshi_setting}\n",
        "utf-8",
    )
    return conf


def test_gongshi_build_with_an_unknown_setting_exits_2_naming_it(
    mini: Path, gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = _configuration(tmp_path, "{'search': {'store_sise': 50}, 'publish': False}")
    monkeypatch.setattr(build_module, "PROJECT_ROOT", conf)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", "utf-8")
    result = gongshi(
        "build", "--content", str(mini), "--output", str(site), "--as-of", "2026-11-24"
    )
    assert result.code == 2
    assert "GONGSHI['search'] 中有不认识的设置“store_sise”" in result.err
    assert (site / "index.html").read_text("utf-8") == "old"  # the old site stays
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_gongshi_build_with_a_wrong_value_exits_2_naming_it(
    mini: Path, gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = _configuration(tmp_path, "{'trust': {'statement_days': '8'}}")
    monkeypatch.setattr(build_module, "PROJECT_ROOT", conf)
    result = gongshi(
        "build", "--content", str(mini), "--output", str(tmp_path / "s"), "--as-of", "2026-11-24"
    )
    assert result.code == 2
    assert "GONGSHI['trust']['statement_days'] 应为整数" in result.err


def _settings_section() -> str:
    text = DOCS.read_text("utf-8")
    match = re.search(r"^## Settings \(`GONGSHI`\)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "docs/portal.md has no section “## Settings (`GONGSHI`)”"
    return match.group(1)


def test_every_registered_setting_is_documented() -> None:
    """docs/portal.md's settings table names every key (`search.bucket_bytes`) in a row of its
    own; a key added to the code without a row fails here."""
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_.]+)` \|", _settings_section(), re.M)}
    missing = [key for key in registered_keys() if key not in rows]
    assert not missing, f"docs/portal.md 的设置表缺少：{', '.join(missing)}"
    unknown = sorted(rows - set(registered_keys()))
    assert not unknown, f"docs/portal.md 的设置表中有代码不认识的设置：{', '.join(unknown)}"
