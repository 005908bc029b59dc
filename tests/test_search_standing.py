"""What search results say about officers and what search.html suggests typing, on the Python
side: the officer document carries the effective standing of the build's date, the manifest
the badge class of every standing, both from gongshi_records.standing, so a result's badge is
the officer page's badge (tests/test_search_phone.py checks it in Chromium).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from conftest import DEMO_AS_OF
from gongshi_records import Corpus, Record, validate_content
from gongshi_records.publication import PublicView, public_view
from gongshi_records.registry import Kind
from gongshi_records.standing import (
    BADGE_INVALID,
    BADGE_VALID,
    STANDING_VALUES,
    standing,
    standing_badges,
)
from gongshi_records.urls import page_of
from gongshi_search.documents import officer_doc
from gongshi_search.examples import search_examples
from gongshi_search.query import Shards, search
from gongshi_search.tokens import tokens

CONTENT = Path(__file__).parents[1] / "content"
AS_OF = dt.date.fromisoformat(DEMO_AS_OF)
# The officer page's status field: <dt>证件状态</dt><dd><span class="badge …">label</span>
PAGE_BADGE = re.compile(r'<dt>证件状态</dt><dd><span class="badge ([\w-]+)"[^>]*>([^<]+)</span>')


@pytest.fixture(scope="module")
def demo() -> tuple[Corpus, PublicView]:
    corpus = validate_content(CONTENT).corpus
    return corpus, public_view(corpus, AS_OF)


def officers(corpus: Corpus) -> list[Record]:
    return sorted(corpus.of(Kind.OFFICER), key=lambda r: r.key)


def test_the_demo_has_officers_of_every_kind_of_standing(demo: tuple[Corpus, PublicView]) -> None:
    labels = {standing(r, AS_OF).label for r in officers(demo[0])}
    assert {"有效", "已过期", "暂扣", "注销", "离岗"} <= labels


def test_an_officer_document_carries_its_standing_on_the_build_date(
    demo: tuple[Corpus, PublicView],
) -> None:
    for record in officers(demo[0]):
        doc = officer_doc(record, "", AS_OF)
        assert doc.extra == standing(record, AS_OF).label, record.key
        assert "证件状态" not in doc.text  # the badge says it, the line does not repeat it
        assert set(tokens(doc.extra)) <= set(doc.terms)  # found by it, as before
    suspended = next(r for r in officers(demo[0]) if r.get("status") == "暂扣")
    later = suspended.date("valid_until")
    assert later is not None and later > AS_OF  # still within its dates, and yet not valid
    assert officer_doc(suspended, "", AS_OF).extra == "暂扣"


def test_the_standing_follows_the_as_of_date(demo: tuple[Corpus, PublicView]) -> None:
    valid = next(r for r in officers(demo[0]) if standing(r, AS_OF).valid)
    until = valid.date("valid_until")
    assert until is not None
    assert officer_doc(valid, "", until).extra == "有效"
    assert officer_doc(valid, "", until + dt.timedelta(days=1)).extra == "已过期"


def test_every_standing_has_one_badge_class() -> None:
    badges = standing_badges()
    assert list(badges) == list(STANDING_VALUES)
    assert badges["有效"] == BADGE_VALID
    assert {label for label, badge in badges.items() if badge == BADGE_INVALID} == set(
        STANDING_VALUES
    ) - {"有效"}


def test_the_manifest_gives_the_badge_classes(demo_site: Path) -> None:
    manifest = json.loads((demo_site / "search/manifest.json").read_text("utf-8"))
    assert manifest["standings"] == {
        "badges": [[label, badge] for label, badge in standing_badges().items()],
        "valid": "有效",
        "expired": "已过期",
    }


def test_each_officer_in_the_index_has_the_badge_of_its_page(demo_site: Path) -> None:
    """For every officer of the demo: the store's standing label with the manifest's class is
    exactly the badge its built page shows."""
    manifest = json.loads((demo_site / "search/manifest.json").read_text("utf-8"))
    classes = dict(manifest["standings"]["badges"])
    store = json.loads((demo_site / "search/directory/s0.json").read_text("utf-8"))
    entries = [e for e in store if e[3].startswith("officers/")]
    assert len(entries) >= 20
    for title, _text, _date, url, label in entries:
        built = (demo_site / url).read_text("utf-8")
        found = PAGE_BADGE.search(built)
        assert found, url
        assert (classes[label], label) == (found[1], html.unescape(found[2])), (title, url)


def test_examples_are_real_queries_that_find_their_record(
    demo: tuple[Corpus, PublicView], demo_site: Path
) -> None:
    corpus, view = demo
    examples = search_examples(corpus, view)
    assert [e.label for e in examples] == [
        "执法人员姓名",
        "执法证号",
        "当事人名称",
        "文号",
        "权责清单事项",
        "执法主体",
    ]
    assert examples == search_examples(corpus, view)  # deterministic
    officer = corpus.officers()[examples[1].query]
    assert standing(officer, AS_OF).valid and officer.get("name") == examples[0].query
    shards = Shards(demo_site / "search")
    for example in examples:
        found = [
            shards.shown(h.collection, h.number)[3] for h in search(shards, example.query).hits
        ]
        assert found, example
    assert page_of(officer) in [
        shards.shown(h.collection, h.number)[3] for h in search(shards, examples[1].query).hits
    ]
    assert examples[3].query in {str(d.record.get("doc_no")) for d in view.published}


def test_a_natural_person_is_never_an_example(demo: tuple[Corpus, PublicView]) -> None:
    corpus, view = demo
    parties = {e.query for e in search_examples(corpus, view) if e.label == "当事人名称"}
    natural = {d.party_name for d in view.published if d.record.get("party", "kind") == "自然人"}
    assert parties and not parties & natural


def test_the_search_page_lists_the_examples_as_links(
    demo: tuple[Corpus, PublicView], demo_site: Path
) -> None:
    built = (demo_site / "search.html").read_text("utf-8")
    for example in search_examples(*demo):
        assert f">{html.escape(example.query, quote=False)}</a>" in built, example
    assert built.count('href="./search.html?q=') == len(search_examples(*demo))
