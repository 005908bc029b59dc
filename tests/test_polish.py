"""Issue 12 item 9 (polish), without a browser: the data version in words, officers in pinyin
order, one term per concept, agency websites as safe links, the favicon.

Column wrapping is measured in Chromium (test_polish_browser.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from expected_site import AS_OF, history_repo
from gitrepo import MINI
from gongshi_cli.main import main
from gongshi_portal.links import EXTERNAL_REL, web_address, web_link
from gongshi_portal.version import version_label
from gongshi_records.collation import name_key, officer_key, pinyin_of
from gongshi_records.model import Record
from gongshi_records.registry import place_of

HEX = re.compile(r"\b[0-9a-f]{7,40}\b")


def build(content: Path, output: Path) -> Path:
    code = main(["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF])
    assert code == 0
    return output


def footer(page: Path) -> str:
    text = page.read_text("utf-8")
    return text[text.index("<footer") :]


# --- the data version ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The mini portal built from a git history with fixed dates: (repository, site)."""
    root = tmp_path_factory.mktemp("polish")
    repo = history_repo(root / "repo")
    return repo.root, build(repo.root / "content", root / "site")


def test_the_home_page_and_verify_state_the_data_version_in_words(
    history_site: tuple[Path, Path],
) -> None:
    _repo, site = history_site
    statement = json.loads((site / "SHA256SUMS.json").read_text("utf-8"))
    # The newest first-parent commit that changed content/: the about page of 8 May 2026.
    label = (
        f"数据版本：2026年5月8日更新（序号 {statement['serial']}，编号 {statement['commit'][:10]}）"
    )
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"]
    assert len(pages) > 20
    stating = {p.relative_to(site).as_posix() for p in pages if label in footer(p)}
    # Only there: any other page keeps its bytes when a commit leaves what it shows alone.
    assert stating == {"index.html", "verify.html"}
    assert all("数据版本" not in footer(p) for p in pages if p.name not in stating)


def test_revisions_are_numbered_versions_not_bare_hashes(history_site: tuple[Path, Path]) -> None:
    _repo, site = history_site
    officer = (site / "officers/33029900000001.html").read_text("utf-8")
    rows = re.findall(r'<td data-label="版本">(.*?)</td>', officer)
    assert [re.sub(r"[0-9a-f]{10}", "H", row) for row in rows] == [
        '第 2 版<span class="commit-id">（编号 H）</span>',
        '第 1 版<span class="commit-id">（编号 H）</span>',
    ]
    assert "<code>" not in "".join(rows)


def test_a_preview_says_it_is_no_published_version(
    history_site: tuple[Path, Path], tmp_path: Path
) -> None:
    repo, _site = history_site
    outside = tmp_path / "content"
    shutil.copytree(repo / "content", outside)
    index = footer(build(outside, tmp_path / "outside") / "index.html")
    assert "数据版本：预览（未在 git 仓库中生成，不对应任何已发布的版本）" in index
    assert not HEX.search(re.sub(r"<[^>]+>", "", index).replace("SHA256", ""))


# --- pinyin order -------------------------------------------------------------------------------


def officer(name: str, cert: str) -> Record:
    place = place_of(f"agencies/a/officers/{cert}.yaml")
    assert place is not None
    path = f"content/agencies/a/officers/{cert}.yaml"
    return Record(place.kind, path, place, {"name": name, "cert_no": cert}, {})


def test_officers_sort_by_pinyin_not_code_point() -> None:
    names = ["张慧敏", "李俊杰", "王丽娟", "欧阳明轩", "陈志强", "吕布", "鲁达", "罗成", "阿强"]
    # Code point order puts 张 (U+5F20) before 李 (U+674E) and 王 (U+738B) before 陈 (U+9648).
    assert sorted(names) != sorted(names, key=name_key)
    assert sorted(names, key=name_key) == [
        "阿强", "陈志强", "李俊杰", "鲁达", "罗成", "吕布", "欧阳明轩", "王丽娟", "张慧敏",
    ]  # fmt: skip


def test_ties_are_broken_by_name_then_certificate() -> None:
    # 李娜 and 李纳 read the same without tones: the name decides, then the certificate.
    assert pinyin_of("李娜") == pinyin_of("李纳") == ("li", "na")
    people = [officer(n, c) for n, c in (
        ("李纳", "3"), ("李娜", "9"), ("李娜", "2"), ("林", "1"),
    )]  # fmt: skip
    ordered = sorted(people, key=officer_key)
    assert [(p.get("name"), p.key) for p in ordered] == [
        ("李娜", "2"), ("李娜", "9"), ("李纳", "3"), ("林", "1"),
    ]  # fmt: skip


def test_polyphonic_surnames_follow_pypinyin_common_reading() -> None:
    """Documented limit (gongshi_records/collation.py): pypinyin has no surname mode, so 曾 and
    单 sort by their common readings (ceng, dan), not the surname readings (zeng, shan)."""
    assert pinyin_of("曾国藩")[0] == "ceng"
    assert pinyin_of("单雄信")[0] == "dan"
    assert sorted(["张三", "曾国藩", "单雄信"], key=name_key) == ["曾国藩", "单雄信", "张三"]


def test_demo_rosters_are_in_pinyin_order(demo_site: Path) -> None:
    changed = False
    for roster in sorted(demo_site.glob("agencies/*/officers.html")):
        html = roster.read_text("utf-8")
        names = re.findall(r'<td data-label="姓名"><a href="[^"]*">([^<]+)</a>', html)
        assert len(names) > 1, roster
        assert names == sorted(names, key=name_key), roster
        changed |= names != sorted(names)
    assert changed, "some roster differs from code point order (else this test proves nothing)"


# --- one term per concept -----------------------------------------------------------------------


def test_public_pages_search_and_exports_say_dangshiren(demo_site: Path) -> None:
    checked = 0
    for path in demo_site.rglob("*"):
        relative = path.relative_to(demo_site)
        if not path.is_file() or relative.parts[0] in ("admin", "theme"):
            continue
        if path.suffix not in (".html", ".json", ".js", ".xml"):
            continue
        text = path.read_text("utf-8", errors="replace")
        assert "相对人" not in text, f"{relative} says 相对人, not 当事人"
        checked += 1
    package = json.loads((demo_site / "data/datapackage.json").read_text("utf-8"))
    (decisions,) = [r for r in package["resources"] if r["name"] == "decisions"]
    titles = {f["name"]: f["title"] for f in decisions["schema"]["fields"]}
    assert titles["party_name"] == "当事人名称" and titles["party_kind"] == "当事人类别"
    assert checked > 100


def test_tight_lists_use_the_short_name_and_pages_the_full_name(demo_site: Path) -> None:
    html = (demo_site / "decisions/index.html").read_text("utf-8")
    cells = set(re.findall(r'<td data-label="执法主体">([^<]+)</td>', html))
    assert cells and cells <= {
        "青溪区市场监管局",
        "青溪区水利局",
        "溪山街道执法队",
        "青溪区综合执法局",
    }
    hub = (demo_site / "agencies/qingxi-slj/index.html").read_text("utf-8")
    assert "<h1>东江市青溪区水利局</h1>" in hub


# --- agency websites ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript://example.com/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/relative/path",
        "https:evil",
        "https://exa mple.com/",
        "https://example.com/\nx",
        "http://[::1",
    ],
)
def test_hostile_website_never_becomes_a_link(hostile: str) -> None:
    assert web_address(hostile) is None
    shown = str(web_link(hostile))
    assert "<a" not in shown and "href" not in shown
    assert "<script" not in shown


def test_http_website_becomes_an_escaped_external_link() -> None:
    link = str(web_link('https://qx.example.gov.cn/a?x=1&y="2"'))
    assert link == (
        '<a class="external" href="https://qx.example.gov.cn/a?x=1&amp;y=&#34;2&#34;" '
        f'rel="{EXTERNAL_REL}">https://qx.example.gov.cn/a?x=1&amp;y=&#34;2&#34;</a>'
    )
    assert str(web_link(None)) == "" and str(web_link("")) == ""


def test_agency_page_links_its_website(demo_site: Path) -> None:
    hub = (demo_site / "agencies/qingxi-scjgj/index.html").read_text("utf-8")
    assert (
        '<dt>网站</dt><dd><a class="external" href="https://qx.dongjiang.gov.cn/scjgj/" '
        f'rel="{EXTERNAL_REL}">https://qx.dongjiang.gov.cn/scjgj/</a></dd>'
    ) in hub


def test_a_javascript_website_is_refused_by_validation(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    agency = content / "agencies/demo-bureau/agency.yaml"
    agency.write_text(
        agency.read_text("utf-8") + 'website: "javascript:alert(1)"\n', encoding="utf-8"
    )
    assert main(["validate", "--content", str(content)]) == 1


# --- the favicon --------------------------------------------------------------------------------


def test_every_page_links_the_favicon_which_is_sealed(demo_site: Path) -> None:
    sums = (demo_site / "SHA256SUMS").read_text("utf-8")
    assert re.search(r"^[0-9a-f]{64}  theme/img/favicon\.svg$", sums, re.M)
    icon = (demo_site / "theme/img/favicon.svg").read_text("utf-8")
    assert icon.startswith("<svg") and "<script" not in icon and "style" not in icon
    for page in demo_site.rglob("*.html"):
        relative = page.relative_to(demo_site)
        if relative.parts[0] == "admin":
            continue
        found = re.findall(
            r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.read_text("utf-8")
        )
        assert len(found) == 1, relative
        assert (page.parent / found[0]).resolve() == (demo_site / "theme/img/favicon.svg").resolve()


def test_version_label_without_history_or_commit() -> None:
    class Seal:
        def __init__(self, commit: str | None, uncommitted: bool) -> None:
            self.commit, self.uncommitted, self.serial = commit, uncommitted, 12

    assert version_label(None, None) == ""
    assert version_label(Seal("ab" * 20, False), None) == "数据版本：序号 12，编号 ababababab"
    assert version_label(Seal(None, True), None) == (
        "数据版本：预览（含未提交的修改，不对应任何已发布的版本）"
    )
