"""The code digest every page fingerprint starts from (gongshi_portal.fingerprint.code_digest):
it follows the installed packages, not the folder a build is started from."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

import pytest
from gongshi_portal import fingerprint
from gongshi_records.paths import PROJECT_ROOT

THEME = PROJECT_ROOT / "theme"


@pytest.fixture(autouse=True)
def fresh_versions() -> Iterator[None]:
    fingerprint._package_versions.cache_clear()
    yield
    fingerprint._package_versions.cache_clear()


def distribution_in(folder: Path, name: str, version: str) -> None:
    """A distribution's metadata in ``folder``, as a checkout's egg-info or a dist-info is."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", "utf-8"
    )


def test_a_package_found_twice_on_the_path_is_one_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint.code_digest(THEME)
    # `python -m gongshi_cli` started in the checkout finds its gongshi.egg-info there too.
    distribution_in(tmp_path, "Jinja2", importlib.metadata.version("Jinja2"))
    monkeypatch.syspath_prepend(str(tmp_path))
    fingerprint._package_versions.cache_clear()
    assert fingerprint.code_digest(THEME) == before


def test_another_version_on_the_path_changes_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint.code_digest(THEME)
    distribution_in(tmp_path, "Jinja2", "0.0.1")
    monkeypatch.syspath_prepend(str(tmp_path))
    fingerprint._package_versions.cache_clear()
    assert fingerprint.code_digest(THEME) != before
