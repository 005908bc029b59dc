"""The built demo portal: every page type, links that resolve under a sub-path, no leaks."""

from __future__ import annotations

import re
import shutil
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from support import serve

WITHDRAWN = ("东江市青溪区瑞丰建材有限公司",)
EXPIRED = ("东江市青溪区晨曦副食品商行", "青市监处罚〔2024〕58号")
MOUNT = "gov/zwgk/zfgs"  # a mirror puts the portal under some path of its own site
# The web forms (docs/web-forms.md) are not public pages: linked from nowhere, and Decap needs
# eval and inline styles, so they carry their own Content-Security-Policy.
ADMIN = "admin"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The one kind of link to another host: an agency's website (rel="external",
        # gongshi_portal/links.py); test_polish.py checks what may become one.
        if tag == "a" and "external" in (dict(attrs).get("rel") or "").split():
            return
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_every_page_type_is_built(demo_site: Path) -> None:
    expected = [
        "index.html", "agencies/index.html", "officers/index.html", "officers/status-revoked.html",
        "powers/index.html", "decisions/index.html", "decisions/2025/index.html",
        "decisions/penalty/index.html", "decisions/withdrawn.html", "data/index.html",
        "agencies/qingxi-scjgj/index.html", "agencies/qingxi-scjgj/officers.html",
        "agencies/qingxi-scjgj/powers/index.html", "agencies/qingxi-scjgj/decisions/index.html",
        "agencies/qingxi-scjgj/review-catalog.html", "agencies/qingxi-scjgj/av-list.html",
        "officers/33029919010003.html", "feeds/decisions.atom.xml", "sitemap.xml",
        "pages/about.html", "pages/complaints.html",
    ]  # fmt: skip
    missing = [name for name in expected if not (demo_site / name).is_file()]
    assert not missing
    for pattern in ("agencies/*/flowcharts/*.html", "agencies/*/inspections/*.html",
                    "agencies/*/service-guides/*.html", "agencies/*/statistics/*.html",
                    "agencies/*/powers/*.html", "agencies/*/decisions/*/*.html"):  # fmt: skip
        assert list(demo_site.glob(pattern)), pattern


def test_withdrawn_and_expired_leave_no_trace(demo_site: Path) -> None:
    for path in demo_site.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            for secret in WITHDRAWN + EXPIRED:
                assert secret not in text, f"{secret} in {path.relative_to(demo_site)}"


def test_withdrawal_notice_replaces_the_decision(demo_site: Path) -> None:
    notice = (demo_site / "agencies/qingxi-zhzf/decisions/2026/2026-019.html").read_text("utf-8")
    assert "撤回公告" in notice and "青综执罚〔2026〕19号" in notice
    main = notice[notice.index("<main") : notice.index("</main>")]
    assert "罚款" not in main and "违法事实" not in main


def test_revoked_and_expired_certificates_are_not_shown_as_valid(demo_site: Path) -> None:
    revoked = (demo_site / "officers/33029919010009.html").read_text("utf-8")
    expired = (demo_site / "officers/33029919010006.html").read_text("utf-8")
    assert "执法证已注销" in revoked and "执法证有效" not in revoked
    assert "执法证已过期" in expired and "执法证有效" not in expired


def test_links_resolve_when_mirrored_under_a_sub_path(demo_site: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "www"
    shutil.copytree(demo_site, mirror / MOUNT)
    with serve(mirror) as base:
        start = f"{base}/{MOUNT}/index.html"
        seen, queue, broken = {start}, [start], []
        while queue:
            url = queue.pop()
            with urllib.request.urlopen(url) as response:
                body = response.read()
            if not url.endswith(".html"):
                continue
            for link in links_of(body.decode("utf-8")):
                target = urljoin(url, link).split("#")[0]
                if urlsplit(target).netloc != urlsplit(base).netloc:
                    broken.append(f"{url} → external {link}")
                elif not target.startswith(f"{base}/{MOUNT}/"):
                    broken.append(f"{url} → outside the mirror {link}")
                elif target not in seen:
                    seen.add(target)
                    try:
                        urllib.request.urlopen(target).close()
                    except OSError as exc:
                        broken.append(f"{url} → {link}: {exc}")
                        continue
                    queue.append(target)
    assert not broken, "\n".join(broken[:20])
    html_pages = {
        p for p in demo_site.rglob("*.html") if p.relative_to(demo_site).parts[0] != ADMIN
    }
    assert len([u for u in seen if u.endswith(".html")]) == len(html_pages), "unreachable pages"


def test_no_inline_script_or_style(demo_site: Path) -> None:
    for page in demo_site.rglob("*.html"):
        if page.relative_to(demo_site).parts[0] == ADMIN:
            continue
        html = page.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
        assert "<style" not in html and " style=" not in html, page
        assert not re.search(r"\son[a-z]+=", html), page
