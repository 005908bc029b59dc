"""The mini fixture portal's output, byte for byte (regenerate with `make expected`)."""

from __future__ import annotations

import difflib
from pathlib import Path

from expected_site import EXPECTED, build_expected_site


def files(root: Path) -> dict[str, bytes]:
    """Every generated file; theme/ holds verbatim copies of the theme's static files."""
    found = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    return {
        name: path.read_bytes() for name, path in found.items() if not name.startswith("theme/")
    }


def test_output_matches_expected(tmp_path: Path) -> None:
    built = files(build_expected_site(tmp_path))
    expected = files(EXPECTED)
    assert sorted(built) == sorted(expected), "files differ; run `make expected` if intended"
    for name, data in built.items():
        if data != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                data.decode("utf-8", "replace").splitlines(),
                f"expected/{name}",
                f"built/{name}",
                lineterm="",
            )
            raise AssertionError("\n".join(list(diff)[:60]) + "\n(run `make expected` if intended)")


def test_expected_output_shows_history(tmp_path: Path) -> None:
    decision = (EXPECTED / "agencies/demo-bureau/decisions/2026/2026-001.html").read_text("utf-8")
    assert "2026年4月14日" in decision  # the merge, not the clerk's commit of 13 April
    notice = (EXPECTED / "agencies/demo-bureau/decisions/2025/2025-007.html").read_text("utf-8")
    assert "2025年9月3日" in notice  # withdrawn when the withdrawal was merged
    officer = (EXPECTED / "officers/33029900000001.html").read_text("utf-8")
    assert "修订记录（2 次）" in officer and "执法区域" in officer
