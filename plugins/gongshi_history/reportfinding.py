"""One finding of `gongshi report`, and the record rules that produce them.

A *record check* reads the records alone (no git history, no calendar): a failed legal review,
a decision that meets a catalogue threshold without being marked major, a fine outside its
discretion benchmark. ``gongshi report`` lists them with the deadline findings, and the
portal's supervision pages list them per agency, both through :func:`record_checks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from gongshi_records.model import Corpus


@dataclass(frozen=True)
class ReportFinding:
    path: str
    rule: str
    due: dt.date | None
    actual: dt.date | None
    message: str
    agency: str | None = None
    # A late duty's (LATE_RULES) working days past the due date and the record's late_reason.
    working_days_late: int | None = None
    late_reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "rule": self.rule,
            "due": _iso(self.due),
            "actual": _iso(self.actual),
            "message": self.message,
            "agency": self.agency,
        }
        if self.rule in LATE_RULES:
            data["working_days_late"] = self.working_days_late
            data["late_reason"] = self.late_reason
        return data

    def text(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# Findings on a duty done late or not at all: their JSON carries `working_days_late` and
# `late_reason` (null when unknown or not given).
LATE_RULES: frozenset[str] = frozenset({"late-publication", "late-withdrawal"})

RecordCheck = Callable[[Corpus, dt.date], Iterator[ReportFinding]]

# What each record check's rule is called on the supervision pages (report.RECORD_CHECKS).
RULE_LABELS: Mapping[str, str] = {
    "review-after-decision": "法制审核晚于决定",
    "review-failed": "法制审核未通过仍作出决定",
    "discretion-range": "罚款超出裁量基准幅度",
    "catalogue-not-major": "满足法制审核目录标准却未作为重大执法决定",
    "review-staff-ratio": "法制审核人员比例不足",
    "statistics-zero-reason": "年度统计未说明零执法原因",
    "privacy-exemption": "隐私检查豁免",
}


# Rules `gongshi report` lists for the supervisor to look at that are no compliance problem:
# the supervision pages, which count 合规问题, leave them out.
NOT_PROBLEMS: frozenset[str] = frozenset({"privacy-exemption"})


def rule_label(rule: str) -> str:
    """A rule's Chinese name for the public pages; the rule id itself when it has none yet."""
    return RULE_LABELS.get(rule, rule)
