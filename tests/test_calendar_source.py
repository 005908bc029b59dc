"""Calendars say where they come from: a calendar file names the notice it copies (title and
number) or says plainly that it is not official; `gongshi deadline` and `gongshi report` name the
calendar used for each year."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import Result
from gitrepo import Repo, decision, decision_path, mini_base
from gongshi_history.workdays import PACKAGE_ONLY, PACKAGE_VERSION, calendar_from_content
from gongshi_records.calendarsource import source_of, upgrade_hint
from gongshi_records.paths import PROJECT_ROOT

Run = Callable[..., Result]
MINI = Path(__file__).parent / "fixtures" / "mini"
DEMO_CALENDAR = PROJECT_ROOT / "content/calendar/2027.yaml"
NOTICE = (
    "source:\n  title: 国务院办公厅关于2027年部分节假日安排的通知\n"
    "  number: 国办发明电〔2026〕1号\n"
)
DAYS = "holidays: [2027-01-01, 2027-02-08]\nworkdays: [2027-02-20]\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder: paths in the output are relative to it (content/calendar/…)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def portal(tmp_path: Path, calendar: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "calendar").mkdir(exist_ok=True)
    (content / "calendar/2027.yaml").write_text(calendar, "utf-8")
    return content


def test_the_demo_calendar_says_it_is_not_official() -> None:
    """The demo's 2027 calendar is invented: it must not cite a notice number."""
    source = yaml.safe_load(DEMO_CALENDAR.read_text("utf-8"))["source"]
    assert source["official"] is False
    assert "演示数据" in source["note"] and "不是" in source["note"]
    assert "number" not in source and "〔" not in str(source)


def test_each_form_of_source_reads_as_a_line_for_people() -> None:
    official = source_of(
        {"title": "国务院办公厅关于2027年部分节假日安排的通知", "number": "X〔2026〕1号"}
    )
    assert official.official is True
    assert official.label() == "国务院办公厅关于2027年部分节假日安排的通知（X〔2026〕1号）"
    demo = source_of({"official": False, "note": "演示数据。"})
    assert demo.official is False and demo.label() == "非官方数据：演示数据"
    assert (
        source_of("国办发明电〔2025〕7号").label().startswith("依据：国办发明电〔2025〕7号（旧写法")
    )
    assert source_of(None).label() == "未注明依据"


def test_an_old_one_line_source_gets_its_new_form() -> None:
    line = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）"
    assert upgrade_hint(line) == (
        "source: {title: 国务院办公厅关于2027年部分节假日安排的通知, number: 国办发明电〔2026〕9号}"
    )
    assert (
        upgrade_hint("国办发明电〔2025〕7号")
        == "source: {title: 通知标题, number: 国办发明电〔2025〕7号}"
    )
    assert upgrade_hint("放假通知") == "source: {title: 通知标题, number: 通知文号}"


def test_an_old_one_line_source_is_read_with_a_warning(gongshi: Run, here: Path) -> None:
    content = portal(here, "source: 国办发明电〔2026〕1号\n" + DAYS)
    result = gongshi("validate", "--content", str(content))
    assert result.code == 0, result.out
    assert "warning [calendar.source]" in result.out
    assert "number: 国办发明电〔2026〕1号" in result.out
    assert gongshi("deadline", "2027-02-05", "1", "--content", str(content)).out == "2027-02-09\n"


def test_unofficial_data_citing_a_notice_number_is_an_error(gongshi: Run, here: Path) -> None:
    calendar = "source: {official: false, note: 推算, number: 国办发明电〔2026〕1号}\n" + DAYS
    result = gongshi("validate", "--content", str(portal(here, calendar)))
    assert result.code == 1
    assert "error [calendar.unofficial]" in result.out


def test_deadline_names_the_package_and_the_notice_of_each_year(gongshi: Run, here: Path) -> None:
    content = portal(here, NOTICE + DAYS)
    result = gongshi("deadline", "2026-12-30", "3", "--content", str(content))
    assert result.code == 0
    assert result.out == "2027-01-05\n"  # stdout stays the date alone, for scripts
    assert result.err.splitlines() == [
        f"工作日历 2026 年：chinese-calendar {PACKAGE_VERSION}",
        "工作日历 2027 年：content/calendar/2027.yaml"
        "（国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕1号））",
    ]


def test_deadline_says_when_a_year_is_demo_data(gongshi: Run, here: Path) -> None:
    content = portal(here, "source: {official: false, note: 演示数据}\n" + DAYS)
    result = gongshi("deadline", "2027-02-05", "1", "--content", str(content))
    assert "2027 年：content/calendar/2027.yaml（非官方数据：演示数据）" in result.err
    assert "chinese-calendar" not in result.err  # 2026 was not counted through


def test_deadline_json_has_a_calendars_field(gongshi: Run, here: Path) -> None:
    content = portal(here, NOTICE + DAYS)
    data = gongshi(
        "deadline", "2026-12-30", "3", "--content", str(content), "--format", "json"
    ).json()
    assert data["date"] == "2027-01-05"
    package, notice = data["calendars"]
    assert package["year"] == 2026 and package["file"] is None
    assert package["package"] == f"chinese-calendar {PACKAGE_VERSION}"
    assert notice["year"] == 2027 and notice["file"] == "content/calendar/2027.yaml"
    assert notice["source"] == {
        "official": True,
        "title": "国务院办公厅关于2027年部分节假日安排的通知",
        "number": "国办发明电〔2026〕1号",
    }
    zero = gongshi("deadline", "2026-12-30", "0", "--content", str(content), "--format", "json")
    assert zero.json() == {"date": "2026-12-30", "calendars": []}  # no day was counted


def test_a_file_correcting_a_package_year_names_both(here: Path) -> None:
    content = portal(here, NOTICE + DAYS)
    (content / "calendar/2026.yaml").write_text(
        "source: {official: false, note: 测试}\nholidays: [2026-12-31]\nworkdays: []\n", "utf-8"
    )
    calendar = calendar_from_content(content).tracking()
    assert not calendar.is_workday(dt.date(2026, 12, 31))  # the file's holiday, not the package's
    [use] = [u for u in calendar.used() if u.year == 2026]
    package = f"chinese-calendar {PACKAGE_VERSION}"
    assert use.label() == f"2026 年：content/calendar/2026.yaml（非官方数据：测试），修正 {package}"


def test_calendars_do_not_share_what_they_were_asked() -> None:
    tracked = PACKAGE_ONLY.tracking()
    tracked.add_working_days(dt.date(2024, 12, 30), 5)
    assert [u.year for u in tracked.used()] == [2024, 2025]
    assert PACKAGE_ONLY.used() == [] and PACKAGE_ONLY.tracking().used() == []


@pytest.fixture
def late_december(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A decision of 28 December 2026: its 7 working days run into 2027 (the notice's file)."""
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {**mini_base(), "content/calendar/2027.yaml": NOTICE + DAYS}, "2026-01-05T10:00:00+08:00"
    )
    repo.pull_request(
        {decision_path(1, 2026): decision(1, "2026-12-28")},
        "2026-12-28T09:00:00+08:00",
        "2026-12-30T16:00:00+08:00",
    )
    monkeypatch.chdir(repo.root)
    return repo


def test_report_names_the_calendar_of_each_year(late_december: Repo, gongshi: Run) -> None:
    text = gongshi("report", "--as-of", "2027-01-20").out
    tail = text.split("期限按以下工作日历计算：\n", 1)[1].splitlines()
    assert tail == [
        f"2026 年：chinese-calendar {PACKAGE_VERSION}",
        "2027 年：content/calendar/2027.yaml"
        "（国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕1号））",
    ]
    data = gongshi("report", "--as-of", "2027-01-20", "--format", "json").json()
    assert [c["year"] for c in data["calendars"]] == [2026, 2027]
    assert data["calendars"][1]["source"]["number"] == "国办发明电〔2026〕1号"
