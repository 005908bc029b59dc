"""Deadline rules over real histories: merge dates decide, the due day is on time, no guessing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write
from gitrepo import AGENCY, WITHDRAWAL, Repo, decision, decision_path, mini_base
from gongshi_history.deadlines import (
    State,
    deadline_settings,
    judge,
    judge_decisions,
    judge_publication,
    judge_withdrawal,
    statistics_duties,
)
from gongshi_history.report import build_report, deadline_outcomes
from gongshi_history.trail import History, read_history
from gongshi_history.workdays import PACKAGE_ONLY, WorkCalendar
from gongshi_records import Corpus, Record, validate_content
from gongshi_records.forking import PROCESSES_ENV, can_fork

D = dt.date.fromisoformat
AS_OF = D("2025-06-30")


def merged(repo: Repo, path: str, text: str, clerk: str, merge: str) -> None:
    repo.pull_request({path: text}, f"{clerk}T09:00:00+08:00", f"{merge}T16:00:00+08:00")


def load(repo: Repo) -> tuple[Corpus, History]:
    validation = validate_content(repo.root / "content")
    assert not [f for f in validation.findings if f.severity == "error"], validation.findings
    return validation.corpus, read_history(repo.root / "content")


def record(corpus: Corpus, path: str) -> Record:
    return next(r for r in corpus if r.path == path)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    return repo


def test_judge_due_day_is_on_time() -> None:
    start = D("2024-09-27")
    assert judge(PACKAGE_ONLY, start, 7, D("2024-10-12"), AS_OF) == (
        D("2024-10-12"),
        State.ON_TIME,
        None,
    )
    assert judge(PACKAGE_ONLY, start, 7, D("2024-10-14"), AS_OF)[1] is State.LATE
    assert judge(PACKAGE_ONLY, start, 7, None, D("2024-10-12"))[1] is State.PENDING
    assert judge(PACKAGE_ONLY, start, 7, None, D("2024-10-13"))[1] is State.OVERDUE


def test_judge_never_guesses_in_an_uncovered_year() -> None:
    start = D("2031-03-03")
    assert judge(PACKAGE_ONLY, start, 7, D("2031-03-10"), AS_OF) == (None, State.UNASSESSED, 2031)
    assert judge(PACKAGE_ONLY, start, 7, None, D("2031-06-01"))[1:] == (State.UNASSESSED, 2031)
    # Before the uncovered year starts nothing depends on it.
    crossing = D("2026-12-25")
    assert judge(PACKAGE_ONLY, crossing, 7, D("2026-12-30"), AS_OF) == (None, State.ON_TIME, None)
    assert judge(PACKAGE_ONLY, crossing, 7, None, D("2026-12-31"))[1] is State.PENDING
    assert judge(PACKAGE_ONLY, crossing, 7, D("2027-01-04"), AS_OF)[1:] == (
        State.UNASSESSED,
        2027,
    )
    calendar = WorkCalendar(years=frozenset({2027}), holidays=frozenset({D("2027-01-01")}))
    assert judge(calendar, crossing, 7, D("2027-01-06"), AS_OF)[:2] == (
        D("2027-01-06"),
        State.ON_TIME,
    )


def test_publication_counts_from_the_merge(repo: Repo) -> None:
    on_due_day, late, clerk_on_time = (decision_path(n, 2024) for n in (1, 2, 3))
    # Decided Friday 2024-09-27: due Saturday 2024-10-12, a makeup working day.
    merged(repo, on_due_day, decision(1, "2024-09-27"), "2024-09-27", "2024-10-12")
    merged(repo, late, decision(2, "2024-09-27"), "2024-09-30", "2024-10-14")
    # The clerk committed in time, but the publication is the merge.
    merged(repo, clerk_on_time, decision(3, "2024-09-27"), "2024-09-28", "2024-10-15")
    corpus, history = load(repo)
    outcomes = {
        p: judge_publication(record(corpus, p), history, PACKAGE_ONLY, corpus, AS_OF)
        for p in (on_due_day, late, clerk_on_time)
    }
    first = outcomes[on_due_day]
    assert first is not None
    assert (first.due, first.actual, first.state) == (
        D("2024-10-12"),
        D("2024-10-12"),
        State.ON_TIME,
    )
    assert [o.state for o in outcomes.values() if o] == [State.ON_TIME, State.LATE, State.LATE]


def test_other_categories_have_20_working_days(repo: Repo) -> None:
    on_time, late = decision_path(1, 2024), decision_path(2, 2024)
    merged(
        repo, on_time, decision(1, "2024-09-02", category="行政检查"), "2024-09-03", "2024-09-30"
    )
    merged(repo, late, decision(2, "2024-09-02", category="行政检查"), "2024-09-03", "2024-10-08")
    corpus, history = load(repo)
    first = judge_publication(record(corpus, on_time), history, PACKAGE_ONLY, corpus, AS_OF)
    second = judge_publication(record(corpus, late), history, PACKAGE_ONLY, corpus, AS_OF)
    assert first is not None and second is not None
    assert (first.days, first.due, first.state) == (20, D("2024-09-30"), State.ON_TIME)
    assert second.state is State.LATE


def test_unpublished_decision_is_overdue_after_the_due_date(repo: Repo) -> None:
    path = decision_path(1, 2024)
    repo.write(path, decision(1, "2024-09-27"))
    corpus, history = load(repo)
    judged = judge_publication(record(corpus, path), history, PACKAGE_ONLY, corpus, AS_OF)
    assert judged is not None and (judged.actual, judged.state) == (None, State.OVERDUE)
    early = judge_publication(record(corpus, path), history, PACKAGE_ONLY, corpus, D("2024-10-01"))
    assert early is not None and early.state is State.PENDING


def test_declared_publication_date_of_a_migrated_record(repo: Repo) -> None:
    path = decision_path(1, 2024)
    text = decision(1, "2024-03-05", extra="published_on: 2024-03-08\n")
    merged(repo, path, text, "2025-01-10", "2025-01-15")
    corpus, history = load(repo)
    judged = judge_publication(record(corpus, path), history, PACKAGE_ONLY, corpus, AS_OF)
    assert judged is not None
    assert (judged.declared, judged.from_git, judged.actual) == (
        D("2024-03-08"),
        D("2025-01-15"),
        D("2024-03-08"),
    )
    assert judged.state is State.ON_TIME


def test_warning_only_penalties_are_not_due_unless_published_by_setting(repo: Repo) -> None:
    path = decision_path(1, 2024)
    text = decision(1, "2024-03-05").replace("{kinds: [罚款], fine: 5000}", "{kinds: [警告]}")
    repo.write(path, text)
    corpus, history = load(repo)
    assert judge_publication(record(corpus, path), history, PACKAGE_ONLY, corpus, AS_OF) is None


def test_withdrawal_within_three_working_days(repo: Repo) -> None:
    on_time, late = decision_path(1, 2024), decision_path(2, 2024)
    merged(repo, on_time, decision(1, "2024-03-05"), "2024-03-05", "2024-03-06")
    merged(repo, late, decision(2, "2024-03-05"), "2024-03-05", "2024-03-06")
    # Event on Monday 2024-05-06 (after the May Day holiday): due Thursday 2024-05-09.
    for path, merge in ((on_time, "2024-05-09"), (late, "2024-05-10")):
        text = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
        merged(repo, path, text, "2024-05-06", merge)
    corpus, history = load(repo)
    first = judge_withdrawal(record(corpus, on_time), history, PACKAGE_ONLY, corpus, AS_OF)
    second = judge_withdrawal(record(corpus, late), history, PACKAGE_ONLY, corpus, AS_OF)
    assert first is not None and second is not None
    assert (first.due, first.actual, first.state) == (
        D("2024-05-09"),
        D("2024-05-09"),
        State.ON_TIME,
    )
    assert (second.actual, second.state) == (D("2024-05-10"), State.LATE)


@pytest.mark.parametrize("processes", ["1", "2", "3"])
def test_outcomes_judged_in_forked_workers_are_those_of_one_process(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """deadline_outcomes spreads the decisions over the cores (100,000 at scale): the same
    outcomes, in the same order, each with the build's own record, as judged here."""
    assert can_fork()
    for number, merge in ((1, "2024-03-06"), (2, "2024-03-20"), (3, "2024-03-07")):
        path = decision_path(number, 2024)
        merged(repo, path, decision(number, "2024-03-05"), "2024-03-05", merge)
    path = decision_path(1, 2024)
    text = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    merged(repo, path, text, "2024-05-06", "2024-05-13")
    corpus, history = load(repo)
    monkeypatch.setenv(PROCESSES_ENV, processes)
    outcomes = deadline_outcomes(corpus, history, PACKAGE_ONLY, AS_OF)
    alone = list(judge_decisions(corpus, history, PACKAGE_ONLY, AS_OF))
    assert [(o.record.path, o.duty) for o in alone] == [
        (decision_path(1, 2024), "publication"),
        (decision_path(1, 2024), "withdrawal"),
        (decision_path(2, 2024), "publication"),
        (decision_path(3, 2024), "publication"),
    ]
    assert outcomes == alone
    assert all(o.record is a.record for o, a in zip(outcomes, alone, strict=True))
    assert [o.state for o in alone] == [State.ON_TIME, State.LATE, State.LATE, State.ON_TIME]


def test_the_report_names_every_calendar_its_deadlines_used_however_many_cores(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gongshi report` lists the calendar of each year a deadline was counted in: its
    calendar remembers the years it decides, so its deadlines are judged in one process (a
    forked worker's years would not come back)."""
    merged(repo, decision_path(1, 2024), decision(1, "2024-12-27"), "2024-12-27", "2025-01-08")
    # Two decisions: a single one is never sent to a worker.
    merged(repo, decision_path(2, 2024), decision(2, "2024-12-30"), "2024-12-30", "2025-01-02")
    corpus, history = load(repo)
    reports = {}
    for processes in ("1", "2"):
        monkeypatch.setenv(PROCESSES_ENV, processes)
        reports[processes] = build_report(corpus, history, PACKAGE_ONLY, AS_OF).as_dict()
    assert [c["year"] for c in reports["1"]["calendars"]] == [2024, 2025]
    assert reports["2"] == reports["1"]


def test_settings_override_per_portal_then_agency(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for path, text in mini_base().items():
        write(tmp_path / path, text)
    portal = content / "portal.yaml"
    portal.write_text(
        portal.read_text("utf-8") + "settings:\n  deadlines: {行政处罚: 5, default: 15}\n", "utf-8"
    )
    agency = tmp_path / AGENCY / "agency.yaml"
    agency.write_text(
        agency.read_text("utf-8") + "settings:\n  deadlines: {行政处罚: 4, withdrawal: 2}\n",
        "utf-8",
    )
    validation = validate_content(content)
    assert validation.findings == []  # the schemas know the new settings
    settings = deadline_settings(validation.corpus, "demo-bureau")
    assert settings.publication_days("行政处罚") == 4  # agency wins
    assert settings.publication_days("行政许可") == 7  # untouched default
    assert settings.publication_days("行政检查") == 15  # portal default
    assert settings.withdrawal_days == 2 and settings.certificate_notice == 30
    other = deadline_settings(validation.corpus, "other-agency")
    assert other.publication_days("行政处罚") == 5 and other.withdrawal_days == 3


def test_unknown_settings_key_is_a_validation_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for path, text in mini_base().items():
        write(tmp_path / path, text)
    portal = content / "portal.yaml"
    portal.write_text(portal.read_text("utf-8") + "settings:\n  deadlines: {处罚: 5}\n", "utf-8")
    rules = {f.rule for f in validate_content(content).findings}
    assert rules == {"settings.deadlines.处罚"}


def test_statistics_due_by_31_january(repo: Repo) -> None:
    merged(repo, decision_path(1, 2023), decision(1, "2023-05-05"), "2023-05-06", "2023-05-08")
    merged(repo, decision_path(1, 2024), decision(1, "2024-05-06"), "2024-05-06", "2024-05-08")
    stats = f"{AGENCY}/statistics/2023.yaml"
    merged(repo, stats, "year: 2023\n", "2024-01-30", "2024-01-31")  # the due day: on time
    corpus, history = load(repo)
    duties = {d.year: d for d in statistics_duties(corpus, history, D("2025-02-01"))}
    assert (duties[2023].due, duties[2023].state) == (D("2024-01-31"), State.ON_TIME)
    assert (duties[2024].path, duties[2024].state) == (
        f"{AGENCY}/statistics/2024.yaml",
        State.OVERDUE,
    )
    pending = {d.year: d.state for d in statistics_duties(corpus, history, D("2025-01-31"))}
    assert pending[2024] is State.PENDING
    assert 2024 not in {d.year for d in statistics_duties(corpus, history, D("2023-12-31"))}
