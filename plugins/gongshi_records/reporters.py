"""Findings for continuous integration: GitHub-style workflow commands and a GitLab Code Quality
report, beside the text and JSON of findings.py. One name per format, one renderer per name."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

from .findings import Finding, Severity, render_json, render_text

Renderer = Callable[[Iterable[Finding]], str]

# GitLab severities are info | minor | major | critical | blocker. An error stops the build and so
# the publication: critical. A warning never stops anything: minor.
GITLAB_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor"}


def _escape_data(value: str) -> str:
    """The message of a workflow command (GitHub Actions, and Gitea/Forgejo which copy it)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A `key=value` of a workflow command: ':' and ',' would end the value."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_command(finding: Finding) -> str:
    """`::error file=…,line=…,col=…,title=RULE::MESSAGE`: an annotation on the changed line."""
    props = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (
            ("file", finding.path),
            ("line", str(finding.line)),
            ("col", str(finding.col)),
            ("title", finding.rule),
        )
    )
    return f"::{finding.severity} {props}::{_escape_data(finding.message)}"


def render_github(findings: Iterable[Finding]) -> str:
    return "".join(github_command(f) + "\n" for f in findings)


def gitlab_fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """Stable across runs: path, rule, line and message (and which repeat, for identical ones)."""
    parts = [finding.path, finding.rule, str(finding.line), finding.message]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def render_gitlab(findings: Iterable[Finding]) -> str:
    """A GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array."""
    seen: dict[str, int] = {}
    issues = []
    for finding in findings:
        first = gitlab_fingerprint(finding)
        occurrence = seen.get(first, 0)
        seen[first] = occurrence + 1
        issues.append(
            {
                "description": f"[{finding.rule}] {finding.message}",
                "check_name": finding.rule,
                "fingerprint": gitlab_fingerprint(finding, occurrence),
                "severity": GITLAB_SEVERITY[finding.severity],
                "location": {"path": finding.path, "lines": {"begin": finding.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# Every command that prints findings offers text and json; `validate` also offers the CI formats.
BASIC_FORMATS: dict[str, Renderer] = {"text": render_text, "json": render_json}
CI_FORMATS: dict[str, Renderer] = {"github": render_github, "gitlab": render_gitlab}
RENDERERS: dict[str, Renderer] = {**BASIC_FORMATS, **CI_FORMATS}


def render(findings: Iterable[Finding], fmt: str) -> str:
    return RENDERERS[fmt](findings)
