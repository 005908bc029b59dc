"""`gongshi validate --changed-since REV` as a pull request's check: whatever mistake the change
makes across records fails the check, even when the rule reports it on a record the change
did not touch (the later of two records with one 文号 or certificate number, the records of an
agency whose agency.yaml went). Real repositories; the full run is the reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gitrepo import AGENCY, Repo, decision, decision_path, mini_base

Run = Callable[..., Result]
OTHER = "content/agencies/aaa-bureau"  # sorts before demo-bureau
OFFICER = f"{AGENCY}/officers/33029900000001.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The mini portal and one decision merged on main; the change is made in branch ``pr``."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2024-01-02T10:00:00+08:00")
    merged = {decision_path(2, 2024): decision(2, "2024-03-05")}
    repo.pull_request(merged, "2024-04-01T09:00:00+08:00", "2024-04-02T16:00:00+08:00")
    repo.git("checkout", "-q", "-b", "pr")
    monkeypatch.chdir(repo.root)
    return repo


def checked(gongshi: Run, rule: str) -> tuple[Result, Result]:
    """The full run and the pull request's check, both failing with ``rule``."""
    full, check = gongshi("validate"), gongshi("validate", "--changed-since", "main")
    assert full.code == 1 and f"[{rule}]" in full.out, full.out
    assert check.code == 1 and f"[{rule}]" in check.out, check.out
    return full, check


def test_a_new_decision_with_a_filed_decisions_doc_no(repo: Repo, gongshi: Run) -> None:
    # Filed before the existing 2024-002: the rule names the existing file as the later one.
    repo.write(decision_path(1, 2024), decision(2, "2024-03-05"))
    full, check = checked(gongshi, "doc-no.unique")
    assert check.out == full.out


def test_a_new_officer_with_a_registered_certificate(repo: Repo, gongshi: Run) -> None:
    agency = (repo.root / f"{AGENCY}/agency.yaml").read_text("utf-8")
    repo.write(f"{OTHER}/agency.yaml", agency.replace("demo-bureau", "aaa-bureau"))
    officer = (repo.root / OFFICER).read_text("utf-8")
    repo.write(f"{OTHER}/officers/33029900000001.yaml", officer)
    _full, check = checked(gongshi, "cert-no.unique")
    assert OFFICER in check.out


def test_a_deleted_agency_record(repo: Repo, gongshi: Run) -> None:
    repo.write(f"{AGENCY}/agency.yaml", None)
    checked(gongshi, "agency.missing")
