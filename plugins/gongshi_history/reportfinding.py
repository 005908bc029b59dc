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

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "rule": self.rule,
            "due": _iso(self.due),
            "actual": _iso(self.actual),
            "message": self.message,
            "agency": self.agency,
        }

    def text(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


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
