"""Validity that states its date, and 亮证 (issue 12, item 2), in the built pages.

The demo site (built with DEMO_AS_OF) says "截至 <as-of>" wherever it states a validity, never
doubles the category in the officer banner, marks 即将到期 a certificate ending within 30 days
of the as-of, and gives every officer a short address ``z/<cert_no>/`` that leads to the officer
page. A publish build of the mini portal (with GONGSHI_SITEURL) draws each officer's QR code of
the absolute short address; a preview draws none. The QR test reads the SVG's modules back and
compares them with the QR matrix of the expected address (no decoder is installed; segno makes
the matrix, the SVG is what the site serves, so a code of any other text fails).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import segno
from conftest import DEMO_AS_OF, write
from gitrepo import Repo
from gongshi_portal.build import build_site
from gongshi_portal.shortlinks import ShortLinks, public_base, qr_svg, short_folder
from gongshi_portal.validity import EXPIRY_NOTICE_DAYS, STALE_AFTER_DAYS
from gongshi_records.paths import PROJECT_ROOT

AS_OF_ZH = "2026年11月24日"  # DEMO_AS_OF
SOON = "33029919010004"  # 市场监管综合执法, valid until 2026-12-10: 16 days after the as-of
LATER = "33029919010003"  # valid until 2028-05-31
REVOKED = "33029919010009"  # 注销
EXPIRED = "33029919010006"  # 在岗, valid until 2025-05-31
DECISION = "agencies/qingxi-scjgj/decisions/2025/2025-006.html"
SITE_URL = "https://zfgs.example.gov.cn/qingxi"
MINI_OFFICER = "33029900000001"
SVG = "{http://www.w3.org/2000/svg}"


def text(site: Path, page: str) -> str:
    return html.unescape((site / page).read_text("utf-8"))


def banner(page: str) -> str:
    match = re.search(r'<p class="standing [^"]*" id="validity"[^>]*>(.*?)</p>', page, re.S)
    assert match, "the officer page has no validity banner"
    return match.group(1)


def test_demo_as_of_is_the_date_the_pages_state() -> None:
    assert dt.date.fromisoformat(DEMO_AS_OF) == dt.date(2026, 11, 24)


def test_the_officer_banner_states_its_date_and_never_doubles_the_category(
    demo_site: Path,
) -> None:
    page = text(demo_site, f"officers/{LATER}.html")
    words = banner(page)
    assert words == f"截至 {AS_OF_ZH}，执法证有效，可以从事执法活动（执法类别：市场监管综合执法）"
    for officer in sorted((demo_site / "officers").glob("3*.html")):
        said = banner(text(demo_site, f"officers/{officer.name}"))
        assert said.startswith(f"截至 {AS_OF_ZH}，"), (officer.name, said)
        assert "执法执法" not in said and "综合执法执法" not in said, (officer.name, said)


@pytest.mark.parametrize(
    ("cert", "words"),
    [
        (REVOKED, "执法证已注销，不能从事执法活动"),
        (EXPIRED, "执法证已过期，不能从事执法活动"),
    ],
)
def test_an_invalid_certificate_says_so_as_of_the_date(
    demo_site: Path, cert: str, words: str
) -> None:
    page = text(demo_site, f"officers/{cert}.html")
    assert banner(page) == f"截至 {AS_OF_ZH}，{words}"
    assert 'class="standing standing-bad"' in page
    assert 'data-standing="invalid"' in page and "即将到期" not in page


def test_a_certificate_ending_within_30_days_is_marked_expiring(demo_site: Path) -> None:
    page = text(demo_site, f"officers/{SOON}.html")
    notice = re.search(
        r'<p class="validity-notice validity-soon" id="validity-soon">(.*?)</p>', page
    )
    assert notice, "no 即将到期 notice"
    assert re.sub("<[^>]+>", "", notice.group(1)).startswith(
        f"即将到期：该执法证有效期至 2026年12月10日，截至 {AS_OF_ZH}还有 16 天。"
    )
    assert 'data-valid-until="2026-12-10"' in page and f'data-as-of="{DEMO_AS_OF}"' in page
    # … and in the rosters, beside the badge; a certificate ending later is not marked.
    roster = text(demo_site, "agencies/qingxi-scjgj/officers.html")
    row = roster.split(f"{SOON}</td>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge badge-soon">即将到期</span>' in row
    later = roster.split(f"{LATER}</td>", 1)[1].split("</tr>", 1)[0]
    assert "即将到期" not in later and "badge-ok" in later
    assert "即将到期" not in text(demo_site, f"officers/{LATER}.html")


def test_rosters_and_decisions_state_the_date_of_their_status(demo_site: Path) -> None:
    for roster in ("officers/index.html", "agencies/qingxi-slj/officers.html"):
        assert f"证件状态截至 {AS_OF_ZH}。" in text(demo_site, roster), roster
    decision = text(demo_site, DECISION)
    field = re.search(r'<div class="field" data-validity="publicity"([^>]*)>(.*?)</div>', decision)
    assert field, "the decision's publicity end carries no data for validity.js"
    assert f'data-as-of="{DEMO_AS_OF}"' in field.group(1)
    until = re.search(r'data-publicity-until="(\d{4}-\d{2}-\d{2})"', field.group(1))
    assert until
    assert f"（截至 {AS_OF_ZH} 在公示期内）" in field.group(2)


def test_pages_that_state_a_validity_load_the_script_others_do_not(demo_site: Path) -> None:
    script = '<script src="../theme/js/validity.js" defer></script>'
    assert script in text(demo_site, f"officers/{SOON}.html")
    assert script in text(demo_site, "officers/index.html")
    assert '<script src="../../../../theme/js/validity.js" defer></script>' in text(
        demo_site, DECISION
    )
    assert "validity.js" not in text(demo_site, "index.html")
    assert (demo_site / "theme/js/validity.js").is_file()


def test_the_script_uses_the_builds_notice_periods() -> None:
    source = (PROJECT_ROOT / "theme/static/js/validity.js").read_text("utf-8")
    assert re.search(rf"var SOON_DAYS = {EXPIRY_NOTICE_DAYS};", source)
    assert re.search(rf"var STALE_DAYS = {STALE_AFTER_DAYS};", source)
    # Old browsers: no modules, arrow functions, let/const or template strings.
    assert not re.search(r"=>|\blet |\bconst |`|^\s*(import|export) ", source, re.M)


def test_every_officer_has_a_short_address_leading_to_the_officer_page(demo_site: Path) -> None:
    officers = sorted(p.stem for p in (demo_site / "officers").glob("3*.html"))
    assert officers and sorted(p.name for p in (demo_site / "z").iterdir()) == officers
    for cert in officers:
        page = text(demo_site, f"z/{cert}/index.html")
        target = f"../../officers/{cert}.html"
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
        assert f'<a href="{target}">' in page
        assert (demo_site / f"z/{cert}" / target).resolve() == demo_site / f"officers/{cert}.html"
    officer = text(demo_site, f"officers/{SOON}.html")
    assert f'<a href="../z/{SOON}/index.html">z/{SOON}/</a>' in officer
    sitemap = (demo_site / "sitemap.xml").read_text("utf-8")
    assert "<loc>z/" not in sitemap  # redirects are not pages of their own


def test_a_preview_has_no_qr_code_and_says_why(demo_site: Path) -> None:
    assert not list((demo_site / "z").rglob("*.svg"))
    officer = text(demo_site, f"officers/{SOON}.html")
    assert 'class="qr"' not in officer
    assert "二维码只在正式发布时生成" in officer


@pytest.mark.parametrize(
    "hostile", ["..", "../officers", "a/b", "a\\b", "", "-x", "%2e%2e", "a.b", "a b", "z\n"]
)
def test_a_hostile_certificate_number_never_becomes_a_path(hostile: str) -> None:
    with pytest.raises(ValueError):
        short_folder(hostile)


@pytest.mark.parametrize(("notice_days", "marked"), [(None, True), (10, False), (60, True)])
def test_the_expiry_window_is_the_agencys_certificate_notice(
    mini: Path, tmp_path: Path, notice_days: int | None, marked: bool
) -> None:
    """即将到期 on the officer page uses the window of the supervision page and gongshi report
    (settings.deadlines.certificate_notice, default 30), and tells validity.js the same."""
    officer = mini / f"agencies/demo-bureau/officers/{MINI_OFFICER}.yaml"
    text_ = officer.read_text("utf-8").replace("valid_until: 2027-12-31", "valid_until: 2026-12-14")
    write(officer, text_)  # 20 days after the as-of
    if notice_days is not None:
        agency = mini / "agencies/demo-bureau/agency.yaml"
        settings = f"settings:\n  deadlines:\n    certificate_notice: {notice_days}\n"
        write(agency, agency.read_text("utf-8") + settings)
    out = tmp_path / "out"
    build_site(mini, out, as_of=dt.date(2026, 11, 24))
    page = text(out, f"officers/{MINI_OFFICER}.html")
    assert ('id="validity-soon"' in page) is marked
    assert f'data-notice-days="{notice_days or EXPIRY_NOTICE_DAYS}"' in page


def test_a_hostile_officer_file_stops_the_build(mini: Path, tmp_path: Path) -> None:
    """A file whose stem is not a certificate number is no officer record: the build fails
    before anything is written, so it can name no path."""
    source = mini / f"agencies/demo-bureau/officers/{MINI_OFFICER}.yaml"
    write(source.with_name("...yaml"), source.read_text("utf-8").replace(MINI_OFFICER, ".."))
    out = tmp_path / "out"
    with pytest.raises(Exception, match="错误"):
        build_site(mini, out, as_of=dt.date(2026, 11, 24))
    assert not out.exists()


@pytest.mark.parametrize(
    ("configured", "base"),
    [
        ("https://zfgs.example.gov.cn/qingxi", "https://zfgs.example.gov.cn/qingxi/"),
        ("https://zfgs.example.gov.cn/", "https://zfgs.example.gov.cn/"),
        ("http://www.example.gov.cn", "http://www.example.gov.cn/"),
        ("", None),
        ("/qingxi/", None),
        ("zfgs.example.gov.cn", None),
        ("ftp://zfgs.example.gov.cn/", None),
        ("http://localhost:8000/", None),
        ("http://127.0.0.1:8000/", None),
        ("http://[::1]/", None),
        ("http://10.1.2.3/zfgs/", None),
        ("http://0.0.0.0/", None),
        ("https://user:pw@zfgs.example.gov.cn/", None),
        ("https://zfgs.example.gov.cn/?x=1", None),
    ],
)
def test_only_a_public_address_goes_into_a_qr_code(configured: str, base: str | None) -> None:
    assert public_base(configured) == base


def svg_modules(svg: bytes) -> set[tuple[int, int]]:
    """The dark modules (row, column, quiet zone included) of a segno SVG: its one stroked path
    of horizontal runs ("M x y" then "h n" and relative "m dx dy"), at scale 1."""
    root = ET.fromstring(svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke")]
    assert len(paths) == 1, "expected one stroked path of dark modules"
    assert all("style" not in e.attrib for e in root.iter()), "a style attribute breaks the CSP"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", paths[0].get("d", "")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(a)))
            x += int(a)
    return dark


def qr_modules(url: str) -> set[tuple[int, int]]:
    matrix = segno.make(url, error="m", micro=False).matrix
    return {(r + 4, c + 4) for r, row in enumerate(matrix) for c, v in enumerate(row) if v & 1}


def test_the_svg_reader_tells_addresses_apart() -> None:
    """The comparison below can fail: another address gives other modules."""
    one, other = f"{SITE_URL}/z/{MINI_OFFICER}/", f"{SITE_URL}/z/33029900000002/"
    assert svg_modules(qr_svg(one)) == qr_modules(one)
    assert svg_modules(qr_svg(one)) != qr_modules(other)
    assert qr_svg(one) == qr_svg(one)  # deterministic bytes


@pytest.fixture
def published(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = Repo(tmp_path / "repo")
    files = {
        f"content/{p.relative_to(mini).as_posix()}": p.read_text("utf-8")
        for p in sorted(mini.rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-01-05T10:00:00+08:00", "建立门户")
    monkeypatch.setenv("GONGSHI_SITEURL", SITE_URL)
    out = tmp_path / "publish"
    build_site(repo.root / "content", out, publish=True, as_of=dt.date(2026, 11, 24))
    return out


def test_a_publish_build_draws_the_qr_code_of_the_absolute_short_address(
    published: Path,
) -> None:
    address = f"{SITE_URL}/z/{MINI_OFFICER}/"
    svg = (published / f"z/{MINI_OFFICER}/qr.svg").read_bytes()
    assert svg_modules(svg) == qr_modules(address)
    officer = text(published, f"officers/{MINI_OFFICER}.html")
    image = f'<img class="qr" src="../z/{MINI_OFFICER}/qr.svg" width="164" height="164"'
    assert image in officer and f'alt="二维码：{address}"' in officer
    assert f'<a class="url" href="../z/{MINI_OFFICER}/index.html">{address}</a>' in officer
    assert "二维码只在正式发布时生成" not in officer
    for cert in ("33029900000002", "33029900000003"):
        assert svg_modules((published / f"z/{cert}/qr.svg").read_bytes()) == qr_modules(
            f"{SITE_URL}/z/{cert}/"
        )


def test_an_address_no_phone_can_open_gives_no_qr_code_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        assert ShortLinks.from_settings({"FEED_DOMAIN": "http://localhost:8000/"}).base is None
    assert "未生成亮证二维码" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert ShortLinks.from_settings({"FEED_DOMAIN": ""}).base is None  # a preview: silent
        links = ShortLinks.from_settings({"FEED_DOMAIN": SITE_URL})
    assert not caplog.text
    assert links.base == SITE_URL + "/"
