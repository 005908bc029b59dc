"""validity.js in real Chromium: the reader's date, not the build's, on a phone and a desktop.

The demo site is built as of DEMO_AS_OF (2026-11-24). Playwright's clock sets the reader's date
before each page loads; the script marks the page ``html[data-validity-checked]`` when it has
checked every statement, and the tests wait for that, never for time. Past ``valid_until`` the
officer banner stops reading as valid and a role="status" notice says why; before it nothing
changes; within 30 days of the end the 即将到期 notice appears; a page the build called invalid
stays invalid whatever the date; a decision past its publicity end says so; a page several
days older than the reader's date says it may be stale. Then: axe with the notices shown in all
three modes, and a publish build's QR code under docs/deploy.md's strict policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_AS_OF
from gitrepo import Repo
from gongshi_portal.build import build_site
from support import VIEWPORTS, new_context, serve
from test_accessibility import AXE, serious_violations
from test_csp_browser import COLLECT, PREFIX, Watched, deploy_headers, deployed

playwright = pytest.importorskip("playwright.sync_api")

SOON = "officers/33029919010004.html"  # valid until 2026-12-10 (16 days after the as-of)
LATER = "officers/33029919010017.html"  # valid until 2027-01-04 (41 days after)
FAR = "officers/33029919010003.html"  # valid until 2028-05-31
REVOKED = "officers/33029919010009.html"  # 注销, dates 2021-11-01 … 2027-10-31
EXPIRED = "officers/33029919010006.html"  # 在岗 but valid until 2025-05-31
ROSTER = "agencies/qingxi-scjgj/officers.html"
DECISION = "agencies/qingxi-scjgj/decisions/2025/2025-006.html"
AS_OF = dt.date.fromisoformat(DEMO_AS_OF)


@pytest.fixture(scope="module")
def site(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as base:
        yield base


@pytest.fixture(params=list(VIEWPORTS))
def context(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = new_context(browser, viewport=VIEWPORTS[request.param], timezone_id="Asia/Shanghai")
    yield context
    context.close()


def day(value: dt.date | str, offset: int = 0) -> dt.date:
    start = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return start + dt.timedelta(days=offset)


def open_on(context: Any, url: str, reader: dt.date) -> Any:
    """A new page whose clock reads ``reader`` at 10:00 in Beijing, then ``url``, checked."""
    page = context.new_page()
    page.clock.set_fixed_time(f"{reader.isoformat()}T10:00:00+08:00")
    page.goto(url)
    page.wait_for_selector("html[data-validity-checked]", state="attached")
    return page


def notice(page: Any) -> str:
    box = page.locator("#validity-checked")
    return "" if box.count() == 0 else str(box.inner_text())


def banner(page: Any) -> tuple[str, str]:
    element = page.locator("#validity")
    return str(element.inner_text()), str(element.get_attribute("class"))


def test_after_valid_until_the_banner_no_longer_reads_as_valid(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{SOON}", day("2026-12-11"))
    text, classes = banner(page)
    assert "执法证有效" not in text and "standing-bad" in classes, (text, classes)
    assert "已于 2026年12月10日 到期" in text
    said = notice(page)
    assert "本页信息截至 2026年11月24日" in said and "已于 2026年12月10日 到期" in said, said
    assert "请以发证机关核实为准" in said
    assert page.get_attribute("#validity-checked", "role") == "status"
    assert page.locator("#validity-soon").is_hidden()  # the build's 即将到期 is over
    badge = page.locator(".fields .badge").first
    assert badge.inner_text() == "已过期" and "badge-bad" in str(badge.get_attribute("class"))
    assert page.locator(".fields .badge-soon").count() == 0


@pytest.mark.parametrize(
    ("zone", "instant", "expired"),
    [
        # 01:00 in Beijing on the day after valid_until: still the day before in Los Angeles
        # and in UTC, but the certificate ended on a Beijing calendar day.
        ("America/Los_Angeles", "2026-12-11T01:00:00+08:00", True),
        ("UTC", "2026-12-11T01:00:00+08:00", True),
        # 23:00 in Beijing on valid_until itself: already the next day in Auckland.
        ("Pacific/Auckland", "2026-12-10T23:00:00+08:00", False),
    ],
)
def test_the_reader_date_is_the_beijing_date_in_any_time_zone(
    browser: Any, site: str, zone: str, instant: str, expired: bool
) -> None:
    context = new_context(browser, timezone_id=zone)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(instant)
        page.goto(f"{site}/{SOON}")
        page.wait_for_selector("html[data-validity-checked]", state="attached")
        text, classes = banner(page)
        assert ("已于 2026年12月10日 到期" in text) is expired, (zone, text)
        assert ("standing-bad" in classes) is expired, (zone, classes)
    finally:
        context.close()


def test_before_valid_until_nothing_changes(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{FAR}", day(AS_OF, 1))
    assert notice(page) == ""
    text, classes = banner(page)
    assert text.startswith("截至 2026年11月24日，执法证有效") and "standing-ok" in classes
    # The build's own 即将到期 stays, and the script adds nothing while the page is fresh.
    page = open_on(context, f"{site}/{SOON}", day(AS_OF, 2))
    assert notice(page) == "" and page.locator("#validity-soon").is_visible()
    assert "standing-ok" in banner(page)[1]


def test_within_30_days_at_the_readers_date_the_notice_appears(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{LATER}", day("2027-01-04", -10))
    said = notice(page)
    assert "即将到期" in said and "将于 2027年1月4日 到期（还有 10 天）" in said, said
    text, classes = banner(page)
    assert text.startswith("截至 2026年11月24日，执法证有效") and "standing-ok" in classes
    badge = page.locator(".fields .badge-soon")
    assert badge.count() == 1 and badge.inner_text() == "即将到期"
    # 31 days before the end: not yet.
    page = open_on(context, f"{site}/{LATER}", day("2027-01-04", -31))
    assert "即将到期" not in notice(page)


@pytest.mark.parametrize(
    ("path", "reader"),
    [
        (REVOKED, day(AS_OF, 1)),  # its dates cover the reader's day; 注销 all the same
        (REVOKED, day("2028-01-01")),
        (EXPIRED, day("2025-03-01")),  # a device clock before the page: no claim either way
        (EXPIRED, day(AS_OF, 1)),
    ],
)
def test_the_script_never_upgrades_an_invalid_certificate(
    context: Any, site: str, path: str, reader: dt.date
) -> None:
    page = open_on(context, f"{site}/{path}", reader)
    text, classes = banner(page)
    assert "standing-bad" in classes and "standing-ok" not in classes, (path, reader)
    assert "不能从事执法活动" in text and "执法证有效" not in text
    assert page.locator(".badge-ok").count() == 0
    assert "即将到期" not in notice(page)


def test_a_stale_page_says_it_may_be_out_of_date(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{FAR}", day(AS_OF, 5))
    said = notice(page)
    assert "本页信息截至 2026年11月24日" in said and "已有 5 天未更新" in said, said
    assert "standing-ok" in banner(page)[1]  # stale is not expired: the status stands
    assert notice(open_on(context, f"{site}/{FAR}", day(AS_OF, 2))) == ""


def test_a_roster_marks_certificates_expired_at_the_readers_date(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{ROSTER}", day("2026-12-11"))
    row = page.locator("tr", has_text="33029919010004")
    assert row.locator(".badge").first.inner_text() == "已过期"
    assert row.locator(".badge-soon").count() == 0
    assert "名人员的执法证已经到期" in notice(page)
    fresh = open_on(context, f"{site}/{ROSTER}", day(AS_OF, 1))
    row = fresh.locator("tr", has_text="33029919010004")
    assert row.locator(".badge").first.inner_text() == "有效"
    assert row.locator(".badge-soon").inner_text() == "即将到期"
    assert notice(fresh) == ""


def publicity_until(page: Any) -> dt.date:
    value = page.get_attribute("[data-validity=publicity]", "data-publicity-until")
    return dt.date.fromisoformat(str(value))


def test_a_decision_past_its_publicity_end_says_so(context: Any, site: str) -> None:
    page = open_on(context, f"{site}/{DECISION}", day(AS_OF, 1))
    until = publicity_until(page)
    assert notice(page) == ""
    field = page.locator("[data-validity=publicity] dd").inner_text()
    assert "截至 2026年11月24日 在公示期内" in field
    last_day = open_on(context, f"{site}/{DECISION}", until)
    assert "公示期已于" not in notice(last_day)
    after = open_on(context, f"{site}/{DECISION}", day(until, 1))
    said = notice(after)
    assert "本决定的公示期已于" in said and "届满" in said and "本页信息截至 2026年11月24日" in said
    assert "公示期已届满" in after.locator("[data-validity=publicity] dd").inner_text()
    assert "在公示期内" not in after.locator("[data-validity=publicity] dd").inner_text()


@pytest.mark.parametrize("mode", ["default", "high-contrast", "phone"])
def test_the_notices_have_no_serious_axe_violation(browser: Any, site: str, mode: str) -> None:
    assert AXE.is_file(), "run `make test`: it installs axe-core from package-lock.json"
    viewport = VIEWPORTS["phone" if mode == "phone" else "desktop"]
    context = new_context(browser, viewport=viewport, timezone_id="Asia/Shanghai")
    failures: dict[str, list[str]] = {}
    for path, reader in (
        (SOON, day("2026-12-11")),  # expired at the reader's date, stale too
        (SOON, day(AS_OF, 1)),  # the build's 即将到期
        (LATER, day("2026-12-30")),  # 即将到期 at the reader's date
        (ROSTER, day("2026-12-11")),
        (DECISION, day("2031-01-01")),
    ):
        page = open_on(context, f"{site}/{path}", reader)
        if mode == "high-contrast":
            page.click("#hc-toggle")
        found = serious_violations(page)
        if found:
            failures[f"{path} on {reader}"] = found
        page.close()
    context.close()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini portal built for publishing at a public address: it has QR codes."""
    from gitrepo import MINI

    root = tmp_path_factory.mktemp("validity-publish")
    repo = Repo(root / "repo")
    files = {
        f"content/{p.relative_to(MINI).as_posix()}": p.read_text("utf-8")
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-01-05T10:00:00+08:00", "建立门户")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGSHI_SITEURL", "https://zfgs.example.gov.cn/qingxi")
        build_site(repo.root / "content", root / "site", publish=True, as_of=AS_OF)
    return root / "site"


def test_the_qr_code_and_short_address_run_under_the_strict_policy(
    browser: Any, published: Path
) -> None:
    context = new_context(browser)
    context.add_init_script(COLLECT)
    watched = Watched(context.new_page())
    with deployed(published, deploy_headers(PREFIX)) as base:
        page = watched.page
        page.clock.set_fixed_time(f"{day(AS_OF, 1).isoformat()}T10:00:00+08:00")
        page.goto(f"{base}/officers/33029900000001.html")
        page.wait_for_selector("html[data-validity-checked]", state="attached")
        image = page.locator("img.qr")
        assert (
            image.get_attribute("alt")
            == "二维码：https://zfgs.example.gov.cn/qingxi/z/33029900000001/"
        )
        page.wait_for_function("() => document.querySelector('img.qr').complete")
        assert page.evaluate("document.querySelector('img.qr').naturalWidth") == 164
        assert watched.violations() == ([], [])
        # The printed address wraps on a 360 px phone instead of widening the page.
        page.set_viewport_size({"width": 360, "height": 780})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The short address sends the reader on to the officer page (meta refresh).
        page.goto(f"{base}/z/33029900000001/")
        page.wait_for_url("**/officers/33029900000001.html")
        page.wait_for_selector("html[data-validity-checked]", state="attached")
        assert page.locator("#validity").count() == 1
        assert watched.violations() == ([], [])
    context.close()
    assert not watched.errors, watched.errors
