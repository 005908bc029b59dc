"""Driving search.html in a test: wait for the page's done signal, never for time.

The page sets ``data-answered`` on ``#search-status`` to the canonical query string of the
search whose results are on screen (docs/search.md, "The done signal"), and ``data-outcome`` to
found | none | broad | empty | failed. Every browser test that searches waits through
``wait_answered``; test_browser_waits.py keeps it that way.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

STATUS = "#search-status"
ANSWERED = "data-answered"
OUTCOME = "data-outcome"
OUTCOMES = ("found", "none", "broad", "empty", "failed")
# The order search.js writes the fields in; empty fields are left out.
FIELDS = ("q", "type", "agency", "year", "category")
# encodeURIComponent leaves these unescaped besides letters, digits and -_.~
_URI_COMPONENT_SAFE = "!*'()"


def query_string(q: str, **filters: str) -> str:
    """The query string search.js writes for this search: ``?q=…&year=…`` or ``""``."""
    unknown = set(filters) - set(FIELDS)
    assert not unknown, f"search.html has no filter {unknown}"
    state = {"q": q, **filters}
    parts = [f"{name}={quote(state[name], safe=_URI_COMPONENT_SAFE)}"
             for name in FIELDS if state.get(name)]  # fmt: skip
    return "?" + "&".join(parts) if parts else ""


def wait_answered(page: Any, q: str, **filters: str) -> str:
    """Waits until the results of exactly this search are on screen; returns the outcome."""
    expected = query_string(q, **filters)
    page.wait_for_function(
        """([selector, name, expected]) => {
             const status = document.querySelector(selector);
             return status !== null && status.getAttribute(name) === expected;
           }""",
        arg=[STATUS, ANSWERED, expected],
    )
    outcome = str(page.get_attribute(STATUS, OUTCOME))
    assert outcome in OUTCOMES, outcome
    return outcome


def open_search(page: Any, base: str, q: str, **filters: str) -> str:
    """Opens search.html for this search and waits for its answer; returns the status text."""
    page.goto(f"{base}/search.html{query_string(q, **filters)}")
    wait_answered(page, q, **filters)
    return str(page.inner_text(STATUS))


def result_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#search-results .result-title a", "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.removeprefix("./") for href in hrefs]
