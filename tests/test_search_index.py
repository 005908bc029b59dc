"""Search on the Python side: segmentation, what the shards hold, and lunr.py queries over them.

The browser's side of the same shards is tested in test_search_node.py (lunr.js in Node) and
test_search_browser.py (the page in Chromium).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_AS_OF
from gongshi_cli.main import main
from gongshi_records import Corpus, Record, validate_content
from gongshi_records.publication import PublicDecision, PublicView, public_view
from gongshi_search import SearchBuildError, ShardSettings, query_tokens, tokens, writer
from gongshi_search import index as lunr_index
from gongshi_search.documents import (
    decision_doc,
    decision_docs,
    directory_docs,
    inspection_docs,
)
from gongshi_search.index import build_index, load_index
from gongshi_search.query import Shards, search, searchable, term_scores
from gongshi_search.shards import ref_of
from gongshi_search.tokens import bucket_of, fnv1a, normalise
from gongshi_search.writer import write_search_index
from lunr.builder import Builder
from lunr.pipeline import Pipeline

CONTENT = Path(__file__).parents[1] / "content"
OFFICER = "officers/33029919010003.html"  # 欧阳明轩
SHANGPIN = "agencies/qingxi-scjgj/decisions/2025/2025-006.html"  # 青市监处罚〔2025〕6号
NOTICE = "agencies/qingxi-zhzf/decisions/2026/2026-019.html"  # withdrawal of 青综执罚〔2026〕19号
WITHDRAWN_PARTY = "东江市青溪区瑞丰建材有限公司"
EXPIRED_PARTY = "东江市青溪区晨曦副食品商行"
EXPIRED_DOC_NO = "青市监处罚〔2024〕58号"
# 双随机 results: found by the inspected party's name, at the party's row of the inspection.
FOOD_CHECKS = "agencies/qingxi-scjgj/inspections/2026-food-business.html"


@pytest.fixture(scope="module")
def demo() -> tuple[Corpus, PublicView]:
    corpus = validate_content(CONTENT).corpus
    return corpus, public_view(corpus, dt.date.fromisoformat(DEMO_AS_OF))


@pytest.fixture(scope="module")
def shards(demo_site: Path) -> Shards:
    return Shards(demo_site / "search")


# A sharding that exercises every path: many buckets, common terms, small stores.
SMALL = ShardSettings(bucket_bytes=600, common_df=6, store_size=7, verify_limit=40)


@pytest.fixture(scope="module")
def small_shards(
    demo: tuple[Corpus, PublicView], tmp_path_factory: pytest.TempPathFactory
) -> Shards:
    out = tmp_path_factory.mktemp("small")
    write_search_index(out, *demo, SMALL)
    return Shards(out / "search")


def pages(shards: Shards, text: str, **filters: str) -> list[str]:
    outcome = search(shards, text, filters)
    return [shards.shown(h.collection, h.number)[3] for h in outcome.hits]


# Segmentation ------------------------------------------------------------------------------


def test_han_runs_become_overlapping_bigrams() -> None:
    assert tokens("欧阳明轩") == ["欧阳", "阳明", "明轩"]
    assert tokens("欧") == ["欧"]
    assert tokens("张 某") == ["张", "某"]


def test_names_also_get_unigrams() -> None:
    assert tokens("欧阳明轩", name=True) == ["欧阳", "阳明", "明轩", "欧", "阳", "明", "轩"]
    assert tokens("欧", name=True) == ["欧"]  # a one-character run is its own token already


def test_ascii_runs_stay_whole_and_fold_to_lowercase() -> None:
    assert tokens("33029919010003") == ["33029919010003"]
    assert tokens("91330299MA2JL2TT51") == ["91330299ma2jl2tt51"]
    assert tokens("ＡＢＣ１２３") == ["abc123"]  # NFKC: full-width letters and digits


def test_every_bracket_variant_of_a_document_number_gives_the_same_tokens() -> None:
    expected = ["吴市", "市监", "监处", "处罚", "2024", "102", "2024_102", "号"]
    for text in (
        "吴市监处罚〔2024〕102号",
        "吴市监处罚[2024]102号",
        "吴市监处罚(2024)102号",
        "吴市监处罚（2024）102号",
        "吴市监处罚【2024】102号",
        "吴市监处罚［２０２４］１０２号",
        "吴市监处罚 2024 102号",
    ):
        assert tokens(text) == expected, text


def test_ascii_runs_far_apart_are_not_joined() -> None:
    assert tokens("2024年102号") == ["2024", "年", "102", "号"]  # a Han run between them
    assert "2024_102" not in tokens("2024 -- :: 102")  # more than three separators


def test_supplementary_plane_han_characters_are_characters() -> None:
    assert tokens("𠮷野家", name=True) == ["𠮷野", "野家", "𠮷", "野", "家"]


def test_query_tokens_are_unique_in_typed_order() -> None:
    assert query_tokens("明轩 明轩 欧") == ["明轩", "欧"]
    assert query_tokens("，。、！") == []
    assert normalise("ＡＢ（１）") == "ab(1)"


def test_fnv1a_matches_the_published_test_vectors() -> None:
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
    assert bucket_of("欧阳", 7) == fnv1a("欧阳") % 7


# What is indexed ---------------------------------------------------------------------------


def test_withdrawn_and_expired_decisions_are_never_indexed(demo_site: Path) -> None:
    for path in (demo_site / "search").rglob("*.json"):
        text = path.read_text("utf-8")
        for secret in (WITHDRAWN_PARTY, EXPIRED_PARTY, EXPIRED_DOC_NO, "瑞丰建材", "晨曦副食品"):
            assert secret not in text, f"{secret} in {path.name}"


def test_a_withdrawal_notice_is_found_by_its_document_number_only(shards: Shards) -> None:
    assert pages(shards, "青综执罚〔2026〕19号") == [NOTICE]
    assert pages(shards, WITHDRAWN_PARTY) == []
    assert pages(shards, "瑞丰建材") == []
    notice = search(shards, "青综执罚〔2026〕19号").hits[0]
    assert shards.shown(notice.collection, notice.number)[:2] == [
        "撤回公告：青综执罚〔2026〕19号",
        "文号：青综执罚〔2026〕19号　撤回原因：撤销",
    ]


def test_expired_decisions_are_not_found(shards: Shards) -> None:
    assert pages(shards, EXPIRED_PARTY) == []
    assert pages(shards, EXPIRED_DOC_NO) == []
    assert pages(shards, "晨曦副食品") == []


def test_natural_persons_are_indexed_by_their_masked_name_only(
    demo: tuple[Corpus, PublicView],
) -> None:
    person = next(d for d in demo[1].published if d.record.get("party", "kind") == "自然人")
    data = {**person.record.data, "party": {"name": "张三丰", "kind": "自然人"}}
    record = Record(person.record.kind, person.record.path, person.record.place, data, {})
    doc = decision_doc(PublicDecision(record, person.status, person.until, "张某"), "")
    assert "张某" in doc.terms and "张" in doc.terms  # the surname finds a natural person
    assert not {"张三", "三丰", "三", "丰"} & set(doc.terms)
    assert "张三" not in doc.title + doc.text + doc.extra


def test_every_indexed_token_can_be_checked_against_the_store(
    demo: tuple[Corpus, PublicView],
) -> None:
    """What makes skipping common tokens exact: a document's store entry and facets give back
    every token it was indexed under."""
    corpus, view = demo
    agencies = {r.key: str(r.get("name")) for r in corpus.of("agency")}
    docs = [
        *directory_docs(corpus, view.as_of),
        *decision_docs(corpus, view),
        *inspection_docs(corpus, view),
    ]
    for doc in docs:
        shown = [doc.title, doc.text, doc.date, doc.url, doc.extra]
        facets = {"category": doc.category, "year": doc.year}
        missing = set(doc.terms) - searchable(shown, agencies.get(doc.agency, ""), facets)
        assert not missing, f"{doc.url}: {sorted(missing)}"


def test_manifest_lists_shards_and_filters(demo_site: Path) -> None:
    manifest = json.loads((demo_site / "search/manifest.json").read_text("utf-8"))
    assert manifest["format"] == 2
    assert [a[0] for a in manifest["agencies"]] == [
        "qingxi-scjgj",
        "qingxi-slj",
        "qingxi-xsjd-zfd",
        "qingxi-zhzf",
    ]
    assert manifest["types"][-1] == ["inspection", "双随机抽查结果"]
    assert manifest["years"] == [2026, 2025, 2024]
    for name in ("directory", "decisions"):
        entry = manifest["collections"][name]
        assert entry["buckets"] >= 1 and entry["common"] == []  # the demo is small
        for k in range(entry["buckets"]):
            assert (demo_site / f"search/{name}/b{k}.json").is_file()
    assert (demo_site / "theme/js/lunr.min.js").is_file()


def test_shards_are_deterministic(demo: tuple[Corpus, PublicView], tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_search_index(first, *demo, SMALL)
    write_search_index(second, *demo, SMALL)
    files = sorted(p.relative_to(first) for p in (first / "search").rglob("*.json"))
    assert len(files) > 10
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_terms_go_to_the_bucket_of_their_hash(small_shards: Shards) -> None:
    entry = small_shards.manifest["collections"]["decisions"]
    assert entry["buckets"] > 5 and entry["common"]
    for k in range(entry["buckets"]):
        index = json.loads((small_shards.folder / f"decisions/b{k}.json").read_text("utf-8"))
        assert index["pipeline"] == []
        for term, _posting in index["invertedIndex"]:
            assert bucket_of(term, entry["buckets"]) == k
            assert term not in entry["common"]


def test_missing_lunr_js_fails_the_build_clearly(
    demo: tuple[Corpus, PublicView], tmp_path: Path
) -> None:
    with pytest.raises(SearchBuildError, match="make setup"):
        write_search_index(tmp_path, *demo, lunr_js=tmp_path / "node_modules/lunr/lunr.min.js")


def test_gongshi_build_without_lunr_js_exits_2_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(writer, "LUNR_SOURCE", tmp_path / "node_modules/lunr/lunr.min.js")
    code = main(["build", "--content", str(CONTENT), "--output", str(tmp_path / "site")])
    assert code == 2
    assert "lunr.js" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_terms_outside_the_bmp_are_written_in_javascript_order() -> None:
    """lunr.js rejects terms out of UTF-16 order; Python's order differs beyond U+FFFF."""
    index = build_index([("0", ["𠮷野", "野家", "ｚ", "豈"]), ("1", ["\uffe0", "𠮷"])], 2)
    terms = [t for t, _ in index["invertedIndex"]]
    assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))
    assert terms != sorted(terms)
    assert set(term_scores(load_index(index), "𠮷")) == {"1"}


def lunr_builder_index(documents: list[tuple[str, list[str], list[str]]], size: int) -> Any:
    """The same index through lunr.py's own builder (how the buckets were built before)."""
    builder = Builder()
    builder.pipeline, builder.search_pipeline = Pipeline(), Pipeline()
    builder.ref("id")
    builder.field(lunr_index.FIELD)
    builder.field(lunr_index.BODY, boost=lunr_index.BODY_BOOST)
    builder.k1(lunr_index.K1)
    builder.b(lunr_index.B)
    for ref, terms, body in documents:
        builder.add({"id": ref, lunr_index.FIELD: terms, lunr_index.BODY: body})
    builder.document_count = max(size, builder.document_count)
    serialised = builder.build().serialize()
    serialised["fieldVectors"] = [pair for pair in serialised["fieldVectors"] if pair[1]]
    serialised["invertedIndex"].sort(key=lambda pair: lunr_index.utf16_key(pair[0]))
    return serialised


@pytest.mark.parametrize("seed", range(20))
def test_buckets_are_written_exactly_as_lunr_builds_them(seed: int) -> None:
    """build_index writes the serialised index itself (lunr.py's builder was most of a large
    build): the same JSON, byte for byte, as lunr.py's builder with the same settings, for
    repeated terms, a term in both fields, empty fields and characters beyond the BMP."""
    rng = random.Random(seed)
    words = ["欧阳", "阳明", "明轩", "欧", "2026", "2026_44", "𠮷野", "豈", "罚款", "芹菜", "ｚ"]
    documents = [
        (
            ref_of(n),
            [rng.choice(words) for _ in range(rng.randrange(0, 8))],
            [rng.choice(words) for _ in range(rng.choice([0, 0, 3, 40]))],
        )
        for n in range(rng.randrange(1, 60))
    ]
    ours = json.dumps(build_index(documents, 500), ensure_ascii=False)
    assert ours == json.dumps(lunr_builder_index(documents, 500), ensure_ascii=False)


# Queries (lunr.py over the demo's shards) ------------------------------------------------------

CANONICAL = {
    "欧阳明轩": [OFFICER],
    "明轩": [OFFICER],
    "33029919010003": [OFFICER],
    "尚品装饰": [SHANGPIN],
    "东江市青溪区尚品装饰工程有限公司": [SHANGPIN],
    "青市监处罚〔2025〕6号": [SHANGPIN],
    "青市监处罚[2025]6号": [SHANGPIN],
    "青市监处罚(2025)6号": [SHANGPIN],
    "青市监处罚（2025）6号": [SHANGPIN],
    "青市监处罚【2025】6号": [SHANGPIN],
    "〔2025〕6号": [SHANGPIN],
    "91330299MA2JL2TT51": [SHANGPIN],
    WITHDRAWN_PARTY: [],
    EXPIRED_PARTY: [],
    "东江市青溪区溪畔人家餐饮有限公司": [
        "agencies/qingxi-scjgj/decisions/2024/2024-xk-045.html",
        f"{FOOD_CHECKS}#result-1",
    ],
    "晓月甜品": [f"{FOOD_CHECKS}#result-8"],
    "92330299MA2KC0L60X": [f"{FOOD_CHECKS}#result-8"],
    "不存在的名字": [],
}


@pytest.mark.parametrize(("text", "expected"), CANONICAL.items())
def test_canonical_queries(
    shards: Shards, small_shards: Shards, text: str, expected: list[str]
) -> None:
    assert pages(shards, text) == expected
    # Sharded otherwise, with common tokens set aside and checked: the same records.
    assert pages(small_shards, text) == expected


def test_a_surname_finds_the_officers_who_bear_it(shards: Shards) -> None:
    assert OFFICER in pages(shards, "欧")
    wang = pages(shards, "王")
    assert wang and all(p.startswith("officers/") or "decisions" in p for p in wang)
    assert pages(shards, "欧", type="decision") == []


def test_filters_narrow_the_results(shards: Shards) -> None:
    everything = pages(shards, "青市监")
    assert SHANGPIN in everything
    assert pages(shards, "青市监", year="2025") == [
        p for p in everything if "/decisions/2025/" in p
    ]
    assert pages(shards, "青市监", agency="qingxi-slj") == []
    assert pages(shards, "尚品装饰", type="decision", category="行政处罚") == [SHANGPIN]
    assert pages(shards, "尚品装饰", type="officer") == []
    assert pages(shards, "欧阳明轩", type="officer", category="市场监管综合执法") == [OFFICER]


def test_an_inspected_party_is_found_by_name_among_inspection_results(shards: Shards) -> None:
    assert pages(shards, "味香园", type="inspection") == [f"{FOOD_CHECKS}#result-5"]
    assert pages(shards, "味香园", type="decision") == [
        "agencies/qingxi-scjgj/decisions/2026/2026-023.html"
    ]
    assert pages(shards, "鲜丰源", year="2026") == [f"{FOOD_CHECKS}#result-3"]
    assert pages(shards, "鲜丰源", year="2025") == []


def test_results_do_not_depend_on_how_the_index_is_sharded(
    shards: Shards, small_shards: Shards
) -> None:
    compared = 0
    for text in (
        "尚品",
        "市监许",
        "广告",
        "有限公司 装饰",
        "王丽娟",
        "明轩",
        "青市监处罚 2025 6",
        "青综执罚",
    ):
        if search(small_shards, text).broad:  # every token common: not answered
            continue
        assert sorted(pages(small_shards, text)) == sorted(pages(shards, text)), text
        compared += 1
    assert compared >= 5


def test_a_query_of_common_tokens_only_is_reported_as_broad(small_shards: Shards) -> None:
    outcome = search(small_shards, "有限公司")
    assert outcome.hits == [] and "decisions" in outcome.broad


def test_a_portal_with_no_decision_yet_has_a_working_search(mini: Path, tmp_path: Path) -> None:
    """A new portal (or one whose decisions have all expired) has an empty decisions
    collection: it is written as an empty bucket that both lunr.py and lunr.js load, and a
    query finds the officers and simply nothing among the decisions."""
    for path in (mini / "agencies/demo-bureau/decisions").rglob("*.yaml"):
        path.unlink()
    corpus = validate_content(mini).corpus
    write_search_index(tmp_path, corpus, public_view(corpus, dt.date.fromisoformat(DEMO_AS_OF)))
    shards = Shards(tmp_path / "search")
    assert shards.manifest["collections"]["decisions"]["count"] == 0
    assert search(shards, "欧阳明轩").hits and not search(shards, "罚款").hits
    load_index(json.loads((tmp_path / "search/decisions/b0.json").read_text("utf-8")))
