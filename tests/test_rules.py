"""Cross-record rules, checked on copies of the mini fixture portal with one defect each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from gongshi_records import validate_content
from gongshi_records.forking import PROCESSES_ENV, can_fork

DECISION = "agencies/demo-bureau/decisions/2026/2026-001.yaml"
OFFICER = "agencies/demo-bureau/officers/33029900000001.yaml"


def findings(content: Path) -> list[tuple[str, str, int, str]]:
    found = validate_content(content).findings
    return [(f.severity, f.rule, f.line, f.path.rsplit("/", 1)[-1]) for f in found]


def edit(content: Path, relative: str, old: str, new: str) -> None:
    path = content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_fixture_is_clean(mini: Path) -> None:
    assert findings(mini) == []


def test_doc_no_unique_whatever_the_brackets(mini: Path) -> None:
    edit(mini, "agencies/demo-bureau/decisions/2025/2025-007.yaml", "〔2025〕7号", "[2026]1号")
    found = findings(mini)
    assert ("error", "doc-no.unique", 1, "2026-001.yaml") in found
    assert ("warning", "doc-no.format", 1, "2025-007.yaml") in found


@pytest.mark.parametrize("processes", ["2", "3"])
def test_the_rules_run_in_forked_workers_find_what_one_process_finds(
    mini: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """At scale the rules across records run side by side in forked workers: the same
    findings, in the same order, as in one process."""
    assert can_fork()
    edit(mini, "agencies/demo-bureau/decisions/2025/2025-007.yaml", "〔2025〕7号", "[2026]1号")
    edit(mini, DECISION, '"33029900000002"]', '"33029900009999"]')
    monkeypatch.setenv(PROCESSES_ENV, "1")
    alone = validate_content(mini).findings
    monkeypatch.setenv(PROCESSES_ENV, processes)
    forked = validate_content(mini).findings
    assert {"doc-no.unique", "reference.officer"} <= {f.rule for f in alone}
    assert forked == alone


def test_unknown_officer(mini: Path) -> None:
    edit(mini, DECISION, '"33029900000002"]', '"33029900009999"]')
    assert ("error", "reference.officer", 17, "2026-001.yaml") in findings(mini)


def test_officer_without_enforcement_role(mini: Path) -> None:
    edit(
        mini,
        DECISION,
        'officers: ["33029900000001", "33029900000002"]',
        'officers: ["33029900000001", "33029900000003"]',
    )  # 王海 only reviews
    assert ("error", "officer.role", 17, "2026-001.yaml") in findings(mini)


def test_certificate_expired_on_decision_day(mini: Path) -> None:
    edit(mini, OFFICER, "valid_until: 2027-12-31", "valid_until: 2026-03-31")
    assert ("error", "officer.valid", 17, "2026-001.yaml") in findings(mini)


def test_status_matters_only_from_status_since(mini: Path) -> None:
    edit(mini, OFFICER, "status: 在岗", "status: 离岗\nstatus_since: 2026-06-01")
    assert findings(mini) == []  # left after the decision: the decision stands
    edit(mini, OFFICER, "status_since: 2026-06-01", "status_since: 2026-01-01")
    assert ("error", "officer.valid", 17, "2026-001.yaml") in findings(mini)


def test_status_without_date_asks_for_one(mini: Path) -> None:
    edit(mini, OFFICER, "status: 在岗", "status: 注销")
    found = validate_content(mini).findings
    assert any(f.rule == "officer.valid" and "status_since" in f.message for f in found)


def test_reviewer_needs_review_role(mini: Path) -> None:
    edit(mini, DECISION, 'reviewers: ["33029900000003"]', 'reviewers: ["33029900000001"]')
    assert ("error", "review.reviewer-role", 19, "2026-001.yaml") in findings(mini)


def test_review_after_decision_is_a_warning_only(mini: Path) -> None:
    edit(mini, DECISION, "reviewed_on: 2026-04-08", "reviewed_on: 2026-04-12")
    assert findings(mini) == [("warning", "review.after-decision", 19, "2026-001.yaml")]


def test_major_needs_review(mini: Path) -> None:
    edit(
        mini,
        DECISION,
        'review: {reviewed_on: 2026-04-08, opinion: 同意, reviewers: ["33029900000003"]}\n',
        "",
    )
    assert ("error", "review", 18, "2026-001.yaml") in findings(mini)  # at `major: true`


def test_folder_year_is_a_warning(mini: Path) -> None:
    edit(mini, DECISION, "decided_on: 2026-04-10", "decided_on: 2025-12-30")
    assert ("warning", "decision.folder-year", 16, "2026-001.yaml") in findings(mini)


def test_cert_no_pattern_from_portal(mini: Path) -> None:
    edit(mini, "portal.yaml", "publisher:", 'cert_no_pattern: "^3302990000000[12]$"\npublisher:')
    assert ("error", "cert-no.pattern", 2, "33029900000003.yaml") in findings(mini)


def test_cert_no_unique_across_agencies(mini: Path) -> None:
    other = mini / "agencies/other-bureau"
    write(other / "agency.yaml", (mini / "agencies/demo-bureau/agency.yaml").read_text("utf-8"))
    write(other / "officers/33029900000001.yaml", (mini / OFFICER).read_text("utf-8"))
    assert ("error", "cert-no.unique", 2, "33029900000001.yaml") in findings(mini)


def test_cert_no_unique_without_case(mini: Path) -> None:
    """Numbers differing only in case would share a page on a case-insensitive mirror."""
    text = (mini / OFFICER).read_text("utf-8")
    other = mini / "agencies/other-bureau"
    write(other / "agency.yaml", (mini / "agencies/demo-bureau/agency.yaml").read_text("utf-8"))
    write(mini / "agencies/demo-bureau/officers/QX3302A1.yaml", text.replace(
        '"33029900000001"', '"QX3302A1"'))  # fmt: skip
    write(other / "officers/qx3302a1.yaml", text.replace('"33029900000001"', '"qx3302a1"'))
    found = [f for f in findings(mini) if f[1] == "cert-no.unique"]
    assert found == [("error", "cert-no.unique", 2, "qx3302a1.yaml")], found


def test_records_need_their_agency(mini: Path) -> None:
    (mini / "agencies/demo-bureau/agency.yaml").unlink()
    assert any(rule == "agency.missing" for _s, rule, _l, _p in findings(mini))


def test_misplaced_file_is_an_error_not_skipped(mini: Path) -> None:
    write(mini / "agencies/demo-bureau/decision-2026-9.yaml", "doc_no: x\n")
    write(mini / "agencies/demo-bureau/officers/Zhang San.yaml", "name: x\n")
    rules = [(rule, path) for _s, rule, _l, path in findings(mini)]
    assert ("layout", "decision-2026-9.yaml") in rules
    assert ("layout", "Zhang San.yaml") in rules


def test_one_broken_file_hides_nothing(mini: Path) -> None:
    write(mini / "agencies/demo-bureau/officers/33029900000002.yaml", "name: [\n")
    edit(mini, DECISION, "fine: 50000", "fine: -5")
    found = findings(mini)
    assert ("error", "yaml", 2, "33029900000002.yaml") in found
    assert ("error", "penalty.fine", 13, "2026-001.yaml") in found
