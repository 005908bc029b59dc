"""The working-day calendar: holidays, makeup working days (调休), calendar files, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, write
from gongshi_history.workdays import (
    PACKAGE_LAST_YEAR,
    PACKAGE_ONLY,
    CalendarInvalid,
    CalendarMissing,
    WorkCalendar,
    add_working_days,
    calendar_from_content,
)
from hypothesis import given, settings
from hypothesis import strategies as st

Run = Callable[..., Result]
D = dt.date.fromisoformat


def weekday_count(start: dt.date, days: int) -> dt.date:
    """The naive count the calendar must not do."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2019-09-27", 7, "2019-10-12"),  # Sat 09-29 and Sat 10-12 worked, Oct 1–7 off
        ("2024-09-27", 7, "2024-10-12"),
        ("2026-02-13", 7, "2026-03-02"),  # Spring Festival
    ],
)
def test_official_working_days(start: str, days: int, due: str) -> None:
    assert add_working_days(D(start), days) == D(due)
    assert weekday_count(D(start), days) != D(due)  # a weekday-only count gets these wrong


def test_holidays_and_makeup_days_in_the_same_month() -> None:
    # Mid-Autumn 2024: Mon–Tue 09-16/17 off, Sat 09-14 worked; Sun 09-29 worked for National Day.
    # Over 20 working days they balance out, but not on the way.
    assert add_working_days(D("2024-09-02"), 20) == D("2024-09-30")
    assert add_working_days(D("2024-09-02"), 10) == D("2024-09-14")
    assert weekday_count(D("2024-09-02"), 10) == D("2024-09-16")
    assert add_working_days(D("2024-09-13"), 1) == D("2024-09-14")
    assert add_working_days(D("2024-09-14"), 1) == D("2024-09-18")


def test_the_decision_day_is_not_counted() -> None:
    assert add_working_days(D("2024-03-04"), 1) == D("2024-03-05")  # Monday → Tuesday
    assert add_working_days(D("2024-03-08"), 1) == D("2024-03-11")  # Friday → Monday
    assert add_working_days(D("2024-03-09"), 0) == D("2024-03-09")
    with pytest.raises(ValueError):
        add_working_days(D("2024-03-09"), -1)


def test_a_year_without_calendar_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarMissing, match="2031") as missing:
        add_working_days(D("2031-03-03"), 7)
    assert missing.value.year == 2031
    assert "content/calendar/2031.yaml" in str(missing.value)
    # Crossing into an uncovered year is refused too, naming that year.
    with pytest.raises(CalendarMissing) as crossing:
        add_working_days(D("2026-12-25"), 7)
    assert crossing.value.year == 2027
    assert not PACKAGE_ONLY.covers(2027) and PACKAGE_ONLY.covers(2026)


CALENDAR_2031 = "holidays: [2031-01-01, 2031-01-02]\nworkdays: [2031-01-04]\n"


def test_calendar_file_covers_a_later_year(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content / "calendar/2031.yaml", CALENDAR_2031)
    calendar = calendar_from_content(content)
    assert calendar.covers(2031)
    # Tue 2030-12-31 + 3: Jan 1–2 off, Fri Jan 3, Sat Jan 4 (调休), Mon Jan 6.
    with pytest.raises(CalendarMissing, match="2030"):
        calendar.add_working_days(D("2030-12-30"), 3)
    assert calendar.add_working_days(D("2031-01-01"), 2) == D("2031-01-04")
    assert calendar.add_working_days(D("2031-01-01"), 3) == D("2031-01-06")


def test_calendar_file_corrects_a_package_year(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content / "calendar/2024.yaml", "holidays: [2024-09-30]\nworkdays: [2024-09-08]\n")
    calendar = calendar_from_content(content)
    # 09-08 (Sunday) now counts, 09-30 no longer does.
    assert calendar.add_working_days(D("2024-09-02"), 20) == D("2024-09-29")
    assert calendar.add_working_days(D("2024-09-02"), 21) == D("2024-10-08")


def test_broken_calendar_file_is_an_error_not_a_missing_holiday(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content / "calendar/2031.yaml", "holidays: [2031-02-30]\nworkdays: []\n")
    with pytest.raises(CalendarInvalid, match=r"2031\.yaml"):
        calendar_from_content(content)


def test_deadline_command(gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no content/ here: the built-in calendar only
    result = gongshi("deadline", "2019-09-27", "7")
    assert (result.code, result.out) == (0, "2019-10-12\n")
    assert gongshi("deadline", "2024-09-02", "20").out == "2024-09-30\n"
    refused = gongshi("deadline", "2031-03-03", "7")
    assert refused.code == 2 and refused.out == ""
    assert "2031" in refused.err and "calendar/2031.yaml" in refused.err
    write(tmp_path / "cal/calendar/2031.yaml", CALENDAR_2031)
    covered = gongshi("deadline", "2031-01-01", "3", "--content", "cal")
    assert (covered.code, covered.out) == (0, "2031-01-06\n")


def test_deadline_command_bad_arguments(gongshi: Run, tmp_path: Path) -> None:
    assert gongshi("deadline", "2024-02-30", "7").code == 2
    assert gongshi("deadline", "2024-03-01", "-1").code == 2
    assert gongshi("deadline", "2024-03-01", "七").code == 2
    missing = gongshi("deadline", "2024-03-01", "7", "--content", str(tmp_path / "nope"))
    assert missing.code == 2 and "不存在" in missing.err


def walked_late(calendar: WorkCalendar, due: dt.date, done: dt.date) -> int:
    """working_days_late as it was written first: a walk through every day."""
    if done <= due:
        return 0
    late, day = 0, due
    while day < done:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            late += 1
    return late if calendar.is_workday(done) else late + 1


def _outcome(run: Callable[[], int]) -> int | str:
    try:
        return run()
    except CalendarMissing as missing:
        return f"missing {missing}"


_LAST = PACKAGE_LAST_YEAR + 2  # a year of its own calendar file and one no calendar covers
_DAYS = st.dates(dt.date(PACKAGE_LAST_YEAR - 3, 1, 1), dt.date(_LAST, 12, 31))


@settings(max_examples=300, deadline=None)
@given(due=_DAYS, done=_DAYS, extra_holidays=st.lists(_DAYS, max_size=5))
def test_counting_by_running_totals_is_the_walk_through_every_day(
    due: dt.date, done: dt.date, extra_holidays: list[dt.date]
) -> None:
    """The same count, the same CalendarMissing, the same years consulted, as the walk."""
    own = PACKAGE_LAST_YEAR + 1
    base = WorkCalendar(
        holidays=frozenset([*extra_holidays, dt.date(own, 1, 1)]),
        workdays=frozenset({dt.date(own, 2, 7)}),
        years=frozenset({own}),
    )
    counted, walked = base.tracking(), base.tracking()
    assert _outcome(lambda: counted.working_days_late(due, done)) == _outcome(
        lambda: walked_late(walked, due, done)
    )
    assert counted.consulted == walked.consulted
    # Asked again (the years' totals kept): the same answer, the same years consulted.
    assert counted.consulted is not None
    counted.consulted.clear()
    assert _outcome(lambda: counted.working_days_late(due, done)) == _outcome(
        lambda: walked_late(walked, due, done)
    )
    assert counted.consulted == walked.consulted


@settings(max_examples=300, deadline=None)
@given(start=_DAYS, days=st.integers(0, 40), extra_holidays=st.lists(_DAYS, max_size=5))
def test_a_remembered_deadline_is_the_walk_and_consults_the_same_years(
    start: dt.date, days: int, extra_holidays: list[dt.date]
) -> None:
    base = WorkCalendar(holidays=frozenset(extra_holidays), years=frozenset())
    tracked, fresh = base.tracking(), base.tracking()
    first = _outcome(lambda: tracked.add_working_days(start, days).toordinal())
    assert first == _outcome(lambda: fresh._walk_working_days(start, days).toordinal())
    assert tracked.consulted == fresh.consulted
    assert tracked.consulted is not None
    tracked.consulted.clear()
    assert _outcome(lambda: tracked.add_working_days(start, days).toordinal()) == first
    assert tracked.consulted == fresh.consulted
