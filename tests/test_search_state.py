"""The search index built from the previous build's state (gongshi_search/state.py): after any
sequence of changes it writes exactly the files a build without a state writes; an unchanged
document is not tokenised again and an unchanged bucket or store is the previous site's file;
a broken, foreign or tampered state, or a live file changed since, costs only time."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gongshi_portal.buildcache import BuildCache
from gongshi_records import forking
from gongshi_records.forking import PROCESSES_ENV, can_fork
from gongshi_search import buckets, documents, shards
from gongshi_search.documents import DECISIONS, SearchDoc, Terms, field_sources, gram_source
from gongshi_search.shards import ShardSettings
from gongshi_search.state import MAGIC, CollectionFiles, Incremental, State
from gongshi_search.writer import FORMAT, SEARCH_DIR, write_collections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Small buckets and stores, and a low common threshold: many buckets, several stores, and
# terms that become common and stop being common as documents come and go. Buckets of 40
# postings: most small changes keep the number of buckets, so only some buckets are written.
SETTINGS = ShardSettings(bucket_bytes=360, posting_bytes=9.0, store_size=3, common_df=4)
FINE = replace(SETTINGS, bucket_bytes=90)  # for the 30 documents of many(): five buckets
AGENCIES = {"a": "甲局", "b": "乙局"}
WORDS = ["罚款", "警告", "责令", "改正", "公司", "超市", "食品", "安全", "法第", "条"]
CHARS = "市场监督管理局依据食品安全法第一百二十四条对当事人处以罚款警告没收违法所得"


def doc(number: int, body: str, title: str = "", agency: str = "a") -> SearchDoc:
    return SearchDoc(
        kind="decision",
        agency=agency,
        year=str(2020 + number % 3),
        category="行政处罚",
        order=(f"{number:04d}",),
        terms=[WORDS[number % len(WORDS)], WORDS[(number * 7) % len(WORDS)], f"{number}"],
        title=title or f"决定{number}",
        date="2026-05-01",
        url=f"d/{number}.html",
        text=f"第{number}号",
        body=body,
    )


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class Builds:
    """Builds of one output with one build cache, as gongshi build does them: into a staging
    folder, settled, swapped in, the manifest saved."""

    def __init__(self, root: Path, options: ShardSettings = SETTINGS) -> None:
        self.root, self.output, self.cache = root, root / "site", root / "cache"
        self.options = options
        self.count = 0
        self.manifest: dict[str, Any] = {}

    def build(self, docs: list[SearchDoc]) -> BuildCache:
        self.count += 1
        staging = self.root / f"staging-{self.count}"
        staging.mkdir()
        cache = BuildCache(self.cache, self.output)
        incremental = Incremental(self.cache, "code", cache)
        self.manifest = write_collections(
            staging, {DECISIONS: docs}, AGENCIES, self.options, incremental=incremental
        )
        cache.settle(staging)
        shutil.rmtree(self.output, ignore_errors=True)
        staging.rename(self.output)
        cache.save()
        return cache

    def check(self, docs: list[SearchDoc]) -> BuildCache:
        """A build from the state, byte for byte the same as one without."""
        cache = self.build(docs)
        self.verify(docs)
        return cache

    def verify(self, docs: list[SearchDoc]) -> None:
        fresh = self.root / f"fresh-{self.count}"
        write_collections(fresh, {DECISIONS: docs}, AGENCIES, self.options)
        assert tree(self.output / SEARCH_DIR) == tree(fresh / SEARCH_DIR)
        shutil.rmtree(fresh)


class Counting:
    """Counts calls of a module's function (still calling it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.calls = 0
        real: Callable[..., Any] = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


BODY = st.text(alphabet=CHARS, max_size=30)
CHANGE = st.one_of(
    st.tuples(st.just("char"), st.integers(0, 99), st.sampled_from(CHARS)),
    st.tuples(st.just("body"), st.integers(0, 99), BODY),
    st.tuples(st.just("title"), st.integers(0, 99), st.sampled_from(["甲", "乙"])),
    st.tuples(st.just("add"), st.integers(0, 99), BODY),
    st.tuples(st.just("remove"), st.integers(0, 99), st.just("")),
)


def apply(docs: list[SearchDoc], change: tuple[str, int, str]) -> list[SearchDoc]:
    kind, index, value = change
    docs = list(docs)
    if kind == "add":
        return [*docs, doc(100 + index + len(docs) * 1000, value, agency="b")]
    if not docs:
        return docs
    at = index % len(docs)
    if kind == "remove":
        del docs[at]
    elif kind == "body":
        docs[at] = replace(docs[at], body=value)
    elif kind == "char":  # one character of the body: a few postings
        body = docs[at].body or "罚"
        place = index % len(body)
        docs[at] = replace(docs[at], body=body[:place] + value + body[place + 1 :])
    else:
        docs[at] = replace(docs[at], title=docs[at].title + value)
    return docs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bodies=st.lists(BODY, min_size=0, max_size=16),
    changes=st.lists(st.lists(CHANGE, min_size=1, max_size=3), min_size=1, max_size=4),
)
def test_every_rebuild_equals_a_build_without_state(
    bodies: list[str], changes: list[list[tuple[str, int, str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        builds = Builds(Path(folder))
        docs = [doc(number, body) for number, body in enumerate(bodies)]
        builds.check(docs)
        for step in changes:
            for change in step:
                docs = apply(docs, change)
            builds.check(docs)


def many() -> list[SearchDoc]:
    return [doc(number, CHARS[number % 20 : number % 20 + 12]) for number in range(30)]


def test_one_changed_document_is_the_only_one_tokenised_and_few_buckets_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = Builds(tmp_path, FINE)
    docs = many()
    first = builds.check(docs)
    bucket_files = sum(1 for name in first.files if Path(name).name.startswith("b"))
    tokenised = Counting(monkeypatch, shards, "tokens")
    indexed = Counting(monkeypatch, buckets, "build_counted")
    written = Counting(monkeypatch, CollectionFiles, "write_json")
    docs[7] = replace(docs[7], body=docs[7].body + "没收")
    builds.build(docs)
    assert tokenised.calls == 1  # the changed document's body; the others come from the state
    assert 0 < indexed.calls < bucket_files / 2
    # Besides those buckets, only the store and the body file that hold document 7.
    assert written.calls == indexed.calls + 2
    builds.verify(docs)

    # A document added (numbers shift): every bucket again, still only one tokenised.
    tokenised.calls = indexed.calls = 0
    docs.append(doc(999, "罚款"))
    builds.build(docs)
    assert tokenised.calls == 1 and indexed.calls >= bucket_files - 1
    builds.verify(docs)


def test_a_term_that_becomes_common_leaves_its_bucket(tmp_path: Path) -> None:
    """The one change that alters buckets holding none of the changed document's postings."""
    builds = Builds(tmp_path, FINE)
    docs = many()
    builds.check(docs)
    before = builds.manifest["collections"][DECISIONS]
    assert "场监" not in before["common"]
    docs[2] = replace(docs[2], body=docs[2].body + "场监")  # its fifth document: now common
    builds.check(docs)
    after = builds.manifest["collections"][DECISIONS]
    assert "场监" in after["common"] and after["buckets"] == before["buckets"]
    docs[2] = replace(docs[2], body=docs[2].body[:-2])  # and back
    builds.check(docs)


def test_a_broken_or_foreign_state_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    builds = Builds(tmp_path)
    docs = many()
    builds.check(docs)
    state = tmp_path / "cache" / f"search-{DECISIONS}.state"
    data = bytearray(state.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed: the digest no longer matches
    state.write_bytes(bytes(data))
    tokenised = Counting(monkeypatch, shards, "tokens")
    builds.build(docs)
    assert tokenised.calls == len(docs)
    assert "搜索索引缓存" in caplog.text and "摘要不符" in caplog.text

    state.write_bytes(state.read_bytes()[:100])  # cut short
    builds.check(docs)
    # A state made with other code or settings is not this build's: no warning, built anew.
    caplog.clear()
    tokenised.calls = 0
    builds.count += 1
    staging = tmp_path / f"staging-{builds.count}"
    other = Incremental(builds.cache, "other code", BuildCache(builds.cache, builds.output))
    write_collections(staging, {DECISIONS: docs}, AGENCIES, SETTINGS, incremental=other)
    assert tokenised.calls == len(docs) and not caplog.text


def test_a_live_file_changed_since_is_written_again(tmp_path: Path) -> None:
    builds = Builds(tmp_path)
    docs = many()
    builds.check(docs)
    bucket = builds.output / SEARCH_DIR / DECISIONS / "b0.json"
    store = builds.output / SEARCH_DIR / DECISIONS / "s0.json"
    good_bucket, good_store = bucket.read_bytes(), store.read_bytes()
    bucket.write_bytes(b"{}")
    store.write_bytes(b"[]")
    builds.check(docs)  # nothing changed in the documents, yet both are written right again
    assert bucket.read_bytes() == good_bucket and store.read_bytes() == good_store


def test_buckets_written_by_worker_processes_are_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert can_fork(), "this test must run where the build can fork its workers"
    docs = many()
    monkeypatch.setenv(PROCESSES_ENV, "1")
    write_collections(tmp_path / "one", {DECISIONS: docs}, AGENCIES, FINE)
    monkeypatch.setenv(PROCESSES_ENV, "2")
    pools = Counting(monkeypatch, forking, "forked_pool")
    builds = Builds(tmp_path / "two", FINE)
    (tmp_path / "two").mkdir()
    first = builds.build(docs)
    assert pools.calls == 1
    assert tree(builds.output / SEARCH_DIR) == tree(tmp_path / "one" / SEARCH_DIR)
    # The SHA-256 the workers sent back is what the state records (and the next build reuses).
    state = State.load(builds.cache / f"search-{DECISIONS}.state", f"{FORMAT}:code:{FINE!r}")
    assert state is not None and len(state.files) == len(first.files) - 2  # manifest, lunr.js
    folder = builds.output / SEARCH_DIR / DECISIONS
    for name, sha256 in state.files.items():
        assert sha256 == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    docs[3] = replace(docs[3], body="没收违法所得")
    builds.check(docs)


def rewritten(path: Path, change: Callable[[Any], Any]) -> None:
    """The state file with its header changed and its digest made right again: what only
    someone writing into the cache folder could make."""
    data = path.read_bytes()[:-32]
    at = len(MAGIC) + 8
    size = int.from_bytes(data[len(MAGIC) : at], "little")
    header, rest = json.loads(data[at : at + size]), data[at + size :]
    encoded = json.dumps(change(header), ensure_ascii=False).encode("utf-8")
    body = MAGIC + len(encoded).to_bytes(8, "little") + encoded + rest
    path.write_bytes(body + hashlib.sha256(body).digest())


@pytest.mark.parametrize(
    "change",
    [
        lambda h: {**h, "files": []},
        lambda h: {**h, "words": [h["words"][0], *h["words"][:-1]]},
        lambda h: {**h, "documents": h["documents"] + 1},
        lambda h: {**h, "postings": -1},
        lambda h: ["not", "a", "header"],
        lambda h: {**h, "buckets": "many"},
        lambda h: {k: v for k, v in h.items() if k != "byteorder"},
    ],
)
def test_a_state_with_a_valid_digest_but_a_wrong_header_is_ignored(
    change: Callable[[Any], Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    builds = Builds(tmp_path, FINE)
    docs = many()
    builds.check(docs)
    rewritten(builds.cache / f"search-{DECISIONS}.state", change)
    builds.check(docs)  # built anew: the same files
    assert "搜索索引缓存" in caplog.text


def test_a_deeply_nested_header_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    builds = Builds(tmp_path, FINE)
    builds.check(many())
    path = builds.cache / f"search-{DECISIONS}.state"
    encoded = b"[" * 100_000 + b"]" * 100_000
    body = MAGIC + len(encoded).to_bytes(8, "little") + encoded
    path.write_bytes(body + hashlib.sha256(body).digest())
    builds.check(many())
    assert "搜索索引缓存" in caplog.text


def test_an_unchanged_document_s_fields_are_not_segmented_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents as documents.py makes them: their tokens from their fields, segmented only
    when the state does not know the document by its fields already."""

    def made(number: int, violation: str) -> SearchDoc:
        terms = Terms(
            *field_sources([f"当事人{number}"], name=True),
            *field_sources([f"测市监决〔2026〕{number}号", violation]),
            gram_source("91330299MA2B3C4D59"),
        )
        return replace(doc(number, "罚款"), terms=terms)

    builds = Builds(tmp_path, FINE)
    segmented = Counting(monkeypatch, documents, "tokens")
    builds.check([made(n, "销售过期食品") for n in range(12)])
    assert segmented.calls >= 12 * 3  # each field (the fresh build's too)
    segmented.calls = 0
    docs = [made(n, "无证经营" if n == 5 else "销售过期食品") for n in range(12)]
    builds.build(docs)
    assert segmented.calls == 3  # document 5's three fields
    builds.verify(docs)
    assert made(1, "甲") == made(1, "甲") and made(1, "甲") != made(1, "乙")
