"""Shared helpers: a writable copy of the mini fixture portal and the CLI called through main()."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gongshi_cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def gongshi(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*argv: str) -> Result:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/mini as ``content/`` in a fresh working directory."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    monkeypatch.chdir(tmp_path)
    return content


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


DEMO_AS_OF = "2026-11-24"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's demo content, built once per test session by `gongshi build`."""
    output = tmp_path_factory.mktemp("demo") / "site"
    content = Path(__file__).parents[1] / "content"
    code = main(
        ["build", "--content", str(content), "--output", str(output), "--as-of", DEMO_AS_OF]
    )
    assert code == 0, "the demo content must build"
    return output


@pytest.fixture(scope="session", autouse=True)
def record_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The record cache (gongshi_records/recordcache.py) of this test run, never the user's."""
    folder = tmp_path_factory.mktemp("record-cache")
    before = os.environ.get("GONGSHI_CACHE_DIR")
    os.environ["GONGSHI_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["GONGSHI_CACHE_DIR"]
    else:
        os.environ["GONGSHI_CACHE_DIR"] = before


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium is marked ``browser`` (``make test-stress`` runs those)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright through its executable path (no download)."""
    from playwright.sync_api import sync_playwright
    from support import launch

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()
