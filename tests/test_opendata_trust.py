"""Open data a user can trust (issue 12, item 5): it says what the site says.

Real builds of the mini fixture portal, extended with officers whose shown status differs from
the clerk's: an officer's ``effective_status`` in officers.csv and officers.json is the status
text on that officer's page; every column has a Chinese title, in datapackage.json and on the
data page; ``page`` is absolute in a publish build and site-relative in a preview; the package
names its licence, portal.yaml's or the default.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from gitrepo import Repo
from gongshi_exports import DEFAULT_LICENCE, TABLES
from gongshi_portal.build import build_site

AS_OF = dt.date(2026, 11, 24)
SITE_URL = "https://zfgs.example.gov.cn/qingxi/"
CJK = re.compile(r"[\u4e00-\u9fff]")

# cert_no → (status, valid_from, valid_until, the status its page must show on AS_OF)
OFFICERS = {
    "33029900000011": ("在岗", "2020-01-01", "2026-11-13", "已过期"),
    "33029900000012": ("在岗", "2026-12-01", "2031-11-30", "尚未生效"),
    "33029900000013": ("暂扣", "2022-01-01", "2027-12-31", "暂扣"),
    "33029900000014": ("离岗", "2022-01-01", "2025-12-31", "离岗"),
    "33029900000015": ("注销", "2022-01-01", "2027-12-31", "注销"),
}


def officer_yaml(cert_no: str, status: str, valid_from: str, valid_until: str) -> str:
    return (
        f'name: 测试{cert_no[-2:]}\ncert_no: "{cert_no}"\ncategory: 市场监管综合执法\n'
        f"region: 测试区\nroles: [执法]\nvalid_from: {valid_from}\n"
        f"valid_until: {valid_until}\nstatus: {status}\n"
    )


@pytest.fixture
def content(mini: Path) -> Path:
    folder = mini / "agencies/demo-bureau/officers"
    for cert_no, (status, start, end, _shown) in OFFICERS.items():
        write(folder / f"{cert_no}.yaml", officer_yaml(cert_no, status, start, end))
    return mini


@pytest.fixture
def preview(content: Path, tmp_path: Path) -> Path:
    out = tmp_path / "preview"
    build_site(content, out, as_of=AS_OF)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def shown_status(page: Path) -> str:
    """The badge text in the officer page's 证件状态 field."""
    found = re.search(
        r"<dt>证件状态</dt>\s*<dd>\s*<span class=\"badge[^\"]*\"[^>]*>([^<]+)</span>",
        page.read_text("utf-8"),
    )
    assert found, page
    return html.unescape(found.group(1)).strip()


def test_effective_status_is_what_every_officer_page_shows(preview: Path) -> None:
    rows = read_csv(preview / "data/officers.csv")
    records = json.loads((preview / "data/officers.json").read_text("utf-8"))
    assert len(rows) == len(records) == 3 + len(OFFICERS)
    for row, record in zip(rows, records, strict=True):
        shown = shown_status(preview / row["page"])
        assert row["effective_status"] == record["effective_status"] == shown, row["cert_no"]
    by_cert = {row["cert_no"]: row for row in rows}
    for cert_no, (status, _start, _end, expected) in OFFICERS.items():
        assert (by_cert[cert_no]["status"], by_cert[cert_no]["effective_status"]) == (
            status,
            expected,
        )
    assert by_cert["33029900000001"]["effective_status"] == "有效"


def test_effective_status_sits_next_to_status_and_lists_its_values(preview: Path) -> None:
    package = json.loads((preview / "data/datapackage.json").read_text("utf-8"))
    for name in ("officers", "officers-json"):
        resource = next(r for r in package["resources"] if r["name"] == name)
        fields = resource["schema"]["fields"]
        names = [f["name"] for f in fields]
        assert names.index("effective_status") == names.index("status") + 1
        field = fields[names.index("effective_status")]
        assert set(field["constraints"]["enum"]) == {
            "有效",
            "已过期",
            "尚未生效",
            "离岗",
            "暂扣",
            "注销",
        }


def test_every_column_has_a_chinese_title(preview: Path) -> None:
    for table in TABLES:
        for column in table.columns:
            assert CJK.search(column.title), f"{table.name}.{column.name} 没有中文标题"
    package = json.loads((preview / "data/datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert CJK.search(field.get("title", "")), (resource["name"], field["name"])


def test_the_data_page_lists_every_column_with_its_title(preview: Path) -> None:
    page = html.unescape((preview / "data/index.html").read_text("utf-8"))
    for table in TABLES:
        section = page.split(f'id="columns-{table.name}"', 1)[1].split("</table>", 1)[0]
        for column in table.columns:
            row = f'<code>{column.name}</code></th><td data-label="中文名称">{column.title}</td>'
            assert row in section, (table.name, column.name)


def test_preview_pages_are_relative_to_the_site_root(preview: Path) -> None:
    for table in TABLES:
        names = [c.name for c in table.columns]
        if "page" not in names:
            continue
        for row in read_csv(preview / f"data/{table.name}.csv"):
            assert not re.match(r"[a-z]+:|/", row["page"]), row["page"]
            assert (preview / row["page"].split("#")[0]).is_file(), row["page"]
    package = json.loads((preview / "data/datapackage.json").read_text("utf-8"))
    assert "homepage" not in package


def test_publish_pages_are_absolute_and_pages_stay_relative(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A publish build reads the content's history: commit the portal first.
    repo = Repo(tmp_path / "repo")
    files = {
        f"content/{p.relative_to(content).as_posix()}": p.read_text("utf-8")
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }
    repo.commit(files, "2026-01-05T10:00:00+08:00", "建立门户")
    monkeypatch.setenv("GONGSHI_SITEURL", SITE_URL.rstrip("/"))
    out = tmp_path / "publish"
    build_site(repo.root / "content", out, publish=True, as_of=AS_OF)
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    assert package["homepage"] == SITE_URL
    checked = 0
    for table in TABLES:
        if "page" not in [c.name for c in table.columns]:
            continue
        rows = read_csv(out / f"data/{table.name}.csv")
        records: list[dict[str, Any]] = json.loads((out / f"data/{table.name}.json").read_text())
        for row, record in zip(rows, records, strict=True):
            assert row["page"] == record["page"]
            assert row["page"].startswith(SITE_URL), row["page"]
            local = row["page"].removeprefix(SITE_URL).split("#")[0]
            assert (out / local).is_file(), row["page"]
            checked += 1
    assert checked
    officer = (out / "officers/33029900000011.html").read_text("utf-8")
    assert 'href="https://zfgs' not in officer and 'src="https://zfgs' not in officer


def test_licence_defaults_to_cc_by_and_is_on_the_data_page(preview: Path) -> None:
    package = json.loads((preview / "data/datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [DEFAULT_LICENCE]
    page = (preview / "data/index.html").read_text("utf-8")
    # Named with its address as text: the site links to no external host (docs/portal.md).
    assert f'<span class="url">{DEFAULT_LICENCE["path"]}</span>' in page
    assert html.escape(DEFAULT_LICENCE["title"], quote=False) in page


def test_licence_comes_from_portal_yaml(content: Path, tmp_path: Path) -> None:
    portal = content / "portal.yaml"
    portal.write_text(
        portal.read_text("utf-8")
        + "open_data_licence:\n  name: CC0-1.0\n  title: 知识共享 CC0 1.0 公有领域贡献\n"
        + "  path: https://creativecommons.org/publicdomain/zero/1.0/\n",
        "utf-8",
    )
    out = tmp_path / "site"
    build_site(content, out, as_of=AS_OF)
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [
        {
            "name": "CC0-1.0",
            "title": "知识共享 CC0 1.0 公有领域贡献",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    ]
    assert "知识共享 CC0 1.0 公有领域贡献" in (out / "data/index.html").read_text("utf-8")
