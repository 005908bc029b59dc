"""Partitioned builds (docs/scaling.md): agency parts built separately and merged by the final
job give the very same site as one build, and parts that do not belong together are refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_AS_OF, Result, write
from gitrepo import MINI, Repo
from gongshi_cli.main import parser
from gongshi_portal.audit import read_audit
from gongshi_portal.pages import plan
from gongshi_portal.partition import GLOBAL, Part, parse_part, partition, unit_of_path
from gongshi_portal.parts import MANIFEST_NAME, listing_of
from gongshi_portal.site import Site
from gongshi_records import validate_content
from gongshi_records.publication import public_view

Run = Callable[..., Result]
DEMO = Path(__file__).parents[1] / "content"
AS_OF = "2026-11-24"


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build(gongshi: Run, content: Path, output: Path, *extra: str, as_of: str = AS_OF) -> Result:
    argv = ["build", "--content", str(content), "--output", str(output), "--as-of", as_of]
    return gongshi(*argv, *extra)


def demo_pages() -> list[tuple[str, str | None]]:
    as_of = dt.date.fromisoformat(DEMO_AS_OF)
    corpus = validate_content(DEMO, as_of).corpus
    audit, _findings = read_audit(DEMO, corpus, as_of, publish=False)
    pages = plan(Site(corpus, public_view(corpus, as_of), audit))
    return [(p.name, p.record.agency if p.record else None) for p in pages]


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_every_planned_page_of_the_demo_is_in_exactly_one_part(count: int) -> None:
    pages = demo_pages()
    split = partition(pages, count)
    parts = [Part(GLOBAL, count), *(Part(k, count) for k in range(1, count + 1))]
    for name, _agency in pages:
        owners = [p.label() for p in parts if split.owns(p, name)]
        assert len(owners) == 1, (name, owners)
    # Every agency part has work when there are agencies enough, and the global part has the
    # portal-wide pages; an officer's page goes with its agency, not to the global part.
    agencies = {name.split("/")[1] for name, _ in pages if unit_of_path(name)}
    for part in parts[1 : len(agencies) + 1]:
        assert any(split.owns(part, name) for name, _ in pages), part
    for name in ("index.html", "decisions/index.html", "search.html", "statistics/index.html"):
        assert split.owner(name) == GLOBAL
    officers = [n for n, agency in pages if n.startswith("officers/") and agency]
    assert officers and all(split.owner(n) != GLOBAL for n in officers)


def test_units_are_agencies_and_years_of_decisions() -> None:
    assert unit_of_path("agencies/a/decisions/2024/x.html") == unit_of_path(
        "agencies/a/decisions/2024/y.html"
    )
    assert unit_of_path("agencies/a/decisions/2024/x.html") != unit_of_path(
        "agencies/a/decisions/index.html"
    )
    assert unit_of_path("agencies/a/files/x.pdf") == unit_of_path("agencies/a/index.html")
    assert unit_of_path("agencies/index.html") is None
    assert unit_of_path("officers/123.html") is None
    with pytest.raises(ValueError, match="K/N"):
        parse_part("global")
    with pytest.raises(ValueError, match="大于"):
        parse_part("3/2")


def test_two_parts_merged_are_byte_for_byte_one_build(gongshi: Run, tmp_path: Path) -> None:
    whole, merged = tmp_path / "whole", tmp_path / "merged"
    parts = [tmp_path / "part-1", tmp_path / "part-2"]
    assert build(gongshi, DEMO, whole).code == 0
    for number, folder in enumerate(parts, start=1):
        result = build(gongshi, DEMO, folder, "--part", f"{number}/2")
        assert result.code == 0, result.err
    one, two = (set(files(p)) - {MANIFEST_NAME} for p in parts)
    assert one and two and not one & two
    # A part holds its agencies' files only: no theme, no global page, no seal.
    for name in one | two:
        assert name.startswith(("agencies/", "officers/")), name
    result = build(gongshi, DEMO, merged, "--merge", *map(str, parts))
    assert result.code == 0, result.err
    expected, got = files(whole), files(merged)
    assert MANIFEST_NAME not in got
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if expected[name] != got[name]]
    assert not differ
    assert "SHA256SUMS" in got and (one | two) < set(got)


@pytest.fixture
def committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini portal committed to a git repository (a publish build needs a commit)."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(MINI, repo.root / "content")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "建立门户", when="2025-01-02T10:00:00+08:00")
    monkeypatch.chdir(repo.root)
    return repo.root / "content"


@pytest.fixture
def parts(committed: Path, gongshi: Run, tmp_path: Path) -> list[Path]:
    """The mini portal as two parts (its one agency in one of them)."""
    folders = [tmp_path / "p1", tmp_path / "p2"]
    for number, folder in enumerate(folders, start=1):
        assert build(gongshi, committed, folder, "--part", f"{number}/2").code == 0
    return folders


def refused(gongshi: Run, content: Path, output: Path, *folders: Path, as_of: str = AS_OF) -> str:
    """Merge ``folders`` into ``output`` (which holds an older site): refused, site kept."""
    write(output / "index.html", "原有网站")
    result = build(gongshi, content, output, "--merge", *map(str, folders), as_of=as_of)
    assert result.code == 2, result.err
    assert (output / "index.html").read_text("utf-8") == "原有网站"
    return result.err


def test_merge_refuses_a_missing_or_doubled_part(
    committed: Path, gongshi: Run, parts: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert "缺少分区 2/2" in refused(gongshi, committed, out, parts[0])
    assert "出现两次" in refused(gongshi, committed, out, parts[0], parts[0], parts[1])
    assert "不是分区构建" in refused(gongshi, committed, out, parts[0], parts[1], committed)
    three = tmp_path / "p3"
    assert build(gongshi, committed, three, "--part", "3/3").code == 0
    assert "分区总数不同" in refused(gongshi, committed, out, *parts, three)
    # Merged as they are, they make the site.
    assert build(gongshi, committed, out, "--merge", *map(str, parts)).code == 0
    assert (out / "SHA256SUMS").is_file() and not (out / MANIFEST_NAME).exists()


def test_merge_refuses_parts_of_another_date_content_or_mode(
    committed: Path, gongshi: Run, parts: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert "公示截止判断日期不同" in refused(gongshi, committed, out, *parts, as_of="2026-11-25")
    other = tmp_path / "other"
    assert build(gongshi, committed, other, "--part", "2/2", "--publish").code == 0
    assert "发布模式不同" in refused(gongshi, committed, out, parts[0], other)
    # The content changed after the parts were built: the final job reads another content.
    portal = committed / "portal.yaml"
    portal.write_text(portal.read_text("utf-8") + "\n# 改动\n", "utf-8")
    assert "内容（提交）不同" in refused(gongshi, committed, out, *parts)


def test_merge_refuses_a_part_with_files_it_does_not_own(
    committed: Path, gongshi: Run, parts: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    owner = next(p for p in parts if (p / "agencies").is_dir())
    write(owner / "index.html", "<p>伪造的首页</p>")
    assert "不完整或被改动" in refused(gongshi, committed, out, *parts)
    # Even with a manifest that lists it, a part never writes a page of the global part.
    manifest = json.loads((owner / MANIFEST_NAME).read_text("utf-8"))
    manifest["files"], manifest["listing"] = listing_of(owner)
    (owner / MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    assert "不属于它的文件 index.html" in refused(gongshi, committed, out, *parts)


def test_part_usage_errors(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    result = build(gongshi, mini, tmp_path / "p", "--part", "3/2")
    assert result.code == 2 and "大于分区总数" in result.err
    result = build(gongshi, mini, tmp_path / "p", "--part", "1/2", "--merge", str(tmp_path))
    assert result.code == 2
    assert not (tmp_path / "p").exists()


# What the CI systems put in place of the variables of docs/scaling.md's examples.
CI_VALUES = {
    "${{ needs.date.outputs.as-of }}": AS_OF,
    "${{ matrix.part }}": "3",
    "$AS_OF": AS_OF,
    "$CI_NODE_INDEX": "3",
    "$CI_NODE_TOTAL": "8",
}


def test_the_ci_examples_call_the_commands_as_they_are() -> None:
    """docs/scaling.md's GitHub and GitLab examples are valid YAML, and each builds parts and
    merges them with options `gongshi build` accepts."""
    text = (Path(__file__).parents[1] / "docs/scaling.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) == 2
    github = yaml.safe_load(blocks[0])
    assert github["jobs"]["part"]["strategy"]["matrix"]["part"] == list(range(1, 9))
    assert yaml.safe_load(blocks[1])["gongshi-part"]["parallel"] == 8
    for block in blocks:
        calls = [line for line in block.splitlines() if "gongshi build" in line]
        lines = [line.split("gongshi ", 1)[1] for line in calls]
        assert len(lines) == 2
        part, merge = (parser().parse_args(shlex.split(_substituted(line))) for line in lines)
        assert parse_part(part.part) == Part(3, 8) and part.as_of == merge.as_of
        assert part.publish and merge.publish and merge.merge == ["parts/part-*"]


def _substituted(line: str) -> str:
    for variable, value in CI_VALUES.items():
        line = line.replace(variable, value)
    assert "$" not in line, line
    return line
