"""Report rule on 行政裁量权基准: a fine outside the range of the level its decision names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongshi_records.discretion import fines_outside
from gongshi_records.model import Corpus

from .reportfinding import ReportFinding


def fine_outside_discretion(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """The validator's `discretion.range` warning, for the supervisor: the same condition."""
    for out in fines_outside(corpus):
        message = f"{out.describe()}：公布的裁量基准与实际处罚不一致"
        record = out.decision
        yield ReportFinding(record.path, "discretion-range", None, None, message, record.agency)
