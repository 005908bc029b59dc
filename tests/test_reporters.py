"""CI formats of findings: GitHub-style workflow commands and the GitLab Code Quality report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gongshi_cli.main import parser
from gongshi_records.findings import error, warning
from gongshi_records.reporters import render_github, render_gitlab

Run = Callable[..., Result]
TEXT_LINE = re.compile(r"(.+?):(\d+):(\d+): (error|warning) \[(.+?)\] (.*)")

TRICKY = [
    error("content/a,b:c/x.yaml", 14, 3, "penalty.fine", "必须 ≥ 0（当前为 -5）"),
    warning("content/x.yaml", 2, 1, "doc-no.format", "50% 的, 文号: 第一行\n第二行\r\n"),
    error("content/x.yaml", 7, 9, "rule:with,chars", "a%0Ab"),
]


def test_github_workflow_commands_exactly() -> None:
    assert render_github(TRICKY) == (
        "::error file=content/a%2Cb%3Ac/x.yaml,line=14,col=3,title=penalty.fine"
        "::必须 ≥ 0（当前为 -5）\n"
        "::warning file=content/x.yaml,line=2,col=1,title=doc-no.format"
        "::50%25 的, 文号: 第一行%0A第二行%0D%0A\n"
        "::error file=content/x.yaml,line=7,col=9,title=rule%3Awith%2Cchars::a%250Ab\n"
    )


def test_github_one_line_per_finding_and_nothing_for_none() -> None:
    assert render_github([]) == ""
    assert len(render_github(TRICKY).splitlines()) == len(TRICKY)


def test_gitlab_code_quality_report() -> None:
    report = json.loads(render_gitlab(TRICKY))
    assert isinstance(report, list) and len(report) == len(TRICKY)
    for issue, finding in zip(report, TRICKY, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == finding.rule
        assert finding.message in issue["description"]
        assert isinstance(issue["fingerprint"], str) and len(issue["fingerprint"]) == 64
        assert issue["location"] == {"path": finding.path, "lines": {"begin": finding.line}}
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert [i["severity"] for i in report] == ["critical", "minor", "critical"]
    assert len({i["fingerprint"] for i in report}) == len(report)


def test_gitlab_fingerprints_are_stable_and_unique_for_repeats() -> None:
    again = json.loads(render_gitlab(TRICKY))
    assert [i["fingerprint"] for i in again] == [
        i["fingerprint"] for i in json.loads(render_gitlab(TRICKY))
    ]
    # Same file, rule, line and message, another column: still two distinct issues.
    twins = [error("content/x.yaml", 3, 1, "r", "m"), error("content/x.yaml", 3, 5, "r", "m")]
    fingerprints = [i["fingerprint"] for i in json.loads(render_gitlab(twins))]
    assert len(set(fingerprints)) == 2
    # A finding elsewhere in the list does not change another one's fingerprint.
    alone = json.loads(render_gitlab(TRICKY[:1]))[0]["fingerprint"]
    assert alone == json.loads(render_gitlab(TRICKY))[0]["fingerprint"]


def test_gitlab_report_for_no_findings_is_an_empty_array() -> None:
    assert json.loads(render_gitlab([])) == []


def break_fine(mini: Path) -> None:
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    decision.write_text(decision.read_text("utf-8").replace("fine: 50000", "fine: -5"), "utf-8")


def test_validate_format_github_end_to_end(mini: Path, gongshi: Run) -> None:
    break_fine(mini)
    text = gongshi("validate", "--content", "content")
    result = gongshi("validate", "--content", "content", "--format", "github")
    assert result.code == text.code == 1
    # The same findings as the text format, field for field, one command per line.
    expected = []
    for line in text.out.splitlines():
        match = TEXT_LINE.fullmatch(line)
        assert match, line
        path, row, col, severity, rule, message = match.groups()
        expected.append(f"::{severity} file={path},line={row},col={col},title={rule}::{message}")
    assert result.out.splitlines() == expected
    [fine] = [line for line in expected if "title=penalty.fine" in line]
    assert fine.startswith(
        "::error file=content/agencies/demo-bureau/decisions/2026/2026-001.yaml,line=13,col="
    ), fine
    assert fine.endswith("必须 ≥ 0（当前为 -5）"), fine


def test_validate_format_gitlab_end_to_end(mini: Path, gongshi: Run) -> None:
    break_fine(mini)
    result = gongshi("validate", "--content", "content", "--format", "gitlab")
    assert result.code == 1
    [issue] = [i for i in json.loads(result.out) if i["check_name"] == "penalty.fine"]
    assert issue["severity"] == "critical"
    assert issue["location"]["path"] == "content/agencies/demo-bureau/decisions/2026/2026-001.yaml"


def test_ci_formats_of_clean_content(mini: Path, gongshi: Run) -> None:
    github = gongshi("validate", "--content", "content", "--format", "github")
    assert (github.code, github.out) == (0, "")
    gitlab = gongshi("validate", "--content", "content", "--format", "gitlab")
    assert (gitlab.code, json.loads(gitlab.out)) == (0, [])


@pytest.mark.parametrize("command", ["report", "history"])
def test_only_validate_offers_the_ci_formats(command: str) -> None:
    args = [command, "x"] if command == "history" else [command]
    assert parser().parse_args([*args, "--format", "json"]).format == "json"
    with pytest.raises(SystemExit):
        parser().parse_args([*args, "--format", "github"])
