"""Builds over real git histories: what a preview shows, what a publish build refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Result
from expected_site import history_repo

Run = Callable[..., Result]
AS_OF = "2026-11-24"
NEW = "content/agencies/demo-bureau/officers/33029900000004.yaml"
OFFICER = """name: 新同事
cert_no: "33029900000004"
category: 市场监管综合执法
region: 测试区
roles: [执法]
valid_from: 2026-01-01
valid_until: 2028-12-31
status: 在岗
"""


def build(gongshi: Run, root: Path, out: Path, *extra: str) -> Result:
    return gongshi(
        "build", "--content", str(root / "content"), "--output", str(out), "--as-of", AS_OF, *extra
    )


def test_preview_marks_uncommitted_records_unpublished(tmp_path: Path, gongshi: Run) -> None:
    root = tmp_path / "repo"
    history_repo(root)
    (root / NEW).write_text(OFFICER, "utf-8")
    result = build(gongshi, root, tmp_path / "site")
    assert result.code == 0, result.err
    page = (tmp_path / "site/officers/33029900000004.html").read_text("utf-8")
    assert "未发布（尚未合并进发布分支）" in page


def test_publish_refuses_unmerged_and_uncommitted_records(tmp_path: Path, gongshi: Run) -> None:
    root = tmp_path / "repo"
    history_repo(root)
    (root / NEW).write_text(OFFICER, "utf-8")
    agency = root / "content/agencies/demo-bureau/agency.yaml"
    agency.write_text(agency.read_text("utf-8").replace("政务路1号", "政务路2号"), "utf-8")
    result = build(gongshi, root, tmp_path / "site", "--publish")
    assert result.code == 1
    assert f"{NEW}:1:1: error [unpublished]" in result.out
    assert "agency.yaml:1:1: error [uncommitted]" in result.out
    assert not (tmp_path / "site").exists()


def test_publish_refuses_a_shallow_clone(tmp_path: Path, gongshi: Run) -> None:
    origin = tmp_path / "origin"
    clone = history_repo(origin).shallow_clone(tmp_path / "clone").root
    result = build(gongshi, clone, tmp_path / "site", "--publish")
    assert result.code == 1
    assert "error [history]" in result.out and "浅克隆" in result.out
    assert build(gongshi, clone, tmp_path / "preview").code == 0  # a preview still builds


def test_preview_outside_git_still_builds(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    result = gongshi(
        "build", "--content", str(mini), "--output", str(tmp_path / "site"), "--as-of", AS_OF
    )
    assert result.code == 0
    page = (tmp_path / "site/officers/33029900000001.html").read_text("utf-8")
    assert "未发布" in page
    publish = gongshi("build", "--content", str(mini), "--output", str(tmp_path / "p"), "--publish")
    assert publish.code == 1 and "error [history]" in publish.out
