"""The one-pass history over real repositories: merges, renames, withdrawals, shallow clones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from gitrepo import AGENCY, WITHDRAWAL, Repo, decision, decision_path, mini_base
from gongshi_history import blobs
from gongshi_history.gitlog import HistoryUnavailable, ShallowClone, Status
from gongshi_history.publishing import publish_findings, record_timelines, unpublished
from gongshi_history.trail import HistoryReading, read_history
from gongshi_portal.build import build_site
from gongshi_portal.generator import BuildFailed
from gongshi_records import validate_content

BASE = "2024-01-02T10:00:00+08:00"
D1 = decision_path(1, 2024)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The mini portal committed on 2024-01-02, then one decision by pull request: the clerk
    committed on 2024-03-06, the merge came on 2024-03-12."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), BASE, "初始化")
    repo.pull_request(
        {D1: decision(1, "2024-03-05")}, "2024-03-06T09:00:00+08:00", "2024-03-12T15:00:00+08:00"
    )
    return repo


def test_publication_is_the_merge_not_the_clerks_commit(repo: Repo) -> None:
    history = read_history(repo.root / "content")
    merge = repo.git("rev-parse", "HEAD")
    clerk = repo.git("rev-parse", "HEAD^2")
    published = history.published(D1)
    assert published is not None
    assert published.sha == merge and published.date == dt.date(2024, 3, 12)
    assert published.author == "审核人"  # the merger: who published it
    shas = {c.commit.sha for c in history.changes(D1)}
    assert clerk not in shas
    # Records of the initial commit date from it.
    agency = history.published(f"{AGENCY}/agency.yaml")
    assert agency is not None and agency.date == dt.date(2024, 1, 2)


def test_dates_are_china_time(repo: Repo) -> None:
    path = decision_path(2, 2024)
    repo.pull_request(
        {path: decision(2, "2024-03-05")}, "2024-03-06T09:00:00+00:00", "2024-03-12T23:30:00+00:00"
    )
    published = read_history(repo.root / "content").published(path)
    assert published is not None and published.date == dt.date(2024, 3, 13)


def test_rename_keeps_history_and_fields_are_listed(repo: Repo) -> None:
    moved = f"{AGENCY}/decisions/2024/2024-001-moved.yaml"
    repo.move(D1, moved, "2024-04-01T10:00:00+08:00")
    text = (repo.root / moved).read_text("utf-8")
    text = text.replace("fine: 5000", "fine: 6000").replace("content: 决定内容。\n", "")
    repo.pull_request(
        {moved: text + "major: false\n"}, "2024-04-02T10:00:00+08:00", "2024-04-03T10:00:00+08:00"
    )
    history = read_history(repo.root / "content")
    assert history.lineage(D1) is None and D1 not in history.paths()
    published = history.published(moved)
    assert published is not None and published.date == dt.date(2024, 3, 12)
    added, renamed, edited = history.changes(moved)
    assert added.status is Status.ADDED and "doc_no" in added.added and "party" in added.added
    assert "party.name" not in added.added  # a new mapping is named once
    assert renamed.status is Status.RENAMED and renamed.old_path == D1 and renamed.fields == ()
    assert edited.status is Status.MODIFIED
    assert (edited.added, edited.changed, edited.removed) == (
        ("major",),
        ("penalty.fine",),
        ("content",),
    )


def test_withdrawal_date_is_the_merge_that_added_it(repo: Repo) -> None:
    text = (repo.root / D1).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    _clerk, merge = repo.pull_request(
        {D1: text}, "2024-05-07T10:00:00+08:00", "2024-05-10T10:00:00+08:00"
    )
    # A later correction of the reason does not move the withdrawal date.
    repo.commit({D1: text.replace("经行政复议", "经复议")}, "2024-06-01T10:00:00+08:00")
    history = read_history(repo.root / "content")
    withdrawn = history.withdrawn(D1)
    assert withdrawn is not None and withdrawn.sha == merge
    assert withdrawn.date == dt.date(2024, 5, 10)
    changes = history.changes(D1)
    assert changes[1].added == ("withdrawal",)
    assert changes[2].changed == ("withdrawal.reason",)
    assert history.withdrawn(f"{AGENCY}/agency.yaml") is None


def test_withdrawal_removed_and_added_again_dates_from_the_last_adding(repo: Repo) -> None:
    plain = (repo.root / D1).read_text("utf-8")
    withdrawn = plain + WITHDRAWAL.format(day="2024-05-06")
    repo.commit({D1: withdrawn}, "2024-05-07T10:00:00+08:00")
    repo.commit({D1: plain}, "2024-05-08T10:00:00+08:00")
    again = repo.commit({D1: withdrawn}, "2024-06-03T10:00:00+08:00")
    commit = read_history(repo.root / "content").withdrawn(D1)
    assert commit is not None and commit.sha == again


def test_a_withdrawal_key_written_with_an_escape_is_a_withdrawal(repo: Repo) -> None:
    escaped = WITHDRAWAL.replace("withdrawal:", '"withdr\\u0061wal":').format(day="2024-05-06")
    assert "withdrawal" not in escaped
    merge = repo.commit({D1: (repo.root / D1).read_text("utf-8") + escaped}, BASE)
    commit = read_history(repo.root / "content").withdrawn(D1)
    assert commit is not None and commit.sha == merge


def test_withdrawals_read_from_git_only_the_withdrawn_decisions(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build has parsed every current record (reuse): only the earlier versions of a
    decision withdrawn now are read from git to date its withdrawal."""
    plain = {decision_path(n, 2024): decision(n, "2024-03-05") for n in range(2, 6)}
    repo.pull_request(plain, "2024-03-06T09:00:00+08:00", "2024-03-07T09:00:00+08:00")
    before = repo.git("rev-parse", f"HEAD:{D1}")
    text = (repo.root / D1).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    _clerk, merge = repo.pull_request(
        {D1: text}, "2024-05-07T10:00:00+08:00", "2024-05-10T10:00:00+08:00"
    )
    corpus = validate_content(repo.root / "content").corpus
    fetched: list[str] = []
    fetch = blobs.BlobStore.fetch

    def counting(self: blobs.BlobStore, shas: Iterable[str | None]) -> None:
        wanted = [sha for sha in shas if sha]
        fetched.extend(wanted)
        fetch(self, wanted)

    monkeypatch.setattr(blobs.BlobStore, "fetch", counting)
    history = read_history(repo.root / "content")
    history.reuse(corpus)
    withdrawn = {path: history.withdrawn(path) for path in history.paths()}
    assert fetched == [before]
    assert {path for path, commit in withdrawn.items() if commit} == {D1}
    assert withdrawn[D1] is not None and withdrawn[D1].sha == merge


def test_chinese_paths_survive(repo: Repo) -> None:
    page = "content/pages/关于本平台.md"
    repo.commit({page: "# 关于\n"}, "2024-02-01T10:00:00+08:00")
    repo.move(page, "content/pages/平台说明（修订）.md", "2024-02-02T10:00:00+08:00")
    history = read_history(repo.root / "content")
    assert "content/pages/平台说明（修订）.md" in history.paths()
    [added, moved] = history.changes("content/pages/平台说明（修订）.md")
    assert added.path == page and moved.old_path == page
    assert added.unreadable  # not a YAML record: listed, without fields


def test_deleted_and_restored_record_keeps_its_first_publication(repo: Repo) -> None:
    text = (repo.root / D1).read_text("utf-8")
    repo.commit({D1: None}, "2024-04-01T10:00:00+08:00")
    assert read_history(repo.root / "content").lineage(D1) is not None  # deleted, still known
    repo.commit({D1: text}, "2024-04-02T10:00:00+08:00")
    history = read_history(repo.root / "content")
    published = history.published(D1)
    assert published is not None and published.date == dt.date(2024, 3, 12)
    assert [c.status for c in history.changes(D1)] == [
        Status.ADDED,
        Status.DELETED,
        Status.ADDED,
    ]


def test_shallow_clone_refused_in_publish_mode(repo: Repo, tmp_path: Path) -> None:
    shallow = repo.shallow_clone(tmp_path / "shallow").root
    with pytest.raises(ShallowClone, match="浅克隆") as refused:
        read_history(shallow / "content", publish=True)
    assert "fetch-depth: 0" in str(refused.value) or "--unshallow" in str(refused.value)
    preview = read_history(shallow / "content")
    assert preview.shallow
    wrong = preview.published(f"{AGENCY}/agency.yaml")
    assert wrong is not None and wrong.date == dt.date(2024, 3, 12)  # why it is refused


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(HistoryUnavailable, match="不在 git 仓库中"):
        read_history(tmp_path / "content")


def test_a_history_git_cannot_read_is_a_message_not_a_crash(repo: Repo) -> None:
    """An object the walk needs is missing (a broken clone, a pruned object): git's log fails,
    and the history is unavailable with git's reason, as outside a repository, each time it
    is asked for (never an empty history the second time)."""
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    (repo.root / ".git/objects" / tree[:2] / tree[2:]).unlink()
    with HistoryReading(repo.root / "content") as reading:
        for _ in range(2):
            with pytest.raises(HistoryUnavailable, match=f"git log 未能读出 HEAD 的历史：.*{tree}"):
                reading.result()


def started_gits(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every process started from here on (GitPython's, the walk's)."""
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen.__init__

    def noted(self: subprocess.Popen[bytes], *args: Any, **kw: Any) -> None:
        popen(self, *args, **kw)
        started.append(self)

    monkeypatch.setattr(subprocess.Popen, "__init__", noted)
    return started


def test_a_history_begun_and_closed_unread_stops_git(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that stops before it reads the history (a validation error) leaves no git
    running, and the reading it began never gives a history half read."""
    started = started_gits(monkeypatch)
    with HistoryReading(repo.root / "content") as reading:
        [walk] = [p for p in started if "log" in p.args]
    assert walk.returncode is not None  # ended (killed, or done) and waited for
    with pytest.raises(HistoryUnavailable, match="已被停止"):
        reading.result()


def test_a_build_that_fails_validation_stops_its_history_walk(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo.root / D1).write_text("doc_no: [unclosed\n", "utf-8")
    started = started_gits(monkeypatch)
    with pytest.raises(BuildFailed):
        build_site(repo.root / "content", tmp_path / "out", as_of=dt.date(2026, 11, 24))
    walks = [p for p in started if "log" in p.args and "--first-parent" in p.args]
    assert walks and all(p.returncode is not None for p in walks)


def test_repository_without_commits_has_no_publications(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "empty")
    for path, text in mini_base().items():
        repo.write(path, text)
    history = read_history(repo.root / "content")
    assert history.head is None and history.paths() == []
    corpus = validate_content(repo.root / "content").corpus
    assert len(unpublished(corpus, history)) == len(corpus.records) == len(mini_base())


def test_unpublished_and_uncommitted_records(repo: Repo) -> None:
    new = decision_path(2, 2024)
    repo.write(new, decision(2, "2024-03-05"))
    agency = repo.root / AGENCY / "agency.yaml"
    agency.write_text(agency.read_text("utf-8").replace("政务路1号", "政务路2号"), "utf-8")
    corpus = validate_content(repo.root / "content").corpus
    history = read_history(repo.root / "content")
    preview = publish_findings(corpus, history, publish=False)
    assert [(f.path, f.rule, str(f.severity)) for f in preview] == [
        (f"{AGENCY}/agency.yaml", "uncommitted", "warning"),
        (new, "unpublished", "warning"),
    ]
    assert "未发布" in preview[1].message
    publish = publish_findings(corpus, history, publish=True)
    assert {str(f.severity) for f in publish} == {"error"}


def test_timelines_for_the_portal(repo: Repo) -> None:
    text = (repo.root / D1).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    repo.pull_request({D1: text}, "2024-05-07T10:00:00+08:00", "2024-05-10T10:00:00+08:00")
    timelines = record_timelines(read_history(repo.root / "content"))
    timeline = timelines[D1]
    assert timeline.published == dt.date(2024, 3, 12)
    assert timeline.withdrawn == dt.date(2024, 5, 10)
    assert [(e.date, e.status, e.fields) for e in timeline.changes][1] == (
        dt.date(2024, 5, 10),
        "修改",
        ("withdrawal",),
    )
    assert timeline.changes[0].author == "审核人" and len(timeline.changes[0].commit) == 10
    assert set(timelines) == set(read_history(repo.root / "content").paths())


def test_one_git_process_per_pass_not_per_file(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {decision_path(n, 2024): decision(n, "2024-03-05") for n in range(10, 60)}
    repo.pull_request(files, "2024-03-06T09:00:00+08:00", "2024-03-07T09:00:00+08:00")
    calls: list[str] = []
    popen = subprocess.Popen.__init__

    def counting(self: subprocess.Popen[bytes], command: list[str], *args: Any, **kw: Any) -> None:
        calls.append(" ".join(command[1:2]))  # every git process, GitPython's or not
        popen(self, command, *args, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", counting)
    history = read_history(repo.root / "content")
    history.all_changes()
    for path in history.paths():
        history.withdrawn(path)
    assert sum("log" in c for c in calls) == 1
    assert sum("cat-file" in c for c in calls) <= 2
    assert len(calls) <= 6, calls


def test_timelines_reuse_the_builds_parse(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (repo.root / D1).read_text("utf-8")
    repo.commit({D1: text.replace("fine: 5000", "fine: 6000")}, "2024-04-01T10:00:00+08:00")
    corpus = validate_content(repo.root / "content").corpus
    parsed: list[str] = []
    load_bytes = blobs.load_bytes

    def counting(raw: bytes) -> object:
        parsed.append(raw.decode("utf-8"))
        return load_bytes(raw)

    monkeypatch.setattr(blobs, "load_bytes", counting)
    cold = record_timelines(read_history(repo.root / "content"))
    assert len(parsed) == len(corpus.records) + 1
    parsed.clear()
    warm = record_timelines(read_history(repo.root / "content"), corpus)
    assert parsed == [text]  # only the older version of the edited decision
    assert warm == cold
    assert warm[D1].changes[1].fields == ("penalty.fine",)


def test_the_parse_is_taken_by_the_blob_validation_read_not_by_reading_again(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation knows each record's blob id; the history takes the record for its file's
    latest version without reading the file again — and a record validation read from other
    bytes than the commit's is not taken, even when the file now matches the commit."""
    text = (repo.root / D1).read_text("utf-8")
    corpus = validate_content(repo.root / "content").corpus
    assert all(record.blob for record in corpus.records)
    edited = next(r for r in corpus.records if r.path == D1)
    stale = dataclasses.replace(edited, data={**edited.data, "fine": 1}, blob="0" * 40)
    corpus.records[corpus.records.index(edited)] = stale
    read = Counting()
    monkeypatch.setattr(Path, "read_bytes", read.wrap(Path.read_bytes))
    parsed: list[str] = []
    load_bytes = blobs.load_bytes
    monkeypatch.setattr(
        blobs, "load_bytes", lambda raw: parsed.append(raw.decode("utf-8")) or load_bytes(raw)
    )
    timelines = record_timelines(read_history(repo.root / "content"), corpus)
    assert read.calls == 0
    assert parsed == [text]  # the stale record's file, from git
    assert timelines == record_timelines(read_history(repo.root / "content"))


class Counting:
    """Counts the record files read (GitPython looks for files of its own too)."""

    def __init__(self) -> None:
        self.calls = 0

    def wrap(self, real: Any) -> Any:
        def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
            self.calls += "content" in path.parts and path.suffix == ".yaml"
            return real(path, *args, **kwargs)

        return counted
