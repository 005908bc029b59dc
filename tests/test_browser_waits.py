"""Browser tests wait for conditions, never for time (CI runs on a busy machine).

Checks the test sources themselves, so tests written later keep the rule: no sleeps, every
browser context made by ``support.new_context`` (the one last-guard timeout), and every test
that opens the search page waits for its done signal, which search.js, the test helper and
docs/search.md name alike.
"""

from __future__ import annotations

import re
from pathlib import Path

import searchpage
from support import ROOT

TESTS = Path(__file__).parent
SUPPORT = {"support.py", "searchpage.py", Path(__file__).name}


def browser_test_sources() -> dict[str, str]:
    sources = {}
    for path in sorted([*TESTS.glob("*.py"), *(ROOT / "bench").glob("*.py")]):
        text = path.read_text("utf-8")
        if path.name not in SUPPORT and re.search(r"playwright|\bpage\.", text):
            sources[path.relative_to(ROOT).as_posix()] = text
    return sources


def test_there_are_browser_tests_to_check() -> None:
    assert "tests/test_search_browser.py" in browser_test_sources()


def test_no_browser_test_waits_for_time() -> None:
    pattern = re.compile(r"wait_for_timeout|time\.sleep|\bsleep\(|setTimeout")
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, text in browser_test_sources().items()
        for number, line in enumerate(text.splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "wait for a condition instead:\n" + "\n".join(found)


def test_every_context_gets_the_last_guard_timeout() -> None:
    pattern = re.compile(r"\.new_context\(|\.new_page\(|chromium\.launch\(")
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, text in browser_test_sources().items()
        for number, line in enumerate(text.splitlines(), 1)
        if pattern.search(line) and "context.new_page(" not in line
    ]
    assert not found, "use support.launch() and support.new_context():\n" + "\n".join(found)


def test_every_search_page_test_waits_for_the_done_signal() -> None:
    for name, text in browser_test_sources().items():
        if name.startswith("tests/") and "search.html" in text:
            assert re.search(r"\b(wait_answered|open_search)\(", text), (
                f"{name} opens search.html: wait with searchpage.wait_answered()"
            )


def test_the_done_signal_is_named_alike_in_page_helper_and_docs() -> None:
    script = (ROOT / "theme/static/js/search.js").read_text("utf-8")
    docs = (ROOT / "docs/search.md").read_text("utf-8")
    assert f'var ANSWERED = "{searchpage.ANSWERED}";' in script
    assert f'var OUTCOME = "{searchpage.OUTCOME}";' in script
    for outcome in searchpage.OUTCOMES:
        assert f'"{outcome}"' in script, outcome
        assert f"`{outcome}`" in docs, outcome
    assert f"`{searchpage.ANSWERED}`" in docs and f"`{searchpage.OUTCOME}`" in docs
