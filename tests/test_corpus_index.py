"""The corpus index (gongshi_records/corpusindex.py): `validate --changed-since` takes the
records git says are unchanged from the index a whole run wrote, and finds exactly what reading
every file finds. Real repositories holding the demo content; the run without the index (no
git given, no cache) is the reference."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from gitrepo import Repo
from gongshi_history.changed import GitContent
from gongshi_records import reading, validate_content
from gongshi_records.corpusindex import (
    FORMAT,
    INDEX_FILE,
    SUMMARY_FIELDS,
    CorpusIndex,
    index_commit,
    load_index,
    restored,
)
from gongshi_records.findings import Finding
from gongshi_records.forking import PROCESSES_ENV
from gongshi_records.model import LazyData, Record
from gongshi_records.recordcache import RecordCache, code_key
from gongshi_records.registry import Kind, Place
from gongshi_records.validate import _from_index
from support import ROOT
from test_scoped_rules import MISTAKES, Mistake

AS_OF = dt.date(2026, 11, 24)
WHEN = "2026-01-05T10:00:00+08:00"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The demo content committed on main, with a whole run's index written for that commit."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.root / "content")
    repo.commit({}, WHEN, "示例内容")
    monkeypatch.chdir(repo.root)
    whole(repo)
    assert (index_folder(repo) / INDEX_FILE).is_file()
    return repo


def cache_of(repo: Repo) -> Path:
    return repo.root.parent / "cache"


def index_folder(repo: Repo) -> Path:
    store = RecordCache(cache_of(repo), repo.root / "content", lazy=True)
    assert store.folder is not None
    return store.folder


def whole(repo: Repo) -> list[Finding]:
    content = repo.root / "content"
    git = GitContent(content)
    return validate_content(content, AS_OF, cache=cache_of(repo), git=git).findings


def checked(repo: Repo, rev: str = "main") -> tuple[list[Finding], list[Finding]]:
    """The check of the change since ``rev`` from the index, and read from every file."""
    content = repo.root / "content"
    git = GitContent(content)
    changed = git.changes(rev).paths
    frozen = gc.get_freeze_count()
    quick = _from_index(content, AS_OF, cache_of(repo), changed, git)
    assert quick is not None, "the index was not used"
    assert gc.get_freeze_count() == frozen, "the check leaves what it froze frozen"
    slow = validate_content(content, AS_OF, cache="off", changed=changed).findings
    return quick.findings, slow


def decisions(repo: Repo) -> list[str]:
    found = sorted((repo.root / "content").glob("agencies/*/decisions/*/*.yaml"))
    return [p.relative_to(repo.root).as_posix() for p in found]


def edit(repo: Repo, path: str, mistake: Mistake) -> None:
    target = repo.root / path
    data: dict[str, Any] = yaml.safe_load(target.read_text("utf-8"))
    demo = validate_content(repo.root / "content", cache="off").corpus
    mistake(data, demo)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_the_record_cache_is_saved_with_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """A whole run saves the record cache in the process that writes the index while the
    rules run (or here, after them, when none is forked): the next run reads no file again."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.root / "content")
    repo.commit({}, WHEN, "示例内容")
    monkeypatch.setenv(PROCESSES_ENV, processes)
    first = whole(repo)
    assert (index_folder(repo) / INDEX_FILE).is_file()
    # Here, where the files read again are seen (none, or each would be noted).
    monkeypatch.setenv(PROCESSES_ENV, "1")
    read_fresh = reading._read_fresh
    read_again: list[str] = []

    def noted(file: Any, **options: bool) -> Any:
        read_again.append(file.path)
        return read_fresh(file, **options)

    monkeypatch.setattr(reading, "_read_fresh", noted)
    assert whole(repo) == first and read_again == []


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.__name__.strip("_"))
def test_a_mistake_is_found_as_reading_every_file_finds_it(demo: Repo, mistake: Mistake) -> None:
    paths = decisions(demo)
    edit(demo, paths[len(paths) // 2], mistake)
    quick, slow = checked(demo)
    assert quick == slow and slow, "the mistake must be found"


def test_moves_deletions_and_new_files(demo: Repo) -> None:
    paths = decisions(demo)
    demo.git("mv", paths[0], paths[0].replace(".yaml", "-moved.yaml"))
    demo.write(paths[1], None)
    copy = (demo.root / paths[2]).read_text("utf-8")
    demo.write(paths[2].replace(".yaml", "-copy.yaml"), copy)  # untracked: doc-no.unique
    demo.write("content/agencies/files/x.yaml", copy)  # content.reserved
    demo.write("content/pages/about-copy.md", (demo.root / "content/pages/about.md").read_text())
    quick, slow = checked(demo)
    assert quick == slow
    assert {"doc-no.unique", "content.reserved"} <= {f.rule for f in slow}


def test_an_ignored_record_file_is_read(demo: Repo) -> None:
    """git lists no ignored file as a change, but the scan reads it as a record: a copy of a
    changed decision filed before it makes the change's 文号 the later of two."""
    paths = decisions(demo)
    demo.write(".gitignore", "*-local.yaml\n")
    demo.write(paths[3].rsplit("/", 1)[0] + "/0-local.yaml", (demo.root / paths[3]).read_text())
    edit(demo, paths[3], MISTAKES[0])
    quick, slow = checked(demo)
    assert quick == slow
    assert ("doc-no.unique", paths[3]) in {(f.rule, f.path) for f in slow}


def test_a_symlink_is_found(demo: Repo) -> None:
    paths = decisions(demo)
    os.symlink("/etc/hostname", demo.root / paths[0].replace(".yaml", "-link.yaml"))
    os.symlink("/etc", demo.root / "content/agencies/linked")
    quick, slow = checked(demo)
    assert quick == slow and {f.rule for f in slow} == {"content.symlink"}


def test_an_index_of_another_commit(demo: Repo) -> None:
    """Written on an earlier main: the files changed since it are read again too."""
    paths = decisions(demo)
    edit(demo, paths[0], MISTAKES[2])
    demo.commit({}, "2026-01-06T10:00:00+08:00", "更正")
    edit(demo, paths[5], MISTAKES[4])
    quick, slow = checked(demo, "HEAD")
    assert quick == slow
    assert {f.path for f in slow} == {paths[5]}


def test_an_index_written_with_changes_reads_them_again(demo: Repo) -> None:
    paths = decisions(demo)
    demo.git("commit", "-q", "--allow-empty", "-m", "空提交", when="2026-01-06T10:00:00+08:00")
    edit(demo, paths[0], MISTAKES[0])
    whole(demo)  # for the new commit, with paths[0] differing from it
    demo.git("checkout", "--", paths[0])  # the change taken back
    edit(demo, paths[1], MISTAKES[4])
    quick, slow = checked(demo, "HEAD")
    assert quick == slow and {f.path for f in slow} == {paths[1]}


def test_a_decision_keeps_its_summary_and_reads_the_rest_when_asked(demo: Repo) -> None:
    edit(demo, decisions(demo)[0], MISTAKES[0])
    content = demo.root / "content"
    git = GitContent(content)
    checked_run = _from_index(content, AS_OF, cache_of(demo), git.changes("main").paths, git)
    assert checked_run is not None
    reference = validate_content(content, cache="off").corpus
    assert [r.path for r in checked_run.corpus] == [r.path for r in reference]
    lazy = [r for r in checked_run.corpus if isinstance(r.data, LazyData)]
    assert lazy and all(r.kind == Kind.DECISION for r in lazy)
    full = {r.path: r.data for r in reference}
    for record in lazy:
        assert set(record.data) == set(full[record.path])
        assert dict(record.data) == full[record.path]  # the other fields, from the cache
    assert set(SUMMARY_FIELDS) == {Kind.DECISION}


def test_a_missing_cache_entry_falls_back_to_reading_every_file(demo: Repo) -> None:
    """A decision's fields beyond its summary come from the record cache: without it the
    check still finds what reading every file finds."""
    paths = decisions(demo)
    edit(demo, paths[0], MISTAKES[8])  # statistics.zero-enforcement counts categories
    for shard in index_folder(demo).glob("*.json"):
        shard.unlink()
    content = demo.root / "content"
    git = GitContent(content)
    changed = git.changes("main").paths
    found = validate_content(content, AS_OF, cache=cache_of(demo), changed=changed, git=git)
    slow = validate_content(content, AS_OF, cache="off", changed=changed).findings
    assert found.findings == slow


def test_an_edited_index_is_not_used(demo: Repo) -> None:
    index = index_folder(demo) / INDEX_FILE
    header, _, body = index.read_bytes().partition(b"\n")
    rows = json.loads(body)
    rows["records"][0][4]["doc_no"] = "伪造〔2026〕1号"
    index.write_bytes(header + b"\n" + json.dumps(rows, ensure_ascii=False).encode())
    content = demo.root / "content"
    git = GitContent(content)
    assert _from_index(content, AS_OF, cache_of(demo), set(), git) is None


def test_no_index_outside_a_repository(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    git = GitContent(content)
    assert git.head() is None and git.changed_since("HEAD") is None
    validate_content(content, AS_OF, cache=tmp_path / "cache", git=git)
    store = RecordCache(tmp_path / "cache", content)
    assert store.folder is not None and not (store.folder / INDEX_FILE).exists()


def test_lazy_data_reads_the_whole_record_once() -> None:
    loads: list[int] = []

    def load() -> dict[str, Any]:
        loads.append(1)
        return {"doc_no": "甲", "facts": "事实", "category": "行政处罚"}

    data = LazyData({"doc_no": "甲"}, ("doc_no", "facts", "category"), load)
    assert data["doc_no"] == "甲" and not loads
    assert "facts" in data and "review" not in data and data.get("review") is None and not loads
    assert data["facts"] == "事实" and data["category"] == "行政处罚" and loads == [1]
    assert list(data) == ["doc_no", "facts", "category"] and len(data) == 3


def test_the_build_keeps_the_index_for_its_commit(demo_site: Path, record_cache: Path) -> None:
    """`gongshi build` (the session's demo build, in this repository) writes it too: a pull
    request's check in CI is quick with the cache of the main branch's build."""
    content = ROOT / "content"
    head = GitContent(content).head()
    assert head is not None, "the tests run in a clone of the repository"
    assert index_commit(RecordCache(record_cache, content, lazy=True)) == head
    assert (demo_site / "index.html").is_file()


def test_a_restored_record_is_the_one_its_constructor_makes() -> None:
    place = Place(Kind.DECISION, "a", "a/2026/d1", "d1", "2026")
    again = restored(
        Place, kind=place.kind, agency="a", key=place.key, stem="d1", folder_year="2026"
    )
    record = Record(Kind.DECISION, "content/x.yaml", place, {"a": 1}, {}, "b")
    made = restored(
        Record, kind=record.kind, path=record.path, place=again, data={"a": 1}, marks={}, blob="b"
    )
    for reference, instance in ((place, again), (record, made)):
        assert not hasattr(type(reference), "__post_init__")
        assert [f.name for f in dataclasses.fields(reference)] == list(vars(instance))
        assert vars(instance) == vars(reference) and instance == reference
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.blob = "c"  # type: ignore[misc]


def test_a_deleted_officer_brings_the_decisions_that_name_him(demo: Repo) -> None:
    """The decisions come from the index with their summaries, which hold the fields their
    links start at: the scope finds them without reading them."""
    demo.write("content/agencies/qingxi-scjgj/officers/33029919010012.yaml", None)
    quick, slow = checked(demo)
    assert quick == slow
    assert sum(f.rule == "reference.officer" for f in slow) >= 3


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("content/portal.yaml", "cert_no_pattern: '^33029919\\d{6}$'\n", ""),
        ("content/agencies/qingxi-scjgj/agency.yaml", "name:", "name: 改名"),
    ],
    ids=["portal", "agency"],
)
def test_a_setting_judges_the_records_it_applies_to_whole(
    demo: Repo, path: str, old: str, new: str
) -> None:
    text = (demo.root / path).read_text("utf-8")
    assert old in text
    demo.write(path, text.replace(old, new, 1))
    quick, slow = checked(demo)
    assert quick == slow


def test_a_folder_git_names_whole_is_read_whole(demo: Repo) -> None:
    """An agency folder that is a repository of its own: git lists the folder, never its
    files, so a file changed in it is read again with the whole folder. Its decision takes
    the 文号 of a changed decision filed after it: the change's own check finds that."""
    nested = demo.root / "content/agencies/aaa-nested"
    source = demo.root / "content/agencies/qingxi-scjgj"
    (nested / "decisions/2024").mkdir(parents=True)
    shutil.copy(source / "agency.yaml", nested / "agency.yaml")
    paths = decisions(demo)
    own = nested / "decisions/2024/2024-900.yaml"
    shutil.copy(demo.root / paths[1], own)
    Repo(nested)  # untracked by the portal's repository
    demo.git("commit", "-q", "--allow-empty", "-m", "空提交", when="2026-01-06T10:00:00+08:00")
    whole(demo)  # the index of the new commit lists the nested folder as differing
    taken = yaml.safe_load((demo.root / paths[0]).read_text("utf-8"))["doc_no"]
    own.write_text(
        own.read_text("utf-8").replace(yaml.safe_load(own.read_text("utf-8"))["doc_no"], taken),
        "utf-8",
    )
    edit(demo, paths[0], MISTAKES[0])
    quick, slow = checked(demo, "HEAD")
    assert quick == slow
    assert ("doc-no.unique", paths[0]) in {(f.rule, f.path) for f in slow}


def _outside(row: list[Any]) -> None:
    row[0] = "../../etc/passwd"


def _listed_agency(row: list[Any]) -> None:
    row[2] = [row[2][0], ["a", "b"], *row[2][2:]]


def _numbered_key(row: list[Any]) -> None:
    row[2] = [*row[2][:2], 7, *row[2][3:]]


@pytest.mark.parametrize("spoil", [_outside, _listed_agency, _numbered_key])
def test_a_planted_index_is_dropped_not_trusted(demo: Repo, spoil: Callable[..., None]) -> None:
    """A row that is not as an index writes it (under a digest that matches) ends the use of
    the index without a crash, and the index is removed for the next whole run to write."""
    content = demo.root / "content"
    store = RecordCache(cache_of(demo), content, lazy=True)
    index = load_index(store)
    assert index is not None
    row = list(index.rows[0])
    spoil(row)
    plant(store, index.commit, {**body_of(index), "records": [row, *index.rows[1:]]})
    assert _from_index(content, AS_OF, cache_of(demo), set(), GitContent(content)) is None
    assert not (index_folder(demo) / INDEX_FILE).exists()


def test_an_index_whose_body_names_another_commit_is_not_used(demo: Repo) -> None:
    store = RecordCache(cache_of(demo), demo.root / "content", lazy=True)
    index = load_index(store)
    assert index is not None
    plant(store, index.commit, {**body_of(index), "commit": "0" * 40})
    assert load_index(store) is None


def body_of(index: CorpusIndex) -> dict[str, Any]:
    return {
        "commit": index.commit,
        "extra": index.extra,
        "shapes": [list(shape) for shape in index.shapes],
        "doc_nos": index.doc_nos,
        "records": index.rows,
    }


def plant(store: RecordCache, commit: str, body: dict[str, Any]) -> None:
    """``body`` written as the index of ``commit``, with a header whose digest matches."""
    assert store.folder is not None
    raw = json.dumps(body, ensure_ascii=False).encode()
    header = {
        "format": FORMAT,
        "code": code_key(),
        "content": store.content,
        "commit": commit,
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    (store.folder / INDEX_FILE).write_bytes(json.dumps(header).encode() + b"\n" + raw)


def test_the_listing_thread_is_joined(demo: Repo) -> None:
    """A process with a second thread cannot fork (forking.can_fork): git's listing thread
    is gone once its changes are taken."""
    git = GitContent(demo.root / "content", since="main")
    git.changed_paths()
    assert not [t for t in threading.enumerate() if t.name.startswith("gongshi-changes")]


def test_records_a_setting_brings_in_are_judged_whole(demo: Repo) -> None:
    """A changed portal.yaml judges every record: one the index summarised is read whole for
    it (the privacy scan walks every certificate field of a decision)."""
    paths = decisions(demo)
    edit(demo, paths[0], MISTAKES[6])  # a mobile number among the officers
    demo.commit({}, "2026-01-06T10:00:00+08:00", "提交")
    whole(demo)  # the index of the new commit, the decision summarised in it
    portal = demo.root / "content/portal.yaml"
    portal.write_text(portal.read_text("utf-8") + "# 注释\n", "utf-8")
    quick, slow = checked(demo, "HEAD")
    assert quick == slow
    assert ("privacy.mobile", paths[0]) in {(f.rule, f.path) for f in slow}


def test_no_index_when_the_commit_moves_during_the_read(demo: Repo) -> None:
    """Files read at one commit are never written down as another's: a clerk committing
    while the whole run reads leaves the index as it was."""
    demo.git("commit", "-q", "--allow-empty", "-m", "空提交", when="2026-01-06T10:00:00+08:00")
    content = demo.root / "content"
    store = RecordCache(cache_of(demo), content, lazy=True)
    before = index_commit(store)

    class CommitDuringTheRead(GitContent):
        def head(self) -> str | None:
            found = super().head()
            if found != before:  # asked before the read: a commit lands while it runs
                demo.git("commit", "-q", "--allow-empty", "-m", "又一次提交")
            return found

    validate_content(content, AS_OF, cache=cache_of(demo), git=CommitDuringTheRead(content))
    assert index_commit(store) == before
