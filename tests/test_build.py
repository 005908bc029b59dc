"""Real Pelican builds of the mini fixture portal through `gongshi build`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import Result
from gongshi_portal import build as build_module
from gongshi_portal.build import build_site

Run = Callable[..., Result]
AS_OF = "2026-11-24"


def build(gongshi: Run, content: Path, output: Path, as_of: str = AS_OF) -> Result:
    return gongshi("build", "--content", str(content), "--output", str(output), "--as-of", as_of)


def all_text(output: Path) -> str:
    return "\n".join(
        p.read_text("utf-8", errors="replace") for p in output.rglob("*") if p.is_file()
    )


def test_pages_for_every_agency_officer_and_decision(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = build(gongshi, mini, out)
    assert result.code == 0, result.out + result.err
    for page in (
        "index.html",
        "agencies/demo-bureau/index.html",
        "officers/33029900000001.html",
        "officers/33029900000003.html",
        "agencies/demo-bureau/decisions/2026/2026-001.html",
        "pages/about.html",
    ):
        assert (out / page).is_file(), page
    decision = (out / "agencies/demo-bureau/decisions/2026/2026-001.html").read_text("utf-8")
    assert "50,000.00 元" in decision
    assert "欧阳明轩" in decision and "王海" in decision  # officers and reviewer, linked
    assert "2026年4月10日" in decision


def test_withdrawn_and_expired_leave_no_trace(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    everything = all_text(out)
    for secret in (
        "撤回建材",
        "撤回专用事实",
        "到期小吃店",
        "到期专用事实",
        "测市监处罚〔2025〕2号",
    ):
        assert secret not in everything, secret
    notice = (out / "agencies/demo-bureau/decisions/2025/2025-007.html").read_text("utf-8")
    assert "撤回公告" in notice and "测市监处罚〔2025〕7号" in notice
    assert not (out / "agencies/demo-bureau/decisions/2025/2025-002.html").exists()


def test_as_of_decides_expiry(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out, as_of="2025-03-01").code == 0
    assert "到期小吃店" in (out / "agencies/demo-bureau/decisions/2025/2025-002.html").read_text(
        "utf-8"
    )


def test_templates_escape_and_markdown_is_sanitised(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    text = decision.read_text("utf-8")
    text = text.replace(
        "name: 东江市测试区青禾食品有限公司", 'name: "<script>alert(1)</script>公司"'
    )
    text = text.replace(
        "  当事人于2026年3月", "  <script>alert(2)</script><b onclick=x>当事人</b>于2026年3月"
    )
    decision.write_text(text, "utf-8")
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    html = (out / "agencies/demo-bureau/decisions/2026/2026-001.html").read_text("utf-8")
    assert "<script>" not in html and "onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;公司" in html


def test_failed_build_keeps_the_previous_site(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    officer = mini / "agencies/demo-bureau/officers/33029900000001.yaml"
    officer.write_text(
        officer.read_text("utf-8").replace("valid_from: 2022-01-01", "valid_from: 2022-02-30"),
        "utf-8",
    )
    result = build(gongshi, mini, out)
    assert result.code == 1
    assert "33029900000001.yaml:6:13: error [valid_from]" in result.out
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".site-*")), "staging folder left behind"


def test_every_link_is_relative_and_resolves(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    for page in out.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="([^"]*)"', page.read_text("utf-8")):
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page}: external {href}"
            assert not href.startswith("/"), f"{page}: root-absolute {href}"
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                assert target.is_file(), f"{page.relative_to(out)} → {href}"


def test_gongshi_settings_from_the_configuration_reach_the_build(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gongshi build` adds its date and mode to pelicanconf.py's GONGSHI settings instead of
    replacing them: a search setting set there reaches the settings check (which refuses a key
    it does not know, so the build fails when, and only when, the setting got through)."""
    root = Path(build_module.PROJECT_ROOT)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "pelicanconf.py").write_text(
        # The real settings, loaded under another name (Pelican loads this file as pelicanconf).
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('real', {str(root / 'pelicanconf.py')!r})\n"
        "real = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(real)\n"
        "globals().update({k: v for k, v in vars(real).items() if k.isupper()})\n"
        f"THEME = {str(root / 'theme')!r}\nPLUGIN_PATHS = [{str(root / 'plugins')!r}]\n"
        "GONGSHI = {'search': {'no_such_setting': 1}}\n",
        "utf-8",
    )
    monkeypatch.setattr(build_module, "PROJECT_ROOT", conf)
    with pytest.raises(Exception, match="no_such_setting"):
        build_site(mini, tmp_path / "site", as_of=dt.date(2026, 11, 24))
