"""Files and Markdown pages under content/ are untrusted input (issue 11): no symlink is
followed, nothing the build would skip is skipped silently, pages cannot use Pelican's own
powers (Save_as, Template, {static} links …), are UTF-8 with a title and get the privacy scan,
nothing is written outside the output folder, and a killed build leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, write
from gongshi_portal import build as build_module
from gongshi_portal import generator as generator_module
from gongshi_records import Validation, validate_content
from gongshi_records import pages as pages_module
from gongshi_records.findings import Finding
from gongshi_records.pages import page_findings

AGENCY = "agencies/demo-bureau"
ABOUT = "pages/about.md"
REPO = Path(__file__).parents[1]


def findings(content: Path) -> list[Finding]:
    return validate_content(content).findings


def rules_of(content: Path, relative: str) -> set[tuple[int, str]]:
    """(line, rule) of every finding in the file ``relative`` (under content/)."""
    return {(f.line, f.rule) for f in findings(content) if f.path == f"content/{relative}"}


def page(content: Path, name: str, text: str) -> str:
    write(content / "pages" / name, text)
    return f"pages/{name}"


def build(gongshi: Callable[..., Result], content: Path, out: Path) -> Result:
    return gongshi(
        "build", "--content", str(content), "--output", str(out), "--as-of", "2026-11-24"
    )


# --- folders -------------------------------------------------------------------------------


def test_folders_nested_as_deep_as_paths_allow_are_walked(mini: Path) -> None:
    """A pull request may nest 1,500 folders (as deep as a path may be): the walk is no
    recursion, so the record at the bottom is a finding, not a crash."""
    deep = "/".join(["d"] * 1500)
    for depth in range(1, 1501):  # os.makedirs itself recurses
        (mini / "/".join(["d"] * depth)).mkdir()
    write(mini / deep / "x.yaml", "name: 深处\n")
    try:
        assert rules_of(mini, f"{deep}/x.yaml") == {(1, "layout")}
    finally:
        _remove_nested(mini, 1500)


def _remove_nested(root: Path, depth: int) -> None:
    """The folders from the bottom up: shutil.rmtree recurses once per level, and pytest's
    cleanup of old temporary folders would stop on this tree in a later run."""
    for level in range(depth, 0, -1):
        folder = root / "/".join(["d"] * level)
        for child in folder.iterdir():
            child.unlink()  # the subfolder below is gone already: files only
        folder.rmdir()


def test_a_symlink_that_loops_or_goes_nowhere_is_a_finding(mini: Path) -> None:
    """Following such a link fails (ELOOP, ENOTDIR): the walk reports it, as any link."""
    os.symlink("loop", mini / AGENCY / "loop")
    os.symlink("agency.yaml/x", mini / AGENCY / "through-a-file")
    assert rules_of(mini, f"{AGENCY}/loop") == {(1, "content.symlink")}
    assert rules_of(mini, f"{AGENCY}/through-a-file") == {(1, "content.symlink")}


# --- symlinks ------------------------------------------------------------------------------


def test_a_symlinked_record_file_is_a_finding_and_never_read(mini: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside.yaml", "name: 外部文件\n")
    os.symlink(outside, mini / AGENCY / "advisers/link.yaml")
    assert rules_of(mini, f"{AGENCY}/advisers/link.yaml") == {(1, "content.symlink")}
    assert all("link" not in r.path for r in validate_content(mini).corpus.records)


def test_a_symlinked_folder_is_a_finding_and_never_entered(mini: Path) -> None:
    os.symlink(mini / AGENCY / "officers", mini / AGENCY / "officers-copy")
    result = validate_content(mini)
    assert {(f.path, f.rule) for f in result.findings} == {
        (f"content/{AGENCY}/officers-copy", "content.symlink")
    }
    assert all("officers-copy" not in r.path for r in result.corpus.records)


def test_symlinks_in_pages_are_findings(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    write(outside / "secret.md", "Title: 外部\nSlug: secret\n\n正文\n")
    os.symlink(outside, mini / "pages/more")
    os.symlink(outside / "secret.md", mini / "pages/secret.md")
    assert rules_of(mini, "pages/more") == {(1, "content.symlink")}
    assert rules_of(mini, "pages/secret.md") == {(1, "content.symlink")}


def test_a_symlink_in_files_is_a_finding_even_when_no_record_names_it(mini: Path) -> None:
    (mini / AGENCY / "files").mkdir()
    os.symlink("/etc/passwd", mini / AGENCY / "files/passwd.pdf")
    assert rules_of(mini, f"{AGENCY}/files/passwd.pdf") == {(1, "content.symlink")}


def test_a_symlinked_page_is_not_published(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result]
) -> None:
    write(tmp_path / "outside.md", "Title: 外部\nSlug: outside\n\n外部文件\n")
    os.symlink(tmp_path / "outside.md", mini / "pages/outside.md")
    out = tmp_path / "site"
    result = build(gongshi, mini, out)
    assert result.code == 1 and "content.symlink" in result.out + result.err
    assert not out.exists()


# --- files the build would skip ------------------------------------------------------------


@pytest.mark.parametrize("name", ["agency.YAML", "agency.Yaml", "agency.yml", "agency.YML"])
def test_yaml_spelled_otherwise_is_an_error_naming_the_new_name(mini: Path, name: str) -> None:
    os.rename(mini / AGENCY / "agency.yaml", mini / AGENCY / name)
    found = [f for f in findings(mini) if f.path == f"content/{AGENCY}/{name}"]
    assert [(f.severity, f.rule) for f in found] == [("error", "content.extension")]
    assert "请改名为 agency.yaml" in found[0].message


def test_a_backup_of_a_record_is_an_error_and_other_files_a_warning(mini: Path) -> None:
    write(mini / AGENCY / "agency.yaml.bak", "name: x\n")
    write(mini / AGENCY / "notes.txt", "备忘\n")
    write(mini / AGENCY / ".gitkeep", "")
    found = {f.path.rsplit("/", 1)[-1]: f for f in findings(mini)}
    assert found["agency.yaml.bak"].severity == "error"
    assert found["agency.yaml.bak"].rule == "content.extension"
    assert found["notes.txt"].severity == "warning"
    assert ".gitkeep" not in found


def test_an_agency_folder_named_files_is_a_finding(mini: Path) -> None:
    write(mini / "agencies/files/agency.yaml", (mini / AGENCY / "agency.yaml").read_text("utf-8"))
    assert rules_of(mini, "agencies/files/agency.yaml") == {(1, "content.reserved")}


def test_a_page_that_is_not_markdown_is_a_finding(mini: Path) -> None:
    write(mini / "pages/raw.html", "<html><head><meta name=save_as content=index.html></head>")
    assert rules_of(mini, "pages/raw.html") == {(1, "content.extension")}


# --- Markdown pages ------------------------------------------------------------------------


def test_the_demo_and_fixture_pages_are_valid() -> None:
    demo = sorted((REPO / "content/pages").glob("*.md"))
    assert len(demo) >= 2 and page_findings(demo, str) == []
    assert page_findings([REPO / "tests/fixtures/mini/pages/about.md"], str) == []


def test_a_gbk_page_is_an_encoding_error_on_its_line(mini: Path) -> None:
    (mini / "pages/gbk.md").write_bytes("Title: About\nSlug: gbk\n\n关于本平台\n".encode("gbk"))
    found = [f for f in findings(mini) if f.path == "content/pages/gbk.md"]
    assert [(f.line, f.rule) for f in found] == [(4, "page.encoding")]
    assert "UTF-8" in found[0].message


def test_a_page_with_a_bom_is_read_as_pelican_reads_it(mini: Path) -> None:
    (mini / "pages/bom.md").write_bytes(b"\xef\xbb\xbfTitle: BOM\nSlug: bom\n\ntext\n")
    assert rules_of(mini, "pages/bom.md") == set()


@pytest.mark.parametrize("title", ["", "Title:\n", "Title:   \n"])
def test_a_page_without_a_title_is_an_error(mini: Path, title: str) -> None:
    name = page(mini, "untitled.md", f"{title}Slug: untitled\n\n正文\n")
    assert (1, "page.title") in rules_of(mini, name)


@pytest.mark.parametrize(
    "line",
    [
        "Save_as: index.html",
        "Save_As: agencies/demo-bureau/decisions/2026/2026-001.html",
        "SAVE_AS: ../../escape.html",
        "URL: index.html",
        "Url: javascript:alert(1)",
        "Template: nosuch",
        "Status: draft",
        "status: hidden",
        "Lang: en",
        "Summary: 摘要",
        "Date: 2026-01-01",
    ],
)
def test_page_metadata_beyond_title_and_slug_is_an_error(mini: Path, line: str) -> None:
    name = page(mini, "evil.md", f"Title: 页面\nSlug: evil\n{line}\n\n正文\n")
    assert rules_of(mini, name) == {(3, "page.metadata")}


def test_a_repeated_title_is_an_error(mini: Path) -> None:
    name = page(mini, "twice.md", "Title: 一\nTitle: 二\nSlug: twice\n\n正文\n")
    assert rules_of(mini, name) == {(2, "page.metadata")}


@pytest.mark.parametrize("slug", ["../index", "a/b", "About", "a b", "..", "关于"])
def test_a_slug_must_be_plain(mini: Path, slug: str) -> None:
    name = page(mini, "slug.md", f"Title: 页面\nSlug: {slug}\n\n正文\n")
    assert rules_of(mini, name) == {(2, "page.slug")}


def test_a_page_needs_a_slug_and_slugs_are_unique(mini: Path) -> None:
    missing = page(mini, "noslug.md", "Title: 中文标题\n\n正文\n")
    twin = page(mini, "twin.md", "Title: 另一个关于\nSlug: about\n\n正文\n")
    assert rules_of(mini, missing) == {(1, "page.slug")}
    [duplicate] = [f for f in findings(mini) if f.path == f"content/{twin}"]
    assert (duplicate.line, duplicate.rule) == (2, "page.slug")
    assert "content/pages/about.md" in duplicate.message


@pytest.mark.parametrize(
    "link",
    [
        "[记录]({static}/portal.yaml)",
        "[记录]({filename}/agencies/demo-bureau/agency.yaml)",
        "[附件]({attach}../agencies/demo-bureau/files/a.pdf)",
        '<a href="|static|/portal.yaml">记录</a>',
        '<img src="{static}../../../etc/passwd">',
    ],
)
def test_pelican_link_indicators_are_errors(mini: Path, link: str) -> None:
    name = page(mini, "links.md", f"Title: 链接\nSlug: links\n\n见\n{link}\n")
    assert {rule for _line, rule in rules_of(mini, name)} == {"page.link"}
    assert (5, "page.link") in rules_of(mini, name)


def test_ordinary_links_to_decision_pages_are_fine(mini: Path) -> None:
    link = "[决定](../agencies/demo-bureau/decisions/2026/2026-001.html)"
    name = page(mini, "links.md", f"Title: 链接\nSlug: links\n\n{link}\n")
    assert rules_of(mini, name) == set()


def test_personal_data_in_a_page_is_found_on_its_line(mini: Path) -> None:
    name = page(
        mini, "leak.md", "Title: 联系 13812345678\nSlug: leak\n\n正文\n\n电话 13912345678\n"
    )
    assert rules_of(mini, name) == {(1, "privacy.mobile"), (6, "privacy.mobile")}


def test_a_deeply_nested_list_is_a_finding(mini: Path) -> None:
    body = "".join("    " * i + "- 项\n" for i in range(300))
    name = page(mini, "nested.md", f"Title: 嵌套\nSlug: nested\n\n{body}")
    assert rules_of(mini, name) == {(21, "page.markdown")}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("正文\n\n" + "[" * 10000 + "\n", "方括号"),
        ("正文\n\n" + "字" * 20001 + "\n", "超过 20000 字"),
        ("正文\n\n" + ">" * 70 + " 引用\n", "超过 64 个"),
    ],
    ids=["brackets", "length", "quote-depth"],
)
def test_a_page_beyond_the_markdown_limits_is_a_finding_and_quick(
    mini: Path, body: str, said: str
) -> None:
    name = page(mini, "slow.md", f"Title: 慢\nSlug: slow\n\n{body}")
    start = time.perf_counter()
    found = [f for f in findings(mini) if f.path == f"content/{name}"]
    assert time.perf_counter() - start < 5  # '[' * 10000 once took 25 s
    assert [(f.line, f.rule) for f in found] == [(4, "page.markdown")]
    assert said in found[0].message


def test_a_markdown_converter_crash_is_a_finding(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> str:
        raise AssertionError("unexpected call to parse_marked_section()")

    monkeypatch.setattr(pages_module.markdown, "markdown", crash)
    name = page(mini, "crash.md", "Title: 崩溃\nSlug: crash\n\n<![x]>\n")
    assert rules_of(mini, name) == {(4, "page.markdown")}


# --- the build -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Title: 首页\nSlug: home\nSave_as: index.html\n\n替换首页\n",
        "Title: 模板\nSlug: tpl\nTemplate: nosuch\n\n未知模板\n",
        "Title: 嵌套\nSlug: nested\n\n" + "".join("    " * i + "- 项\n" for i in range(300)),
        "Title: 括号\nSlug: brackets\n\n正文" + "[" * 10000 + "\n",
    ],
    ids=["save-as", "unknown-template", "nested-list", "brackets"],
)
def test_a_page_error_stops_the_build_before_anything_is_written(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result], text: str
) -> None:
    page(mini, "bad.md", text)
    out = tmp_path / "site"
    write(out / "index.html", "旧网站")
    result = build(gongshi, mini, out)
    assert result.code == 1
    assert (out / "index.html").read_text("utf-8") == "旧网站"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_raw_html_in_a_page_cannot_carry_scripts(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result]
) -> None:
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        '<a href="javascript:alert(3)">点我</a>\n\n<![x]>\n\n[链接](javascript:alert(4))\n'
    )
    page(mini, "html.md", f"Title: <b>标题</b>\nSlug: html\n\n{body}")
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    html = (out / "pages/html.html").read_text("utf-8")
    assert "alert" not in html and "<script>" not in html and "onerror" not in html
    assert "&lt;b&gt;标题" in html  # the title is text, in the page and every navigation


def _no_validation(content: Path, *args: Any, **kwargs: Any) -> Validation:
    """The validator's corpus without its findings: what Pelican itself does with a page."""
    validation = validate_content(content, *args, **kwargs)
    return Validation(validation.corpus, [])


def test_pelican_cannot_honour_page_powers_even_without_validation(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator_module, "validate_content", _no_validation)
    evil = (
        "Title: 页面\nSlug: evil\nSave_as: index.html\nURL: index.html\nTemplate: nosuch\n"
        "Status: hidden\n\n[记录]({static}/portal.yaml) [决定]({filename}/pages/about.md)\n"
    )
    page(mini, "evil.md", evil)
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    assert "portal.yaml" not in {p.name for p in out.rglob("*")}
    assert "{static}/portal.yaml" in (out / "pages/evil.html").read_text("utf-8")
    index = (out / "index.html").read_text("utf-8")
    assert "[记录]" not in index and 'href="./pages/evil.html"' in index


@pytest.mark.parametrize("case", ["symlink", "slug", "gbk"])
def test_pages_pelican_cannot_read_stop_the_build_even_without_validation(
    mini: Path,
    tmp_path: Path,
    gongshi: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case: str,
) -> None:
    monkeypatch.setattr(generator_module, "validate_content", _no_validation)
    if case == "symlink":
        write(tmp_path / "outside.md", "Title: 外部\nSlug: outside\n\n外部文件\n")
        os.symlink(tmp_path / "outside.md", mini / "pages/outside.md")
    elif case == "slug":
        page(mini, "escape.md", "Title: 逃逸\nSlug: ../../escape\n\n正文\n")
    else:
        (mini / "pages/gbk.md").write_bytes("Title: 关于\nSlug: gbk\n\n正文\n".encode("gbk"))
    out = tmp_path / "site"
    result = build(gongshi, mini, out)
    assert result.code == 1 and "page.unreadable" in result.out + result.err
    assert not out.exists() and not list(tmp_path.rglob("escape.html"))
    said = {
        "symlink": "是符号链接或不在内容目录中，未读取",
        "slug": "不是合法的网址名称，页面未读取",
    }
    if case in said:  # the log line the finding points to (原因见上方日志) is Chinese too
        assert said[case] in caplog.text and "not read" not in caplog.text


# --- staging folders -----------------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _staging(parent: Path, name: str, owner: str | None) -> Path:
    folder = parent / name
    write(folder / "site/index.html", "半成品")
    if owner is not None:
        write(folder / build_module.STAGING_MARKER, owner)
    return folder


def test_a_killed_build_leaves_nothing_behind_after_the_next_build(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result]
) -> None:
    import socket

    host = socket.gethostname()
    killed = _staging(tmp_path, ".site-k1ll3d", f"{host} {_dead_pid()}\n")
    running = _staging(tmp_path, ".site-runn1n", f"{host} {os.getpid()}\n")
    foreign = _staging(tmp_path, ".site-notours", None)
    other_host = _staging(tmp_path, ".site-remote", f"elsewhere.example {_dead_pid()}\n")
    old = _staging(tmp_path, ".site-old", None)
    assert build(gongshi, mini, tmp_path / "site").code == 0
    assert not killed.exists() and not old.exists()
    assert running.exists() and foreign.exists() and other_host.exists()
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"content", "site", running.name, foreign.name, other_host.name}


def test_a_build_killed_between_the_renames_loses_no_site(tmp_path: Path) -> None:
    import socket

    killed = _staging(tmp_path, ".site-sw4pd", f"{socket.gethostname()} {_dead_pid()}\n")
    write(killed / "old/index.html", "旧网站")
    out = tmp_path / "site"  # the first rename happened, the second did not
    assert build_module.remove_stale_staging(out) == [killed]
    assert (out / "index.html").read_text("utf-8") == "旧网站"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_old_site_is_not_restored_over_an_existing_output(tmp_path: Path) -> None:
    import socket

    killed = _staging(tmp_path, ".site-sw4pd", f"{socket.gethostname()} {_dead_pid()}\n")
    write(killed / "old/index.html", "旧网站")
    write(tmp_path / "site/index.html", "现在的网站")
    build_module.remove_stale_staging(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text("utf-8") == "现在的网站"
    assert not killed.exists()


def test_a_failed_second_rename_puts_the_old_site_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging = tmp_path / ".site-x"
    write(staging / "site/index.html", "新网站")
    write(tmp_path / "site/index.html", "旧网站")
    real = Path.rename

    def refuse_the_new_site(self: Path, target: Any) -> Path:
        if self.name == "site" and self.parent == staging:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", refuse_the_new_site)
    with pytest.raises(OSError):
        build_module._swap(staging / "site", tmp_path / "site", staging)
    assert (tmp_path / "site/index.html").read_text("utf-8") == "旧网站"


def test_a_rebuild_swaps_the_site_without_leaving_folders(
    mini: Path, tmp_path: Path, gongshi: Callable[..., Result]
) -> None:
    out = tmp_path / "site"
    assert build(gongshi, mini, out).code == 0
    write(out / "stale.html", "上次构建留下的文件")
    assert build(gongshi, mini, out).code == 0
    assert not (out / "stale.html").exists() and (out / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]
