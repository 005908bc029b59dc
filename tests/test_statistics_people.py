"""People and the legal-review staff ratio (DOMAIN.md: review staff at least 5% of enforcement
staff): one counting rule (gongshi_records.staffing) for the statistics, the agency hub and
`gongshi report`'s review-staff-ratio finding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from conftest import write
from gongshi_history.report import RECORD_CHECKS, record_findings
from gongshi_history.reportfinding import RULE_LABELS
from gongshi_history.staff_checks import review_staff_ratio
from gongshi_records import Corpus, validate_content
from gongshi_records.publication import settings_for
from gongshi_records.staffing import agency_staffing
from gongshi_statistics.people import agency_people, portal_people
from statsfixture import AS_OF, QUIET, officer, statistics_portal
from test_entrustment import add_street


def load(content: Path) -> Corpus:
    validation = validate_content(content)
    assert validation.findings == [], [f.text() for f in validation.findings]
    return validation.corpus


def set_agency(content: Path, agency: str, line: str) -> None:
    path = content / agency / "agency.yaml"
    path.write_text(path.read_text("utf-8") + line, "utf-8")


def test_both_roles_count_once_as_review_staff(mini: Path) -> None:
    corpus = load(statistics_portal(mini))
    staff = agency_staffing(corpus, "quiet-bureau", AS_OF)
    # 甲某, 乙某 (执法), 丙某 (执法 + 法制审核), 丁某 (certificate expired 2025-12-31).
    assert (staff.officers, staff.valid, staff.review, staff.enforcement) == (4, 3, 1, 2)
    assert staff.share == Decimal("0.5") and staff.meets_minimum
    before = agency_staffing(corpus, "quiet-bureau", dt.date(2025, 6, 1))
    assert (before.valid, before.review, before.enforcement) == (4, 1, 3)


def test_engaged_advisers_are_review_staff(mini: Path) -> None:
    corpus = load(mini)
    # 赵律清 is engaged for 2026 only.
    engaged = agency_staffing(corpus, "demo-bureau", dt.date(2026, 3, 1))
    before = agency_staffing(corpus, "demo-bureau", dt.date(2025, 12, 31))
    assert (engaged.review, engaged.enforcement) == (3, 1)
    assert (before.review, before.enforcement) == (2, 1)
    people = agency_people(corpus, "demo-bureau", dt.date(2026, 3, 1))
    assert (people.review_staff, people.enforcement, people.review_share) == (3, 1, 3)


def test_minimum_share_is_a_setting(mini: Path) -> None:
    content = statistics_portal(mini)
    assert settings_for(load(content), None)["review_staff_min_share"] == 0.05
    write(
        content / "portal.yaml",
        (content / "portal.yaml").read_text("utf-8") + "settings: {review_staff_min_share: 0.6}\n",
    )
    set_agency(content, QUIET, "settings: {review_staff_min_share: 0.55}\n")
    corpus = load(content)
    assert agency_staffing(corpus, "quiet-bureau", AS_OF).minimum == Decimal("0.55")
    assert agency_staffing(corpus, "demo-bureau", AS_OF).minimum == Decimal("0.6")
    assert agency_people(corpus, "quiet-bureau", AS_OF).minimum_share == Decimal("0.55")


def test_setting_out_of_range_is_a_schema_error(mini: Path) -> None:
    set_agency(mini, "agencies/demo-bureau", "settings: {review_staff_min_share: 5}\n")
    [finding] = validate_content(mini).findings
    assert finding.rule == "settings.review_staff_min_share" and "≤ 1" in finding.message


def test_report_names_an_agency_under_the_minimum(mini: Path) -> None:
    content = statistics_portal(mini)
    assert list(review_staff_ratio(load(content), AS_OF)) == []
    set_agency(content, QUIET, "settings: {review_staff_min_share: 0.6}\n")
    [finding] = review_staff_ratio(load(content), AS_OF)
    assert (finding.path, finding.rule, finding.agency) == (
        "content/agencies/quiet-bureau/agency.yaml",
        "review-staff-ratio",
        "quiet-bureau",
    )
    assert finding.due is None and finding.actual is None
    assert finding.message.startswith("截至 2026-11-24，法制审核人员 1 名（含在聘法律顾问），")
    assert "执法人员 2 名，比例 50.0%，低于 60.0%" in finding.message
    assert review_staff_ratio in RECORD_CHECKS and RULE_LABELS["review-staff-ratio"]
    assert finding in record_findings(load(content), AS_OF)


def test_no_review_staff_at_all_is_named(mini: Path) -> None:
    content = statistics_portal(mini)
    both = officer("33029900000103", "丙某", "执法")  # gives up the review role
    write(content / QUIET / "officers/33029900000103.yaml", both)
    [finding] = review_staff_ratio(load(content), AS_OF)
    assert "法制审核人员 0 名" in finding.message and "比例 0.0%" in finding.message


def test_entrusted_organisations_and_agencies_without_enforcement_staff_are_skipped(
    mini: Path,
) -> None:
    content = statistics_portal(mini)
    for cert in ("33029900000101", "33029900000102", "33029900000104"):
        (content / QUIET / f"officers/{cert}.yaml").unlink()
    (content / QUIET / "decisions/2024/2024-001.yaml").unlink()
    # Only 丙某 is left, counted as review staff: no enforcement staff, no ratio.
    assert list(review_staff_ratio(load(content), AS_OF)) == []
    entrusted = content / "agencies/entrusted-team"
    agency = (content / QUIET / "agency.yaml").read_text("utf-8")
    write(
        entrusted / "agency.yaml",
        agency.replace("kind: 行政机关", "kind: 受委托组织")
        + "entrustment:\n  agency: demo-bureau\n  instrument_no: 测委〔2024〕1号\n"
        "  scope: 食品安全检查\n  valid_from: 2024-01-01\n",
    )
    write(entrusted / "officers/33029900000201.yaml", officer("33029900000201", "戊某", "执法"))
    corpus = load(content)
    assert agency_staffing(corpus, "entrusted-team", AS_OF).share == 0
    # Its major decisions are reviewed by the entrusting agency: not judged on its own.
    assert list(review_staff_ratio(corpus, AS_OF)) == []


def test_officers_who_left_or_were_revoked_are_not_on_the_staff(mini: Path) -> None:
    content = statistics_portal(mini)
    folder = content / QUIET / "officers"
    left = officer("33029900000091", "戊某", "执法").replace("status: 在岗", "status: 离岗")
    revoked = officer("33029900000092", "己某", "执法").replace("status: 在岗", "status: 注销")
    suspended = officer("33029900000093", "庚某", "执法").replace("status: 在岗", "status: 暂扣")
    write(folder / "33029900000091.yaml", left)
    write(folder / "33029900000092.yaml", revoked)
    write(folder / "33029900000093.yaml", suspended)
    staff = agency_staffing(load(content), "quiet-bureau", AS_OF)
    # The four of the first test, plus the suspended one: still staff, not valid.
    assert (staff.officers, staff.valid) == (5, 3)


def test_an_entrusted_organisation_has_no_ratio_of_its_own(mini: Path) -> None:
    add_street(mini)
    corpus = load(mini)
    street = agency_people(corpus, "demo-street", AS_OF)
    bureau = agency_people(corpus, "demo-bureau", AS_OF)
    assert not street.ratio_applies and bureau.ratio_applies
    total = portal_people(corpus, [street, bureau])
    # Its officers are counted; its enforcement staff do not dilute the portal's ratio.
    assert total.officers == street.officers + bureau.officers
    assert (total.enforcement, total.review_staff) == (bureau.enforcement, bureau.review_staff)
