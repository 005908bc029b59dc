"""Every public page type in real Chromium under exactly the headers docs/deploy.md gives nginx.

The policy lives in one place, the nginx configuration in docs/deploy.md: this test reads the
`add_header` lines of its `location /zfgs/` block and of the shared headers snippet, serves the
built demo site under /zfgs/ with those headers, loads one page of each public type, and
requires that no `securitypolicyviolation` event fires and no CSP error reaches the console.

A violation event is delivered as a task after the fact, so each page ends with a canary: the
test makes the page load an image from another origin, which the policy must refuse, and waits
for that violation (event and console line). Everything the page itself violated was reported
before it, so the wait is for a condition, never for time, and a broken listener fails the test
instead of passing it.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest
from gongshi_admin.config import AdminSettings, content_security_policy
from searchpage import open_search, query_string, wait_answered
from support import ROOT, new_context

playwright = pytest.importorskip("playwright.sync_api")

DEPLOY = ROOT / "docs/deploy.md"
PREFIX = "/zfgs/"  # the sub-path of docs/deploy.md's nginx example
SNIPPET = "# /etc/nginx/snippets/gongshi-headers.conf"
CANARY = "https://csp-canary.invalid/canary.png"
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
# One page of every public page type of the demo site (the file must exist: a renamed page
# fails here rather than being skipped).
PAGES = {
    "home": "index.html",
    "agency list": "agencies/index.html",
    "agency hub": "agencies/qingxi-scjgj/index.html",
    "officer roster": "officers/index.html",
    "agency officers": "agencies/qingxi-scjgj/officers.html",
    "officer": "officers/33029919010003.html",
    "power list": "powers/index.html",
    "agency power list": "agencies/qingxi-scjgj/powers/index.html",
    "power item": "agencies/qingxi-scjgj/powers/330299-CF-001.html",
    "flowchart": "agencies/qingxi-zhzf/flowcharts/license-general.html",
    "discretion": "agencies/qingxi-scjgj/discretion/330299-CF-001.html",
    "service guide": "agencies/qingxi-scjgj/service-guides/food-business-license.html",
    "av list": "agencies/qingxi-scjgj/av-list.html",
    "inspection": "agencies/qingxi-scjgj/inspections/2026-food-business.html",
    "review catalogue": "agencies/qingxi-scjgj/review-catalog.html",
    "decision list": "decisions/index.html",
    "decision": "agencies/qingxi-scjgj/decisions/2025/2025-006.html",
    "withdrawn list": "decisions/withdrawn.html",
    "withdrawal notice": "agencies/qingxi-zhzf/decisions/2026/2026-019.html",
    "statistics": "statistics/index.html",
    "statistics year (charts)": "statistics/2025.html",
    "agency statistics": "agencies/qingxi-scjgj/statistics/2025.html",
    "supervision": "supervision/index.html",
    "agency supervision": "agencies/qingxi-scjgj/supervision.html",
    "data": "data/index.html",
    "about": "pages/about.html",
    "verify": "verify.html",
    "feeds page (feeds.js)": "feeds/index.html",
    "all inspections": "inspections/index.html",
    "all flowcharts": "flowcharts/index.html",
}
SEARCH = "尚品装饰"  # finds a decision (tests/test_search_browser.py)


def _add_headers(block: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*add_header ([\w-]+) "([^"]*)" always;$', block, re.M))


def _location(text: str, path: str) -> str:
    match = re.search(rf"^    location {re.escape(path)} \{{\n(.*?)^    \}}", text, re.M | re.S)
    assert match, f"docs/deploy.md has no nginx block “location {path}”"
    return match.group(1)


def deploy_headers(location: str) -> dict[str, str]:
    """The headers nginx sends for ``location``, as docs/deploy.md configures them: the shared
    snippet's and the location's own."""
    text = DEPLOY.read_text("utf-8")
    snippet = re.search(rf"^```nginx\n{re.escape(SNIPPET)}.*?\n(.*?)^```", text, re.M | re.S)
    assert snippet, f"docs/deploy.md has no ```nginx block starting “{SNIPPET}”"
    block = _location(text, location)
    assert f"include /etc/nginx/snippets/{SNIPPET.rsplit('/', 1)[1]};" in block
    return {**_add_headers(snippet.group(1)), **_add_headers(block)}


def directives(policy: str) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def test_the_public_policy_is_strict() -> None:
    headers = deploy_headers(PREFIX)
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert {"Referrer-Policy", "Permissions-Policy", "Strict-Transport-Security"} <= set(headers)


def test_the_admin_header_is_the_policy_the_admin_pages_carry() -> None:
    """docs/deploy.md's admin/ header = the forms' own meta policy (gongshi_admin) for the
    example's forge, plus frame-ancestors, which a meta tag cannot set."""
    backend = {
        "name": "gitea",
        "repo": "zfgs/portal",
        "base_url": "https://git.example.gov.cn",
        "api_root": "https://git.example.gov.cn/api/v1",
    }
    meta = content_security_policy(AdminSettings(backend=backend, local_backend=False))
    header = deploy_headers(f"{PREFIX}admin/")["Content-Security-Policy"]
    assert header == f"{meta}; frame-ancestors 'none'"


class _DeployedHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX with docs/deploy.md's headers on every response, as nginx."""

    headers_to_send: ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path.removeprefix(PREFIX))

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def deployed(directory: Path, headers: dict[str, str]) -> Iterator[str]:
    handler_class = type("Deployed", (_DeployedHandler,), {"headers_to_send": headers})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX.rstrip('/')}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(demo_site: Path) -> Iterator[str]:
    with deployed(demo_site, deploy_headers(PREFIX)) as base:
        yield base


class Watched:
    """A page whose CSP violations (events and console lines) are collected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: Any) -> None:
        text = str(message.text)
        if "Content Security Policy" in text or "Trusted Type" in text:
            self.console.append(text)

    def violations(self) -> tuple[list[str], list[str]]:
        """Everything reported up to now: fires the canary and waits until it is reported."""
        with self.page.expect_console_message(lambda m: "csp-canary.invalid" in m.text):
            self.page.evaluate("url => { new Image().src = url; }", CANARY)
        self.page.wait_for_function(
            "url => window.__violations.some(v => v.endsWith(' ' + url))", arg=CANARY
        )
        events = [v for v in self.page.evaluate("window.__violations") if CANARY not in v]
        console = [c for c in self.console if "csp-canary.invalid" not in c]
        self.console.clear()
        return events, console


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = new_context(browser)
    context.add_init_script(COLLECT)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert not watched.errors, watched.errors


@pytest.mark.parametrize("name", list(PAGES))
def test_every_public_page_type_runs_under_the_policy(
    watched: Watched, site: str, demo_site: Path, name: str
) -> None:
    path = PAGES[name]
    assert (demo_site / path).is_file(), f"{name}: {path} is not in the demo site any more"
    response = watched.page.goto(f"{site}/{path}")
    assert response is not None and response.ok
    assert (
        response.headers["content-security-policy"]
        == deploy_headers(PREFIX)["Content-Security-Policy"]
    )
    assert watched.violations() == ([], [])


def test_search_with_results_runs_under_the_policy(watched: Watched, site: str) -> None:
    """The search page: its scripts, then the JSON index files it fetches, then the results."""
    status = open_search(watched.page, site, SEARCH)
    assert status.startswith("找到"), status
    assert watched.page.locator(".search-result").count() > 0
    assert watched.violations() == ([], [])


def test_the_home_search_form_submits_under_the_policy(watched: Watched, site: str) -> None:
    """form-action: the home page's search box submits to search.html."""
    watched.page.goto(f"{site}/index.html")
    watched.page.fill("form.search-box input[name=q]", SEARCH)
    with watched.page.expect_navigation():
        watched.page.press("form.search-box input[name=q]", "Enter")
    assert watched.page.url.endswith(f"/search.html{query_string(SEARCH)}")
    assert wait_answered(watched.page, SEARCH) == "found"
    assert watched.violations() == ([], [])


def test_the_canary_is_caught(watched: Watched, site: str) -> None:
    """The watch itself works: an inline style, which the policy refuses, is reported."""
    watched.page.goto(f"{site}/index.html")
    watched.page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body{}'; document.head.append(s); }"
    )
    events, console = watched.violations()
    assert any(e.startswith("style-src") for e in events), events
    assert console, "the refused inline style reached the console"
