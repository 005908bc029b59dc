"""Statistics that need the git history: the years an agency owes from the day its agency.yaml
was published, and timeliness (publications and withdrawals on time) per agency and year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gitrepo import WITHDRAWAL, Repo, decision, decision_path, mini_base
from gongshi_exports import open_data
from gongshi_history.trail import read_history
from gongshi_portal.audit import read_audit
from gongshi_portal.site import Site
from gongshi_records import validate_content
from gongshi_records.publication import public_view
from gongshi_statistics.figures import compute
from gongshi_statistics.model import PortalStatistics, Timeliness
from gongshi_statistics.timeliness import timeliness_by_year
from statsfixture import QUIET_AGENCY, power

QUIET = "content/agencies/quiet-bureau"


def pr(repo: Repo, path: str, text: str, clerk: str, merge: str) -> None:
    repo.pull_request({path: text}, f"{clerk}T09:00:00+08:00", f"{merge}T16:00:00+08:00")


def history_portal(tmp_path: Path) -> Repo:
    """The mini portal from 2024, a quiet agency from 2023 that never decides anything, and
    demo-bureau decisions published and withdrawn on time in 2024 and late in 2025."""
    repo = Repo(tmp_path / "repo")
    quiet = {
        f"{QUIET}/agency.yaml": QUIET_AGENCY,
        f"{QUIET}/powers/CF-1.yaml": power("CF-1", "行政处罚"),
    }
    repo.commit({**mini_base(), **quiet}, "2023-06-01T10:00:00+08:00")
    # On time: 2024-09-27 + 7 working days = 2024-10-12 (a makeup working Saturday).
    pr(repo, decision_path(1, 2024), decision(1, "2024-09-27"), "2024-09-27", "2024-10-12")
    path = decision_path(2, 2024)
    pr(repo, path, decision(2, "2024-03-05"), "2024-03-05", "2024-03-06")
    withdrawn = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2024-05-06")
    pr(repo, path, withdrawn, "2024-05-07", "2024-05-09")  # due 2024-05-09: on time
    # Late: due 2025-03-12, merged 2025-03-13.
    pr(repo, decision_path(3, 2025), decision(3, "2025-03-03"), "2025-03-04", "2025-03-13")
    # Withdrawal event 2025-03-03, due 2025-03-06, merged 2025-03-10: late.
    path = decision_path(1, 2024)
    withdrawn = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2025-03-03")
    pr(repo, path, withdrawn, "2025-03-04", "2025-03-10")
    return repo


def computed(repo: Repo, as_of: dt.date) -> PortalStatistics:
    content = repo.root / "content"
    corpus = validate_content(content).corpus
    return compute(corpus, as_of, read_history(content))


def test_timeliness_per_agency_and_year(tmp_path: Path) -> None:
    stats = computed(history_portal(tmp_path), dt.date(2025, 6, 1))
    years = {y.year: y for y in stats.by_agency["demo-bureau"]}
    # A publication counts in its decision's year, a withdrawal in its event's year.
    assert years[2024].timeliness == Timeliness(2, 2, 1, 1)
    assert years[2025].timeliness == Timeliness(1, 0, 1, 0)
    assert years[2024].timeliness.published_share == 1
    assert years[2025].timeliness.withdrawal_share == 0
    portal = {y.year: y for y in stats.portal}
    assert portal[2024].timeliness == Timeliness(2, 2, 1, 1)
    # The quiet agency had nothing to publish: judged nothing, not "no history".
    quiet = {y.year: y for y in stats.by_agency["quiet-bureau"]}
    assert quiet[2024].timeliness == Timeliness()
    assert quiet[2024].timeliness.published_share is None


def test_pending_publications_are_not_judged(tmp_path: Path) -> None:
    repo = history_portal(tmp_path)
    path = decision_path(4, 2025)
    repo.write(path, decision(4, "2025-05-26"))  # in the working tree, never merged
    # Not published by 2025-05-27, and not due yet: pending, in neither count.
    stats = computed(repo, dt.date(2025, 5, 27))
    year = next(y for y in stats.by_agency["demo-bureau"] if y.year == 2025)
    assert year.timeliness == Timeliness(1, 0, 1, 0)
    # Still not published once due: overdue, judged late.
    stats = computed(repo, dt.date(2025, 6, 30))
    year = next(y for y in stats.by_agency["demo-bureau"] if y.year == 2025)
    assert year.timeliness == Timeliness(2, 0, 1, 0)


def test_an_agency_owes_every_year_since_its_agency_yaml(tmp_path: Path) -> None:
    repo = history_portal(tmp_path)
    stats = computed(repo, dt.date(2025, 6, 1))
    # Published 2023-06-01, never a decision: owes 2023 and 2024, and 2025 is under way.
    assert [y.year for y in stats.by_agency["quiet-bureau"]] == [2023, 2024, 2025]
    assert all(y.decisions == 0 for y in stats.by_agency["quiet-bureau"])
    # demo-bureau's agency.yaml came with the same first commit.
    assert [y.year for y in stats.by_agency["demo-bureau"]] == [2023, 2024, 2025]
    # Its power list has 行政处罚: a row of zeros for each year (零执法 in the data).
    content = repo.root / "content"
    corpus = validate_content(content).corpus
    data = open_data(corpus, public_view(corpus, stats.as_of), stats)
    rows = data.files["statistics.csv"].decode("utf-8-sig").splitlines()
    assert [r for r in rows if "quiet-bureau" in r] == [
        "2023,quiet-bureau,行政处罚,0,0,0.00,0.00",
        "2024,quiet-bureau,行政处罚,0,0,0.00,0.00",
        "2025,quiet-bureau,行政处罚,0,0,0.00,0.00",
    ]
    # Without the history the quiet agency's first year is unknown: the current year only.
    without = compute(corpus, dt.date(2025, 6, 1))
    assert [y.year for y in without.by_agency["quiet-bureau"]] == [2025]


def test_the_builds_audit_counts_what_the_statistics_judge(tmp_path: Path) -> None:
    """The build judges every decision's deadlines once (read_audit) and gives the figures to
    the statistics: the same timeliness as judging them again, and a Site built with that
    audit gets it; an audit judged on another day is not used."""
    repo = history_portal(tmp_path)
    content = repo.root / "content"
    corpus = validate_content(content).corpus
    for as_of in (dt.date(2024, 5, 8), dt.date(2025, 6, 1), dt.date(2030, 1, 1)):
        audit, _findings = read_audit(content, corpus, as_of, publish=False)
        again = timeliness_by_year(corpus, read_history(content), as_of)
        assert audit.timeliness == again and again
        assert audit.timeliness_on(as_of) is audit.timeliness
        assert audit.timeliness_on(as_of + dt.timedelta(days=1)) is None
        site = Site(corpus, public_view(corpus, as_of), audit)
        assert site.statistics.stats == compute(corpus, as_of, read_history(content))
