"""Search recall in real Chromium on the built demo portal: the labelled queries of issue 12 —
words of the facts and the legal basis, a product named in the facts, 文号 as people type them,
fragments of a certificate number and a credit code — answered by search.html itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from searchpage import open_search, result_links
from support import new_context, serve

playwright = pytest.importorskip("playwright.sync_api")

CELERY = "agencies/qingxi-scjgj/decisions/2026/2026-044.html"  # 青市监处罚〔2026〕44号
OFFICER = "officers/33029919010003.html"  # 欧阳明轩, 33029919010003
FOOD_CHECKS = "agencies/qingxi-scjgj/inspections/2026-food-business.html"

# (label, query, a page that must be among the results, whether it must be the only one)
LABELLED = [
    ("facts word", "毒死蜱", CELERY, True),
    ("product in facts", "芹菜 罚款", CELERY, True),
    ("legal basis", "食品安全法", CELERY, False),
    ("penalty word", "罚款", CELERY, False),
    ("inspection finding", "健康证明", FOOD_CHECKS + "#result-2", False),
    ("文号 with 第", "青市监处罚〔2026〕第44号", CELERY, True),
    ("文号 with a leading zero", "青市监处罚〔2026〕044号", CELERY, True),
    ("文号 with other brackets", "青市监处罚【2026】44号", CELERY, True),
    ("文号 with square brackets", "青市监处罚[2026]44号", CELERY, True),
    ("文号 with round brackets", "青市监处罚(2026)44号", CELERY, True),
    ("文号 full width, spaces", "青市监处罚（２０２６） 第 ０４４ 号", CELERY, True),
    ("certificate fragment", "010003", OFFICER, True),
    ("credit-code fragment", "MA2HAGGE", CELERY, True),
]


@pytest.fixture(scope="module")
def site(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.parametrize(
    ("label", "query", "expected", "only"), LABELLED, ids=[c[0] for c in LABELLED]
)
def test_labelled_query_finds_its_record(
    page: Any, site: str, label: str, query: str, expected: str, only: bool
) -> None:
    status = open_search(page, site, query)
    assert status.startswith("找到"), f"{label}: {status}"
    links = result_links(page)
    if only:
        assert links == [expected], f"{label}: {links}"
    else:
        assert expected in links or len(links) >= 20, f"{label}: {links}"


def test_a_name_ranks_before_a_mention_in_the_facts(page: Any, site: str) -> None:
    """The party's name finds its decision first, ahead of records that only mention it."""
    open_search(page, site, "绿源生鲜超市")
    assert result_links(page)[0] == CELERY


def test_three_digits_are_not_a_fragment(page: Any, site: str) -> None:
    open_search(page, site, "003")
    assert OFFICER not in result_links(page)
