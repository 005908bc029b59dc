"""Incremental builds (gongshi_portal.buildcache, fingerprint): a rebuild with the cache gives
exactly the bytes of a build from an empty cache, after every kind of change; unchanged files
are not rewritten; a failed build leaves the previous site as it was; the manifest is never
trusted blindly. Real Pelican builds of a real git repository."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path, PurePosixPath

import pytest
from gitrepo import AGENCY, WITHDRAWAL, Repo, decision, decision_path, mini_base
from gongshi_portal import buildcache
from gongshi_portal.build import build_site
from gongshi_portal.buildcache import MANIFEST_NAME, BuildCache
from gongshi_portal.generator import BuildFailed
from gongshi_records.forking import PROCESSES_ENV
from gongshi_records.paths import PROJECT_ROOT
from gongshi_trust.config import KEY_ENV
from gongshi_trust.keys import write_keypair
from hypothesis import example, given, settings
from hypothesis import strategies as st

AS_OF = dt.date(2026, 5, 20)
OFFICER = f"{AGENCY}/officers/33029900000001.yaml"
EDITED = decision_path(1, 2026)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    files = mini_base()
    files[EDITED] = decision(1, "2026-04-20")
    files[decision_path(2, 2026)] = decision(2, "2026-04-07", category="行政许可")
    files[decision_path(3, 2025)] = decision(3, "2025-06-10")
    repo.commit(files, "2026-05-05T10:00:00+08:00", "建立门户")
    return repo


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


class Builds:
    """Incremental builds of one output with one cache, each checked against a fresh build."""

    def __init__(self, repo: Repo, tmp: Path) -> None:
        self.content = repo.root / "content"
        self.output = tmp / "site"
        self.cache = tmp / "cache"
        self.tmp = tmp
        self.fresh = 0

    def build(self, as_of: dt.date = AS_OF) -> BuildCache:
        cache = build_site(self.content, self.output, as_of=as_of, cache_dir=self.cache)
        assert cache is not None
        return cache

    def check(self, as_of: dt.date = AS_OF) -> BuildCache:
        """An incremental build, byte for byte the same as one from an empty cache."""
        cache = self.build(as_of)
        self.fresh += 1
        fresh = self.tmp / f"fresh-{self.fresh}"
        build_site(self.content, fresh, as_of=as_of)
        assert tree(self.output) == tree(fresh)
        return cache


def all_text(root: Path) -> str:
    return "\n".join(data.decode("utf-8", "replace") for data in tree(root).values())


def test_rebuilds_equal_a_build_from_an_empty_cache(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    first = builds.check()
    assert first.reused == 0 and first.rendered > 20

    # (a) nothing changed (the same commit, as-of date, code and settings, and the live site
    # as the last build left it): nothing is built, no file is touched.
    before = stats(builds.output)
    same = builds.check()
    # Every page with a fingerprint counts as reused (all but verify.html).
    assert same.unchanged and same.rendered == 0 and same.reused == first.rendered - 1
    assert stats(builds.output) == before

    # (a') a commit outside content/: a new data version, so a build, in which the pages
    # whose records did not change are not rendered again.
    repo.commit({"README.md": "门户说明\n"}, "2026-05-05T11:00:00+08:00", "说明")
    other = builds.check()
    assert not other.unchanged and 0 < other.rendered < first.rendered
    # The short addresses (officers) and web forms (agencies) are taken over; the search index
    # and the open data, made from the commit's corpus, are made again (to the same bytes).
    assert sorted(other.groups_reused) == ["admin", "z"]
    before = stats(builds.output)

    # (b) one decision edited and committed.
    page = builds.output / "agencies/demo-bureau/decisions/2026/2026-001.html"
    assert page.is_file()
    css = builds.output / "theme/css/site.css"
    css_before = (css.stat().st_ino, css.stat().st_mtime_ns)
    stats_before, bytes_before = before, tree(builds.output)
    repo.commit(
        {EDITED: decision(1, "2026-04-20").replace("决定内容。", "决定内容已更正。")},
        "2026-05-06T10:00:00+08:00",
        "更正",
    )
    edited = builds.check()
    assert "决定内容已更正" in page.read_text("utf-8")
    # A new commit: the groups made from every record are made again (equal to a fresh build);
    # the short addresses (officers) and the web forms (agencies) are taken over.
    assert sorted(edited.groups_reused) == ["admin", "z"]
    assert 0 < edited.rendered < first.rendered
    assert (css.stat().st_ino, css.stat().st_mtime_ns) == css_before
    # A file is written only when its bytes changed (the data version is on the home page and
    # verify.html only), and most pages do not show the edited decision.
    after = tree(builds.output)
    touched = {name for name, st in stats(builds.output).items() if stats_before.get(name) != st}
    assert all(bytes_before.get(name) != after[name] for name in touched), touched
    pages = [name for name in after if name.endswith(".html")]
    assert len(touched & set(pages)) < len(pages) / 2

    # (c) the decision withdrawn: gone from lists, exports, search, feeds and sitemap (as in a
    # fresh build, which the existing withdrawal tests check in detail).
    withdrawn = decision(1, "2026-04-20") + WITHDRAWAL.format(day="2026-05-07")
    repo.commit({EDITED: withdrawn}, "2026-05-08T10:00:00+08:00", "撤回")
    builds.check()
    for name in ("decisions/index.html", "data/decisions.csv", "sitemap.xml"):
        assert "测市监决〔2026〕1号" not in (builds.output / name).read_text("utf-8"), name
    assert "决定内容已更正" not in all_text(builds.output)

    # (f) an officer renamed: every page naming them changes.
    officer = (repo.root / OFFICER).read_text("utf-8")
    old_name = next(line for line in officer.splitlines() if line.startswith("name:"))[5:].strip()
    repo.commit({OFFICER: officer.replace(old_name, "欧阳新名")}, "2026-05-09T10:00:00+08:00")
    builds.check()
    text = all_text(builds.output)
    assert "欧阳新名" in text and old_name not in text

    # (e) the as-of date moved a day: every page states it.
    later = builds.check(AS_OF + dt.timedelta(days=1))
    assert later.reused == 0


def test_forked_fingerprints_and_open_data_give_the_same_site(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages' fingerprints worked out by forked workers and the open data written by a
    process of its own (as at scale; forced here for a small portal) choose the same pages
    and write the same bytes as one process does."""
    monkeypatch.setenv(PROCESSES_ENV, "2")
    builds = Builds(repo, tmp_path)
    first = builds.check()
    repo.commit(
        {EDITED: decision(1, "2026-04-20").replace("决定内容。", "决定内容已更正。")},
        "2026-05-06T10:00:00+08:00",
        "更正",
    )
    edited = builds.check()
    assert 0 < edited.rendered < first.rendered
    assert "决定内容已更正" in (builds.output / "data/decisions.csv").read_text("utf-8-sig")


def test_a_template_change_renders_every_page_again(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    builds.check()
    template = PROJECT_ROOT / "theme/templates/decision.html"
    original = template.read_bytes()
    try:
        template.write_bytes(
            original.replace(
                b"{% block content %}", b"{% block content %}\n<!-- incremental-test -->", 1
            )
        )
        assert template.read_bytes() != original
        changed = builds.check()
    finally:
        template.write_bytes(original)
    assert changed.reused == 0
    assert "incremental-test" in (
        builds.output / "agencies/demo-bureau/decisions/2026/2026-001.html"
    ).read_text("utf-8")


def test_a_failed_rebuild_leaves_the_previous_site_untouched(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    builds.build()
    before, files = stats(builds.output), tree(builds.output)
    manifest = (builds.cache / MANIFEST_NAME).read_bytes()
    repo.commit({EDITED: "doc_no: [\n"}, "2026-05-06T10:00:00+08:00", "坏记录")
    with pytest.raises(BuildFailed):
        builds.build()
    assert tree(builds.output) == files and stats(builds.output) == before
    assert (builds.cache / MANIFEST_NAME).read_bytes() == manifest


def test_a_tampered_manifest_is_ignored(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    first = builds.build()
    path = builds.cache / MANIFEST_NAME
    data = json.loads(path.read_text("utf-8"))
    # Claim the decision page is unchanged while its record changes: the digest no longer fits.
    repo.commit(
        {EDITED: decision(1, "2026-04-20").replace("决定内容。", "改过的内容。")},
        "2026-05-06T10:00:00+08:00",
        "更正",
    )
    name = "agencies/demo-bureau/decisions/2026/2026-001.html"
    data["pages"] = dict.fromkeys(data["pages"], "0" * 64)
    path.write_text(json.dumps(data), "utf-8")
    tampered = builds.check()
    assert tampered.reused == 0 and tampered.rendered == first.rendered
    assert "改过的内容" in (builds.output / name).read_text("utf-8")

    # Garbage is ignored too, never a crash.
    path.write_bytes(b"\x00not json")
    assert builds.check().reused == 0


def test_a_file_changed_in_the_live_site_is_not_reused(repo: Repo, tmp_path: Path) -> None:
    builds = Builds(repo, tmp_path)
    builds.build()
    page = builds.output / "officers/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</main>", b"<p>injected</p></main>"))
    again = builds.check()
    assert page.read_bytes() == original
    assert again.rendered == 2  # verify.html and the changed page


def test_without_hard_links_the_previous_files_are_copied(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links (or across two) a reused file is a copy; the
    manifest records the copy, so the next build reuses it in turn."""
    builds = Builds(repo, tmp_path)
    builds.build()

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(buildcache.os, "link", no_links)
    repo.commit(
        {EDITED: decision(1, "2026-04-20").replace("决定内容。", "决定内容已更正。")},
        "2026-05-06T10:00:00+08:00",
        "更正",
    )
    cache = builds.check()
    assert cache.reused > 0
    for name, entry in cache.files.items():
        assert entry.matches((builds.output / name).lstat()), name


def test_placing_a_file_over_another_name_of_it_leaves_nothing_behind(tmp_path: Path) -> None:
    source, target = tmp_path / "live.html", tmp_path / "staging.html"
    source.write_text("页", "utf-8")
    os.link(source, target)  # already that very file: renaming over it does nothing
    assert buildcache._place(str(source), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.html", "staging.html"]


def test_a_portal_wide_file_changed_in_the_live_site_makes_its_group_again(
    repo: Repo, tmp_path: Path
) -> None:
    builds = Builds(repo, tmp_path)
    builds.build()
    shard = next((builds.output / "search").rglob("*.json"))
    original = shard.read_bytes()
    shard.write_bytes(original.replace(b"{", b'{"injected":1,', 1))
    again = builds.check()  # byte for byte a fresh build
    assert shard.read_bytes() == original
    assert "search" not in again.groups_reused and "data" in again.groups_reused


def test_nothing_is_skipped_unless_every_input_is_the_same(repo: Repo, tmp_path: Path) -> None:
    """The build is skipped only for the same inputs and an intact live site: a file added to
    the live site, a file git does not track under content/, and a new as-of date each make a
    real build (equal to a fresh one)."""
    builds = Builds(repo, tmp_path)
    builds.build()
    assert builds.build().unchanged
    stray = builds.output / "stray.html"
    stray.write_text("<p>不是生成的文件</p>", "utf-8")
    assert not builds.check().unchanged and not stray.exists()
    assert builds.build().unchanged
    untracked = repo.root / "content" / "pages" / "draft.md"
    untracked.parent.mkdir(parents=True, exist_ok=True)
    untracked.write_text("Title: 草稿\nSlug: draft\n\n未提交的页面。\n", "utf-8")
    assert not builds.check().unchanged
    untracked.unlink()
    assert not builds.check(AS_OF + dt.timedelta(days=1)).unchanged


def test_a_new_signing_key_makes_a_build(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path, another key: the site is signed again (gongshi_trust names its key as
    an input of the build)."""
    key = tmp_path / "keys" / "site.pem"
    key.parent.mkdir()
    write_keypair(key)
    monkeypatch.setenv(KEY_ENV, str(key))
    builds = Builds(repo, tmp_path)
    builds.build()
    assert builds.build().unchanged
    signature = (builds.output / "SHA256SUMS.sig").read_bytes()
    for name in ("site.pem", "site.pem.pub"):
        (key.parent / name).unlink(missing_ok=True)
    write_keypair(key)
    assert not builds.check().unchanged
    assert (builds.output / "SHA256SUMS.sig").read_bytes() != signature


def test_a_manifest_naming_files_outside_the_site_is_ignored(repo: Repo, tmp_path: Path) -> None:
    """Even with a digest that fits: a name through ``..`` would join the live site's path to a
    file outside it."""
    builds = Builds(repo, tmp_path)
    first = builds.build()
    path = builds.cache / MANIFEST_NAME
    data = json.loads(path.read_text("utf-8"))
    body = {k: v for k, v in data.items() if k != "digest"}
    body["files"]["../outside.html"] = next(iter(body["files"].values()))
    path.write_text(json.dumps({**body, "digest": buildcache._body_digest(body)}), "utf-8")
    again = builds.check()
    assert not again.unchanged and again.reused == 0 and again.rendered == first.rendered


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b.html", "", ".", "..", "...", " ", "\\", "x..y"]), max_size=6
    ).map("/".join)
)
@example("")
@example("/a")
@example("//a")
@example("./a")
@example("a/../b")
def test_a_manifest_name_is_inside_the_site_exactly_as_pathlib_reads_it(name: str) -> None:
    """buildcache._inside, without a path object, is what PurePosixPath says: some part, not
    absolute, none of them ``..``."""
    parts = PurePosixPath(name).parts
    assert buildcache._inside(name) == (
        bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts
    )


def test_the_site_is_walked_once_to_settle_it(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seal settles the whole site, then records only the files it writes itself
    (SHA256SUMS, the statement, the signature): a second walk of every file was 5 s at
    100,000 decisions. What it records is the whole site still: the next build with the
    same inputs finds nothing to do."""
    walks = 0
    settle = BuildCache.settle

    def counted(self: BuildCache, site: Path) -> dict[str, str]:
        nonlocal walks
        walks += 1
        return settle(self, site)

    monkeypatch.setattr(BuildCache, "settle", counted)
    builds = Builds(repo, tmp_path)
    builds.build()
    assert walks == 1
    assert builds.build().unchanged
    assert (builds.output / "SHA256SUMS").is_file()
