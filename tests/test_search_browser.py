"""search.html in real Chromium (Debian's, through Python Playwright) on the built demo portal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from searchpage import ANSWERED, STATUS, open_search, query_string, result_links, wait_answered
from support import Gate, new_context, serve
from test_accessibility import AXE, serious_violations

playwright = pytest.importorskip("playwright.sync_api")

OFFICER = "officers/33029919010003.html"
SHANGPIN = "agencies/qingxi-scjgj/decisions/2025/2025-006.html"
# Records every text the status region shows, so a passing progress message can be checked,
# and the URL of every finished XMLHttpRequest: "loadend" fires after the page's own onload,
# so once a URL is listed here the page has handled that response.
WATCH = """
window.__statuses = [];
window.__loadend = [];
(function () {
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    xhr.addEventListener("loadend", function () { window.__loadend.push(xhr.responseURL); });
    return send.apply(this, arguments);
  };
}());
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("search-status");
  if (!status) { return; }
  new MutationObserver(function () { window.__statuses.push(status.textContent); })
    .observe(status, {childList: true, characterData: true, subtree: true});
});
"""


@pytest.fixture
def site(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def open_empty(page: Any, base: str) -> None:
    """search.html without a query, its index manifest loaded (the empty query is answered)."""
    page.goto(f"{base}/search.html")
    assert wait_answered(page, "") == "empty"


@pytest.mark.parametrize("query", ["欧阳明轩", "明轩", "欧", "33029919010003"])
def test_an_officer_is_found_by_name_part_surname_and_certificate(
    page: Any, site: str, query: str
) -> None:
    status = open_search(page, site, query)
    assert status.startswith("找到"), status
    assert OFFICER in result_links(page)
    item = page.locator(".search-result", has_text="欧阳明轩").first
    assert "执法人员" in item.inner_text()
    assert query in "".join(item.locator("mark").all_inner_texts())


@pytest.mark.parametrize("query", ["尚品装饰", "青市监处罚[2025]6号", "青市监处罚【2025】6号"])
def test_a_decision_is_found_by_party_fragment_and_document_number(
    page: Any, site: str, query: str
) -> None:
    status = open_search(page, site, query)
    assert status.startswith("找到 1 条"), status
    assert result_links(page) == [SHANGPIN]
    text = page.inner_text(".search-result")
    assert "执法决定" in text and "2025年2月20日" in text and "青溪区市场监督管理局" in text


@pytest.mark.parametrize("query", ["东江市青溪区瑞丰建材有限公司", "晨曦副食品商行"])
def test_withdrawn_and_expired_parties_find_nothing(page: Any, site: str, query: str) -> None:
    assert open_search(page, site, query).startswith("没有找到")
    assert result_links(page) == []
    assert page.is_hidden("#search-output")


def test_a_result_leads_to_the_record(page: Any, site: str) -> None:
    open_search(page, site, "33029919010003")
    page.click("#search-results a")
    page.wait_for_url(re.compile(re.escape(OFFICER)))
    assert "欧阳明轩" in page.inner_text("h1")


def test_filters_narrow_the_results_and_live_in_the_url(page: Any, site: str) -> None:
    open_search(page, site, "青市监")
    everything = result_links(page)
    assert len(everything) > 5
    page.select_option("#search-year", "2025")
    assert wait_answered(page, "青市监", year="2025") == "found"
    only_2025 = result_links(page)
    assert only_2025 and set(only_2025) < set(everything)
    assert all("/decisions/2025/" in link for link in only_2025)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["青市监"], "year": ["2025"]}
    open_search(page, site, "欧", type="officer")
    assert all(link.startswith("officers/") for link in result_links(page))
    assert page.input_value("#search-type") == "officer"


def test_the_back_button_restores_the_previous_search(page: Any, site: str) -> None:
    open_empty(page, site)
    page.fill("#search-q", "欧阳明轩")
    page.press("#search-q", "Enter")
    wait_answered(page, "欧阳明轩")
    assert result_links(page) == [OFFICER]
    page.fill("#search-q", "尚品装饰")
    page.click("#search-form button[type=submit]")
    wait_answered(page, "尚品装饰")
    assert result_links(page) == [SHANGPIN]
    assert urlsplit(page.url).query == query_string("尚品装饰").lstrip("?")
    page.go_back()
    wait_answered(page, "欧阳明轩")
    assert result_links(page) == [OFFICER]
    assert page.input_value("#search-q") == "欧阳明轩"
    page.go_back()
    assert wait_answered(page, "") == "empty"
    assert page.input_value("#search-q") == ""
    assert page.is_hidden("#search-output")


def test_the_home_page_form_searches(page: Any, site: str) -> None:
    page.goto(f"{site}/index.html")
    page.fill("#home-q", "尚品装饰")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    wait_answered(page, "尚品装饰")
    assert result_links(page) == [SHANGPIN]


def test_loading_several_shards_shows_progress(page: Any, site: str) -> None:
    open_search(page, site, "欧阳明轩")
    statuses = page.evaluate("window.__statuses")
    progress = [re.fullmatch(r"正在加载索引 (\d+)/(\d+)…", s) for s in statuses]
    assert any(m and int(m[2]) >= 2 for m in progress), statuses


def test_without_javascript_the_page_explains_itself(
    demo_site: Path, browser: Any, site: str
) -> None:
    html = (demo_site / "search.html").read_text("utf-8")
    assert "站内搜索需要浏览器启用 JavaScript" in html
    for target in ("officers/index.html", "decisions/index.html", "powers/index.html",
                   "agencies/index.html"):  # fmt: skip
        assert f'href="./{target}"' in html
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/search.html?q=欧阳明轩")
    assert page.is_visible("#search-nojs") and page.is_hidden("#search-form")
    context.close()


def test_with_javascript_the_explanation_is_hidden(page: Any, site: str) -> None:
    open_search(page, site, "欧阳明轩")
    assert page.is_hidden("#search-nojs") and page.is_visible("#search-form")


def test_search_page_with_results_has_no_serious_axe_violation(page: Any, site: str) -> None:
    assert AXE.is_file()
    open_search(page, site, "欧阳明轩")
    assert not serious_violations(page)
    page.click("#hc-toggle")
    assert not serious_violations(page)


def test_results_are_announced_only_once_they_are_on_screen(demo_site: Path, page: Any) -> None:
    """The status says "找到" and the done signal is set only after the list is rendered: with
    the result store held back, the page is still searching and shows no count."""
    stores = Gate("/search/directory/s")
    with serve(demo_site, stores) as base:
        open_empty(page, base)
        page.fill("#search-q", "欧阳明轩")
        page.press("#search-q", "Enter")
        stores.wait_arrived()
        assert page.get_attribute(STATUS, ANSWERED) is None
        assert not page.inner_text(STATUS).startswith("找到")
        assert result_links(page) == []
        stores.release()
        assert wait_answered(page, "欧阳明轩") == "found"
        assert result_links(page) == [OFFICER]
        assert page.inner_text(STATUS).startswith("找到 1 条")


def test_an_older_answer_never_replaces_a_newer_one(demo_site: Path, page: Any) -> None:
    """A slow answer to an earlier query arrives after a later query was answered: the later
    query's results and status stay (a slow phone, a user who types on)."""
    directory = Gate("/search/directory/")
    with serve(demo_site, directory) as base:
        open_empty(page, base)
        page.select_option("#search-type", "officer")
        page.fill("#search-q", "欧阳明轩")
        page.press("#search-q", "Enter")
        directory.wait_arrived()
        page.fill("#search-q", "尚品装饰")
        page.select_option("#search-type", "decision")  # a changed filter searches at once
        assert wait_answered(page, "尚品装饰", type="decision") == "found"
        assert result_links(page) == [SHANGPIN]
        directory.release()
        page.wait_for_function(
            "() => window.__loadend.some(url => url.indexOf('/search/directory/') >= 0)"
        )
        assert page.get_attribute(STATUS, ANSWERED) == query_string("尚品装饰", type="decision")
        assert result_links(page) == [SHANGPIN]
        assert page.inner_text(STATUS).startswith("找到 1 条")
