"""Supervision that explains itself: late rows marked with their working days late and the
record's `late_reason`, drill-down from every figure to its rows, certificates nearing expiry,
and no git vocabulary on public pages. Built from real git histories (tests/gitrepo.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Result
from expected_site import history_repo
from gitrepo import Repo, decision, decision_path, mini_base
from gongshi_clerk.columns import layout_for
from gongshi_history.workdays import CalendarMissing, WorkCalendar
from gongshi_portal.supervision import LATE_SHOWN
from gongshi_records.model import Record
from gongshi_records.registry import Kind, Place
from gongshi_records.standing import expires_within
from gongshi_records.yamlload import load_path
from supervisionfixture import (
    AS_OF,
    HIDDEN_REASON,
    HOLIDAY_REASON,
    SUPERVISION,
    WITHDRAWAL_REASON,
    late_history,
)

Run = Callable[..., Result]


@pytest.fixture
def late(tmp_path: Path) -> Repo:
    return late_history(tmp_path / "repo")


def build(gongshi: Run, repo: Repo, out: Path, *extra: str) -> Path:
    content = str(repo.root / "content")
    result = gongshi("build", "--content", content, "--output", str(out), "--as-of", AS_OF, *extra)
    assert result.code == 0, result.out + result.err
    return out


def section(page: str, anchor: str) -> str:
    """The page from the heading with ``id=anchor`` to the next h2."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end > 0 else None]


def rows(html: str) -> list[str]:
    return re.findall(r"<tr class=\"late-row\">(.*?)</tr>", html, re.S)


# Working days late ------------------------------------------------------------------------------


def test_working_days_late_across_a_holiday() -> None:
    calendar = WorkCalendar()
    day = dt.date.fromisoformat
    assert calendar.working_days_late(day("2024-09-30"), day("2024-10-08")) == 1
    assert calendar.working_days_late(day("2024-09-30"), day("2024-10-05")) == 1  # a holiday
    assert calendar.working_days_late(day("2025-03-12"), day("2025-03-14")) == 2
    assert calendar.working_days_late(day("2025-03-14"), day("2025-03-15")) == 1  # a Saturday
    assert calendar.working_days_late(day("2025-03-14"), day("2025-03-14")) == 0
    assert calendar.working_days_late(day("2025-03-14"), day("2025-03-01")) == 0
    with pytest.raises(CalendarMissing):
        calendar.working_days_late(day("2026-12-30"), day("2027-01-06"))


def test_report_gives_working_days_late_and_the_reason(
    late: Repo, gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(late.root)
    data = gongshi("report", "--as-of", AS_OF, "--format", "json").json()
    found = {(f["path"], f["rule"]): f for f in data["findings"]}
    first = found[(decision_path(1, 2024), "late-publication")]
    assert (first["due"], first["actual"]) == ("2024-09-30", "2024-10-08")
    assert first["working_days_late"] == 1 and first["late_reason"] == HOLIDAY_REASON
    assert f"迟延 1 个工作日；迟延原因：{HOLIDAY_REASON}" in first["message"]
    second = found[(decision_path(2, 2025), "late-publication")]
    assert second["working_days_late"] == 2 and second["late_reason"] is None
    withdrawn = found[(decision_path(3, 2025), "late-withdrawal")]
    assert withdrawn["working_days_late"] == 2 and withdrawn["late_reason"] == WITHDRAWAL_REASON
    # Other findings keep their fields (DESIGN.md): the two keys belong to late findings only.
    assert all("late_reason" not in f for f in data["findings"] if "late" not in f["rule"])
    text = gongshi("report", "--as-of", AS_OF).out
    assert f"迟延 1 个工作日；迟延原因：{HOLIDAY_REASON}" in text


# The supervision pages --------------------------------------------------------------------------


def test_late_rows_are_marked_with_working_days_and_reasons(
    late: Repo, gongshi: Run, tmp_path: Path
) -> None:
    out = build(gongshi, late, tmp_path / "site")
    page = (out / SUPERVISION).read_text("utf-8")
    published = rows(section(page, "late-publications"))
    assert len(published) == 3
    first = next(r for r in published if "测市监决〔2024〕1号" in r)
    assert "⚠ </span>迟延公示" in first  # a symbol and words: not colour alone
    assert "2024年9月30日" in first and "2024年10月8日" in first
    assert "1 个工作日" in first and HOLIDAY_REASON in first
    second = next(r for r in published if "测市监决〔2025〕2号" in r)
    assert "2 个工作日" in second and "未说明" in second
    # Withdrawn in time after a late publication: named (its notice is public), reason withheld.
    hidden = next(r for r in published if "测市监决〔2025〕4号" in r)
    assert "原因不再显示" in hidden and HIDDEN_REASON not in page
    [withdrawal] = rows(section(page, "late-withdrawals"))
    assert "迟延撤回" in withdrawal and "2 个工作日" in withdrawal
    assert WITHDRAWAL_REASON in withdrawal
    assert "无。" in section(page, "overdue-publications")
    portal = (out / "supervision/index.html").read_text("utf-8")
    assert "有迟延" in portal and 'class="late-row"' in portal


def test_an_overdue_publication_counts_to_the_as_of_date(
    late: Repo, gongshi: Run, tmp_path: Path
) -> None:
    # Decided Mon 2026-11-02, due Wed 11-11, not merged: a preview shows it 9 working days over.
    late.write(decision_path(5, 2026), decision(5, "2026-11-02"))
    out = build(gongshi, late, tmp_path / "site")
    [overdue] = rows(section((out / SUPERVISION).read_text("utf-8"), "overdue-publications"))
    assert "逾期未公示" in overdue and "已逾期 9 个工作日" in overdue
    assert "截至2026年11月24日尚未完成" in overdue


class Links(HTMLParser):
    """Every href and every id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text("utf-8"))
    return links


def test_every_figure_links_to_an_existing_list(late: Repo, gongshi: Run, tmp_path: Path) -> None:
    out = build(gongshi, late, tmp_path / "site")
    portal = out / "supervision/index.html"
    drill = [h for h in parse(portal).hrefs if "supervision.html#" in h]
    wanted = {"summary", "late-publications", "late-withdrawals", "findings", "expiring"}
    assert {h.partition("#")[2] for h in drill} == wanted
    for href in drill + [f"../{SUPERVISION}#{a}" for a in ("overdue-publications",)]:
        target, _, anchor = href.partition("#")
        assert anchor in parse((portal.parent / target).resolve()).ids, href
    agency = parse(out / SUPERVISION)
    local = [h[1:] for h in agency.hrefs if h.startswith("#")]
    assert {"late-publications", "late-withdrawals"} <= set(local)
    assert all(anchor in agency.ids for anchor in local)


def test_certificates_nearing_expiry(late: Repo, gongshi: Run, tmp_path: Path) -> None:
    out = build(gongshi, late, tmp_path / "site")
    page = (out / SUPERVISION).read_text("utf-8")
    listed = section(page, "expiring")
    assert "执法证即将到期（1 名）" in listed and "王海" in listed
    assert "2026年12月10日" in listed and "16 天" in listed
    assert "欧阳明轩" not in listed  # valid to 2027-12-31
    assert 'href="../../officers/33029900000003.html"' in listed
    portal = (out / "supervision/index.html").read_text("utf-8")
    link = '<a href="../agencies/demo-bureau/supervision.html#expiring">1</a>'
    assert f'<td data-label="证件即将到期">{link}' in portal


def officer(valid_until: str, status: str = "在岗") -> Record:
    place = Place(Kind.OFFICER, "demo-bureau", "1", "1")
    data = {"valid_from": "2020-01-01", "valid_until": valid_until, "status": status}
    return Record(Kind.OFFICER, "1.yaml", place, data, {})


def test_expires_within_is_inclusive_and_only_for_valid_certificates() -> None:
    as_of = dt.date(2026, 11, 24)
    assert expires_within(officer("2026-11-24"), as_of, 30)  # its last valid day
    assert expires_within(officer("2026-12-24"), as_of, 30)
    assert not expires_within(officer("2026-12-25"), as_of, 30)
    assert not expires_within(officer("2026-11-23"), as_of, 30)  # already expired
    assert not expires_within(officer("2026-12-01", "暂扣"), as_of, 30)


# No git vocabulary on public pages ------------------------------------------------------------

GIT_WORDS = re.compile(r"(?i)\bgit\b|commit|merge|branch|发布分支|合并进|分支|提交")
# Attributes a reader sees or hears; class names and addresses are not public wording.
READ_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder", "content"})


class PublicText(HTMLParser):
    """What a reader sees or hears of a page: its text (no script or style) and the attributes
    read out; with ``main_only``, only the page's own content (<main>), not header and footer."""

    def __init__(self, main_only: bool = False) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.main = 0 if main_only else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.main += tag == "main"
        self.skip += tag in ("script", "style")
        if self.main:
            self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        self.main -= tag == "main"
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self.main and not self.skip:
            self.parts.append(data)


def git_words(html: str, main_only: bool = False) -> list[str]:
    reader = PublicText(main_only)
    reader.feed(html)
    return GIT_WORDS.findall(" ".join(reader.parts))


def test_the_git_word_scan_can_fail() -> None:
    old = '<main><p>日期以记录合并进发布分支（git）的日期为准</p><a title="commit">版</a></main>'
    assert git_words(old) == ["合并进", "发布分支", "git", "commit"]
    assert git_words('<p class="commit-id">第 2 版</p>') == []
    assert git_words("<footer>未提交</footer><main>公示</main>", main_only=True) == []


def public_pages(site: Path) -> list[Path]:
    pages = [
        site / "supervision/index.html",
        site / "pages/about.html",
        *site.glob("agencies/*/supervision.html"),
        *site.glob("agencies/*/decisions/*/*.html"),
        *site.glob("officers/*.html"),
    ]
    return [p for p in pages if p.name != "index.html" or "supervision" in p.parts]


def test_no_git_words_on_public_pages(late: Repo, gongshi: Run, tmp_path: Path) -> None:
    out = build(gongshi, late, tmp_path / "site", "--publish")
    pages = public_pages(out)
    assert len(pages) >= 10
    for page in pages:
        found = git_words(page.read_text("utf-8"))
        assert not found, f"{page.relative_to(out)}: {found}"


def test_no_git_words_on_the_mini_portal_pages(tmp_path: Path, gongshi: Run) -> None:
    repo = history_repo(tmp_path / "repo")
    out = build(gongshi, repo, tmp_path / "site", "--publish")
    for page in public_pages(out):
        found = git_words(page.read_text("utf-8"))
        assert not found, f"{page.relative_to(out)}: {found}"


def test_no_git_words_on_the_demo_about_and_supervision_pages(demo_site: Path) -> None:
    """The demo is built as a preview of a working tree: its footer may say the tree has
    changes not yet published, which a publish build refuses. The pages' own content is
    what the public reads on any build."""
    pages = [demo_site / "pages/about.html", *demo_site.glob("agencies/*/supervision.html")]
    pages += list(demo_site.glob("supervision/*.html"))
    assert len(pages) >= 3
    for page in pages:
        found = git_words(page.read_text("utf-8"), main_only=True)
        assert not found, f"{page.relative_to(demo_site)}: {found}"


# late_reason in the registers and the open data -------------------------------------------------

MINI_DECISIONS = "agencies/demo-bureau/decisions"


def with_reasons(content: Path) -> None:
    current = content / MINI_DECISIONS / "2026/2026-001.yaml"
    current.write_text(current.read_text("utf-8") + f"late_reason: {HOLIDAY_REASON}\n", "utf-8")
    withdrawn = content / MINI_DECISIONS / "2025/2025-007.yaml"
    text = withdrawn.read_text("utf-8").rstrip("\n") + f"\n  late_reason: {WITHDRAWAL_REASON}\n"
    withdrawn.write_text(text, "utf-8")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_late_reasons_round_trip_through_the_clerk_register(
    suffix: str, mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    with_reasons(mini)
    assert gongshi("validate", "--content", str(mini)).code == 0
    layout = layout_for(Kind.DECISION)
    titles = {c.name: c.title for c in layout.columns}
    assert titles["late_reason"] == "迟延公示原因"
    assert titles["withdrawal.late_reason"].endswith("迟延撤回原因")
    expected = {p.name: load_path(p).data for p in mini.glob(f"{MINI_DECISIONS}/*/*.yaml")}
    register = tmp_path / f"decisions{suffix}"
    assert gongshi("export", "decisions", "--output", str(register)).code == 0
    shutil.rmtree(mini / MINI_DECISIONS)
    result = gongshi("import", str(register))
    assert result.code == 0, result.out + result.err
    imported = {p.name: load_path(p).data for p in mini.glob(f"{MINI_DECISIONS}/*/*.yaml")}
    assert imported == expected
    assert imported["2026-001.yaml"]["late_reason"] == HOLIDAY_REASON
    assert imported["2025-007.yaml"]["withdrawal"]["late_reason"] == WITHDRAWAL_REASON


def test_open_data_exports_the_late_reason_of_published_decisions(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    with_reasons(mini)
    out = tmp_path / "site"
    result = gongshi("build", "--content", str(mini), "--output", str(out), "--as-of", AS_OF)
    assert result.code == 0, result.out + result.err
    with (out / "data/decisions.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["doc_no"]: row for row in csv.DictReader(handle)}
    assert rows["测市监处罚〔2026〕1号"]["late_reason"] == HOLIDAY_REASON
    assert "测市监处罚〔2025〕7号" not in rows  # withdrawn: nothing of it is exported
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    [decisions] = [r for r in package["resources"] if r["name"] == "decisions"]
    field = next(f for f in decisions["schema"]["fields"] if f["name"] == "late_reason")
    assert field["title"] == "迟延公示原因"
    assert WITHDRAWAL_REASON not in (out / "data/decisions.json").read_text("utf-8")


def test_withdraw_writes_a_late_reason_and_refuses_a_bad_one(
    tmp_path: Path, gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    path = decision_path(1, 2024)
    repo.pull_request(
        {path: decision(1, "2024-03-05")}, "2024-03-05T09:00:00+08:00", "2024-03-06T16:00:00+08:00"
    )
    monkeypatch.chdir(repo.root)
    args = ["--cause", "撤销", "--occurred-on", "2024-05-06", "--reason", "经复议，原决定被撤销。"]
    before = (repo.root / path).read_bytes()
    refused = gongshi("withdraw", path, *args, "--late-reason", "联系人电话13951786042")
    assert refused.code == 1 and "privacy.mobile" in refused.out
    refused = gongshi("withdraw", path, *args, "--late-reason", "late")
    assert refused.code == 1 and "withdrawal.late_reason" in refused.out
    assert (repo.root / path).read_bytes() == before
    result = gongshi("withdraw", path, *args, "--late-reason", WITHDRAWAL_REASON)
    assert result.code == 0, result.out + result.err
    assert load_path(repo.root / path).data["withdrawal"]["late_reason"] == WITHDRAWAL_REASON


def test_a_long_late_list_has_its_own_pages(gongshi: Run, tmp_path: Path) -> None:
    """An agency with many late publications: its supervision page shows the first rows and
    links the whole list, in pages, every late decision on exactly one of them."""
    repo = Repo(tmp_path / "repo")
    files = mini_base()
    late = 45  # three pages of 20
    for n in range(1, late + 1):
        files[decision_path(100 + n, 2026)] = decision(100 + n, "2026-10-12")
    repo.commit(files, "2026-11-10T10:00:00+08:00", "迟交的决定")  # weeks after 7 working days
    out = build(gongshi, repo, tmp_path / "site")
    page = (out / SUPERVISION).read_text("utf-8")
    shown = rows(section(page, "late-publications"))
    assert len(shown) == LATE_SHOWN
    first = out / SUPERVISION.replace(".html", "/late-publications/index.html")
    assert f"全部 {late} 件（分页列出）" in page
    assert 'href="../../agencies/demo-bureau/supervision/late-publications/index.html"' in page
    listed: list[str] = []
    for number in (1, 2, 3):
        name = "index.html" if number == 1 else f"page-{number}.html"
        html = (first.parent / name).read_text("utf-8")
        listed += re.findall(r"测市监决〔2026〕(\d+)号", "".join(rows(html)))
    assert sorted(map(int, listed)) == list(range(101, 101 + late))
    assert not (first.parent / "page-4.html").exists()
    # The short lists have no pages of their own.
    assert not (out / SUPERVISION.replace(".html", "/late-withdrawals")).exists()
