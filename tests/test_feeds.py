"""feeds/decisions.atom.xml and sitemap.xml of the demo portal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_lists_published_decisions_and_withdrawal_notices(demo_site: Path) -> None:
    feed = ET.parse(demo_site / "feeds/decisions.atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    assert any(t.startswith("撤回公告：青综执罚〔2026〕19号") for t in titles)
    assert all("瑞丰建材" not in t and "晨曦副食品" not in t for t in titles)
    ids = [e.findtext(f"{ATOM}id") or "" for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("urn:gongshi:") for i in ids), "Atom ids must be absolute"
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert (demo_site / "feeds" / href).resolve().is_file(), href
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_inspection_feed_announces_results_and_every_page_links_it(demo_site: Path) -> None:
    feed = ET.parse(demo_site / "feeds/inspections.atom.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == "urn:gongshi:3302990001:feed:inspections"
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
    food = entries["抽查结果：2026年度食品经营者双随机抽查"]
    assert food.findtext(f"{ATOM}summary") == (
        "抽查 8 户，检查日期 2026-04-21 至 2026-06-03：未发现问题 4 户，发现问题已责令整改 2 户，"
        "发现问题已立案查处 1 户，未发现开展本次抽查涉及的经营活动 1 户"
    )
    href = food.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert href == "../agencies/qingxi-scjgj/inspections/2026-food-business.html"
    assert (demo_site / "feeds" / href).resolve().is_file()
    ids = [e.findtext(f"{ATOM}id") or "" for e in entries.values()]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:gongshi:") for i in ids)
    for page in ("index.html", "agencies/qingxi-scjgj/inspections/2026-food-business.html"):
        html = (demo_site / page).read_text("utf-8")
        assert 'title="双随机抽查结果订阅" href="' in html and "feeds/inspections.atom.xml" in html


def test_sitemap_lists_every_public_page_once(demo_site: Path) -> None:
    """Every public page; never the web-form editor under admin/ (it is not for the public)
    nor the short addresses z/<cert_no>/ (they only send the reader on to an officer page)."""
    urlset = ET.parse(demo_site / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in urlset.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    pages = {p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*.html")}
    admin = {page for page in pages if page.startswith("admin/")}
    assert "admin/index.html" in admin
    short = {page for page in pages if page.startswith("z/")}
    assert "z/33029919010003/index.html" in short
    assert set(locs) == pages - admin - short


def test_build_is_deterministic(demo_site: Path, tmp_path: Path) -> None:
    from gongshi_cli.main import main

    again = tmp_path / "again"
    content = Path(__file__).parents[1] / "content"
    assert (
        main(["build", "--content", str(content), "--output", str(again), "--as-of", "2026-11-24"])
        == 0
    )
    first = {p.relative_to(demo_site): p.read_bytes() for p in demo_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(name) for name in first if first[name] != second[name]]
    assert not differing
