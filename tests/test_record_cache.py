"""The record cache (recordcache.py) changes how fast, never what, validation finds: a warm
cache gives the same findings and records as a cold one, after a file changes, when the code or
a schema changes, and whatever was planted in the cache file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from gongshi_records import reading, recordcache
from gongshi_records.forking import PROCESSES_ENV
from gongshi_records.recordcache import RecordCache, blob_id, cache_dir, code_key
from gongshi_records.validate import Validation, validate_content

EXAMPLES = Path(__file__).parent / "examples"
BROKEN = "agencies/demo-bureau/decisions/2025/broken.yaml"


@pytest.fixture
def portal(mini: Path) -> Path:
    """The mini portal with records that have findings of every stage: a YAML error, schema
    errors, a single-record rule, and a record other records' rules look at."""
    decisions = mini / "agencies/demo-bureau/decisions/2025"
    shutil.copyfile(EXAMPLES / "decision/invalid/alias.yaml", decisions / "alias.yaml")
    shutil.copyfile(EXAMPLES / "decision/invalid/amount-range.yaml", decisions / "amount.yaml")
    (mini / BROKEN).write_text("doc_no: [unclosed\n", "utf-8")
    return mini


def same(one: Validation, other: Validation) -> None:
    assert one.findings == other.findings
    assert [r.path for r in one.corpus] == [r.path for r in other.corpus]
    for a, b in zip(one.corpus, other.corpus, strict=True):
        assert (a.kind, a.place, a.data) == (b.kind, b.place, b.data)
        assert dict(a.marks) == dict(b.marks)


def test_files_read_by_workers_give_what_one_process_reads(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files the cache does not know are read in forked workers when many (reading.py): the
    same findings, records and marks (read again from the file, as a cached record's are) as
    one process reading them (keeping the marks it read), and the cache they leave gives the
    same again."""
    monkeypatch.setattr(reading, "_READS_PER_TASK", 3)
    monkeypatch.setenv(PROCESSES_ENV, "2")
    readers = tmp_path / "readers"
    readers.mkdir()
    read_fresh = reading._read_fresh

    def noted(file: Any, **options: bool) -> Any:
        (readers / str(os.getpid())).touch()
        return read_fresh(file, **options)

    monkeypatch.setattr(reading, "_read_fresh", noted)
    forked = validate_content(portal, cache=tmp_path / "forked")
    assert str(os.getpid()) not in {p.name for p in readers.iterdir()}
    monkeypatch.setenv(PROCESSES_ENV, "1")
    alone = validate_content(portal, cache=tmp_path / "alone")
    same(forked, alone)
    assert {r.path: r.blob for r in forked.corpus} == {r.path: r.blob for r in alone.corpus}
    assert len(forked.corpus.records) > 6 and any(f.line > 1 for f in forked.findings)
    assert all(dict(record.marks) for record in forked.corpus)
    same(validate_content(portal, cache=tmp_path / "forked"), alone)
    assert all_entries(tmp_path / "forked") == all_entries(tmp_path / "alone")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_file_saved_again_as_it_is_read_is_kept_as_the_bytes_read(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """A clerk saves a file just as a run reads it: the file is read once, so what is found is
    the bytes read, kept under their blob id (never the new bytes' data under the old bytes'
    id, nor the other way round), and the next run gives what a run from nothing gives."""
    path = portal / "agencies/demo-bureau/decisions/2025/amount.yaml"
    read = path.read_bytes()
    saved = read.replace(b"50000000000000", b"5000")
    original = reading._bytes

    def saved_as_read(name: str) -> bytes:
        raw = original(name)
        if Path(name) == path and raw == read:
            path.write_bytes(saved)
        return raw

    monkeypatch.setattr(reading, "_bytes", saved_as_read)
    monkeypatch.setattr(reading, "_FORK_READS", 1)
    monkeypatch.setenv(PROCESSES_ENV, processes)
    checked = validate_content(portal, cache=tmp_path / "cache")
    [record] = [r for r in checked.corpus if r.path.endswith("decisions/2025/amount.yaml")]
    assert record.blob == blob_id(read) and record.data["penalty"]["fine"] == "50000000000000"
    assert [f.line for f in checked.findings if f.rule == "amount.range"] == [13]
    # Read from the file's bytes in this process; from a worker, read again by blob: gone.
    assert bool(dict(record.marks)) == (processes == "1")
    monkeypatch.setattr(reading, "_bytes", original)
    again = validate_content(portal, cache=tmp_path / "cache")
    same(again, validate_content(portal))
    assert not [f for f in again.findings if f.rule == "amount.range"]


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_record_json_would_not_give_back_is_read_again_each_time(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """Data JSON would not give back as it is (recordcache.plain_json; the strict loader makes
    none, so it is simulated here) is never kept, whether one process read it or a worker did:
    the worker's judgement is the one kept."""
    decisions = portal / "agencies/demo-bureau/decisions/2025"
    odd = (decisions / "amount.yaml").read_text("utf-8").replace("销售不合格产品", "不可缓存")
    (decisions / "odd.yaml").write_text(odd, "utf-8")
    plain_json = reading.plain_json
    monkeypatch.setattr(
        reading, "plain_json", lambda data: data.get("violation") != "不可缓存" and plain_json(data)
    )
    monkeypatch.setenv(PROCESSES_ENV, processes)
    first = validate_content(portal, cache=tmp_path / "cache")
    assert any(r.get("violation") == "不可缓存" for r in first.corpus)
    entries = all_entries(tmp_path / "cache")
    assert not any(name.endswith("2025/odd.yaml") for name in entries)
    assert any(name.endswith("2025/amount.yaml") for name in entries)
    same(validate_content(portal, cache=tmp_path / "cache"), first)


def shard_files(folder: Path) -> list[Path]:
    """The cache's files: one folder for the content folder, a file per shard in it."""
    [written] = folder.iterdir()
    return sorted(written.iterdir())


def all_entries(folder: Path) -> dict[str, dict[str, object]]:
    entries: dict[str, dict[str, object]] = {}
    for file in shard_files(folder):
        entries.update(json.loads(file.read_bytes().partition(b"\n")[2]))
    return entries


def uncached(content: Path) -> Validation:
    return validate_content(content, cache="off")


def test_a_warm_cache_finds_what_a_cold_one_does(portal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cold = validate_content(portal, cache=folder)
    assert {f.rule for f in cold.findings} >= {"yaml", "yaml.alias", "amount.range"}
    assert len(all_entries(folder)) == len(list(portal.rglob("*.yaml")))
    same(validate_content(portal, cache=folder), cold)
    same(cold, uncached(portal))


def test_nothing_is_written_into_content(portal: Path, tmp_path: Path) -> None:
    before = sorted(portal.rglob("*"))
    validate_content(portal, cache=tmp_path / "cache")
    assert sorted(portal.rglob("*")) == before


def test_a_changed_file_is_read_again(portal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    decision = portal / "agencies/demo-bureau/decisions/2025/2025-002.yaml"
    decision.write_text(decision.read_text("utf-8").replace("decided_on:", "decided_on: x\n#"))
    (portal / BROKEN).write_text("doc_no: 青市监处罚〔2025〕99号\n", "utf-8")
    warm = validate_content(portal, cache=folder)
    same(warm, uncached(portal))
    assert any(f.path.endswith("2025-002.yaml") for f in warm.findings)
    # And back: the entry of the earlier bytes is gone, the file is read again.
    (portal / BROKEN).unlink()
    same(validate_content(portal, cache=folder), uncached(portal))


def test_entries_hold_for_their_bytes_only(portal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    store = RecordCache(folder, portal)
    path = portal / "portal.yaml"
    shown = validate_content(portal, cache="off").corpus.portal
    assert shown is not None
    assert store.get(path, "portal.yaml", shown.path, blob_id(path.read_bytes())) is not None
    assert store.get(path, "portal.yaml", shown.path, blob_id(b"other bytes")) is None
    elsewhere = "elsewhere/portal.yaml"
    assert store.get(path, "portal.yaml", elsewhere, blob_id(path.read_bytes())) is None


@pytest.mark.parametrize("raw", [b"", b"hello\n", "文号: 青\r\n".encode() * 300])
def test_blob_id_is_gits(raw: bytes) -> None:
    git = subprocess.run(
        ["git", "hash-object", "--stdin"], input=raw, capture_output=True, check=True
    )
    assert blob_id(raw) == git.stdout.decode().strip()


def test_a_schema_or_code_change_empties_the_cache(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    assert RecordCache(folder, portal)._old
    schemas = tmp_path / "schemas"
    shutil.copytree(recordcache.SCHEMA_DIR, schemas)
    target = schemas / "decision.schema.json"
    target.write_text(target.read_text("utf-8").replace("文号", "决定文号", 1), "utf-8")
    monkeypatch.setattr(recordcache, "SCHEMA_DIR", schemas)
    code_key.cache_clear()
    try:
        assert not RecordCache(folder, portal)._old
    finally:
        monkeypatch.undo()
        code_key.cache_clear()
    assert RecordCache(folder, portal)._old


PLANTED = [
    b"",
    b"\x00\xff not json",
    b"[" * 100_000,
    b'{"format": "gongshi-record-cache/2"}',
    b"[]",
]


@pytest.mark.parametrize("planted", PLANTED, ids=range(len(PLANTED)))
def test_a_corrupt_cache_file_is_ignored(portal: Path, tmp_path: Path, planted: bytes) -> None:
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    for written in shard_files(folder):
        written.write_bytes(planted)
    same(validate_content(portal, cache=folder), uncached(portal))


def test_tampered_entries_are_read_again(portal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cold = validate_content(portal, cache=folder)
    written = next(f for f in shard_files(folder) if b"amount.range" in f.read_bytes())
    header, _, body = written.read_bytes().partition(b"\n")
    # An edited body no longer has the digest its header states: the whole file is ignored.
    written.write_bytes(header + b"\n" + body.replace(b"amount.range", b"amount.rang"))
    old = RecordCache(folder, portal)._old
    assert old and not any(r.endswith("amount.yaml") for r in old)
    same(validate_content(portal, cache=folder), cold)
    # A forged file (digest recomputed) with entries of the wrong shape: each is read again.
    entries = all_entries(folder)
    bad_values = [
        {"data": "text", "findings": []},
        {"data": ["a", "list"], "findings": []},
        {"findings": [["p", "1", 1, "error", "r", "m"]]},
        {"findings": [["p", 1, 1, "fatal", "r", "m"]]},
        {"findings": "none"},
        {"findings": [["p", 1, 1, "error", "r"]]},
    ]
    for index, (_relative, entry) in enumerate(sorted(entries.items())):
        if entry["data"] is not None:
            entry.update(bad_values[index % len(bad_values)])
        else:
            del entry["data"]
    forge(folder, portal, entries)
    same(validate_content(portal, cache=folder), cold)
    # A foreign cache: another content folder's files under this folder's name.
    store = RecordCache(folder, portal)
    store.content = "/elsewhere"
    forge_into(store, entries)
    assert not RecordCache(folder, portal)._old


def test_a_shard_holds_its_own_entries_only(portal: Path, tmp_path: Path) -> None:
    """A file planted under one shard's name with another shard's entries (digest and all)
    gives nothing of the other shard."""
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    entries = all_entries(folder)
    for file in shard_files(folder):
        file.unlink()
    RecordCache(folder, portal)._write("portal.yaml", entries)
    assert len(entries) > 1
    assert RecordCache(folder, portal)._old == {"portal.yaml": entries["portal.yaml"]}


def test_a_change_rewrites_its_shard_only(portal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    before = {f.name: f.read_bytes() for f in shard_files(folder)}
    (portal / BROKEN).write_text("doc_no: 青市监处罚〔2025〕99号\n", "utf-8")
    same(validate_content(portal, cache=folder), uncached(portal))
    after = {f.name: f.read_bytes() for f in shard_files(folder)}
    assert after.keys() == before.keys()
    shard = RecordCache(folder, portal)._shard_file(recordcache.shard_of(BROKEN)).name
    assert [name for name in after if after[name] != before[name]] == [shard]
    # An agency folder gone: its file goes too.
    shutil.rmtree(portal / "agencies/demo-bureau")
    validate_content(portal, cache=folder)
    assert shard not in {f.name for f in shard_files(folder)}


def test_what_killed_writers_left_is_removed_once_it_is_stale(portal: Path, tmp_path: Path) -> None:
    """A writer killed between writing its temporary file and renaming it (Ctrl-C on a build)
    leaves the temporary; the next run that saves removes it once it is an hour old, never a
    younger one (a concurrent run's) nor anything else."""
    validate_content(portal, cache=tmp_path / "cache")
    [folder] = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    old, young = folder / "tmpkilled.tmp", folder / "tmpwriting.tmp"
    other = folder / "notes.txt"
    for file in (old, young, other):
        file.write_bytes(b"{")
    hours_ago = time.time() - 2 * recordcache.STALE_TEMPORARY_SECONDS
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    (portal / BROKEN).write_text("doc_no: 青市监处罚〔2025〕98号\n", "utf-8")
    same(validate_content(portal, cache=tmp_path / "cache"), uncached(portal))
    assert not old.exists() and young.exists() and other.exists()


def forge(folder: Path, content: Path, entries: dict[str, dict[str, object]]) -> None:
    forge_into(RecordCache(folder, content), entries)


def forge_into(store: RecordCache, entries: dict[str, dict[str, object]]) -> None:
    """Written as the cache writes its files, digests and all."""
    shards: dict[str, dict[str, object]] = {}
    for relative, entry in entries.items():
        shards.setdefault(recordcache.shard_of(relative), {})[relative] = entry
    for shard, held in shards.items():
        store._write(shard, held)


def test_marks_come_from_the_bytes_the_entry_was_made_from(tmp_path: Path) -> None:
    """A cached record's marks are read again from its file, only while it still has the
    bytes of the entry: a file changed since (or gone, or no longer YAML) gives none."""
    record = tmp_path / "r.yaml"
    record.write_text("title: 一\nparty:\n  name: 某\n", "utf-8")
    blob = blob_id(record.read_bytes())
    marks = recordcache.FileMarks(record, blob)
    assert marks[("party", "name")].line == 3 and ("title",) in marks
    record.write_text("title: 二\n\n\nparty:\n  name: 某\n", "utf-8")
    assert recordcache.FileMarks(record, blob) == {}
    record.write_text("title: [\n", "utf-8")
    assert recordcache.FileMarks(record, blob_id(record.read_bytes())) == {}
    assert recordcache.FileMarks(tmp_path / "gone.yaml", blob) == {}


def test_off_writes_nothing(portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGSHI_CACHE_DIR", "off")
    assert cache_dir() is None
    validate_content(portal)
    monkeypatch.setenv("GONGSHI_CACHE_DIR", str(tmp_path / "env-cache"))
    validate_content(portal)
    assert len(list((tmp_path / "env-cache").iterdir())) == 1
    monkeypatch.delenv("GONGSHI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "gongshi"


def test_validate_command_options(
    portal: Path, tmp_path: Path, gongshi: Callable[..., Result]
) -> None:
    folder = tmp_path / "cli-cache"
    cold = gongshi("validate", "--content", str(portal), "--cache-dir", str(folder))
    assert cold.code == 1 and "amount.range" in cold.out
    assert len(list(folder.iterdir())) == 1
    warm = gongshi("validate", "--content", str(portal), "--cache-dir", str(folder))
    off = gongshi("validate", "--content", str(portal), "--no-cache")
    assert warm.out == cold.out == off.out


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes validation hashes (every file it reads to know its blob id)."""
    read: list[bytes] = []

    def counted(raw: bytes) -> str:
        read.append(raw)
        return blob_id(raw)

    monkeypatch.setattr(reading, "blob_id", counted)
    return read


def test_a_settled_file_is_known_by_its_status(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Settled as soon as it was written before the run started (no two-second wait).
    monkeypatch.setattr(recordcache, "_SETTLED_NS", 0)
    folder = tmp_path / "cache"
    cold = validate_content(portal, cache=folder)
    read = counting_reads(monkeypatch)
    same(validate_content(portal, cache=folder), cold)
    assert read == []
    same(cold, uncached(portal))


def test_bytes_written_back_under_old_times_are_read_again(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recordcache, "_SETTLED_NS", 0)
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    decision = portal / "agencies/demo-bureau/decisions/2025/2025-002.yaml"
    before, times = decision.read_bytes(), decision.stat()
    after = before.replace(b"decided_on: 2025", b"decided_on: 1025")
    assert after != before and len(after) == len(before)
    decision.write_bytes(after)  # same size, and the modification time set back as it was
    os.utime(decision, ns=(times.st_atime_ns, times.st_mtime_ns))
    read = counting_reads(monkeypatch)
    warm = validate_content(portal, cache=folder)
    same(warm, uncached(portal))
    assert any(f.path.endswith("2025-002.yaml") and f.rule == "date.range" for f in warm.findings)
    assert after in read


def test_a_file_changed_just_before_the_run_is_read(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its times could stay the same through another write in the same tick of the file
    system's clock: its status is not recorded, and the next run reads it again."""
    monkeypatch.setattr(recordcache, "_SETTLED_NS", 10**18)  # nothing is settled
    folder = tmp_path / "cache"
    validate_content(portal, cache=folder)
    read = counting_reads(monkeypatch)
    validate_content(portal, cache=folder)
    assert len(read) == len(list(portal.rglob("*.yaml")))


def test_a_status_is_settled_two_seconds_after_the_last_change(tmp_path: Path) -> None:
    record = tmp_path / "r.yaml"
    record.write_text("title: 一\n", "utf-8")
    status = recordcache.Status(record)
    last = max(status.row[1], status.row[2])
    assert not status.settled(last + recordcache._SETTLED_NS)
    assert status.settled(last + recordcache._SETTLED_NS + 1)
    assert status.same(recordcache.Status(record).row)
    record.write_text("title: 二三\n", "utf-8")  # another size: the same tick of a coarse clock
    assert not status.same(recordcache.Status(record).row)


def test_with_statuses_off_every_file_is_read(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recordcache, "_SETTLED_NS", 0)
    monkeypatch.setenv(recordcache.STATUS_ENV, "off")
    folder = tmp_path / "cache"
    cold = validate_content(portal, cache=folder)
    read = counting_reads(monkeypatch)
    same(validate_content(portal, cache=folder), cold)
    assert len(read) == len(list(portal.rglob("*.yaml")))
