"""Pages rendered by forked worker processes (gongshi_portal.render): the same site, byte
for byte, as one process renders; a page that fails in a worker stops the build by name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gongshi_portal.generator import RecordsGenerator
from gongshi_portal.pages import PageSpec
from gongshi_records.forking import PROCESSES_ENV, can_fork

Run = Callable[..., Result]
AS_OF = "2026-11-24"
DEMO = Path(__file__).parents[1] / "content"
BROKEN_PAGE = "agencies/demo-bureau/officers.html"


def build(gongshi: Run, content: Path, output: Path, *options: str) -> Result:
    command = ("build", "--content", str(content), "--output", str(output), "--as-of", AS_OF)
    return gongshi(*command, *options)


def files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def processes_used(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "个进程生成" in r.getMessage()]


def test_pool_build_equals_serial_build(
    gongshi: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert can_fork(), "this test must run where the build can fork its render workers"
    caplog.set_level(logging.INFO, logger="gongshi_portal.render")
    monkeypatch.setenv(PROCESSES_ENV, "1")
    serial = build(gongshi, DEMO, tmp_path / "serial")
    assert serial.code == 0, serial.err
    monkeypatch.setenv(PROCESSES_ENV, "2")
    pooled = build(gongshi, DEMO, tmp_path / "pooled")
    assert pooled.code == 0, pooled.err
    used = processes_used(caplog)
    assert len(used) == 2 and "由 1 个进程" in used[0] and "由 2 个进程" in used[1], used
    one, two = files(tmp_path / "serial"), files(tmp_path / "pooled")
    assert len(one) > 100 and list(one) == list(two)
    assert [name for name in one if one[name] != two[name]] == []


@pytest.mark.parametrize("processes", ["2", "1"])
def test_a_page_that_fails_stops_the_build_by_name(
    processes: str,
    mini: Path,
    gongshi: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    before = files(out)
    render_page = RecordsGenerator.render_page

    def failing(self: RecordsGenerator, page: PageSpec) -> str:
        if page.name == BROKEN_PAGE:  # a template bug on one page (in the worker that has it)
            raise KeyError("missing")
        return render_page(self, page)

    monkeypatch.setattr(RecordsGenerator, "render_page", failing)
    monkeypatch.setenv(PROCESSES_ENV, processes)
    # Without the build cache, which would take the unchanged page over instead of rendering it.
    result = build(gongshi, mini, out, "--no-cache")
    assert result.code == 2
    assert f"页面 {BROKEN_PAGE} 生成失败：KeyError: 'missing'" in result.err
    assert "原有网站保持不变" in result.err
    assert files(out) == before  # the previous site is still the one published
