"""Findings: what every check returns, printed the same way by the CLI, the build and CI."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, located to line and column (1-based)."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} [{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def error(path: str, line: int, col: int, rule: str, message: str) -> Finding:
    return Finding(path, line, col, Severity.ERROR, rule, message)


def warning(path: str, line: int, col: int, rule: str, message: str) -> Finding:
    return Finding(path, line, col, Severity.WARNING, rule, message)


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    # Unique and ordered by file then position, so output is deterministic.
    return sorted(set(findings))


def render_text(findings: Iterable[Finding]) -> str:
    return "".join(f.text() + "\n" for f in findings)


def render_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
