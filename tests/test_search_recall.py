"""Search recall (issue 12): words of the long texts, 文号 as people type them, and fragments of
certificate numbers and credit codes — in Python (lunr.py) and in Node (lunr.js), which must
agree. The browser side is tests/test_search_recall_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import DEMO_AS_OF
from gongshi_records import Corpus, validate_content
from gongshi_records.identifiers import normalise_doc_no
from gongshi_records.publication import PublicView, public_view
from gongshi_search import ShardSettings, tokens, write_search_index
from gongshi_search.documents import SearchDoc, decision_docs, directory_docs, inspection_docs
from gongshi_search.query import (
    Hit,
    Outcome,
    Shards,
    body_path,
    has_body,
    search,
    searchable,
    store_path,
)
from gongshi_search.shards import HAS_BODY
from gongshi_search.texts import decision_body
from gongshi_search.tokens import code_grams, fragment_tokens, query_tokens
from gongshi_search.writer import write_collections
from test_search_node import answer, node, same_answers

CONTENT = Path(__file__).parents[1] / "content"
CELERY = "agencies/qingxi-scjgj/decisions/2026/2026-044.html"  # 青市监处罚〔2026〕44号
OFFICER = "officers/33029919010003.html"  # 欧阳明轩
FOOD_CHECKS = "agencies/qingxi-scjgj/inspections/2026-food-business.html"
WITHDRAWN = "agencies/qingxi-zhzf/decisions/2026/2026-019.yaml"  # 青综执罚〔2026〕19号

DOC_NO_VARIANTS = [
    "青市监处罚〔2026〕44号",
    "青市监处罚〔2026〕第44号",
    "青市监处罚〔2026〕044号",
    "青市监处罚[2026]44号",
    "青市监处罚(2026)44号",
    "青市监处罚（2026）44号",
    "青市监处罚【2026】44号",
    "青市监处罚〔２０２６〕４４号",
    "青市监处罚 〔2026〕 第 044 号",
    "青市监处罚［2026］第０４４号",
]


@pytest.fixture(scope="module")
def demo() -> tuple[Corpus, PublicView]:
    corpus = validate_content(CONTENT).corpus
    return corpus, public_view(corpus, dt.date.fromisoformat(DEMO_AS_OF))


@pytest.fixture(scope="module")
def shards(demo_site: Path) -> Shards:
    return Shards(demo_site / "search")


# Deliberately fine: many buckets, common terms, small stores (checks and fallbacks all occur).
SMALL = ShardSettings(bucket_bytes=600, common_df=6, store_size=7, verify_limit=40)


@pytest.fixture(scope="module")
def small_folder(demo: tuple[Corpus, PublicView], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("recall-small")
    write_search_index(out, *demo, SMALL)
    return out / "search"


def pages(shards: Shards, text: str, **filters: str) -> list[str]:
    return [shards.shown(h.collection, h.number)[3] for h in search(shards, text, filters).hits]


def text_of(shards: Shards, hit: Hit) -> str:
    """A result's store entry and (when it has one) body, as one string."""
    shown = shards.shown(hit.collection, hit.number)
    body = shards.body(hit.collection, hit.number) if has_body(shown) else ""
    return "".join(str(value) for value in shown) + body


# Segmentation ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", DOC_NO_VARIANTS)
def test_every_spelling_of_a_document_number_gives_the_standard_tokens(typed: str) -> None:
    assert tokens(typed) == tokens("青市监处罚〔2026〕44号")
    assert tokens(typed) == tokens(normalise_doc_no(typed))  # the records' one normaliser
    assert "2026_44" in tokens(typed)


def test_only_document_numbers_are_rewritten() -> None:
    assert tokens("欧阳 明轩") == ["欧阳", "明轩"]  # spaces elsewhere still separate
    assert tokens("第044号") == ["第", "044", "号"]  # no year in brackets: not a 文号
    assert tokens("罚款050元") == ["罚款", "050", "元"]


def test_codes_get_four_grams_and_queries_can_be_read_as_fragments() -> None:
    assert code_grams("33029919010003")[-3:] == ["0100", "1000", "0003"]
    assert len(code_grams("91330299MA2HAGGEJ9")) == 15
    assert code_grams("2026") == [] and code_grams("青市监") == []
    assert fragment_tokens("010003") == ["0100", "1000", "0003"]
    assert fragment_tokens("王某 ma2hag") == ["王某", "ma2h", "a2ha", "2hag"]
    assert fragment_tokens("0003") is None  # four characters are a token already
    assert fragment_tokens("欧阳明轩") is None


def test_javascript_segments_document_numbers_and_fragments_the_same() -> None:
    cases = [*DOC_NO_VARIANTS, "〔2026〕第0号", "第044号", "欧阳 明轩", "010003", "王某 MA2HAG",
             "91330299MA2HAGGEJ9", "0003", "", "【2026】第44号、(2025)07号"]  # fmt: skip
    plain = node("--tokens", stdin=cases)
    assert [answer[0] for answer in plain] == [tokens(text) for text in cases]
    assert [answer[2] for answer in plain] == [query_tokens(text) for text in cases]
    recall = node("--recall-tokens", stdin=cases)
    assert recall == [[code_grams(text), fragment_tokens(text)] for text in cases]


# What is indexed --------------------------------------------------------------------------


def test_every_body_token_can_be_checked_against_the_store(
    demo: tuple[Corpus, PublicView],
) -> None:
    """The check of tokens not looked up stays exact: the store entry and the body file give
    back every token a document was indexed under."""
    corpus, view = demo
    agencies = {r.key: str(r.get("name")) for r in corpus.of("agency")}
    docs = [
        *directory_docs(corpus, view.as_of),
        *decision_docs(corpus, view),
        *inspection_docs(corpus, view),
    ]
    assert sum(1 for doc in docs if doc.body) >= 30
    for doc in docs:
        shown = [doc.title, doc.text, doc.date, doc.url, doc.extra]
        facets = {"category": doc.category, "year": doc.year}
        indexed = set(doc.terms) | set(tokens(doc.body))
        missing = indexed - searchable(shown, agencies.get(doc.agency, ""), facets, doc.body)
        assert not missing, f"{doc.url}: {sorted(missing)}"


def test_a_withdrawn_decision_has_no_body_in_search(
    demo: tuple[Corpus, PublicView], demo_site: Path
) -> None:
    corpus, _ = demo
    record = next(r for r in corpus.of("decision") if r.path.endswith(WITHDRAWN))
    facts = str(record.get("facts"))
    sentence = facts.strip().split("，")[0]
    assert len(sentence) >= 6, sentence
    for path in (demo_site / "search").rglob("*.json"):
        assert sentence not in path.read_text("utf-8"), path


# Queries on the demo ---------------------------------------------------------------------


def test_a_word_of_the_facts_finds_the_decision(shards: Shards) -> None:
    assert pages(shards, "毒死蜱") == [CELERY]  # the pesticide, named only in the facts


def test_the_legal_basis_finds_the_decisions_that_cite_it(shards: Shards) -> None:
    found = pages(shards, "食品安全法")
    assert CELERY in found and len(found) >= 5
    assert all("/decisions/" in page for page in found)
    for hit in search(shards, "食品安全法").hits:
        assert "食品安全法" in text_of(shards, hit)


def test_a_penalty_word_finds_the_penalties(shards: Shards) -> None:
    found = pages(shards, "罚款", type="decision")
    assert CELERY in found and len(found) >= 10


def test_an_inspection_finding_finds_the_inspected_party(shards: Shards) -> None:
    assert any(page.startswith(FOOD_CHECKS + "#") for page in pages(shards, "健康证明"))


@pytest.mark.parametrize("typed", DOC_NO_VARIANTS)
def test_every_spelling_of_a_document_number_finds_the_one_decision(
    shards: Shards, typed: str
) -> None:
    assert pages(shards, typed) == [CELERY]


def test_a_document_number_without_agency_code_still_finds_it(shards: Shards) -> None:
    assert CELERY in pages(shards, "〔2026〕第044号")


def test_a_fragment_of_a_certificate_number_finds_the_officer(shards: Shards) -> None:
    assert pages(shards, "010003") == [OFFICER]  # the last six digits
    assert pages(shards, "9010003") == [OFFICER]
    assert pages(shards, "33029919010003") == [OFFICER]  # whole: found on the first pass
    assert OFFICER not in pages(shards, "003")  # fewer than four characters: no fragments


def test_a_fragment_of_a_credit_code_finds_its_records(shards: Shards) -> None:
    found = pages(shards, "MA2HAGGE")  # the middle of 91330299MA2HAGGEJ9
    assert CELERY in found
    for hit in search(shards, "ma2hagge").hits:
        assert "MA2HAGGE" in text_of(shards, hit).upper()


def test_a_mistyped_number_whose_grams_are_all_in_another_finds_nothing(tmp_path: Path) -> None:
    """Every 4-gram of 330299000000000001 is in 33029900000001: the fragment pass keeps only a
    record whose code holds the typed digits in one piece (Python and lunr.js alike)."""
    cert = "33029900000001"
    terms = tokens(f"欧阳明轩 {cert}") + code_grams(cert)
    officer = SearchDoc(
        "officer",
        "a",
        "",
        "综合执法",
        ("1",),
        terms,
        "欧阳明轩",
        "",
        "o.html",
        f"{cert} · 综合执法",
    )
    agency = SearchDoc("agency", "a", "", "", ("a",), tokens("某局"), "某局", "", "a.html", "")
    write_collections(tmp_path, {"directory": [agency, officer], "decisions": []}, {"a": "某局"},
                      ShardSettings())  # fmt: skip
    folder = tmp_path / "search"
    shards = Shards(folder)
    queries: list[tuple[str, dict[str, str]]] = [
        ("330299000000000001", {}), ("3302990000000001", {}), ("9900000001", {}), ("000001", {})
    ]  # fmt: skip
    expected = [answer(search(shards, text, filters)) for text, filters in queries]
    assert [bool(found["refs"]) for found in expected] == [False, False, True, True]
    same_answers(folder, queries, expected)


def test_fragments_are_only_those_of_certificates_and_credit_codes(shards: Shards) -> None:
    """A power-list code (330299-CF-001) is found whole, not by a fragment of it."""
    assert any("/powers/" in page for page in pages(shards, "330299-CF-001"))
    assert not any("/powers/" in page for page in pages(shards, "30299-CF"))


def test_names_and_numbers_rank_before_mentions_in_the_texts(tmp_path: Path) -> None:
    """A record whose identifying fields hold the query comes before one whose body mentions it
    more often: the body field's weight is a quarter."""

    def doc(order: str, name: str, body: str) -> SearchDoc:
        return SearchDoc("decision", "a", "2026", "行政处罚", (order,), tokens(name), name,
                         "", f"{order}.html", name, body=body)  # fmt: skip

    docs = [
        doc("1", "某某公司", "经查，当事人销售绿源芹菜，绿源芹菜，绿源芹菜。"),
        doc("2", "绿源芹菜店", "经查，当事人未按规定明码标价。"),
    ]
    agency = SearchDoc("agency", "a", "", "", ("a",), tokens("某局"), "某局", "", "a.html", "")
    collections: dict[str, Iterable[SearchDoc]] = {"directory": [agency], "decisions": docs}
    write_collections(tmp_path, collections, {"a": "某局"}, ShardSettings())
    assert pages(Shards(tmp_path / "search"), "绿源芹菜") == ["2.html", "1.html"]


# Node and Python agree -------------------------------------------------------------------

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("毒死蜱", {}),
    ("食品安全法", {}),
    ("罚款", {"type": "decision"}),
    ("罚款 芹菜", {}),
    ("健康证明", {}),
    *((typed, {}) for typed in DOC_NO_VARIANTS[1:5]),
    ("〔2026〕第044号", {}),
    ("010003", {}),
    ("33029919010003", {}),
    ("MA2HAGGE", {}),
    ("ma2hagge", {"type": "decision"}),
    ("30299-CF", {}),
    ("王某 0003", {}),
]


@pytest.mark.parametrize("where", ["demo", "small"])
def test_lunr_js_finds_what_lunr_py_finds(demo_site: Path, small_folder: Path, where: str) -> None:
    folder = demo_site / "search" if where == "demo" else small_folder
    shards = Shards(folder)
    expected = [answer(search(shards, text, filters)) for text, filters in QUERIES]
    same_answers(folder, QUERIES, expected)
    # 30299-CF and 王某 0003 find nothing; with common_df=6, 食品安全法 and 罚款 are too common
    assert sum(1 for found in expected if found["refs"]) >= len(QUERIES) - (
        2 if where == "demo" else 4
    )


def test_the_small_sharding_finds_what_the_demo_sharding_finds(
    demo_site: Path, small_folder: Path
) -> None:
    big, small = Shards(demo_site / "search"), Shards(small_folder)
    manifest = json.loads((small_folder / "manifest.json").read_text("utf-8"))
    assert manifest["collections"]["decisions"]["common"]  # common terms occur here
    for text in ("毒死蜱", "罚款 芹菜", "010003", "MA2HAGGE", "青市监处罚〔2026〕第044号"):
        assert sorted(pages(big, text)) == sorted(pages(small, text)), text


# Body files: fetched only to check a token the store entry does not give --------------------


def body_files(outcome: Outcome) -> list[str]:
    return sorted({name for name in outcome.files if re.search(r"/t\d+\.json$", name)})


def test_a_common_word_of_the_facts_is_checked_in_the_body_file(small_folder: Path) -> None:
    """With common_df=6, 罚款 is common: 芹菜 is looked up and 罚款 checked. The celery
    decision's store entry (title, party, violation) does not say 罚款, its body does: the
    body file is fetched, for that decision only, and by lunr.js too."""
    shards = Shards(small_folder)
    outcome = search(shards, "罚款 芹菜")
    assert [shards.shown(h.collection, h.number)[3] for h in outcome.hits] == [CELERY]
    hit = outcome.hits[0]
    assert body_files(outcome) == [body_path(shards.manifest, hit.collection, hit.number)]
    store = json.loads((small_folder / store_path(shards.manifest, "decisions", hit.number))
                       .read_text("utf-8"))  # fmt: skip
    assert "罚款" not in json.dumps(store, ensure_ascii=False)  # the stores carry no body
    same_answers(small_folder, [("罚款 芹菜", {})], [answer(outcome)])


def test_a_token_the_store_gives_needs_no_body_file(small_folder: Path) -> None:
    """青溪区 is common too, but every decision's party and agency name give it: no body file."""
    shards = Shards(small_folder)
    outcome = search(shards, "青溪区 芹菜")
    assert CELERY in [shards.shown(h.collection, h.number)[3] for h in outcome.hits]
    assert body_files(outcome) == []
    assert any("/s" in name for name in outcome.files)  # checked against the store only
    same_answers(small_folder, [("青溪区 芹菜", {})], [answer(outcome)])


def test_only_documents_with_a_body_have_one_in_the_body_files(small_folder: Path) -> None:
    """The directory has no long texts: no body file; a store entry says when there is one."""
    assert not list((small_folder / "directory").glob("t*.json"))
    for path in (small_folder / "decisions").glob("s*.json"):
        bodies_file = path.with_name("t" + path.name[1:])
        entries = json.loads(path.read_text("utf-8"))
        flagged = [len(e) > 5 and e[5] == HAS_BODY for e in entries]
        if not any(flagged):
            assert not bodies_file.exists()
            continue
        bodies = json.loads(bodies_file.read_text("utf-8"))
        assert len(bodies) == len(entries)
        assert flagged == [bool(body) for body in bodies]


def test_the_penalty_kinds_are_part_of_the_body(demo: tuple[Corpus, PublicView]) -> None:
    """A decision is found by its penalty kinds even where its content names only one."""
    fined = [d.record for d in demo[1].published if d.record.get("penalty", "kinds")]
    assert fined
    for record in fined:
        kinds = record.get("penalty", "kinds")
        assert "、".join(kinds) in decision_body(record).splitlines()
